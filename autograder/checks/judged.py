"""The visible checks of judged questions, and what the grader's judges share with them.

A judged question (``Question.judge``, e.g. assignment 5's ``init_params`` and trained
networks, assignment 6's ``choose_l2``) is not compared with an expected value: its result is judged, by the grader on
hidden cases (with the course's reference implementation) and by these checks on the public
ones. The structure checks and the initialisation's statistics here are the grader's own
(``autograder/questions/a5_training.py`` imports them). ``python -m autograder build``
inlines this module into ``checks.py`` only beside notebooks with judged questions.

Only numpy and the standard library are needed. Nothing here computes an activation
function of the course's exercises: a network's test metric is computed from its logits.
"""
from __future__ import annotations

import copy
import os
import warnings
from typing import Any, Callable

import numpy as np

from autograder.checks.public import CheckFailed, StubNotImplemented, decode  # inlined by the build
from autograder.checks.compare import CONTRACT_MESSAGES, LOW_PRECISION, identical, low_precision  # inlined by the build

#: How many standard errors a statistic may stray before the judge calls it wrong: a right
#: answer fails with a probability below 1e-5 per layer.
JUDGE_SIGMAS = 5.0

INIT_MISTAKES = {  # name -> (the variance of a weight it gives, for (n_in, n_out); its message)
    "standard deviation 1": (lambda n_in, n_out: 1.0, "the weights are drawn with standard deviation 1: scale "
                             "them as stated, by the square root of 2 / n_in, so that the activations keep "
                             "their size from layer to layer."),
    "scaled by sqrt(1/n_in)": (lambda n_in, n_out: 1.0 / n_in, "the weights' standard deviation is sqrt(1 / n_in) "
                               "(LeCun's scale); the course's He initialisation for ReLU layers uses sqrt(2 / n_in)."),
    "scaled by n_out": (lambda n_in, n_out: 2.0 / n_out, "the scale uses the layer's number of outputs; He "
                        "initialisation divides by the number of INPUTS of the layer, n_in (the columns of W)."),
    "Xavier scale": (lambda n_in, n_out: 2.0 / (n_in + n_out), "that is Xavier/Glorot's scale sqrt(2 / (n_in + n_out)); "
                     "the course asks for He's, sqrt(2 / n_in), made for ReLU layers."),
    "variance for standard deviation": (lambda n_in, n_out: (2.0 / n_in) ** 2, "2 / n_in is the VARIANCE; "
                                        "np.random.Generator.normal takes the standard deviation, its square root."),
}
INIT_MESSAGES = {
    "random biases": "the biases start at zero (np.zeros); only the weights are random.",
    "the same draws in every layer": "the layers start from the same random numbers (each layer's weights, divided "
                                     "by their scale, repeat the first layer's): create the generator once, "
                                     "rng = np.random.default_rng(seed), before the loop over the layers, and "
                                     "draw every layer's weights from it in turn.",
    "not centred": "the weights must have mean 0: draw them from a normal distribution centred on 0.",
    "not normal": "the weights have He's variance but not a normal distribution (their fourth moment, the "
                  "weight of the tails, is not a normal draw's): draw them with a normal distribution of mean 0 "
                  "and standard deviation sqrt(2 / n_in), as stated.",
    "scale": "the weights' spread is not the stated one: a normal distribution with mean 0 and standard "
             "deviation sqrt(2 / n_in), n_in the layer's number of inputs.",
}
STRUCTURE_MESSAGES = {
    "structure": "return a list with one (W, b) pair per layer, first layer first.",
    "transposed": "each W has shape (n_out, n_in), one row per unit of the layer: yours are transposed.",
    "shape": "each layer's W has shape (n_out, n_in) and b shape (n_out,), for the sizes given.",
    "non-finite": "the parameters contain nan or inf. For a trained network the training diverged: check the "
                  "sign of the step (W - lr dW) and that the gradients are means over the batch.",
    "parameters not updated": "your train returns the parameters it started from: no step changed them. Each "
                              "step's new W and b must be stored where the next step and the return read them "
                              "(rebinding a loop variable, as in `for W, b in params: W = W - lr * dW`, changes "
                              "nothing in the list; build the new list of (W, b) and assign it).",
    "biases not updated": "the biases are still all zero after training: the loop must update W and b of "
                          "every layer at every step (were the parameters updated at all?).",
    "float32": "the parameters are " + LOW_PRECISION,
}


