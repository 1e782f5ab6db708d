"""Flags -> ExperimentConfig for every family, parsed in-process as absl parses a command line."""

import contextlib

import pytest
from absl import flags

from unit_tf.cli import flags as train_flags


@contextlib.contextmanager
def parsed(*args):
    flags.FLAGS.unparse_flags()
    flags.FLAGS(["unit-tf train", *args])
    try:
        yield train_flags.to_config()
    finally:
        flags.FLAGS.unparse_flags()


def test_pix2pix_flagfile_gives_the_official_defaults_and_direction():
    with parsed("--flagfile=flags/pix2pix_facades.flags") as config:
        assert config.family == "pix2pix" and config.model.direction == "b2a"
        assert config.model.net_g == "unet_256" and config.model.norm == "bn"
        assert config.model.use_dropout and config.model.gan_type == "vanilla"
        assert config.loss_weights.lambda_L1 == 100.0 and config.loss_weights.dis_gan_w == 0.5
        assert (config.optim.lr, config.optim.weight_decay) == (2e-4, 0.0)
        assert (config.optim.n_epochs, config.optim.n_epochs_decay) == (100, 100)
        assert config.train.max_steps == -1  # the epochs decide
        assert config.data.layout == "side_by_side" and config.data.resize == "square"
        assert (config.data.load_size, config.data.crop_size) == (286, 256)


def test_cyclegan_defaults_without_a_flagfile():
    with parsed("--family=cyclegan", "--data_dir=x") as config:
        assert config.model.net_g == "resnet_9blocks" and config.model.pool_size == 50
        assert not config.model.use_dropout and config.model.gan_type == "lsgan"
        assert (config.loss_weights.lambda_A, config.loss_weights.lambda_identity) == (10, 0.5)
        assert config.optim.epoch_schedule and config.train.max_steps == -1
    with parsed("--family=cyclegan", "--max_steps=7", "--lr_policy=step") as config:
        assert config.train.max_steps == 7 and not config.optim.epoch_schedule


@pytest.mark.parametrize("args,message", [
    (["--family=cyclegan", "--dim=8"], "--dim do(es) not apply to CycleGANConfig"),
    (["--family=cyclegan", "--dis_norm=in"], "--dis_norm do(es) not apply to CycleGANConfig"),
    (["--family=cyclegan", "--direction=BtoA"], "--direction does not apply"),
    (["--family=unit", "--netG=unet_256"], "--netG do(es) not apply to UNITConfig"),
    (["--family=pix2pix", "--lambda_A=3"], "--lambda_A do(es) not apply"),
    (["--family=pix2pix", "--preset=paper"], "--preset='paper' is a UNIT preset"),
    (["--family=cyclegan", "--netG=unet_100"], "--netG='unet_100'"),
    (["--crop_size=300", "--load_size=256"], "--crop_size=300 is larger than --load_size=256"),
    (["--lr=0", "--family=munit"], "--lr=0.0 must be > 0"),
    (["--dis_n_layer=0"], "--dis_n_layer=0 must be > 0"),
    (["--lambda_L1=-1", "--family=pix2pix"], "--lambda_L1=-1"),
])
def test_flags_of_another_family_or_bad_values_are_refused_by_name(args, message):
    """The library names config fields (data.crop_size); the CLI shows the user's flags."""
    with pytest.raises(ValueError) as error:
        with parsed(*args):
            pass
    assert message in train_flags.flag_names(str(error.value))


@pytest.mark.parametrize("flagfile", ["unit_tiny", "munit_tiny", "cyclegan_tiny", "pix2pix_tiny",
                                      "pix2pix_facades", "da_mnist_to_usps_cpu", "unit_paper"])
def test_the_run_flags_file_holds_only_this_family_and_rebuilds_the_config(flagfile, tmp_path):
    with parsed(f"--flagfile=flags/{flagfile}.flags") as config:
        text = train_flags.run_flags_text(config)
    (tmp_path / "flags.txt").write_text(text)
    with parsed(f"--flagfile={tmp_path / 'flags.txt'}") as again:
        assert again == config
    names = {line.split("=")[0] for line in text.splitlines() if line.startswith("--")}
    assert f"--family={config.family}" in text and "--model_dir" in names
    other = {"unit": "--ngf", "munit": "--netG", "cyclegan": "--dis_dim",
             "pix2pix": "--n_shared_enc", "unit_da": "--netD"}[config.family]
    assert other not in names and "--flagfile" not in names
