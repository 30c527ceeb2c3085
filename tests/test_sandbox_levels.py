"""The sandbox where instructors grade (issue 20): each level tried for real, in a process
that actually runs as that level, with the same scores and the same attacks refused.

=====================  ======================================================================
``root``               the test process's own privileges (root here, with every capability)
``ordinary user``      an unprivileged uid (``setpriv --reuid``) whose interpreter is not under
                       ``/root``: JupyterHub, a laptop without sudo, a CI runner
``default container``  root without CAP_DAC_READ_SEARCH and CAP_SYS_ADMIN (Docker's default
                       capability set, ``setpriv --bounding-set``); with namespaces, and as
                       under Docker's seccomp profile, which forbids them (``DOCKER_LIKE``:
                       tests/docker_like.py installs that refusal before the grader starts)
``old kernel``         Landlock ABI 1 and 2 (Ubuntu 22.04, Debian 12) with no namespaces
=====================  ======================================================================

The levels that cannot use the repository's interpreter (an unprivileged uid, or a run that
reads by file permissions) use ``$NN_OUTSIDE_PYTHON`` (default ``/home/grader/venv/bin/python``):
an interpreter readable by other users with numpy, PyYAML, nbformat, tqdm and threadpoolctl (the command line
and nbgrader's tests: also matplotlib, nh3, threadpoolctl and nbgrader), e.g. as the user ``grader``:
``/usr/bin/python3 -m venv /home/grader/venv`` then ``/home/grader/venv/bin/pip install numpy
pyyaml nbformat tqdm matplotlib nh3 threadpoolctl nbgrader`` (what pyproject.toml lists); the tests that need it are skipped, saying so, where it is missing.
"""
from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
OUTSIDE_PYTHON = os.environ.get("NN_OUTSIDE_PYTHON", "/home/grader/venv/bin/python")
DOCKER_DEFAULT = ["setpriv", "--bounding-set=-dac_read_search,-sys_admin",
                  "--inh-caps=-dac_read_search,-sys_admin"]
#: Docker as it runs an image: its default capability set and its seccomp profile, which
#: forbids new namespaces (tests/docker_like.py): the ``landlock`` level for real.
DOCKER_LIKE = [*DOCKER_DEFAULT, sys.executable, str(REPO / "tests" / "docker_like.py")]

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="dropping to each level needs a root test process")
needs_outside = pytest.mark.skipif(
    not os.path.exists(OUTSIDE_PYTHON) or not shutil.which("setpriv"),
    reason=f"no interpreter readable by other users at {OUTSIDE_PYTHON} (see the module docstring), or no setpriv")
pytestmark = needs_root


def _owner(path: str) -> tuple[int, int]:
    """The uid and gid owning ``path`` when that is an ordinary user, else nobody's."""
    st = os.stat(path)
    if st.st_uid != 0:
        return st.st_uid, st.st_gid
    nobody = pwd.getpwnam("nobody")
    return nobody.pw_uid, nobody.pw_gid


