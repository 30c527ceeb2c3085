"""The comparison that grades every case (autograder.checks.compare), also shipped to students as checks.py."""
import numpy as np
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp

from autograder.checks.compare import _close, compare, matches

FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0.0, 1.0, -1.0, 1e-9, 1 + 1e-6, 1e308, -1e308]))


@given(hnp.arrays(np.float64, 8, elements=FLOATS), hnp.arrays(np.float64, 8, elements=FLOATS),
       st.sampled_from([(1e-6, 1e-9), (0.0, 0.0), (1e-5, 0.0), (0.5, 1e300)]))
def test_fast_closeness_is_exactly_numpys_isclose_with_equal_nan(got, expected, tolerances):
    rtol, atol = tolerances
    with np.errstate(all="ignore"):
        reference = np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    assert (_close(got, expected, rtol, atol) == reference).all()


def test_a_tuple_result_is_compared_item_by_item():
    expected = [np.zeros((2, 3)), np.zeros(2)]
    assert compare((np.zeros((2, 3)), np.zeros(2)), expected, 1e-6, 1e-9).ok
    verdict = compare((np.zeros((3, 2)), np.zeros(2)), expected, 1e-6, 1e-9)
    assert verdict.kind == "shape" and "transposed" in verdict.message and verdict.message.startswith("item 0")


def test_none_and_non_numbers_get_a_type_message_not_a_crash():
    assert "forget to return" in compare(None, np.zeros(2), 1e-6, 1e-9).message
    assert compare("text", np.zeros(2), 1e-6, 1e-9).kind == "dtype"
    assert compare(np.zeros(2), [np.zeros(2)], 1e-6, 1e-9).kind == "type"


def test_messages_never_show_the_expected_values():
    expected = np.array([0.123456789, 2.5])
    verdict = compare(np.array([0.2, 2.5]), expected, 1e-6, 1e-9)
    assert verdict.kind == "value" and "0.123" not in verdict.message and "2.5" not in verdict.message


def test_an_infinite_expected_value_is_matched_only_exactly():
    assert not matches(np.array([1.0]), np.array([np.inf]), 1e-6, 1e-9)
    assert matches(np.array([np.inf, np.nan]), np.array([np.inf, np.nan]), 1e-6, 1e-9)
