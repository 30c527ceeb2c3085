"""Assignment 5: the initialisation and the three trained networks, judged rather than compared.

``init_params`` is judged on the statistics of what it returns (shapes, zero biases, the
weights' mean and spread: :func:`autograder.judged_checks.init_problem`), never on its
random numbers. Each ``train_*`` question trains one of the notes' networks in the
student's process on a training split; the grader then computes the network's metric on
the test split, which it keeps (``Case.held_out``), with ``nn_core``, and compares it
with the threshold of the question's ``settings`` in course.yml. The settings (sizes, lr,
epochs, batch size, threshold) are the course's; hidden cases vary the seed, the subset
of the training rows and, only towards more training, the settings.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Mapping

import numpy as np

from autograder.questions.registry import Case, Judgement, Mistake, register
from autograder.judged_checks import INIT_MISTAKES, init_problem, judge_message, layers_problem
from autograder.student_checks import encode
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
    """Judges an initialisation by its statistics (:func:`autograder.judged_checks.init_problem`)."""

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


register("init_params", training.init_params, _init_case, lambda rng: [
    Case("one layer", _init_case(rng, layers=1)), Case("four layers", _init_case(rng, layers=4)),
], [Mistake(name, message, _mistaken_init(variance)) for name, (variance, message) in INIT_MISTAKES.items()] + [
    Mistake("random biases", judge_message("random biases"), _mistaken_init(biases=True)),
    Mistake("not centred", judge_message("not centred"), _mistaken_init(uniform=True)),
    Mistake("transposed", judge_message("transposed"), _mistaken_init(transposed=True)),
], judge=InitJudge())


# --------------------------------------------------------------------------- the trained networks
@lru_cache(maxsize=None)
def course_settings(question_id: str) -> dict:
    """The question's ``settings`` in the repository's course.yml: for callers that draw cases
    without a course (grading binds the settings of the course it grades, ``Question.bound``)."""
    from autograder.course import load_course

    course = load_course()
    return next(q.settings for a in course.assignments for q in a.questions if q.id == question_id)


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


def _training_case(question_id: str, rng: np.random.Generator, course: bool = False,
                   settings: Mapping[str, Any] | None = None) -> Case:
    """Training data and settings for one case; the test split stays in ``held_out``."""
    settings = settings or course_settings(question_id)
    split = _split(TRAINED[question_id][1])
    sizes, lr, epochs, batch = list(settings["sizes"]), settings["lr"], settings["epochs"], settings["batch_size"]
    m = len(split.X_train)
    if course:
        rows, seed = np.arange(m), 0
    else:
        rows = np.sort(rng.permutation(m)[:int(SUBSET * m)])
        # every setting other than the course's, and only towards more training
        sizes[1:-1] = [int(rng.integers(n + 1, n + n // 2 + 2)) for n in sizes[1:-1]]
        lr = float(np.round(lr * rng.uniform(1.01, 1.2), 6))
        epochs = int(epochs + rng.integers(1, epochs // 4 + 2))
        batch = int(rng.integers(max(1, 3 * batch // 4), batch)) if batch > 1 else batch
        seed = int(rng.integers(1, 2**31))
    return Case("the course's settings" if course else "random",
                (split.X_train[rows], split.Y_train[rows], [int(n) for n in sizes], float(lr), int(epochs),
                 int(batch), seed),
                held_out={"X_test": split.X_test, "Y_test": split.Y_test, "rows": None if course else rows})


class MetricJudge:
    """Judges trained parameters by the network's metric on the held-out test split."""

    def __init__(self, task: str, dataset: str):
        self.task, self.dataset = task, dataset

    def __call__(self, case: Case, got: Any, settings: Mapping[str, Any]) -> Judgement:
        layers, problem = layers_problem(got, case.args[2])
        if not problem and all(not np.any(b) for _, b in layers):
            problem = "biases not updated"
        if problem:
            return Judgement(False, problem, judge_message(problem))
        metric, bound, larger = threshold(settings)
        value = training.test_metric(metric, layers, case.held_out["X_test"], case.held_out["Y_test"], self.task)
        if np.isfinite(value) and (value >= bound if larger else value <= bound):
            return Judgement(True)
        return Judgement(False, "below-threshold", advice(settings))

    def public(self, cases: list[Case], settings: Mapping[str, Any]) -> dict:
        metric, bound, larger = threshold(settings)
        rows = [None if c.held_out["rows"] is None else c.held_out["rows"].tolist() for c in cases]
        return {"judge": {"kind": "metric", "dataset": self.dataset, "output": training.NETWORKS[self.task][0],
                          "metric": metric, "metric_name": METRIC_NAMES[metric], "threshold": bound,
                          "larger_is_better": larger, "advice": advice(settings)},
                "cases": [{"label": c.label, "rows": r, "args": encode(c.args[2:])} for c, r in zip(cases, rows)]}


def _without_bias_updates(task: str) -> Callable:
    """The loop with one thing wrong: the biases are never updated."""
    output, loss = training.NETWORKS[task]

    def train(X, Y, sizes, lr, epochs, batch_size, seed):
        params = training.init_params(sizes, seed)
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            order = rng.permutation(len(X))
            for start in range(0, len(X), batch_size):
                rows = order[start:start + batch_size]
                grads = network.backward(params, network.forward(params, X[rows], "relu", output), Y[rows],
                                         "relu", output, loss)
                params = [(W - lr * dW, b) for (W, b), (dW, _) in zip(params, grads)]
        return params
    return train


for _qid, (_task, _dataset) in TRAINED.items():
    register(_qid, answers.ANSWERS[_qid], lambda rng, settings=None, q=_qid: _training_case(q, rng, settings=settings),
             lambda rng, settings=None, q=_qid: [_training_case(q, rng, course=True, settings=settings)],
             [Mistake("biases not updated", judge_message("biases not updated"), _without_bias_updates(_task))],
             judge=MetricJudge(_task, _dataset))
