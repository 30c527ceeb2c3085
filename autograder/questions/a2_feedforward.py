"""Assignment 2: feed-forward networks, layer shapes, parameter counts (plain and maxout) and the
notes' two weight conventions (the course's W (n_out, n_in), note 004's W (n_in, n_out))."""
from __future__ import annotations

from typing import Callable

import numpy as np

from autograder.questions.inputs import layer, params, rows
from autograder.questions.registry import Args, Case, Mistake, register
from autograder.questions.variants import identity, unstable_softmax
from nn_core import activations, answers, conventions, network


def _sizes(rng: np.random.Generator, max_layers: int = 4, max_width: int = 30) -> list[int]:
    return [int(n) for n in rng.integers(1, max_width + 1, size=int(rng.integers(3, max_layers + 2)))]


def _sizes_edges(rng: np.random.Generator) -> list[Case]:
    return [Case("the lecture's 5-10-20-3", ([5, 10, 20, 3],)), Case("one layer", ([1, 1],)),
            Case("deep", (_sizes(rng, max_layers=6),))]


def _pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:]))


register("layer_shapes", network.layer_shapes, lambda rng: (_sizes(rng),), _sizes_edges, [
    Mistake("W as (n_in, n_out)", "in this course W has shape (n_out, n_in), like the lecture's 3x5 example "
            "and torch.nn.Linear; you returned (n_in, n_out).",
            lambda sizes: [((n_in, n_out), (n_out,)) for n_in, n_out in _pairs(sizes)]),
    Mistake("b sized by the inputs", "b has one entry per neuron of the layer: shape (n_out,), not (n_in,).",
            lambda sizes: [((n_out, n_in), (n_in,)) for n_in, n_out in _pairs(sizes)]),
    Mistake("one layer too few", "sizes = [n_0, ..., n_L] describes L layers (one per consecutive pair of "
            "sizes): you left out the last one.", lambda sizes: [((o, i), (o,)) for i, o in _pairs(sizes)[:-1]]),
    Mistake("b as a column (n_out, 1)", "b is a vector with one entry per neuron: its shape is (n_out,), a "
            "1-tuple, not (n_out, 1).", lambda sizes: [((o, i), (o, 1)) for i, o in _pairs(sizes)]),
], arguments=("sizes",), forms=("((n_out, n_in), (n_out,))",))

register("param_count", network.param_count, lambda rng: (_sizes(rng),), _sizes_edges, [
    Mistake("forgot the biases", "you counted only the weights: the biases are parameters too.",
            lambda sizes: sum(a * b for a, b in _pairs(sizes))),
    Mistake("biases counted per input", "a layer has one bias per neuron (the shape of b), not one per input.",
            lambda sizes: sum(a * b + a for a, b in _pairs(sizes))),
    Mistake("one layer too few", "sizes = [n_0, ..., n_L] describes L layers: count every consecutive pair, "
            "including the last.", lambda sizes: sum(a * b + b for a, b in _pairs(sizes)[:-1])),
    Mistake("counted the neurons", "you counted neurons, not parameters: count the entries of every W and b "
            "(their shapes are your layer_shapes).", lambda sizes: sum(sizes)),
], arguments=("sizes",))


def _dense_case(rng: np.random.Generator, m: int | None = None) -> Args:
    m = rows(rng, m)
    n_in, n_out = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    return (rng.normal(size=(m, n_in)), *layer(rng, n_out, n_in))


