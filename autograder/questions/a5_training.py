"""Assignment 5: the initialisation and the training loop, judged rather than compared.

``init_params`` is judged on the statistics of what it returns (shapes, zero biases, the
weights' mean and spread: :func:`autograder.checks.judged.init_problem`), never on its
random numbers. ``train``, the student's loop, is ONE question whose cases are the notes'
three networks (:data:`NETWORKS`: regression, binary, multi-class), each on three kinds of
case (:class:`TrainingJudge`), every case worth the same share of the points:

* metric cases, on the training split: the grader computes the network's metric on the test
  split, which it keeps (``Case.held_out``), with ``nn_core``, and compares it with the
  threshold of the network's ``settings`` in course.yml; random cases vary the seed, the
  subset of the training rows and, only towards more training, the settings;
* exact replays (``replay_*`` settings): a few training rows, one batch size that does not
  divide them and one that does (a loop that stops one batch early fails that one), a few epochs; the returned parameters must equal those of the loop the
  notebook states, replayed in the grader (:func:`nn_core.training.train_network`) with the
  case's seed for the shuffling, **from the student's own initialisation**: the grader calls
  the student's ``init_params(sizes, seed)`` beside ``train`` (the ``with_init`` adapter,
  :mod:`autograder.checks.adapters`) and starts the replay from what it returned when it
  holds the stated draw's numbers in any arrangement (:func:`autograder.checks.judged.same_draw`;
  e.g. He weights drawn as (n_in, n_out) and transposed), else from the stated draw. So the
  order of the draws costs nothing here (``init_params`` has its own question), and an absurd
  initialisation (zeros, say, which freeze all but the output bias) makes no loop easier to
  pass. A loop that skips each epoch's last, shorter batch (PyTorch's ``drop_last=True``) is
  accepted as well: the notebook says so. A careless loop fails them; those of
  :data:`CARELESS` are named.

The notebook's table of every run is :func:`settings_table` of course.yml.
"""
from __future__ import annotations

import hashlib
import re

from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from autograder.questions.registry import Case, Judgement, Mistake, register
from autograder.checks.judged import (INIT_MISTAKES, REPLAY_MISMATCH, STRUCTURE_MESSAGES, init_problem,
                                      replay_message, same_draw, same_params, REPLAY_RTOL, REPLAY_ATOL,
                                      judge_message, layers_problem)
from autograder.checks.adapters import TRAIN_OUTPUTS
from autograder.checks.public import encode
from nn_core import answers, data, network, training

#: The networks ``train`` is graded on, in the order of its cases: task (nn_core.training.NETWORKS)
#: -> (the output activation the student's ``train`` is called with, the data set of nn_core.data).
NETWORKS = {"regression": ("linear", "diabetes"), "binary": ("sigmoid", "breast_cancer"),
            "classifier": ("softmax", "digits")}
TASK_OF_OUTPUT = {output: task for task, (output, _) in NETWORKS.items()}


def output_name(kind: int | str) -> str:
    """``train``'s ``output`` as the student reads it: a case holds it as an index into
    :data:`autograder.checks.adapters.TRAIN_OUTPUTS` (the sandbox carries numbers), which the
    ``with_init`` adapter turns into the name."""
    return kind if isinstance(kind, str) else TRAIN_OUTPUTS[int(kind)]
METRIC_NAMES = {"r2": "R^2", "accuracy": "accuracy", "loss": "loss"}
SUBSET = 0.9  # share of the training rows a random case trains on


