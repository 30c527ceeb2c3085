"""Assignment 6: training well. A train / validation / test split, L2 regularisation and its strength
chosen on the validation split, momentum and Adam, inverted dropout, batch normalisation, and a network
written as a list of layers with caches.

Every answer is compared with its reference (``nn_core.regularization``, ``nn_core.optimizers``
and the cache-free forms of ``nn_core.layers`` in ``nn_core.answers``). The update rules are pure
(new arrays and state returned, the arguments untouched: ``keeps_inputs``). The gradients
(``l2_gradients``, ``batchnorm_backward``, ``network_gradients``) carry ``wrt`` so that the visible
checks compare them with the student's own ``numerical_gradient``, and a hidden case with many
parameters (:mod:`autograder.questions.large`).

Hidden cases reach what tells the stated rules from their neighbours: Adam's random cases pass an
``eps`` of 1e-4 to 1e-2 and an edge case has gradients of about 1e-7 at the first step (``eps``
inside the square root shows), its ``t`` runs from 1 to 50 (the bias correction shows); batch
norm's random cases pass an ``eps`` of 1e-3 to 1e-1 and an edge case has a constant feature
(variance 0) and another two examples (the divisor ``m - 1`` is then half the ``m``'s).

``choose_l2`` is judged (:class:`ChoiceJudge`): its validation losses must be those of the stated
procedure replayed with ``nn_core`` (:func:`nn_core.regularization.l2_sweep`), its choice the first
lowest of them, its test loss the chosen network's; a result equal to a registered mistake's is named.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping

import numpy as np

from autograder.checks.judged import judge_choice, read_choice
from autograder.checks.public import encode
from autograder.questions import large
from autograder.questions.inputs import one_hot, params, positive, rows
from autograder.questions.registry import Args, Case, Judgement, Mistake, register
from autograder.questions.variants import quietly
from nn_core import answers, layers, optimizers, regularization

Params = list


# --------------------------------------------------------------------------- the train / validation / test split
def _split_case(rng: np.random.Generator, n_val: int | None = None, n_test: int | None = None) -> Args:
    """Rows numbered in their first column (so that any reordering shows), one-hot targets, a seed and
    the numbers of validation and test rows (each at least 1 unless given)."""
    m, n = int(rng.integers(8, 21)), int(rng.integers(1, 4))
    X = np.column_stack([np.arange(m, dtype=np.float64), rng.normal(size=(m, n))])
    n_val = int(rng.integers(1, m // 3 + 1)) if n_val is None else n_val
    n_test = int(rng.integers(1, m // 3 + 1)) if n_test is None else n_test
    return X, one_hot(rng, m, int(rng.integers(2, 5))), int(rng.integers(0, 2**31)), n_val, n_test


def _split_of(order: Callable = lambda seed, m: np.random.default_rng(seed).permutation(m),
              parts: str = "test val train", separately: bool = False) -> Callable:
    """A split with one thing changed: the order of the rows, the order in which the parts are cut
    from it, or X and Y shuffled by two permutations."""
    def split(X, Y, seed, n_val, n_test):
        m = len(X)
        if separately:  # two draws of the one generator, the first for X
            generator = np.random.default_rng(seed)
            rows_x, rows_y = generator.permutation(m), generator.permutation(m)
        else:
            rows_x = rows_y = order(seed, m)
        sizes = {"test": n_test, "val": n_val}
        taken, cut = 0, {}
        for part in parts.split():
            size = sizes.get(part, m - n_val - n_test)
            cut[part] = slice(taken, taken + size)
            taken += size
        return tuple(array[rows[cut[part]]] for part in ("train", "val", "test")
                     for array, rows in ((X, rows_x), (Y, rows_y)))
    return split


register("split_rows", answers.split_rows, _split_case, lambda rng: [
    Case("no test rows", _split_case(rng, n_test=0)),
    Case("no validation rows", _split_case(rng, n_val=0)),
], [
    Mistake("not shuffled", "shuffle first: one np.random.default_rng(seed).permutation(m) gives the order of the "
            "rows; consecutive rows of a data set are often alike (sorted by class, by time).",
            _split_of(order=lambda seed, m: np.arange(m))),
    Mistake("training rows cut first", "cut the shuffled order as stated: its first n_test rows are the test part, "
            "the next n_val the validation part, the rest the training part.", _split_of(parts="train val test")),
    Mistake("validation and test swapped", "the first n_test rows of the shuffled order are the TEST part, the next "
            "n_val the validation part.", _split_of(parts="val test train")),
    Mistake("X and Y shuffled separately", "one permutation for both: row i of X must stay with row i of Y, so "
            "index X and Y with the same order.", _split_of(separately=True)),
    Mistake("the legacy generator", "draw the order from np.random.default_rng(seed).permutation(m), numpy's "
            "Generator, as stated; np.random.seed and np.random.permutation (the legacy RandomState) give another "
            "order.", _split_of(order=lambda seed, m: np.random.RandomState(seed).permutation(m))),
], keeps_inputs=True)


# --------------------------------------------------------------------------- L2 regularisation
def _l2_case(rng: np.random.Generator, layers_count: int | None = None, lam: float | None = None,
             sizes: list[int] | None = None) -> Args:
    """A network's parameters (biases non-zero, so that penalising them shows), lambda and m."""
    sizes = sizes or [int(n) for n in rng.integers(1, 6, size=(layers_count or int(rng.integers(2, 4))) + 1)]
    m = int(rng.integers(3, 200))
    return params(rng, sizes), positive(rng, 0.05, 5.0) if lam is None else lam, m