register("dense_forward", network.dense_forward, _dense_case, lambda rng: [
    Case("m = 1", _dense_case(rng, m=1)),
    Case("zeros", (np.zeros((3, 4)), *layer(rng, 2, 4))),
    # m = n_out != n_in: a bias reshaped to a column broadcasts (wrongly) instead of raising,
    # so it is told apart from the matmuls that do not conform
    Case("as many rows as units", (rng.normal(size=(3, 2)), *layer(rng, 3, 2))),
], [
    Mistake("forgot the bias", "your result has no bias: z = W x + b for every row.",
            lambda X, W, b: X @ W.T),
    Mistake("W taken as (n_in, n_out)", "W is (n_out, n_in) and X has one example per row: your product treats W "
            "as (n_in, n_out) (it gives the wrong numbers when the two sizes agree); work out W x for one row x "
            "and write that for every row at once.", lambda X, W, b: X @ W + b),
    Mistake("bias as a column", "b has shape (n_out,) and adds to every row as it is; reshaped to a column "
            "(n_out, 1) it broadcasts the wrong way.", lambda X, W, b: X @ W.T + b.reshape(-1, 1)),
    Mistake("W x in column form", "your result has one example per COLUMN, shape (n_out, m): the course's "
            "batch has one example per ROW, in X and in the result (m, n_out).", lambda X, W, b: W @ X.T + b[:, None]),
    Mistake("applied an activation", "dense_forward is the affine map only: the activation comes after it, in "
            "forward.", lambda X, W, b: activations.sigmoid(X @ W.T + b)),
])


def _forward_case(rng: np.random.Generator, m: int | None = None, scale: float = 1.0,
                  output_scale: float = 1.0, sizes: list[int] | None = None) -> Args:
    m = rows(rng, m, high=5)
    if sizes is None:
        sizes = [int(n) for n in rng.integers(1, 6, size=int(rng.integers(3, 5)))]
        sizes[-1] = max(sizes[-1], 2)
    layers = params(rng, sizes, scale)
    if output_scale != 1.0:  # output logits in the thousands, the first one surely above 709
        W, b = layers[-1]
        W, b = W * output_scale, b * output_scale
        b[0] = np.abs(W[0]).sum() + 1000.0  # hidden sigmoids are in (0, 1): z_0 >= 1000
        layers[-1] = (W, b)
    return rng.normal(size=(m, sizes[0])), layers


def _forward_with(X, layers, hidden: Callable, output: Callable):
    A = X
    for index, (W, b) in enumerate(layers):
        Z = A @ W.T + b
        A = output(Z) if index == len(layers) - 1 else hidden(Z)
    return A


def _forward_edges(make: Callable) -> Callable:
    """The edge cases of a forward pass whose inputs ``make(rng, **options)`` draws."""
    return lambda rng: [
        Case("m = 1", make(rng, m=1)),
        Case("large |z|", make(rng, scale=30.0)),
        Case("output logits in the thousands", make(rng, output_scale=3000.0)),
        # square layers: a transpose forgotten (or added) gives wrong numbers here instead of a shape error
        Case("square layers", make(rng, sizes=[3, 3, 3])),
        # a network of one layer is its output layer alone: no hidden activation anywhere (square, so that
        # a hidden activation applied too gives wrong numbers rather than a shape error)
        Case("one layer", make(rng, sizes=[3, 3])),
    ]


