"""The course secret: the key that makes every student's hidden cases unpredictable.

Hidden cases are drawn from a generator seeded by HMAC-SHA256(secret, course, assignment,
question, student, submission key) (:func:`autograder.course.cases.hidden_seed`). Everything but the
secret is public, so without it nobody can compute a student's hidden inputs or expected
values ahead of grading; with it, grading the same submission twice gives the same cases.

The secret is 32 random bytes written as hex to one file with mode 0600, kept out of git:

* ``$NN_COURSE_SECRET_FILE`` when that variable is set (tests, a grading server),
* otherwise ``.course_secret`` beside the repository's ``course.yml``.

The instructor creates it once, ``python -m autograder secret init``, and keeps a copy:
losing or replacing it changes every student's hidden cases (a regrade would then use
other numbers). Both grading paths (``python -m autograder grade`` and ``nbgrader
autograde`` through :func:`autograder.grading.pipeline.grade_notebook`) read it; a missing secret
is an error naming that command, never a fall-back to an unkeyed seed. The secret stays in
the grader: only case inputs cross into the sandbox, whose environment is scrubbed and
whose file reads are confined (see ``docs/design.md``).
"""
from __future__ import annotations

import os
import secrets
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO, Mapping

from autograder.course.config import REPO_ROOT

SECRET_ENV = "NN_COURSE_SECRET_FILE"
DEFAULT_SECRET_FILE = REPO_ROOT / ".course_secret"
SECRET_BYTES = 32
INIT_COMMAND = "python -m autograder secret init"
#: The modes of what holds the secret (the secret file, the Gradescope zip, the folders the
#: grader creates for them): the instructor's alone.
PRIVATE_FILE_MODE = 0o600
PRIVATE_FOLDER_MODE = 0o700


class SecretError(RuntimeError):
    """The course secret is missing or unusable; the message says how to fix it."""


class MissingSecretError(SecretError):
    """No course secret file exists where the grader looks for it."""


def secret_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the course secret is: ``$NN_COURSE_SECRET_FILE``, else ``.course_secret``
    beside the repository's ``course.yml``."""
    environ = os.environ if environ is None else environ
    override = environ.get(SECRET_ENV, "").strip()
    return Path(override).expanduser() if override else DEFAULT_SECRET_FILE


def load_secret(path: Path | None = None) -> bytes:
    """The course secret (at least :data:`SECRET_BYTES` bytes) read from ``path``.

    Raises
    ------
    MissingSecretError
        No file at ``path``; the message names :data:`INIT_COMMAND`.
    SecretError
        The file is readable by other users, or does not hold enough hex digits.
    """
    path = secret_path() if path is None else Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise MissingSecretError(
            f"there is no course secret at {path}, and hidden cases cannot be drawn without it. "
            f"Create it once with `{INIT_COMMAND}` (or set {SECRET_ENV} to the instructor's "
            f"secret file).") from None
    except OSError as error:
        raise SecretError(f"the course secret {path} cannot be opened ({error.strerror}); "
                          f"it must be a regular file, not a symbolic link") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise SecretError(f"the course secret {path} is not a regular file")
        if info.st_mode & 0o077:
            raise SecretError(f"the course secret {path} is readable by other users "
                              f"(mode {stat.S_IMODE(info.st_mode):04o}); run `chmod 600 {path}`")
        text = handle.read(4 * SECRET_BYTES + 64)
    try:
        key = bytes.fromhex(text.decode("ascii").strip())
    except ValueError:
        key = b""
    if len(key) < SECRET_BYTES:
        raise SecretError(f"the course secret {path} does not hold {SECRET_BYTES} bytes as hex; "
                          f"restore the instructor's copy (or `{INIT_COMMAND} --force`, which "
                          f"changes every student's hidden cases)")
    return key


def create_secret(path: Path | None = None, force: bool = False) -> Path:
    """Write a new random secret to ``path`` (mode 0600) and return the path.

    Refuses to replace an existing file unless ``force``: a new secret gives every student
    other hidden cases. The file appears atomically, complete or not at all.
    """
    path = secret_path() if path is None else Path(path)
    if os.path.lexists(path) and not force:
        raise SecretError(f"a course secret already exists at {path}; it was left unchanged. "
                          f"Replacing it (--force) changes every student's hidden cases.")
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_hex(SECRET_BYTES) + "\n")
        if force:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)  # fails if another process created it meanwhile
            os.unlink(tmp)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def ensure_secret(path: Path | None = None) -> tuple[Path, bool]:
    """The instructor's set-up step: create the secret unless one exists.

    Returns the path and whether it was created now. An existing secret is checked
    (:func:`load_secret`), never replaced.
    """
    path = secret_path() if path is None else Path(path)
    if os.path.lexists(path):
        load_secret(path)
        return path, False
    return create_secret(path), True


def private_folder(path: Path) -> Path:
    """``path`` as a folder, every missing folder on the way created with mode 0700.

    A folder that exists already keeps its mode: it is the instructor's (``--out .``), not
    ours to change. ``Path.mkdir(parents=True)`` would create the missing parents with the
    default mode (0755 under the usual umask), readable by every user of the machine.
    """
    path = Path(path)
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            os.mkdir(folder, PRIVATE_FOLDER_MODE)  # the umask can only take bits away
        except FileExistsError:  # created meanwhile by someone else: theirs, as it is
            pass
    return path


def open_private(path: Path) -> BinaryIO:
    """``path`` opened for writing, truncated, with mode 0600 from the start (never a moment
    at 0644, whatever the umask); a symbolic link at ``path`` is not followed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, PRIVATE_FILE_MODE)
    os.fchmod(fd, PRIVATE_FILE_MODE)  # a file that existed keeps its mode through O_CREAT
    return os.fdopen(fd, "wb")
