"""UNIT's digit domain adaptation: train each protocol for a stated CPU budget, evaluate the
adapted classifier (classify_b) on the target test set, beside a source-only baseline.

For each protocol (mnist_to_usps, usps_to_mnist, mnist_to_mnist_m) the run trains in chunks of
--eval_every steps (resuming its own run directory) and records the target-test accuracy after
each chunk (`curve`). The headline `accuracy` is the LAST checkpoint's: chosen without target
labels; every variant run (weights set apart, see below) is kept under `variants`, and the
protocol's headline is the variant trained longest whose classifier is not collapsed on
unlabelled target images (`select`). `best_seen_accuracy` is the best point of the curve: the
official code's protocol (it keeps the checkpoint that scores best on the target test set),
reported separately.
`source_only_accuracy`: the same classifier (D's first layer of the source domain, the shared
layers and the class head) trained on source labels alone for the same steps and batch, applied
to target test images. Writes benchmarks/results/quality.json (merging protocols run earlier)
and prints a table.

    python benchmarks/domain_adaptation.py --shared ../shared [--protocols mnist_to_usps ...]
        [--steps 2000 --eval_every 250 --ch_g 32 --ch_d 32 --batch 32] [--feature_w 1e-2]
        [--recon_w 1e-2] [--cycle_w 1e-2] [--semantic_w 1] [--info_max_w 1] [--invert a]
        [--grey_target] [--augment 0.15] [--recolour a] [--classifier_front source]
        [--oracle_steps 5000] [--rediagnose]
Weights set apart from the reference name the run
(da_<protocol>_fw<value>_rw<value>_cw<value>_sw<value>_im<value>, then _inv<domains>, _grey,
_aug<strength>, _col<domains>, _front<front>).
With --info_max_w the result also holds `source_only_info_max_accuracy`: the source-only
classifier trained with the same information-maximisation term on unlabelled target images
(what the term does without the shared latent).
Each result also carries label-free readings of its last checkpoint: the classifier's
prediction balance on unlabelled target images and the spread of its a2b translations
(unit_tf.evaluation.translation_spread) beside the source images' own spread; and, read through
a target oracle (the same classifier trained on the target training subset's labels for
--oracle_steps, `target_oracle_accuracy`), the fraction of source digits whose a2b translation
it reads as the source digit (`a2b_translation_accuracy`): a diagnostic of the translator that
uses target labels, never a selection criterion. `--rediagnose` trains only the oracles and
re-reads every recorded variant whose run directory is still there.
The oracle and the source-only baselines depend on the data settings and the budget, not on the
adapted run: they are kept under --runs/baselines/ (curve, weights, the commit that trained
them; `baseline_commits` in the result) and shared by every variant with the same settings.
`--baselines_only` trains just them, e.g. on one core beside the variant's running adapted run.
"""

import argparse
import dataclasses
import hashlib
import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

# the loss weights a run may change, at version_02's values (feature matching, reconstruction)
REFERENCE_WEIGHTS = {"feature_w": 1e-4, "recon_w": 1e-3, "cycle_w": 0.0, "semantic_w": 0.0,
                     "info_max_w": 0.0}
PAPER = {"mnist_to_usps": 0.9597, "usps_to_mnist": 0.9358, "mnist_to_mnist_m": None}
CHANNELS = {"mnist_to_usps": (1, 1), "usps_to_mnist": (1, 1), "mnist_to_mnist_m": (1, 3)}


def channels(args, protocol):
    """(channels_a, channels_b) the model reads: the protocol's, the target read as grey with
    --grey_target, and 3 for each domain --recolour paints."""
    channels_a, channels_b = CHANNELS[protocol]
    if args.grey_target:
        channels_b = 1
    return (3 if "a" in args.recolour else channels_a, 3 if "b" in args.recolour else channels_b)


