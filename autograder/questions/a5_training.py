"""Assignment 5: the initialisation and the three trained networks, judged rather than compared.

``init_params`` is judged on the statistics of what it returns (shapes, zero biases, the
weights' mean and spread: :func:`autograder.checks.judged.init_problem`), never on its
random numbers. Each ``train_*`` question trains one of the notes' networks in the
student's process, on two kinds of case (:class:`TrainingJudge`):

* metric cases, on the training split: the grader computes the network's metric on the test
  split, which it keeps (``Case.held_out``), with ``nn_core``, and compares it with the
  threshold of the question's ``settings`` in course.yml; hidden cases vary the seed, the
  subset of the training rows and, only towards more training, the settings;
* exact replays (``replay_*`` settings): a few training rows, a batch size that does not
  divide them, a few epochs; the returned parameters must equal those of the loop the
  notebook states, replayed in the grader from the case's seed
  (:func:`nn_core.training.train_network`). A fit that never trains, or a careless loop,
  fails them; the careless loops of :data:`CARELESS` are named.

course.yml makes these questions all or nothing (``partial_credit: false``), and the
notebook's table of every run is :func:`settings_table` of course.yml.
"""
from __future__ import annotations

import hashlib

from functools import lru_cache
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from autograder.questions.registry import Case, Judgement, Mistake, register
from autograder.checks.judged import (INIT_MISTAKES, REPLAY_MESSAGE, REPLAY_MISMATCH, STRUCTURE_MESSAGES,
                                      init_problem, same_params, REPLAY_RTOL, REPLAY_ATOL, judge_message,
                                      layers_problem)
from autograder.checks.public import encode
from nn_core import answers, data, network, training

#: question id -> (the network's task in nn_core.training.NETWORKS, the data set of nn_core.data)
TRAINED = {"train_regression": ("regression", "diabetes"),
           "train_binary": ("binary", "breast_cancer"),
           "train_classifier": ("classifier", "digits")}
METRIC_NAMES = {"r2": "R^2", "accuracy": "accuracy", "loss": "loss"}
SUBSET = 0.9  # share of the training rows a random hidden case trains on


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
], judge=InitJudge())


# --------------------------------------------------------------------------- the trained networks
def _given(settings: Mapping[str, Any] | None, question_id: str) -> Mapping[str, Any]:
    """The question's ``settings`` of course.yml, which the caller passes in: the registry reads
    no course (grading and the build bind them with ``Question.bound``)."""
    if not settings:
        raise ValueError(f"the cases of {question_id} depend on its settings in course.yml: draw them from "
                         f"QUESTIONS[{question_id!r}].bound(settings), as grading and the build do")
    return settings


@lru_cache(maxsize=None)
def _split(dataset: str) -> data.Dataset:
    """The course's split of a data set (the one released as <dataset>.npz)."""
    return getattr(data, f"load_{dataset}")()


def threshold(settings: Mapping[str, Any]) -> tuple[str, float, bool]:
    """(metric, bound, larger is better) from the setting ``min_test_<metric>`` or ``max_test_<metric>``."""
    for key, value in settings.items():
        for prefix, larger in (("min_test_", True), ("max_test_", False)):
            if key.startswith(prefix):
                return key[len(prefix):], float(value), larger
    raise KeyError("a judged training question needs a min_test_<metric> or max_test_<metric> setting")


def advice(settings: Mapping[str, Any]) -> str:
    """What a student reads when the trained network misses the threshold (no hidden input)."""
    metric, bound, larger = threshold(settings)
    return (f"the trained network's test {METRIC_NAMES[metric]} must be {'at least' if larger else 'at most'} "
            f"{bound:g}, with the course's training (sizes {list(settings['sizes'])}, lr {settings['lr']:g}, "
            f"{settings['epochs']} epochs, batches of {settings['batch_size']}; hidden cases use other seeds, "
            "subsets of the training rows and at least as much training). Check that every epoch shuffles the "
            "rows, takes one step per mini-batch (the last may be shorter) and steps DOWN the gradient of each "
            "layer's W and b, and that your backprop passes its gradient check.")


RANDOM_LR = (1.01, 1.2)  # a random metric case's learning rate: between these multiples of the course's


