"""Finding a renamed notebook writes nothing and is never shadowed. Issue 21, point 4 (the fast part;
tests/test_workflow_resubmission.py grades the resubmission on both paths with the real engine).

On main, nbgrader's pre-convert hook copied ``X-Copy1.ipynb`` to ``X.ipynb`` in the student's own
folder, and the command line's ``locate_notebook`` then preferred that copy to any corrected
``X-Copy1.ipynb`` handed in later.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from autograder.batch.grade import locate_notebook
from autograder.grading import feedback
from autograder.nbgrader_plugin import adopt_renamed_notebook

CAP = 1 << 20


def write(folder: Path, name: str, metadata: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": metadata or {}}))
    return path


def stale_copy(folder: Path, of: str = "two_layer-Copy1.ipynb") -> Path:
    """The copy main's adopt_renamed_notebook wrote beside a renamed notebook."""
    return write(folder, "two_layer.ipynb", {"autograder": {"graded_from": of}})


def test_nbgrader_grades_a_renamed_notebook_under_its_expected_name_without_writing_a_file(tmp_path):
    folder = tmp_path / "submitted" / "s" / "a3"
    renamed = write(folder, "two_layer-Copy1.ipynb")
    notebooks = [str(renamed)]
    assert adopt_renamed_notebook(["two_layer"], notebooks) == "two_layer-Copy1.ipynb"
    assert notebooks == [str(folder / "two_layer.ipynb")]
    assert sorted(os.listdir(folder)) == ["two_layer-Copy1.ipynb"]


def test_nbgrader_leaves_the_list_alone_when_the_expected_notebook_is_there_or_there_are_several(tmp_path):
    folder = tmp_path / "s" / "a3"
    own = [str(write(folder, "two_layer.ipynb"))]
    assert adopt_renamed_notebook(["two_layer"], own) is None and own == [str(folder / "two_layer.ipynb")]
    two = [str(folder / "x.ipynb")]
    assert adopt_renamed_notebook(["one", "two"], two) is None and two == [str(folder / "x.ipynb")]


def test_a_copy_left_by_an_earlier_grader_is_passed_over_for_the_renamed_notebook(tmp_path):
    write(tmp_path, "two_layer-Copy1.ipynb")
    stale_copy(tmp_path)
    found = locate_notebook(tmp_path, "two_layer.ipynb", only_notebook=True, max_bytes=CAP, root=tmp_path.parent)
    assert found.path == tmp_path / "two_layer-Copy1.ipynb"
    assert found.note == feedback.renamed_note("two_layer-Copy1.ipynb", "two_layer.ipynb")


@pytest.mark.parametrize("case", ["no mark", "names another file", "three notebooks", "several notebooks expected",
                                  "a link", "too large"])
def test_the_students_own_expected_notebook_is_graded(tmp_path, case):
    write(tmp_path, "two_layer-Copy1.ipynb")
    expected = tmp_path / "two_layer.ipynb"
    only_notebook, cap = True, CAP
    if case == "no mark":
        write(tmp_path, "two_layer.ipynb")
    elif case == "names another file":
        stale_copy(tmp_path, of="other.ipynb")
    elif case == "three notebooks":
        stale_copy(tmp_path)
        write(tmp_path, "scratch.ipynb")
    elif case == "several notebooks expected":
        stale_copy(tmp_path)
        only_notebook = False
    elif case == "a link":  # never read through: graded (and refused) as the link it is
        stale_copy(tmp_path / "elsewhere")
        expected.symlink_to(tmp_path / "elsewhere" / "two_layer.ipynb")
    elif case == "too large":
        stale_copy(tmp_path)
        cap = 10
    found = locate_notebook(tmp_path, "two_layer.ipynb", only_notebook=only_notebook, max_bytes=cap, root=tmp_path)
    assert found.path == expected and found.note is None
