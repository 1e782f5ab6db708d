"""Metrics of a trained run directory: what `unit-tf eval` reports, chosen by what the run is.

    a classifier (unit_da)      accuracy of the adapted classifier on a labelled set (default
                                the target test set of the run's protocol); also from a
                                SavedModel's classify_b signature
    multimodal (MUNIT)          style diversity and reconstruction on source-domain images
    trained on side-by-side     PSNR, SSIM, L1, pixel accuracy and sharpness of the translations
    A|B data                    against the paired truth (test/ or val/ split)
and, for every translator, standard FID/KID (evaluation/fid.py) of its translations of the
source test images against the target test images, when the FID weights are cached or can be
converted (`fid_skipped` says why not). A run that none of these fits is refused with the reason.
"""

import os

import tensorflow as tf

from unit_tf.config import RUN_CONFIG
from unit_tf.data import centred_pairs, decode_rgb, image_paths
from unit_tf.data.images import center_preprocess
from unit_tf.data.files import domain_folder
from unit_tf.data.sources import FolderSource, side_by_side_source
from unit_tf.evaluation.classifier import (PROTOCOL_TEST_SETS, classifier_accuracy,
                                           labelled_set, saved_model_accuracy)
from unit_tf.evaluation.diversity import evaluate_diversity
from unit_tf.export.serving import read_metadata, resolve_saved_model
from unit_tf.evaluation.paired import evaluate_paired, in_batches
from unit_tf.models import load_run, parse_direction


def evaluate_run(model_dir, input_path=None, direction=None, num_styles=4, seed=0,
                 max_images=100, labelled=None, fid="auto", checkpoint=None):
    """The metrics dict of the run in `model_dir` (its latest checkpoint; for a classifier also
    a SavedModel), with the step, the input it read and the direction. `input_path` defaults to
    the run's own test split; `direction` to a2b (paired runs: the direction the model
    translates first); `labelled` (classifiers) to the protocol's target test set. `fid`:
    'auto' adds FID/KID when the weights are available, 'on' requires them, 'off' skips.
    `checkpoint` (a step number or path) scores that checkpoint instead of the newest."""
    if not os.path.isfile(os.path.join(model_dir, RUN_CONFIG)):
        return saved_model_classifier_metrics(model_dir, labelled)
    config, model, step = load_run(model_dir, checkpoint)
    if model.classifier_domains:
        metrics = classifier_metrics(config, model, labelled)
    elif model.multimodal:
        metrics = diversity_metrics(config, model, input_path, direction or "a2b", num_styles,
                                    seed, max_images)
    elif config.data.layout == "side_by_side":
        metrics = paired_metrics_of(config, model, input_path, direction, max_images)
    elif fid == "off":
        raise ValueError(f"{model_dir!r} holds a {config.family} run on unpaired folders: "
                         "paired metrics need a run trained on side-by-side A|B data, "
                         "diversity needs a multimodal (MUNIT) run, and FID/KID (which scores "
                         "any translator) is switched off")
    else:
        metrics = {}
    if not model.classifier_domains and fid != "off":
        direction = direction or metrics.get("direction") or model.directions[0]
        metrics.update(fid_metrics_of(model, config, direction, input_path, max_images,
                                      required=fid == "on" or not metrics))
    metrics.update({"model_dir": model_dir, "step": step})
    return metrics


def fid_metrics_of(model, config, direction, input_path, max_images, required):
    """{'fid', 'kid', 'kid_std', ...} of the run's translations of the source test images
    (`input_path`, else the run's test split) against the target domain's test images; when
    the FID weights are missing and not `required`, {'fid_skipped': the reason}."""
    from unit_tf.evaluation.fid import compute_fid, image_set
    from unit_tf.evaluation.fid_weights import FIDWeightsError
    from unit_tf.export.inference import model_translator

    source, target = parse_direction(direction)
    data = config.data
    if data.layout == "side_by_side":
        folder = side_by_side_source(data.data_dir, "test").folder
        real = image_set(folder, half=target, limit=max_images)
        inputs, half = input_path or folder, "" if input_path else source
    else:
        real = image_set(domain_folder(data.data_dir, f"test{target.upper()}"), limit=max_images)
        inputs = input_path or domain_folder(data.data_dir, f"test{source.upper()}")
        half = ""
    translator = model_translator(model, direction)
    fake = image_set(inputs, half, max_images, translate=lambda image: translator(image)[0])
    try:
        result = compute_fid(real, fake, progress=False)
    except FIDWeightsError as e:
        if required:
            raise
        return {"fid_skipped": str(e)}
    return {**result, "fid_direction": direction}