def experiment(args, protocol, run_dir, steps):
    from unit_tf.config import (DataConfig, ExperimentConfig, RuntimeConfig, TrainConfig,
                                UNITDAConfig, UNITDALossWeights, da_optim)

    channels_a, channels_b = channels(args, protocol)
    return ExperimentConfig(
        family="unit_da",
        model=UNITDAConfig(ch_g=args.ch_g, ch_d=args.ch_d, channels_a=channels_a,
                           channels_b=channels_b, classifier_front=args.classifier_front),
        loss_weights=UNITDALossWeights(**changed_weights(args)), optim=da_optim(),
        data=DataConfig(data_dir=os.path.join(args.shared, "datasets"), protocol=protocol,
                        load_size=32, crop_size=32, batch_size=args.batch, flip=False,
                        invert=args.invert, augment=args.augment, recolour=args.recolour),
        runtime=RuntimeConfig(seed=args.seed),
        train=TrainConfig(model_dir=run_dir, max_steps=steps, checkpoint_every=args.eval_every,
                          sample_every=args.eval_every, summary_every=50, log_every=50,
                          keep_checkpoints=2, progress=False))


def changed_weights(args):
    """{name: value} of the loss weights this run sets apart from the reference."""
    return {name: getattr(args, name) for name, reference in REFERENCE_WEIGHTS.items()
            if getattr(args, name) != reference}


def command(args, protocol):
    """The `unit-tf train` command of this run; every loss weight and data option is spelled
    out, since the CPU flagfile it starts from holds the headline recipe (which may set them),
    not version_02's defaults."""
    channels_a, channels_b = channels(args, protocol)
    return (f"unit-tf train --flagfile=flags/da_{protocol}_cpu.flags "
            f"--data_dir={os.path.join(args.shared, 'datasets')} --max_steps={args.steps} "
            f"--ch_g={args.ch_g} --ch_d={args.ch_d} --batch_size={args.batch} "
            f"--seed={args.seed} --invert={args.invert} --augment={args.augment:g} "
            f"--recolour={args.recolour} --channels_a={channels_a} --channels_b={channels_b} "
            f"--classifier_front={args.classifier_front}" +
            "".join(f" --{name}={getattr(args, name):g}" for name in REFERENCE_WEIGHTS))


def run_name(args, protocol):
    """da_<protocol>, with _fw / _rw / _cw / _sw / _im<value> for each weight changed from the
    reference, _inv<domains> for inverted copies, _grey for a target read as grey,
    _aug<strength> for augmented training digits, _col<domains> for painted ones and
    _front<front> for a target classifier read through another first layer than its own."""
    short = {"feature_w": "fw", "recon_w": "rw", "cycle_w": "cw", "semantic_w": "sw",
             "info_max_w": "im"}
    return f"da_{protocol}" + "".join(f"_{short[name]}{value:g}"
                                      for name, value in changed_weights(args).items()) + (
        f"_inv{args.invert}" if args.invert else "") + ("_grey" if args.grey_target else "") + (
        f"_aug{args.augment:g}" if args.augment else "") + (
        f"_col{args.recolour}" if args.recolour else "") + (
        f"_front{args.classifier_front}" if args.classifier_front != "own" else "")


def target_balance(model, images):
    """prediction_balance of classify_b on unlabelled target training images."""
    from unit_tf.evaluation import predicted_classes, prediction_balance

    return round(prediction_balance(predicted_classes(model, images, "b")), 4)