def _penalty_of(weights: Callable[[np.ndarray], float], biases: bool = False, scale: Callable = lambda lam, m: lam / (2 * m)):
    """A penalty ``scale(lam, m) * sum over layers of weights(W)`` (and of weights(b) with ``biases``)."""
    def penalty(params: Params, lam: float, m: int) -> float:
        return float(scale(lam, m) * sum(weights(W) + (weights(b) if biases else 0.0) for W, b in params))
    return penalty


def _squares(a: np.ndarray) -> float:
    return float(np.sum(np.square(a)))


register("l2_penalty", regularization.l2_penalty, _l2_case, lambda rng: [
    Case("one layer", _l2_case(rng, layers_count=1)),
    Case("lambda = 0", _l2_case(rng, lam=0.0)),
    Case("m = 1", (*_l2_case(rng)[:2], 1)),
], [
    Mistake("penalised the biases", "the L2 penalty sums the squared WEIGHTS of every layer; the biases are not "
            "penalised (a bias shifts a unit's threshold, shrinking it does not make the function smoother).",
            _penalty_of(_squares, biases=True)),
    Mistake("no 1/2", "the penalty is lambda / (2 m) times the sum of squares: the 1/2 makes its gradient "
            "(lambda / m) W.", _penalty_of(_squares, scale=lambda lam, m: lam / m)),
    Mistake("no 1/m", "the penalty is divided by m, the number of examples the data loss averages over, "
            "like the data loss itself.", _penalty_of(_squares, scale=lambda lam, m: lam / 2)),
    Mistake("norms not squared", "the penalty sums the SQUARED Frobenius norms ||W||^2 = sum of W_ij^2, not "
            "the norms.", _penalty_of(lambda a: float(np.linalg.norm(a)))),
    Mistake("mean of the squares", "sum the squares of all the entries of each W; a mean divides by the number "
            "of entries.", _penalty_of(lambda a: float(np.mean(np.square(a))))),
    Mistake("only the last layer", "the penalty sums over EVERY layer's weights: accumulate the layers' sums "
            "(total += ...) instead of keeping the last one.",
            lambda params, lam, m: regularization.l2_penalty(params[-1:], lam, m)),
], keeps_inputs=True)


def _l2_gradient_of(factor: Callable = lambda lam, m: lam / m, biases: bool = False) -> Callable:
    def gradients(params: Params, lam: float, m: int) -> Params:
        return [(factor(lam, m) * W, factor(lam, m) * b if biases else np.zeros_like(b)) for W, b in params]
    return gradients


#: dW and db of every layer of an L2 case, for the student's own gradient check.
WRT_PARAMS = tuple((f"d{name}{layer + 1}", (0, layer, k)) for layer in range(3) for k, name in enumerate("Wb"))

register("l2_gradients", regularization.l2_gradient, _l2_case, lambda rng: [
    Case("one layer", _l2_case(rng, layers_count=1)),
    Case("lambda = 0", _l2_case(rng, lam=0.0)),
    Case("m = 1", (*_l2_case(rng)[:2], 1)),
], [
    Mistake("L2 on the biases", "the penalty leaves the biases out, so its gradient with respect to each b is "
            "zero: only the weights decay.", _l2_gradient_of(biases=True)),
    Mistake("no 1/2", "the derivative of lambda / (2 m) W_ij^2 is (lambda / m) W_ij: the 2 of the square "
            "cancels the 1/2.", _l2_gradient_of(lambda lam, m: 2 * lam / m)),
    Mistake("no 1/m", "the penalty is divided by m, and so is its gradient: (lambda / m) W.",
            _l2_gradient_of(lambda lam, m: lam)),
    Mistake("the penalty's factor", "you multiplied W by the penalty's factor lambda / (2 m); differentiate: "
            "d/dW of lambda / (2 m) W^2 is (lambda / m) W.", _l2_gradient_of(lambda lam, m: lam / (2 * m))),
], wrt=WRT_PARAMS, keeps_inputs=True,
   large_case=lambda rng: _l2_case(rng, sizes=list(large.L2_SIZES)))


# --------------------------------------------------------------------------- lambda chosen on the validation split
#: How many draws a random case of ``choose_l2`` may take to tell every registered mistake from the
#: stated choice (about one in three draws does; beyond this many the last draw is kept).
CHOICE_DRAWS = 40


def _choice_args(rng: np.random.Generator, steps: int | None = None, shuffled: bool = False) -> Args:
    """Three splits of one small data set whose labels a random linear teacher gives, with noise
    (so that fitting the training rows exactly costs on the others), a start ``params`` of a
    network with one ReLU hidden layer, a grid of 4 or 5 distinct lambdas (0 first, then geometric;
    in another order when ``shuffled``), a learning rate and a number of full-batch steps."""
    n_0, C, hidden = int(rng.integers(2, 5)), int(rng.integers(2, 4)), int(rng.integers(6, 11))
    sizes = [int(n) for n in rng.integers(10, 17, size=3)]
    X = rng.normal(size=(sum(sizes), n_0))
    teacher = rng.normal(scale=3.0, size=(C, n_0))
    Y = np.eye(C)[np.argmax(X @ teacher.T + rng.gumbel(size=(len(X), C)), axis=1)]
    start = [(rng.normal(scale=np.sqrt(2.0 / n_0), size=(hidden, n_0)), rng.normal(scale=0.1, size=hidden)),
             (rng.normal(scale=np.sqrt(2.0 / hidden), size=(C, hidden)), rng.normal(scale=0.1, size=C))]
    first, ratio = rng.uniform(0.05, 0.3), rng.uniform(3.0, 6.0)
    lambdas = [0.0] + [float(np.round(first * ratio ** k, 3)) for k in range(int(rng.integers(3, 5)))]
    if shuffled:  # the first and the last neither the smallest nor the largest
        while {lambdas[0], lambdas[-1]} & {min(lambdas), max(lambdas)}:
            lambdas = [lambdas[k] for k in rng.permutation(len(lambdas))]
    lr = float(np.round(rng.uniform(0.3, 1.0), 2))
    steps = int(rng.integers(20, 41)) if steps is None else steps
    cut = np.cumsum(sizes)
    return (X[:cut[0]], Y[:cut[0]], X[cut[0]:cut[1]], Y[cut[0]:cut[1]], X[cut[1]:], Y[cut[1]:],
            start, lambdas, lr, steps)


