"""Attacks on the integrity of other students' grades, tried as a determined student would.

Each test plays a submission that knows this repository's source (the wire format, the
zygote, the cleanup) and shows two things: the attacker gets a fair result for itself only,
and every other student graded *in the same process, after it* gets exactly the grade they
get when graded alone.  The numbers in the names refer to the points of issue 9.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder.course.config import load_course
from autograder.grading.pipeline import grade_notebook
from autograder.sandbox import Call, Limits, Sandbox, SandboxError
from autograder.sandbox.confine import MIN_LANDLOCK_ABI, landlock_abi
from autograder.sandbox.supervisor import remove_tree
from autograder.demo.synthetic import make_submission

REPO = Path(__file__).resolve().parents[1]
COURSE = load_course()
A2 = "a2_feedforward"
FAST = Limits(call_timeout_s=1.0, submission_timeout_s=10.0, cpu_s=10.0, memory_mb=1024)
needs_confinement = pytest.mark.skipif(
    landlock_abi() < MIN_LANDLOCK_ABI, reason="the kernel cannot confine: the sandbox refuses to run")

pytestmark = needs_confinement

FRAME = textwrap.dedent("""
    import json as _json, os as _os, struct as _struct
    def _frame(obj, blobs=()):
        obj["blobs"] = [len(b) for b in blobs]
        head = _json.dumps(obj).encode()
        return _struct.pack(">I", len(head)) + head + b"".join(blobs)
    """)


def attacker(first_cell_prefix: str) -> nbformat.NotebookNode:
    """The a2 solution (full marks if graded honestly) with code put before its first answer."""
    nb = make_submission("correct", A2, "feedforward")
    first = next(c for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution"))
    first.source = FRAME + textwrap.dedent(first_cell_prefix) + "\n" + first.source
    return nb


def with_answer(nb: nbformat.NotebookNode, function: str, source: str) -> nbformat.NotebookNode:
    """``nb`` with the answer cell that defines ``function`` replaced by ``source``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and f"def {function}(" in cell.source:
            cell.source = FRAME + textwrap.dedent(source)
            return nb
    raise KeyError(function)


def victims() -> dict[str, nbformat.NotebookNode]:
    return {kind: make_submission(kind, A2, "feedforward") for kind in ("correct", "stub", "mistakes")}


def grade_alone(nb, student: str) -> dict:
    with Sandbox(COURSE.limits) as own:
        return grade_notebook(nb, A2, student, course=COURSE, sandbox=own).to_dict()


@pytest.fixture(scope="module")
def alone() -> dict[str, dict]:
    return {kind: grade_alone(nb, f"victim-{kind}") for kind, nb in victims().items()}


def grade_after(attack: nbformat.NotebookNode, alone: dict) -> dict:
    """Grade the attacker, then every victim, in one sandbox; victims must equal ``alone``."""
    with Sandbox(COURSE.limits) as shared:
        attacked = grade_notebook(attack, A2, "attacker", course=COURSE, sandbox=shared).to_dict()
        for kind, nb in victims().items():
            after = grade_notebook(nb, A2, f"victim-{kind}", course=COURSE, sandbox=shared).to_dict()
            assert after == alone[kind], f"the {kind} victim's grade changed after the attack"
    return attacked


