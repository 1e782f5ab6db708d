"""Analytic FLOPs of a traced graph: convolutions and matrix products, counted from the static
shapes of the graph's ops (a multiply-add is 2 FLOPs, the convention of the official FLOP figures
and of GEMM GFLOP/s). Element-wise work (norms, activations, optimiser updates) is not counted:
it is memory-bound and small beside the convolutions.

Per op, with the forward convolution's output [N, Ho, Wo, Co] and filter [kh, kw, Ci/groups, Co]:
    Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter   2 * N*Ho*Wo*Co * kh*kw*Ci/groups
(the two backward convolutions cost what the forward one does; a transposed convolution is a
Conv2DBackpropInput whose "output" is its input), and MatMul / BatchMatMul 2 * batch*M*K*N.
Functions called from the graph (PartitionedCall, XLA clusters, cond/while branches) are counted
through their FunctionDefs' shapes where TensorFlow recorded them; `function_flops` raises when it
meets one it cannot read, rather than under-count silently.
"""

import collections

import numpy as np
import tensorflow as tf

CONV_OPS = ("Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter")
MATMUL_OPS = ("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3")
CALL_OPS = ("PartitionedCall", "StatefulPartitionedCall")


def _shape(tensor):
    shape = tensor.shape
    if shape.rank is None or not shape.is_fully_defined():
        raise ValueError(f"{tensor.name} has no static shape ({shape}): trace with fixed shapes")
    return [int(d) for d in shape]


def conv_flops(op):
    """FLOPs of one Conv2D / Conv2DBackpropInput / Conv2DBackpropFilter op."""
    if op.type == "Conv2D":
        out, kernel = _shape(op.outputs[0]), _shape(op.inputs[1])
    elif op.type == "Conv2DBackpropInput":  # (input_sizes, filter, out_backprop)
        out, kernel = _shape(op.inputs[2]), _shape(op.inputs[1])
    else:  # Conv2DBackpropFilter: (input, filter_sizes, out_backprop) -> filter gradient
        out, kernel = _shape(op.inputs[2]), _shape(op.outputs[0])
    kh, kw, ci, co = kernel
    return 2 * int(np.prod(out[:-1])) * co * kh * kw * ci


def matmul_flops(op):
    """FLOPs of one MatMul / BatchMatMul op (transposes and adjoints read from its attributes)."""
    a, b = _shape(op.inputs[0]), _shape(op.inputs[1])
    if op.type == "MatMul":
        transpose_a, transpose_b = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    else:
        transpose_a, transpose_b = op.get_attr("adj_x"), op.get_attr("adj_y")
    m, k = (a[-1], a[-2]) if transpose_a else (a[-2], a[-1])
    n = b[-2] if transpose_b else b[-1]
    batch = int(np.prod(_shape(op.outputs[0])[:-2])) if len(a) > 2 or len(b) > 2 else 1
    return 2 * batch * m * k * n


def graph_flops(graph, by_type=None, ops=None):
    """Total FLOPs of `graph` (a tf.Graph / FuncGraph), descending into the functions it calls;
    `by_type`, a Counter, receives FLOPs per op type; `ops`, a list, receives one `op_record`
    per counted op."""
    by_type = collections.Counter() if by_type is None else by_type
    total = 0
    for op in graph.get_operations():
        flops = 0
        if op.type in CONV_OPS:
            flops = conv_flops(op)
        elif op.type in MATMUL_OPS:
            flops = matmul_flops(op)
        elif op.type in CALL_OPS or op.type in ("If", "StatelessIf", "While", "StatelessWhile"):
            total += _called_flops(graph, op, by_type, ops)
        if flops:
            by_type[op.type] += flops
            total += flops
            if ops is not None:
                ops.append(op_record(op, flops))
    return total


def op_record(op, flops):
    """What it takes to run `op` again on its own: type, input shapes and dtypes, attributes."""
    attrs = {name: op.get_attr(name) for name in ("strides", "padding", "dilations",
                                                   "explicit_paddings", "data_format",
                                                   "transpose_a", "transpose_b", "adj_x",
                                                   "adj_y") if name in op.node_def.attr}
    return {"type": op.type, "flops": flops, "attrs": attrs,
            "inputs": [(_shape(t), t.dtype.name) if t.dtype.is_floating else
                       (_constant_value(t), t.dtype.name) for t in op.inputs],
            "name": op.name}


def _constant_value(tensor):
    """The value of a shape argument (Conv2DBackprop*'s sizes): static, or read from its
    producer's shape."""
    value = tf.get_static_value(tensor)
    producer = tensor.op
    if value is None and producer.type in ("Shape", "ShapeN"):
        value = _shape(producer.inputs[tensor.value_index])
    if value is None:
        raise ValueError(f"{tensor.name}: the shape argument is not static")
    return [int(v) for v in value]


def _called_flops(graph, op, by_type, ops=None):
    """FLOPs of the functions an op calls, read from the graph's function library: a call or a
    loop body counts once, a conditional its costlier branch."""
    names = []
    for attr in ("f", "then_branch", "else_branch", "body"):
        try:
            names.append(op.get_attr(attr).name)
        except ValueError:
            continue
    counts = []
    for name in names:
        function = _find_function(graph, name)
        if function is None:
            raise ValueError(f"{op.name} calls {name}, which this graph's library does not hold")
        branch, records = collections.Counter(), []
        counts.append((graph_flops(function.graph, branch, records), branch, records))
    if not counts:
        return 0
    if op.type.endswith("If"):
        flops, branch, records = max(counts, key=lambda c: c[0])
    else:
        flops = sum(c[0] for c in counts)
        branch = sum((c[1] for c in counts), collections.Counter())
        records = [r for c in counts for r in c[2]]
    by_type.update(branch)
    if ops is not None:
        ops.extend(records)
    return flops


def _find_function(graph, name):
    while graph is not None:
        function = graph._functions.get(name) if hasattr(graph, "_functions") else None
        if function is not None:
            return function
        graph = getattr(graph, "outer_graph", None)
    return None


def function_flops(function, *args, by_type=None, ops=None):
    """FLOPs of one call of the tf.function (or Python callable) `function` on `args`
    (tensors or tf.TensorSpec with fully defined shapes); see `graph_flops` for by_type, ops."""
    if not isinstance(function, tf.types.experimental.GenericFunction):
        function = tf.function(function)
    concrete = function.get_concrete_function(*args)
    return graph_flops(concrete.graph, by_type, ops)