def _telling(runs: list[regularization.L2Run]) -> bool:
    """Whether the stated choice differs from the smallest lambda's, the largest's, the lowest
    training loss's and the lowest test loss's, so that each choice a mistake makes fails."""
    best = regularization.chosen([run.val_loss for run in runs])
    lambdas = [run.lam for run in runs]
    return best not in {int(np.argmin(lambdas)), int(np.argmax(lambdas)),
                        int(np.argmin([run.test_loss for run in runs])), int(np.argmin([run.train_loss for run in runs]))}


def _choice_case(rng: np.random.Generator, label: str = "random", steps: int | None = None, shuffled: bool = False,
                 settings: Mapping[str, Any] | None = None) -> Case:
    """A case of ``choose_l2`` and, held out, the stated procedure's runs (:func:`nn_core.regularization.l2_sweep`);
    drawn again until it tells every mistake's choice apart (:func:`_telling`), unless ``steps`` is 0
    (every network is then the start: a tie, which the first lambda wins)."""
    for _ in range(CHOICE_DRAWS):
        args = _choice_args(rng, steps, shuffled)
        runs = regularization.l2_sweep(*args)
        if steps == 0 or _telling(runs):
            break
    return Case(label, args, held_out={"runs": runs})


def _choice_edges(rng: np.random.Generator, settings: Mapping[str, Any] | None = None) -> list[Case]:
    return [_choice_case(rng, "lambdas not in increasing order", shuffled=True),
            _choice_case(rng, "no steps: every lambda ties", steps=0, shuffled=True)]


def _first(losses: list[float], runs: list[regularization.L2Run]) -> int:
    return regularization.chosen(losses)


class _Procedure:
    """``choose_l2`` with one thing changed: the training (``penalty_gradient``, or each lambda
    continuing from the previous one's network, ``restart=False``), what the networks are compared
    by (``measured`` of a run and the arguments), how the lambda is picked (``pick`` of the losses
    and the runs), or what is reported as the test loss (``reported`` of the runs and the pick)."""

    def __init__(self, penalty_gradient: Callable | None = None, restart: bool = True,
                 measured: Callable = lambda run, args: run.val_loss, pick: Callable = _first,
                 reported: Callable = lambda runs, index: runs[index].test_loss) -> None:
        self.penalty_gradient, self.restart = penalty_gradient, restart
        self.measured, self.pick, self.reported = measured, pick, reported

    def runs(self, args: Args, stated: list | None = None) -> list[regularization.L2Run]:
        """The networks of this procedure (``stated``: the stated procedure's runs, when it trains as stated)."""
        if self.penalty_gradient is None and self.restart:
            return stated if stated is not None else regularization.l2_sweep(*args)
        previous: list = []  # the last network trained, where each lambda continues from it

        def fit(X: np.ndarray, Y: np.ndarray, start: Params, lam: float, lr: float, steps: int) -> Params:
            begin = start if self.restart or not previous else previous[-1]
            previous.append(regularization.fit_l2(X, Y, begin, lam, lr, steps,
                                                  self.penalty_gradient or regularization.l2_gradient))
            return previous[-1]
        return regularization.l2_sweep(*args, fit=fit)

    def __call__(self, *args: Any, stated: list | None = None) -> tuple[float, list[float], float]:
        runs = self.runs(args, stated)
        losses = [float(self.measured(run, args)) for run in runs]
        index = self.pick(losses, runs)
        return runs[index].lam, losses, float(self.reported(runs, index))


def _penalised(split: int) -> Callable:
    """A run's validation data loss plus its penalty, with m the number of rows of ``args[split]``."""
    return lambda run, args: run.val_loss + regularization.l2_penalty(run.params, run.lam, len(args[split]))


def _biases_too(params: Params, lam: float, m: int) -> Params:
    return [(lam / m * W, lam / m * b) for W, b in params]


def _no_penalty(params: Params, lam: float, m: int) -> Params:
    return [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]


class _Index(_Procedure):
    """The stated procedure returning the chosen position in place of the lambda there."""

    def __call__(self, *args: Any, stated: list | None = None) -> tuple[float, list[float], float]:
        lam, losses, test = super().__call__(*args, stated=stated)
        return float(regularization.chosen(losses)), losses, test


def _lambda_at(which: Callable) -> Callable:
    """A pick: the position of ``which`` (min or max) of the lambdas."""
    return lambda losses, runs: [run.lam for run in runs].index(which(run.lam for run in runs))


PENALTY_COUNTED = ("your validation losses include the L2 penalty. The course compares the networks by their DATA "
                   "loss on the validation split, cross_entropy alone: the penalty is part of the training objective, "
                   "and counting it would favour the small lambdas (it grows with lambda).")