def adapted(args, protocol):
    """Train in chunks of eval_every steps, evaluating classify_b on the target test set after
    each. The curve and the training seconds so far live in the run directory (curve.json), so
    a larger --steps extends an earlier run instead of re-evaluating its later checkpoint."""
    from unit_tf.data.digits import protocol_split
    from unit_tf.evaluation import classifier_accuracy
    from unit_tf.training import create_strategy, train

    run_dir = os.path.join(args.runs, run_name(args, protocol))
    record = os.path.join(run_dir, "curve.json")
    state = {"curve": [], "train_seconds": 0.0}
    if os.path.isfile(record):
        with open(record) as f:
            state = json.load(f)
    split = protocol_split(os.path.join(args.shared, "datasets"), protocol, args.seed)
    test_images, test_labels = split["test_b"]
    unlabelled = split["b"][0][:2000]
    done = state["curve"][-1]["step"] if state["curve"] else 0
    for step in range(done + args.eval_every, args.steps + 1, args.eval_every):
        started = time.perf_counter()
        model, _ = train(experiment(args, protocol, run_dir, step), create_strategy("default"))
        state["train_seconds"] += time.perf_counter() - started
        accuracy = classifier_accuracy(model, test_images, test_labels, "b")
        state["curve"].append({"step": step, "accuracy": round(accuracy, 4),
                               "target_prediction_balance": target_balance(model, unlabelled)})
        with open(record, "w") as f:
            json.dump(state, f, indent=2)
        print(f"{protocol} step {step}: target test accuracy {accuracy:.4f}", flush=True)
    curve = [p for p in state["curve"] if p["step"] <= args.steps]
    return curve, state["train_seconds"]


def training_digits(args, domain):
    """{invert, augment, recolour} of a baseline's training digits: the source-only classifier
    (domain a) trains on them as the adapted run does; the oracle (b) stays as it was defined,
    on the plain target digits."""
    if domain == "a":
        return {"invert": args.invert, "augment": args.augment, "recolour": args.recolour}
    return {"invert": "", "augment": 0.0, "recolour": ""}


def baseline_model(args, protocol):
    """The freshly seeded model of the baselines: each domain's classifier path is named
    explicitly (its own first layer), whatever --classifier_front the adapted run uses."""
    import keras

    from unit_tf.models import UNITDA

    config = dataclasses.replace(experiment(args, protocol, "", 1).model, classifier_front="own")
    keras.utils.set_random_seed(args.seed)
    return UNITDA(config, seed=args.seed).build_networks()


def classifier_alone(args, protocol, domain="a", info_max_w=0.0, steps=None):
    """(curve, model): the classifier path of `domain` (D's first layer of that domain, the
    shared layers and the class head) trained on that domain's training labels alone, for
    `steps` at --batch, evaluated on the target test set through the same path every
    --eval_every steps (given `steps`: once, at the end).

    domain "a" is the source-only baseline: applied to target images through the source
    domain's first layer. With `info_max_w` > 0 it also learns the information-maximisation
    terms on unlabelled target training images read through the same path, at the adapted run's
    ratio to the cross-entropy (info_max_w / cls_w): the ablation that shows what the shared
    latent adds to them. Otherwise it never sees the target. With --augment its training
    images (and those unlabelled target images) are augmented as the adapted run's
    (unit_tf.data.augment, a stateless seed per step), and with --recolour painted as the
    adapted run's (the domains it names).
    domain "b" is the target oracle: trained on the TARGET training subset's labels, which no
    adaptation result may use; it bounds what the architecture reaches and judges translations
    (`a2b_translation_accuracy`)."""
    import keras
    import numpy as np
    import tensorflow as tf

    from unit_tf.data.augment import augmented_digits
    from unit_tf.data.digits import protocol_split
    from unit_tf.data.images import to_signed
    from unit_tf.evaluation import classifier_accuracy
    from unit_tf.losses import (l2_penalty, prediction_entropy, prediction_imbalance,
                                softmax_cross_entropy)
    from unit_tf.config import UNITDALossWeights

    evaluate_every = args.eval_every if steps is None else steps
    steps = steps or args.steps
    info_max_ratio = info_max_w / UNITDALossWeights().cls_w  # the adapted run's D-loss ratio
    options = training_digits(args, domain)
    split = protocol_split(os.path.join(args.shared, "datasets"), protocol, args.seed,
                           options["invert"])
    model = baseline_model(args, protocol)
    path = [model.dis.d0[domain], *model.dis.shared, model.dis.class_head]
    variables = [v for layer in path for v in layer.trainable_variables]
    optimizer = keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.999)
    images, labels = split[domain]
    unlabelled = split["b"][0]
    rng = np.random.RandomState(args.seed)

    augment, recolour = options["augment"], options["recolour"]

    @tf.function
    def step(x, y, target, seed):
        x = augmented_digits(x, augment, "a" in recolour, seed)
        target = augmented_digits(target, augment, "b" in recolour, seed + [0, 1])
        with tf.GradientTape() as tape:
            loss = softmax_cross_entropy(model.classify(x, domain, training=True), y) + \
                5e-4 * l2_penalty(variables)
            if info_max_w > 0:
                logits = model.classify(target, domain, training=True)
                loss += info_max_ratio * (prediction_entropy(logits)
                                          + prediction_imbalance(logits))
        optimizer.apply(tape.gradient(loss, variables), variables)

    curve = []
    for i in range(1, steps + 1):
        pick = rng.randint(0, len(images), args.batch)
        target = unlabelled[rng.randint(0, len(unlabelled), args.batch)]
        step(to_signed(images[pick]), labels[pick], to_signed(target),
             tf.constant([args.seed, 2 * i], tf.int64))
        if i % evaluate_every == 0:
            accuracy = classifier_accuracy(model, *split["test_b"], domain=domain)
            curve.append({"step": i, "accuracy": round(accuracy, 4)})
    return curve, model


