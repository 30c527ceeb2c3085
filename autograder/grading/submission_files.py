"""Reading a submission from disk without trusting what the student put there.

A submission is graded only when it is what it claims to be: below the submissions
directory, the student folder and the assignment folder are real folders and the
notebook is a regular file of at most ``limits.notebook_mb`` (course.yml). A symbolic link
(to a classmate's notebook, to ``/dev/zero``), a FIFO, a device or an oversized file is
refused with a reason the student can act on; the caller grades it as a zero.

Every component is opened relative to the one before it (``dir_fd``) with ``O_NOFOLLOW``,
so nothing is followed even if the tree changes while it is read; the notebook is
``lstat``-ed before it is opened (a FIFO or a device is never opened), opened with
``O_NONBLOCK``, checked again with ``fstat`` and read up to the cap plus one byte.

Student ids that name paths (the folders of SUBMISSIONS_DIR, the folders of OUT_DIR) must
pass :func:`is_safe_id`.
"""
from __future__ import annotations

import errno
import os
import stat
from contextlib import ExitStack
from pathlib import Path

from autograder.course.config import MB

MAX_ID_LENGTH = 64
SAFE_ID_RULE = ("1 to 64 printable characters, no slash or backslash, not starting with a dot or a "
                "dash")
_OPEN = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_READ_CHUNK = 1 << 20


class SubmissionFileError(ValueError):
    """A submission that cannot be graded as submitted; ``str(error)`` is the reason."""


class MissingNotebook(SubmissionFileError):
    """The notebook file is not there."""


def is_safe_id(name: str) -> bool:
    """Whether ``name`` may name a student's output folder: printable (no control characters,
    no newline or tab), no path separator, not ``.``/``..`` or hidden, not option-like.

    Spaces, non-ASCII letters and spreadsheet formula signs are allowed: a student called
    ``Zoë Ünal`` is graded like anyone else; grades.csv neutralises formulas and the
    report escapes HTML."""
    return (isinstance(name, str) and 1 <= len(name) <= MAX_ID_LENGTH and name.isprintable()
            and "/" not in name and "\\" not in name and not name.startswith((".", "-")))


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a regular file"


def _refusal(what: str, mode: int, expected: str) -> SubmissionFileError:
    if stat.S_ISLNK(mode):
        return SubmissionFileError(f"{what} is a symbolic link; submit the {expected} itself")
    return SubmissionFileError(f"{what} is not {'a real folder' if expected == 'folder' else 'a regular file'} "
                               f"(it is {_kind(mode)}); submit the {expected} itself")


_EXPECTED = {"folder": (stat.S_ISDIR, os.O_DIRECTORY), "file": (stat.S_ISREG, 0)}  # -> (test, open flag)


def _open_entry(name: str, dir_fd: int, what: str, expected: str, missing: str) -> tuple[int, os.stat_result]:
    """Open one ``expected`` entry ("folder" or "file") below ``dir_fd``: ``lstat``-ed first
    (a link, FIFO or device is refused without being opened), then opened without following
    links and checked to be the entry that was ``lstat``-ed. Returns the descriptor and its stat."""
    is_expected, flag = _EXPECTED[expected]
    try:
        info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        raise MissingNotebook(missing) from None
    if not is_expected(info.st_mode):
        raise _refusal(what, info.st_mode, expected)
    try:
        fd = os.open(name, _OPEN | flag, dir_fd=dir_fd)
    except OSError as error:  # replaced since the lstat
        raise SubmissionFileError(f"{what} could not be opened ({errno.errorcode.get(error.errno, error)})") from None
    opened = os.fstat(fd)
    if not is_expected(opened.st_mode) or (opened.st_dev, opened.st_ino) != (info.st_dev, info.st_ino):
        os.close(fd)
        raise _refusal(what, opened.st_mode, expected)
    return fd, opened


def _read_regular_file(name: str, dir_fd: int, max_bytes: int) -> bytes:
    """The bytes of one regular file below ``dir_fd``, at most ``max_bytes`` of them."""
    what = f"the notebook {name}"
    fd, info = _open_entry(name, dir_fd, what, "file", f"no notebook {name} was submitted")
    too_large = SubmissionFileError(f"{what} is larger than {max_bytes / MB:g} MB, the largest the grader "
                                    f"reads; clear its outputs and submit it again")
    with os.fdopen(fd, "rb", buffering=0) as handle:
        if info.st_size > max_bytes:
            raise too_large
        chunks, size = [], 0
        while size <= max_bytes:  # never more than max_bytes + 1, whatever st_size said
            chunk = handle.read(min(_READ_CHUNK, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > max_bytes:
        raise too_large
    return b"".join(chunks)


def read_submission_file(path: Path | str, max_bytes: int, root: Path | str | None = None) -> bytes:
    """The bytes of a submitted notebook, refused unless it is a regular file of at most
    ``max_bytes`` bytes.

    Parameters
    ----------
    path
        The notebook, e.g. ``SUBMISSIONS_DIR/STUDENT/ASSIGNMENT/NOTEBOOK.ipynb``.
    max_bytes
        The largest file read (``Course.notebook_bytes``).
    root
        The submissions directory. Every folder of ``path`` below it must be a real folder,
        not a symbolic link; without ``root`` only the notebook itself is checked.

    Raises
    ------
    MissingNotebook
        The notebook (or a folder on its way) does not exist.
    SubmissionFileError
        A symbolic link, a FIFO, a device, a folder where a file belongs, or a file larger
        than ``max_bytes``; the message is the reason, written for the student.
    """
    path = Path(path)
    folders = Path(path).relative_to(root).parts[:-1] if root is not None else ()
    with ExitStack() as stack:
        try:
            dir_fd = os.open(root if root is not None else path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except FileNotFoundError:
            raise MissingNotebook(f"no notebook {path.name} was submitted") from None
        stack.callback(os.close, dir_fd)
        for name in folders:
            dir_fd, _ = _open_entry(name, dir_fd, f"the folder {name}", "folder", f"the folder {name} is missing")
            stack.callback(os.close, dir_fd)
        return _read_regular_file(path.name, dir_fd, max_bytes)
