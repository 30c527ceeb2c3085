"""The Gradescope zip for real: ``setup.sh`` installs the engine into a fresh virtual
environment under a temporary root laid out as Gradescope lays it out, then
``run_autograder`` grades four submissions as root at the sandbox's ``uid`` level (what a
container without Landlock gets), where only file permissions keep the reference and the
course secret from student code.

The system's ``python3`` (``/usr/bin``, as on Gradescope's Ubuntu image) builds the virtual
environment; pip installs the pinned requirements from the package index (slow: marked so).
"""
from __future__ import annotations

import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from autograder.demo import synthetic
from autograder.course.config import load_course
from autograder.gradescope import layout, trial
from autograder.gradescope.bundle import build_bundle
from autograder.gradescope.runner import WITHOUT_LANDLOCK_ENV, WITHOUT_NAMESPACES_ENV

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gradescope_format import cli_scores, scored_tests, validate  # noqa: E402

pytestmark = pytest.mark.slow
A1, NB = "a1_activations", "activations"
A1_POINTS = sum(q.points for q in load_course().assignment(A1).questions)  # a correct notebook's score
SYSTEM_PATH = "/usr/bin:/bin"


def _system_python_ok() -> bool:
    python = shutil.which("python3", path=SYSTEM_PATH)
    return python is not None and subprocess.run(
        [python, "-c", "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"]).returncode == 0


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A root where setup.sh has run: (root, the venv's site-packages)."""
    if not _system_python_ok():
        pytest.skip("no system python3 >= 3.11 with venv in /usr/bin (Gradescope's image has one)")
    bundle = build_bundle(A1, tmp_path_factory.mktemp("zip"))
    top = Path(tempfile.mkdtemp(prefix="gs-container-", dir="/tmp"))
    top.chmod(0o711)  # like / in the container: others pass through to /autograder
    root = trial.unpack(bundle, top / "autograder")
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], cwd=root / "source", capture_output=True,
                          text=True, env={"PATH": SYSTEM_PATH, "AUTOGRADER_ROOT": str(root), "HOME": str(top)},
                          timeout=900)
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        assert "the course's files are root-only" in done.stdout
        [packages] = (root / "venv" / "lib").glob("python3*/site-packages")
        yield root, packages
    finally:
        subprocess.run(["rm", "-rf", str(top)], check=True)


def test_setup_leaves_nothing_of_the_course_readable_by_student_code(installed):
    root, packages = installed
    assert layout.exposed(root, packages, [packages / "autograder", packages / "nn_core"]) == []
    assert stat.S_IMODE((root / "source").stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "source" / "course_secret").stat().st_mode) == 0o600
    assert (packages / "numpy" / "__init__.py").stat().st_mode & stat.S_IROTH


def _hostile(root: Path, packages: Path) -> bytes:
    """synthetic's hostile notebook (patched numpy, a lying array, an endless loop), which also
    reads the course secret in relu, the reference in relu_prime, and the source of the numpy
    it imported in leaky_relu (allowed: the control that reads work where they are granted)."""
    nb = synthetic.make_submission("hostile", A1, NB)
    steal = "open({path!r}).read()\n{answer}"
    synthetic.replace_answer(nb, "relu", steal.format(path=str(root / "source" / "course_secret"),
                                                      answer="return np.maximum(z, 0)"))
    synthetic.replace_answer(nb, "relu_prime", steal.format(path=str(packages / "nn_core" / "answers.py"),
                                                            answer="return (z > 0).astype(float)"))
    synthetic.replace_answer(nb, "leaky_relu", "open(np.__file__).read()\nreturn np.where(z > 0, z, slope * z)")
    return nbformat.writes(nb).encode()


def test_four_submissions_graded_without_landlock_match_the_command_line_and_steal_nothing(installed, tmp_path):
    root, packages = installed
    submissions = {
        "alice@example.edu": nbformat.writes(synthetic.make_submission("correct", A1, NB)).encode(),
        "bob@example.edu": nbformat.writes(synthetic.make_submission("mistakes", A1, NB)).encode(),
        "carol@example.edu": nbformat.writes(synthetic.make_submission("stub", A1, NB)).encode(),
        "mallory@example.edu": _hostile(root, packages),
    }
    graded = {}
    for email, data in submissions.items():
        trial.submit(root, {f"{NB}.ipynb": data}, trial.metadata(email))
        results, done = trial.run_autograder(root, path_first=SYSTEM_PATH, env={WITHOUT_LANDLOCK_ENV: "1"})
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"graded {A1} for {email}" in done.stdout and "confinement uid" in done.stdout
        validate(results)
        assert results["extra_data"]["confinement"] == "uid" and "offers no Landlock" in results["output"]
        graded[email] = results
    expected = cli_scores(A1, {email: {f"{NB}.ipynb": data} for email, data in submissions.items()}, tmp_path)
    assert {email: scored_tests(results) for email, results in graded.items()} == expected
    assert graded["alice@example.edu"]["score"] == A1_POINTS and graded["carol@example.edu"]["score"] == 0
    mallory = {t["name"]: t for t in graded["mallory@example.edu"]["tests"]}
    for stolen in ("relu", "relu_prime"):
        assert mallory[stolen]["score"] == 0
        assert f"{stolen} raised PermissionError" in " ".join(mallory[stolen + ": details"]["output"].split())
    assert mallory["leaky_relu"]["score"] == 1 and mallory["sigmoid"]["score"] == 0


def test_where_the_container_allows_namespaces_the_installed_bundle_uses_them(installed):
    root, _ = installed
    trial.submit(root, {f"{NB}.ipynb": nbformat.writes(synthetic.make_submission("correct", A1, NB)).encode()},
                 trial.metadata("erin@example.edu"))
    results, done = trial.run_autograder(root, path_first=SYSTEM_PATH)
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["extra_data"]["confinement"] == "namespaces" and results["score"] == A1_POINTS


DOCKER_DEFAULT = ("setpriv", "--bounding-set=-dac_read_search,-sys_admin", "--inh-caps=-dac_read_search,-sys_admin")


@pytest.mark.skipif(not shutil.which("setpriv"), reason="needs setpriv")
def test_with_dockers_default_capabilities_and_seccomp_profile_the_installed_bundle_grades_in_full(installed):
    """Issue 20, point 2 as Gradescope runs it: root without CAP_DAC_READ_SEARCH, no namespaces
    (Docker's seccomp profile), Landlock from the host kernel: on main, 0/19 for a correct notebook."""
    root, _ = installed
    trial.submit(root, {f"{NB}.ipynb": nbformat.writes(synthetic.make_submission("correct", A1, NB)).encode()},
                 trial.metadata("fred@example.edu"))
    results, done = trial.run_autograder(root, path_first=SYSTEM_PATH, prefix=DOCKER_DEFAULT,
                                         env={WITHOUT_NAMESPACES_ENV: "1"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert results["extra_data"]["confinement"] == "landlock" and results["score"] == A1_POINTS
