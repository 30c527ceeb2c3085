"""Which inputs a question is checked on: hidden per student, public for everyone.

Hidden cases are drawn from a generator seeded by HMAC-SHA256 of (course, assignment,
question, student) under the course secret (:mod:`autograder.course.secret`): every student gets
different numbers, grading the same submission twice gives the same cases, and nobody
without the secret can compute them in advance. Every hidden set starts with the
question's edge cases (m = 1, large |z|, zeros, ties, ... as they apply), followed by
random cases and, for a gradient the student could differentiate numerically instead of
deriving it, one case with many parameters that weighs as much as all the others
(:attr:`autograder.questions.Question.large_case`). The expected values are computed in the
grader, from ``nn_core``; they never enter the student's process.

Public cases are released with the notebook, so their seed needs no secret: it is the
SHA-256 of the public names and stays as it was when public_cases.json was generated.
"""
from __future__ import annotations

import hashlib
import hmac

import numpy as np

from autograder.questions import Case, Question
from autograder.questions.registry import LARGE_CASE_LABEL
from autograder.course.secret import SECRET_BYTES, SecretError, load_secret

PUBLIC_STUDENT = "__public__"
PUBLIC_ASSIGNMENT = "public"
_SEPARATOR = "\x1f"  # ASCII unit separator: no id contains it


def _names(*names: str) -> bytes:
    return _SEPARATOR.join(names).encode()


def _seed_from(digest: bytes) -> int:
    return int.from_bytes(digest[:8], "little")


def hidden_seed(secret: bytes, course: str, assignment: str, question: str, student: str) -> int:
    """A 64-bit seed from HMAC-SHA256(secret, the four names): unpredictable without the
    secret, stable across runs and machines with it."""
    if len(secret) < SECRET_BYTES:  # never an empty or short key by mistake
        raise SecretError(f"a course secret has at least {SECRET_BYTES} bytes, got {len(secret)}")
    return _seed_from(hmac.new(secret, _names(course, assignment, question, student), hashlib.sha256).digest())


def public_seed(course: str, question: str) -> int:
    """A 64-bit seed from the SHA-256 of public names: for the released, visible cases only."""
    return _seed_from(hashlib.sha256(_names(course, PUBLIC_ASSIGNMENT, question, PUBLIC_STUDENT)).digest())


def _cases(question: Question, seed: int, n_random: int, *, large: bool = False) -> list[Case]:
    rng = np.random.default_rng(seed)
    cases = question.edge_cases(rng) + [question.random_case(rng) for _ in range(n_random)]
    if large and question.large_case is not None:  # last, so a time-out there costs no other case
        cases.append(Case(LARGE_CASE_LABEL, question.large_case(rng), weight=float(len(cases))))
    return cases


def hidden_cases(question: Question, course: str, assignment: str, student: str, n_random: int,
                 secret: bytes | None = None) -> list[Case]:
    """The question's edge cases followed by ``n_random`` random cases, for one student.

    ``secret`` is the course secret; by default it is read from its file
    (:func:`autograder.course.secret.load_secret`, an error naming the set-up command when missing).
    """
    key = load_secret() if secret is None else secret
    return _cases(question, hidden_seed(key, course, assignment, question.id, student), n_random, large=True)


def public_cases(question: Question, course: str, n_random: int) -> list[Case]:
    """The cases shipped with the released notebook for its visible tests.

    The same kinds of edge case as the hidden set (with their own random numbers), so a
    student meets an unstable softmax or a wrong tie rule before submitting.
    """
    return _cases(question, public_seed(course, question.id), n_random)
