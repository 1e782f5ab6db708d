"""Frozen configuration dataclasses: the typed boundary between the CLI and the library.

Only `unit_tf/cli/` reads flags; it builds an `ExperimentConfig` once and everything below takes
these objects (or plain typed arguments). No TensorFlow import here, so configs are cheap to build,
compare and serialise.
"""

from unit_tf.config.checks import Checked, NonNegativeWeights, check_choice, check_positive
from unit_tf.config.experiment import (ARCHITECTURE_SECTIONS, FAMILY_CONFIGS, ExperimentConfig,
                                       config_changes, flatten, from_dict)
from unit_tf.config.model import ModelConfig
from unit_tf.config.junyanz import (JUNYANZ_D, JUNYANZ_FAMILIES, JUNYANZ_GAN_TYPES, JUNYANZ_NORMS,
                                    CycleGANConfig, CycleGANLossWeights, JunyanzConfig,
                                    Pix2PixConfig, Pix2PixLossWeights, junyanz_optim,
                                    parse_generator)
from unit_tf.config.nvlabs import (ACTIVATIONS, GAN_TYPES, NORMS, PAD_TYPES, DiscriminatorConfig,
                                   MUNITConfig, MUNITLossWeights, NVLabsConfig, UNITConfig,
                                   UNITLossWeights, paper_loss_weights, unit_preset)
from unit_tf.config.run_dir import (CHECKPOINTS, FLAGS_FILE, KEPT, RUN_CONFIG, SAMPLES,
                                    TENSORBOARD, checkpoints_dir, kept_checkpoints_dir)
from unit_tf.config.run import (INVERSIONS, LAYOUTS, LR_POLICIES, PRECISIONS, RESIZES, SOURCES,
                                STRATEGIES, WEIGHT_DECAY_MODES, WRITE_ERROR_POLICIES, DataConfig,
                                OptimConfig, RuntimeConfig, TrainConfig)
from unit_tf.config.da import (CLASSIFIER_FRONTS, DA_PROTOCOLS, FEATURE_DISTANCES, UNITDAConfig,
                               UNITDALossWeights, da_optim)
from unit_tf.config.defaults import (PRESETS, FamilyDefaults, default_max_steps, defaults,
                                     resolve_schedule)