#: An exact replay case: the student's parameters must be those of the stated loop replayed from the
#: student's own initialisation (:func:`same_draw`) with the same seed, within these tolerances
#: (``autograder/questions/a5_training.py``); the loop that skips each epoch's last, shorter batch is accepted too.
REPLAY_RTOL, REPLAY_ATOL = 1e-6, 1e-9
REPLAY_MISMATCH = "not the stated loop"
#: The classic mistakes of a training loop, named whenever a replay is not the stated loop.
CLASSIC_LOOP_MISTAKES = ("a new generator, or no shuffle, each epoch", "gradients summed instead of averaged",
                         "a layer's W or b not updated", "the step going up the gradient (W + lr dW)",
                         "one step per epoch, or on its first batch only", "a wrong number of epochs")
REPLAY_MESSAGE = ("on an exact replay case (a few training rows, batches of batch_size rows, a few epochs) "
                  "the returned parameters are not those of the loop the notebook states, replayed from your own "
                  "init_params(sizes, seed) with the same seed. Check each step: params = init_params(sizes, seed); "
                  "rng = np.random.default_rng(seed) created once in train; at the start of every epoch one "
                  "rng.permutation(m); consecutive batches of batch_size rows in that order (the last one shorter, "
                  "or skipped: both are accepted); for every batch one step on W and b of every layer with your "
                  "backprop's gradients (means over the batch) times lr; nothing else drawn from rng. The classic "
                  "loop mistakes: " + "; ".join(CLASSIC_LOOP_MISTAKES) + ". A submission's feedback says where your "
                  "loop first leaves the stated one (the epoch, the batch, the parameters).")
#: Added when the replay could not start from the student's initialisation (:func:`same_draw`).
NOT_THE_DRAW = (" Your init_params(sizes, seed) does not return the numbers of part 1's draw (one normal draw per "
                "weight from np.random.default_rng(seed), in any order or arrangement, zero biases), so this replay "
                "started from part 1's draw instead: see init_params's own feedback.")


def replay_message(own_start: bool) -> str:
    """The message of a replay that is not the stated loop; ``own_start``: it started from the
    student's own initialisation (else from the stated draw, and the message says why)."""
    return REPLAY_MESSAGE + ("" if own_start else NOT_THE_DRAW)


def same_draw(layers: list, stated: list, sizes: list) -> bool:
    """Whether an initialisation ``layers`` holds the stated draw's numbers in another arrangement:
    zero biases, and over all layers together the weights, each divided by its layer's He scale
    ``sqrt(2 / n_in)``, are the stated draw's standard normals in some order (within
    :data:`REPLAY_RTOL`). He weights drawn as (n_in, n_out) and transposed, row by row, or layer
    by layer in another order pass; zeros, other numbers or extra draws do not."""
    if len(layers) != len(stated) or any(np.any(b != 0) for _, b in layers):
        return False
    scales = [np.sqrt(2.0 / int(n_in)) for n_in in sizes[:-1]]
    got = np.sort(np.concatenate([np.ravel(W) / s for (W, _), s in zip(layers, scales)]))
    want = np.sort(np.concatenate([np.ravel(W) / s for (W, _), s in zip(stated, scales)]))
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=REPLAY_RTOL, atol=REPLAY_ATOL))


