# Two commands run everything on a fresh machine with Python >= 3.11 and make:
#   make demo   - the main job (trains the reference networks, releases and grades a demo class)
#   make test   - the whole test suite
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test venv clean bench-training bench-grading accuracy

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

# grade the labelled corpus (tests/corpus/) under several student ids and print
# valid / false fails / mistakes / false passes / named %, then every miss (about 10 s)
accuracy: $(STAMP)
	$(PY) tests/corpus/harness.py

# nn_core vs PyTorch vs scikit-learn, time per epoch on digits (PyTorch: pip install -e '.[bench]')
bench-training: $(STAMP)
	$(PY) -m bench.training

# nbgrader autograde vs python -m autograder grade --jobs 2 on 200 submissions, then 1,000 of the
# largest assignment through the command line (about 6 minutes; --n, --large, --jobs, --dir)
bench-grading: $(STAMP)
	$(PY) -m bench.grading

clean:
	rm -rf $(VENV) .pytest_cache
