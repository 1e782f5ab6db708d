"""The per-replica training step of a two-player (generator/discriminator) model."""

import keras
import tensorflow as tf

from unit_tf.layers.winograd import shared_filter_tiles
from unit_tf.losses import l2_penalty
from unit_tf.objectives import CARRY, flatten_terms, weighted_total
from unit_tf.training.optim import current_learning_rate


class AlternatingGANStep:
    """One update of each player in `objective.players` order (UNIT: D then G, as the official
    `dis_update` then `gen_update`).

    For each player: named unweighted terms from the objective, `weighted_total` with the
    objective's loss weights, plus `weight_decay * ||w||^2 / 2` when decay is coupled (PyTorch
    Adam semantics), divided by the number of replicas (gradients are summed across replicas), scaled under a
    LossScaleOptimizer, and applied, unless the loss or a gradient is not finite on some
    replica: then that player's update is skipped and logs["nonfinite/<player>"] is 1 (the
    trainer counts and reports skips). Returns a flat logs dict of float32 scalars. Runs inside
    `strategy.run`; knows nothing of domains. Tensors a player's terms carry (`terms[CARRY]`,
    e.g. translations with optim.reuse_fakes) join the batch the later players see.

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
        # the weights stay put until `update` applies: each Winograd kernel's tiles once
        with tf.GradientTape() as tape, shared_filter_tiles():
            terms = self.objective.terms(player, self.model, batch)
            carry = terms.pop(CARRY, {})
            total = weighted_total(terms, self.objective.weights, player)
            loss = total
            if self.coupled_weight_decay and self.weight_decay > 0:
                loss = loss + self.weight_decay * l2_penalty(variables)
            loss = loss / replicas
            scaled = optimizer.scale_loss(loss)  # identity unless a LossScaleOptimizer
        grads = tape.gradient(scaled, variables)
        logs = flatten_terms(terms, player)
        logs[f"{player}/total"] = total
        return grads, logs, carry

    def update(self, player, batch):
        """Update `player` on `batch`; (logs, the tensors its terms carry to later players)."""
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        grads, logs, carry = self._gradients(player, batch, replicas)
        optimizer = self.optimizers[player]
        # the rate this update uses (read before `apply` advances the optimizer's step)
        logs[f"{player}/lr"] = tf.cast(current_learning_rate(optimizer), tf.float32)
        finite = all_replicas_finite(logs[f"{player}/total"], grads, optimizer)
        with tf.control_dependencies([logs[f"{player}/lr"]]):
            apply_if(finite, optimizer, grads, self.model.trainable_variables_of(player))
        logs[f"{NONFINITE}/{player}"] = 1.0 - tf.cast(finite, tf.float32)
        return logs, carry

    def __call__(self, batch):
        logs = {}
        for player in self.objective.players:
            player_logs, carry = self.update(player, batch)
            logs.update(player_logs)
            batch = {**batch, **carry}
        return {k: tf.cast(v, tf.float32) for k, v in logs.items()}


NONFINITE = "nonfinite"  # logs["nonfinite/<player>"] = 1 when that player's update was skipped


def all_replicas_finite(loss, grads, optimizer):
    """True when the loss and every gradient are finite on every replica (the same answer on
    all of them, so they all apply the update or all skip it).

    One sum over the gradients and one small all-reduce per player per step. A
    LossScaleOptimizer handles non-finite gradients itself (it skips the step and lowers the
    scale), so under one only the loss is checked here.
    """
    finite = tf.math.is_finite(tf.cast(loss, tf.float32))
    if not isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        sums = [tf.reduce_sum(tf.cast(g, tf.float32)) for g in grads if g is not None]
        if sums:
            finite = finite & tf.math.is_finite(tf.add_n(sums))
    bad = tf.distribute.get_replica_context().all_reduce(
        tf.distribute.ReduceOp.SUM, 1.0 - tf.cast(finite, tf.float32))
    return tf.equal(bad, 0.0)


def apply_if(finite, optimizer, grads, variables):
    """`optimizer.apply(grads, variables)` when `finite`, else nothing (weights, slots and the
    optimizer's step count stay as they were). The condition is taken in cross-replica context
    where the strategy needs a merge_call for the update (as Keras' LossScaleOptimizer does)."""

    def update():
        optimizer.apply(grads, variables)
        return tf.constant(True)

    def skip():
        return tf.constant(False)

    if tf.__internal__.distribute.strategy_supports_no_merge_call():
        tf.cond(finite, update, skip)
        return

    def cross_replica(distribution, finite, grads, variables):
        def update_each():
            distribution.extended.call_for_each_replica(optimizer.apply, args=(grads, variables))
            return tf.constant(True)

        tf.cond(distribution.experimental_local_results(finite)[0], update_each, skip)

    tf.distribute.get_replica_context().merge_call(cross_replica,
                                                   args=(finite, grads, variables))
