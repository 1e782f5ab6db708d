"""Networks built from unit_tf layers."""

from unit_tf.networks.decoders import Decoder
from unit_tf.networks.discriminators import ConvDiscriminator, MultiScaleDiscriminator
from unit_tf.networks.encoders import ContentEncoder, StyleEncoder
from unit_tf.networks.mlp import MLP
from unit_tf.networks.patch_discriminator import PatchDiscriminator
from unit_tf.networks.pixel_discriminator import PixelDiscriminator
from unit_tf.networks.resnet_generator import ResnetGenerator
from unit_tf.networks.unet_generator import UnetGenerator
from unit_tf.networks.vgg import VGG16Features, vgg_preprocess

__all__ = ["MLP", "ContentEncoder", "ConvDiscriminator", "Decoder", "MultiScaleDiscriminator",
           "PatchDiscriminator", "PixelDiscriminator", "ResnetGenerator", "StyleEncoder", "UnetGenerator",
           "VGG16Features", "vgg_preprocess"]
