"""Shared by the Gradescope tests: the documented results.json format, a course's submissions
laid out for ``python -m autograder grade``, and its scores.

The format is Gradescope's "Autograder Specifications"
(https://gradescope-autograders.readthedocs.io/en/latest/specs/): top-level ``score``,
``execution_time`` (seconds), ``output``, ``visibility``, ``stdout_visibility``,
``extra_data``, ``tests``; a test has ``score``, ``max_score``, ``status``, ``name``,
``name_format``, ``number``, ``output``, ``output_format``, ``tags``, ``visibility``,
``extra_data``; a visibility is hidden, after_due_date, after_published or visible.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema

VISIBILITY = {"enum": ["hidden", "after_due_date", "after_published", "visible"]}
FORMAT = {"enum": ["text", "html", "simple_format", "md", "ansi"]}
TEST = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "score": {"type": "number"}, "max_score": {"type": "number", "minimum": 0},
        "status": {"enum": ["passed", "failed"]}, "name": {"type": "string"}, "name_format": FORMAT,
        "number": {"type": "string"}, "output": {"type": "string"}, "output_format": FORMAT,
        "tags": {"type": "array", "items": {"type": "string"}}, "visibility": VISIBILITY,
        "extra_data": {"type": "object"},
    },
}
RESULTS = {
    "type": "object",
    "additionalProperties": False,
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
    "properties": {
        "score": {"type": "number"}, "execution_time": {"type": "number", "minimum": 0},
        "output": {"type": "string"}, "output_format": FORMAT, "test_output_format": FORMAT,
        "test_name_format": FORMAT, "visibility": VISIBILITY, "stdout_visibility": VISIBILITY,
        "extra_data": {"type": "object"}, "tests": {"type": "array", "items": TEST},
        "leaderboard": {"type": "array"},
    },
}


def validate(results: dict) -> None:
    """Raise ``jsonschema.ValidationError`` unless ``results`` is in Gradescope's documented format."""
    jsonschema.validate(results, RESULTS)


def scored_tests(results: dict) -> dict[str, float]:
    """Question id -> score, from the tests that carry points."""
    return {t["name"]: t["score"] for t in results["tests"] if t["max_score"] > 0}


def cli_scores(assignment: str, notebooks: dict[str, dict[str, bytes]], tmp: Path) -> dict[str, dict[str, float]]:
    """``python -m autograder grade`` on ``notebooks`` (student -> file name -> bytes):
    student -> question -> score."""
    submitted, out = tmp / "submitted", tmp / "graded"
    for student, files in notebooks.items():
        for name, data in files.items():
            (submitted / student / assignment).mkdir(parents=True, exist_ok=True)
            (submitted / student / assignment / name).write_bytes(data)
    subprocess.run([sys.executable, "-m", "autograder", "grade", assignment, str(submitted), "--out", str(out),
                    "--jobs", "1", "--quiet"], check=True)
    return {student: {q["id"]: q["score"] for q in json.loads((out / student / "grade.json").read_text())["questions"]}
            for student in notebooks}