CHOICE_MISTAKES = [
    Mistake("compared on the training split", "your val_losses are the networks' losses on the TRAINING split. "
            "The training loss always prefers the least regularisation (less decay fits the training rows better), "
            "so it cannot choose lambda: compare the networks by their data loss on X_val, Y_val.",
            _Procedure(measured=lambda run, args: run.train_loss)),
    Mistake("compared on the test split", "your val_losses are the networks' losses on the TEST split: the test "
            "split is used once, for the chosen network only. Choosing on it fits the choice to the test rows and "
            "makes the reported test loss optimistic; compare on X_val, Y_val.",
            _Procedure(measured=lambda run, args: run.test_loss)),
    # the penalty counted with m the training rows or the validation rows: one mistake, two forms
    *(Mistake("penalty in the validation loss", PENALTY_COUNTED, _Procedure(measured=_penalised(split)))
      for split in (0, 2)),
    Mistake("L2 on the biases", "your training decays the biases too: the penalty's gradient with respect to each b "
            "is zero, so the step is b <- b - lr db (only W gets + (lam / m) W; your l2_gradients says so).",
            _Procedure(penalty_gradient=_biases_too)),
    Mistake("trained without the penalty", "every lambda's network was trained without the penalty (lambda unused): "
            "each step adds the penalty's gradient, W <- W - lr (dW + (lam / m) W).",
            _Procedure(penalty_gradient=_no_penalty)),
    Mistake("each lambda continued from the previous network", "each lambda's training starts where the previous "
            "one ended (the same arrays updated, or params reassigned): start every lambda from the params you "
            "were given, so that the networks differ by lambda alone.", _Procedure(restart=False)),
    Mistake("argmax instead of argmin", "you chose the lambda with the HIGHEST validation loss: the best network "
            "has the lowest one (np.argmin).", _Procedure(pick=lambda losses, runs: int(np.argmax(losses)))),
    Mistake("the position instead of the lambda", "best_lambda is the position of the lowest validation loss in "
            "the list; return the lambda at that position, lambdas[i].", _Index()),
    Mistake("the last of equal losses", "when several lambdas have the same lowest validation loss, choose the "
            "FIRST of them in the list (np.argmin's rule); a comparison with <= keeps the last.",
            _Procedure(pick=lambda losses, runs: len(losses) - 1 - int(np.argmin(losses[::-1])))),
    Mistake("chose by the test loss", "your choice is the lambda with the lowest TEST loss: choose by the validation "
            "losses you return; the test split is used once, for the chosen network only.",
            _Procedure(pick=lambda losses, runs: int(np.argmin([run.test_loss for run in runs])))),
    Mistake("the smallest lambda", "you returned the smallest lambda, the one the training loss always prefers, not "
            "the one with the lowest validation loss: choose by your val_losses.", _Procedure(pick=_lambda_at(min))),
    Mistake("the largest lambda", "you returned the largest lambda, not the one with the lowest validation loss: "
            "choose by your val_losses.", _Procedure(pick=_lambda_at(max))),
    Mistake("the best test loss reported", "your test_loss is the lowest test loss over every lambda's network: "
            "that uses the test split to choose. Report the test loss of the network chosen on validation only.",
            _Procedure(reported=lambda runs, index: min(run.test_loss for run in runs))),
    Mistake("the validation loss reported as the test loss", "your test_loss is the chosen network's VALIDATION "
            "loss: evaluate the chosen network on X_test, Y_test.",
            _Procedure(reported=lambda runs, index: runs[index].val_loss)),
]


class ChoiceJudge:
    """Judges ``choose_l2`` (:func:`autograder.checks.judged.judge_choice`) against the stated
    procedure's runs that the case holds out (computed with ``nn_core`` when the case was drawn),
    naming a registered mistake whose result is the student's. Every case is exact: the names
    that fit each failing case (:meth:`careless_names`) are intersected over the cases (a mistake
    one case cannot tell from another, e.g. the largest lambda from the argmax, is named by the others)."""

    def _outputs(self, case: Case) -> list[tuple[str, str, Any]]:
        """Every registered mistake's result on the case, computed once per case."""
        held = case.held_out
        if "mistakes" not in held:
            with np.errstate(all="ignore"):
                held["mistakes"] = [(m.name, m.message, m.fn(*case.args, stated=held["runs"])) for m in CHOICE_MISTAKES]
        return held["mistakes"]

    @staticmethod
    def _stated(case: Case) -> tuple[list[float], list[float], list[float]]:
        """The stated procedure's lambdas, validation losses and test losses on ``case``."""
        runs = case.held_out["runs"]
        return [run.lam for run in runs], [run.val_loss for run in runs], [run.test_loss for run in runs]

    def __call__(self, case: Case, got: Any, settings: Mapping[str, Any] | None = None) -> Judgement:
        runs = case.held_out["runs"]
        stated = self._stated(case)
        problem, message = judge_choice(got, *stated, [])
        if not problem:
            return Judgement(True)
        if read_choice(got, len(runs))[0] is not None:  # the mistakes' results only for a wrong one of the right form
            problem, message = judge_choice(got, *stated, self._outputs(case))
        names = [name for name in dict.fromkeys(m.name for m in CHOICE_MISTAKES) if name in self.careless_names(case, got)]
        if len(names) > 1:  # e.g. the largest lambda is also the one with the highest validation loss here
            return Judgement(False, names[0], "this result is that of one of these mistakes, which this case alone "
                             "cannot tell apart: " + "; ".join(names) + ".")
        return Judgement(False, problem, message)

    def exact(self, case: Case) -> bool:
        return True

    def careless_names(self, case: Case, got: Any) -> set[str]:
        """Every registered mistake whose result on ``case`` is the student's."""
        stated = self._stated(case)
        read, problem = read_choice(got, len(stated[0]))
        if problem:
            return set()
        return {name for name, message, output in self._outputs(case)
                if judge_choice(got, *stated, [(name, message, output)])[0] == name}

    def public(self, cases: list[Case], settings: Mapping[str, Any] | None = None) -> dict:
        """The public cases with the stated losses of every lambda and every mistake's result."""
        shown = []
        for case in cases:
            runs = case.held_out["runs"]
            shown.append({"label": case.label, "args": encode(case.args),
                          "val_losses": [run.val_loss for run in runs], "test_losses": [run.test_loss for run in runs],
                          "mistake_outputs": [encode(output) for _, _, output in self._outputs(case)]})
        return {"judge": {"kind": "choice", "mistakes": [{"name": m.name, "message": m.message}
                                                         for m in CHOICE_MISTAKES]},
                "cases": shown}


