"""``python -m bench.training``: train one network in nn_core, PyTorch and scikit-learn, side by side.

The three implementations get the same job, so that their times per epoch can be compared:

* the digits data of :func:`nn_core.data.load_digits` (same split, same standardisation);
* the same architecture ``64 -> hidden... -> 10``, ReLU hidden layers, softmax output and
  categorical cross-entropy averaged over the mini-batch;
* the same initial weights: nn_core's seeded :func:`nn_core.network.init_params`, copied
  into ``torch.nn.Linear`` weights and into ``MLPClassifier.coefs_`` (transposed, since
  scikit-learn stores ``(n_in, n_out)``);
* the same mini-batches in the same order: epoch ``e`` visits the rows in the order
  ``np.random.default_rng(seed + e).permutation(m)``, which is the order nn_core's own
  training loop (``MLP.fit(..., epochs=1, seed=seed + e)``) draws;
* plain SGD with the same learning rate (no momentum, no weight decay, no L2 penalty),
  float64 everywhere by default.

nn_core is timed through its own training loop, :meth:`nn_core.network.MLP.fit`, one call per
epoch; that loop also evaluates the loss on the whole training set after each epoch, and the
PyTorch loop here does the same (under ``torch.no_grad``) so both do the same work.
scikit-learn is timed through ``MLPClassifier.partial_fit`` on the epoch's permuted rows with
``shuffle=False`` (one epoch per call); it evaluates no full-set loss but averages the batch
losses it computes anyway.

Printed per network: the median time per epoch (after a warm-up epoch on a throwaway model,
over all epochs of all ``--repeats``, the implementations interleaved), the final test
accuracy, the final training loss, the loss of the untrained networks on the first
mini-batch (equal initial weights give equal values) and the ratios nn_core/PyTorch and
nn_core/scikit-learn (below 1: nn_core is faster). Then the GFLOP/s that nn_core's
forward + backward pass (:meth:`MLP.gradients`) reaches on one large batch against numpy's
own matmul rate for exactly the same matrix products.

PyTorch is an optional extra (``pip install -e '.[bench]'``, torch==2.13.0); without it the
benchmark says how to install it and runs nn_core and scikit-learn only.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import platform
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from typing import Callable, Iterator, Sequence

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from nn_core.data import Dataset, accuracy, load_digits, one_hot
from nn_core.network import MLP, forward

IMPLEMENTATIONS: tuple[str, ...] = ("nn_core", "torch", "sklearn")
TORCH_VERSION = "2.13.0"
TORCH_INSTALL_HINT = (
    f"PyTorch is not installed, so the PyTorch column is skipped. Install the optional extra "
    f"with\n    .venv/bin/pip install -e '.[bench]'\n(torch=={TORCH_VERSION}, a CPU build, comes "
    f"from the local package mirror; or `.venv/bin/pip install torch=={TORCH_VERSION}`)."
)
#: Two test accuracies count as equal when they differ by at most this much.
ACCURACY_TOLERANCE = 0.01


# --------------------------------------------------------------------------------------
# the job
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setup:
    """One training job, identical for every implementation.

    ``hidden`` are the hidden widths (input 64 and output 10 come from the data).
    """

    hidden: tuple[int, ...] = (64,)
    epochs: int = 30
    batch_size: int = 32
    lr: float = 0.1
    seed: int = 0
    data_seed: int = 0

    def sizes(self, data: Dataset) -> list[int]:
        """Layer widths ``[n_in, *hidden, n_out]``."""
        return [data.X_train.shape[1], *self.hidden, data.Y_train.shape[1]]

    def describe(self, data: Dataset) -> str:
        shape = "-".join(str(n) for n in self.sizes(data))
        return (
            f"digits {shape} relu/softmax/cce, plain SGD lr {self.lr:g}, batch {self.batch_size}, "
            f"{self.epochs} epochs, {len(data.X_train)} train / {len(data.X_test)} test rows"
        )


def epoch_seed(seed: int, epoch: int) -> int:
    """Seed of epoch ``epoch``'s shuffle: nn_core's ``fit(..., epochs=1, seed=epoch_seed(...))``."""
    return seed + epoch


def epoch_order(seed: int, epoch: int, m: int) -> np.ndarray:
    """The row order of an epoch, exactly as :func:`nn_core.optim.minibatches` draws it."""
    return np.random.default_rng(epoch_seed(seed, epoch)).permutation(m)


def first_batch_rows(setup: Setup, m: int) -> np.ndarray:
    """Rows of the first mini-batch of the first epoch."""
    return epoch_order(setup.seed, 0, m)[: setup.batch_size]


def initial_params(setup: Setup, data: Dataset) -> list[tuple[np.ndarray, np.ndarray]]:
    """nn_core's seeded initial weights: ``W`` (n_out, n_in), ``b`` (n_out,)."""
    net = MLP(setup.sizes(data), hidden="relu", output="softmax", loss="cce", seed=setup.seed)
    return [(W.copy(), b.copy()) for W, b in net.params]


