"""Judged questions (a5_training): a result is judged in the grader (an initialisation on its
statistics, a trained network on its test metric and on exact replays of the stated loop) instead of
compared with an expected value.

Pinned here: ``train`` is one question whose cases are the three networks, each case an equal share
of its points; the exact replays start from the student's own ``init_params`` (He weights drawn as
(n_in, n_out) and transposed get full marks) but never from an absurd one; a loop that skips the last
short batch (drop_last) gets full marks; a loop slip costs the cases it breaks and a fit written into
the network without training earns nothing; the reference passes and an untrained network fails; what
the judge keeps back (the test split) never reaches the student's process; a result of the wrong size,
a huge one or one with nan gets a clear failure; the feedback says the threshold and the course's
settings and nothing that depends on a hidden case; the visible checks judge the same way.
"""
from __future__ import annotations

import dataclasses
import json
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest

from autograder.course.cases import submission_key
from autograder.checks import judged
from autograder.checks import public, visible
from autograder.checks.compare import as_tree
from autograder.course.config import load_course
from autograder.grading.pipeline import grade_sources, plan, score_question
from autograder.questions import QUESTIONS
from autograder.checks.judged import REPLAY_MESSAGE
from autograder.questions.a5_training import (CARELESS, NETWORKS, SWEEP_RATES, advice, careless_loop,
                                             network_settings, output_name, replay_count, replay_runs, settings_table,
                                             sweep_table, with_init)
from autograder.sandbox import CallOutcome, Sandbox
from nn_core import data, training

COURSE = load_course()
A5 = "a5_training"
SPECS = {spec.id: spec for spec in COURSE.assignment(A5).questions}
SPEC = SPECS["train"]
SUBMISSION = submission_key([])  # the cases of one submission, for the tests that score answers in process
REPO = Path(__file__).resolve().parents[1]

# The pasted code of assignments 1-4 a student's train relies on, from the solution notebook.
PASTED = textwrap.dedent('''
    import numpy as np
    def relu(z):
        return np.maximum(0.0, z)
    def softmax(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1, keepdims=True)
    def init_params(sizes, seed):
        rng = np.random.default_rng(seed)
        return [(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_out, n_in)), np.zeros(n_out))
                for n_in, n_out in zip(sizes[:-1], sizes[1:])]
''')

#: He weights drawn as (n_in, n_out) and transposed: init_params's statistics are right, the numbers
#: are the stated draw's in another arrangement.
TRANSPOSED_DRAW = '''
        def init_params(sizes, seed):
            rng = np.random.default_rng(seed)
            return [(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)).T, np.zeros(n_out))
                    for n_in, n_out in zip(sizes[:-1], sizes[1:])]
'''

# The student's train, a plain numpy loop: the stated loop, as a student writes it.
NUMPY_LOOP = '''
        def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
            rng = np.random.default_rng(seed)
            params = init_params(sizes, seed)
            for _ in range(epochs):
                order = rng.permutation(len(X))
                for start in range(0, len(X), batch_size):
                    rows = order[start:start + batch_size]
                    A, Zs = [X[rows]], []
                    for k, (W, b) in enumerate(params):
                        Zs.append(A[-1] @ W.T + b)
                        last = k == len(params) - 1
                        A.append((softmax(Zs[-1]) if output == "softmax" else 1 / (1 + np.exp(-Zs[-1]))
                                  if output == "sigmoid" else Zs[-1]) if last else relu(Zs[-1]))
                    delta, grads = A[-1] - Y[rows], []
                    for k in range(len(params) - 1, -1, -1):
                        grads.insert(0, (delta.T @ A[k] / len(rows), delta.mean(axis=0)))
                        if k:
                            delta = (delta @ params[k][0]) * (Zs[k - 1] > 0)
                    params = [(W - lr * dW, b - lr * db) for (W, b), (dW, db) in zip(params, grads)]
            return params
'''
DROP_LAST = ("range(0, len(X) - batch_size + 1, batch_size)", "range(0, len(X), batch_size)")


@pytest.fixture(scope="module")
def sandbox():
    with Sandbox(COURSE.limits) as box:
        yield box


