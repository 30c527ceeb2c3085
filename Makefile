# Two commands run everything on a fresh machine with Python >= 3.11 and make:
#   make demo   - the main job (trains the reference networks, releases and grades a demo class)
#   make test   - the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test venv clean bench-training bench-grading bench-grading-full

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(PY) -m autograder.demo

test: $(STAMP)
	$(PY) -m pytest -n 2

# nn_core vs PyTorch vs scikit-learn, time per epoch on digits (PyTorch: pip install -e '.[bench]')
bench-training: $(STAMP)
	$(PY) -m bench.training

# plain nbgrader (Execute, literal asserts), otter run (pip install -e '.[otter]'), nbgrader with the
# engine and python -m autograder grade --jobs 2, interleaved on 10 submissions per assignment
# (15 to 30 minutes on 2 cores, most of it otter); --n, --batch, --tools, --assignments, --large, --dir
bench-grading: $(STAMP)
	$(PY) -m bench.grading

# the same on 50 submissions per assignment, then 1,000 of the largest through the command line alone
bench-grading-full: $(STAMP)
	$(PY) -m bench.grading --full

clean:
	rm -rf $(VENV) .pytest_cache