register("forward", answers.forward, _forward_case, _forward_edges(_forward_case), [
    Mistake("sigmoid output", "the output layer uses softmax (a probability per class), not sigmoid.",
            lambda X, p: _forward_with(X, p, activations.sigmoid, activations.sigmoid)),
    Mistake("no hidden activation", "apply the sigmoid after every hidden layer.",
            lambda X, p: _forward_with(X, p, identity, activations.softmax)),
    Mistake("unstable softmax", "unstable softmax in the output layer: subtract each row's maximum before exp.",
            lambda X, p: _forward_with(X, p, activations.sigmoid, unstable_softmax)),
    Mistake("no output softmax", "the output layer applies softmax to z^L: you returned the logits z^L.",
            lambda X, p: _forward_with(X, p, activations.sigmoid, identity)),
    Mistake("softmax on every layer", "hidden layers use the sigmoid; only the output layer uses softmax.",
            lambda X, p: _forward_with(X, p, activations.softmax, activations.softmax)),
    Mistake("sigmoid then softmax on the output", "the output layer applies softmax to z^L directly; you applied "
            "the sigmoid first (only hidden layers use it).",
            lambda X, p: activations.softmax(_forward_with(X, p, activations.sigmoid, activations.sigmoid))),
    Mistake("W taken as (n_in, n_out)", "W is (n_out, n_in) and a batch has one example per row: your layers treat "
            "W as (n_in, n_out); use your dense_forward for every layer.", lambda X, p: _forward_with(X, [(W.T, b) for W, b in p], activations.sigmoid,
                                                         activations.softmax)),
    Mistake("ReLU hidden layers", "this network's hidden layers use the sigmoid (backprop's network uses ReLU; "
            "this one does not).", lambda X, p: _forward_with(X, p, lambda Z: np.maximum(Z, 0.0), activations.softmax)),
    Mistake("the first layer's W, b for every layer (the notes' notation)", "each layer l has its own W^l and b^l: "
            "params[l] for layer l (the notes leave the layer index off w and b: errata.md, #21); you used "
            "the first layer's for all of them.", lambda X, p: _forward_with(X, [p[0]] * len(p), activations.sigmoid,
                                                                             activations.softmax)),
])


# --------------------------------------------------------------------------- maxout parameter counts
def _layer_counts(sizes, k_in: int = 1) -> list[tuple[int, int]]:
    """(weights, biases) of each layer; ``k_in`` multiplies the inputs of every layer after the first."""
    return [(n_out * n_in * (k_in if index else 1), n_out) for index, (n_in, n_out) in enumerate(_pairs(sizes))]


def _maxout_count(sizes, k, *, output_k: int = 1, bias_k: bool = True, biases: bool = True,
                  k_in: int = 1) -> int:
    counts = _layer_counts(sizes, k_in)
    hidden = sum(k * w + (k if bias_k else 1) * b * biases for w, b in counts[:-1])
    w, b = counts[-1]
    return int(hidden + output_k * (w + b * biases))


def _maxout_case(rng: np.random.Generator) -> Args:
    return _sizes(rng), int(rng.integers(2, 6))


register("param_count_maxout", conventions.param_count_maxout, _maxout_case, lambda rng: [
    Case("the lecture's 5-10-20-3", ([5, 10, 20, 3], int(rng.integers(2, 5)))),
    Case("k = 1", (_sizes(rng), 1)),
    Case("one layer", ([int(rng.integers(2, 9)), int(rng.integers(2, 9))], 3)),
], [
    Mistake("maxout output layer", "only the hidden units are maxout units: the output layer is an ordinary "
            "layer, one weight row and one bias per output, whatever k is.",
            lambda sizes, k: _maxout_count(sizes, k, output_k=k)),
    Mistake("k pieces fed forward", "a maxout unit passes ONE value on, the largest of its k pieces: the next "
            "layer still has one input per unit of this layer, not k.",
            lambda sizes, k: _maxout_count(sizes, k, k_in=k)),
    Mistake("one bias per maxout unit", "each of a unit's k pieces is an affine map with its own bias: a layer "
            "of maxout units has k bias vectors, not one.", lambda sizes, k: _maxout_count(sizes, k, bias_k=False)),
    Mistake("plain count", "with k pieces every hidden unit has k affine maps of its inputs, each with its own "
            "weights and bias: your count is the plain network's.", lambda sizes, k: _maxout_count(sizes, 1)),
    Mistake("forgot the biases", "you counted only the weights: every piece of a hidden unit, and every output "
            "unit, also has a bias.", lambda sizes, k: _maxout_count(sizes, k, biases=False)),
], arguments=("sizes", "k"))


# --------------------------------------------------------------------------- note 004's convention
def _params_004_case(rng: np.random.Generator, sizes: list[int] | None = None) -> list:
    if sizes is None:
        sizes = [int(n) for n in rng.integers(2, 6, size=int(rng.integers(3, 5)))]
    return [(W.T.copy(), b) for W, b in params(rng, sizes)]


