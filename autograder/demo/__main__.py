"""``python -m autograder.demo``: see :mod:`autograder.demo.main`."""
import sys

from autograder.demo.main import main

sys.exit(main())