def as_user(python: str) -> list[str]:
    uid, gid = _owner(os.path.dirname(os.path.dirname(python)))
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups"]


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> Path:
    """A folder every level can enter, for each level's own copy of the course secret."""
    folder = Path(tempfile.mkdtemp(prefix="levels-", dir="/tmp"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _secret_for(prefix, shared: Path) -> Path:
    """The session's course secret, copied for the uid ``prefix`` runs as (mode 0600)."""
    uid = next((int(a.split("=")[1]) for a in prefix if a.startswith("--reuid=")), 0)
    gid = next((int(a.split("=")[1]) for a in prefix if a.startswith("--regid=")), 0)
    secret = shared / f"course_secret-{uid}"
    if not secret.exists():
        shutil.copyfile(os.environ["NN_COURSE_SECRET_FILE"], secret)
        os.chown(secret, uid, gid)
        secret.chmod(0o600)
    return secret


def run_level(code: str, arguments: dict, shared: Path, *, python: str = sys.executable,
              prefix: tuple[str, ...] | list[str] = ()) -> dict:
    """Run ``code`` (which prints one JSON line) in a new interpreter started through
    ``prefix`` (setpriv ...), with ``arguments`` as ``sys.argv[1]``; the JSON it printed."""
    env = {"PATH": "/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": str(REPO), "TMPDIR": "/tmp",
           "HOME": str(shared), "NN_COURSE_SECRET_FILE": str(_secret_for(prefix, shared))}
    result = subprocess.run([*prefix, python, "-c", textwrap.dedent(code), json.dumps(arguments)],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


GRADE = """
    import json, os, sys
    from autograder.course.config import load_course
    from autograder.grading.pipeline import grade_notebook
    from autograder.sandbox import Sandbox, SandboxError
    from autograder.demo.synthetic import make_submission

    options = json.loads(sys.argv[1])
    course = load_course()
    status = dict(line.split(":\\t") for line in open("/proc/self/status").read().splitlines() if ":\\t" in line)
    out = {"euid": os.geteuid(), "cap_eff": int(status["CapEff"], 16)}
    try:
        with Sandbox(course.limits, **options) as sandbox:
            out["level"] = sandbox.confinement
            out["grades"] = {kind: grade_notebook(make_submission(kind, "a2_feedforward", "feedforward"),
                                                  "a2_feedforward", f"student-{kind}", course=course,
                                                  sandbox=sandbox).to_dict()
                             for kind in ("correct", "mistakes")}
    except SandboxError as error:
        out["refused"] = str(error)
    print(json.dumps(out))
    """

CAP_DAC_READ_SEARCH, CAP_SYS_ADMIN = 2, 21


@pytest.fixture(scope="module")
def root_grades(shared) -> dict:
    got = run_level(GRADE, {}, shared)
    assert got["euid"] == 0 and got["level"] == "namespaces"
    assert got["grades"]["correct"]["score"] == got["grades"]["correct"]["max_score"]
    assert got["grades"]["mistakes"]["score"] < got["grades"]["correct"]["score"]
    return got["grades"]


@needs_outside
def test_an_ordinary_user_grades_with_the_same_scores_as_root(shared, root_grades):
    """Issue 20, point 1: main refused ("grading needs root")."""
    got = run_level(GRADE, {}, shared, python=OUTSIDE_PYTHON, prefix=as_user(OUTSIDE_PYTHON))
    assert got["euid"] != 0 and got["cap_eff"] == 0
    assert got.get("refused") is None and got["level"] == "namespaces"
    assert got["grades"] == root_grades


def test_root_with_dockers_default_capabilities_grades_with_the_same_scores(shared, root_grades):
    """Issue 20, point 2 (where the container allows user namespaces): main scored every
    student 0 ("could not be started by the sandbox")."""
    got = run_level(GRADE, {}, shared, prefix=DOCKER_DEFAULT)
    assert got["euid"] == 0 and not got["cap_eff"] & (1 << CAP_DAC_READ_SEARCH | 1 << CAP_SYS_ADMIN)
    assert got["level"] == "namespaces"
    assert got["grades"] == root_grades


@needs_outside
def test_dockers_default_capabilities_and_seccomp_profile_grade_at_the_landlock_level(shared, root_grades):
    """Issue 20, point 2, as Docker runs it: no CAP_DAC_READ_SEARCH and no namespaces. Runs
    keep no capability, so capset cannot fail; the scores are root's."""
    got = run_level(GRADE, {}, shared, python=OUTSIDE_PYTHON, prefix=DOCKER_LIKE)
    assert got["euid"] == 0 and not got["cap_eff"] & (1 << CAP_DAC_READ_SEARCH)
    assert got.get("refused") is None and got["level"] == "landlock"
    assert got["grades"] == root_grades


@needs_outside
@pytest.mark.parametrize("abi", [1, 2])
def test_old_landlock_abis_grade_with_the_same_scores(shared, root_grades, abi):
    """Issue 20, point 3: main refused Landlock ABI < 3 (Linux < 6.2)."""
    got = run_level(GRADE, {"assume_landlock_abi": abi}, shared, python=OUTSIDE_PYTHON, prefix=DOCKER_LIKE)
    assert got.get("refused") is None and got["level"] == "landlock"
    assert got["grades"] == root_grades


def test_an_interpreter_other_users_cannot_reach_is_refused_at_the_uid_level_not_graded_zero(shared):
    """Without namespaces or Landlock a run reads by file permissions: where the interpreter
    lives under a folder only root may enter (this repository's under /root), the sandbox says
    so at start instead of failing every submission."""
    if not _behind_a_closed_folder(sys.executable):
        pytest.skip("this interpreter is readable by other users")
    got = run_level(GRADE, {"require_landlock": False, "assume_landlock_abi": 0}, shared, prefix=DOCKER_LIKE)
    assert "grades" not in got
    assert "cannot read" in got["refused"] and "readable by other users" in got["refused"]
    assert "nothing was graded" in got["refused"].lower()


def test_an_interpreter_other_users_cannot_reach_grades_at_the_landlock_level_with_roots_scores(
        shared, root_grades):
    """The run's own directory holds the interpreter's files themselves, so the folder above
    them (this repository's /root) no longer stands in the way: on main this was refused."""
    if not _behind_a_closed_folder(sys.executable):
        pytest.skip("this interpreter is readable by other users")
    got = run_level(GRADE, {}, shared, prefix=DOCKER_LIKE)
    assert got.get("refused") is None and got["level"] == "landlock"
    assert got["grades"] == root_grades


def _behind_a_closed_folder(python: str) -> bool:
    return any(not os.stat(p).st_mode & 0o001 for p in Path(os.path.realpath(python)).parents if str(p) != "/")


@needs_outside
def test_an_ordinary_user_where_namespaces_are_forbidden_is_refused_with_what_to_do(shared):
    """Ubuntu 24.04's AppArmor restriction: nothing is graded, and the message says what to change."""
    got = run_level(GRADE, {"assume_no_namespaces": True}, shared, python=OUTSIDE_PYTHON,
                    prefix=as_user(OUTSIDE_PYTHON))
    assert "grades" not in got
    assert "unprivileged user namespaces" in got["refused"]
    assert "apparmor_restrict_unprivileged_userns" in got["refused"] and "grade as root" in got["refused"]


# --- the attacks, at each level --------------------------------------------------------------------
PEEK = """
    import json, sys
    import numpy as np
    sys.path.insert(0, "tests")
    from autograder.sandbox import Call, Limits, Sandbox
    from test_sandbox_attacks import METADATA

    options, targets = json.loads(sys.argv[1])
    with Sandbox(Limits(call_timeout_s=5, submission_timeout_s=20), **options) as sandbox:
        out = sandbox.run([METADATA], [Call("peek", tuple(np.array([ord(c) for c in p]) for p in targets))])
    call = out.calls[0]
    print(json.dumps({"level": out.confinement, "status": call.status, "value": call.value}))
    """


@pytest.fixture
def targets(shared):
    from test_sandbox_attacks import metadata_targets

    folder = Path(tempfile.mkdtemp(prefix="metadata-", dir=shared))
    folder.chmod(0o755)
    yield metadata_targets(folder)
    shutil.rmtree(folder)


@needs_outside
def test_an_ordinary_users_runs_see_nothing_of_its_files_and_change_nothing(shared, targets):
    """Under the grader's own uid, a run on main could chmod and utime the grader's files."""
    uid, gid = _owner(os.path.dirname(os.path.dirname(OUTSIDE_PYTHON)))
    writable = Path(targets[3])
    os.chown(writable, uid, gid)
    got = run_level(PEEK, [{}, targets], shared, python=OUTSIDE_PYTHON, prefix=as_user(OUTSIDE_PYTHON))
    assert got["level"] == "namespaces" and got["status"] == "ok"
    assert got["value"] == [False] * 9
    assert writable.read_text() == "keep me" and writable.stat().st_mode & 0o777 == 0o666


@needs_outside
@pytest.mark.parametrize("abi", [1, 2, None])
def test_at_the_landlock_level_a_run_sees_no_metadata_outside_its_own_directory_and_changes_nothing(
        shared, targets, abi):
    """Without namespaces (Docker's seccomp profile) and without CAP_DAC_READ_SEARCH: a 0700
    folder stays closed, nothing outside changes, nothing can be watched, on every ABI
    (seccomp denies truncate(2) below ABI 3).  On main the size and time of a file other users
    may read (index 1: a grade.json, nn_core) were still visible at this level (Landlock does
    not govern stat); the run now lives in its own directory, where that file does not exist."""
    got = run_level(PEEK, [{"assume_landlock_abi": abi}, targets], shared, python=OUTSIDE_PYTHON,
                    prefix=DOCKER_LIKE)
    assert got["level"] == "landlock" and got["status"] == "ok"
    assert got["value"] == [False] * 9
    assert Path(targets[3]).read_text() == "keep me"


LOOK = """
    import json, os, sys, textwrap
    import numpy as np
    from autograder.sandbox import Call, Limits, Sandbox

    paths = json.loads(sys.argv[1])
    source = textwrap.dedent('''
        import os
        def look(*codes):
            probes = (os.stat, os.lstat, os.path.lexists, lambda p: os.access(p, os.F_OK), os.readlink,
                      os.statvfs, lambda p: os.close(os.open(p, os.O_PATH)), os.chdir, os.listdir)
            out = []
            for path in (''.join(map(chr, c)) for c in codes):
                here, seen = os.getcwd(), False
                for probe in probes:
                    try:
                        seen = probe(path) is not False or seen
                    except OSError:
                        pass
                    os.chdir(here)
                out.append(seen)
            return out
        ''')
    with Sandbox(Limits(call_timeout_s=5, submission_timeout_s=20)) as sandbox:
        own = getattr(sandbox, "_view", None) or "/nonexistent"
        out = sandbox.run([source], [Call("look", tuple(np.array([ord(c) for c in p]) for p in paths))])
        built = len(os.listdir(own)) if os.path.isdir(own) else 0
    call = out.calls[0]
    print(json.dumps({"level": out.confinement, "status": call.status, "value": call.value,
                      "built": built, "removed": not os.path.exists(own)}))
    """


@needs_outside
def test_at_the_landlock_level_nothing_of_the_graders_exists_for_a_run(shared):
    """stat, lstat, access, readlink, statvfs, an ``O_PATH`` open (which Landlock does not
    govern either), chdir and listdir find nothing of the grader's: not nn_core, not a
    classmate's grade.json anyone may read (its size follows the score), not the course
    secret, not /etc, /proc or /root, while the standard library the run imports from is
    there (the first path: the probes work).  On main every one of them was found, with its
    size and time. The run's own directory is built once per Sandbox and removed by ``close``."""
    grade = shared / "grade.json"
    grade.write_text('{"score": 19}')
    grade.chmod(0o644)
    secret = _secret_for((), shared)
    stdlib = subprocess.run([OUTSIDE_PYTHON, "-c", "import os; print(os.__file__)"], capture_output=True,
                            text=True, check=True).stdout.strip()
    paths = [stdlib, str(REPO / "nn_core" / "__init__.py"), str(grade), str(secret), "/etc/passwd", "/proc/1",
             str(shared), "/root"]
    got = run_level(LOOK, paths, shared, python=OUTSIDE_PYTHON, prefix=DOCKER_LIKE)
    assert got["level"] == "landlock" and got["status"] == "ok"
    assert got["value"] == [True] + [False] * (len(paths) - 1)
    assert got["built"] > 0 and got["removed"]


@needs_outside
def test_at_the_landlock_level_without_cap_sys_chroot_the_sandbox_refuses_naming_it(shared):
    """Where namespaces are forbidden and the run cannot be given its own directory (a
    container started with CAP_SYS_CHROOT dropped), nothing is graded and the message names
    the capability. On main the runs were graded there, seeing the metadata of the grader's files."""
    drop = "-dac_read_search,-sys_admin,-sys_chroot"
    prefix = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", *DOCKER_LIKE[len(DOCKER_DEFAULT):]]
    got = run_level(GRADE, {}, shared, python=OUTSIDE_PYTHON, prefix=prefix)
    assert "grades" not in got
    assert "CAP_SYS_CHROOT" in got["refused"] and "nothing was graded" in got["refused"].lower()


@pytest.mark.parametrize("linked", [True, False], ids=["hard links", "copies"])
def test_the_runs_own_directory_holds_the_plan_and_nothing_is_written_through_a_link(tmp_path, monkeypatch, linked):
    """``view.populate`` recreates a tree and a file reached through links exactly (a link as
    the same link, never followed while writing), leaves out what is denied beneath a tree,
    drops set-id bits, and, where it cannot link (another filesystem), copies with the same
    mode and time (so cached bytecode stays valid)."""
    from autograder.sandbox import view

    outside = tmp_path / "outside"
    outside.mkdir()
    tree = tmp_path / "lib" / "python"
    (tree / "site-packages" / "nn_core").mkdir(parents=True)
    (tree / "site-packages" / "nn_core" / "__init__.py").write_text("secret")
    (tree / "os.py").write_text("print('os')")
    os.utime(tree / "os.py", (1_000_000, 1_000_000))
    (tree / "escape").symlink_to(outside)  # writing through it would land outside
    (tree / "setid").write_text("x")
    (tree / "setid").chmod(0o4755)
    (tmp_path / "libz.so.1.2").write_text("z")
    (tmp_path / "libz.so.1").symlink_to("libz.so.1.2")
    (tmp_path / "alias").symlink_to(tmp_path / "lib")
    if not linked:
        def no_link(*args, **kwargs):
            raise OSError(18, "Invalid cross-device link")
        monkeypatch.setattr(view.os, "link", no_link)
    root = tmp_path / "root"
    root.mkdir()
    plan = {"trees": [str(tmp_path / "alias" / "python")], "files": [str(tmp_path / "libz.so.1")],
            "denied": [str(tree / "site-packages")]}
    view.populate(str(root), plan)

    inside = Path(str(root) + str(tree))
    assert (inside / "os.py").read_text() == "print('os')"
    assert ((inside / "os.py").stat().st_ino == (tree / "os.py").stat().st_ino) is linked
    assert (inside / "os.py").stat().st_mtime == 1_000_000
    assert not (inside / "site-packages").exists()
    assert os.readlink(inside / "escape") == str(outside) and list(outside.iterdir()) == []
    assert (inside / "setid").stat().st_mode & 0o7777 == 0o755
    assert os.readlink(Path(str(root) + str(tmp_path / "alias"))) == str(tmp_path / "lib")
    assert os.readlink(Path(str(root) + str(tmp_path / "libz.so.1"))) == "libz.so.1.2"
    assert Path(str(root) + str(tmp_path / "libz.so.1.2")).read_text() == "z"
    assert (Path(str(root) + view.CWD)).is_dir() and not any(Path(str(root) + view.CWD).iterdir())


UID_LEVEL = """
    import json, os, sys
    sys.path.insert(0, "tests")
    from autograder.sandbox import Call, Limits, Sandbox
    from test_sandbox_attacks import READ_REFERENCE
    import numpy as np

    paths = json.loads(sys.argv[1])
    source = READ_REFERENCE.replace("def steal(paths):", "def steal(*codes):\\n    paths = [''.join(map(chr, c)) for c in codes]")
    with Sandbox(Limits(call_timeout_s=5, submission_timeout_s=20), require_landlock=False,
                 assume_landlock_abi=0, assume_no_namespaces=True) as sandbox:
        level = sandbox.confinement
        got = sandbox.run([source], [Call("steal", tuple(np.array([ord(c) for c in p]) for p in paths))]).calls[0].value
        ids = sandbox.run(["import os\\ndef ids():\\n    return [os.getuid(), os.getpid()]\\n"], [Call("ids", ())])
    print(json.dumps({"level": level, "got": got, "ids": ids.calls[0].value, "confinement": ids.confinement}))
    """


@needs_outside
def test_without_landlock_or_namespaces_a_root_grader_confines_reads_by_file_permissions(shared):
    """Gradescope-like containers may lack both: with require_landlock=False the sandbox runs
    student code under an unprivileged uid with no capability, says so in every result, and
    what the bundle made root-only stays unreadable."""
    folder = Path(tempfile.mkdtemp(prefix="uid-level-", dir=shared))
    folder.chmod(0o755)
    secret = folder / "secret.txt"
    secret.write_text("root only")
    secret.chmod(0o600)
    public = folder / "public.txt"
    public.write_text("anyone")
    public.chmod(0o644)
    got = run_level(UID_LEVEL, [str(secret), str(public)], shared, python=OUTSIDE_PYTHON)
    assert got["level"] == "uid" and got["confinement"] == "uid"
    assert got["got"][:2] == [-1, len("anyone")]
    assert got["ids"][0] != 0 and got["ids"][1] == 1


NO_PID_NAMESPACE = """
    import json, os, subprocess, sys, textwrap
    from autograder.sandbox import Call, Limits, Sandbox

    grader = os.getpid()
    bystander = subprocess.Popen(["sleep", "60"])  # another process of the grader's uid
    source = textwrap.dedent(f'''
        import os, signal, threading, time
        def poke():
            out = [os.getpid() != 1]
            try:
                os.kill(-1, signal.SIGKILL)  # returns 0 even when every target refused (EPERM)
            except OSError:
                pass
            for attempt in (lambda: os.kill({grader}, signal.SIGSTOP), lambda: os.kill({bystander.pid}, 9),
                            lambda: threading.Thread(target=time.sleep, args=(9,)).start(), os.fork):
                try:
                    attempt()
                    out.append(True)
                except (OSError, RuntimeError):
                    out.append(False)
            return out
        ''')
    with Sandbox(Limits(call_timeout_s=5, submission_timeout_s=20), assume_no_namespaces=True,
                 assume_no_pid_namespace=True) as sandbox:
        pid_namespace = sandbox.info["pid_namespace"]
        result = sandbox.run([source], [Call("poke", ())])
        out = result.calls[0]
        uid = sandbox.info["run_uid"]
        left = [p for p in os.listdir("/proc") if p.isdigit() and os.path.exists(f"/proc/{p}")
                and os.stat(f"/proc/{p}").st_uid == uid]
    alive = bystander.poll() is None
    bystander.kill()
    print(json.dumps({"pid_namespace": pid_namespace, "status": out.status, "value": out.value,
                      "left": left, "bystander_alive": alive, "level": result.confinement}))
    """


@needs_outside
def test_without_any_namespace_a_root_graders_runs_are_still_alone(shared):
    """Docker's default seccomp profile forbids new namespaces: the run then has its own uid and
    can make no process, so it can signal nobody but itself and leaves nothing behind."""
    got = run_level(NO_PID_NAMESPACE, {}, shared, python=OUTSIDE_PYTHON)
    assert got["pid_namespace"] is False and got["level"] == "landlock"
    assert got["bystander_alive"] and got["left"] == []
    assert got["status"] == "ok" and got["value"] == [True, False, False, False, False]


DEEP = """
    import json, sys
    sys.path.insert(0, "tests")
    from autograder.sandbox import Call, Limits, Sandbox
    from test_sandbox_attacks import DEEP_TREE

    options = json.loads(sys.argv[1])
    tree = DEEP_TREE
    limits = Limits(call_timeout_s=50, submission_timeout_s=60, cpu_s=60, memory_mb=1024, scratch_mb=64)
    with Sandbox(limits, **options) as sandbox:
        out = sandbox.run([tree], [Call("deep", ())])
    call = out.calls[0]
    print(json.dumps({"level": out.confinement, "status": call.status, "value": call.value,
                      "reason": out.reason}))
    """


IMPORTS = """
    import json
    from autograder.sandbox import Call, Limits, Sandbox

    source = '''
    import importlib, pkgutil
    SKIP = ("test", "idle", "tkinter", "turtle", "_test", "xx", "antigravity", "this")
    def import_all():
        names = sorted(m.name for m in pkgutil.iter_modules() if not m.name.startswith(SKIP))
        names += ["numpy.linalg", "numpy.fft", "numpy.random", "numpy.polynomial", "numpy.ma"]
        failed = []
        for name in names:
            try:
                importlib.import_module(name)
            except BaseException as error:
                failed.append(f"{name}:{type(error).__name__}")
        return [ord(c) for c in f"{len(names)} " + " ".join(failed)]
    '''
    with Sandbox(Limits(call_timeout_s=40, submission_timeout_s=50, cpu_s=50, memory_mb=2048)) as sandbox:
        out = sandbox.run([source], [Call("import_all", ())])
    call = out.calls[0]
    print(json.dumps({"level": out.confinement, "status": call.status, "imported": "".join(map(chr, call.value or []))}))
    """


@needs_outside
def test_at_the_landlock_level_every_module_imports_as_at_the_namespaces_level(shared):
    """The run's own directory holds the shared libraries found from the ELF files of the
    standard library and numpy: every module of theirs (ssl, sqlite3, lzma, ctypes, curses,
    numpy.linalg, ...) imports at the ``landlock`` level exactly as at the ``namespaces`` level,
    whose view binds all of /usr/lib."""
    inside = run_level(IMPORTS, {}, shared, python=OUTSIDE_PYTHON, prefix=DOCKER_LIKE)
    bound = run_level(IMPORTS, {}, shared, python=OUTSIDE_PYTHON)
    assert (inside["level"], bound["level"]) == ("landlock", "namespaces")
    assert inside["status"] == bound["status"] == "ok"
    assert inside["imported"] == bound["imported"] and int(bound["imported"].split()[0]) > 200


WRITE = """
    import json, sys
    from autograder.sandbox import Call, Limits, Sandbox

    source = '''
    import os, tempfile
    def write():
        out = []
        for folder in (".", os.environ.get("TMPDIR", "."), tempfile.gettempdir(), "/tmp", "/var/tmp",
                       "/dev/shm", "/", os.path.dirname(os.__file__)):
            try:
                with open(os.path.join(folder, "burst"), "wb") as handle:
                    handle.write(b"x" * 2**20)
                out.append(True)
            except OSError:
                out.append(False)
        return out
    '''
    with Sandbox(Limits(call_timeout_s=5, submission_timeout_s=20)) as sandbox:
        out = sandbox.run([source], [Call("write", ())])
    print(json.dumps({"level": out.confinement, "status": out.calls[0].status, "value": out.calls[0].value}))
    """


@needs_outside
def test_at_the_landlock_level_a_run_can_create_no_file_so_no_burst_passes_the_caps(shared):
    """No mount namespace, so no tmpfs to cap: the run has no writable directory at all (its
    own directory is root's and Landlock grants only reading beneath it), so the caps are the
    kernel's refusal of the first write. On main the scratch directory was writable and its caps
    a scan every 0.1 s, which a burst written between two scans could pass."""
    got = run_level(DEEP, {}, shared, python=OUTSIDE_PYTHON, prefix=DOCKER_LIKE)
    assert got["level"] == "landlock" and got["status"] == "ok", got
    assert got["value"] == [0, 0]
    got = run_level(WRITE, {}, shared, python=OUTSIDE_PYTHON, prefix=DOCKER_LIKE)
    assert got["level"] == "landlock" and got["status"] == "ok"
    assert got["value"] == [False] * 8


@needs_outside
def test_nbgrader_autograde_works_for_an_ordinary_user(shared):
    """JupyterHub's usual set-up: the instructor runs ``nbgrader autograde`` as uid 1000 without
    sudo. On main the engine refused ("grading needs root") and every notebook failed."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from workflow_class import answered, make_course, submit

    from autograder.course import release

    course = Path(tempfile.mkdtemp(prefix="nbgrader-user-", dir=shared))
    make_course(course, ["a1_activations"])  # released by root, with this interpreter
    submit(course, "alice", "a1_activations", answered(course, "a1_activations"))
    prefix = as_user(OUTSIDE_PYTHON)
    uid = int(prefix[1].split("=")[1])
    gid = int(prefix[2].split("=")[1])
    for folder, _, files in os.walk(course):
        os.chown(folder, uid, gid)
        for name in files:
            os.chown(os.path.join(folder, name), uid, gid)
    env = {"PATH": f"{os.path.dirname(OUTSIDE_PYTHON)}:/usr/bin:/bin", "PYTHONPATH": str(REPO),
           "HOME": str(course), "TMPDIR": "/tmp", "NN_COURSE_SECRET_FILE": str(_secret_for(prefix, shared))}
    done = subprocess.run([*prefix, OUTSIDE_PYTHON, "-m", "nbgrader", "autograde", "a1_activations", "--create",
                           "--force"], cwd=course, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    from autograder.course.config import load_course

    book = release.read_gradebook(course, "a1_activations")["alice"]
    questions = load_course().assignment("a1_activations").questions
    assert {q.id: book.cells.get(q.id) for q in questions} == {q.id: q.points for q in questions}


@needs_outside
def test_the_images_entry_point_grades_a_folder_as_docker_run_starts_it(shared, tmp_path):
    """The Dockerfile's ``ENTRYPOINT`` (``python -m autograder grade``) as ``docker run`` starts
    it, without a daemon: root, Docker's default capability set (setpriv), Docker's refusal of
    namespaces (tests/docker_like.py), an interpreter other users can read (the image's
    /usr/local one; here the outside interpreter). Not run here: the image build itself."""
    from workflow_class import answered, make_course, submit

    course = Path(tempfile.mkdtemp(prefix="image-", dir=shared))
    make_course(course, ["a1_activations"])
    for kind, student in (("correct", "alice"), ("mistaken", "bob")):
        nb = answered(course, "a1_activations")
        if kind == "mistaken":
            from autograder.demo.synthetic import make_submission
            nb = make_submission("mistakes", "a1_activations", "activations")
        submit(course, student, "a1_activations", nb)
    out = tmp_path / "graded"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(shared), "TMPDIR": "/tmp",
           "NN_COURSE_SECRET_FILE": str(_secret_for((), shared))}
    done = subprocess.run([*DOCKER_DEFAULT, OUTSIDE_PYTHON, str(REPO / "tests" / "docker_like.py"),
                           OUTSIDE_PYTHON, "-m", "autograder", "grade", "a1_activations",
                           str(course / "submitted"), "--out", str(out), "--jobs", "2"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    grades = {s: json.loads((out / s / "grade.json").read_text()) for s in ("alice", "bob")}
    assert grades["alice"]["score"] == grades["alice"]["max_score"]
    assert 0 < grades["bob"]["score"] < grades["alice"]["score"]
    level = subprocess.run([*DOCKER_DEFAULT, OUTSIDE_PYTHON, str(REPO / "tests" / "docker_like.py"), OUTSIDE_PYTHON,
                            "-c", "from autograder.sandbox import Sandbox\nwith Sandbox() as s: print(s.confinement)"],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert level.stdout.split() == ["landlock"], level.stderr[-2000:]  # what the image's runs got


@needs_outside
def test_an_ordinary_users_runs_meet_the_kernels_scratch_caps_however_deep_the_tree(shared):
    """Issue 20, point 7, as an ordinary user: the same sized tmpfs as root's."""
    got = run_level(DEEP, {}, shared, python=OUTSIDE_PYTHON, prefix=as_user(OUTSIDE_PYTHON))
    assert got["level"] == "namespaces" and got["status"] == "ok", got
    made, written = got["value"]
    assert made <= 10_000 and written <= 64