def same_params(layers: list, expected: list) -> bool:
    """Whether the layers ``[(W, b), ...]`` equal ``expected`` within ``REPLAY_RTOL`` and ``REPLAY_ATOL``."""
    return len(layers) == len(expected) and all(
        np.shape(got) == np.shape(want) and np.allclose(got, want, rtol=REPLAY_RTOL, atol=REPLAY_ATOL)
        for pair, reference in zip(layers, expected) for got, want in zip(pair, reference))


def layers_problem(params: Any, sizes: list) -> tuple[list | None, str]:
    """The layers ``[(W, b), ...]`` of a returned list of parameters as float arrays, or
    ``(None, id)`` with the id of what is wrong with its structure (:data:`STRUCTURE_MESSAGES`)."""
    sizes = [int(n) for n in sizes]
    if (not isinstance(params, (list, tuple)) or len(params) != len(sizes) - 1
            or any(not isinstance(layer, (list, tuple)) or len(layer) != 2 for layer in params)):
        return None, "structure"
    layers = []
    for (W, b), n_in, n_out in zip(params, sizes[:-1], sizes[1:]):
        if np.shape(W) == (n_in, n_out) and n_in != n_out and np.shape(b) == (n_out,):
            return None, "transposed"
        if np.shape(W) != (n_out, n_in) or np.shape(b) != (n_out,):
            return None, "shape"
        if low_precision(W) or low_precision(b):
            return None, "float32"
        try:
            W, b = np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)
        except (TypeError, ValueError):
            return None, "structure"
        if not (np.all(np.isfinite(W)) and np.all(np.isfinite(b))):
            return None, "non-finite"
        layers.append((W, b))
    return layers, ""


def _spread_fits(layers: list, sizes: list, variance: Callable) -> bool:
    """Every layer's mean square weight is the variance ``variance(n_in, n_out)`` within
    :data:`JUDGE_SIGMAS` standard errors (a mean of N squared normals has relative error sqrt(2/N))."""
    for (W, _), n_in, n_out in zip(layers, sizes[:-1], sizes[1:]):
        ratio = float(np.mean(W ** 2)) / variance(n_in, n_out)
        if abs(ratio - 1.0) > JUDGE_SIGMAS * np.sqrt(2.0 / W.size):
            return False
    return True


#: The fourth-moment test of a normal draw is looser than the spread's (x^4 is skewed, so its mean's
#: tail is heavier than a normal's): a uniform draw's 1.8 instead of 3 is still more than 12
#: standard errors away on every case of init_params (at least 10,000 weights).
NORMAL_TAIL_SIGMAS = 8.0


def _normal_tails(layers: list, sizes: list) -> bool:
    """Pooled over the layers, the mean of ``(w^2 / (2 / n_in))^2`` is a standard normal's 3 within
    :data:`NORMAL_TAIL_SIGMAS` standard errors (x^4 of a standard normal has variance 96)."""
    fourth = [(W ** 2 * (n_in / 2.0)) ** 2 for (W, _), n_in in zip(layers, sizes[:-1])]
    count = sum(x.size for x in fourth)
    mean = sum(float(x.sum()) for x in fourth) / count
    return abs(mean - 3.0) <= NORMAL_TAIL_SIGMAS * np.sqrt(96.0 / count)


def init_problem(sizes: list, params: Any) -> str:
    """The id of what is wrong with an initialisation ("" when it is He's: weights normal with
    mean 0 and standard deviation sqrt(2 / n_in), zero biases), judged on its statistics (the
    mean, the mean square, and the fourth moment that tells a normal draw from a uniform one)."""
    sizes = [int(n) for n in sizes]
    layers, problem = layers_problem(params, sizes)
    if problem:
        return problem
    if any(np.any(b != 0) for _, b in layers):
        return "random biases"
    if _repeated_draws(layers):
        return "the same draws in every layer"
    for W, _ in layers:  # the mean of N draws strays by about their own spread / sqrt(N)
        if abs(float(np.mean(W))) > JUDGE_SIGMAS * np.sqrt(float(np.mean(W ** 2)) / W.size):
            return "not centred"
    if _spread_fits(layers, sizes, lambda n_in, n_out: 2.0 / n_in):
        return "" if _normal_tails(layers, sizes) else "not normal"
    return next((name for name, (variance, _) in INIT_MISTAKES.items() if _spread_fits(layers, sizes, variance)),
                "scale")