def baseline_settings(args, protocol, domain, info_max_w=0.0):
    """Everything a `classifier_alone` result depends on (the adapted run's weights do not
    enter it): the key of its entry in the baseline cache."""
    steps, every = (args.steps, args.eval_every) if domain == "a" else (args.oracle_steps,) * 2
    return {"protocol": protocol, "domain": domain, "seed": args.seed, "batch": args.batch,
            "ch_g": args.ch_g, "ch_d": args.ch_d, "channels": list(channels(args, protocol)),
            "steps": steps, "eval_every": every, **training_digits(args, domain),
            "info_max_w": info_max_w}


def code_commit():
    """The commit the benchmark runs at ("unknown" outside a git checkout), "+" if modified."""
    import subprocess

    def git(*words):
        return subprocess.run(["git", "-C", ROOT, *words], capture_output=True, text=True,
                              check=True).stdout.strip()
    try:
        return git("rev-parse", "--short", "HEAD") + ("+" if git("status", "--porcelain",
                                                                 "--untracked-files=no") else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def cached_classifier(args, protocol, domain, info_max_w=0.0):
    """(curve, model) of `classifier_alone`, kept under --runs/baselines/ by its settings: every
    variant of a protocol shares its baselines, and --baselines_only can train them beside a
    running adapted run. The entry records the commit that trained it; the model's weights are
    kept too (the oracle judges translations)."""
    settings = baseline_settings(args, protocol, domain, info_max_w)
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]
    path = os.path.join(args.runs, "baselines", f"{protocol}_{domain}_{digest}")
    if os.path.isfile(path + ".json") and os.path.isfile(path + ".weights.h5"):
        with open(path + ".json") as f:
            entry = json.load(f)
        if entry["settings"] == settings:
            model = baseline_model(args, protocol)
            model.load_weights(path + ".weights.h5")
            return entry, model
    started = time.perf_counter()
    curve, model = classifier_alone(args, protocol, domain, info_max_w,
                                    None if domain == "a" else args.oracle_steps)
    entry = {"settings": settings, "curve": curve, "commit": code_commit(),
             "train_seconds": round(time.perf_counter() - started, 1)}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model.save_weights(path + ".weights.h5")
    with open(path + ".json.partial", "w") as f:
        json.dump(entry, f, indent=2)
    os.replace(path + ".json.partial", path + ".json")  # the entry exists whole or not at all
    return entry, model


def source_only(args, protocol, info_max_w=0.0):
    """The source-only baseline's cache entry (`classifier_alone` of domain a): "curve",
    "commit"."""
    return cached_classifier(args, protocol, "a", info_max_w)[0]


