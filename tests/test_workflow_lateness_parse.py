"""The command line reads timestamp.txt by nbgrader's rule without importing nbgrader."""
import pytest
from nbgrader.utils import parse_utc as nbgrader_parse_utc

from autograder.batch.lateness import parse_utc


@pytest.mark.parametrize("text", [
    "2027-02-05 21:14:03.120000 UTC", "2027-02-05 21:14:03.000000 Europe/Paris", "2027-02-05 21:14:03 -0500",
    "2027-02-05T21:14:03+02:00", "2027-02-05 21:14:03", "2027-02-05 23:59:59.999999 America/Los_Angeles",
])
def test_timestamps_are_read_as_nbgrader_reads_them(text):
    assert parse_utc(text) == nbgrader_parse_utc(text)


def test_grading_does_not_import_nbgrader():
    import subprocess
    import sys

    code = ("import sys, autograder.cli, autograder.grading.pipeline, autograder.batch.lateness; "
            "autograder.batch.lateness.parse_utc('2027-02-05 21:14:03.120000 UTC'); "
            "print('nbgrader' in sys.modules, 'jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