# --- 1. forged result frames: one run, one channel -----------------------------------------------
FORGERIES = {
    "float call index": """
        _os.write(3, _frame({"k": "cell", "i": 0.0, "ok": True}))
        """,
    "overflowing float literal": """
        _os.write(3, _struct.pack(">I", 40) + b'{"k": "cell", "i": 1e999, "blobs": []}   ')
        """,
    "absurd .npy shape": """
        _npy = b"\\x93NUMPY\\x01\\x00" + _struct.pack("<H", 118) + (
            b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000000000,), }".ljust(117) + b"\\n")
        _os.write(3, _frame({"k": "call", "i": 0, "status": "ok", "tree": {"a": 0}}, [_npy]))
        """,
    "full marks forged for the next student": """
        import time as _time
        _os.write(3, b"\\xff\\xff")  # garbage: the parser gives up on this run ...
        _time.sleep(0.5)  # ... and this run keeps writing what the next student should get
        for _ in range(50):
            _os.write(3, _frame({"k": "hello", "confinement": "landlock"}) + _frame({"k": "end"}))
        """,
    "json nested too deep": """
        _os.write(3, _struct.pack(">I", 200000) + b"[" * 100000 + b"]" * 100000)
        """,
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_forged_frames_are_a_protocol_error_of_the_forger_only(forgery, alone):
    attacked = grade_after(attacker(FORGERIES[forgery]), alone)
    assert attacked["score"] == 0
    assert "malformed results" in attacked["error"] or "not run" in json.dumps(attacked)


def test_a_forger_writing_during_a_call_is_stopped_and_classmates_keep_their_grades(alone):
    nb = with_answer(attacker(""), "forward", """
                def forward(X, params):
                    for i in range(100):
                        _os.write(3, _frame({"k": "call", "i": 10 ** 6 + i, "status": "timeout"}))
                    return X
                """)
    attacked = grade_after(nb, alone)
    forward = next(q for q in attacked["questions"] if q["id"] == "forward")
    assert forward["score"] == 0


def test_a_cleanup_that_must_descend_1500_directories_does_not_stop_the_batch(alone):
    attacked = grade_after(attacker("""
        for _ in range(1500):
            _os.mkdir("d")
            _os.chdir("d")
        _os.chdir(_os.environ["HOME"])
        """), alone)
    assert attacked["score"] == alone["correct"]["score"]  # nesting directories is no crime


# --- 3. nothing of one student reaches the next ---------------------------------------------------
def _mapped_memory(pid: int) -> bytes:
    """Every readable private mapping of a process (the test runs as the grader's user)."""
    chunks = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            fields = line.split()
            if "r" not in fields[1] or (len(fields) > 5 and fields[5].startswith("[v")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            try:
                mem.seek(start)
                chunks.append(mem.read(end - start))
            except (OSError, ValueError, OverflowError):
                continue
    return b"".join(chunks)


def test_the_zygote_never_holds_a_students_code_inputs_or_results():
    """Every run is forked from the zygote: if the zygote never reads a submission, no later
    run can find it in the memory it inherits."""
    code_marker = "SECRET_ANSWER_OF_ALICE_7f3a9"
    input_marker = np.frombuffer(b"HIDDEN-INPUT-OF-ALICE-1234567890", dtype=np.float64).copy()
    with Sandbox(FAST) as sb:
        source = f"# {code_marker}\ndef f(x):\n    return x * 1.0\n"
        result = sb.run([source] * 3, [Call("f", (input_marker,))] * 5)
        assert result.calls[0].status == "ok"
        memory = _mapped_memory(sb.zygote_pid)
    assert len(memory) > 1_000_000  # really read the zygote's heap
    assert code_marker.encode() not in memory
    assert input_marker.tobytes() not in memory
    assert b"ALICE" not in memory


# --- 4 and 5. one life: nothing of a run survives it; bombs cost their author only ---------------
def _processes_of_uid(uid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    out.append(int(entry))
            except OSError:
                pass
    return out


def _alive(pid: int) -> bool:
    """Running or sleeping; a zombie (dead, waiting to be reaped by init) is not alive."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def _descendants(pid: int) -> list[int]:
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    out, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            out.append(child)
            stack.append(child)
    return out


ESCAPES = """
import os, signal, threading, time
def escape():
    signal.signal(signal.SIGALRM, signal.SIG_IGN)   # outlive the call timer
    try:
        os.setsid()
    except OSError:
        pass
    tried = []
    for make in (os.fork, lambda: threading.Thread(target=time.sleep, args=(60,)).start()):
        try:
            make()
            tried.append(True)
        except (OSError, RuntimeError):
            tried.append(False)
    while True:
        pass
"""


def test_a_run_that_ignores_its_timer_and_tries_to_fork_leaves_no_process_behind():
    limits = Limits(call_timeout_s=0.5, submission_timeout_s=2.0, cpu_s=10, memory_mb=1024)
    with Sandbox(limits) as sb:
        uid = sb.info["run_uid"]
        started = time.monotonic()
        result = sb.run([ESCAPES], [Call("escape", ())])
        assert time.monotonic() - started < 8
        assert result.calls[0].status == "timeout"
        if uid is not None:  # a root grader: every process of a run has the run's uid
            assert _processes_of_uid(uid) == []
        assert [p for p in _descendants(sb.zygote_pid) if _alive(p)] == []  # run supervisor and run gone
        zygote = sb.zygote_pid
    assert not _alive(zygote)


def test_killing_the_zygote_mid_run_kills_the_run_too():
    with Sandbox(Limits(call_timeout_s=3, submission_timeout_s=4, cpu_s=60, memory_mb=1024)) as sb:
        zygote = sb.zygote_pid
        thread = threading.Thread(target=sb.run, args=(["def f():\n    while True:\n        pass\n"], [Call("f", ())]))
        thread.start()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and len(_descendants(zygote)) < 2:
            time.sleep(0.05)
        run_processes = _descendants(zygote)
        assert len(run_processes) == 2  # the run supervisor and the run's process
        os.kill(zygote, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(_alive(p) for p in run_processes):
            time.sleep(0.05)
        assert not any(_alive(p) for p in run_processes)
        thread.join(timeout=70)


def test_the_run_is_not_root_even_when_the_grader_is():
    with Sandbox(FAST) as sb:
        out = sb.run(["import os\ndef ids():\n    return [os.getuid(), os.geteuid(), os.getpid()]\n"],
                     [Call("ids", ())]).calls[0]
    assert out.status == "ok"
    uid, euid, pid = out.value
    assert pid == 1  # PID 1 of its own namespace
    if os.geteuid() == 0:
        assert uid != 0 and euid != 0


def test_a_thread_bomb_costs_its_author_one_question_and_nothing_else(alone):
    bomb = with_answer(attacker(""), "dense_forward", """
                import threading, time
                def dense_forward(X, W, b):
                    started = 0
                    for _ in range(2000):
                        try:
                            threading.Thread(target=time.sleep, args=(30,)).start()
                            started += 1
                        except RuntimeError:
                            break
                    return X @ W.T + b + started
                """)
    attacked = grade_after(bomb, alone)
    scores = {q["id"]: q["score"] for q in attacked["questions"]}
    points = {q.id: q.points for q in COURSE.assignment(A2).questions}
    assert scores["dense_forward"] == points["dense_forward"]  # no thread could be started
    assert attacked["score"] == alone["correct"]["score"]


def test_no_process_outside_the_run_can_be_signalled_or_reniced():
    grader = os.getpid()
    before = os.getpriority(os.PRIO_PROCESS, grader)
    source = textwrap.dedent(f"""
        import os, signal
        def poke():
            out = []
            for attempt in (lambda: os.kill({grader}, signal.SIGSTOP),
                            lambda: os.sched_setscheduler({grader}, os.SCHED_IDLE, os.sched_param(0)),
                            lambda: os.setpriority(os.PRIO_PROCESS, {grader}, 19)):
                try:
                    attempt()
                    out.append(True)
                except OSError:
                    out.append(False)
            os.setpriority(os.PRIO_USER, os.getuid(), 19)  # every process of its uid it can see
            os.setpriority(os.PRIO_USER, 0, 19)
            return out
        """)
    with Sandbox(FAST) as sb:
        out = sb.run([source], [Call("poke", ())]).calls[0]
    assert out.status in ("ok", "error")
    if out.status == "ok":
        assert out.value == [False, False, False]
    assert os.getpriority(os.PRIO_PROCESS, grader) == before
    assert os.sched_getscheduler(grader) != os.SCHED_IDLE


def test_the_sandbox_refuses_to_run_where_neither_namespaces_nor_landlock_can_confine():
    with pytest.raises(SandboxError) as error:
        with Sandbox(FAST, assume_no_namespaces=True, assume_landlock_abi=0):
            pass
    text = str(error.value)
    assert "unprivileged namespaces are unavailable" in text and "Landlock" in text
    assert "nothing was graded" in text.lower()


# --- 6. the reference is unreadable however the project is installed -----------------------------
READ_REFERENCE = """
import os
def steal(paths):
    got = []
    for path in paths:
        try:
            with open(path) as handle:
                got.append(len(handle.read()))
        except OSError:
            got.append(-1)
    try:
        from nn_core.answers import ANSWERS
        got.append(1)
    except Exception:
        got.append(0)
    return got
"""


def _steal(sb: Sandbox, paths: list[str]) -> list[int]:
    # paths travel as arrays of code points: call arguments are numbers only
    source = READ_REFERENCE.replace("def steal(paths):", "def steal(*codes):\n    paths = [''.join(map(chr, c)) for c in codes]")
    out = sb.run([source], [Call("steal", tuple(np.array([ord(ch) for ch in p]) for p in paths))]).calls[0]
    assert out.status == "ok", out
    return out.value


def test_nn_core_course_files_and_other_packages_are_unreadable_in_an_editable_install():
    import nn_core
    import yaml

    secret_places = [str(Path(nn_core.__file__).parent / "answers.py"), str(REPO / "course.yml"),
                     str(REPO / "solutions" / A2 / "feedforward.ipynb"), yaml.__file__]
    with Sandbox(FAST) as sb:
        got = _steal(sb, secret_places + [np.__file__])
    assert got[:len(secret_places)] == [-1] * len(secret_places)
    assert got[len(secret_places)] > 0  # numpy itself stays readable
    assert got[-1] == 0  # nn_core cannot be imported


@pytest.mark.slow
def test_nn_core_is_unreadable_when_installed_as_a_regular_package(tmp_path):
    """``pip install .`` (not ``-e``) into an environment's site-packages."""
    env = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    site_packages = next((env / "lib").glob("python3*/site-packages"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(site_packages), str(REPO)], check=True, cwd=tmp_path)
    # numpy from this environment, without its editable finder for our own packages
    (site_packages / "zz_numpy.pth").write_text(str(Path(np.__file__).parents[1]) + "\n")
    script = textwrap.dedent(f"""
        import json, numpy as np, nn_core, autograder
        from pathlib import Path
        from autograder.sandbox import Call, Sandbox
        assert str(Path(nn_core.__file__)).startswith({str(site_packages)!r}), nn_core.__file__
        answers = str(Path(nn_core.__file__).parent / "answers.py")
        source = {READ_REFERENCE!r}.replace("def steal(paths):",
            "def steal(*codes):\\n    paths = [''.join(map(chr, c)) for c in codes]")
        with Sandbox() as sb:
            out = sb.run([source], [Call("steal", (np.array([ord(c) for c in answers]),))]).calls[0]
        print(json.dumps(out.value))
        """)
    result = subprocess.run([str(env / "bin" / "python"), "-c", script], capture_output=True, text=True,
                            cwd=tmp_path, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [-1, 0]


# --- 7. no student-chosen text in hidden-case feedback --------------------------------------------
def test_exception_class_names_and_function_names_carry_no_hidden_input(alone):
    nb = with_answer(attacker(""), "dense_forward", """
                def dense_forward(X, W, b):
                    digits = "".join(c for c in repr(float(X.flat[0])) if c.isdigit())[:8]
                    def leak():
                        raise type("Leak_" + digits, (Exception,), {})("x" + digits)
                    leak.__code__ = leak.__code__.replace(co_name="leak_" + digits)
                    leak()
                """)
    attacked = grade_after(nb, alone)
    dense = next(q for q in attacked["questions"] if q["id"] == "dense_forward")
    assert dense["score"] == 0
    assert "Leak_" not in dense["feedback"] and "leak_" not in dense["feedback"]
    assert "raised Exception" in dense["feedback"]  # its nearest built-in class


# --- 8. the cleanup never follows a link -----------------------------------------------------------
def test_the_cleanup_never_changes_anything_a_link_points_to(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me")
    outside.chmod(0o600)
    source = textwrap.dedent(f"""
        import os
        def plant():
            os.symlink({str(outside)!r}, "link")
            os.mkdir("locked")
            os.symlink({str(outside)!r}, "locked/link")
            os.chmod("locked", 0)
            return 1
        """)
    with Sandbox(FAST) as sb:
        assert sb.run([source], [Call("plant", ())]).calls[0].status == "ok"
        assert os.listdir(os.path.join(sb._base, "runs")) == []
    assert outside.read_text() == "keep me" and (outside.stat().st_mode & 0o777) == 0o600


def test_remove_tree_removes_deep_trees_without_following_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious").write_text("x")
    root = tmp_path / "scratch"
    root.mkdir()
    here = os.getcwd()
    os.chdir(root)
    try:
        for _ in range(1200):
            os.mkdir("d")
            os.chdir("d")
        os.symlink(outside, "escape")
    finally:
        os.chdir(here)
    remove_tree(str(root))
    assert not root.exists() and (outside / "precious").read_text() == "x"


def test_closing_a_sandbox_removes_every_directory_it_made():
    sb = Sandbox(FAST)
    with sb:
        sb.run(["x = 1\n"], [])
        base = sb._base
        assert os.path.isdir(base)
    assert not os.path.exists(base)


def test_a_command_line_batch_leaves_no_sandbox_directory_behind(tmp_path):
    from autograder.demo.synthetic import write_class

    import tempfile

    write_class(tmp_path / "submitted", COURSE, {"alice": "correct", "bob": "stub"}, [A2])
    scratch_root = Path(tempfile.mkdtemp(prefix="nsb-", dir="/tmp"))  # short: forkserver binds a socket in it
    env = dict(os.environ, TMPDIR=str(scratch_root))
    result = subprocess.run([sys.executable, "-m", "autograder", "grade", A2, str(tmp_path / "submitted"),
                             "--out", str(tmp_path / "graded"), "--jobs", "2", "--quiet"],
                            capture_output=True, text=True, env=env, cwd=REPO, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "graded" / "alice" / "grade.json").exists()
    left = [p.name for p in scratch_root.iterdir() if p.name.startswith("nn-sandbox-")]
    subprocess.run(["rm", "-rf", str(scratch_root)])
    assert left == []


def test_without_landlock_and_without_consent_the_sandbox_refuses():
    with pytest.raises(SandboxError, match="require_landlock=False"):
        with Sandbox(FAST, assume_no_namespaces=True, assume_landlock_abi=0):
            pass


# --- found by the red-team review ---------------------------------------------------------------
def test_names_the_cleanup_uses_cannot_be_taken_in_advance(alone):
    """A run that made ``.flat-1/x`` (the cleanup's first name, once) must not stop the cleanup."""
    attacked = grade_after(attacker("""
        for _name in [".flat-1", ".flat-2"] + [".flat-%016x" % i for i in range(3)]:
            _os.makedirs(_name + "/x/y", exist_ok=True)
        _os.makedirs("a/b/c", exist_ok=True)
        """), alone)
    assert attacked["score"] == alone["correct"]["score"]


def test_system_v_ipc_is_refused_so_nothing_outlives_a_run():
    source = textwrap.dedent("""
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        def ipc():
            return [libc.msgget(0, 0o1666), libc.shmget(0, 1 << 20, 0o1666), libc.semget(0, 1, 0o1666)]
        """)
    with Sandbox(FAST) as sb:
        out = sb.run([source], [Call("ipc", ())]).calls[0]
    assert out.status == "ok" and out.value == [-1, -1, -1]


def test_a_result_too_large_for_one_frame_costs_that_call_only():
    source = "def big():\n    return [0.5] * 70_000\n\ndef small():\n    return 1.0\n"
    with Sandbox(FAST) as sb:
        result = sb.run([source], [Call("big", ()), Call("small", ())])
    assert result.calls[0].status == "error" and "larger than" in result.calls[0].message
    assert result.calls[1].status == "ok" and result.calls[1].value == 1.0


def test_too_many_files_fail_in_the_students_code_and_cost_that_call_only():
    """The scratch tmpfs holds 10,000 entries (nr_inodes): the next mkdir fails (ENOSPC)."""
    source = "import os\ndef many():\n    for i in range(20_000):\n        os.mkdir(str(i))\n    return 1\n"
    with Sandbox(Limits(call_timeout_s=20, submission_timeout_s=30, cpu_s=30, memory_mb=1024)) as sb:
        started = time.monotonic()
        result = sb.run([source], [Call("many", ())])
        assert time.monotonic() - started < 25
        assert os.listdir(os.path.join(sb._base, "runs")) == []
    assert result.calls[0].status == "error" and result.calls[0].error_type == "OSError"


# --- issue 20, point 7: the scratch caps are the kernel's, however deep the tree ------------------
DEEP_TREE = textwrap.dedent("""
        import os
        def deep():
            made = 0
            try:
                for _ in range(12_000):
                    os.mkdir("d" * 200)
                    os.chdir("d" * 200)
                    made += 1
            except OSError:
                pass
            written = 0
            try:
                for i in range(512):
                    with open(f"f{i}", "wb") as handle:
                        handle.write(b"x" * 2**20)
                    written += 1
            except OSError:
                pass
            return [made, written]
        """)


def test_a_tree_deeper_than_path_max_cannot_pass_the_scratch_caps():
    """On main the caps were a scan by path that never counted what lay deeper than PATH_MAX:
    512 MB and 12,000 directories were written without the run being stopped."""
    source = DEEP_TREE
    limits = Limits(call_timeout_s=50, submission_timeout_s=60, cpu_s=60, memory_mb=1024, scratch_mb=64)
    with Sandbox(limits) as sb:
        out = sb.run([source], [Call("deep", ())]).calls[0]
    assert out.status == "ok", out.message
    made, written = out.value
    assert made <= 10_000 and written <= 64


# --- issue 20, point 8: nothing outside the run's own filesystem, not even its metadata ----------
METADATA = textwrap.dedent("""
    import ctypes, os
    def peek(*codes):
        paths = [''.join(map(chr, c)) for c in codes]
        locked_folder, locked_file, public_file, writable = paths
        here = os.getcwd()
        out = []
        for attempt in (lambda: os.stat(locked_file), lambda: os.stat(public_file),
                        lambda: os.chdir(locked_folder), lambda: os.listdir(locked_folder),
                        lambda: os.readlink(public_file), lambda: os.utime(writable, (0, 0)),
                        lambda: os.truncate(writable, 0), lambda: os.chmod(writable, 0o600)):
            try:
                attempt()
                out.append(True)
            except OSError:
                out.append(False)
            os.chdir(here)
        libc = ctypes.CDLL(None, use_errno=True)
        out.append(libc.inotify_init1(0) >= 0)
        return out
    """)


def metadata_targets(folder: Path) -> list[str]:
    """A 0700 folder with a file in it (the course secret's, a classmate's), a file anyone may
    read (nn_core, grade.json), and a file anyone may write, all outside the run's scratch."""
    locked = folder / "locked"
    locked.mkdir(mode=0o700)
    (locked / "secret").write_text("s")
    public = folder / "grade.json"
    public.write_text("{}")
    public.chmod(0o644)
    writable = folder / "writable"
    writable.write_text("keep me")
    writable.chmod(0o666)
    return [str(locked), str(locked / "secret"), str(public), str(writable)]


def test_a_run_sees_no_metadata_outside_its_own_filesystem_and_changes_nothing(tmp_path):
    folder = Path(tempfile.mkdtemp(prefix="metadata-", dir="/tmp"))
    try:
        folder.chmod(0o755)
        targets = metadata_targets(folder)
        with Sandbox(FAST) as sb:
            out = sb.run([METADATA], [Call("peek", tuple(np.array([ord(ch) for ch in p]) for p in targets))]).calls[0]
        assert out.status == "ok", out.message
        assert out.value == [False] * 9
        writable = folder / "writable"
        assert writable.read_text() == "keep me" and writable.stat().st_mtime > 0
        assert writable.stat().st_mode & 0o777 == 0o666
    finally:
        shutil.rmtree(folder)


# --- issue 20, point 2: a run the sandbox cannot confine is not a result ---------------------------
def test_a_run_the_sandbox_fails_to_confine_is_an_error_of_the_grader_not_a_zero(monkeypatch, tmp_path):
    """On main, a run whose confinement failed before the student's first line came back as a
    result ("could not be started by the sandbox"), which every question scored 0. Here the
    view a run is built from loses a directory after the dry run: the run cannot be confined,
    and ``run`` raises (the batch reports a grader fault and writes no grade)."""
    from autograder.sandbox import paths

    vanishing = tmp_path / "vanishing"
    vanishing.mkdir()
    plan = paths.view_plan

    def with_vanishing(numpy_dirs):
        out = plan(numpy_dirs)
        return dict(out, binds=out["binds"] + [str(vanishing)])

    monkeypatch.setattr(paths, "view_plan", with_vanishing)
    with Sandbox(FAST) as sb:
        assert sb.confinement == "namespaces"
        vanishing.rmdir()
        with pytest.raises(SandboxError, match="(?i)nothing was graded"):
            sb.run(["def sigmoid(z):\n    return z\n"], [Call("sigmoid", (np.zeros(2),))])
