"""Which inputs a question is checked on: hidden per student, public for everyone.

Hidden cases are drawn from a generator seeded by (course, assignment, question, student),
so every student gets different numbers, and grading the same submission twice gives the
same cases. Every hidden set starts with the question's edge cases (m = 1, large |z|,
zeros, ties, ... as they apply), followed by random cases. The expected values are
computed here, in the grader, from ``nn_core``; they never enter the student's process.
"""
from __future__ import annotations

import hashlib

import numpy as np

from autograder.questions import Case, Question

PUBLIC_STUDENT = "__public__"


def case_seed(course: str, assignment: str, question: str, student: str) -> int:
    """A 64-bit seed from the SHA-256 of the four names, stable across runs and machines."""
    digest = hashlib.sha256("\x1f".join((course, assignment, question, student)).encode()).digest()
    return int.from_bytes(digest[:8], "little")


def hidden_cases(question: Question, course: str, assignment: str, student: str, n_random: int) -> list[Case]:
    """The question's edge cases followed by ``n_random`` random cases, for one student."""
    rng = np.random.default_rng(case_seed(course, assignment, question.id, student))
    return question.edge_cases(rng) + [question.random_case(rng) for _ in range(n_random)]


def public_cases(question: Question, course: str, n_random: int) -> list[Case]:
    """The cases shipped with the released notebook for its visible tests.

    The same kinds of edge case as the hidden set (with their own random numbers), so a
    student meets an unstable softmax or a wrong tie rule before submitting.
    """
    rng = np.random.default_rng(case_seed(course, "public", question.id, PUBLIC_STUDENT))
    return question.edge_cases(rng) + [question.random_case(rng) for _ in range(n_random)]
