"""The held-out corpus (tests/corpus_heldout/) stays correctly labelled and well formed.

It is a second independent measure of the grader on mistakes nobody registered, so its labels
must be right: every valid answer agrees with nn_core, every mistake differs from it somewhere,
every shortcut agrees to 1e-4. These tests never import autograder.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

CORPUS_DIR = Path(__file__).resolve().parent / "corpus_heldout"
ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5")


@pytest.fixture(scope="module")
def verify() -> ModuleType:
    """``corpus_heldout/verify.py`` under a private name (it loads its corpus modules by path)."""
    spec = importlib.util.spec_from_file_location("heldout_verify", CORPUS_DIR / "verify.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["heldout_verify"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_heldout_label_agrees_with_nn_core(verify: ModuleType, assignment: str) -> None:
    assert verify.verify(assignment) == []


def test_the_harness_tells_a_right_answer_from_a_wrong_one(verify: ModuleType) -> None:
    corpus, prelude = verify.corpus_of("a1")
    cases = verify.CASES["relu"](np.random.default_rng(0))
    reference = verify.ANSWERS["relu"]
    right = verify.load_function(corpus["relu"]["valid"]["mask_product"], "relu", prelude)
    wrong = verify.load_function(corpus["relu"]["mistakes"]["returns_mask"]["source"], "relu", prelude)
    assert verify.differences("relu", right, reference, cases) == []
    assert verify.differences("relu", wrong, reference, cases) != []


def test_every_graded_function_has_valid_answers_and_mistakes(verify: ModuleType) -> None:
    from corpus_labels import graded_functions

    graded = graded_functions()  # a1-a5: the assignments the corpus was written for
    seen = {}
    for assignment in ASSIGNMENTS:
        corpus, _ = verify.corpus_of(assignment)
        seen.update(corpus)
    assert set(seen) == graded
    for question, entry in seen.items():
        assert len(entry["valid"]) >= 2 and len(entry["mistakes"]) >= 3, question


def test_every_evidence_category_in_use_is_documented(verify: ModuleType) -> None:
    readme = (CORPUS_DIR / "README.md").read_text()
    used = set(verify.tally()["evidence"])
    assert used <= verify.EVIDENCE
    assert all(f"`{category}`" in readme for category in verify.EVIDENCE)


def test_heldout_corpus_never_reads_the_registry() -> None:
    for path in CORPUS_DIR.glob("*.py"):
        text = path.read_text()
        assert "import autograder" not in text and "from autograder" not in text, path.name
