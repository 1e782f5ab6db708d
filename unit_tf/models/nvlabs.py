"""What UNIT and MUNIT (mingyuliutw/UNIT master, NVlabs/MUNIT) share: the per-domain multi-scale
discriminators (`MsImageDis`), the generator/discriminator split, and the config round trip.

Paper-to-code notation: D_1, D_2 are discriminators["a"], discriminators["b"]; each returns one
[B, h_k, w_k, 1] float32 logit map per scale k.
"""

import keras

from unit_tf.models.base import ConfiguredModel, TwoPlayerVariables
from unit_tf.models.contract import DOMAINS, TranslationModel
from unit_tf.networks import MultiScaleDiscriminator


class NVLabsModel(TwoPlayerVariables, ConfiguredModel, TranslationModel, keras.Model):
    """Base of UNIT and MUNIT: `config_class` names the family's config dataclass."""

    def __init__(self, config=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.config = config = self.resolve_config(config)
        self.seed = seed
        dis = config.dis
        self.discriminators = {
            d: MultiScaleDiscriminator(dis.num_scales, dis.n_layer, dis.dim, dis.norm,
                                       dis.activ, dis.pad_type, 0.2, "gaussian",
                                       name=f"dis_{d}", dtype=self.dtype_policy)
            for d in DOMAINS}

    def discriminate(self, x, domain, training=False):
        """D_domain(x): list of [B, h_k, w_k, 1] float32 logit maps, one per scale."""
        return self.discriminators[domain](x, training=training)

    @property
    def stride(self) -> int:
        """Content-path stride: input sides must be multiples of it."""
        return self.config.stride

    @property
    def min_discriminator_size(self) -> int:
        """Smallest image side every discriminator scale accepts (reflect padding needs >= 2
        pixels before its last conv): 2^(n_layer + num_scales - 1)."""
        return 2 ** (self.config.dis.n_layer + self.config.dis.num_scales - 1)

    def build_discriminators(self, x):
        """Create the discriminators' variables (x: zeros at the build size), domain a first."""
        for d in DOMAINS:
            self.discriminate(x, d)