def _repeated_draws(layers: list, at_least: int = 4) -> bool:
    """Whether two layers' weights start with the same numbers up to one positive factor (their
    scales), in the order a (n_out, n_in) or a transposed draw fills them: a generator created anew,
    from the same seed, for every layer."""
    orders = [(np.ravel(np.asarray(W, dtype=np.float64)), np.ravel(np.asarray(W, dtype=np.float64).T))
              for W, _ in layers]
    for k in range(1, len(orders)):
        for l in range(k):
            n = min(orders[k][0].size, orders[l][0].size)
            if n < at_least:
                continue
            for a in orders[k]:
                for b in orders[l]:
                    a_n, b_n = a[:n], b[:n]
                    scale = float(a_n @ b_n) / float(b_n @ b_n) if np.any(b_n) else 0.0
                    if scale > 0 and np.allclose(a_n, scale * b_n, rtol=1e-6, atol=0.0):
                        return True
    return False


def judge_message(problem: str) -> str:
    """The message of a structure or initialisation problem's id."""
    if problem in INIT_MISTAKES:
        return INIT_MISTAKES[problem][1]
    return {**INIT_MESSAGES, **STRUCTURE_MESSAGES}[problem]


def _logits(layers: list, X: np.ndarray) -> np.ndarray:
    """The last layer's pre-activation Z^L of a network with ReLU hidden layers."""
    A = X
    for W, b in layers[:-1]:
        A = np.maximum(A @ W.T + b, 0.0)
    W, b = layers[-1]
    return A @ W.T + b


def _test_metric(metric: str, output: str, Z: np.ndarray, Y: np.ndarray) -> float:
    """The test metric of a network whose output layer has pre-activation ``Z`` (m, n) against
    the targets ``Y``: R^2 (linear output), accuracy (argmax, or z >= 0 for one sigmoid unit:
    sigma(z) >= 1/2), or the mean loss (MSE; BCE and CCE written with log-sum-exp, as
    -log sigma(z) = log(1 + e^-z) and -log softmax(z)_k = logsumexp(z) - z_k)."""
    if metric == "r2":
        return float(1.0 - np.sum((Y - Z) ** 2) / np.sum((Y - Y.mean()) ** 2))
    if metric == "accuracy":
        if Z.shape[1] == 1:
            return float(np.mean((Z[:, 0] >= 0) == (Y[:, 0] == 1)))
        return float(np.mean(Z.argmax(axis=1) == Y.argmax(axis=1)))
    if output == "linear":
        per_example = 0.5 * (Z - Y) ** 2
    elif output == "sigmoid":
        per_example = Y * np.logaddexp(0.0, -Z) + (1 - Y) * np.logaddexp(0.0, Z)
    else:
        top = Z.max(axis=1, keepdims=True)
        per_example = Y * (top + np.log(np.exp(Z - top).sum(axis=1, keepdims=True)) - Z)
    return float(per_example.sum(axis=1).mean())


def _targets(y: np.ndarray, output: str, y_train: np.ndarray) -> np.ndarray:
    """Network targets from the labels of a released data set (as the grader builds them)."""
    if output == "softmax":
        return np.eye(int(y_train.max()) + 1)[y.astype(int)]
    if output == "sigmoid":
        return y.reshape(-1, 1).astype(np.float64)
    return ((y - y_train.mean()) / y_train.std()).reshape(-1, 1)