def target_oracle(args, protocol):
    """(test accuracy, model) of the target oracle: `classifier_alone` of domain b for
    --oracle_steps (cached)."""
    entry, model = cached_classifier(args, protocol, "b")
    return entry["curve"][-1]["accuracy"], model


def baselines(args, protocol):
    """Train (or read from the cache) the oracle and the source-only baselines of a variant."""
    target_oracle(args, protocol)
    source_only(args, protocol)
    if args.info_max_w > 0:
        source_only(args, protocol, args.info_max_w)


def final_diagnostics(args, protocol, step, oracle=None, run_dir=None):
    """Readings of the run's checkpoint at `step` (its newest if that one is gone). Label-free:
    the prediction balance of classify_b on unlabelled target images, and the spread of its
    a2b translations of source images beside the spread of those images themselves (a spread
    near 0 means the generator ignores its input: then the shared code carries no digit to the
    target domain and adaptation has nothing to transfer). With the target `oracle` (trained on
    target labels, so a diagnostic only): the fraction of 1000 source training images whose
    a2b translation the oracle reads as the source label, i.e. whether the shared latent carries
    the digit across."""
    from unit_tf.data.digits import protocol_split
    from unit_tf.data.images import to_signed
    from unit_tf.evaluation import pixel_spread, translation_accuracy, translation_spread
    from unit_tf.models.registry import load_run

    run_dir = run_dir or os.path.join(args.runs, run_name(args, protocol))
    try:
        _, model, _ = load_run(run_dir, step)
    except (FileNotFoundError, ValueError):
        _, model, _ = load_run(run_dir)
    split = protocol_split(os.path.join(args.shared, "datasets"), protocol, args.seed)
    source, source_labels = split["a"][0][:1000], split["a"][1][:1000]
    readings = {"target_prediction_balance": target_balance(model, split["b"][0][:2000]),
                "a2b_translation_spread": round(translation_spread(model, source, "a2b"), 4),
                "source_image_spread": round(pixel_spread(to_signed(source)), 4)}
    if oracle is not None:
        readings["a2b_translation_accuracy"] = round(
            translation_accuracy(model, source, source_labels, oracle, "a2b"), 4)
    return readings


def measured(args, protocol):
    """The result of one variant run: the adapted run (trained or resumed to --steps), its
    readings, the target oracle and the source-only baselines."""
    curve, seconds = adapted(args, protocol)
    oracle_accuracy, oracle = target_oracle(args, protocol)
    baseline = source_only(args, protocol)
    commits = {"source_only": baseline["commit"]}
    ablation = {}
    if args.info_max_w > 0:
        with_im = source_only(args, protocol, args.info_max_w)
        ablation = {"source_only_info_max_accuracy": with_im["curve"][-1]["accuracy"],
                    "source_only_info_max_curve": with_im["curve"]}
        commits["source_only_info_max"] = with_im["commit"]
    return {
        "accuracy": curve[-1]["accuracy"],
        "best_seen_accuracy": max(p["accuracy"] for p in curve),
        "best_seen_note": "best target-test accuracy along the curve: the official "
                          "protocol's selection on target test labels",
        **final_diagnostics(args, protocol, curve[-1]["step"], oracle),
        **oracle_fields(args, oracle_accuracy),
        "source_only_accuracy": baseline["curve"][-1]["accuracy"],
        "source_only_curve": baseline["curve"],
        **ablation,
        "baseline_commits": commits,
        "paper_accuracy": PAPER[protocol],
        "steps": curve[-1]["step"], "batch_per_domain": args.batch,
        "widths": {"ch_g": args.ch_g, "ch_d": args.ch_d},
        "feature_w": args.feature_w, "recon_w": args.recon_w, "cycle_w": args.cycle_w,
        "semantic_w": args.semantic_w, "info_max_w": args.info_max_w,
        "invert": args.invert, "augment": args.augment, "recolour": args.recolour,
        "classifier_front": args.classifier_front,
        **dict(zip(("source_channels", "target_channels"), channels(args, protocol))),
        "train_seconds": round(seconds, 1), "curve": curve,
        "command": command(args, protocol),
        "machine": f"{os.cpu_count()} CPU cores, float32",
    }


