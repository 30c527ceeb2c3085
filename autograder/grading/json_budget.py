"""What parsing a student's notebook will cost, known before it is parsed.

``json.loads`` turns a notebook into Python objects, and the objects can cost far more than
the bytes: ``[{},{},...]`` is 3 bytes per item in the file and about 200 bytes in memory, so a
notebook of empty cells just under the 20 MB cap made the grading process peak at 1.4 GB.
The file's size is capped (``limits.notebook_mb``); this module caps what the file may hold,
in items (every object, array, key and value that parsing makes), before anything is made.

Items are counted from the JSON's punctuation outside strings: every object or array (``{``,
``[``), its first member, each further member (``,``) and each key (``:``). That is an upper
bound for every prefix of the file that ``json.loads`` can accept before it fails, so an
invalid file is bounded too. The count reads the bytes once, a window at a time, with
numpy's vectorised operations: O(n) time and a fixed few megabytes of memory, whatever the
file holds (a 20 MB notebook is counted in well under a second).

Memory when parsing a notebook that passes is then at most about ``200 bytes x items`` for the
objects, plus the file's bytes, its text and its strings (each at most the file's size; four
times for a string holding a character outside the Basic Multilingual Plane).
"""
from __future__ import annotations

import numpy as np

from autograder.course.config import MB
from autograder.grading.submission_files import SubmissionFileError

#: Items a notebook may hold per megabyte of the course's size cap (``limits.notebook_mb``):
#: 20,000 per MB is 400,000 items at the default 20 MB cap, about 80 MB of objects. The
#: released notebooks hold 700 to 3,500 items; a student's with every output kept, a few
#: thousand more (a long training log is one item per printed line).
ITEMS_PER_MB = 20_000

_WINDOW = 1 << 20  # bytes counted at a time
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENERS = np.array([ord("{"), ord("[")], dtype=np.uint8)
_SEPARATORS = np.array([ord(","), ord(":")], dtype=np.uint8)


class TooManyItems(SubmissionFileError):
    """A notebook holding more JSON items than the grader parses; ``str(error)`` is the reason."""


def max_items(max_bytes: int) -> int:
    """The most items a notebook may hold under a size cap of ``max_bytes``."""
    return max(1, int(max_bytes / MB * ITEMS_PER_MB))


def json_items(data: bytes) -> int:
    """An upper bound on the number of Python objects ``json.loads(data)`` makes (objects,
    arrays, keys and values), or makes before it fails on an invalid document.

    ``2 x (objects + arrays) + commas + colons + 1``, counted outside strings. Escapes are
    removed first (``\\\\`` then ``\\"``, left to right, as JSON pairs them), so that every
    remaining quote opens or closes a string; a byte is outside strings when an even number
    of quotes precede it.
    """
    unescaped = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    codes = np.frombuffer(unescaped, dtype=np.uint8)
    openers = separators = 0
    inside = 0  # 1 when the window starts inside a string
    for start in range(0, len(codes), _WINDOW):
        window = codes[start:start + _WINDOW]
        quotes = np.cumsum(window == _QUOTE, dtype=np.uint8)  # wraps at 256: its parity is exact
        outside = ((quotes + inside) & 1) == 0
        openers += int(np.count_nonzero(np.isin(window, _OPENERS) & outside))
        separators += int(np.count_nonzero(np.isin(window, _SEPARATORS) & outside))
        inside = int((quotes[-1] + inside) & 1)
    return 2 * openers + separators + 1


def check_items(data: bytes, max_bytes: int, name: str = "the notebook") -> None:
    """Raise :class:`TooManyItems` (the student's reason) when ``data`` holds more items than
    a notebook under the cap ``max_bytes`` may (:func:`max_items`)."""
    limit = max_items(max_bytes)
    count = json_items(data)
    if count > limit:
        raise TooManyItems(
            f"{name} holds more than {limit:,} JSON items (cells, lists, strings, numbers): about "
            f"{count:,}; the grader does not read that many. Clear its outputs (Kernel > Restart "
            f"Kernel and Clear All Outputs), delete empty cells, save, and submit it again")