def _released(dataset: str, path: str | None) -> dict:
    folder = os.path.dirname(os.path.abspath(path or __file__))
    name = os.path.join(folder, f"{dataset}.npz")
    if not os.path.exists(name):
        name = f"{dataset}.npz"  # the notebook's working directory
    with np.load(name) as data:
        return {key: data[key] for key in data.files}


def _judge_public(judge: dict, case: dict, function: Callable, path: str | None) -> tuple[str, str]:
    """Run one public case of a judged question: (what is wrong or "", what to print)."""
    if judge["kind"] == "choice":
        return _judge_choice_public(judge, case, function)
    if judge["kind"] == "init":
        sizes, seed = decode(case["args"])
        problem = init_problem(sizes, function(list(sizes), seed))
        return problem, (judge_message(problem) if problem else "")
    network = judge["networks"][case["network"]]
    data = _released(network["dataset"], path)
    output = network["output"]
    rows = np.asarray(case["rows"], dtype=int) if case.get("rows") is not None else slice(None)
    X, Y = data["X_train"][rows], _targets(data["y_train"], output, data["y_train"])[rows]
    rest = list(decode(case["args"]))
    rest[1] = output  # the case holds the grader's index of the output activation; the student's train takes its name
    got = function(X, Y, *rest)
    layers, problem = layers_problem(got, rest[0])
    if not problem and all(not np.any(b) for _, b in layers):
        problem = "biases not updated"
    if problem:
        return problem, judge_message(problem)
    follows = case.get("expected") is None or any(same_params(layers, decode(want))
                                                  for want in [case["expected"], *case.get("also", [])])
    if not case.get("metric") and case.get("expected") is not None:  # an exact replay
        return ("", "the same parameters as the stated loop replayed from the same seed") if follows \
            else _other_start(case, function, rest)
    with np.errstate(all="ignore"):
        Z = _logits(layers, data["X_test"])
        value = _test_metric(network["metric"], output, Z, _targets(data["y_test"], output, data["y_train"]))
    bound, larger = network["threshold"], network["larger_is_better"]
    shown = f"test {network['metric_name']} {value:.4f} (required: {'>=' if larger else '<='} {bound:g})"
    if not np.isfinite(value) or (value < bound if larger else value > bound):
        return "below-threshold", shown + ". " + network["advice"]
    if not follows:  # the course's run is the stated loop too
        problem, text = _other_start(case, function, rest)
        return problem, shown + (", but " if problem else "; the parameters: ") + text
    return "", shown


def _other_start(case: dict, function: Callable, args: list) -> tuple[str, str]:
    """A public replay the student's loop does not reproduce from part 1's draw (``case["start"]``): when the
    student's ``init_params`` returns that draw's numbers in another arrangement (:func:`same_draw`), the
    grader replays from it, which this check cannot (it holds no training loop): said, not failed."""
    sizes, seed = args[0], args[-1]
    own_init = getattr(function, "__globals__", {}).get("init_params")
    stated = [tuple(pair) for pair in decode(case["start"])]
    try:
        layers, problem = layers_problem(own_init(list(sizes), seed), sizes) if callable(own_init) else (None, "none")
    except Exception:  # noqa: BLE001 - the student's function: no own start
        layers, problem = None, "none"
    if problem:
        return REPLAY_MISMATCH, replay_message(False)
    if same_params(layers, stated):
        return REPLAY_MISMATCH, replay_message(True)
    if same_draw(layers, stated, sizes):
        return "", ("not checked here: your init_params returns part 1's numbers in another arrangement, and the "
                    "grader replays the stated loop from it when you submit (this check only holds the replay from "
                    "part 1's own arrangement)")
    return REPLAY_MISMATCH, replay_message(False)


