"""The lines a run prints before its first step: what is trained, on what, how, and from where."""

from unit_tf.models.base import parameter_count

FAMILY_NAMES = {"unit": "UNIT", "munit": "MUNIT", "cyclegan": "CycleGAN", "pix2pix": "pix2pix",
                "unit_da": "UNIT domain adaptation"}


def run_banner(config, model, data, players, strategy, restored_step):
    """[line, ...]: family and preset, the data, sizes and schedule, parameters per player,
    devices and numerics, and whether the run starts fresh or resumes."""
    cfg, d = config.train, config.data
    steps_per_epoch = -(-len(data) // d.batch_size)
    params = " | ".join(f"{p} {parameter_count(model.trainable_variables_of(p)):,}"
                        for p in players)
    replicas = strategy.num_replicas_in_sync
    devices = f"devices {config.runtime.devices}" if config.runtime.devices \
        else f"{config.runtime.strategy} strategy"
    start = (f"resuming from checkpoint {restored_step} (step {restored_step})"
             if restored_step is not None else "starting fresh")
    return [
        f"{FAMILY_NAMES.get(config.family, config.family)} (preset {config.model.preset}) "
        f"in {cfg.model_dir}: {start}, to step {cfg.max_steps}",
        f"data: {data.describe()}",
        f"{d.crop_size}x{d.crop_size} crops, batch {d.batch_size}, {steps_per_epoch} steps per "
        f"epoch ({cfg.max_steps / steps_per_epoch:.3g} epochs)",
        f"trainable parameters: {params}",
        f"{devices}, {replicas} replica{'s' if replicas > 1 else ''}, "
        f"{config.runtime.precision}{', XLA' if config.runtime.jit_compile else ''}"
        f"{', deterministic' if config.runtime.deterministic else ''}",
    ]