@dataclass
class RunResult:
    """One implementation's training run.

    ``train_loss`` is the loss on the whole training set after each epoch (nn_core, PyTorch)
    or the mean of that epoch's batch losses (scikit-learn, which computes nothing else);
    ``final_train_loss`` the loss on the whole training set after the last epoch, for all
    three. ``first_batch_loss`` is the loss of the untrained network on the first mini-batch;
    ``init_max_abs_diff`` the largest difference between the implementation's initial
    weights and nn_core's.
    """

    name: str
    label: str
    epoch_seconds: list[float]
    test_accuracy: float
    train_loss: list[float]
    first_batch_loss: float
    init_max_abs_diff: float
    final_train_loss: float


# --------------------------------------------------------------------------------------
# the three implementations
# --------------------------------------------------------------------------------------


def run_nn_core(setup: Setup, data: Dataset, epochs: int | None = None) -> RunResult:
    """nn_core's :class:`MLP` trained by its own loop, :meth:`MLP.fit`, one call per epoch."""
    epochs = setup.epochs if epochs is None else epochs
    init = initial_params(setup, data)
    net = MLP(setup.sizes(data), hidden="relu", output="softmax", loss="cce", seed=setup.seed)
    diff = max(max(np.max(np.abs(W - W0)), np.max(np.abs(b - b0))) for (W, b), (W0, b0) in zip(net.params, init))
    rows = first_batch_rows(setup, len(data.X_train))
    first = net.loss(data.X_train[rows], data.Y_train[rows])
    seconds: list[float] = []
    history: list[float] = []
    for epoch in range(epochs):
        start = time.perf_counter()
        history += net.fit(
            data.X_train, data.Y_train, epochs=1, lr=setup.lr, batch_size=setup.batch_size,
            seed=epoch_seed(setup.seed, epoch),
        )
        seconds.append(time.perf_counter() - start)
    acc = accuracy(data.y_test, net.predict(data.X_test))
    return RunResult("nn_core", "nn_core (numpy, float64)", seconds, acc, history, first, float(diff), history[-1])


def torch_available() -> bool:
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def run_torch(setup: Setup, data: Dataset, epochs: int | None = None, dtype: str = "float64") -> RunResult:
    """The same network as ``torch.nn.Sequential`` of ``Linear``/``ReLU``, ``torch.optim.SGD``."""
    import torch
    import torch.nn.functional as F

    epochs = setup.epochs if epochs is None else epochs
    tdtype = getattr(torch, dtype)
    init = initial_params(setup, data)
    layers: list[torch.nn.Module] = []
    for k, (W, b) in enumerate(init):
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=tdtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b))
        layers.append(linear)
        if k < len(init) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    diff = max(
        float(np.max(np.abs(layer.weight.detach().double().numpy() - W)))
        for layer, (W, _) in zip([m for m in model if isinstance(m, torch.nn.Linear)], init)
    )
    optimizer = torch.optim.SGD(model.parameters(), lr=setup.lr, momentum=0.0, weight_decay=0.0)
    X = torch.from_numpy(data.X_train).to(tdtype)
    y = torch.from_numpy(data.y_train).long()
    m = X.shape[0]
    rows0 = torch.from_numpy(first_batch_rows(setup, m))
    with torch.no_grad():
        first = float(F.cross_entropy(model(X[rows0]), y[rows0]))
    seconds: list[float] = []
    history: list[float] = []
    bs = setup.batch_size
    for epoch in range(epochs):
        start = time.perf_counter()
        order = torch.from_numpy(epoch_order(setup.seed, epoch, m))
        for begin in range(0, m, bs):
            rows = order[begin : begin + bs]
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(X[rows]), y[rows])
            loss.backward()
            optimizer.step()
        with torch.no_grad():  # as nn_core's loop: the loss on all training rows after the epoch
            history.append(float(F.cross_entropy(model(X), y)))
        seconds.append(time.perf_counter() - start)
    with torch.no_grad():
        predicted = model(torch.from_numpy(data.X_test).to(tdtype)).argmax(dim=1).numpy()
    acc = accuracy(data.y_test, predicted)
    label = f"PyTorch {torch.__version__} (CPU, {dtype})"
    return RunResult("torch", label, seconds, acc, history, first, diff, history[-1])


