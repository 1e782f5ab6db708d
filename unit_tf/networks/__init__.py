"""Networks built from unit_tf layers."""

from unit_tf.networks.decoders import Decoder
from unit_tf.networks.discriminators import ConvDiscriminator, MultiScaleDiscriminator
from unit_tf.networks.encoders import ContentEncoder, StyleEncoder

__all__ = ["ContentEncoder", "ConvDiscriminator", "Decoder", "MultiScaleDiscriminator",
           "StyleEncoder"]
