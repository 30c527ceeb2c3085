"""The blind corpus (tests/corpus_blind/) stays correctly labelled and well formed.

It is the third independent measure of how the grader names mistakes nobody registered, written
after the other two and never used for tuning, so its labels must be right: every valid answer
agrees with nn_core, every mistake differs from it beyond the course's tolerance, every shortcut
agrees to 1e-4. These tests never import autograder.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

CORPUS_DIR = Path(__file__).resolve().parent / "corpus_blind"
ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5", "a6")
#: graded functions added after the corpus was written (its README: what it was written from); a blind
#: corpus cannot be extended by someone who has read the grader, so they stay outside it
ADDED_AFTER = {"choose_l2"}


@pytest.fixture(scope="module")
def verify() -> ModuleType:
    """``corpus_blind/verify.py`` under a private name (it loads its corpus modules by path)."""
    spec = importlib.util.spec_from_file_location("blind_verify", CORPUS_DIR / "verify.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["blind_verify"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_blind_label_agrees_with_nn_core(verify: ModuleType, assignment: str) -> None:
    assert verify.verify(assignment) == []


def test_a_mistake_within_the_course_tolerance_is_refused(verify: ModuleType) -> None:
    """A 'mistake' that differs from the reference only by 1e-8 relative is not a mistake the grader could catch."""
    entry = {"valid": {}, "shortcuts": {},
             "mistakes": {"nudged": {"source": "def relu(z):\n    return np.maximum(z, 0.0) * (1 + 1e-8)\n",
                                     "what": "scales by 1 + 1e-8", "evidence": "factor"}}}
    assert verify.mislabelled("relu", entry, "") == ["relu mistake nudged: within the course's tolerance of the reference"]


def test_a_mistake_that_only_warns_is_refused(verify: ModuleType) -> None:
    """The notebooks say no hidden point depends on a warning: the textbook sigmoid is right in value."""
    entry = {"valid": {}, "shortcuts": {},
             "mistakes": {"textbook": {"source": "def sigmoid(z):\n    return 1 / (1 + np.exp(-z))\n",
                                       "what": "overflows at z = -1000", "evidence": "edge_case"}}}
    assert verify.mislabelled("sigmoid", entry, "") == [
        "sigmoid mistake textbook: within the course's tolerance of the reference"]


def test_the_readme_states_the_corpus_as_it_is(verify: ModuleType) -> None:
    per_question = verify.tally()["question"]
    total = {kind: sum(n for (_, _, k), n in per_question.items() if k == kind)
             for kind in ("valid", "mistakes", "shortcuts")}
    readme = (CORPUS_DIR / "README.md").read_text()
    assert (f"{total['valid']} valid answers, {total['mistakes']} mistakes, {total['shortcuts']} shortcuts"
            in " ".join(readme.split()))


def test_the_checks_tell_a_right_answer_from_a_wrong_one(verify: ModuleType) -> None:
    corpus = verify.corpus_of("a1")
    cases = verify.CASES["softmax"](np.random.default_rng(0))
    reference = verify.ANSWERS["softmax"]
    right = verify.load_function(corpus["softmax"]["valid"]["log_sum_exp"], "softmax")
    wrong = verify.load_function(corpus["softmax"]["mistakes"]["columns"]["source"], "softmax")
    assert verify.differences("softmax", right, reference, cases) == []
    assert verify.differences("softmax", wrong, reference, cases) != []


def test_every_graded_function_has_valid_answers_and_mistakes(verify: ModuleType) -> None:
    from corpus_labels import graded_functions

    graded = graded_functions(ASSIGNMENTS)  # a1-a6: the assignments the corpus was written for
    seen = {name: entry for assignment in ASSIGNMENTS for name, entry in verify.corpus_of(assignment).items()}
    assert set(seen) == graded - ADDED_AFTER
    for question, entry in seen.items():
        assert len(entry["valid"]) >= 2 and len(entry["mistakes"]) >= 3, question
    assert len(seen["train"]["mistakes"]) >= 25


def test_every_a6_gradient_derived_by_the_student_has_a_numerical_shortcut(verify: ModuleType) -> None:
    """The derived gradients of a6 (the penalty's, dropout's, batch norm's, the network's) each have
    finite-difference or complex-step answers, the form issue 26 says must earn nothing."""
    corpus = verify.corpus_of("a6")
    derived = ("l2_gradients", "dropout_backward", "batchnorm_backward", "network_gradients")
    assert all(len(corpus[name]["shortcuts"]) >= 2 for name in derived)
    assert not any(entry["shortcuts"] for name, entry in corpus.items() if name not in derived)


def test_every_evidence_category_is_documented(verify: ModuleType) -> None:
    readme = (CORPUS_DIR / "README.md").read_text()
    assert set(verify.tally()["evidence"]) <= verify.EVIDENCE
    assert all(f"`{category}`" in readme for category in verify.EVIDENCE)


def test_blind_corpus_never_reads_the_grader() -> None:
    for path in CORPUS_DIR.glob("*.py"):
        text = path.read_text()
        assert "import autograder" not in text and "from autograder" not in text, path.name
