"""`unit-tf train`: build the ExperimentConfig from flags, train, optionally export.

Exit codes: 0 done; 2 bad input (flags, data, a run directory that does not match); 3 the losses
diverged (non-finite for --max_nonfinite_steps steps in a row); 4 a checkpoint or sample could
not be written (--on_write_error=stop); 75 stopped by SIGTERM/SIGINT after saving the completed
step (run the same command to resume); 130 interrupted before training started.
"""

import contextlib
import os
import sys

from absl import logging

from unit_tf.cli import flags as train_flags
from unit_tf.cli.errors import user_errors
from unit_tf.config import FLAGS_FILE, SAMPLES, checkpoints_dir

FLAG_MODULES = [train_flags.__name__]


EXIT_DIVERGED, EXIT_WRITE_ERROR, EXIT_STOPPED, EXIT_INTERRUPTED = 3, 4, 75, 130


@contextlib.contextmanager
def run_outcomes():
    """One line and a distinct exit code for each way a run can end early."""
    from unit_tf.training.trainer import DivergenceError, Interrupted, WriteError

    try:
        yield
    except Interrupted as e:
        print(f"unit-tf train: {e}", file=sys.stderr)
        sys.exit(EXIT_STOPPED)
    except DivergenceError as e:
        print(f"unit-tf train: error: {e}", file=sys.stderr)
        sys.exit(EXIT_DIVERGED)
    except WriteError as e:
        print(f"unit-tf train: error: {e}", file=sys.stderr)
        sys.exit(EXIT_WRITE_ERROR)
    except KeyboardInterrupt:
        print("unit-tf train: interrupted before the first step; nothing new to save",
              file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf train: error: unexpected arguments {argv[1:]}")
    with user_errors("train", train_flags.flag_names), run_outcomes():
        config = train_flags.to_config()
        # The strategy must exist before any other TF op (MultiWorkerMirroredStrategy), and
        # TF's threads are fixed when its runtime starts.
        from unit_tf.training import create_strategy, is_chief, train
        from unit_tf.training.runtime import run_one_op_at_a_time

        if config.runtime.deterministic:
            run_one_op_at_a_time()

        strategy = create_strategy(config.runtime.strategy, config.runtime.devices)
        chief = is_chief(strategy)  # only the chief writes shared files in a multi-worker run

        def write_flags_file():  # once the run is accepted; rewritten on every start
            path = os.path.join(config.train.model_dir, FLAGS_FILE)
            with open(f"{path}.partial", "w") as f:
                f.write(train_flags.run_flags_text(config))
            os.replace(f"{path}.partial", path)

        model, logs = train(config, strategy, resume=train_flags.RESUME.value,
                            on_accepted=write_flags_file)
        if not chief:
            logging.info("worker done; the chief writes checkpoints, samples and exports")
            return
        print(f"checkpoints: {checkpoints_dir(config.train.model_dir)}")
        print(f"samples:     {os.path.join(config.train.model_dir, SAMPLES)}")
        print(f"tensorboard: tensorboard --logdir {config.train.model_dir}")
        if config.train.export_dir:
            from unit_tf.export import export_saved_model

            path = export_saved_model(model, config.train.export_dir,
                                      metadata={"preset": config.model.preset,
                                                "config": config.to_dict()})
            print(f"savedmodel:  {path}")
        logging.info("final losses: %s", logs)
