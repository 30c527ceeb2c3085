"""What holds the course secret is the instructor's alone: files 0600, folders 0700. Issue 21, point 7.

The Gradescope zip carries the course secret (``course_secret`` inside it); main wrote it with the
default mode (0644 under the usual umask), so every user of the machine could read it, and with it
every student's hidden cases. The folders the grader creates for the zip or the secret were 0755.
"""
from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

import pytest

from autograder.course import secret
from autograder.gradescope.bundle import build_bundle

A1 = "a1_activations"


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def open_umask():
    """The usual umask (022), whatever the test runner's: the modes must not rely on a strict one."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def wheel(tmp_path) -> Path:
    """A stand-in for the repository's wheel: these tests are about the zip's modes, not its
    contents, and building the real wheel takes half a minute."""
    path = tmp_path / "nn_course-0-py3-none-any.whl"
    path.write_bytes(b"not a real wheel")
    return path


def test_the_gradescope_zip_holding_the_secret_is_written_0600_in_a_folder_created_0700(
        tmp_path, wheel, open_umask):
    out = tmp_path / "new" / "zips"
    bundle = build_bundle(A1, out, wheel=wheel)
    with zipfile.ZipFile(bundle) as archive:
        assert "course_secret" in archive.namelist()  # what makes the modes matter
    assert mode(bundle) == 0o600
    assert mode(out) == mode(out.parent) == 0o700
    assert list(out.iterdir()) == [bundle]  # no partial file left beside it


def test_a_zip_rebuilt_over_a_world_readable_one_is_0600(tmp_path, wheel, open_umask):
    out = tmp_path / "out"
    out.mkdir(mode=0o755)
    target = out / f"{A1}-gradescope.zip"
    target.write_bytes(b"an old zip")
    target.chmod(0o644)
    assert build_bundle(A1, out, wheel=wheel) == target
    assert mode(target) == 0o600
    assert mode(out) == 0o755  # the instructor's own folder (--out .) keeps its mode


def test_a_secret_created_in_new_folders_is_0600_and_its_folders_0700(tmp_path, open_umask):
    path = secret.create_secret(tmp_path / "grader" / "keys" / "course_secret")
    assert mode(path) == 0o600
    assert mode(path.parent) == mode(path.parent.parent) == 0o700
    assert len(secret.load_secret(path)) == secret.SECRET_BYTES


def test_a_private_file_is_never_written_through_a_symbolic_link(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"")
    (tmp_path / "link.zip").symlink_to(elsewhere)
    with pytest.raises(OSError):
        secret.open_private(tmp_path / "link.zip")
    assert elsewhere.read_bytes() == b""
