"""`unit-tf import-official`: an official PyTorch checkpoint -> a versioned SavedModel."""

import os

from absl import flags

from unit_tf.cli.errors import user_errors

FAMILY = flags.DEFINE_enum("family", "unit", ["unit", "munit", "cyclegan", "pix2pix"],
                           "Official code the checkpoint comes from: unit = mingyuliutw/UNIT "
                           "master, munit = NVlabs/MUNIT (`gen_XXXXXXXX.pt` pairs); cyclegan / "
                           "pix2pix = junyanz (`latest_net_G_A.pth` / `latest_net_G.pth`).")
CHECKPOINT_B2A = flags.DEFINE_string("checkpoint_b2a", None, "cyclegan: the second generator "
                                     "(`latest_net_G_B.pth`) for a b2a direction.")
DIRECTION = flags.DEFINE_enum("direction", "a2b", ["a2b", "b2a"], "cyclegan/pix2pix: the "
                              "direction --checkpoint translates (pix2pix BtoA: b2a).")
CHECKPOINT = flags.DEFINE_string("checkpoint", None, "gen_XXXXXXXX.pt ({'a': state_dict, 'b': "
                                 "state_dict}, read with torch.load(weights_only=True)) or an "
                                 ".npz with 'a/'- and 'b/'-prefixed state-dict keys.")
CONFIG = flags.DEFINE_string("config", None, "The official YAML (its gen: section gives activ "
                             "and pad_type; sizes are read from the checkpoint).")
EXPORT_DIR = flags.DEFINE_string("export_dir", None, "Base directory, e.g. savedmodels/NAME.")
VERSION = flags.DEFINE_integer("version", None, "Version number (default: next integer).")
flags.mark_flags_as_required(["checkpoint", "export_dir"])


def main(argv):
    if len(argv) > 1:
        raise SystemExit(f"unit-tf import-official: error: unexpected arguments {argv[1:]}")
    with user_errors("import-official"):
        from unit_tf.export import export_saved_model
        from unit_tf.official import import_official, read_official_yaml

        if CONFIG.value and not os.path.isfile(CONFIG.value):
            raise FileNotFoundError(f"--config {CONFIG.value!r} does not exist")
        yaml_config = read_official_yaml(CONFIG.value) if CONFIG.value else {}
        model, gen = import_official(FAMILY.value, CHECKPOINT.value, yaml_config,
                                     direction=DIRECTION.value,
                                     checkpoint_b2a=CHECKPOINT_B2A.value)
        metadata = {"family": FAMILY.value, "preset": "official",
                    "imported_from": os.path.abspath(CHECKPOINT.value),
                    "gen": gen}
        crop = yaml_config.get("crop_image_height")
        if crop and crop == yaml_config.get("crop_image_width"):
            metadata["config"] = {"data": {"crop_size": crop}}
        path = export_saved_model(model, EXPORT_DIR.value, VERSION.value, metadata=metadata)
        print(f"savedmodel: {path}")
