"""Which inputs a question is checked on: hidden per student, public for everyone.

Hidden cases are drawn from a generator seeded by HMAC-SHA256 of (course, assignment,
question, student, submission key) under the course secret (:mod:`autograder.course.secret`).
The submission key (:func:`submission_key`) is the SHA-256 of the code the grader runs for
the student, exactly as it runs: every student gets different numbers, grading the same
submission twice gives the same cases (a regrade is deterministic), a changed submission
meets fresh cases (so scores of one submission say nothing about the cases of the next:
``docs/design.md``, "What a resubmission can learn"), and nobody without the secret can
compute them in advance. Every hidden set starts with the
question's edge cases (m = 1, large |z|, zeros, ties, ... as they apply), followed by
random cases and, for a gradient the student could differentiate numerically instead of
deriving it, one case with many parameters that weighs as much as all the others
(:attr:`autograder.questions.Question.large_case`); a question with a finite-precision probe
(:attr:`autograder.questions.Question.probe`) has it in every hidden case but those it skips
(compared with the probe's absolute tolerance), never in a public case. The expected values are computed in the
grader, from ``nn_core``; they never enter the student's process.

Public cases are released with the notebook, so their seed needs no secret: it is the
SHA-256 of the public names and stays as it was when public_cases.json was generated.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from autograder.questions import Case, Question
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.course.secret import SECRET_BYTES, SecretError, load_secret

PUBLIC_STUDENT = "__public__"
PUBLIC_ASSIGNMENT = "public"
_SEPARATOR = "\x1f"  # ASCII unit separator: no id contains it
_SUBMISSION_DOMAIN = b"nn-course graded sources v1\n"  # so no other SHA-256 of ours is ever a key


def _names(*names: str) -> bytes:
    return _SEPARATOR.join(names).encode()


def _seed_from(digest: bytes) -> int:
    return int.from_bytes(digest[:8], "little")


def submission_key(sources: Sequence[str]) -> str:
    """What a submission's hidden cases are keyed by: the SHA-256 (hex) of the code the grader
    runs for it, cell by cell, exactly as it runs.

    ``sources`` are the graded cells (:func:`autograder.grading.graded_sources`: the student's
    answer cells and the release's read-only cells, magics blanked), which is what every
    grading path computes from a notebook, whatever the file's bytes, outputs or name. Nothing
    is normalised away: anything in them can change what the code does (a cell can read its
    own text, comments included, from the frame that runs it), so two sources that differ
    anywhere are two submissions. Each cell is framed by its length, so cells cannot be re-cut
    into the same key.
    """
    digest = hashlib.sha256(_SUBMISSION_DOMAIN)
    for source in sources:
        data = source.encode("utf-8", "surrogatepass")  # a notebook's JSON may hold lone surrogates
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def hidden_seed(secret: bytes, course: str, assignment: str, question: str, student: str, *,
                submission: str) -> int:
    """A 64-bit seed from HMAC-SHA256(secret, the four names and the submission key): unpredictable
    without the secret, stable across runs and machines with it, and another one for every
    other submission (``submission`` is :func:`submission_key` of the graded code)."""
    if len(secret) < SECRET_BYTES:  # never an empty or short key by mistake
        raise SecretError(f"a course secret has at least {SECRET_BYTES} bytes, got {len(secret)}")
    if not _is_submission_key(submission):  # never an empty or made-up key by mistake
        raise ValueError(f"a submission key is submission_key(sources) (64 hex digits), got {submission!r}")
    message = _names(course, assignment, question, student, submission)
    return _seed_from(hmac.new(secret, message, hashlib.sha256).digest())


def _is_submission_key(key: object) -> bool:
    return isinstance(key, str) and len(key) == 64 and all(c in "0123456789abcdef" for c in key)


def public_seed(course: str, question: str) -> int:
    """A 64-bit seed from the SHA-256 of public names: for the released, visible cases only."""
    return _seed_from(hashlib.sha256(_names(course, PUBLIC_ASSIGNMENT, question, PUBLIC_STUDENT)).digest())


def _cases(question: Question, seed: int, n_random: int, *, large: bool = False) -> list[Case]:
    rng = np.random.default_rng(seed)
    cases = question.edge_cases(rng) + [question.random_case(rng) for _ in range(n_random)]
    if large and question.large_case is not None:  # last, so a time-out there costs no other case
        cases.append(Case(LARGE_CASE_LABEL, question.large_case(rng), weight=float(len(cases))))
    if large and question.probe is not None:  # hidden only: stored public numbers keep 12 digits
        cases = [case if case.label in question.probe_skips else _probed(question, rng, case) for case in cases]
    return cases


def _probed(question: Question, rng: np.random.Generator, case: Case) -> Case:
    """``case`` with the question's finite-precision probe, compared at the probe's atol, and the
    shape of its entries before the probe when the probe only appended entries (``Case.unprobed``)."""
    args = question.probe(rng, case.args)
    return replace(case, args=args, atol=question.probe_atol, unprobed=_kept_shape(case.args, args))


def _kept_shape(before: Sequence, after: Sequence) -> tuple[int, ...] | None:
    """The shape of ``before[0]`` when every argument of ``before`` is the leading block of the same
    argument of ``after`` and the first one grew (the probe appended entries to it and changed none:
    the result's leading block is then the ordinary one); None otherwise (the line fit's probe adds
    points to x and y, and its result, two numbers, has no ordinary block)."""
    if len(before) != len(after) or not before:
        return None
    for old, new in zip(before, after):
        old, new = np.asarray(old), np.asarray(new)
        if old.ndim != new.ndim or any(o > n for o, n in zip(old.shape, new.shape)):
            return None
        if not np.array_equal(new[tuple(slice(0, n) for n in old.shape)], old):
            return None
    if np.shape(before[0]) == np.shape(after[0]):
        return None
    return np.shape(before[0])


def hidden_cases(question: Question, course: str, assignment: str, student: str, n_random: int,
                 secret: bytes | None = None, *, submission: str) -> list[Case]:
    """The question's edge cases followed by ``n_random`` random cases, for one submission of
    one student.

    ``submission`` is :func:`submission_key` of the code graded (required: every caller says
    which submission the cases are for). ``secret`` is the course secret; by default it is read
    from its file (:func:`autograder.course.secret.load_secret`, an error naming the set-up command
    when missing).
    """
    key = load_secret() if secret is None else secret
    seed = hidden_seed(key, course, assignment, question.id, student, submission=submission)
    return _cases(question, seed, n_random, large=True)


def public_cases(question: Question, course: str, n_random: int) -> list[Case]:
    """The cases shipped with the released notebook for its visible tests.

    The same kinds of edge case as the hidden set (with their own random numbers), so a
    student meets an unstable softmax or a wrong tie rule before submitting.
    """
    return _cases(question, public_seed(course, question.id), n_random)
