import dataclasses
import json

import pytest

from unit_tf.config import (FAMILY_CONFIGS, DataConfig, ExperimentConfig, from_dict,
                            junyanz_optim, unit_preset)


@pytest.mark.parametrize("family", sorted(FAMILY_CONFIGS))
def test_every_family_round_trips_through_json(family):
    model_cls, weights_cls = FAMILY_CONFIGS[family]
    changed = {"unit_da": {"channels_b": 3}}.get(family, {"input_dim": 1})  # a non-default
    config = ExperimentConfig(family=family, model=model_cls(**changed),
                              loss_weights=weights_cls(gan_w=2.0),
                              data=DataConfig(load_size=72, crop_size=64))
    back = from_dict(ExperimentConfig, json.loads(config.to_json()))
    assert back == config
    assert type(back.model) is model_cls and type(back.loss_weights) is weights_cls


def test_nested_discriminator_and_partial_dicts_rebuild_their_classes():
    config = ExperimentConfig(model=unit_preset("paper", dis=dataclasses.replace(
        unit_preset("official").dis, num_scales=2)))
    values = config.to_dict()
    back = from_dict(ExperimentConfig, values)
    assert back.model.dis.num_scales == 2 and back.model.n_shared_enc == 1
    assert from_dict(ExperimentConfig, {"family": "pix2pix"}).optim == ExperimentConfig().optim
    assert junyanz_optim(n_epochs=5).n_epochs_decay == 100


def test_unknown_family_is_refused_by_name():
    with pytest.raises(ValueError, match="unknown model family 'stargan'"):
        from_dict(ExperimentConfig, {"family": "stargan"})


@pytest.mark.parametrize("family", sorted(FAMILY_CONFIGS))
def test_every_family_config_is_a_model_section_with_a_preset(family):
    from unit_tf.config import ModelConfig

    model_cls, _ = FAMILY_CONFIGS[family]
    assert issubclass(model_cls, ModelConfig) and model_cls.SECTION == "model"
    assert [f.name for f in dataclasses.fields(model_cls)][0] == "preset"
    assert model_cls().preset == "official"
    with pytest.raises(ValueError, match=r"^model\."):
        dataclasses.replace(model_cls(), **{next(
            f.name for f in dataclasses.fields(model_cls) if f.type in ("int", int)): -1})
