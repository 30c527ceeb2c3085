"""Who submitted, read from Gradescope's ``/autograder/submission_metadata.json``.

Gradescope writes that file into every grading container (fields documented at
https://gradescope-autograders.readthedocs.io/en/latest/submission_metadata/)::

    {"id": 123456, "created_at": "2018-07-01T14:22:32.365935-07:00",
     "assignment": {"due_date": "2018-07-31T23:00:00.000000-07:00", "title": ..., ...},
     "users": [{"email": "student@example.com", "id": 1234, "name": "Student User"}, ...],
     "previous_submissions": [...]}

The student id that keys hidden cases (:func:`autograder.course.cases.hidden_seed`, with the
submission's code) is one field of the users (course.yml ``gradescope.student_id``: ``email``
or ``id``), so the same notebook resubmitted meets the same cases, an edited one fresh cases,
and two students meet different ones; ``python -m autograder grade`` with that id as the
student's folder name grades the same notebook with the very same cases. A group submission is keyed
by its members' ids, sorted and joined with ``+``.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from autograder.grading.submission_files import is_safe_id


class MetadataError(ValueError):
    """The submission metadata cannot say who submitted; the message says what is wrong."""


@dataclass(frozen=True)
class Submitter:
    """The student (or group) a submission belongs to."""

    student_id: str  # keys the hidden cases; a safe folder name, as ``python -m autograder grade`` uses
    names: tuple[str, ...]  # for the grader's log only
    created_at: str | None  # Gradescope's submission time, ISO 8601, as written
    due_date: str | None  # the assignment's due date on Gradescope, ISO 8601, as written


def submitter(metadata: Any, field: str = "email") -> Submitter:
    """The :class:`Submitter` described by parsed submission metadata.

    Parameters
    ----------
    metadata
        The parsed JSON of ``submission_metadata.json``.
    field
        The user field that identifies a student: ``"email"`` or ``"id"``.

    Raises
    ------
    MetadataError
        No users, a user without ``field``, or an id that is not a safe folder name.
    """
    users = metadata.get("users") if isinstance(metadata, dict) else None
    if not isinstance(users, list) or not users:
        raise MetadataError("the submission metadata lists no users")
    ids = []
    for user in users:
        value = user.get(field) if isinstance(user, dict) else None
        if isinstance(value, bool) or not isinstance(value, (str, int)) or str(value).strip() == "":
            raise MetadataError(f"a user of the submission metadata has no {field}")
        ids.append(str(value).strip())
    student_id = "+".join(sorted(set(ids)))
    if not is_safe_id(student_id):
        raise MetadataError(f"the {field} of the submitter(s) is not usable as a student id")
    assignment = metadata.get("assignment") if isinstance(metadata.get("assignment"), dict) else {}
    names = tuple(str(u.get("name", "")) for u in users if isinstance(u, dict))
    return Submitter(student_id, names, _text(metadata.get("created_at")), _text(assignment.get("due_date")))


def read_submitter(path: Path, field: str = "email") -> Submitter:
    """:func:`submitter` of the metadata file at ``path`` (raises :class:`MetadataError`)."""
    try:
        metadata = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise MetadataError(f"there is no submission metadata at {path}") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise MetadataError(f"the submission metadata {path} cannot be read ({type(error).__name__})") from None
    return submitter(metadata, field)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