def random_ranges(settings: Mapping[str, Any]) -> dict[str, Any]:
    """The (lowest, highest) of each setting of a random metric case (hidden widths: one pair per layer)."""
    epochs, batch = int(settings["epochs"]), int(settings["batch_size"])
    return {"widths": [(n + 1, n + n // 2 + 1) for n in settings["sizes"][1:-1]], "lr factor": RANDOM_LR,
            "epochs": (epochs + 1, epochs + epochs // 4 + 1), "batch size": (max(1, 3 * batch // 4), max(1, batch - 1))}


def _training_case(question_id: str, rng: np.random.Generator, course: bool = False,
                   settings: Mapping[str, Any] | None = None) -> Case:
    """Training data and settings for one metric case; the test split stays in ``held_out``."""
    settings = _given(settings, question_id)
    split = _split(TRAINED[question_id][1])
    sizes, lr, epochs, batch = list(settings["sizes"]), settings["lr"], settings["epochs"], settings["batch_size"]
    m = len(split.X_train)
    if course:
        rows, seed = np.arange(m), 0
    else:
        rows = np.sort(rng.permutation(m)[:int(SUBSET * m)])
        ranges = random_ranges(settings)  # every setting other than the course's, only towards more training
        sizes[1:-1] = [int(rng.integers(lo, hi + 1)) for lo, hi in ranges["widths"]]
        lr = float(np.round(lr * rng.uniform(*ranges["lr factor"]), 6))
        epochs = int(rng.integers(ranges["epochs"][0], ranges["epochs"][1] + 1))
        batch = int(rng.integers(ranges["batch size"][0], ranges["batch size"][1] + 1)) if batch > 1 else batch
        seed = int(rng.integers(1, 2**31))
    return Case("the course's settings" if course else "random",
                (split.X_train[rows], split.Y_train[rows], [int(n) for n in sizes], float(lr), int(epochs),
                 int(batch), seed),
                held_out={"X_test": split.X_test, "Y_test": split.Y_test, "rows": None if course else rows,
                          "exact": course})


# --------------------------------------------------------------------------- exact replays of the loop
REPLAY_LR = (1.0, 3.0)  # a replay's learning rate: between these multiples of the course's


def _listed(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def replay_runs(settings: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(epochs, batch size) of each exact replay of a question's ``settings``."""
    return list(zip(map(int, _listed(settings["replay_epochs"])), map(int, _listed(settings["replay_batch_size"]))))


def _replay_cases(question_id: str, rng: np.random.Generator, settings: Mapping[str, Any] | None = None) -> list[Case]:
    """The exact replays: ``replay_rows`` training rows, a hidden layer of ``replay_width``, a few
    epochs with a batch size that does not divide the rows; seed, rows and lr drawn from ``rng``."""
    settings = _given(settings, question_id)
    split = _split(TRAINED[question_id][1])
    sizes = [int(settings["sizes"][0]), int(settings["replay_width"]), int(settings["sizes"][-1])]
    cases = []
    for epochs, batch in replay_runs(settings):
        rows = rng.permutation(len(split.X_train))[:int(settings["replay_rows"])]
        lr = float(np.round(settings["lr"] * rng.uniform(*REPLAY_LR), 6))
        seed = int(rng.integers(0, 2**31))
        cases.append(Case(f"exact replay ({epochs} epochs, batches of {batch})",
                          (split.X_train[rows], split.Y_train[rows], sizes, lr, epochs, batch, seed),
                          held_out={"replay": True, "rows": rows}))
    return cases


def careless_loop(task: str, order: str = "each epoch", summed: bool = False, frozen: Callable = lambda l, L: (False, False),
                  drop_last: bool = False, whole_set: bool = False, first_batch_only: bool = False,
                  ascent: bool = False, one_epoch: bool = False, extra_epochs: int = 0) -> Callable:
    """The course's loop (``nn_core.training.train_network``) with one thing done carelessly:
    the rows' ``order`` (a key of :data:`ORDERS`), ``summed`` gradients, ``frozen(layer, L)`` ->
    (W kept, b kept), the last short batch dropped, one step per epoch on the whole set or on the
    first batch only, steps up the gradient (``ascent``), a single epoch whatever ``epochs``, or
    ``epochs + extra_epochs`` epochs (``range(epochs - 1)``, ``range(epochs + 1)``)."""
    output, loss = training.NETWORKS[task]

    def train(X, Y, sizes, lr, epochs, batch_size, seed):
        params = training.init_params(sizes, seed)
        rng, m = np.random.default_rng(seed), len(X)
        size = m if whole_set else batch_size
        for _ in range(1 if one_epoch else epochs + extra_epochs):
            rows_order = ORDERS[order](rng, m, seed)
            starts = range(0, m - size + 1 if drop_last else m, size)
            for start in starts[:1] if first_batch_only else starts:
                rows = rows_order[start:start + size]
                grads = network.backward(params, network.forward(params, X[rows], "relu", output), Y[rows],
                                         "relu", output, loss)
                scale = (len(rows) if summed else 1.0) * (-1.0 if ascent else 1.0)
                params = [(W if frozen(l, len(params))[0] else W - lr * scale * dW,
                           b if frozen(l, len(params))[1] else b - lr * scale * db)
                          for l, ((W, b), (dW, db)) in enumerate(zip(params, grads))]
        return params
    return train


#: How a careless loop orders the rows of an epoch: (the loop's generator, m, seed) -> indices.
ORDERS: dict[str, Callable[[np.random.Generator, int, int], np.ndarray]] = {
    "each epoch": lambda rng, m, seed: rng.permutation(m),
    "never": lambda rng, m, seed: np.arange(m),
    "a new generator each epoch": lambda rng, m, seed: np.random.default_rng(seed).permutation(m),
}

#: The careless loops an exact replay tells apart: name -> (careless_loop's options, message).
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
    "last short batch dropped": ({"drop_last": True}, "the last, shorter batch of each epoch is skipped: when "
                                 "batch_size does not divide m, the epoch ends with one smaller batch, and it gets "
                                 "its step too."),
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
def stated_trajectory(task: str, X: np.ndarray, Y: np.ndarray, sizes: list, lr: float, epochs: int,
                      batch_size: int, seed: int) -> list[list]:
    """The parameters of the stated loop at every step: ``[[init], [after batch 1 of epoch 1, ...,
    after its last batch], ...]`` (``trajectory[e][-1]`` is the loop's result after ``e`` epochs).

    It is :func:`careless_loop` with nothing done carelessly, one entry per step; its last
    entry equals ``nn_core.training.train_network``'s result (``tests/test_judged_questions.py``)."""
    output, loss = training.NETWORKS[task]
    params = training.init_params(sizes, seed)
    rng, m = np.random.default_rng(seed), len(X)
    trajectory = [[params]]
    for _ in range(epochs):
        order, steps = rng.permutation(m), []
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
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
                    "init_params(sizes, seed) unchanged; yours does not (draw nothing from rng before init_params, "
                    "and initialise with init_params).")
        start, steps = trajectory[e - 1][-1], trajectory[e]
        where = f"epoch {e} of {epochs}" + (" (the epochs before it match the stated loop)" if e > 1 else "")
        stopped = next((k for k, state in enumerate([start] + steps[:-1]) if same_params(layers, state)), None)
        if stopped == 0:
            return (f"Where your loop leaves the stated one: {where}. Your parameters did not change during that "
                    "epoch: every epoch takes one step per batch on W and b of every layer.")
        if stopped is not None:
            return (f"Where your loop leaves the stated one: {where}. After it your parameters are the stated loop's "
                    f"after batch {stopped} of the {len(steps)} of that epoch: the epoch stops early (the last, shorter "
                    f"batch dropped? one batch per epoch?); every epoch takes one step per batch, all {len(steps)} of "
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
                     "permutation, the last one shorter) and the step (means over the batch, W - lr dW and "
                     "b - lr db for every layer)")
        return f"{text}."
    return ""


class TrainingJudge:
    """Judges a trained network: an exact replay case by the parameters of the stated loop
    replayed from the case's seed (``nn_core.training.train_network``; a registered careless loop
    that gives the student's parameters is named), any other case by the network's metric on
    the held-out test split; the course's run (all rows, seed 0) by both, so that a loop that
    follows the stated one only on small training sets fails (issue 26)."""

    def __init__(self, task: str, dataset: str):
        self.task, self.dataset = task, dataset
        self._course_run: dict[tuple, list] = {}

    def stated(self, case: Case) -> list:
        """The stated loop's parameters for the case's inputs (``nn_core.training.train_network``);
        the course's run (all rows, seed 0, the course's settings: the same for every student) is
        computed once per process, so the exact check of a course-sized run costs one training."""
        X, Y, sizes, lr, epochs, batch, seed = case.args
        if not case.held_out.get("exact"):
            return training.train_network(X, Y, sizes, self.task, lr, epochs, batch, seed)[0]
        key = (tuple(sizes), lr, epochs, batch, seed, hashlib.sha256(X.tobytes() + Y.tobytes()).hexdigest())
        if key not in self._course_run:
            self._course_run[key] = training.train_network(X, Y, sizes, self.task, lr, epochs, batch, seed)[0]
        return self._course_run[key]

    def __call__(self, case: Case, got: Any, settings: Mapping[str, Any]) -> Judgement:
        layers, problem = layers_problem(got, case.args[2])
        if not problem and all(not np.any(b) for _, b in layers):
            problem = "biases not updated"
        if problem:
            return Judgement(False, problem, judge_message(problem))
        if case.held_out.get("replay"):
            return self.replay(case, layers, settings)
        judgement = self.metric(case, layers, settings)
        if judgement.ok and case.held_out.get("exact") and not same_params(layers, self.stated(case)):
            # the course's run is the stated loop too, at full size (a loop that follows it only on sets as
            # small as the replays fails here); the small replays name a careless loop, cheaply
            return Judgement(False, REPLAY_MISMATCH, REPLAY_MESSAGE)
        return judgement

    def replay(self, case: Case, layers: list, settings: Mapping[str, Any]) -> Judgement:
        if same_params(layers, self.stated(case)):
            return Judgement(True)
        names = self.careless_names(case, layers)
        if len(names) == 1:
            (name,) = names
            return Judgement(False, name, CARELESS[name][1])
        if names:  # e.g. one epoch only, or one epoch too few, on a 2-epoch replay
            named = [name for name in CARELESS if name in names]
            return Judgement(False, named[0], "these parameters are those of a loop with one of these mistakes, which "
                             "this replay alone cannot tell apart: " + "; ".join(named) + ".")
        return Judgement(False, REPLAY_MISMATCH, REPLAY_MESSAGE)

    def exact(self, case: Case) -> bool:
        """Whether the case is an exact replay, on which a careless loop can be told apart."""
        return bool(case.held_out.get("replay"))

    def careless_names(self, case: Case, got: Any) -> set[str]:
        """Every careless loop of :data:`CARELESS` that gives the student's parameters on an exact
        replay (a 2-epoch replay cannot tell "one epoch only" from "one epoch too few": the
        diagnosis names the one every failing replay gives, ``grading.pipeline.judged_explanation``)."""
        layers, problem = layers_problem(got, case.args[2])
        if problem or not self.exact(case):
            return set()
        with np.errstate(all="ignore"):
            return {name for name, (options, _) in CARELESS.items()
                    if same_params(layers, careless_loop(self.task, **options)(*case.args))}

    def probes(self, case: Case, failure: str) -> list[tuple]:
        """The calls that locate where a failed exact replay leaves the stated loop (see
        :meth:`locate`): the same replay with ``epochs`` = 0, 1, ..., one fewer than the case's.
        None for a metric case, or a result whose structure is already wrong (``failure``)."""
        if not case.held_out.get("replay") or failure in STRUCTURE_MESSAGES:
            return []
        X, Y, sizes, lr, epochs, batch, seed = case.args
        return [(X, Y, sizes, lr, e, batch, seed) for e in range(epochs)]

    def locate(self, case: Case, runs: list[Any]) -> str:
        """Where the loop diverges (:func:`replay_divergence`), from the results of :meth:`probes`'
        calls followed by the case's own result (None for a call that gave none)."""
        return replay_divergence(stated_trajectory(self.task, *case.args), runs, case.args[2])

    def metric(self, case: Case, layers: list, settings: Mapping[str, Any]) -> Judgement:
        metric, bound, larger = threshold(settings)
        value = training.test_metric(metric, layers, case.held_out["X_test"], case.held_out["Y_test"], self.task)
        if np.isfinite(value) and (value >= bound if larger else value <= bound):
            return Judgement(True)
        return Judgement(False, "below-threshold", advice(settings))

    def public(self, cases: list[Case], settings: Mapping[str, Any]) -> dict:
        metric, bound, larger = threshold(settings)
        return {"judge": {"kind": "metric", "dataset": self.dataset, "output": training.NETWORKS[self.task][0],
                          "metric": metric, "metric_name": METRIC_NAMES[metric], "threshold": bound,
                          "larger_is_better": larger, "advice": advice(settings)},
                "cases": [self._public_case(c) for c in cases]}

    def _public_case(self, case: Case) -> dict:
        rows = case.held_out["rows"]
        shown = {"label": case.label, "rows": None if rows is None else rows.tolist(), "args": encode(case.args[2:])}
        if case.held_out.get("replay") or case.held_out.get("exact"):  # public, as a compared case's expected
            shown["expected"] = encode(self.stated(case))
            shown["metric"] = bool(case.held_out.get("exact"))
        return shown


for _qid, (_task, _dataset) in TRAINED.items():
    register(_qid, answers.ANSWERS[_qid], lambda rng, settings=None, q=_qid: _training_case(q, rng, settings=settings),
             lambda rng, settings=None, q=_qid: [_training_case(q, rng, course=True, settings=settings),
                                                 *_replay_cases(q, rng, settings)],
             [Mistake(name, message, careless_loop(_task, **options)) for name, (options, message) in CARELESS.items()],
             judge=TrainingJudge(_task, _dataset))


# --------------------------------------------------------------------------- the notebook's table
def _bound_text(settings: Mapping[str, Any]) -> str:
    metric, bound, larger = threshold(settings)
    return f"test {METRIC_NAMES[metric]} {'>=' if larger else '<='} {bound:g}"


def settings_table(settings_of: Mapping[str, Mapping[str, Any]], hidden_cases: Mapping[str, int]) -> str:
    """The notebook's markdown table of every graded training run: the course's settings, the
    random hidden cases' ranges and the exact replays, from each question's course.yml ``settings``
    (``tests/test_judged_questions.py`` checks the notebook holds exactly this text)."""
    lines = ["| function | data | case | sizes | lr | epochs | batch size | seed | passes when |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for qid, settings in settings_of.items():
        ranges, (lo, hi) = random_ranges(settings), random_ranges(settings)["lr factor"]
        widths = ", ".join(f"{a}-{b}" for a, b in ranges["widths"])
        sizes = list(settings["sizes"])
        lines.append(f"| `{qid}` | {TRAINED[qid][1]} | the course's (visible and hidden) | {sizes} | {settings['lr']:g} "
                     f"| {settings['epochs']} | {settings['batch_size']} | 0 | {_bound_text(settings)} |")
        lines.append(f"| | | {hidden_cases[qid]} hidden, on {SUBSET:.0%} of the training rows | "
                     f"[{sizes[0]}, {widths}, {sizes[-1]}] | {lo:g}-{hi:g} x {settings['lr']:g} | "
                     f"{ranges['epochs'][0]}-{ranges['epochs'][1]} | {ranges['batch size'][0]}-{ranges['batch size'][1]} "
                     f"| other | the same |")
        for epochs, batch in replay_runs(settings):
            lines.append(f"| | | exact replay (visible and hidden), on {settings['replay_rows']} training rows | "
                         f"[{sizes[0]}, {settings['replay_width']}, {sizes[-1]}] | {REPLAY_LR[0]:g}-{REPLAY_LR[1]:g} x "
                         f"{settings['lr']:g} | {epochs} | {batch} | other | parameters equal to the stated loop's "
                         f"from the same seed (rtol {REPLAY_RTOL:g}, atol {REPLAY_ATOL:g}) |")
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
