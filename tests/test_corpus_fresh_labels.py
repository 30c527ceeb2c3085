"""The independent fresh corpus (tests/corpus_fresh/) stays correctly labelled and well formed.

It measures the grader on mistakes nobody registered, so its labels must be right: every valid
answer agrees with nn_core, every mistake differs from it somewhere. These tests never import
autograder.
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

CORPUS_DIR = Path(__file__).resolve().parent / "corpus_fresh"
ASSIGNMENTS = ("a1", "a2", "a3", "a4", "a5")


@pytest.fixture(scope="module")
def verify():
    sys.path.insert(0, str(CORPUS_DIR))
    try:
        yield importlib.import_module("verify")
    finally:
        sys.path.remove(str(CORPUS_DIR))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_fresh_label_agrees_with_nn_core(verify, assignment: str) -> None:
    assert verify.verify(assignment) == []


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_fresh_mistake_says_what_is_wrong_and_its_evidence(verify, assignment: str) -> None:
    corpus = importlib.import_module(assignment).CORPUS
    for question, entry in corpus.items():
        assert set(entry) == {"valid", "mistakes", "shortcuts"}, question
        for label, mistake in entry["mistakes"].items():
            assert mistake["what"].strip() and mistake["evidence"].strip(), (question, label)
            assert f"def {question}(" in mistake["source"], (question, label)
        for label, source in [*entry["valid"].items(), *entry["shortcuts"].items()]:
            assert f"def {question}(" in source, (question, label)


def test_fresh_corpus_never_reads_the_registry() -> None:
    for path in CORPUS_DIR.glob("*.py"):
        text = path.read_text()
        assert "import autograder" not in text and "from autograder" not in text, path.name
