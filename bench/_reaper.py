"""Run a command and report the CPU seconds of its whole process tree.

    python -I -S bench/_reaper.py CPU_FILE COMMAND [ARG ...]

Run by :func:`bench.grading.run_measured` around every timed command. This process makes
itself a child subreaper (``PR_SET_CHILD_SUBREAPER``), so every descendant of the command
that outlives its parent (a Jupyter kernel, a sandbox's zygote) is re-parented here and
reaped here: the CPU time of the whole tree then ends up in this process's
``times().children_user + children_system``, which it writes to CPU_FILE. It exits with the
command's exit status. Standard library only, so that it starts in a few milliseconds.
"""
import ctypes
import os
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
ORPHAN_WAIT_S = 20.0  # how long to wait for descendants still running when the command exits


def main() -> int:
    cpu_file, cmd = sys.argv[1], sys.argv[2:]
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    status, deadline = 0, None
    while True:
        try:
            done, st = os.waitpid(-1, os.WNOHANG if deadline else 0)
        except ChildProcessError:
            break
        if done == pid:
            status, deadline = st, time.monotonic() + ORPHAN_WAIT_S
        elif done == 0:  # descendants still running after the command exited
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
    times = os.times()
    with open(cpu_file, "w") as handle:
        handle.write(repr(times.children_user + times.children_system))
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
