"""Late work: nbgrader's ``timestamp.txt`` beside each submission, against course.yml's due date.

nbgrader's ``submit`` and ``collect`` write ``submitted/STUDENT/ASSIGNMENT/timestamp.txt`` (e.g.
``2027-02-05 21:14:03.120000 UTC``); ``nbgrader autograde`` reads it into the gradebook, and
the command line reads the same file by nbgrader's own rule (:func:`parse_utc`). A naive due date is UTC, as
nbgrader takes it. A submission without a timestamp is on time (nothing says otherwise).
Late work is always flagged; course.yml's ``late.penalty_per_day`` (default 0: none) takes a
share of the score off for every day late begun, on both paths.
"""
from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

from autograder.grading.results import Late
from autograder.grading.submission_files import SubmissionFileError, read_submission_file

TIMESTAMP_FILE = "timestamp.txt"  # nbgrader's name
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"  # nbgrader's (nbgrader.exchange's timestamp_format)
MAX_TIMESTAMP_BYTES = 200


def format_timestamp(when: dt.datetime) -> str:
    """``when`` (naive: UTC) as nbgrader writes it into ``timestamp.txt``."""
    when = when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when.astimezone(dt.timezone.utc)
    return when.strftime(TIMESTAMP_FORMAT)


def write_timestamp(folder: Path, when: dt.datetime) -> Path:
    """Write ``folder/timestamp.txt`` as nbgrader's collection step does."""
    path = Path(folder) / TIMESTAMP_FILE
    path.write_text(format_timestamp(when))
    return path


def read_timestamp(folder: str | os.PathLike, root: str | os.PathLike | None = None) -> dt.datetime | None:
    """The naive-UTC time in ``folder/timestamp.txt`` (read like a notebook: real files only,
    below ``root``), or None when there is none, it is empty or it cannot be read."""
    try:
        text = read_submission_file(Path(folder) / TIMESTAMP_FILE, MAX_TIMESTAMP_BYTES, root).decode("utf-8").strip()
        return parse_utc(text) if text else None
    except (SubmissionFileError, UnicodeDecodeError, ValueError, OverflowError):
        return None


def parse_utc(text: str) -> dt.datetime:
    """nbgrader's own reading of a timestamp (``nbgrader.utils.parse_utc``), as naive UTC.

    The same rule, written here because importing nbgrader costs every grading process three
    seconds (tests/test_workflow_*.py pins that both give the same times): "DATE TIME ZONE"
    with ZONE a name (``UTC``, ``Europe/Paris``) or a numeric offset; anything else as dateutil
    reads it; an aware time converted to UTC, a naive one taken as UTC."""
    import dateutil.parser
    import dateutil.tz

    parts = text.split(" ")
    if len(parts) == 3:
        zone: object = parts[2]
        try:
            zone = int(parts[2])
        except ValueError:
            zone = dateutil.tz.gettz(parts[2])
        when = dateutil.parser.parse(" ".join(parts[:2] + ["TZ"]), tzinfos={"TZ": zone})
    else:
        when = dateutil.parser.parse(text)
    if when.tzinfo is not None:
        when = (when - when.utcoffset()).replace(tzinfo=None)
    return when


def late_penalty(score: float, seconds_late: float, per_day: float) -> float:
    """Course.yml's policy: ``per_day`` of ``score`` for every day late begun, at most ``score``.
    nbgrader's path applies the same function (:class:`autograder.nbgrader_plugin.CourseLatePolicy`)."""
    if seconds_late <= 0 or per_day <= 0:
        return 0.0
    return round(min(score, score * per_day * math.ceil(seconds_late / 86400)), 4)


def lateness(submitted: dt.datetime | None, due: dt.datetime, score: float = 0.0, per_day: float = 0.0) -> Late | None:
    """How late a submission at ``submitted`` (naive UTC) is, and its penalty on ``score``
    (:func:`late_penalty`); None without a timestamp."""
    if submitted is None:
        return None
    due = due.replace(tzinfo=None) if due.tzinfo is None else due.astimezone(dt.timezone.utc).replace(tzinfo=None)
    seconds = max(0.0, (submitted - due).total_seconds())
    return Late(timestamp=submitted.isoformat(sep=" ", timespec="seconds") + " UTC", seconds_late=seconds,
                penalty=late_penalty(score, seconds, per_day))