def grade(sandbox, source: str, questions=("train",), student: str = "judged-student", pasted: str = PASTED):
    specs = [SPECS[q] for q in questions]
    result, _ = grade_sources(sandbox, [pasted, textwrap.dedent(source)], A5, student, specs, COURSE)
    return {q.id: q for q in result.questions}


def judged_in_process(qid: str, student: str, answer):
    """Score ``answer`` (run here, on the student's hidden cases, with the arguments the grader sends:
    train's through its adapter) as if the student's code returned it."""
    cases = plan(COURSE, A5, student, [SPECS[qid]], submission=SUBMISSION)
    outcomes = [CallOutcome("ok", as_tree(answer(*p.case.args)), "") for p in cases]
    return score_question(SPECS[qid], cases, outcomes, COURSE.limits.call_timeout_s)


def as_graded(train, init=training.init_params):
    """A student's ``train(X, Y, sizes, output, ...)`` and ``init_params`` as the grader calls them
    (the with_init adapter): ``(init(sizes, seed), train(...))`` from the case's arguments."""
    def called(X, Y, sizes, kind, lr, epochs, batch_size, seed):
        return init(sizes, seed), train(X, Y, sizes, output_name(kind), lr, epochs, batch_size, seed)
    return called


def untrained(X, Y, sizes, output, lr, epochs, batch_size, seed):  # biases nudged: not "biases not updated"
    return [(W, b + 0.01) for W, b in training.init_params(sizes, seed)]


def test_train_is_one_question_whose_cases_are_the_three_networks_each_an_equal_share():
    planned = plan(COURSE, A5, "alice", [SPEC], submission=SUBMISSION)
    settings = SPEC.settings
    per_network = 1 + settings["random_runs"] + replay_count(settings)
    assert [p.case.held_out["task"] for p in planned] == [t for t in NETWORKS for _ in range(per_network)]
    assert {p.case.weight for p in planned} == {1.0} and SPEC.partial_credit
    assert [output_name(p.case.args[3]) for p in planned][::per_network] == [o for o, _ in NETWORKS.values()]
    assert not {"train_regression", "train_binary", "train_classifier"} & set(SPECS)


def test_the_reference_training_passes_for_every_student():
    for k in range(3):
        result = judged_in_process("train", f"student-{k}", QUESTIONS["train"].reference)
        assert result.score == result.max_score, result.feedback


def test_a_student_who_returns_untrained_params_fails_every_case():
    result = judged_in_process("train", "student-0", as_graded(untrained))
    assert result.passed == 0 and result.score == 0, result.feedback
    assert REPLAY_MESSAGE in result.feedback
    for task in NETWORKS:
        assert advice(network_settings(SPEC.settings, task)) in result.feedback


