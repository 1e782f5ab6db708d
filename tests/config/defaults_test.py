import dataclasses

import pytest

from unit_tf.config import (CycleGANConfig, DataConfig, ExperimentConfig, MUNITConfig,
                            OptimConfig, Pix2PixLossWeights, TrainConfig, UNITLossWeights,
                            default_max_steps, defaults, junyanz_optim, paper_loss_weights,
                            resolve_schedule, unit_preset)


def test_unit_presets_and_their_optimisers():
    official = defaults("unit")
    assert official.model == unit_preset("official")
    assert official.loss_weights == UNITLossWeights() and official.optim == OptimConfig()
    paper = defaults("unit", "paper")
    assert paper.model.n_shared_enc == 1 and paper.loss_weights == paper_loss_weights()
    assert paper.optim.lr_policy == "constant"  # version_02 has no decay
    assert defaults("unit", "paper", lr_policy="step").optim == OptimConfig()


def test_junyanz_families_train_by_epochs_unless_another_policy_is_asked_for():
    cyclegan = defaults("cyclegan")
    assert cyclegan.model == CycleGANConfig() and cyclegan.optim == junyanz_optim()
    assert default_max_steps(cyclegan.optim) == -1
    by_steps = defaults("pix2pix", lr_policy="step").optim
    assert by_steps.n_epochs == 0 and not by_steps.epoch_schedule and by_steps.lr == 2e-4
    assert default_max_steps(by_steps) == TrainConfig.max_steps
    assert defaults("pix2pix").loss_weights == Pix2PixLossWeights()
    assert defaults("munit").model == MUNITConfig()


@pytest.mark.parametrize("family, preset, message", [
    ("stargan", "official", "family='stargan'"),
    ("unit", "v3", "preset='v3'"),
    ("munit", "paper", "UNIT preset; munit has 'official' only"),
])
def test_unknown_families_and_presets_are_refused_by_field(family, preset, message):
    with pytest.raises(ValueError, match=message):
        defaults(family, preset)


def test_resolve_schedule_fills_steps_per_epoch_and_max_steps():
    config = ExperimentConfig(optim=junyanz_optim(n_epochs=2, n_epochs_decay=3),
                              data=DataConfig(batch_size=4), train=TrainConfig(max_steps=-1))
    resolved = resolve_schedule(config, num_examples=10)
    assert resolved.optim.steps_per_epoch == 3  # ceil(10 / 4)
    assert resolved.train.max_steps == 15
    explicit = resolve_schedule(dataclasses.replace(config, train=TrainConfig(max_steps=7)), 10)
    assert explicit.train.max_steps == 7 and explicit.optim.steps_per_epoch == 3
    with pytest.raises(ValueError, match="needs optim.lr_policy='linear'"):
        resolve_schedule(ExperimentConfig(train=TrainConfig(max_steps=-1)), 10)


def test_config_errors_name_the_field_by_its_place_in_the_experiment():
    with pytest.raises(ValueError, match=r"data\.crop_size=300 is larger than data\.load_size"):
        DataConfig(load_size=256, crop_size=300)
    with pytest.raises(ValueError, match=r"model\.dis\.n_layer=0"):
        dataclasses.replace(unit_preset("official").dis, n_layer=0)
    with pytest.raises(ValueError, match=r"loss_weights\.gan_w=-1"):
        UNITLossWeights(gan_w=-1)
    with pytest.raises(ValueError, match=r"optim\.lr_policy='cosine'"):
        OptimConfig(lr_policy="cosine")