register("choose_l2", regularization.choose_l2, _choice_case, _choice_edges, CHOICE_MISTAKES,
         keeps_inputs=True, judge=ChoiceJudge())


# --------------------------------------------------------------------------- momentum and Adam
def _parameter(rng: np.random.Generator) -> tuple[int, ...]:
    """The shape of a parameter array: a weight matrix (at least 3 rows, as a batch has: a factor of
    its rows must not look like a small constant) or a bias vector."""
    n_out, n_in = int(rng.integers(3, 7)), int(rng.integers(1, 6))
    return (n_out, n_in) if rng.uniform() < 0.6 else (n_out,)


def _momentum_case(rng: np.random.Generator, first: bool = False, default: bool = False) -> Args:
    shape = _parameter(rng)
    w, dw = rng.normal(size=shape), rng.normal(size=shape)
    v = np.zeros(shape) if first else rng.normal(size=shape)
    lr = positive(rng, 0.01, 0.5)
    return (w, dw, v, lr) if default else (w, dw, v, lr, positive(rng, 0.5, 0.99))


def _momentum_of(velocity: Callable, step_with: str = "new") -> Callable:
    """A momentum step whose velocity is ``velocity(v, dw, beta)`` and whose step uses the new
    velocity (``"new"``), the old one (``"old"``) or the gradient alone (``"gradient"``)."""
    def step(w, dw, v, lr, beta=0.9):
        new = velocity(v, dw, beta)
        used = {"new": new, "old": v, "gradient": dw}[step_with]
        return w - lr * used, new
    return step


def _cs231n_momentum(w, dw, v, lr, beta=0.9):
    v = beta * v - lr * dw
    return w + v, v


register("momentum_step", optimizers.momentum_step, _momentum_case, lambda rng: [
    Case("first step (v = 0)", _momentum_case(rng, first=True, default=True)),
    Case("default beta", _momentum_case(rng, default=True)),
], [
    Mistake("dampened gradient (1 - beta) dw", "the notebook's velocity adds the whole gradient, v <- beta v + dw "
            "(PyTorch's form); the (1 - beta) dw of an exponential average is another convention, whose steps are "
            "(1 - beta) times smaller.", _momentum_of(lambda v, dw, beta: beta * v + (1 - beta) * dw)),
    Mistake("stepped with the old velocity", "update the velocity first, then step with the NEW one: "
            "w <- w - lr v, with v already beta v + dw.", _momentum_of(lambda v, dw, beta: beta * v + dw, "old")),
    Mistake("stepped with the gradient only", "the step moves along the velocity, not along this gradient alone: "
            "w <- w - lr v.", _momentum_of(lambda v, dw, beta: beta * v + dw, "gradient")),
    Mistake("beta ignored", "the old velocity decays: v <- beta v + dw (with beta = 0 this is plain SGD).",
            _momentum_of(lambda v, dw, beta: v + dw)),
    Mistake("velocity with the learning rate inside (CS231n's form)", "the notebook's velocity is beta v + dw, "
            "without the learning rate, and the step subtracts lr v; CS231n's v <- beta v - lr dw, w <- w + v keeps "
            "a different velocity.", _cs231n_momentum),
], keeps_inputs=True)


def _adam_case(rng: np.random.Generator, first: bool = False, tiny: bool = False, default: bool = False) -> Args:
    shape = _parameter(rng)
    w = rng.normal(size=shape)
    dw = rng.normal(scale=1e-7 if tiny else 1.0, size=shape)
    if first:
        m, v, t = np.zeros(shape), np.zeros(shape), 1
    else:
        m, v, t = rng.normal(scale=0.3, size=shape), rng.uniform(0.01, 1.0, size=shape), int(rng.integers(2, 51))
    lr = positive(rng, 0.001, 0.1)
    if default:
        return w, dw, m, v, t, lr
    return (w, dw, m, v, t, lr, positive(rng, 0.8, 0.95), positive(rng, 0.9, 0.999),
            float(np.round(10.0 ** rng.uniform(-4, -2), 6)))