# --------------------------------------------------------------------------- a hyperparameter chosen on validation
#: What is wrong with a result of assignment 6's ``choose_l2`` that is no registered mistake: its
#: form, or the first of its three parts that is not the stated procedure's.
CHOICE_MESSAGES = {
    "structure": "return a tuple (best_lambda, val_losses, test_loss): one number, then one validation loss per "
                 "lambda in the order of lambdas, then one number.",
    "non-finite": "the result contains nan or inf: check the step's sign (W - lr (dW + (lam / m) W)) and that the "
                  "losses are computed from the scores, as cross_entropy does.",
    "float32": "the result is " + LOW_PRECISION,
    "validation losses": "the validation losses are not those of the stated procedure. For each lambda, in the order "
                         "given: start from params (the same start every time, your arrays new ones), take steps "
                         "full-batch steps W <- W - lr (dW + (lam / m) W), b <- b - lr db with m the number of "
                         "TRAINING rows (your l2_gradients), then compute the DATA loss of the trained network on the "
                         "validation split, cross_entropy(mlp_scores(X_val, trained), Y_val), without the penalty.",
    "choice": "best_lambda is not the lambda whose network has the lowest validation loss: return the entry of "
              "lambdas (the value, not its index) at the position of the smallest of your val_losses, the first "
              "of equal ones (np.argmin's rule).",
    "test loss": "test_loss is not the data loss of the CHOSEN network on the test split: evaluate the network "
                 "trained with the chosen lambda, once, cross_entropy(mlp_scores(X_test, trained), Y_test), "
                 "without the penalty.",
}


def read_choice(got: Any, count: int) -> tuple[tuple | None, str]:
    """``(best_lambda, val_losses, test_loss)`` of a returned result as float64 (a number, ``count``
    losses, a number), or ``(None, id)`` with the id of what is wrong with its form (:data:`CHOICE_MESSAGES`)."""
    if not isinstance(got, (list, tuple)) or len(got) != 3:
        return None, "structure"
    if any(low_precision(part) for part in got):
        return None, "float32"
    try:
        best, losses, test = (np.asarray(part, dtype=np.float64) for part in got)
    except (TypeError, ValueError):
        return None, "structure"
    if best.size != 1 or test.size != 1 or losses.size != count or losses.ndim > 1:
        return None, "structure"
    best, losses, test = float(best.reshape(())), losses.reshape(-1), float(test.reshape(()))
    if not (np.isfinite(best) and np.isfinite(test) and np.all(np.isfinite(losses))):
        return None, "non-finite"
    return (best, losses, test), ""


def first_lowest(val_losses: Any) -> list[int]:
    """The positions a right choice may take: every loss within the replay's tolerance of the lowest
    (a near-tie may fall either way by rounding), but of losses exactly equal only the first."""
    losses = np.asarray(val_losses, dtype=np.float64)
    low = float(losses.min())
    near = [i for i, loss in enumerate(losses) if loss <= low + REPLAY_ATOL + REPLAY_RTOL * abs(low)]
    return [i for i in near if not np.any(losses[:i] == losses[i])]


def choice_problem(read: tuple, lambdas: Any, val_losses: Any, test_losses: Any) -> str:
    """The first part of a read result (:func:`read_choice`) that is not the stated procedure's, ""
    when none: the validation losses (one per lambda), the choice (:func:`first_lowest`), the
    chosen network's test loss (``test_losses``: every lambda's network's)."""
    best, losses, test = read
    if not np.allclose(losses, val_losses, rtol=REPLAY_RTOL, atol=REPLAY_ATOL):
        return "validation losses"
    index = next((i for i in first_lowest(val_losses) if np.isclose(best, lambdas[i], rtol=1e-12, atol=0.0)), None)
    if index is None:
        return "choice"
    if not np.isclose(test, test_losses[index], rtol=REPLAY_RTOL, atol=REPLAY_ATOL):
        return "test loss"
    return ""


#: The parts of a result in the order :func:`choice_problem` checks them (read_choice's order is
#: best_lambda, val_losses, test_loss).
CHOICE_PARTS = {"validation losses": (1,), "choice": (1, 0), "test loss": (1, 0, 2)}


