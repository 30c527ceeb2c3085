# Two commands run everything on a fresh machine with Python >= 3.11 and make:
#   make demo   - the main job (trains the reference networks, releases and grades a demo class)
#   make test   - the whole test suite (installs, as root when missing: Debian's chromium, and an
#                 interpreter other users can read for the ordinary-user sandbox tests)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

CHROMIUM := /usr/bin/chromium

.PHONY: demo test venv browser outside-python clean bench-training bench-grading bench-grading-full bench-isolation secret accuracy

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

# Headless Chromium for the class report's browser test: Debian's package, installed as root when
# missing (CI runs as root on a fresh machine). playwright drives it; `playwright install` is never run.
$(CHROMIUM):
	@if [ "$$(id -u)" != 0 ]; then echo "$(CHROMIUM) is missing: run 'sudo make browser'" >&2; exit 1; fi
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium

browser: $(CHROMIUM)

# An interpreter other users can read, for the sandbox's tests at an ordinary user's level and in a
# default container (tests/test_sandbox_levels.py; this venv lives under /root, mode 0700): Debian's
# python3 in a venv owned by the user `grader`, made as root when missing (CI runs as root on a fresh
# machine); elsewhere those tests are skipped, saying so.
OUTSIDE_VENV := /home/grader/venv
OUTSIDE_PACKAGES := numpy pyyaml nbformat tqdm matplotlib nh3 threadpoolctl nbgrader
$(OUTSIDE_VENV)/.installed:
	@if [ "$$(id -u)" != 0 ]; then echo "no $(OUTSIDE_VENV): the ordinary-user sandbox tests will be skipped (sudo make outside-python)" >&2; exit 0; fi; \
	set -e; \
	if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv; fi; \
	id grader >/dev/null 2>&1 || useradd -m grader; \
	runuser -u grader -- /usr/bin/python3 -m venv $(OUTSIDE_VENV); \
	runuser -u grader -- $(OUTSIDE_VENV)/bin/pip install --quiet $(OUTSIDE_PACKAGES); \
	touch $@

outside-python: $(OUTSIDE_VENV)/.installed

demo: $(STAMP)
	$(PY) -m autograder.demo

# the instructor's set-up, once: the course secret that keys every student's hidden cases
# (.course_secret, gitignored; make demo creates it too when there is none)
secret: $(STAMP)
	$(PY) -m autograder secret init

test: $(STAMP) $(CHROMIUM) $(OUTSIDE_VENV)/.installed
	$(PY) -m pytest -n 2

# grade every labelled corpus (tests/corpus/, registered; tests/corpus_<name>/, written without the
# registry) under several student ids and print, per origin and per question, valid / false fails /
# mistakes / false passes / named % / misnamed, then every miss (about 8 minutes on 2 busy cores;
# --origins fresh, --assignments, --review: see tests/corpus/harness.py)
accuracy: $(STAMP)
	@test -f .course_secret || $(PY) -m autograder secret init
	$(PY) tests/corpus/harness.py

# nn_core vs PyTorch vs scikit-learn, time per epoch on digits (PyTorch: pip install -e '.[bench]')
bench-training: $(STAMP)
	$(PY) -m bench.training

# plain nbgrader (Execute, literal asserts), otter run (pip install -e '.[otter]'), nbgrader with the
# engine and python -m autograder grade --jobs 2, interleaved on 10 submissions per assignment, the
# ratio against plain nbgrader per assignment, then 2,000 of a4 through the command line for the
# 10,000 extrapolation (20 to 30 minutes on 2 cores, most of it otter); --n, --batch, --tools,
# --assignments, --large, --dir
bench-grading: $(STAMP)
	$(PY) -m bench.grading

# the same on 50 submissions per assignment, then 2,000 of the largest through the command line alone
bench-grading-full: $(STAMP)
	$(PY) -m bench.grading --full

# what the sandbox's isolation costs per submission: this engine against the first edition's
# (f808ee0), side by side; needs the git history (about 1 minute)
bench-isolation: $(STAMP)
	$(PY) -m bench.isolation

clean:
	rm -rf $(VENV) .pytest_cache
