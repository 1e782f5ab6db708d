"""tf.data input pipelines."""

from unit_tf.data.files import DataError, image_paths
from unit_tf.data.images import decode_rgb, to_signed, to_uint8
from unit_tf.data.paired import PairedData, centred_pairs
from unit_tf.data.unpaired import UnpairedData

__all__ = ["DataError", "PairedData", "UnpairedData", "centred_pairs", "decode_rgb", "image_paths",
           "to_signed", "to_uint8"]