def oracle_fields(args, accuracy):
    return {"target_oracle_accuracy": accuracy, "target_oracle_steps": args.oracle_steps,
            "target_oracle_note": "the same classifier trained on the target training "
                                  "subset's labels: an upper bound, and the judge of "
                                  "a2b_translation_accuracy; not an adaptation result"}


def rediagnosed(args, protocol, result):
    """`result` with every variant whose run directory still holds its last checkpoint read
    again by `final_diagnostics`, with a target oracle trained for its target channels."""
    oracles, variants = {}, {}
    for name, entry in result.get("variants", {}).items():
        run_dir = os.path.join(args.runs, name)
        if not os.path.isfile(os.path.join(run_dir, "config.json")):
            variants[name] = entry  # its run directory is gone: kept as recorded
            continue
        view = argparse.Namespace(**{**vars(args), "grey_target": entry.get(
            "target_channels") == 1 and CHANNELS[protocol][1] == 3})
        if view.grey_target not in oracles:
            oracles[view.grey_target] = target_oracle(view, protocol)
        accuracy, oracle = oracles[view.grey_target]
        readings = final_diagnostics(view, protocol, entry["steps"], oracle, run_dir)
        variants[name] = {**entry, **readings, **oracle_fields(args, accuracy)}
        print(f"{protocol} {name}: {readings}", flush=True)
    chosen = {}
    for name, entry in variants.items():
        chosen = select(chosen, name, entry)
    return chosen


def write_results(path, results):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".partial", "w") as f:
        json.dump(results, f, indent=2)
    os.replace(path + ".partial", path)


COLLAPSED_BELOW = 0.9  # target_prediction_balance under which a classifier counts as collapsed


def select(previous, name, entry):
    """The protocol's object: every variant run so far (by run name) and, as the headline, the
    one trained for the most steps among those whose classifier is not collapsed on UNLABELLED
    target images (target_prediction_balance >= COLLAPSED_BELOW; ties go to the higher
    balance): a choice that uses no target labels. Balance alone does not rank runs of
    different budgets (information maximisation drives every such run's balance near 1)."""
    variants = dict(previous.get("variants", {}))
    variants[name] = entry

    def rank(n):
        balance = variants[n].get("target_prediction_balance") or -1.0
        return balance >= COLLAPSED_BELOW, variants[n]["steps"], balance

    chosen = max(variants, key=rank)
    return {**variants[chosen], "run": chosen,
            "model_selection": "the last checkpoint of the variant trained for the most steps "
                               f"among those whose classifier is not collapsed on unlabelled "
                               f"target images (target_prediction_balance >= "
                               f"{COLLAPSED_BELOW}); no target labels used",
            "variants": variants}


