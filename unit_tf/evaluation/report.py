"""`unit-tf test`: translate a whole test split and write the images and an HTML page of
input | translation(s) | back-translation | ground truth, one row per test image (as junyanz's
results pages).

Inputs default to the run's own test split of the source domain (`<data_dir>/testA` for a2b, or
the source halves of `<data_dir>/test` (val) A|B pairs, whose other halves are the ground truth);
a SavedModel finds its run's data in its metadata. Images are resized to the training scale
first (`scale`: 'load_size' = the run's short-side (or square) resize, as the official test
scripts; 'original' = as they are).
"""

import dataclasses
import html
import os

import numpy as np
import tensorflow as tf

from unit_tf.config import RUN_CONFIG, ExperimentConfig, from_dict
from unit_tf.data.files import DataError, domain_folder, image_paths
from unit_tf.data.images import RESIZES, decode_rgb, split_side_by_side
from unit_tf.data.sources import side_by_side_source
from unit_tf.export.inference import StyleRequest, make_translators
from unit_tf.export.serving import read_metadata, resolve_saved_model
from unit_tf.models import parse_direction
from unit_tf.models.registry import read_run_config

SCALES = ("load_size", "original")


@dataclasses.dataclass
class TestImage:
    name: str
    image: np.ndarray  # uint8 [H, W, 3], the source-domain input
    truth: np.ndarray = None  # uint8 [H, W, 3], the paired target (side-by-side data)


def model_config(model_path):
    """The ExperimentConfig of a run directory or of the run a SavedModel was exported from."""
    if os.path.isfile(os.path.join(model_path, RUN_CONFIG)):
        return read_run_config(model_path)
    if model_path.endswith(".tflite"):
        return None
    values = read_metadata(resolve_saved_model(model_path)).get("config")
    return from_dict(ExperimentConfig, values) if values else None


def load_test_images(config, direction, input_path=None, max_images=None):
    """The TestImages of `input_path` (a folder or file; A|B pairs when `paired`) or of the
    run's test split."""
    source, target = parse_direction(direction)
    paired = config is not None and config.data.layout == "side_by_side"
    if input_path:
        if not os.path.exists(input_path):
            raise DataError(f"--input {input_path!r} does not exist")
        paths, paired = image_paths(input_path), False
    elif config is None:
        raise ValueError("this model records no data folder (a .tflite file, or a SavedModel "
                         "without metadata): give --input")
    elif paired:
        paths = side_by_side_source(config.data.data_dir, "test").paths
    else:
        paths = image_paths(domain_folder(config.data.data_dir, f"test{source.upper()}"))
    images = []
    for path in paths[:max_images]:
        image = decode_rgb(tf.io.read_file(path)).numpy()
        name = os.path.splitext(os.path.basename(path))[0]
        if paired:
            halves = [np.asarray(h) for h in split_side_by_side(image)]
            index = {"a": 0, "b": 1}
            images.append(TestImage(name, halves[index[source]], halves[index[target]]))
        else:
            images.append(TestImage(name, image))
    return images


def model_directions(model_path, config):
    """The directions a run, SavedModel or .tflite file translates."""
    if model_path.endswith(".tflite"):
        return ("a2b", "b2a")  # the file's one signature; a wrong one fails when called
    if not os.path.isfile(os.path.join(model_path, RUN_CONFIG)):
        recorded = read_metadata(resolve_saved_model(model_path)).get("directions")
        if recorded:
            return tuple(recorded)
    if config is not None and config.family == "pix2pix":
        return (config.model.direction,)
    return ("a2b", "b2a")


def rescale(image, config, scale):
    if scale == "original" or config is None:
        return image
    resized = RESIZES[config.data.resize](image, config.data.load_size)
    return tf.cast(tf.clip_by_value(tf.round(resized), 0, 255), tf.uint8).numpy()


def write_report(model_path, output_dir, direction="a2b", input_path=None, num_styles=1,
                 seed=0, max_images=None, checkpoint=None, scale="load_size"):
    """Translate the test images, write them under `output_dir`/images and the page
    `output_dir`/index.html; returns {'images': N, 'index': path, 'columns': [...]}."""
    if scale not in SCALES:
        raise ValueError(f"scale={scale!r} is not one of {', '.join(SCALES)}")
    config = model_config(model_path)
    source, target = parse_direction(direction)
    request = StyleRequest(num_styles, seed)
    available = model_directions(model_path, config)
    if direction not in available:
        raise ValueError(f"--direction={direction}: this model translates "
                         f"{', '.join(available)}")
    reverse = f"{target}2{source}"
    requests = {direction: request, **({reverse: None} if reverse in available else {})}
    translators = make_translators(model_path, requests, checkpoint)
    forward, backward = translators[direction], translators.get(reverse)
    images = load_test_images(config, direction, input_path, max_images)
    if not images:
        raise DataError("no test images found")
    folder = os.path.join(output_dir, "images")
    os.makedirs(folder, exist_ok=True)
    rows, columns = [], None
    for index, item in enumerate(images):
        cells = [("input", rescale(item.image, config, scale))]
        outputs = forward(cells[0][1], index)
        cells += [(direction if len(outputs) == 1 else f"{direction} style {k}",
                   np.asarray(out)) for k, out in enumerate(outputs)]
        if backward is not None:
            cells.append((f"back ({reverse})", np.asarray(backward(cells[1][1], index)[0])))
        if item.truth is not None:
            cells.append(("ground truth", rescale(item.truth, config, scale)))
        columns = columns or [label for label, _ in cells]
        files = []
        for label, image in cells:
            file = f"{item.name}_{label.split(' (')[0].replace(' ', '_')}.png"
            tf.io.write_file(os.path.join(folder, file), tf.io.encode_png(np.asarray(image)))
            files.append(f"images/{file}")
        rows.append((item.name, files))
    index_path = os.path.join(output_dir, "index.html")
    with open(index_path, "w") as f:
        f.write(render_page(model_path, direction, columns, rows))
    return {"images": len(rows), "index": index_path, "columns": columns}


def render_page(model_path, direction, columns, rows):
    head = "".join(f"<th>{html.escape(c)}</th>" for c in ["image"] + columns)
    body = "\n".join(
        "<tr><td>" + html.escape(name) + "</td>" + "".join(
            f'<td><img src="{html.escape(file)}" alt="{html.escape(name)} '
            f'{html.escape(column)}"></td>' for column, file in zip(columns, files)) + "</tr>"
        for name, files in rows)
    title = f"unit-tf test: {html.escape(model_path)} ({direction})"
    return (f"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title>\n"
            "<style>body{font-family:sans-serif} td,th{padding:4px;text-align:center} "
            "img{image-rendering:pixelated;min-width:96px}</style></head>\n"
            f"<body><h1>{title}</h1><p>{len(rows)} test images</p>\n"
            f"<table><tr>{head}</tr>\n{body}\n</table></body></html>\n")