def same_choice(read: tuple, other: tuple, problem: str = "test loss") -> bool:
    """Whether two read results hold the same numbers within the replay's tolerance, in the parts
    checked up to ``problem`` (:data:`CHOICE_PARTS`): a result whose first wrong part is its validation
    losses is a mistake's when those agree, whatever it then chose or reported from them."""
    return all(np.allclose(read[k], other[k], rtol=REPLAY_RTOL, atol=REPLAY_ATOL) for k in CHOICE_PARTS[problem])


def judge_choice(got: Any, lambdas: Any, val_losses: Any, test_losses: Any,
                 mistakes: list[tuple[str, str, Any]]) -> tuple[str, str]:
    """``(id, message)`` of a ``choose_l2`` result, ``("", "")`` when it is the stated procedure's:
    the form, then the three parts (:func:`choice_problem`); a result that is not right and equals a
    mistake's output (``(name, message, output)``, in order) up to its first wrong part is named by it."""
    read, problem = read_choice(got, len(lambdas))
    if problem:
        return problem, CHOICE_MESSAGES[problem]
    problem = choice_problem(read, lambdas, val_losses, test_losses)
    if not problem:
        return "", ""
    for name, message, output in mistakes:
        wrong = read_choice(output, len(lambdas))[0] if output is not None else None
        if wrong is not None and same_choice(read, wrong, problem):
            return name, message
    return problem, CHOICE_MESSAGES[problem]


def _judge_choice_public(judge: dict, case: dict, function: Callable) -> tuple[str, str]:
    """One public case of ``choose_l2``: the arguments left as they were, then :func:`judge_choice`
    against the case's stated losses and its mistakes' outputs; what to print (a public case's
    numbers may be shown)."""
    args = decode(case["args"])
    given = copy.deepcopy(args)
    got = function(*given)
    if not identical(given, args):
        return "mutated-input", CONTRACT_MESSAGES["mutated-input"]
    lambdas = args[-3]
    mistakes = [(m["name"], m["message"], decode(output) if output is not None else None)
                for m, output in zip(judge["mistakes"], case["mistake_outputs"])]
    problem, message = judge_choice(got, lambdas, case["val_losses"], case["test_losses"], mistakes)
    best = first_lowest(case["val_losses"])[0]
    stated = (f"expected: best_lambda {lambdas[best]:g}, val_losses "
              f"{np.array2string(np.asarray(case['val_losses']), precision=6)}, test_loss {case['test_losses'][best]:.6f}")
    if problem:
        return problem, ("Recognised mistake: " if problem in {m["name"] for m in judge["mistakes"]} else "") + \
            f"{message}\n{stated}\ngot:      {got!r}"
    return "", f"best_lambda {lambdas[best]:g}, as the stated procedure chooses"


def check_judged(question: str, function: Callable, public: dict, path: str | None = None) -> None:
    """The visible checks of a judged question: run the public cases, judge each as the grader does."""
    __tracebackhide__ = True  # noqa: F841
    shown = []
    for index, case in enumerate(public["cases"]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                problem, text = _judge_public(public["judge"], case, function, path)
        except NotImplementedError:
            raise StubNotImplemented(
                f"{question}: not implemented yet. Replace `raise NotImplementedError()` by your code (in "
                f"{getattr(function, '__name__', question)} or a function it uses), run that cell, then this one."
            ) from None
        if problem:
            raise CheckFailed(f"{question}: visible check {index + 1} of {len(public['cases'])} ({case['label']}) "
                              f"failed.\n{text}")
        shown.append(f"  {case['label']}: {text}" if text else f"  {case['label']}: passed")
    print("\n".join([f"{question}: all {len(public['cases'])} visible checks passed. "
                     "More cases are checked when you submit."] + shown))
