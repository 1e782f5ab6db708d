"""benchmarks/size_profile.py reads the profiler's executor threads right: kernels' exclusive
time (nested kernels and executor spans subtracted exactly), oneDNN's prefixes dropped, classes
summed with shares and GFLOP/s; and a real profile of a small function names its kernels."""

import collections
import glob
import os

import pytest
import tensorflow as tf
from tensorflow.tsl.profiler.protobuf import xplane_pb2

from tests.benchmarks import load

PS = 10 ** 6  # picoseconds in a microsecond


def space(lines):
    """An XSpace with one host plane; lines {name: [(event name, start us, duration us)]}."""
    xs = xplane_pb2.XSpace()
    plane = xs.planes.add(name="/host:CPU")
    ids = {}
    for line_name, events in lines.items():
        line = plane.lines.add(name=line_name)
        for name, start, duration in events:
            if name not in ids:
                ids[name] = len(ids) + 1
                plane.event_metadata[ids[name]].name = name
            line.events.add(metadata_id=ids[name], offset_ps=start * PS,
                            duration_ps=duration * PS)
    return xs


def test_op_types_drop_onednn_prefixes_and_skip_trace_points():
    module = load("size_profile")
    assert module.op_type("gen/conv:_MklNativeConv2D") == "Conv2D"
    assert module.op_type("x:_MklMatMul") == "MatMul"
    assert module.op_type("y:BatchMatMulV2") == "BatchMatMulV2"
    for name in ("ExecutorState::Process", "ParallelFor", "MemoryAllocation", "a:b:c"):
        assert module.op_type(name) is None
    assert module.op_class("Conv2DBackpropFilterWithBias") == "convolutions"
    assert module.op_class("BatchMatMulV2") == "winograd products"
    assert module.op_class("Relu") == module.OTHER


def test_exclusive_times_subtract_nested_kernels_and_count_executor_gaps():
    module = load("size_profile")
    xs = space({
        # executor span 0..100 us: a conv 10..40 with a nested matmul 15..25, a relu 50..60;
        # a ParallelFor trace point inside the conv is not a kernel
        "tf_Compute/1": [("ExecutorState::Process", 0, 100), ("c:_MklNativeConv2D", 10, 30),
                         ("m:_MklMatMul", 15, 10), ("ParallelFor", 16, 5),
                         ("r:Relu", 50, 10)],
        "tf_Compute/2": [("ExecutorState::Process", 200, 20), ("r2:Relu", 205, 10)],
        # not an executor thread: ignored
        "tf_numa_-1_Eigen/3": [("e:_MklMatMul", 0, 1000)],
    })
    times = module.executor_times(xs)
    assert times["Conv2D"] == [1, pytest.approx(20e-6)]
    assert times["MatMul"] == [1, pytest.approx(10e-6)]
    assert times["Relu"] == [2, pytest.approx(20e-6)]
    assert times[module.EXECUTOR] == [2, pytest.approx((100 - 30 - 10 + 20 - 10) * 1e-6)]

    rows = module.by_class(times, steps=2, pixels=10,
                           flops_by_type={"Conv2D": 4e-6 * 1e9, "MatMul": 0.0})
    assert sum(r["share"] for r in rows.values()) == pytest.approx(1.0)
    conv = rows["convolutions"]
    assert conv["ms_per_step"] == pytest.approx(10e-3)
    assert conv["ns_per_pixel"] == pytest.approx(1000.0)
    assert conv["events_per_step"] == 0.5
    assert conv["gflops"] == pytest.approx(0.4)  # 4,000 FLOP in 10 us a step
    assert rows[module.OTHER]["ms_per_step"] == pytest.approx(10e-3)
    assert "gflops" not in rows[module.OTHER]


def test_a_real_profile_names_its_kernels(tmp_path):
    module = load("size_profile")
    x = tf.random.stateless_normal([1, 32, 32, 16], seed=[1, 2])
    k = tf.random.stateless_normal([3, 3, 16, 16], seed=[3, 4])
    m = tf.random.stateless_normal([128, 128], seed=[5, 6])

    @tf.function
    def work(x, k, m):
        y = tf.nn.relu(tf.nn.conv2d(x, k, 1, "SAME"))
        return tf.reduce_sum(y) + tf.reduce_sum(tf.matmul(m, m))

    work(x, k, m)
    tf.profiler.experimental.start(str(tmp_path))
    work(x, k, m).numpy()
    tf.profiler.experimental.stop()
    (path,) = glob.glob(os.path.join(tmp_path, "**", "*.xplane.pb"), recursive=True)
    xs = xplane_pb2.XSpace()
    with open(path, "rb") as f:
        xs.ParseFromString(f.read())
    times = module.executor_times(xs)
    assert times["Conv2D"][0] == 1 and times["MatMul"][0] == 1
    assert all(seconds > 0 for _, seconds in (times["Conv2D"], times["MatMul"]))
    classes = collections.Counter(module.op_class(kind) for kind in times)
    assert classes["convolutions"] == 1 and classes["matmuls (transforms, dense)"] == 1
