"""The per-replica training step of a two-player (generator/discriminator) model."""

import tensorflow as tf

from unit_tf.losses import l2_penalty
from unit_tf.objectives import flatten_terms, weighted_total
from unit_tf.training.optim import current_learning_rate


class AlternatingGANStep:
    """One update of each player in `objective.players` order (UNIT: D then G, as the official
    `dis_update` then `gen_update`).

    For each player: named unweighted terms from the objective, `weighted_total` with the
    objective's loss weights, plus `weight_decay * ||w||^2 / 2` when decay is coupled (PyTorch Adam semantics),
    divided by the number of replicas (gradients are summed across replicas), scaled under a
    LossScaleOptimizer, and applied. Returns a flat logs dict of float32 scalars. Runs inside
    `strategy.run`; knows nothing of domains.

    With `jit_compile`, each player's forward and backward pass is XLA-compiled; the update (and
    its cross-replica all-reduce) stays outside XLA, which is what lets the same step run under
    MirroredStrategy (XLA cannot reach another replica's variables).
    """

    def __init__(self, model, objective, optimizers, weight_decay=0.0,
                 coupled_weight_decay=True, jit_compile=False):
        self.model = model
        self.objective = objective
        self.optimizers = optimizers  # {"g": optimizer, "d": optimizer}
        self.weight_decay = float(weight_decay)
        self.coupled_weight_decay = coupled_weight_decay
        self.jit_compile = bool(jit_compile)
        self._gradients = tf.function(self.gradients, jit_compile=True) if jit_compile \
            else self.gradients

    def build(self):
        """Create optimiser slots before tracing (otherwise the tf.function traces twice)."""
        for player, optimizer in self.optimizers.items():
            optimizer.build(self.model.trainable_variables_of(player))

    def gradients(self, player, batch, replicas):
        """(gradients of the player's variables, logs) for one batch; nothing is updated."""
        variables = self.model.trainable_variables_of(player)
        optimizer = self.optimizers[player]
        with tf.GradientTape() as tape:
            terms = self.objective.terms(player, self.model, batch)
            total = weighted_total(terms, self.objective.weights, player)
            loss = total
            if self.coupled_weight_decay and self.weight_decay > 0:
                loss = loss + self.weight_decay * l2_penalty(variables)
            loss = loss / replicas
            scaled = optimizer.scale_loss(loss)  # identity unless a LossScaleOptimizer
        grads = tape.gradient(scaled, variables)
        logs = flatten_terms(terms, player)
        logs[f"{player}/total"] = total
        return grads, logs

    def update(self, player, batch):
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        grads, logs = self._gradients(player, batch, replicas)
        optimizer = self.optimizers[player]
        # the rate this update uses (read before `apply` advances the optimizer's step)
        logs[f"{player}/lr"] = tf.cast(current_learning_rate(optimizer), tf.float32)
        with tf.control_dependencies([logs[f"{player}/lr"]]):
            optimizer.apply(grads, self.model.trainable_variables_of(player))
        return logs

    def __call__(self, batch):
        logs = {}
        for player in self.objective.players:
            logs.update(self.update(player, batch))
        return {k: tf.cast(v, tf.float32) for k, v in logs.items()}