def classifier_metrics(config, model, labelled):
    spec = labelled or PROTOCOL_TEST_SETS.get(config.data.protocol)
    if not spec:
        raise ValueError("this classifier run has no protocol: give the labelled set")
    images, labels, what = labelled_set(spec, config.data.data_dir)
    domain = model.classifier_domains[0]
    return {"accuracy": round(classifier_accuracy(model, images, labels, domain), 6),
            "images": len(labels), "input": what, "classifier": f"classify_{domain}"}


def saved_model_classifier_metrics(path, labelled):
    """Accuracy of a SavedModel's classify_<d> signature; the labelled set defaults to the
    protocol's test set recorded in the SavedModel's metadata."""
    saved = resolve_saved_model(path)
    info = read_metadata(saved)
    if not info.get("classifiers"):
        raise ValueError(f"{path!r} is a SavedModel without a classify_<domain> signature; "
                         "other SavedModels are evaluated from their run directory")
    data = info.get("config", {}).get("data", {})
    spec = labelled or PROTOCOL_TEST_SETS.get(data.get("protocol", ""))
    if not spec:
        raise ValueError(f"{path!r} records no protocol: give the labelled set")
    images, labels, what = labelled_set(spec, data.get("data_dir", ""))
    domain = info["classifiers"][0]
    signature = tf.saved_model.load(saved).signatures[f"classify_{domain}"]
    return {"accuracy": round(saved_model_accuracy(signature, images, labels), 6),
            "images": len(labels), "input": what, "classifier": f"classify_{domain}",
            "saved_model": saved, "step": info.get("step")}


def diversity_metrics(config, model, input_path, direction, num_styles, seed, max_images):
    """Style diversity over the source images of `input_path` (a file or folder; default the
    run's test split of the source domain), centre-processed at the crop size."""
    folder = input_path or os.path.join(config.data.data_dir, f"test{direction[0].upper()}")
    if not os.path.exists(folder):
        raise FileNotFoundError(f"input {folder!r} does not exist")
    paths = image_paths(folder)[:max_images]
    size = config.data.crop_size
    images = (center_preprocess(decode_rgb(tf.io.read_file(p)), config.data.load_size,
                                size)[None]
              for p in paths)
    metrics = evaluate_diversity(model, images, direction, num_styles, seed)
    metrics.update({"input": folder, "seed": seed, "direction": direction})
    return metrics


def paired_metrics_of(config, model, input_path, direction, max_images):
    """Paired metrics over the A|B images of `input_path` (or the run's test/ or val/ split),
    each half resized as the run's sample grids are, at the crop size."""
    if input_path:
        if not os.path.isdir(input_path):
            raise FileNotFoundError(f"input {input_path!r} is not a folder of A|B images")
        path = os.path.abspath(input_path)
        source = FolderSource(os.path.dirname(path), os.path.basename(path))
    else:
        source = side_by_side_source(config.data.data_dir, "test")
    direction = direction or model.directions[0]
    if direction not in model.directions:
        raise ValueError(f"direction={direction}: this {config.family} run translates "
                         f"{', '.join(model.directions)}")
    size = config.data.crop_size
    pairs = centred_pairs(source, max_images, size, size, config.data.resize)
    metrics = evaluate_paired(model, in_batches(pairs), direction)
    metrics.update({"input": source.what, "direction": direction})
    return metrics
