#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image, with this zip
# unpacked in /autograder/source (the root is $AUTOGRADER_ROOT when set: the tests' root).
# It installs the engine (a wheel of this course's repository: autograder + nn_core) and
# only the pinned packages grading needs into a virtual environment, ROOT/venv, then makes
# the course's files root-only so that student code, run under an unprivileged uid where the
# container offers no Landlock, can read numpy and the standard library but never nn_core,
# the engine, course.yml or the course secret (python -m autograder.gradescope.layout).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

has_python() {  # python3 >= 3.11 with venv and pip's bootstrap
    command -v python3 >/dev/null &&
        python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))' 2>/dev/null
}
if ! has_python && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv >/dev/null
fi
if ! has_python; then
    echo "setup.sh: needs python3 >= 3.11 with venv (choose Gradescope's Ubuntu 24.04 base image)" >&2
    exit 1
fi

python3 -m venv "$ROOT/venv"
"$ROOT/venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
    --only-binary=:all: -r "$SOURCE/requirements.txt"
"$ROOT/venv/bin/python" -m pip install --quiet --no-cache-dir --disable-pip-version-check \
    --no-deps "$SOURCE"/wheels/*.whl
"$ROOT/venv/bin/python" -I -m autograder.gradescope.layout "$ROOT"   # -I: never the engine in the working folder