def run_sklearn(setup: Setup, data: Dataset, epochs: int | None = None) -> RunResult:
    """``MLPClassifier(solver="sgd")`` started from nn_core's weights, one ``partial_fit`` per epoch.

    The classifier's state is created by a first ``partial_fit`` on one mini-batch, then its
    ``coefs_``/``intercepts_`` are overwritten with nn_core's initial weights (transposed). With
    ``momentum=0`` the optimizer keeps no state that this first call could leave behind, so
    training starts from exactly nn_core's weights.
    """
    import sklearn
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    epochs = setup.epochs if epochs is None else epochs
    init = initial_params(setup, data)
    classes = np.arange(data.Y_train.shape[1])
    clf = MLPClassifier(
        hidden_layer_sizes=setup.hidden, activation="relu", solver="sgd", alpha=0.0,
        batch_size=setup.batch_size, learning_rate="constant", learning_rate_init=setup.lr,
        momentum=0.0, nesterovs_momentum=False, shuffle=False, max_iter=1, tol=0.0,
        n_iter_no_change=10**9, random_state=setup.seed,
    )
    X, y = data.X_train, data.y_train
    m = len(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.partial_fit(X[: setup.batch_size], y[: setup.batch_size], classes=classes)
    clf.coefs_ = [np.array(W.T, order="C") for W, _ in init]
    clf.intercepts_ = [b.copy() for _, b in init]
    diff = max(float(np.max(np.abs(c.T - W))) for c, (W, _) in zip(clf.coefs_, init))
    rows = first_batch_rows(setup, m)
    P = clf.predict_proba(X[rows])
    first = float(-np.mean(np.log(P[np.arange(len(rows)), y[rows]])))
    seconds: list[float] = []
    history: list[float] = []
    for epoch in range(epochs):
        start = time.perf_counter()
        order = epoch_order(setup.seed, epoch, m)
        clf.partial_fit(X[order], y[order])
        seconds.append(time.perf_counter() - start)
        history.append(float(clf.loss_))
    acc = accuracy(data.y_test, clf.predict(data.X_test))
    P = clf.predict_proba(X)
    final = float(-np.mean(np.log(P[np.arange(m), y])))
    label = f"scikit-learn {sklearn.__version__} MLPClassifier"
    return RunResult("sklearn", label, seconds, acc, history, first, diff, final)


RUNNERS: dict[str, Callable[..., RunResult]] = {
    "nn_core": run_nn_core,
    "torch": run_torch,
    "sklearn": run_sklearn,
}


# --------------------------------------------------------------------------------------
# side by side
# --------------------------------------------------------------------------------------


@dataclass
class Comparison:
    """All runs of one :class:`Setup`; ``results[name]`` is the first repeat's run."""

    setup: Setup
    sizes: list[int]
    results: dict[str, RunResult]
    epoch_seconds: dict[str, list[float]] = field(default_factory=dict)

    def median_ms(self, name: str) -> float:
        return 1e3 * statistics.median(self.epoch_seconds[name])

    def min_ms(self, name: str) -> float:
        return 1e3 * min(self.epoch_seconds[name])

    def ratio(self, name: str, other: str) -> float | None:
        if name in self.results and other in self.results:
            return self.median_ms(name) / self.median_ms(other)
        return None


@contextlib.contextmanager
def pinned_threads(threads: int) -> Iterator[None]:
    """Limit numpy's BLAS, any OpenMP runtime and PyTorch's intra-op pool to ``threads``."""
    restore_torch = None
    if torch_available():
        import torch

        restore_torch = torch.get_num_threads()
        torch.set_num_threads(threads)
    try:
        with threadpool_limits(limits=threads):
            yield
    finally:
        if restore_torch is not None:
            import torch

            torch.set_num_threads(restore_torch)


def compare(
    setup: Setup,
    implementations: Sequence[str] = IMPLEMENTATIONS,
    repeats: int = 1,
    warmup: bool = True,
    torch_dtype: str = "float64",
    data: Dataset | None = None,
) -> Comparison:
    """Train ``setup`` with each implementation ``repeats`` times, interleaved; collect epoch times.

    Call it inside :func:`pinned_threads`. ``warmup`` first trains each implementation for one
    epoch on a throwaway model (first-call costs: imports, allocator, PyTorch's kernels).
    """
    data = load_digits(setup.data_seed) if data is None else data
    names = [n for n in implementations if n != "torch" or torch_available()]
    kwargs = {"torch": {"dtype": torch_dtype}}
    if warmup:
        for name in names:
            RUNNERS[name](setup, data, epochs=1, **kwargs.get(name, {}))
    results: dict[str, RunResult] = {}
    seconds: dict[str, list[float]] = {name: [] for name in names}
    for repeat in range(repeats):
        for name in names:
            run = RUNNERS[name](setup, data, **kwargs.get(name, {}))
            seconds[name] += run.epoch_seconds
            results.setdefault(name, run)
    return Comparison(setup, setup.sizes(data), results, seconds)


def format_comparison(comparison: Comparison, data: Dataset) -> str:
    """The table of one comparison, its ratios and the equal-start check."""
    setup = comparison.setup
    res = comparison.results
    lines = [setup.describe(data)]
    header = f"  {'implementation':<42} {'ms/epoch':>9} {'min':>7} {'test acc':>9} {'train loss':>11}"
    lines += [header, "  " + "-" * (len(header) - 2)]
    for name, run in res.items():
        lines.append(
            f"  {run.label:<42} {comparison.median_ms(name):9.2f} {comparison.min_ms(name):7.2f} "
            f"{run.test_accuracy:9.4f} {run.final_train_loss:11.8f}"
        )
    for other, label in (("torch", "PyTorch"), ("sklearn", "scikit-learn")):
        r = comparison.ratio("nn_core", other)
        if r is not None:
            speed = f"nn_core {1 / r:.2f}x as fast" if r <= 1 else f"nn_core {r:.2f}x slower"
            lines.append(f"  ratio nn_core/{label} time per epoch: {r:.3f} ({speed})")
    if "nn_core" in res:
        base = res["nn_core"].first_batch_loss
        parts = [f"nn_core {base:.15f}"]
        for name, run in res.items():
            if name != "nn_core":
                parts.append(f"{name} |diff| {abs(run.first_batch_loss - base):.1e} (weights {run.init_max_abs_diff:.1e})")
        lines.append("  same start, loss of the untrained net on batch 1: " + ", ".join(parts))
        others = [
            f"{name} {abs(run.final_train_loss - res['nn_core'].final_train_loss):.1e}"
            for name, run in res.items() if name != "nn_core"
        ]
        if others:
            lines.append("  same path, |diff| of the final train loss from nn_core's: " + ", ".join(others))
    if "nn_core" in res and "torch" in res:
        r = comparison.ratio("nn_core", "torch")
        same_acc = abs(res["nn_core"].test_accuracy - res["torch"].test_accuracy) <= ACCURACY_TOLERANCE
        met = r <= 1.0 and same_acc
        lines.append(
            f"  goal nn_core <= PyTorch per epoch at equal accuracy (|diff| <= {ACCURACY_TOLERANCE}): "
            + ("met" if met else "MISSED")
        )
    elif "nn_core" in res:
        lines.append("  goal nn_core <= PyTorch per epoch: not checked, PyTorch did not run")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# GFLOP/s on one large batch
# --------------------------------------------------------------------------------------


def gradient_matmul_flops(sizes: Sequence[int], m: int) -> int:
    """Floating-point operations of the matrix products in one :meth:`MLP.gradients` call.

    Per layer ``k`` (``n_in -> n_out``): forward ``A_k @ W.T`` and backward ``delta.T @ A_k``
    (for ``dW``), ``2 m n_in n_out`` each; every layer but the first also sends the error
    back, ``delta @ W``, another ``2 m n_in n_out``. Elementwise work (bias, activations,
    softmax, ``1/m``) is not counted.
    """
    total = 0
    for k, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        total += (2 if k == 0 else 3) * 2 * m * n_in * n_out
    return total


def _best_seconds(fn: Callable[[], object], repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


@dataclass
class GflopsResult:
    sizes: list[int]
    m: int
    threads: int
    flops: int
    nn_core_seconds: float
    numpy_seconds: float
    square_n: int
    square_gflops: float

    @property
    def nn_core_gflops(self) -> float:
        return self.flops / self.nn_core_seconds / 1e9

    @property
    def numpy_gflops(self) -> float:
        return self.flops / self.numpy_seconds / 1e9


def measure_gflops(sizes: Sequence[int], m: int, repeats: int = 3, seed: int = 0, square_n: int = 2048) -> GflopsResult:
    """Time ``MLP.gradients`` on one ``(m, sizes[0])`` batch and numpy's matmuls of the same shapes.

    The numpy reference runs exactly the products the gradient computes, on arrays of the
    same shapes and memory layouts (``W.T`` and ``delta.T`` as transposed views), and nothing
    else. Best of ``repeats`` for both. Call inside :func:`pinned_threads`.
    """
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((m, sizes[0]))
    Y = one_hot(rng.integers(0, sizes[-1], m), sizes[-1])
    net = MLP(list(sizes), hidden="relu", output="softmax", loss="cce", seed=seed)
    net.gradients(X, Y)  # first touch of the big arrays
    nn_seconds = _best_seconds(lambda: net.gradients(X, Y), repeats)

    A = forward(net.params, X).A
    deltas = [rng.standard_normal((m, n)) for n in sizes[1:]]

    def matmuls() -> None:
        for k, (W, _) in enumerate(net.params):
            A[k] @ W.T
        for k in range(len(net.params) - 1, -1, -1):
            deltas[k].T @ A[k]
            if k > 0:
                deltas[k] @ net.params[k][0]

    matmuls()
    np_seconds = _best_seconds(matmuls, repeats)
    S1 = rng.standard_normal((square_n, square_n))
    S2 = rng.standard_normal((square_n, square_n))
    S1 @ S2
    sq_seconds = _best_seconds(lambda: S1 @ S2, repeats)
    threads = max((p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"), default=0)
    return GflopsResult(
        list(sizes), m, threads, gradient_matmul_flops(sizes, m), nn_seconds, np_seconds,
        square_n, 2 * square_n**3 / sq_seconds / 1e9,
    )


def format_gflops(g: GflopsResult) -> str:
    shape = "-".join(str(n) for n in g.sizes)
    return "\n".join([
        f"  {g.threads} BLAS thread(s): nn_core MLP.gradients, {shape}, batch {g.m}: "
        f"{g.flops / 1e9:.1f} GFLOP in matmuls, {g.nn_core_seconds * 1e3:.0f} ms -> {g.nn_core_gflops:.1f} GFLOP/s",
        f"    numpy matmul, the same products alone: {g.numpy_seconds * 1e3:.0f} ms -> {g.numpy_gflops:.1f} GFLOP/s; "
        f"nn_core reaches {g.nn_core_gflops / g.numpy_gflops:.0%} of it",
        f"    numpy matmul, square {g.square_n}x{g.square_n} float64: {g.square_gflops:.1f} GFLOP/s "
        f"(nn_core: {g.nn_core_gflops / g.square_gflops:.0%})",
    ])


# --------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------


def environment(threads: int) -> str:
    """Machine, library versions and the thread pools in force (call inside pinned_threads)."""
    import sklearn

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    lines = [
        f"machine: {cpu}, {os.cpu_count()} logical CPUs; Python {platform.python_version()}, "
        f"numpy {np.__version__}, scikit-learn {sklearn.__version__}",
    ]
    pools = ", ".join(
        f"{p['internal_api']} {p.get('version') or ''} ({os.path.basename(p['filepath'])}): {p['num_threads']}"
        for p in threadpool_info()
    )
    lines.append(f"threads asked: {threads}; thread pools in force: {pools}")
    if torch_available():
        import torch

        lines.append(f"torch {torch.__version__}: intra-op threads {torch.get_num_threads()}")
    return "\n".join(lines)


def parse_hidden(text: str) -> tuple[int, ...]:
    """``"64"`` -> ``(64,)``; ``"128,64"`` -> ``(128, 64)``."""
    try:
        widths = tuple(int(w) for w in text.split(",") if w.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"hidden widths are integers separated by commas, got {text!r}") from None
    if not widths or min(widths) < 1:
        raise argparse.ArgumentTypeError(f"hidden widths must be positive, got {text!r}")
    return widths


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.training",
        description="Time per epoch and test accuracy of nn_core vs PyTorch vs scikit-learn on digits, "
        "and nn_core's GFLOP/s on one large batch.",
    )
    p.add_argument("--hidden", type=parse_hidden, nargs="+", default=[(64,), (128,), (256,), (128, 64)],
                   metavar="W[,W...]",
                   help="networks to compare, each as its hidden widths separated by commas "
                        "(default: 64 128 256 128,64; the course's digits network is 64)")
    p.add_argument("--epochs", type=int, default=30, help="epochs per training run (default 30)")
    p.add_argument("--batch-size", type=int, default=32, help="mini-batch size (default 32)")
    p.add_argument("--lr", type=float, default=0.1, help="SGD learning rate (default 0.1)")
    p.add_argument("--seed", type=int, default=0, help="initialisation and shuffling seed (default 0)")
    p.add_argument("--repeats", type=int, default=3,
                   help="training runs per implementation, interleaved; the epoch times of all are pooled (default 3)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for numpy's BLAS, OpenMP and PyTorch alike (default 1: the course's "
                        "batches are too small to gain from more)")
    p.add_argument("--only", choices=IMPLEMENTATIONS, nargs="+", default=list(IMPLEMENTATIONS),
                   help="implementations to run (default all three)")
    p.add_argument("--torch-dtype", choices=("float64", "float32"), default="float64",
                   help="PyTorch's precision (default float64, as nn_core and scikit-learn)")
    p.add_argument("--gflops-batch", type=int, default=8192, help="batch size of the GFLOP/s measurement (default 8192)")
    p.add_argument("--gflops-sizes", type=parse_hidden, default=(1024, 1024, 1024, 10), metavar="N,N,...",
                   help="all layer widths of the GFLOP/s network (default 1024,1024,1024,10)")
    p.add_argument("--gflops-threads", type=int, nargs="*", default=None,
                   help="BLAS thread counts for the GFLOP/s measurement (default: --threads and all CPUs); "
                        "none to skip it")
    args = p.parse_args(argv)
    if args.epochs < 1 or args.batch_size < 1 or args.repeats < 1 or args.threads < 1:
        p.error("--epochs, --batch-size, --repeats and --threads must be >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if "torch" in args.only and not torch_available():
        print(TORCH_INSTALL_HINT, flush=True)
    data = load_digits(0)
    with pinned_threads(args.threads):
        print(environment(args.threads), flush=True)
        print(
            "\nTime per epoch: median over all epochs of "
            f"{args.repeats} interleaved run(s) after one warm-up epoch; ratios below 1 mean nn_core is faster.",
            flush=True,
        )
        for hidden in args.hidden:
            setup = Setup(hidden=hidden, epochs=args.epochs, batch_size=args.batch_size, lr=args.lr, seed=args.seed)
            comparison = compare(setup, args.only, repeats=args.repeats, torch_dtype=args.torch_dtype, data=data)
            print("\n" + format_comparison(comparison, data), flush=True)
    gflops_threads = args.gflops_threads
    if gflops_threads is None:
        gflops_threads = sorted({args.threads, os.cpu_count() or 1})
    if gflops_threads:
        print("\nGFLOP/s of nn_core's forward + backward (MLP.gradients) on one large batch, best of 3:", flush=True)
        for threads in gflops_threads:
            with pinned_threads(threads):
                print(format_gflops(measure_gflops(args.gflops_sizes, args.gflops_batch)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
