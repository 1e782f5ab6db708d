import numpy as np
import tensorflow as tf

from unit_tf.training.image_pool import ImagePool


def constant(value, batch=1):
    return tf.fill([batch, 2, 2, 1], float(value))


def values(batch):
    return [float(v) for v in batch[:, 0, 0, 0].numpy()]


def test_fills_first_then_swaps_half_the_time():
    pool = ImagePool(3, (2, 2, 1), seed=0)
    assert values(pool.query(constant(1))) == [1.0]
    assert values(pool.query(tf.concat([constant(2), constant(3)], 0))) == [2.0, 3.0]
    assert int(pool.count.numpy()) == 3
    returned_old = 0
    seen = {1.0, 2.0, 3.0}
    for step in range(4, 604):
        (out,) = values(pool.query(constant(step)))
        if out != step:
            returned_old += 1
            assert out in seen  # an image that went into the pool earlier
        seen.add(float(step))
    assert 0.45 < returned_old / 600 < 0.55
    stored = sorted(float(v) for v in pool.images[:, 0, 0, 0].numpy())
    assert len(set(stored)) == 3 and all(v in seen for v in stored)


def test_same_seed_same_stream_and_zero_size_passes_through():
    outputs = []
    for _ in range(2):
        pool = ImagePool(2, (2, 2, 1), seed=7)
        outputs.append([values(pool.query(constant(i, 2))) for i in range(30)])
    assert outputs[0] == outputs[1]
    assert values(ImagePool(0, (2, 2, 1)).query(constant(5, 3))) == [5.0, 5.0, 5.0]


def test_checkpoint_resumes_the_pool_exactly(tmp_path):
    pool = ImagePool(4, (2, 2, 1), seed=3)
    for i in range(10):
        pool.query(constant(i))
    path = tf.train.Checkpoint(pool=pool).save(str(tmp_path / "pool"))
    expected = [values(pool.query(constant(100 + i))) for i in range(20)]
    restored = ImagePool(4, (2, 2, 1), seed=99)
    tf.train.Checkpoint(pool=restored).restore(path).assert_consumed()
    assert [values(restored.query(constant(100 + i))) for i in range(20)] == expected


def test_works_inside_tf_function():
    pool = ImagePool(2, (2, 2, 1), seed=1)
    query = tf.function(pool.query)
    outs = [values(query(constant(i, 2))) for i in range(5)]
    assert outs[0] == [0.0, 0.0] and np.isfinite(np.array(outs)).all()
    assert int(pool.count.numpy()) == 2
