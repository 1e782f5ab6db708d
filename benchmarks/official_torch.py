"""The official UNIT (mingyuliutw/UNIT master) networks and training iteration in PyTorch, written
here from the architecture (../shared/reference, ../shared/fixtures/README.md) so that speed can
be compared with the official code's own framework on the same CPU in the same run.

Module names follow the official `state_dict` keys (enc.model.0.conv.weight, cnns.0.3.bias, ...),
so the official parity fixtures load into it: tests/benchmarks/official_torch_test.py checks that
this VAEGen and MsImageDis reproduce the official outputs, i.e. that the network timed here is
the official one. The iteration is the official trainer's: `dis_update` (both generators run
forward with autograd on, their translations detached, LSGAN on both 3-scale discriminators),
then `gen_update` (recon, translation, re-encoding and cycle of both domains; L1, KL-like mean
of squares and LSGAN terms at the unit_*.yaml weights), Adam (1e-4, (0.5, 0.999), weight decay
1e-4) on each player. Needs torch (installed with `make .venv/.torch-fid`).
"""

import torch
from torch import nn
from torch.nn import functional as F


class LayerNorm(nn.Module):
    """The official decoder LayerNorm: per sample over C, H, W with the UNBIASED std, eps added
    to the std, then a per-channel gamma and beta."""

    def __init__(self, channels, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.gamma = nn.Parameter(torch.rand(channels))
        self.beta = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        flat = x.reshape(x.shape[0], -1)
        mean = flat.mean(1).view(-1, 1, 1, 1)
        std = flat.std(1).view(-1, 1, 1, 1)
        x = (x - mean) / (std + self.eps)
        return x * self.gamma.view(1, -1, 1, 1) + self.beta.view(1, -1, 1, 1)


ACTIVATIONS = {"relu": lambda: nn.ReLU(inplace=True), "lrelu": lambda: nn.LeakyReLU(0.2, True),
               "tanh": nn.Tanh, "none": None}


class Conv2dBlock(nn.Module):
    """Reflect pad, conv, norm (in: InstanceNorm2d without affine, ln, none), activation."""

    def __init__(self, cin, cout, kernel, stride, padding, norm="none", activation="relu"):
        super().__init__()
        self.pad = nn.ReflectionPad2d(padding)
        self.conv = nn.Conv2d(cin, cout, kernel, stride, bias=True)
        self.norm = {"in": lambda: nn.InstanceNorm2d(cout), "ln": lambda: LayerNorm(cout),
                     "none": lambda: None}[norm]()
        make = ACTIVATIONS[activation]
        self.activation = make() if make else None

    def forward(self, x):
        x = self.conv(self.pad(x))
        if self.norm is not None:
            x = self.norm(x)
        return self.activation(x) if self.activation is not None else x


class ResBlock(nn.Module):
    def __init__(self, dim, norm, activ):
        super().__init__()
        self.model = nn.Sequential(Conv2dBlock(dim, dim, 3, 1, 1, norm, activ),
                                   Conv2dBlock(dim, dim, 3, 1, 1, norm, "none"))

    def forward(self, x):
        return x + self.model(x)


class ResBlocks(nn.Module):
    def __init__(self, n, dim, norm, activ):
        super().__init__()
        self.model = nn.Sequential(*[ResBlock(dim, norm, activ) for _ in range(n)])

    def forward(self, x):
        return self.model(x)


class Sequence(nn.Module):
    """A named holder of one `model` sequence (the official Encoder / Decoder)."""

    def __init__(self, layers):
        super().__init__()
        self.model = nn.Sequential(*layers)

    def forward(self, x):
        return self.model(x)


class VAEGen(nn.Module):
    """UNIT master's generator: Encoder (7x7, n_downsample 4x4/2 convs, n_res res-blocks, IN)
    and Decoder (res-blocks with IN, then per stage nearest x2 + 5x5 conv + LN, then 7x7 tanh)."""

    def __init__(self, dim=64, n_downsample=2, n_res=4, activ="relu", input_dim=3):
        super().__init__()
        layers = [Conv2dBlock(input_dim, dim, 7, 1, 3, "in", activ)]
        for _ in range(n_downsample):
            layers.append(Conv2dBlock(dim, 2 * dim, 4, 2, 1, "in", activ))
            dim *= 2
        layers.append(ResBlocks(n_res, dim, "in", activ))
        self.enc = Sequence(layers)
        layers = [ResBlocks(n_res, dim, "in", activ)]
        for _ in range(n_downsample):
            layers += [nn.Upsample(scale_factor=2),
                       Conv2dBlock(dim, dim // 2, 5, 1, 2, "ln", activ)]
            dim //= 2
        layers.append(Conv2dBlock(dim, input_dim, 7, 1, 3, "none", "tanh"))
        self.dec = Sequence(layers)

    def encode(self, x):
        hidden = self.enc(x)
        return hidden, torch.randn_like(hidden)

    def decode(self, hidden):
        return self.dec(hidden)


class MsImageDis(nn.Module):
    """Multi-scale LSGAN discriminator: per scale n_layer 4x4/2 conv blocks (no norm, LeakyReLU
    0.2) and a 1x1 conv to one map; AvgPool2d(3, 2, 1, count_include_pad=False) between
    scales."""

    def __init__(self, dim=64, n_layer=4, num_scales=3, input_dim=3):
        super().__init__()
        self.downsample = nn.AvgPool2d(3, stride=2, padding=[1, 1], count_include_pad=False)

        def scale():
            width, layers = dim, [Conv2dBlock(input_dim, dim, 4, 2, 1, "none", "lrelu")]
            for _ in range(n_layer - 1):
                layers.append(Conv2dBlock(width, 2 * width, 4, 2, 1, "none", "lrelu"))
                width *= 2
            layers.append(nn.Conv2d(width, 1, 1, 1, 0))
            return nn.Sequential(*layers)

        self.cnns = nn.ModuleList([scale() for _ in range(num_scales)])

    def forward(self, x):
        outputs = []
        for model in self.cnns:
            outputs.append(model(x))
            x = self.downsample(x)
        return outputs

    def dis_loss(self, fake, real):
        return sum(torch.mean(f ** 2) + torch.mean((r - 1) ** 2)
                   for f, r in zip(self(fake), self(real)))

    def gen_loss(self, fake):
        return sum(torch.mean((f - 1) ** 2) for f in self(fake))


WEIGHTS = {"gan_w": 1.0, "recon_x_w": 10.0, "recon_kl_w": 0.01, "recon_x_cyc_w": 10.0,
           "recon_kl_cyc_w": 0.01}


class OfficialUNITIteration:
    """gen_a, gen_b, dis_a, dis_b and their Adam optimisers; `__call__(x_a, x_b)` is one
    official iteration (dis_update, then gen_update)."""

    def __init__(self, dim=64, n_res=4, dis_dim=64, seed=0):
        torch.manual_seed(seed)
        self.gen_a, self.gen_b = VAEGen(dim, n_res=n_res), VAEGen(dim, n_res=n_res)
        self.dis_a, self.dis_b = MsImageDis(dis_dim), MsImageDis(dis_dim)

        def adam(*nets):
            params = [p for net in nets for p in net.parameters()]
            return torch.optim.Adam(params, lr=1e-4, betas=(0.5, 0.999), weight_decay=1e-4)

        self.dis_opt = adam(self.dis_a, self.dis_b)
        self.gen_opt = adam(self.gen_a, self.gen_b)

    def dis_update(self, x_a, x_b):
        self.dis_opt.zero_grad()
        h_a, n_a = self.gen_a.encode(x_a)
        h_b, n_b = self.gen_b.encode(x_b)
        x_ba = self.gen_a.decode(h_b + n_b)
        x_ab = self.gen_b.decode(h_a + n_a)
        loss = WEIGHTS["gan_w"] * (self.dis_a.dis_loss(x_ba.detach(), x_a)
                                   + self.dis_b.dis_loss(x_ab.detach(), x_b))
        loss.backward()
        self.dis_opt.step()
        return loss

    def gen_update(self, x_a, x_b):
        self.gen_opt.zero_grad()
        w = WEIGHTS
        h_a, n_a = self.gen_a.encode(x_a)
        h_b, n_b = self.gen_b.encode(x_b)
        x_a_recon = self.gen_a.decode(h_a + n_a)
        x_b_recon = self.gen_b.decode(h_b + n_b)
        x_ba = self.gen_a.decode(h_b + n_b)
        x_ab = self.gen_b.decode(h_a + n_a)
        h_b_recon, n_b_recon = self.gen_a.encode(x_ba)
        h_a_recon, n_a_recon = self.gen_b.encode(x_ab)
        x_aba = self.gen_a.decode(h_a_recon + n_a_recon)
        x_bab = self.gen_b.decode(h_b_recon + n_b_recon)
        loss = (w["recon_x_w"] * (F.l1_loss(x_a_recon, x_a) + F.l1_loss(x_b_recon, x_b))
                + w["recon_kl_w"] * (torch.mean(h_a ** 2) + torch.mean(h_b ** 2))
                + w["recon_x_cyc_w"] * (F.l1_loss(x_aba, x_a) + F.l1_loss(x_bab, x_b))
                + w["recon_kl_cyc_w"] * (torch.mean(h_a_recon ** 2)
                                         + torch.mean(h_b_recon ** 2))
                + w["gan_w"] * (self.dis_a.gen_loss(x_ba) + self.dis_b.gen_loss(x_ab)))
        loss.backward()
        self.gen_opt.step()
        return loss

    def __call__(self, x_a, x_b):
        return (float(self.dis_update(x_a, x_b).detach()),
                float(self.gen_update(x_a, x_b).detach()))
