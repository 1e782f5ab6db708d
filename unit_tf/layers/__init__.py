"""Keras 3 layers of unit_tf: one public layer per module."""

from unit_tf.layers.activation import make_activation
from unit_tf.layers.adain import AdaIN
from unit_tf.layers.bn_bias_block import BNBiasBlock
from unit_tf.layers.conv_block import ConvBlock, make_norm
from unit_tf.layers.dropout import SeededDropout
from unit_tf.layers.initializers import get_initializer
from unit_tf.layers.instance_norm import InstanceNorm
from unit_tf.layers.layer_norm import LayerNorm
from unit_tf.layers.noise import LatentNoise
from unit_tf.layers.padding import Pad2D
from unit_tf.layers.pooling import AvgPoolExcludePad
from unit_tf.layers.residual import ResBlock
from unit_tf.layers.transposed import TransposedConvBlock
from unit_tf.layers.upsample import UpsampleConvBlock

__all__ = ["AdaIN", "AvgPoolExcludePad", "BNBiasBlock", "ConvBlock", "InstanceNorm", "LatentNoise", "LayerNorm",
           "Pad2D", "ResBlock", "SeededDropout", "TransposedConvBlock", "UpsampleConvBlock", "get_initializer", "make_activation",
           "make_norm"]