def _transpose_all_but(index: int) -> Callable:
    def wrong(p):
        return [(W if k == index % len(p) else W.T, b) for k, (W, b) in enumerate(p)]
    return wrong


register("to_course_convention", conventions.to_course_convention, lambda rng: (_params_004_case(rng),),
         lambda rng: [
             Case("one layer", (_params_004_case(rng, [4, 2]),)),
             # square layers: a reshape or a forgotten transpose gives wrong numbers instead of a wrong shape
             Case("square layers", (_params_004_case(rng, [3, 3, 3]),)),
             Case("the lecture's 5-10-20-3", (_params_004_case(rng, [5, 10, 20, 3]),)),
         ], [
    Mistake("returned as given", "you returned the parameters unchanged: note 004's W^l is (n_(l-1), n_l), "
            "inputs by outputs, and the course's is (n_out, n_in). Work out where entry (i, j) of one belongs "
            "in the other.",
            lambda p: [(W, b) for W, b in p]),
    Mistake("reshaped instead of transposed", "reshaping W to (n_out, n_in) keeps numpy's row-major order of "
            "its entries, so weights land on the wrong neurons: the shape is right, the entries are not where "
            "they belong (entry W_004[i, j] is the weight from input i to neuron j).",
            lambda p: [(W.reshape(W.shape[1], W.shape[0]), b) for W, b in p]),
    Mistake("last layer not translated", "every layer needs the translation, the last (output) layer too.",
            _transpose_all_but(-1)),
    Mistake("first layer not translated", "every layer needs the translation, the first layer too.",
            _transpose_all_but(0)),
    Mistake("layers in reverse order", "keep the layers in order, first layer first: translating the weights "
            "does not reverse the network.", lambda p: [(W.T, b) for W, b in reversed(p)]),
    Mistake("bias as a column", "b is a vector with one entry per neuron in both conventions: its shape stays "
            "(n_out,), not (n_out, 1).", lambda p: [(W.T, b.reshape(-1, 1)) for W, b in p]),
], arguments=("params_004",), keeps_inputs=True)


def _forward_004_case(rng: np.random.Generator, m: int | None = None, scale: float = 1.0,
                      output_scale: float = 1.0, sizes: list[int] | None = None) -> Args:
    X, layers = _forward_case(rng, m=m, scale=scale, output_scale=output_scale, sizes=sizes)
    return X, [(W.T.copy(), b) for W, b in layers]


def _forward_004_with(hidden: Callable, output: Callable, transpose: bool = True) -> Callable:
    def wrong(X, p):
        return _forward_with(X, [(W.T if transpose else W, b) for W, b in p], hidden, output)
    return wrong


register("forward_004", conventions.forward_004, _forward_004_case, _forward_edges(_forward_004_case), [
    Mistake("the course's convention applied to note 004's W", "here W^l is (n_(l-1), n_l), inputs by outputs "
            "(note 004): you computed the layers as for the course's W of shape (n_out, n_in). Check which axis "
            "of this W meets the inputs.", _forward_004_with(activations.sigmoid, activations.softmax, transpose=False)),
    Mistake("sigmoid output", "the output layer uses softmax (a probability per class), not sigmoid.",
            _forward_004_with(activations.sigmoid, activations.sigmoid)),
    Mistake("no hidden activation", "apply the sigmoid after every hidden layer.",
            _forward_004_with(identity, activations.softmax)),
    Mistake("no output softmax", "the output layer applies softmax to z^L: you returned the logits z^L.",
            _forward_004_with(activations.sigmoid, identity)),
    Mistake("unstable softmax", "unstable softmax in the output layer: subtract each row's maximum before exp.",
            _forward_004_with(activations.sigmoid, unstable_softmax)),
])
