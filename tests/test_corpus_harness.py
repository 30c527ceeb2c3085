"""``make accuracy``'s harness (tests/corpus/harness.py), without grading: it finds every corpus
origin (the registered one and each ``tests/corpus_<name>/``), reads an independent corpus's
format, counts a mistake as named only with an explanation that names something, and counts a
"Recognised mistake" as misnamed when the answer and the registered variant differ elsewhere."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "corpus"))

import harness  # noqa: E402

from autograder.grading.results import QuestionResult  # noqa: E402


def _result(question: str, ids: list[str], full: bool = False) -> QuestionResult:
    return QuestionResult(question, 1.0 if full else 0.0, 1.0, 1 if full else 0, 1, "",
                          [{"id": i, "message": "", "cases": 1} for i in ids])


def test_every_corpus_beside_the_registered_one_is_an_origin():
    found = harness.origins()
    assert list(found)[0] == harness.REGISTERED and "fresh" in found
    assert found["fresh"] == Path(harness.HERE).parent / "corpus_fresh"


def test_an_independent_corpus_is_read_with_its_kinds_and_a_function_graded_through_others():
    before = {name: sys.modules.get(name) for name in ("a4_losses", "cases")}  # other tests may load theirs
    answers = harness.load_corpus("fresh")
    kinds = {a.kind for a in answers}
    assert kinds == {"valid", "mistake", "shortcut"} and all(a.origin == "fresh" for a in answers)
    assert all(a.what for a in answers if a.mistake)
    trainers = {a.question for a in answers if a.label == "epochs_minus_one"}
    assert trainers == {"train"}  # graded as itself: its REFERENCE_OF networks are no questions now
    # another origin may reuse the names: loading one corpus leaves sys.modules as it found it
    assert {name: sys.modules.get(name) for name in before} == before


def test_a_fresh_mistake_is_named_by_an_explanation_but_not_by_the_replay_checklist():
    answer = next(a for a in harness.load_corpus("fresh") if a.question == "train" and a.mistake)
    assert harness.Graded(answer, "s", _result("train", ["summed gradients"])).named
    assert not harness.Graded(answer, "s", _result("train", [harness.REPLAY_MISMATCH])).named
    assert not harness.Graded(answer, "s", _result("train", [])).named


def test_a_recognised_mistake_that_is_another_mistake_is_counted_misnamed():
    answers = {a.label: a for a in harness.load_corpus("fresh") if a.question == "sigmoid_prime"}
    erratum = "e^z in the sigmoid derivative (notes erratum)"
    right = harness.Graded(answers["notes_erratum_denominator"], "s", _result("sigmoid_prime", [erratum]))
    wrong = harness.Graded(answers["missing_one_minus"], "s", _result("sigmoid_prime", [erratum]))
    assert not harness.misnamed(right) and harness.misnamed(wrong)
    assert not harness.misnamed(harness.Graded(answers["missing_one_minus"], "s",
                                               _result("sigmoid_prime", ["factor:sign"])))  # general: measured


def test_the_report_gives_each_origin_its_figures_and_a_row_per_question():
    fresh = [a for a in harness.load_corpus("fresh") if a.question == "relu"]
    registered = [a for a in harness.load_corpus() if a.question == "relu"]
    graded = ([harness.Graded(a, "s", _result("relu", [], full=True)) for a in fresh + registered if a.valid]
              + [harness.Graded(a, "s", _result("relu", ["factor:sign"])) for a in fresh if a.mistake]
              + [harness.Graded(a, "s", _result("relu", list(a.names))) for a in registered if a.mistake])
    text = harness.report(graded, details=False)
    assert "== registered corpus" in text and "== fresh corpus" in text
    fresh_part = text.split("== fresh corpus")[1]
    assert "named 100.0 % / misnamed 0" in fresh_part
    assert any(line.split()[:1] == ["relu"] for line in fresh_part.splitlines())


def test_every_decision_relabels_a_mistake_its_corpus_has_as_a_valid_answer_with_advice():
    from decisions import DECISIONS

    for origin in {origin for origin, _, _ in DECISIONS}:
        answers = harness.load_corpus(origin)
        for (o, function, label), reason in DECISIONS.items():
            if o != origin:
                continue
            found = [a for a in answers if a.label == label and (a.question == function
                                                                 or function not in harness.QUESTIONS)]
            assert found and all(a.valid and a.advice for a in found), (origin, function, label)
            assert reason