# --------------------------------------------------------------------------- the student's own start
def _transposed_draw(sizes, seed):
    rng = np.random.default_rng(seed)
    return [(rng.normal(0.0, np.sqrt(2.0 / n_in), size=(n_in, n_out)).T, np.zeros(n_out))
            for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _zeros(sizes, seed):
    return [(np.zeros((n_out, n_in)), np.zeros(n_out)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]


def _stated_loop_from(init):
    """The stated loop (nn_core's, from ``init``'s parameters), as a student's train."""
    def train(X, Y, sizes, output, lr, epochs, batch_size, seed):
        task = {o: t for t, (o, _) in NETWORKS.items()}[output]
        return training.train_network(X, Y, sizes, task, lr, epochs, batch_size, seed, init(sizes, seed))[0]
    return train


def test_he_weights_drawn_transposed_and_the_right_loop_get_full_marks_on_train():
    """The replays start from the student's own init_params: the order of the draws costs nothing."""
    result = judged_in_process("train", "transposing-student", as_graded(_stated_loop_from(_transposed_draw),
                                                                         _transposed_draw))
    assert result.score == result.max_score, result.feedback


def test_an_absurd_initialisation_makes_no_loop_easier_to_pass():
    """Zeros freeze all but the output bias, so from zeros a loop that only steps the last bias would
    match: the replays start from the student's init only when it holds the stated draw's numbers,
    else from the stated draw, and say so."""
    def last_bias_only(X, Y, sizes, output, lr, epochs, batch_size, seed):
        return careless_loop(frozen=lambda l, L: (True, l < L - 1))(_zeros(sizes, seed), X, Y, sizes, output, lr,
                                                                     epochs, batch_size, seed)
    result = judged_in_process("train", "zero-student", as_graded(last_bias_only, _zeros))
    assert result.passed == 0, result.feedback
    assert judged.NOT_THE_DRAW.strip() in result.feedback


def test_the_start_is_the_students_draw_in_any_arrangement_and_nothing_else():
    sizes, seed = [12, 7, 3], 5
    stated = training.init_params(sizes, seed)
    layer_by_layer = [(W[::-1], b) for W, b in stated]  # rows in another order
    assert judged.same_draw(_transposed_draw(sizes, seed), stated, sizes)
    assert judged.same_draw(layer_by_layer, stated, sizes)
    assert not judged.same_draw(_zeros(sizes, seed), stated, sizes)
    assert not judged.same_draw(training.init_params(sizes, seed + 1), stated, sizes)
    assert not judged.same_draw([(W, b + 1) for W, b in stated], stated, sizes)


def test_a_loop_that_drops_the_last_short_batch_gets_full_marks(sandbox):
    """PyTorch's drop_last=True: the notebook accepts it and every replay accepts both forms."""
    results = grade(sandbox, NUMPY_LOOP.replace(DROP_LAST[1], DROP_LAST[0]))
    assert results["train"].score == results["train"].max_score, results["train"].feedback


def test_transposed_he_weights_in_a_submission_get_full_marks(sandbox):
    """Through the sandbox: the adapter calls the student's own init_params beside train."""
    results = grade(sandbox, TRANSPOSED_DRAW + NUMPY_LOOP)
    assert results["train"].score == results["train"].max_score, results["train"].feedback


# --------------------------------------------------------------------------- what a slip costs
def test_a_loop_slip_costs_the_cases_it_breaks_not_the_whole_question():
    """No shuffling still trains every network well: it loses the exact cases (the course's runs and
    the replays, where the loop is compared), keeps the random runs, and is named."""
    mistake = next(m for m in QUESTIONS["train"].mistakes if m.name == "no shuffling")
    result = judged_in_process("train", "careless-student", mistake.fn)
    exact = sum(1 + replay_count(SPEC.settings) for _ in NETWORKS)
    assert result.passed == result.total - exact and 0 < result.score < result.max_score, result.feedback
    assert result.score == pytest.approx(SPEC.points * (result.total - exact) / result.total, abs=1e-4)  # 4 decimals
    assert [m["id"] for m in result.mistakes] == ["no shuffling"], result.feedback


def _lsq_cheat():
    """The reviewer's least-squares cheat (tests/corpus/a5_training.py), as a function run here."""
    namespace = {"np": np}
    exec(corpus_a5().LSQ, namespace)
    return namespace["train"]


def corpus_a5():
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_a5", Path(__file__).parent / "corpus" / "a5_training.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_least_squares_fit_written_into_the_network_without_training_scores_zero():
    """It reaches every threshold, but no case is a loop's: not the stated loop, not a named slip."""
    for k in range(2):
        result = judged_in_process("train", f"student-{k}", as_graded(_lsq_cheat()))
        assert result.score == 0, result.feedback
        assert [m["id"] for m in result.mistakes] == ["not the stated loop"], result.feedback


@pytest.mark.parametrize("name", sorted(CARELESS))
def test_each_careless_loop_fails_every_exact_case_and_is_named(name):
    mistake = next(m for m in QUESTIONS["train"].mistakes if m.name == name)
    cases = plan(COURSE, A5, "careless-student", [SPEC], submission=SUBMISSION)
    result = judged_in_process("train", "careless-student", mistake.fn)
    exact = [p for p in cases if p.case.held_out.get("replay") or p.case.held_out.get("exact")]
    assert result.passed <= len(cases) - len(exact) and [m["id"] for m in result.mistakes] == [name], result.feedback
    assert CARELESS[name][1] in result.feedback


def test_the_exact_replays_vary_seed_rows_and_lr_per_student_with_and_without_a_last_short_batch():
    replays = [[p.case for p in plan(COURSE, A5, student, [SPEC], submission=SUBMISSION)
                if p.case.held_out.get("replay")]
               for student in ("alice", "bob")]
    settings = SPEC.settings
    assert [len(r) for r in replays] == [replay_count(settings) * len(NETWORKS)] * 2
    for alice, bob in zip(*replays):
        X, _, sizes, kind, lr, epochs, batch, seed = alice.args
        net = network_settings(settings, alice.held_out["task"])
        assert len(X) == settings["replay_rows"] and epochs >= 2
        assert sizes == [net["sizes"][0], settings["replay_width"], net["sizes"][-1]]
        assert seed != bob.args[7] and not np.array_equal(X, bob.args[0])
        assert lr != bob.args[4] or "small learning rate" in alice.label  # that one has its fixed rate
    # a short last batch (kept or skipped, both accepted) and none: a loop one batch short fails the second
    assert {bool(settings["replay_rows"] % batch) for _, batch in replay_runs(settings)} == {True, False}


def test_a_loop_that_stops_one_batch_early_fails_the_replay_whose_batches_divide_the_rows(sandbox):
    """Accepting drop_last must not accept a loop that drops a FULL last batch."""
    results = grade(sandbox, NUMPY_LOOP.replace(DROP_LAST[1], "range(0, len(X) - batch_size, batch_size)"))
    assert results["train"].score < results["train"].max_score, results["train"].feedback
    assert "exact replay (2 epochs, batches of 6)" in results["train"].feedback


def test_the_notebooks_table_of_settings_is_course_ymls():
    table = settings_table(SPEC.settings)
    for folder in ("solutions", "assignments"):
        notebook = json.loads((REPO / folder / A5 / "training.ipynb").read_text())
        assert any(table in "".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"), folder
    assert "| 0.1 | 20 | 32 | 0 | test accuracy >= 0.92 |" in table and "| 2 | 6 | other |" in table


def test_the_notebook_says_what_the_replays_start_from_and_that_drop_last_is_accepted():
    for folder in ("solutions", "assignments"):
        cells = json.loads((REPO / folder / A5 / "training.ipynb").read_text())["cells"]
        text = " ".join(" ".join("".join(c["source"]).split()) for c in cells if c["cell_type"] == "markdown")
        assert "start from what your own `init_params(sizes, seed)` returns" in text, folder
        assert "`drop_last=True`) is accepted as well" in text, folder


def test_the_learning_rate_model_answer_quotes_the_sweep_computed_by_the_reference():
    """The written question's figures come from nn_core's loop at course.yml's settings (the loop
    every train that passes the exact replays follows), not from memory: at lr 3 the classifier
    ends at 17.6 %, not the "about 10 %" (chance) the second edition's mark scheme said."""
    settings, digits = network_settings(SPEC.settings, "classifier"), data.load_digits()
    runs = training.learning_rate_sweep(digits.X_train, digits.Y_train, digits.X_test, digits.Y_test,
                                        settings["sizes"], SWEEP_RATES, settings["epochs"], settings["batch_size"], 0)
    cells = json.loads((REPO / "solutions" / A5 / "training.ipynb").read_text())["cells"]
    text = {cell.get("metadata", {}).get("nbgrader", {}).get("grade_id"): "".join(cell["source"]) for cell in cells}
    assert sweep_table(runs) in text["learning_rate_sweep"]
    assert any(f"for rate in {SWEEP_RATES}:" in "".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert "| 3 | 22.9 | 17.6% |" in sweep_table(runs)
    assert "10 %" not in text["learning_rate_sweep_prompt"] + text["learning_rate_sweep"]


def test_the_feedback_says_the_threshold_and_the_settings_and_nothing_a_hidden_case_decides():
    text = advice(network_settings(SPEC.settings, "classifier"))
    assert "at least 0.92" in text and "lr 0.1" in text and "20 epochs" in text and "batches of 32" in text

    feedback = {judged_in_process("train", f"student-{k}", as_graded(untrained)).feedback for k in range(2)}
    assert len({f.split("\n", 1)[1] for f in feedback}) == 1  # the same words for every student's hidden cases


def test_the_expected_value_is_never_computed_for_a_judged_question(monkeypatch):
    question = QUESTIONS["train"]

    def refuse(*args):
        raise AssertionError("the reference was called")

    monkeypatch.setitem(QUESTIONS, "train", dataclasses.replace(question, reference=refuse))
    planned = plan(COURSE, A5, "alice", [SPEC], submission=SUBMISSION)
    assert planned and all(p.expected is None for p in planned)


def test_the_test_split_never_reaches_the_students_process(sandbox, monkeypatch):
    """Every array sent to the sandbox is training data: no row of any test split is among them,
    and nothing held out by a case is an argument."""
    sent = []
    real_run = Sandbox.run

    def recording_run(self, sources, calls, *args, **kwargs):
        sent.extend(calls)
        return real_run(self, sources, calls, *args, **kwargs)

    monkeypatch.setattr(Sandbox, "run", recording_run)
    unfitted = '''
        def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
            return init_params(sizes, seed)
    '''
    grade(sandbox, unfitted)
    graded = submission_key([PASTED, textwrap.dedent(unfitted)])  # the cases of the code just graded
    held_out = [p.case.held_out for p in plan(COURSE, A5, "judged-student", [SPEC], submission=graded)]
    assert len(sent) == len(held_out)

    def arrays(tree):
        if isinstance(tree, (list, tuple)):
            return [a for item in tree for a in arrays(item)]
        return [tree] if isinstance(tree, np.ndarray) else []

    test_rows = {row.tobytes() for h in held_out if "X_test" in h for row in np.atleast_2d(h["X_test"])}
    test_targets = [h["Y_test"] for h in held_out if "Y_test" in h]
    for call in sent:
        for array in arrays(call.args):
            rows = np.atleast_2d(array)
            assert not any(row.tobytes() in test_rows for row in rows), call.function
            assert not any(array.shape == target.shape and np.array_equal(array, target) for target in test_targets)


@pytest.mark.parametrize("returned, judged", [
    ("[(np.full(W.shape, np.nan), b) for W, b in init_params(sizes, seed)]", "contain nan or inf"),
    ("[(np.zeros(1_000_000), b + 1) for W, b in init_params(sizes, seed)]", "shape (n_out, n_in)"),
    ("[(W * 1e300, b + 1e300) for W, b in init_params(sizes, seed)]", "must be at least"),
    ("np.zeros(10_000_000)", "larger than"),
    ("'params'", "not a number"),
])
def test_a_huge_or_non_finite_result_gets_a_clear_failure(sandbox, returned, judged):
    results = grade(sandbox, f'''
        def train(X, Y, sizes, output, lr, epochs, batch_size, seed, history=None):
            return {returned}
    ''')
    result = results["train"]
    assert result.score == 0 and judged in result.feedback, result.feedback


def test_the_solution_loop_in_the_sandbox_fits_the_course_limits(sandbox):
    """The three networks trained by a plain numpy loop, every hidden case, well within the limits."""
    start = time.monotonic()
    results = grade(sandbox, NUMPY_LOOP)
    elapsed = time.monotonic() - start
    assert all(q.score == q.max_score for q in results.values()), [q.feedback for q in results.values()]
    assert elapsed < COURSE.limits.submission_timeout_s / 4, elapsed


# --------------------------------------------------------------------------- where a replay diverges
def _replay_feedback(sandbox, wrong: str, right: str) -> str:
    """train's feedback for the numpy loop with ``right`` replaced by ``wrong``."""
    assert right in NUMPY_LOOP
    return grade(sandbox, NUMPY_LOOP.replace(right, wrong))["train"].feedback


def test_a_loop_shuffled_once_is_told_that_its_first_epoch_matches_and_its_second_does_not(sandbox):
    feedback = _replay_feedback(sandbox, "order = rng.permutation(len(X))\n            for _ in range(epochs):",
                                "for _ in range(epochs):\n                order = rng.permutation(len(X))")
    assert "Where your loop leaves the stated one: epoch 2 of" in feedback and "(the epochs before it match" in feedback
    assert "The first epoch matches, so the step is right" in feedback, feedback


def test_an_unrecognised_loop_is_told_where_it_diverges_which_parameters_and_the_classic_mistakes(sandbox):
    feedback = _replay_feedback(sandbox, "params = [(W - lr * dW, b - 0.5 * lr * db)",
                                "params = [(W - lr * dW, b - lr * db)")
    assert "Where your loop leaves the stated one: epoch 1 of" in feedback, feedback
    assert "every layer's W and b differ from the stated loop's" in feedback
    for mistake in judged.CLASSIC_LOOP_MISTAKES:
        assert mistake in " ".join(feedback.split()), mistake


@pytest.mark.parametrize(("name", "told"), [
    ("first layer's weights not updated", "layer 1's W did not change during that epoch"),
    ("one epoch only", "called with epochs=0 (the same replay otherwise), your function returns the stated loop's "
                       "parameters after 1 epoch"),
    ("same order every epoch", "epoch 2 of 3 (the epochs before it match the stated loop)"),
    ("one batch per epoch", "after batch 1 of the 5 of that epoch"),
])
def test_replay_divergence_names_the_epoch_the_batch_and_the_parameter(name, told):
    case = next(p.case for p in plan(COURSE, A5, "divergent-student", [SPEC], submission=SUBMISSION)
                if p.case.held_out.get("replay") and p.case.held_out["task"] == "binary" and p.case.args[5:7] == (3, 5))
    X, Y, sizes, kind, lr, epochs, batch, seed = case.args
    loop = with_init(careless_loop(**CARELESS[name][0]))
    runs = [as_tree(loop(X, Y, sizes, kind, lr, e, batch, seed)) for e in range(epochs + 1)]
    assert told in QUESTIONS["train"].judge.locate(case, runs)


def test_the_stated_trajectory_ends_where_nn_core_trains():
    from autograder.questions.a5_training import stated_trajectory

    for p in plan(COURSE, A5, "any-student", [SPEC], submission=SUBMISSION):
        if p.case.held_out.get("replay"):
            X, Y, sizes, kind, lr, epochs, batch, seed = p.case.args
            task, start = p.case.held_out["task"], _transposed_draw(sizes, seed)
            for drop in (False, True):
                trained = training.train_network(X, Y, sizes, task, lr, epochs, batch, seed, start, drop)[0]
                assert judged.same_params(stated_trajectory(task, start, X, Y, sizes, lr, epochs, batch, seed,
                                                            drop)[-1][-1], trained)


# --------------------------------------------------------------------------- init_params
def test_the_reference_initialisation_passes_its_statistics_for_many_seeds():
    for k in range(30):
        result = judged_in_process("init_params", f"student-{k}", QUESTIONS["init_params"].reference)
        assert result.score == result.max_score, result.feedback


@pytest.mark.parametrize("name", sorted(judged.INIT_MISTAKES))
def test_each_wrong_scale_is_told_apart_from_hes_and_from_the_others(name):
    mistake = next(m for m in QUESTIONS["init_params"].mistakes if m.name == name)
    for k in range(5):
        result = judged_in_process("init_params", f"student-{k}", mistake.fn)
        assert result.passed == 0 and [m["id"] for m in result.mistakes] == [name], result.feedback


# --------------------------------------------------------------------------- the visible checks
@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A folder with the notebook's public_cases.json and data sets, as released."""
    from autograder.course.build import dataset_arrays, public_cases_data

    folder = tmp_path_factory.mktemp("released")
    path = folder / "public_cases.json"
    path.write_text(json.dumps(public_cases_data(COURSE, COURSE.assignment(A5).notebooks[0])))
    for _, dataset in NETWORKS.values():
        np.savez(folder / f"{dataset}.npz", **dataset_arrays(dataset))
    return path


def test_the_visible_check_of_train_prints_each_metric_and_fails_below_the_threshold(released, capsys):
    from nn_core.answers import train

    visible.check("train", train, path=str(released))
    out = capsys.readouterr().out
    assert "test accuracy 0.9" in out and "test R^2" in out and "binary: exact replay" in out

    with pytest.raises(public.CheckFailed, match="required: >= 0.27"):
        visible.check("train", untrained, path=str(released))


def test_the_visible_check_accepts_drop_last_and_says_a_rearranged_draw_is_replayed_on_submission(released, capsys):
    """A loop from a transposed He draw cannot be replayed by checks.py (it holds no training loop):
    it is told that the grader replays it from its own init_params, and not failed."""
    def dropping(X, Y, sizes, output, lr, epochs, batch_size, seed):
        task = {o: t for t, (o, _) in NETWORKS.items()}[output]
        return training.train_network(X, Y, sizes, task, lr, epochs, batch_size, seed, drop_last=True)[0]

    visible.check("train", dropping, path=str(released))
    namespace = {"np": np, "training": training, "NETWORKS": NETWORKS}
    exec(textwrap.dedent(TRANSPOSED_DRAW) + textwrap.dedent('''
        def train(X, Y, sizes, output, lr, epochs, batch_size, seed):
            task = {o: t for t, (o, _) in NETWORKS.items()}[output]
            return training.train_network(X, Y, sizes, task, lr, epochs, batch_size, seed, init_params(sizes, seed))[0]
    '''), namespace)
    capsys.readouterr()
    visible.check("train", namespace["train"], path=str(released))
    assert "not checked here: your init_params returns part 1's numbers in another arrangement" in capsys.readouterr().out


def test_the_gradescope_zip_of_an_assignment_with_judged_networks_installs_what_its_grader_loads_data_with():
    from autograder.gradescope.bundle import GRADING_REQUIREMENTS, grading_requirements

    assert "scikit-learn" in grading_requirements(COURSE, A5)
    assert grading_requirements(COURSE, "a1_activations") == GRADING_REQUIREMENTS
    assert grading_requirements(COURSE, "a6_training_well") == GRADING_REQUIREMENTS  # judged, on no data set


def test_only_notebooks_with_judged_questions_get_the_judged_checks_and_none_gets_an_activation():
    """checks.py is released with every assignment: the judged checks (a network's metric) go
    only beside a5, and compute the metric from logits, so no checks.py holds a sigmoid or a
    softmax, answers of assignment 1."""
    from autograder.course.build import checks_source

    plain, judged = checks_source(), checks_source(judged=True)
    assert "def check_judged" not in plain and "def check_judged" in judged
    assert "from autograder" not in judged and "nn_core" not in judged
    for text in (plain, judged):
        assert "def sigmoid" not in text and "def softmax" not in text and "1.0 / (1.0 + np.exp" not in text
    for assignment in COURSE.assignments:
        released = (Path(__file__).resolve().parents[1] / "assignments" / assignment.id / "checks.py").read_text()
        has_judged = any(QUESTIONS[q.id].judge is not None for q in assignment.questions)
        assert ("def check_judged" in released) == has_judged, assignment.id


def test_the_cases_follow_the_settings_of_the_course_being_graded(tmp_path):
    """On Gradescope the course is the bundled course.yml, not the repository's: the hidden
    cases and the judge use the settings of the course graded."""
    import yaml

    from autograder.course.config import COURSE_FILE

    data = yaml.safe_load(COURSE_FILE.read_text())
    question = next(q for a in data["assignments"] if a["id"] == A5
                    for nb in a["notebooks"] for q in nb["questions"] if q["id"] == "train")
    question["settings"] = dict(question["settings"], replay_width=5, replay_epochs=[4], replay_batch_size=[9],
                                random_runs=1, binary=dict(question["settings"]["binary"], sizes=[30, 7, 1], epochs=3))
    other = tmp_path / "course.yml"
    other.write_text(yaml.safe_dump(data))
    course = load_course(other)
    spec = next(q for q in course.assignment(A5).questions if q.id == "train")
    planned = [p for p in plan(course, A5, "alice", [spec], submission=SUBMISSION) if p.case.held_out["task"] == "binary"]
    course_case = next(p for p in planned if p.case.label == "binary: the course's settings")
    assert course_case.case.args[2] == [30, 7, 1] and course_case.case.args[5] == 3
    metric = [p for p in planned if not p.case.held_out.get("replay")]
    assert len(metric) == 2 and all(3 <= p.case.args[5] <= 4 for p in metric)
    (replay, small) = [p for p in planned if p.case.held_out.get("replay")]
    assert replay.case.args[2] == [30, 5, 1] and replay.case.args[5:7] == (4, 9)
    assert small.case.args[2] == [30, 5, 1] and small.case.args[4] == question["settings"]["small_lr"]
