"""docs/errata.md: the notes' two weight conventions agree, the slips it lists are corrected in
nn_core, every test the page names as "pinned by" exists, and the student errata made of its
student parts (released beside every notebook) give no graded answer away."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import numpy as np
import pytest

from autograder.course import errata, spoilers
from nn_core import deltas, network, optim, two_layer
from nn_core.activations import ACTIVATIONS, softmax
from nn_core.gradcheck import numerical_gradient, relative_error
from nn_core.losses import LOSSES

REPO = Path(__file__).resolve().parents[1]
ERRATA = REPO / "docs" / "errata.md"
TOL = 1e-7


def net_case(sizes=(4, 5, 3), m=6, seed=0):
    """Params with non-zero biases, a batch X, one-hot targets Y (relu hidden, softmax + cce)."""
    rng = np.random.default_rng(seed)
    params = [(W, rng.normal(0, 0.5, size=b.shape)) for W, b in network.init_params(list(sizes), seed=seed)]
    X = rng.normal(size=(m, sizes[0]))
    Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], size=m)]
    return params, X, Y


# -- the two weight conventions (note 004 stores W as (n_in, n_out)) ---------------------------
def note_004_one_example(params_004, x, y):
    """Note 004's "For 1 example" with its own W (n_in, n_out), column vectors:
    z = W^T a + b, delta^L = a^L - y, delta^l = (W^(l+1) delta^(l+1)) * g'(z^l),
    dL/db = delta, dL/dW = a^(l-1) (delta^l)^T."""
    relu = ACTIVATIONS["relu"]
    a, z = [x.reshape(-1, 1)], []
    for k, (W, b) in enumerate(params_004):
        z.append(W.T @ a[-1] + b.reshape(-1, 1))
        a.append(softmax(z[-1].T).T if k == len(params_004) - 1 else relu.fn(z[-1]))
    delta = a[-1] - y.reshape(-1, 1)
    grads = [None] * len(params_004)
    for k in range(len(params_004) - 1, -1, -1):
        grads[k] = (a[k] @ delta.T, delta.ravel())
        if k > 0:
            delta = (params_004[k][0] @ delta) * relu.prime(z[k - 1])
    return grads


def note_004_batch(params_004, X, Y):
    """The same for m examples stacked as rows: Z = A W + b, Delta^l = (Delta^(l+1) W^T) * g'(Z),
    dW = A^T Delta / m, db = mean of Delta over the rows."""
    relu = ACTIVATIONS["relu"]
    A, Z = [X], []
    for k, (W, b) in enumerate(params_004):
        Z.append(A[-1] @ W + b)
        A.append(softmax(Z[-1]) if k == len(params_004) - 1 else relu.fn(Z[-1]))
    delta, m = A[-1] - Y, X.shape[0]
    grads = [None] * len(params_004)
    for k in range(len(params_004) - 1, -1, -1):
        grads[k] = (A[k].T @ delta / m, delta.mean(axis=0))
        if k > 0:
            delta = (delta @ params_004[k][0].T) * relu.prime(Z[k - 1])
    return grads


def test_note_004_one_example_formulas_with_w_inputs_by_outputs_are_the_course_gradients_transposed():
    """Errata #12, #13: note 004's formulas are right for its W; translated with W_004 = W^T
    they are the course's, and each gradient has the shape of its own W."""
    params, X, Y = net_case()
    params_004 = [(W.T, b) for W, b in params]
    theirs = note_004_one_example(params_004, X[0], Y[0])
    ours = network.backward_single(params, X[0], Y[0], "relu", "softmax", "cce")
    for (dW4, db4), (dW, db), (W4, _) in zip(theirs, ours, params_004):
        assert dW4.shape == W4.shape
        np.testing.assert_allclose(dW4, dW.T, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(db4, db, rtol=1e-12, atol=1e-15)


def test_note_004_batch_formulas_with_w_inputs_by_outputs_are_the_course_gradients_transposed():
    """Errata #14, #22 in note 004's convention: dW = A^T Delta / m, Delta^l = (Delta^(l+1) W^T) * g'."""
    params, X, Y = net_case()
    theirs = note_004_batch([(W.T, b) for W, b in params], X, Y)
    ours = network.backward(params, network.forward(params, X, "relu", "softmax"), Y, "relu", "softmax", "cce")
    for (dW4, db4), (dW, db) in zip(theirs, ours):
        np.testing.assert_allclose(dW4, dW.T, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(db4, db, rtol=1e-12, atol=1e-15)


def test_batch_hidden_delta_is_the_one_example_recurrence_row_by_row():
    """Errata #22: row i of Delta^l is example i's (W^T delta_i) * g'(z_i), in either convention."""
    rng = np.random.default_rng(1)
    m, n_l, n_next = 5, 4, 3
    delta_next, W_next, Z = rng.normal(size=(m, n_next)), rng.normal(size=(n_next, n_l)), rng.normal(size=(m, n_l))
    g = ACTIVATIONS["tanh"]
    rows = np.stack([(W_next.T @ delta_next[i]) * g.prime(Z[i]) for i in range(m)])
    np.testing.assert_allclose(deltas.hidden_delta(delta_next, W_next, Z, "tanh"), rows, rtol=1e-13)
    W_004 = W_next.T                                             # (n_l, n_next)
    np.testing.assert_allclose((delta_next @ W_004.T) * g.prime(Z), rows, rtol=1e-13)


# -- the slips -----------------------------------------------------------------------------------
def test_loss_gradients_are_taken_with_respect_to_the_prediction_not_the_target():
    """Errata #5, #23 (and #19, notation): dL/dY_hat, the derivative in the prediction (the first
    argument); for MSE the derivative in the target has the opposite sign."""
    rng = np.random.default_rng(2)
    Y_hat, Y = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    for name in ("mse", "huber", "pseudo_huber"):
        loss = LOSSES[name]
        in_prediction = numerical_gradient(lambda P: loss.value(P, Y), Y_hat.copy())
        assert relative_error(loss.gradient(Y_hat, Y), in_prediction) < TOL
    in_target = numerical_gradient(lambda T: LOSSES["mse"].value(Y_hat, T), Y.copy())
    np.testing.assert_allclose(LOSSES["mse"].gradient(Y_hat, Y), -in_target, rtol=1e-6)


def test_line_fit_gradient_uses_the_residual_prediction_minus_target():
    """Errata #19 (notation: note 002 calls the prediction y): with the prediction a0 x + a1 the
    gradient of mean 1/2 (prediction - y)^2 is
    (mean (y_hat - y) x, mean (y_hat - y)); the target-minus-prediction residual climbs the loss."""
    rng = np.random.default_rng(3)
    x = rng.uniform(-2, 2, size=20)
    y = 1.5 * x - 0.5 + rng.normal(0, 0.1, size=20)
    a0, a1, lr = 0.2, 0.3, 0.1
    residual = (a0 * x + a1) - y
    g0, g1 = optim.line_fit_gradient(a0, a1, x, y)
    assert (g0, g1) == pytest.approx((np.mean(residual * x), np.mean(residual)), rel=1e-12)
    start = optim.line_fit_loss(a0, a1, x, y)
    assert optim.line_fit_loss(a0 - lr * g0, a1 - lr * g1, x, y) < start
    assert optim.line_fit_loss(a0 + lr * g0, a1 + lr * g1, x, y) > start  # the target's derivative


def test_the_bias_update_of_note_004_conforms_with_the_bias_gradient_vector():
    """Errata #20 (withdrawn): note 004's b^L <- b^L - eta delta^L uses the delta^L it has just
    written as [delta b_1, delta b_2, delta b_3], the bias gradient, one entry per bias; it
    conforms with b and is the course's step with the mean of the m rows' errors. Only the
    (m, c) matrix of the rows' errors, which the second edition read there, does not conform
    (numpy broadcasts it into one "bias" per example)."""
    rng = np.random.default_rng(4)
    m, c, n_in, eta = 6, 3, 4, 0.5
    W, b = rng.normal(size=(c, n_in)), rng.normal(size=c)
    delta_rows, A_prev = rng.normal(size=(m, c)), rng.normal(size=(m, n_in))
    _, bias_gradient = network.layer_gradients(delta_rows, A_prev)   # the note's [delta b_1, delta b_2, delta b_3]
    assert bias_gradient.shape == b.shape == (c,)
    [(_, b_new)] = optim.gd_step([(W, b)], [network.layer_gradients(delta_rows, A_prev)], eta)
    np.testing.assert_allclose(b_new, b - eta * bias_gradient, rtol=1e-13)
    np.testing.assert_allclose(bias_gradient, delta_rows.mean(axis=0), rtol=1e-13)
    assert (b - eta * delta_rows).shape == (m, c)  # the misreading


def test_note_000_first_layer_chain_with_its_last_factor_is_dw1():
    """Errata #9 (withdrawn): note 000's chain dL/da2 . da2/dz2 . dz2/da1 . da1/dz1 continues on
    the next line with dz1/dw1 (the OCR reads it as dz_1/du_1). The five factors, multiplied for
    one example of the regression network, are nn_core's dL/dW1; the first four alone are
    dL/dz1 = dL/db1, with the shape of b1, not of W1."""
    rng = np.random.default_rng(9)
    n_in, h, n_out = 3, 4, 2
    x, y = rng.normal(size=n_in), rng.normal(size=n_out)
    W1, b1, W2, b2 = rng.normal(size=(h, n_in)), rng.normal(size=h), rng.normal(size=(n_out, h)), rng.normal(size=n_out)
    a1 = ACTIVATIONS["sigmoid"].fn(W1 @ x + b1)
    a2 = W2 @ a1 + b2                                    # linear output
    dL_da2 = a2 - y                                      # L = 1/2 |a2 - y|^2
    da2_dz2, dz2_da1, da1_dz1 = np.eye(n_out), W2, np.diag(a1 * (1 - a1))
    four_factors = dL_da2 @ da2_dz2 @ dz2_da1 @ da1_dz1  # dL/dz1, shape (h,)
    dz1_dW1 = np.einsum("jp,k->jpk", np.eye(h), x)       # dz1_j / dW1_pk = [j = p] x_k
    five_factors = np.einsum("j,jpk->pk", four_factors, dz1_dW1)
    X, Y = x[None, :], y[None, :]
    np.testing.assert_allclose(five_factors, two_layer.regression_dL_dw1(X, Y, W1, b1, W2, b2), rtol=1e-12)
    np.testing.assert_allclose(four_factors, two_layer.regression_dL_db1(X, Y, W1, b1, W2, b2), rtol=1e-12)
    assert four_factors.shape == b1.shape != W1.shape


def test_each_layer_has_its_own_weights_and_bias_in_the_forward_pass():
    """Errata #21 (notation: the layer index left off w and b): z^l = W^l h^(l-1) + b^l with each
    layer's own W^l, b^l (5 -> 10 -> 20 -> 3)."""
    rng = np.random.default_rng(5)
    params = [(W, rng.normal(size=b.shape)) for W, b in network.init_params([5, 10, 20, 3], hidden="sigmoid")]
    X = rng.normal(size=(4, 5))
    h = X
    for k, (W, b) in enumerate(params):
        z = h @ W.T + b
        h = softmax(z) if k == len(params) - 1 else ACTIVATIONS["sigmoid"].fn(z)
    np.testing.assert_allclose(network.forward(params, X, "sigmoid", "softmax").A[-1], h, rtol=1e-13)
    assert [W.shape for W, _ in params] == [(10, 5), (20, 10), (3, 20)]
    W1, b1 = params[0]
    with pytest.raises(ValueError):  # the first layer's w cannot take h^1: one w for all does not conform
        ACTIVATIONS["sigmoid"].fn(X @ W1.T + b1) @ W1.T


def test_the_notes_cross_entropy_estimate_is_a_softmax_output_rounded():
    """Errata #6 (not a mistake): [0.002, 0.018, 0.980] is a softmax output; rounded at the
    precision the notes write it is their [0.002, 0.02, 0.98], and the loss is -log(0.98)."""
    p = softmax(np.log(np.array([[0.002, 0.018, 0.980]])))[0]
    assert p.sum() == pytest.approx(1.0)
    assert [round(p[0], 3), round(p[1], 2), round(p[2], 2)] == [0.002, 0.02, 0.98]
    assert LOSSES["cce"].value(p[None, :], np.array([[0.0, 0.0, 1.0]])) == pytest.approx(0.0202, abs=5e-5)


# -- every "pinned by" exists ------------------------------------------------------------------
PINNED = re.compile(r"`(tests/[\w/]+\.py)::([\w:]+)`")


def named_tests(text: str) -> list[tuple[str, str]]:
    """Every ``tests/FILE.py::NAME`` the text names (NAME may be Class::test)."""
    return sorted(set(PINNED.findall(text)))


def defined_tests(path: Path) -> set[str]:
    """Node names a test file defines: module-level functions and Class::method."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{f.name}" for f in node.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    return names


def test_every_test_the_errata_name_exists():
    named = named_tests(ERRATA.read_text(encoding="utf-8"))
    assert len(named) >= 20  # the page names its tests in this form; a format change must not empty it
    missing = [f"{file}::{name}" for file, name in named
               if not (REPO / file).is_file() or name not in defined_tests(REPO / file)]
    assert missing == [], f"docs/errata.md names tests that do not exist: {missing}"


def test_the_existence_check_sees_a_missing_test():
    text = "pinned by `tests/test_errata.py::test_every_test_the_errata_name_exists`, `tests/test_errata.py::no_such_test`"
    named = named_tests(text)
    assert [name for _, name in named if name not in defined_tests(REPO / "tests" / "test_errata.py")] == ["no_such_test"]


# -- the student errata: what the notes claim and why it is wrong, never the corrections ------------
STUDENT_ERRATA_ANSWERS_OF_THE_SECOND_EDITION = {
    # the issue's count: 9 graded answers and a3's written question, word for word
    "softmax_jacobian", "to_course_convention", "forward_004", "homework_gradients", "binary_gradients",
    "binary_relu_gradients", "delta_mse_sigmoid", "delta_bce_sigmoid", "delta_cce_softmax", "notes_homework_error"}


def test_the_student_errata_hold_no_form_of_any_graded_answer_and_no_ocr_line_number():
    text = errata.student_errata(ERRATA.read_text(encoding="utf-8"))
    assert spoilers.errata_spoilers(text, spoilers.answer_forms(ERRATA.read_text(encoding="utf-8"))) == []
    assert not re.search(r"\blines? \d", text), "students never see the OCR files: cite a note and its section"
    assert "docs/" not in text and "nn_core" not in text and "tests/" not in text
    assert {f"#{n}." for n in (1, 2, 3, 4, 5, 7, 8, 10, 11, 14, 15, 16, 17, 18, 22, 23)} <= set(re.findall(r"#\d+\.", text))
    assert all(f"**#{n}" in text for n in (6, 9, 19, 20, 21)) and "**#12 and #13" in text  # withdrawn, still numbered


def test_the_second_editions_errata_as_students_got_them_give_the_graded_answers_away():
    """The check that keeps the student errata clean fails on the errata students were sent to
    before this edition (a verbatim copy): it finds every answer the issue counted."""
    forms = spoilers.answer_forms(ERRATA.read_text(encoding="utf-8"))
    old = (REPO / "tests" / "fixtures" / "errata" / "second_edition.md").read_text(encoding="utf-8")
    found = {d.name for d in spoilers.errata_spoilers(old, forms)}
    assert STUDENT_ERRATA_ANSWERS_OF_THE_SECOND_EDITION <= found
    with pytest.raises(errata.ErrataError, match="softmax_jacobian"):
        errata.student_errata(f"{errata.BEGIN}\n{old}\n{errata.END}\n" + ERRATA.read_text(encoding="utf-8"))


def test_a_correction_pasted_into_a_student_part_fails_the_build_and_names_the_answer():
    source = ERRATA.read_text(encoding="utf-8")
    leaked = source.replace(errata.END, "The Jacobian is $\\mathrm{diag}(y) - y\\, y^T$.\n" + errata.END, 1)
    with pytest.raises(errata.ErrataError, match=r"softmax_jacobian: errata.md: diag\(y\)-yy\^t"):
        errata.student_errata(leaked)


def test_every_answer_the_errata_tag_is_a_graded_question_of_the_course():
    course = spoilers.course_answers(REPO)
    graded = {name for a in course for name in a.answers}
    tagged = {name for names in spoilers.answer_forms(ERRATA.read_text(encoding="utf-8")).values() for name in names}
    assert tagged and tagged <= graded, tagged - graded


@pytest.mark.parametrize("source", [f"{errata.BEGIN}\ntext\n", f"text\n{errata.END}\n",
                                    f"{errata.BEGIN}\n{errata.BEGIN}\n{errata.END}\n"])
def test_student_markers_that_do_not_pair_up_are_refused(source):
    with pytest.raises(errata.ErrataError, match="pair up|has no"):
        errata.student_parts(source)


def test_a_marker_quoted_inside_a_line_is_text():
    assert errata.student_parts(f"see `{errata.BEGIN}`\n{errata.BEGIN}\nkept\n{errata.END}\n") == ["kept"]


@pytest.mark.parametrize("folder", ["solutions", "assignments"])
def test_every_notebook_has_the_student_errata_beside_it(folder):
    text = errata.course_student_errata(REPO)
    for assignment in spoilers.course_answers(REPO):
        assert (REPO / folder / assignment.id / errata.STUDENT_FILE).read_text(encoding="utf-8") == text, assignment.id


def test_nothing_students_receive_cites_a_line_of_the_ocr_transcriptions():
    """Students get the handwritten notes, never the numbered OCR files: the released notebooks,
    public cases (feedback messages) and errata cite a note and its section instead."""
    cited = []
    for path in sorted((REPO / "assignments").rglob("*")):
        if path.suffix in (".ipynb", ".json", ".md", ".py"):
            text = path.read_text(encoding="utf-8")
            cited += [f"{path.relative_to(REPO)}: {m.group(0)!r}" for m in re.finditer(r"\blines? \d+", text)]
    assert cited == []