# --------------------------------------------------------------------------- init_params
def _init_case(rng: np.random.Generator, layers: int | None = None) -> tuple:
    """Wide layers (each W has hundreds of entries, so its statistics are sharp) whose widths
    shrink by a factor of 2 or more (so a scale by n_out instead of n_in shows)."""
    layers = layers or int(rng.integers(2, 4))
    sizes = [int(rng.integers(160, 240))]
    for _ in range(layers):
        sizes.append(int(sizes[-1] // rng.uniform(2.0, 3.0)))
    sizes[-1] = max(sizes[-1], 8)
    return sizes, int(rng.integers(0, 2**31))


class InitJudge:
    """Judges an initialisation by its statistics (:func:`autograder.checks.judged.init_problem`)."""

    def __call__(self, case: Case, got: Any, settings: Mapping[str, Any]) -> Judgement:
        problem = init_problem(case.args[0], got)
        return Judgement(not problem, problem, judge_message(problem) if problem else "")

    def public(self, cases: list[Case], settings: Mapping[str, Any]) -> dict:
        return {"judge": {"kind": "init"}, "cases": [{"label": c.label, "args": encode(c.args)} for c in cases]}


def _mistaken_init(variance: Callable | None = None, biases: bool = False, transposed: bool = False,
                   uniform: bool = False) -> Callable:
    """An initialisation with one thing wrong (the spread, the biases, the shape, the centre)."""
    def init_params(sizes, seed):
        rng = np.random.default_rng(seed)
        params = []
        for n_in, n_out in zip(sizes[:-1], sizes[1:]):
            std = np.sqrt(variance(n_in, n_out) if variance else 2.0 / n_in)
            shape = (n_in, n_out) if transposed else (n_out, n_in)
            W = rng.uniform(0.0, 2.0 * std, size=shape) if uniform else rng.normal(0.0, std, size=shape)
            params.append((W, rng.normal(size=n_out) if biases else np.zeros(n_out)))
        return params
    return init_params


#: A first layer of two inputs and many units: a scale that is a few per cent off for the course's
#: wide layers (e.g. an n_in off by one) is 20 % or more off there, beyond the judge's 5 standard errors.
FEW_INPUTS = [2, 4000, 8]

register("init_params", training.init_params, _init_case, lambda rng: [
    Case("one layer", _init_case(rng, layers=1)), Case("four layers", _init_case(rng, layers=4)),
    Case("few inputs", (list(FEW_INPUTS), int(rng.integers(0, 2**31)))),
], [Mistake(name, message, _mistaken_init(variance)) for name, (variance, message) in INIT_MISTAKES.items()] + [
    Mistake("random biases", judge_message("random biases"), _mistaken_init(biases=True)),
    Mistake("not centred", judge_message("not centred"), _mistaken_init(uniform=True)),
    Mistake("transposed", judge_message("transposed"), _mistaken_init(transposed=True)),
], judge=InitJudge(), reproducible=True)


# --------------------------------------------------------------------------- the trained networks
def _given(settings: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The question's ``settings`` of course.yml, which the caller passes in: the registry reads
    no course (grading and the build bind them with ``Question.bound``)."""
    if not settings:
        raise ValueError("the cases of train depend on its settings in course.yml: draw them from "
                         "QUESTIONS['train'].bound(settings), as grading and the build do")
    return settings


def network_settings(settings: Mapping[str, Any], task: str) -> dict[str, Any]:
    """The settings of one network: the question's shared ones (``replay_*``, ``random_runs``)
    with the network's own (``settings[task]``: sizes, lr, epochs, batch_size, its threshold)."""
    shared = {key: value for key, value in settings.items() if not isinstance(value, Mapping)}
    return {**shared, **settings[task]}


@lru_cache(maxsize=None)
def _split(dataset: str) -> data.Dataset:
    """The course's split of a data set (the one released as <dataset>.npz)."""
    return getattr(data, f"load_{dataset}")()


def threshold(settings: Mapping[str, Any]) -> tuple[str, float, bool]:
    """(metric, bound, larger is better) from a network's setting ``min_test_<metric>`` or ``max_test_<metric>``."""
    for key, value in settings.items():
        for prefix, larger in (("min_test_", True), ("max_test_", False)):
            if key.startswith(prefix):
                return key[len(prefix):], float(value), larger
    raise KeyError("a trained network needs a min_test_<metric> or max_test_<metric> setting")


def advice(settings: Mapping[str, Any]) -> str:
    """What a student reads when a trained network misses its threshold (no hidden input);
    ``settings``: :func:`network_settings`."""
    metric, bound, larger = threshold(settings)
    return (f"the trained network's test {METRIC_NAMES[metric]} must be {'at least' if larger else 'at most'} "
            f"{bound:g}, with the course's training (sizes {list(settings['sizes'])}, lr {settings['lr']:g}, "
            f"{settings['epochs']} epochs, batches of {settings['batch_size']}; other cases use other seeds, "
            "subsets of the training rows and at least as much training). Check that every epoch shuffles the "
            "rows, takes one step per mini-batch and steps DOWN the gradient of each layer's W and b, and that "
            "your backprop passes its gradient check.")


RANDOM_LR = (1.01, 1.2)  # a random metric case's learning rate: between these multiples of the course's


def random_ranges(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The (lowest, highest) of each setting of a random metric case (hidden widths: one pair per layer)."""
    epochs, batch = int(settings["epochs"]), int(settings["batch_size"])
    return {"widths": [(n + 1, n + n // 2 + 1) for n in settings["sizes"][1:-1]], "lr factor": RANDOM_LR,
            "epochs": (epochs + 1, epochs + epochs // 4 + 1), "batch size": (max(1, 3 * batch // 4), max(1, batch - 1))}


def _training_case(task: str, rng: np.random.Generator, settings: Mapping[str, Any], course: bool = False) -> Case:
    """Training data and settings for one metric case of ``task``; the test split stays in ``held_out``."""
    net = network_settings(settings, task)
    output, dataset = NETWORKS[task]
    split = _split(dataset)
    sizes, lr, epochs, batch = list(net["sizes"]), net["lr"], net["epochs"], net["batch_size"]
    m = len(split.X_train)
    if course:
        rows, seed = np.arange(m), 0
    else:
        rows = np.sort(rng.permutation(m)[:int(SUBSET * m)])
        ranges = random_ranges(net)  # every setting other than the course's, only towards more training
        sizes[1:-1] = [int(rng.integers(lo, hi + 1)) for lo, hi in ranges["widths"]]
        lr = float(np.round(lr * rng.uniform(*ranges["lr factor"]), 6))
        epochs = int(rng.integers(ranges["epochs"][0], ranges["epochs"][1] + 1))
        batch = int(rng.integers(ranges["batch size"][0], ranges["batch size"][1] + 1)) if batch > 1 else batch
        seed = int(rng.integers(1, 2**31))
    return Case(f"{task}: the course's settings" if course else f"{task}: random",
                (split.X_train[rows], split.Y_train[rows], [int(n) for n in sizes], TRAIN_OUTPUTS.index(output),
                 float(lr), int(epochs), int(batch), seed),
                held_out={"task": task, "X_test": split.X_test, "Y_test": split.Y_test,
                          "rows": None if course else rows, "exact": course})


# --------------------------------------------------------------------------- exact replays of the loop
REPLAY_LR = (1.0, 3.0)  # a replay's learning rate: between these multiples of the course's


def _listed(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def replay_runs(settings: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(epochs, batch size) of each exact replay of the question's ``settings``."""
    return list(zip(map(int, _listed(settings["replay_epochs"])), map(int, _listed(settings["replay_batch_size"]))))


def replay_count(settings: Mapping[str, Any]) -> int:
    """How many exact replays each network gets: one per run of :func:`replay_runs`, and one at a
    small learning rate (``small_lr``) when the settings have it."""
    return len(replay_runs(settings)) + ("small_lr" in settings)


def _replay_cases(task: str, rng: np.random.Generator, settings: Mapping[str, Any]) -> list[Case]:
    """The exact replays of ``task``: ``replay_rows`` training rows, a hidden layer of ``replay_width``,
    a few epochs with each batch size of ``replay_batch_size`` (course.yml: one that leaves a shorter
    last batch, one that divides the rows); seed, rows and lr drawn from ``rng``."""
    net = network_settings(settings, task)
    output, dataset = NETWORKS[task]
    split = _split(dataset)
    sizes = [int(net["sizes"][0]), int(net["replay_width"]), int(net["sizes"][-1])]
    cases = []
    for epochs, batch in replay_runs(net):
        rows = rng.permutation(len(split.X_train))[:int(net["replay_rows"])]
        lr = float(np.round(net["lr"] * rng.uniform(*REPLAY_LR), 6))
        seed = int(rng.integers(0, 2**31))
        cases.append(Case(f"{task}: exact replay ({epochs} epochs, batches of {batch})",
                          (split.X_train[rows], split.Y_train[rows], sizes, TRAIN_OUTPUTS.index(output), lr, epochs,
                           batch, seed),
                          held_out={"task": task, "replay": True, "rows": rows}))
    if "small_lr" in net:  # every epoch counts, even one that improves the loss by very little
        rows = rng.permutation(len(split.X_train))[:int(net["replay_rows"])]
        seed = int(rng.integers(0, 2**31))
        epochs, batch = int(net["small_lr_epochs"]), int(net["small_lr_batch_size"])
        cases.append(Case(f"{task}: exact replay at a small learning rate ({epochs} epochs, batches of {batch})",
                          (split.X_train[rows], split.Y_train[rows], sizes, TRAIN_OUTPUTS.index(output),
                           float(net["small_lr"]), epochs, batch, seed),
                          held_out={"task": task, "replay": True, "rows": rows}))
    return cases


def train_cases(rng: np.random.Generator, settings: Mapping[str, Any] | None = None) -> list[Case]:
    """Every case of ``train`` (course.yml gives it no random case beyond these): for each network of
    :data:`NETWORKS` in turn, the course's run, ``random_runs`` random metric cases and the exact replays."""
    settings = _given(settings)
    cases = []
    for task in NETWORKS:
        cases.append(_training_case(task, rng, settings, course=True))
        cases += [_training_case(task, rng, settings) for _ in range(int(settings["random_runs"]))]
        cases += _replay_cases(task, rng, settings)
    return cases


def _random_train_case(rng: np.random.Generator, settings: Mapping[str, Any] | None = None) -> Case:
    """A random metric case of a network drawn from ``rng`` (course.yml asks for none: see :func:`train_cases`)."""
    return _training_case(list(NETWORKS)[int(rng.integers(len(NETWORKS)))], rng, _given(settings))


def careless_loop(order: str = "each epoch", summed: bool = False, frozen: Callable = lambda l, L: (False, False),
                  whole_set: bool = False, first_batch_only: bool = False, ascent: bool = False,
                  one_epoch: bool = False, extra_epochs: int = 0) -> Callable:
    """The course's loop (``nn_core.training.train_network``) with one thing done carelessly:
    the rows' ``order`` (a key of :data:`ORDERS`), ``summed`` gradients, ``frozen(layer, L)`` ->
    (W kept, b kept), one step per epoch on the whole set or on the first batch only, steps up
    the gradient (``ascent``), a single epoch whatever ``epochs``, or ``epochs + extra_epochs``
    epochs (``range(epochs - 1)``, ``range(epochs + 1)``). The returned function
    ``loop(start, X, Y, sizes, output, lr, epochs, batch_size, seed)`` takes ``train``'s arguments
    and starts from the parameters ``start``."""
    def loop(start, X, Y, sizes, output, lr, epochs, batch_size, seed):
        output = output_name(output)
        loss = training.NETWORKS[TASK_OF_OUTPUT[output]][1]
        params = [(np.array(W, dtype=np.float64), np.array(b, dtype=np.float64)) for W, b in start]
        rng, m = np.random.default_rng(seed), len(X)
        size = m if whole_set else batch_size
        for _ in range(1 if one_epoch else epochs + extra_epochs):
            rows_order = ORDERS[order](rng, m, seed)
            starts = range(0, m, size)
            for first in starts[:1] if first_batch_only else starts:
                rows = rows_order[first:first + size]
                grads = network.backward(params, network.forward(params, X[rows], "relu", output), Y[rows],
                                         "relu", output, loss)
                scale = (len(rows) if summed else 1.0) * (-1.0 if ascent else 1.0)
                params = [(W if frozen(l, len(params))[0] else W - lr * scale * dW,
                           b if frozen(l, len(params))[1] else b - lr * scale * db)
                          for l, ((W, b), (dW, db)) in enumerate(zip(params, grads))]
        return params
    return loop


def with_init(loop: Callable[..., list]) -> Callable[..., tuple]:
    """A loop ``loop(start, X, Y, sizes, output, lr, epochs, batch_size, seed)`` as the grader sees a student's
    ``train`` through the ``with_init`` adapter: called ``(X, Y, sizes, output, lr, epochs, batch_size,
    seed)``, it returns ``(init_params(sizes, seed), trained parameters)``, from ``nn_core``'s draw."""
    def train(X, Y, sizes, output, lr, epochs, batch_size, seed):
        start = training.init_params(sizes, seed)
        return start, loop(start, X, Y, sizes, output, lr, epochs, batch_size, seed)
    return train


def _reference_train(X, Y, sizes, output, lr, epochs, batch_size, seed) -> tuple:
    """``train``'s reference as the grader calls it (:func:`with_init` of ``nn_core.answers.train``)."""
    return training.init_params(sizes, seed), answers.train(X, Y, sizes, output_name(output), lr, epochs, batch_size,
                                                             seed)


#: How a careless loop orders the rows of an epoch: (the loop's generator, m, seed) -> indices.
ORDERS: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "each epoch": lambda rng, m, seed: rng.permutation(m),
    "never": lambda rng, m, seed: np.arange(m),
    "a new generator each epoch": lambda rng, m, seed: np.random.default_rng(seed).permutation(m),
}

#: The careless loops an exact replay tells apart: name -> (careless_loop's options, message).
#: (Skipping each epoch's last, shorter batch is no mistake: the notebook accepts it.)
CARELESS: dict[str, tuple[dict, str]] = {
    "no shuffling": ({"order": "never"}, "the rows are never shuffled: every epoch must start with ONE call "
                     "rng.permutation(m) of the generator train created once, and visit the rows in that order."),
    "same order every epoch": ({"order": "a new generator each epoch"}, "every epoch visits the rows in the same "
                               "order: create rng = np.random.default_rng(seed) ONCE, before the epochs, and draw "
                               "a fresh rng.permutation(m) from it at the start of every epoch."),
    "summed gradients": ({"summed": True}, "the step uses the SUM of the batch's per-example gradients: the course's "
                         "loss is the MEAN over the batch, so its gradients (your backprop's) are means; step with "
                         "them, W - lr dW and b - lr db, without multiplying by the batch's size."),
    "only the last layer updated": ({"frozen": lambda l, L: (l < L - 1, l < L - 1)}, "only the last layer's W and b "
                                    "change: every step must update W and b of EVERY layer, from the gradients of the "
                                    "same (old) parameters."),
    "first layer's weights not updated": ({"frozen": lambda l, L: (l == 0, False)}, "the first layer's W never "
                                          "changes: every step must update W and b of every layer, the first too."),
    "biases not updated": ({"frozen": lambda l, L: (False, True)}, judge_message("biases not updated")),
    "batch size ignored": ({"whole_set": True}, "one step per epoch on the whole training set: cut each epoch's "
                           "order into consecutive batches of batch_size rows and take one step per batch."),
    "one batch per epoch": ({"first_batch_only": True}, "each epoch takes one step, on its first batch only: an epoch "
                            "visits ALL m rows, batch after batch, with one step per batch."),
    "one epoch only": ({"one_epoch": True}, "the loop runs one epoch whatever epochs says: train for epochs "
                       "passes over the training set, each with its own shuffle."),
    "one epoch too few": ({"extra_epochs": -1}, "the loop runs epochs - 1 epochs: for _ in range(epochs) makes "
                          "exactly epochs passes over the training set."),
    "one epoch too many": ({"extra_epochs": 1}, "the loop runs epochs + 1 epochs: for _ in range(epochs) makes "
                           "exactly epochs passes over the training set."),
    "gradient ascent": ({"ascent": True}, "the step goes UP the gradient: gradient descent SUBTRACTS lr times the "
                        "gradient from W and from b."),
}
CARELESS_MESSAGES = {name: message for name, (_, message) in CARELESS.items()}


# --------------------------------------------------------------------------- where a replay diverges
def stated_trajectory(task: str, start: list, X: np.ndarray, Y: np.ndarray, sizes: list, lr: float, epochs: int,
                      batch_size: int, seed: int, drop_last: bool = False) -> list[list]:
    """The parameters of the stated loop from ``start`` at every step: ``[[start], [after batch 1 of
    epoch 1, ..., after its last batch], ...]`` (``trajectory[e][-1]`` is the loop's result after
    ``e`` epochs); ``drop_last``: each epoch's last, shorter batch skipped (accepted too).

    Its last entry equals ``nn_core.training.train_network``'s result from ``start``
    (``tests/test_judged_questions.py``)."""
    output, loss = training.NETWORKS[task]
    params = [(np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)) for W, b in start]
    rng, m = np.random.default_rng(seed), len(X)
    trajectory = [[params]]
    for _ in range(epochs):
        order, steps = rng.permutation(m), []
        for first in range(0, m - batch_size + 1 if drop_last else m, batch_size):
            rows = order[first:first + batch_size]
            grads = network.backward(params, network.forward(params, X[rows], "relu", output), Y[rows],
                                     "relu", output, loss)
            params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
            steps.append(params)
        trajectory.append(steps)
    return trajectory


def _differing(got: list, want: list) -> list[str]:
    """``layer 1's W``, ... for each parameter of ``got`` that differs from ``want``'s."""
    return [f"layer {l + 1}'s {name}" for l, (pair, reference) in enumerate(zip(got, want))
            for name, a, b in zip("Wb", pair, reference) if not same_params([(a, a)], [(b, b)])]


def _listing(items: list[str], every: int = 0) -> str:
    """``a, b and c``; ``every layer's W and b`` when ``items`` are all ``every`` parameters."""
    if every and len(items) == every:
        return "every layer's W and b"
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def replay_divergence(trajectory: list[list], runs: list[Any], sizes: list) -> str:
    """Where the student's loop first leaves the stated one, from ``runs[e]``, what the student's
    function returned for the same replay with ``epochs=e`` (``e = 0 .. E``; None when it raised):
    the epoch, the batch when the epoch stopped early, and the parameters that differ. Names only
    epochs, batches and layers (the replay's settings are public); no value."""
    epochs, every = len(trajectory) - 1, 2 * len(trajectory[0][0])
    for e, got in enumerate(runs):
        layers, problem = layers_problem(got, sizes) if got is not None else (None, "none")
        if problem:
            return (f"Where your loop leaves the stated one: called with epochs={e} (the same replay otherwise), your "
                    f"function {'raised an exception' if got is None else 'returned no valid parameters'}.")
        if same_params(layers, trajectory[e][-1]):
            continue
        other = next((k for k in range(len(trajectory)) if k != e and same_params(layers, trajectory[k][-1])), None)
        if other is not None:
            return (f"Where your loop leaves the stated one: called with epochs={e} (the same replay otherwise), your "
                    f"function returns the stated loop's parameters after {other} epoch{'s' * (other != 1)}: the loop "
                    "must make exactly epochs passes over the rows.")
        if e == 0:
            return ("Where your loop leaves the stated one: before the first step. Called with epochs=0 it must return "
                    "its starting point unchanged, what your init_params(sizes, seed) returns; yours does not "
                    "(initialise with init_params, and draw nothing from rng before it).")
        start, steps = trajectory[e - 1][-1], trajectory[e]
        where = f"epoch {e} of {epochs}" + (" (the epochs before it match the stated loop)" if e > 1 else "")
        stopped = next((k for k, state in enumerate([start] + steps[:-1]) if same_params(layers, state)), None)
        if stopped == 0:
            return (f"Where your loop leaves the stated one: {where}. Your parameters did not change during that "
                    "epoch: every epoch takes one step per batch on W and b of every layer.")
        if stopped is not None:
            return (f"Where your loop leaves the stated one: {where}. After it your parameters are the stated loop's "
                    f"after batch {stopped} of the {len(steps)} of that epoch: the epoch stops early (one batch per "
                    f"epoch? a batch skipped?); every epoch takes one step per batch, all {len(steps)} of "
                    "them.")
        unchanged = [name for name in _differing(layers, steps[-1]) if name in set(_differing(start, steps[-1]))
                     and name not in set(_differing(layers, start))]
        differing = _differing(layers, steps[-1])
        text = (f"Where your loop leaves the stated one: {where}; at its end {_listing(differing, every)} "
                f"differ{'s' * (len(differing) == 1)} from the stated loop's")
        if unchanged:
            text += f", and {_listing(unchanged, every)} did not change during that epoch (not updated?)"
        if e > 1:
            text += (". The first epoch matches, so the step is right: look at what differs between epochs (one "
                     "generator created once before the epochs, one rng.permutation(m) at the start of each)")
        else:
            text += (". Already the first epoch differs: look at the batches (consecutive slices of the epoch's "
                     "permutation, the last one shorter or skipped) and the step (means over the batch, W - lr dW and "
                     "b - lr db for every layer)")
        return f"{text}."
    return ""


class TrainingJudge:
    """Judges what ``train`` returned, ``(init_params(sizes, seed), trained parameters)`` (the
    ``with_init`` adapter): an exact replay case by the parameters of the stated loop replayed from
    :meth:`start` (a registered careless loop that gives the student's parameters is named), any
    other case by the network's metric on the held-out test split; the course's run (all rows,
    seed 0) by both, so that a loop that follows the stated one only on small training sets fails
    (issue 26). The stated loop with each epoch's last, shorter batch skipped is accepted too."""

    #: The test splits come from nn_core.data's loaders (scikit-learn's bundled files): a Gradescope
    #: bundle of an assignment with this judge installs scikit-learn (autograder/gradescope/bundle.py).
    loads_data = True

    def __init__(self) -> None:
        self._course_run: dict[tuple, list] = {}

    @staticmethod
    def parts(got: Any) -> tuple[Any, Any]:
        """(the student's initialisation, the trained parameters) of a result; a result that is not
        such a pair is all "trained parameters" (its structure is then reported)."""
        if isinstance(got, (list, tuple)) and len(got) == 2:
            return got[0], got[1]
        return [], got

    @staticmethod
    def start(case: Case, student_init: Any) -> tuple[list, bool]:
        """Where the replays of ``case`` start, and whether that is the student's own initialisation:
        the student's ``init_params(sizes, seed)`` when it holds the stated draw's numbers in any
        arrangement (:func:`autograder.checks.judged.same_draw`) or is a He initialisation by its
        statistics (:func:`autograder.checks.judged.init_problem`: another generator, another order
        of the draws), else the stated draw (zeros, say, would let a loop that steps only the output
        bias pass)."""
        sizes, seed = case.args[2], case.args[7]
        stated = training.init_params(sizes, seed)
        layers, problem = layers_problem(student_init, sizes)
        if not problem and (same_draw(layers, stated, sizes) or not init_problem(sizes, layers)):
            return layers, True
        return stated, False

    def accepted(self, case: Case, start: list, drop_last: bool = False) -> list:
        """The parameters of the stated loop from ``start`` for the case's inputs (``train_network``),
        or of the same loop with each epoch's last, shorter batch skipped (``drop_last``). The
        course's run (all rows, seed 0) is remembered per start, so the common one costs one training."""
        X, Y, sizes, output, lr, epochs, batch, seed = case.args
        task = case.held_out["task"]
        if not case.held_out.get("exact"):
            return training.train_network(X, Y, sizes, task, lr, epochs, batch, seed, start, drop_last)[0]
        digest = hashlib.sha256(X.tobytes() + Y.tobytes() + b"".join(np.ascontiguousarray(a).tobytes()
                                                                     for pair in start for a in pair))
        key = (tuple(sizes), output, lr, epochs, batch, seed, digest.hexdigest(), drop_last)
        if key not in self._course_run:
            self._course_run[key] = training.train_network(X, Y, sizes, task, lr, epochs, batch, seed, start,
                                                           drop_last)[0]
        return self._course_run[key]

    def follows(self, case: Case, layers: list, start: list) -> bool:
        """Whether ``layers`` are the stated loop's from ``start``, in either accepted form (the second,
        last short batch skipped, only computed when the first differs and the batches do not divide m)."""
        X, batch = case.args[0], case.args[6]
        return any(same_params(layers, self.accepted(case, start, drop))
                   for drop in ([False, True] if len(X) % batch else [False]))

    def __call__(self, case: Case, got: Any, settings: Mapping[str, Any]) -> Judgement:
        init, trained = self.parts(got)
        layers, problem = layers_problem(trained, case.args[2])
        start, own = self.start(case, init)
        if not problem and all(not np.any(b) for _, b in layers):  # nothing updated at all, or the biases only
            problem = "parameters not updated" if same_params(layers, start) else "biases not updated"
        if problem:
            return Judgement(False, problem, judge_message(problem))
        if case.held_out.get("replay"):
            return self.replay(case, layers, start, own)
        judgement = self.metric(case, layers, network_settings(settings, case.held_out["task"]))
        if not judgement.ok or self.follows(case, layers, start):
            return judgement
        # A network that reaches the threshold must also come from a training loop: the course's run the
        # stated loop itself, at full size (a loop that follows it only on sets as small as the replays
        # fails here: issue 26); a random run the stated loop or one of the named careless loops, so a
        # loop with a classic slip keeps the runs it still trains well, and a fit written into the
        # network without training (a least-squares cheat) earns nothing anywhere.
        if not case.held_out.get("exact") and self._careless(case, layers, start, first=True):
            return judgement
        return Judgement(False, REPLAY_MISMATCH, replay_message(own))

    def replay(self, case: Case, layers: list, start: list, own: bool) -> Judgement:
        if self.follows(case, layers, start):
            return Judgement(True)
        names = self._careless(case, layers, start)
        if len(names) == 1:
            (name,) = names
            return Judgement(False, name, CARELESS[name][1])
        if names:  # e.g. one epoch only, or one epoch too few, on a 2-epoch replay
            named = [name for name in CARELESS if name in names]
            return Judgement(False, named[0], "these parameters are those of a loop with one of these mistakes, which "
                             "this replay alone cannot tell apart: " + "; ".join(named) + ".")
        return Judgement(False, REPLAY_MISMATCH, replay_message(own))

    def exact(self, case: Case) -> bool:
        """Whether the case is an exact replay, on which a careless loop can be told apart."""
        return bool(case.held_out.get("replay"))

    def careless_names(self, case: Case, got: Any) -> set[str]:
        """Every careless loop of :data:`CARELESS` that gives the student's parameters on an exact
        replay, from the replay's :meth:`start` (a 2-epoch replay cannot tell "one epoch only" from
        "one epoch too few": the diagnosis names the one every failing replay gives,
        ``grading.pipeline.judged_explanation``)."""
        init, trained = self.parts(got)
        layers, problem = layers_problem(trained, case.args[2])
        if problem or not self.exact(case):
            return set()
        return self._careless(case, layers, self.start(case, init)[0])

    def _careless(self, case: Case, layers: list, start: list, first: bool = False) -> set[str]:
        """The careless loops of :data:`CARELESS` that give ``layers`` from ``start`` (``first``: stop at one)."""
        X, Y, sizes, output, lr, epochs, batch, seed = case.args
        found = set()
        with np.errstate(all="ignore"):
            for name, (options, _) in CARELESS.items():
                if same_params(layers, careless_loop(**options)(start, X, Y, sizes, output, lr, epochs, batch, seed)):
                    found.add(name)
                    if first:
                        break
        return found

    def probes(self, case: Case, failure: str) -> list[tuple]:
        """The calls that locate where a failed exact replay leaves the stated loop (see
        :meth:`locate`): the same replay with ``epochs`` = 0, 1, ..., one fewer than the case's.
        None for a metric case, or a result whose structure is already wrong (``failure``)."""
        if not case.held_out.get("replay") or failure in STRUCTURE_MESSAGES:
            return []
        X, Y, sizes, output, lr, epochs, batch, seed = case.args
        return [(X, Y, sizes, output, lr, e, batch, seed) for e in range(epochs)]

    def locate(self, case: Case, runs: list[Any]) -> str:
        """Where the loop diverges (:func:`replay_divergence`), from the results of :meth:`probes`'
        calls followed by the case's own result (None for a call that gave none), against the stated
        loop from the replay's :meth:`start`, with or without the last short batch: the form the
        student's loop follows longer."""
        X, Y, sizes, output, lr, epochs, batch, seed = case.args
        start = self.start(case, self.parts(runs[-1])[0] if runs[-1] is not None else [])[0]
        trained = [None if run is None else self.parts(run)[1] for run in runs]
        texts = [replay_divergence(stated_trajectory(case.held_out["task"], start, X, Y, sizes, lr, epochs, batch,
                                                     seed, drop), trained, sizes)
                 for drop in ([False, True] if len(X) % batch else [False])]
        return max(texts, key=_divergence_epoch)

    def metric(self, case: Case, layers: list, settings: Mapping[str, Any]) -> Judgement:
        metric, bound, larger = threshold(settings)
        value = training.test_metric(metric, layers, case.held_out["X_test"], case.held_out["Y_test"],
                                     case.held_out["task"])
        if np.isfinite(value) and (value >= bound if larger else value <= bound):
            return Judgement(True)
        return Judgement(False, "below-threshold", advice(settings))

    def public(self, cases: list[Case], settings: Mapping[str, Any]) -> dict:
        networks = {}
        for task, (output, dataset) in NETWORKS.items():
            net = network_settings(settings, task)
            metric, bound, larger = threshold(net)
            networks[task] = {"dataset": dataset, "output": output, "metric": metric,
                              "metric_name": METRIC_NAMES[metric], "threshold": bound, "larger_is_better": larger,
                              "advice": advice(net)}
        return {"judge": {"kind": "train", "networks": networks}, "cases": [self._public_case(c) for c in cases]}

    def _public_case(self, case: Case) -> dict:
        rows = case.held_out["rows"]
        shown = {"label": case.label, "network": case.held_out["task"], "rows": None if rows is None else rows.tolist(),
                 "args": encode(case.args[2:])}
        if case.held_out.get("replay") or case.held_out.get("exact"):  # public, as a compared case's expected
            start = training.init_params(case.args[2], case.args[7])
            also = [encode(self.accepted(case, start, True))] if len(case.args[0]) % case.args[6] else []
            shown.update(start=encode(start), expected=encode(self.accepted(case, start)), also=also,
                         metric=bool(case.held_out.get("exact")))
        return shown


def _divergence_epoch(text: str) -> int:
    """The epoch a :func:`replay_divergence` text names (0: before the first step or a call's result)."""
    found = re.search(r"epoch (\d+) of", text)
    return int(found.group(1)) if found else 0


register("train", _reference_train, _random_train_case, train_cases,
         [Mistake(name, message, with_init(careless_loop(**options))) for name, (options, message) in CARELESS.items()],
         arguments=("X", "Y", "sizes", "output", "lr", "epochs", "batch_size", "seed"), adapter="with_init",
         judge=TrainingJudge())


# --------------------------------------------------------------------------- the notebook's table
def _bound_text(settings: Mapping[str, Any]) -> str:
    metric, bound, larger = threshold(settings)
    return f"test {METRIC_NAMES[metric]} {'>=' if larger else '<='} {bound:g}"


def settings_table(settings: Mapping[str, Any]) -> str:
    """The notebook's markdown table of every graded run of ``train``: for each network the course's
    settings, the random cases' ranges and the exact replays, from the question's course.yml
    ``settings`` (``tests/test_judged_questions.py`` checks the notebook holds exactly this text)."""
    lines = ["| network (`output`) | data | case | sizes | lr | epochs | batch size | seed | passes when |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for task, (output, dataset) in NETWORKS.items():
        net = network_settings(settings, task)
        ranges, (lo, hi) = random_ranges(net), random_ranges(net)["lr factor"]
        widths = ", ".join(f"{a}-{b}" for a, b in ranges["widths"])
        sizes = list(net["sizes"])
        lines.append(f"| {task} (`\"{output}\"`) | {dataset} | the course's (visible and hidden) | {sizes} | {net['lr']:g} "
                     f"| {net['epochs']} | {net['batch_size']} | 0 | {_bound_text(net)} |")
        lines.append(f"| | | {net['random_runs']} random (visible and hidden), on {SUBSET:.0%} of the training rows | "
                     f"[{sizes[0]}, {widths}, {sizes[-1]}] | {lo:g}-{hi:g} x {net['lr']:g} | "
                     f"{ranges['epochs'][0]}-{ranges['epochs'][1]} | {ranges['batch size'][0]}-{ranges['batch size'][1]} "
                     f"| other | the same |")
        for epochs, batch in replay_runs(net):
            lines.append(f"| | | exact replay (visible and hidden), on {net['replay_rows']} training rows | "
                         f"[{sizes[0]}, {net['replay_width']}, {sizes[-1]}] | {REPLAY_LR[0]:g}-{REPLAY_LR[1]:g} x "
                         f"{net['lr']:g} | {epochs} | {batch} | other | parameters equal to the stated loop's from "
                         f"your init_params, same seed (rtol {REPLAY_RTOL:g}, atol {REPLAY_ATOL:g}) |")
        if "small_lr" in net:
            lines.append(f"| | | exact replay at a small learning rate (each epoch improves the loss very little, and "
                         f"every one is still taken), on {net['replay_rows']} training rows | "
                         f"[{sizes[0]}, {net['replay_width']}, {sizes[-1]}] | {float(net['small_lr']):g} | {net['small_lr_epochs']} "
                         f"| {net['small_lr_batch_size']} | other | the same |")
    return "\n".join(lines)


# --------------------------------------------------------------------------- the learning-rate sweep
#: The rates of the notebook's learning-rate experiment (part 5), each 10 times the previous one.
SWEEP_RATES = (0.003, 0.03, 0.3, 3.0)


def sweep_table(runs: Sequence[training.SweepRun]) -> str:
    """The markdown table of the learning-rate sweep that the written question's model answer
    quotes (``tests/test_judged_questions.py`` computes the runs with
    :func:`nn_core.training.learning_rate_sweep` at course.yml's settings and checks the solution
    notebook holds exactly this text): the model answer's figures are computed, never typed."""
    lines = ["| learning rate | training loss after the last epoch | test accuracy |", "| --- | --- | --- |"]
    lines += [f"| {run.lr:g} | {run.final_loss:.3g} | {run.test_accuracy:.1%} |" for run in runs]
    return "\n".join(lines)
