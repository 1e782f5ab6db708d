import numpy as np
from tests.conftest import DATASETS
from unit_tf.testing.tiny import tiny_experiment
from unit_tf.training import create_strategy, train

def test_probe(tmp_path):
    import os, tensorflow as tf
    if os.environ.get("NOGRAPPLER") == "meta": tf.config.optimizer.set_experimental_options({"disable_meta_optimizer": True})
    elif os.environ.get("NOGRAPPLER"): tf.config.optimizer.set_experimental_options({os.environ["NOGRAPPLER"]: False})
    def config(name, steps):
        return tiny_experiment("unit_da", DATASETS, tmp_path / name, steps,
                               data={"protocol": "mnist_to_usps", "flip": False})
    s, ls = train(config("straight", 4), create_strategy("default"))
    _, l2 = train(config("resumed", 2), create_strategy("default"))
    r, lr = train(config("resumed", 4), create_strategy("default"))
    d = sorted(((float(np.abs(x.numpy().astype(np.float64) - y.numpy()).max()), x.path) for x, y in zip(s.variables, r.variables)), reverse=True)
    print("LOGDIFF", {k: ls[k] - lr[k] for k in ls if ls[k] != lr[k]})
    print("VARDIFF", d[:6], sum(1 for x in d if x[0] > 0))
    assert d[0][0] == 0