def _adam_of(correct_m: Callable = lambda t, b1: 1 - b1 ** t, correct_v: Callable = lambda t, b2: 1 - b2 ** t,
             root: Callable = lambda v_hat, eps: np.sqrt(v_hat) + eps, hats_as_state: bool = False,
             swapped: bool = False) -> Callable:
    """An Adam step with one thing changed: the bias corrections, the denominator, the state
    returned, or the two betas swapped."""
    def step(w, dw, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
        if swapped:
            beta1, beta2 = beta2, beta1
        m = beta1 * m + (1 - beta1) * dw
        v = beta2 * v + (1 - beta2) * dw * dw
        m_hat, v_hat = m / correct_m(t, beta1), v / correct_v(t, beta2)
        new = w - lr * m_hat / root(v_hat, eps)
        return (new, m_hat, v_hat) if hats_as_state else (new, m, v)
    return quietly(step)


register("adam_step", optimizers.adam_step, _adam_case, lambda rng: [
    Case("first step (m = v = 0, t = 1)", _adam_case(rng, first=True, default=True)),
    Case("tiny gradients at the first step", _adam_case(rng, first=True, tiny=True, default=True)),
    Case("default betas and eps", _adam_case(rng, default=True)),
], [
    Mistake("no bias correction", "m and v start at 0, so their averages are too small in the first steps: "
            "divide them by 1 - beta1^t and 1 - beta2^t before the step (and keep the uncorrected m and v as the "
            "state).", _adam_of(lambda t, b1: 1.0, lambda t, b2: 1.0)),
    Mistake("eps inside the square root", "eps is added OUTSIDE the square root: sqrt(v_hat) + eps (Kingma & "
            "Ba's Algorithm 1, PyTorch). sqrt(v_hat + eps) differs as soon as v_hat is about eps or smaller: "
            "there it divides by about sqrt(eps) instead of eps.", _adam_of(root=lambda v_hat, eps: np.sqrt(v_hat + eps))),
    Mistake("returned the corrected moments", "return the moments m and v themselves as the new state; the "
            "bias-corrected m_hat and v_hat are used for this step only.", _adam_of(hats_as_state=True)),
    Mistake("bias correction with t + 1", "t is the number of THIS step, 1 for the first: the corrections are "
            "1 - beta1^t and 1 - beta2^t with that t.", _adam_of(lambda t, b1: 1 - b1 ** (t + 1),
                                                                  lambda t, b2: 1 - b2 ** (t + 1))),
    Mistake("only m bias-corrected", "both moments start at 0: correct v too, v_hat = v / (1 - beta2^t).",
            _adam_of(correct_v=lambda t, b2: 1.0)),
    Mistake("betas swapped", "beta1 (about 0.9) averages the gradients m, beta2 (about 0.999) their squares v.",
            _adam_of(swapped=True)),
], keeps_inputs=True)


# --------------------------------------------------------------------------- inverted dropout
def _dropout_case(rng: np.random.Generator, training: bool = True, keep_prob: float | None = None,
                  m: int | None = None) -> Args:
    m = rows(rng, m)
    n = int(rng.integers(2, 7))
    keep_prob = positive(rng, 0.3, 0.9) if keep_prob is None else keep_prob
    mask = (rng.random((m, n)) < keep_prob).astype(np.float64)
    mask[0, 0], mask[-1, -1] = 1.0, 0.0 if keep_prob < 1 else 1.0  # a kept and a dropped unit in every mask
    return rng.normal(size=(m, n)), keep_prob, mask, training


register("dropout_forward", answers.dropout_forward, _dropout_case, lambda rng: [
    Case("test time", _dropout_case(rng, training=False)),
    Case("keep_prob = 1", _dropout_case(rng, keep_prob=1.0)),
    Case("m = 1", _dropout_case(rng, m=1)),
], [
    Mistake("scaled at test time instead of training", "this is INVERTED dropout: divide the kept units by "
            "keep_prob while training, so that each unit's expected output is its input, and return X unchanged at "
            "test time (the original dropout scales by keep_prob at test time instead).",
            lambda X, p, mask, training: X * mask if training else X * p),
    Mistake("not divided by keep_prob", "this is INVERTED dropout: while training, divide the kept units by "
            "keep_prob, so that each unit's expected output is its input and X comes back unchanged at test time "
            "(you only multiplied by the mask).",
            lambda X, p, mask, training: X * mask if training else X),
    Mistake("mask applied at test time", "at test time every unit is kept: return X unchanged (the mask and the "
            "scaling are for training only).", lambda X, p, mask, training: X * mask / p),
    Mistake("multiplied by keep_prob", "inverted dropout DIVIDES the kept units by keep_prob (they stand for the "
            "dropped ones too).", lambda X, p, mask, training: X * mask * p if training else X),
    Mistake("kept the dropped units", "mask is 1 for the units KEPT and 0 for those dropped: multiply by the mask "
            "itself.", lambda X, p, mask, training: X * (1 - mask) / p if training else X),
], keeps_inputs=True)


def _dropout_backward_case(rng: np.random.Generator, keep_prob: float | None = None, m: int | None = None) -> Args:
    X, keep_prob, mask, _ = _dropout_case(rng, keep_prob=keep_prob, m=m)
    return X, keep_prob, mask


register("dropout_backward", answers.dropout_backward, _dropout_backward_case, lambda rng: [
    Case("keep_prob = 1", _dropout_backward_case(rng, keep_prob=1.0)),
    Case("m = 1", _dropout_backward_case(rng, m=1)),
], [
    Mistake("forgot the mask", "a dropped unit did not reach the output, so no gradient flows back through it: "
            "multiply by the mask.", lambda dout, p, mask: dout / p),
    Mistake("forgot 1/keep_prob", "the forward pass divided the kept units by keep_prob; the chain rule divides "
            "their gradient by it too.", lambda dout, p, mask: dout * mask),
    Mistake("multiplied by keep_prob", "the forward pass DIVIDES by keep_prob, and so does its derivative.",
            lambda dout, p, mask: dout * mask * p),
    Mistake("kept the dropped units", "the gradient flows back through the units the mask KEPT (mask 1), the "
            "ones that reached the output; you passed it through the dropped ones.",
            lambda dout, p, mask: dout * (1 - mask) / p),
], wrt=(("dX", (1,)),), keeps_inputs=True)  # X of the visible check's inputs (dout, X, keep_prob, mask)


# --------------------------------------------------------------------------- batch normalisation
def _batchnorm_case(rng: np.random.Generator, m: int | None = None, n: int | None = None, default: bool = False,
                    constant: bool = False) -> Args:
    m, n = rows(rng, m, high=8), n or int(rng.integers(1, 6))
    X = rng.normal(loc=rng.normal(scale=3.0, size=n), scale=rng.uniform(0.5, 3.0, size=n), size=(m, n))
    if constant:
        X[:, 0] = X[0, 0]
    gamma, beta = rng.normal(size=n), rng.normal(size=n)
    return (X, gamma, beta) if default else (X, gamma, beta, float(np.round(10.0 ** rng.uniform(-3, -1), 6)))


def _batchnorm_edges(with_dout: bool) -> Callable[[np.random.Generator], list[Case]]:
    def edges(rng: np.random.Generator) -> list[Case]:
        made = [("default eps", _batchnorm_case(rng, default=True)),
                ("two examples", _batchnorm_case(rng, m=2, default=True)),
                ("a constant feature", _batchnorm_case(rng, n=3, default=True, constant=True))]
        if with_dout:
            made = [(label, (rng.normal(size=args[0].shape), *args)) for label, args in made]
        return [Case(label, args) for label, args in made]
    return edges


def _normalised(X: np.ndarray, eps: float, ddof: int = 0, axis: int = 0,
                outside: bool = False, std: bool = False) -> np.ndarray:
    """x_hat with one thing changed: the divisor, the axis, eps outside the root, or the standard
    deviation where the variance goes."""
    mu, var = X.mean(axis=axis, keepdims=True), X.var(axis=axis, ddof=ddof, keepdims=True)
    spread = np.sqrt(var) if std else var
    return (X - mu) / (np.sqrt(var) + eps if outside else np.sqrt(spread + eps))


register("batchnorm_forward", answers.batchnorm_forward, _batchnorm_case, _batchnorm_edges(with_dout=False), [
    Mistake("variance with divisor m - 1", "batch normalisation uses the batch's own variance, the mean of "
            "(x - mu)^2 over the m examples (divisor m, np.var's default), not the unbiased estimate with m - 1.",
            quietly(lambda X, g, b, eps=layers.BN_EPS: g * _normalised(X, eps, ddof=1) + b)),
    Mistake("eps outside the square root", "eps is added to the variance INSIDE the square root: "
            "(x - mu) / sqrt(var + eps).", quietly(lambda X, g, b, eps=layers.BN_EPS: g * _normalised(X, eps, outside=True) + b)),
    Mistake("normalised each example", "each FEATURE (column) is normalised over the batch (axis 0), not each "
            "example over its features.", lambda X, g, b, eps=layers.BN_EPS: g * _normalised(X, eps, axis=1) + b),
    Mistake("standard deviation in place of the variance", "divide by sqrt(var + eps), the standard deviation; "
            "you took the square root of the standard deviation.",
            lambda X, g, b, eps=layers.BN_EPS: g * _normalised(X, eps, std=True) + b),
    Mistake("forgot gamma and beta", "after normalising, the layer scales and shifts each feature: "
            "gamma x_hat + beta.", lambda X, g, b, eps=layers.BN_EPS: _normalised(X, eps)),
], keeps_inputs=True)


def _batchnorm_backward_of(mean_path: bool = True, var_path: bool = True, ddof: int = 0,
                           averaged: bool = False, raw_x: bool = False, no_gamma: bool = False) -> Callable:
    """A batch-norm backward with one thing wrong: a path through the batch statistics dropped, the
    divisor m - 1 (forward and backward alike), dgamma and dbeta averaged, dgamma from X, or dX
    without gamma."""
    def backward(dout, X, gamma, beta, eps=layers.BN_EPS):
        m = X.shape[0]
        divisor = m - ddof
        var = X.var(axis=0, ddof=ddof)
        inv_std = 1.0 / np.sqrt(var + eps)
        x_hat = (X - X.mean(axis=0)) * inv_std
        dx = dout.copy()
        if mean_path:
            dx = dx - dout.mean(axis=0)
        if var_path:
            dx = dx - x_hat * np.sum(dout * x_hat, axis=0) / divisor
        dx = (1.0 if no_gamma else gamma) * inv_std * dx
        dgamma, dbeta = np.sum(dout * (X if raw_x else x_hat), axis=0), np.sum(dout, axis=0)
        if averaged:
            dgamma, dbeta = dgamma / m, dbeta / m
        return dx, dgamma, dbeta
    return quietly(backward)


#: What a batch-norm backward returns gradients of, for the student's own gradient check.
WRT_BATCHNORM = (("dX", (1,)), ("dgamma", (2,)), ("dbeta", (3,)))

register("batchnorm_backward", answers.batchnorm_backward,
         lambda rng: (lambda args: (rng.normal(size=args[0].shape), *args))(_batchnorm_case(rng)),
         _batchnorm_edges(with_dout=True), [
    Mistake("no gradient through the mean", "mu depends on every x of its column: besides the direct path, each "
            "x_i moves the loss through mu (and through the variance). Your dX lacks the term from mu, "
            "-mean(dout) in the collected form.", _batchnorm_backward_of(mean_path=False)),
    Mistake("no gradient through the variance", "the variance depends on every x of its column: your dX lacks the "
            "path through var, the term in x_hat times mean(dout * x_hat).", _batchnorm_backward_of(var_path=False)),
    Mistake("batch statistics treated as constants", "mu and var are computed from the batch, so they depend on X: "
            "the gradient goes through them too, not only through x - mu directly.",
            _batchnorm_backward_of(mean_path=False, var_path=False)),
    Mistake("variance with divisor m - 1", "the forward pass uses the batch's own variance, divisor m; with m - 1 "
            "both x_hat and the path through the variance differ.", _batchnorm_backward_of(ddof=1)),
    Mistake("dgamma and dbeta averaged", "dout is already the gradient of the MEAN loss: dgamma and dbeta SUM "
            "their terms over the batch, without dividing by m again.", _batchnorm_backward_of(averaged=True)),
    Mistake("dgamma from X instead of x_hat", "gamma multiplies the NORMALISED x_hat, so dgamma sums dout * x_hat.",
            _batchnorm_backward_of(raw_x=True)),
    Mistake("forgot gamma in dX", "the output is gamma x_hat + beta: the way back to X goes through gamma.",
            _batchnorm_backward_of(no_gamma=True)),
], wrt=WRT_BATCHNORM, keeps_inputs=True,
   large_case=lambda rng: (lambda X, g, b: (rng.normal(size=X.shape), X, g, b))(
       *_batchnorm_case(rng, m=large.ENTRIES[0], n=large.ENTRIES[1], default=True)))


# --------------------------------------------------------------------------- a network as a list of layers
def _network_case(rng: np.random.Generator, m: int | None = None, sizes: tuple[int, int, int] | None = None,
                  keep_prob: float | None = None) -> Args:
    """Inputs, one-hot targets, ``[(W1, b1), (gamma, beta), (W2, b2)]``, a dropout mask and keep_prob.
    Given ``sizes``, the weights are scaled by 1 / sqrt(n_in) (a wide network's activations keep
    their size). Batch norm comes after the ReLU, so a unit dead on every row of the batch has
    variance 0 and 1 / sqrt(eps) amplifies every rounding error of a finite difference there: the
    batches have 6 to 10 rows and the first biases are positive, so that a student's own gradient
    check stays well conditioned."""
    m = m or int(rng.integers(6, 11))
    n_0, n_1, C = sizes or (int(rng.integers(2, 6)), int(rng.integers(2, 6)), int(rng.integers(2, 5)))
    scale = (lambda n: 1 / np.sqrt(n)) if sizes else (lambda n: 1.0)
    W1, b1 = rng.normal(scale=scale(n_0), size=(n_1, n_0)), rng.uniform(0.2, 1.0, size=n_1)
    gamma, beta = rng.normal(size=n_1), rng.normal(size=n_1)
    W2, b2 = rng.normal(scale=scale(n_1), size=(C, n_1)), rng.normal(size=C)
    keep_prob = positive(rng, 0.5, 0.9) if keep_prob is None else keep_prob
    mask = (rng.random((m, n_1)) < keep_prob).astype(np.float64)
    return rng.normal(size=(m, n_0)), one_hot(rng, m, C), [(W1, b1), (gamma, beta), (W2, b2)], mask, keep_prob


def _mistaken_network(dropout_mask: bool = True, dropout_scale: bool = True, batchnorm: Callable | None = None,
                      relu: bool = True, summed: bool = False, reverse: bool = False) -> Callable:
    """network_gradients with one thing wrong on the way back: dropout's mask or scale forgotten, another
    batch-norm backward, no relu'(z), the loss summed over the batch, or the layers returned last first."""
    def gradients(X, Y, params, mask, keep_prob):
        scores, (c1, c2, c3, c4, c5) = answers.network_forward(X, params, mask, keep_prob)
        _, dscores = layers.softmax_cross_entropy(scores, Y)
        dout, dW2, db2 = layers.linear_backward(dscores * (len(X) if summed else 1.0), c5)
        dout = dout * (mask if dropout_mask else 1.0) / (keep_prob if dropout_scale else 1.0)
        if batchnorm is None:
            dout, dgamma, dbeta = layers.batchnorm_backward(dout, c3)
        else:
            dout, dgamma, dbeta = batchnorm(dout, np.maximum(c2, 0.0), params[1][0], params[1][1])
        dout = layers.relu_backward(dout, c2) if relu else dout
        _, dW1, db1 = layers.linear_backward(dout, c1)
        grads = [(dW1, db1), (dgamma, dbeta), (dW2, db2)]
        return grads[::-1] if reverse else grads
    return quietly(gradients)


#: The gradients network_gradients returns, for the student's own gradient check.
WRT_NETWORK = tuple((name, (2, layer, k)) for layer, pair in enumerate((("dW1", "db1"), ("dgamma", "dbeta"),
                                                                       ("dW2", "db2"))) for k, name in enumerate(pair))

register("network_gradients", answers.network_gradients, _network_case, lambda rng: [
    Case("two examples", _network_case(rng, m=2)),
    Case("keep_prob = 1", _network_case(rng, keep_prob=1.0)),
], [
    Mistake("dropout's mask forgotten on the way back", "the dropped units passed nothing forward, so nothing "
            "flows back through them: the dropout layer's backward multiplies by the mask.",
            _mistaken_network(dropout_mask=False)),
    Mistake("dropout's 1/keep_prob forgotten on the way back", "the dropout layer divided by keep_prob on the way "
            "forward; its backward divides by keep_prob too.", _mistaken_network(dropout_scale=False)),
    Mistake("batch norm without the mean's path", "your batch-norm backward misses the path through the batch mean "
            "(check it alone with batchnorm_backward's visible checks first).",
            _mistaken_network(batchnorm=_batchnorm_backward_of(mean_path=False))),
    Mistake("batch norm's statistics treated as constants", "the batch-norm layer's mean and variance depend on its "
            "input: use your batchnorm_backward, not only the direct path gamma / sqrt(var + eps).",
            _mistaken_network(batchnorm=_batchnorm_backward_of(mean_path=False, var_path=False))),
    Mistake("forgot relu'(z)", "the ReLU layer's backward passes the gradient only where its input was positive.",
            _mistaken_network(relu=False)),
    Mistake("summed over the batch", "the loss is the MEAN cross-entropy over the batch: its gradient with respect "
            "to the scores is (softmax - Y) / m.", _mistaken_network(summed=True)),
    Mistake("layers in reverse order", "return the gradients in the order of params, first layer first (the "
            "backward pass produces them last first).", _mistaken_network(reverse=True)),
], wrt=WRT_NETWORK, keeps_inputs=True,
   large_case=lambda rng: _network_case(rng, m=large.NETWORK_ROWS,
                                        sizes=(large.NETWORK_WIDTH, large.NETWORK_WIDTH, 10)))
