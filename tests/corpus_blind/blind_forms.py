"""How the blind corpus's modules write an entry: a mistake, and a mistake made by one edit.

Imported by ``a1.py`` ... ``a5.py`` as ``blind_forms`` (a name no other corpus uses, so that the
harness, which puts this directory on ``sys.path``, and ``verify.py``, which loads it by path,
find this file and nothing else). Not a corpus file: its name does not match ``a[0-9]*.py``.
"""
from __future__ import annotations


def mistake(source: str, what: str, evidence: str) -> dict:
    """A mistake entry: the student's source, a one-line ``what`` and an ``evidence`` category."""
    return {"source": source, "what": what, "evidence": evidence}


def variant(base: str, old: str, new: str) -> str:
    """``base`` with ``old`` (which must occur in it) replaced by ``new``."""
    if old not in base:
        raise ValueError(f"not in the base answer: {old!r}")
    return base.replace(old, new)


def edit(base: str, old: str, new: str, what: str, evidence: str) -> dict:
    """The mistake made by one edit of a right answer ``base``."""
    return mistake(variant(base, old, new), what, evidence)