def main(argv=None):
    from unit_tf.config import CLASSIFIER_FRONTS, INVERSIONS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default=os.path.join(ROOT, "..", "shared"))
    parser.add_argument("--protocols", nargs="+", default=list(PAPER))
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--eval_every", type=int, default=250)
    parser.add_argument("--ch_g", type=int, default=32)
    parser.add_argument("--ch_d", type=int, default=32)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--feature_w", type=float, default=REFERENCE_WEIGHTS["feature_w"],
                        help="weight of the feature-matching term (the reference: 1e-4)")
    parser.add_argument("--recon_w", type=float, default=REFERENCE_WEIGHTS["recon_w"],
                        help="weight of the reconstruction term (the reference: 1e-3)")
    parser.add_argument("--cycle_w", type=float, default=REFERENCE_WEIGHTS["cycle_w"],
                        help="weight of UNIT's cycle reconstruction (the reference trainer: 0)")
    parser.add_argument("--semantic_w", type=float, default=REFERENCE_WEIGHTS["semantic_w"],
                        help="weight of classify_b on a's translations with a's labels, both "
                             "players (not in the reference trainer: 0)")
    parser.add_argument("--info_max_w", type=float, default=REFERENCE_WEIGHTS["info_max_w"],
                        help="weight of information maximisation on unlabelled target images "
                             "(not in the reference trainer: 0); also trains the source-only "
                             "+ info max ablation")
    parser.add_argument("--invert", default="", choices=INVERSIONS,
                        help="domains whose training digits are doubled with inverted copies "
                             "(the adapted run and the source-only baselines alike)")
    parser.add_argument("--augment", type=float, default=0.0,
                        help="random zoom / rotation / shift strength of every training digit "
                             "(unit_tf.data.augment; the adapted run and the source-only "
                             "baselines alike, not the oracle); 0 = none")
    parser.add_argument("--recolour", default="", choices=INVERSIONS,
                        help="domains whose grey training digits are painted with a random "
                             "paper and ink colour each and read in colour (the adapted run "
                             "and the source-only baselines alike, not the oracle)")
    parser.add_argument("--classifier_front", default="own", choices=CLASSIFIER_FRONTS,
                        help="the first layer the adapted classifier reads the target through: "
                             "own (d0_b, version_02) or source (d0_a, the source-only "
                             "baseline's path; both domains read with the same channels)")
    parser.add_argument("--grey_target", action="store_true",
                        help="the model reads the target as one grey channel (the channel mean, "
                             "as the source-only baseline reads it; MNIST-M is colour)")
    parser.add_argument("--oracle_steps", type=int, default=5000,
                        help="steps of the target oracle (the classifier trained on target "
                             "labels that judges translations)")
    parser.add_argument("--baselines_only", action="store_true",
                        help="train (into --runs/baselines/) only the oracle and the source-only "
                             "baselines of this variant, e.g. beside its running adapted run; "
                             "the benchmark then reads them instead of training them")
    parser.add_argument("--rediagnose", action="store_true",
                        help="train nothing but the oracles: read every recorded variant of "
                             "--protocols again from its run directory's last checkpoint")
    parser.add_argument("--runs", default=os.path.join(ROOT, "benchmarks", "runs"))
    parser.add_argument("--output", default=os.path.join(ROOT, "benchmarks", "results",
                                                         "quality.json"))
    args = parser.parse_args(argv)
    if args.eval_every <= 0 or args.steps <= 0 or args.steps % args.eval_every:
        parser.error(f"--steps {args.steps} must be a positive multiple of --eval_every "
                     f"{args.eval_every}: runs train and are scored in chunks of --eval_every")
    if not os.path.isdir(os.path.join(args.shared, "datasets", "digits")):
        raise SystemExit(f"{args.shared}/datasets/digits is absent: pass --shared")
    for protocol in args.protocols:  # a refused combination stops before any training
        try:
            experiment(args, protocol, "", args.eval_every)
        except ValueError as error:
            parser.error(f"{protocol}: {error}")
    results = {}
    if os.path.isfile(args.output):
        with open(args.output) as f:
            results = json.load(f)
    for protocol in args.protocols:
        if args.baselines_only:
            baselines(args, protocol)
            continue
        if args.rediagnose:
            if protocol not in results:
                continue
            results[protocol] = rediagnosed(args, protocol, results[protocol])
        else:
            entry = measured(args, protocol)
            if os.path.isfile(args.output):  # re-read: another protocol may have finished since
                with open(args.output) as f:
                    results = json.load(f)
            results[protocol] = select(results.get(protocol, {}), run_name(args, protocol),
                                       entry)
        write_results(args.output, results)
    print(f"{'protocol':18} {'accuracy':>9} {'best seen':>9} {'source only':>11} "
          f"{'paper':>6} {'steps':>6} {'train s':>8}")
    for protocol, r in results.items():
        print(f"{protocol:18} {r['accuracy']:9.4f} {r['best_seen_accuracy']:9.4f} "
              f"{r['source_only_accuracy']:11.4f} {r['paper_accuracy'] or '-':>6} "
              f"{r['steps']:6d} {r['train_seconds']:8.0f}")


if __name__ == "__main__":
    main()
