"""No spoilers across assignments: what a release's given code defines, and whose answer it is.

The policy (README, "Releasing without spoilers"; docs/design.md): ``python -m autograder release``
refuses to release an assignment whose **given code** defines a function that is a graded answer
(course.yml question ``function``) of an **earlier** assignment (course.yml order) that is still
open, i.e. whose ``due`` (UTC) has not passed at the release's clock. ``--force`` releases anyway
and says what it forced.

The given code is what nbgrader releases as code: every code cell of the notebook as nbgrader
leaves it (a solution cell keeps only what lies outside its ``### BEGIN SOLUTION`` /
``### END SOLUTION`` region, which becomes the stub; a grade cell loses its hidden tests), plus
every Python file released beside the notebook (``checks.py``). A function whose body is only
the stub (``raise NotImplementedError()``) gives nothing away: a "paste your own answer" solution
cell is not a spoiler.

Definitions are read with :mod:`ast`, never with regular expressions: ``def``/``class`` at any
depth, any name bound by an assignment (a lambda assigned included), a ``for``/``with`` target,
and ``import x as name`` / ``from x import name``.

A renamed copy is caught too: a given line that is, whitespace aside, a line of an open earlier
assignment's answer (a line of a ``### BEGIN SOLUTION`` region of one of its answer cells,
:data:`MIN_ANSWER_LINE` characters or longer, not a ``def`` line, a comment, a docstring or an
import) is a ``copied line`` of that answer.

A graded answer written as mathematics is caught too. The instructor's errata
(``docs/errata.md``, :data:`ERRATA_SOURCE`) tag each correction that answers a graded question
with ``<!-- answer NAME, ... -->``; every code span of the paragraph that follows (and every form
the comment lists after a colon, separated by `` | ``) is a **form** of those answers. A form
found, after :func:`math_form`'s normalisation (spacing, LaTeX markup, ``@``, ``.T``/``^T``,
``(.)``/``\\odot``/``*``, Greek letters, subscripts), in an assignment's given text (markdown
cells as released, files beside the notebook, code) is an ``answer form`` of that answer. The
student errata released beside every notebook (``errata.md``, :mod:`autograder.course.errata`)
may hold no form of **any** graded answer, open or not, earlier or later
(:func:`errata_spoilers`).
"""
from __future__ import annotations

import ast
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import re

import yaml

#: nbgrader's delimiters of the regions that never reach students, and what replaces each
#: (ClearSolutions puts a stub in place of a solution region; ClearHiddenTests drops hidden tests).
STUBBED_REGIONS = {"BEGIN SOLUTION": ("END SOLUTION", "raise NotImplementedError()"),
                   "BEGIN HIDDEN TESTS": ("END HIDDEN TESTS", "pass")}
#: How a release's clock is written on the command line and in messages.
CLOCK_FORMAT = "%Y-%m-%d %H:%M UTC"
#: The earliest release after a due date: one minute later (a due date is the last on-time minute).
AFTER_DUE = dt.timedelta(minutes=1)
#: The shortest answer line (whitespace removed) that counts as a copy when it appears in given
#: code: shorter ones (``m = len(X)``, ``return Z``) are any solution's words.
MIN_ANSWER_LINE = 16
#: The instructor's errata, relative to a course root: the tagged corrections are the answers' forms.
ERRATA_SOURCE = Path("docs") / "errata.md"
#: The shortest normalised mathematical form that counts (``a_1``, ``-y_i y_j`` are any text's words).
MIN_FORM = 8
#: Answer lines that are not the answer's code.
_NOT_CODE = ("#", "def ", "class ", "import ", "from ", "@", '"' * 3, "'" * 3)


class SpoilerError(RuntimeError):
    """A release was refused: its given code holds graded answers of an open earlier assignment."""

    def __init__(self, spoilers: Sequence["Spoiler"], now: dt.datetime):
        self.spoilers, self.now = tuple(spoilers), now
        super().__init__(refusal_message(spoilers, now))


@dataclass(frozen=True)
class Definition:
    """One name the given code binds: ``kind`` is def, class, assignment, import or unparsed."""

    name: str
    kind: str
    where: str  # "feedforward.ipynb cell 2 'helpers'" or "checks.py line 14"


@dataclass(frozen=True)
class Spoiler:
    """Graded answers of the open assignment ``earlier`` found in ``assignment``'s given code."""

    assignment: str
    earlier: str
    due: dt.datetime
    definitions: tuple[Definition, ...]

    @property
    def names(self) -> list[str]:
        return sorted({d.name for d in self.definitions})


# -- the clock -------------------------------------------------------------------------------
def as_utc(moment: dt.datetime | dt.date | str) -> dt.datetime:
    """A naive UTC datetime from course.yml's ``due`` or ``--now``: an aware time is converted,
    a naive one is UTC already, a date alone is its 23:59 (as ``autograder.course.config`` reads it)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(23, 59))
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return moment


def utc_now() -> dt.datetime:
    """The current time, naive UTC (the default release clock)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, second=0, microsecond=0)


# -- the course ------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssignmentAnswers:
    """What the policy needs of one course.yml assignment."""

    id: str
    due: dt.datetime
    functions: tuple[str, ...]
    written: tuple[str, ...] = ()  # the ids of its written questions (their answers have forms too)
    worked_examples: tuple[str, ...] = ()  # functions whose answer the notebook derives in full (course.yml)

    @property
    def answers(self) -> tuple[str, ...]:
        return self.functions + self.written


def course_answers(course_root: Path) -> list[AssignmentAnswers]:
    """Every assignment of ``course_root/course.yml`` in order, with its due date and graded
    functions (read as plain YAML: test courses need not carry the full schema)."""
    data = yaml.safe_load((Path(course_root) / "course.yml").read_text(encoding="utf-8"))
    return [AssignmentAnswers(a["id"], as_utc(a["due"]),
                              tuple(q["function"] for nb in a.get("notebooks", []) for q in nb.get("questions", [])),
                              tuple(w["id"] for nb in a.get("notebooks", []) for w in nb.get("written", [])),
                              tuple(q["function"] for nb in a.get("notebooks", []) for q in nb.get("questions", [])
                                    if q.get("worked_example")))
            for a in data["assignments"]]


def open_earlier_answers(course: Sequence[AssignmentAnswers], assignment: str,
                         now: dt.datetime) -> list[AssignmentAnswers]:
    """The assignments before ``assignment`` in course order whose due date has not passed at ``now``."""
    ids = [a.id for a in course]
    if assignment not in ids:
        raise KeyError(f"{assignment!r} is not an assignment of course.yml; it has: {', '.join(ids)}")
    return [a for a in course[:ids.index(assignment)] if now <= a.due]


def earliest_release(course: Sequence[AssignmentAnswers], assignments: Iterable[str]) -> dt.datetime | None:
    """The first minute at which every one of ``assignments`` can be released without spoilers
    (one minute after the latest due date before them); None when none has an earlier assignment."""
    ids = [a.id for a in course]
    dues = [a.due for name in assignments for a in course[:ids.index(name)]]
    return max(dues) + AFTER_DUE if dues else None


# -- the given code --------------------------------------------------------------------------
def released_code(source: str, *, solution: bool) -> str:
    """A code cell's source as nbgrader releases it: solution regions become the stub, hidden
    tests disappear; a solution cell without a region is all stub (nothing given)."""
    if solution and "BEGIN SOLUTION" not in source:
        return ""
    out, end = [], None
    for line in source.splitlines():
        if end is not None:
            end = None if end in line else end
            continue
        begin = next((b for b in STUBBED_REGIONS if b in line), None)
        if begin is None:
            out.append(line)
            continue
        end, stub = STUBBED_REGIONS[begin]
        out.append(line[:len(line) - len(line.lstrip())] + stub)
    return "\n".join(out)


def _without_magics(code: str) -> str:
    """IPython syntax (``%matplotlib inline``, ``!ls``, a ``%%time`` first line) as ``pass``."""
    lines = code.splitlines()
    if lines and lines[0].lstrip().startswith("%%"):
        lines = lines[1:]
    return "\n".join(line[:len(line) - len(line.lstrip())] + "pass" if line.lstrip()[:1] in ("%", "!") else line
                     for line in lines)


def _is_stub(node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A function whose body is (a docstring and) only ``raise NotImplementedError...``."""
    body = list(node.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        body = body[1:]
    return len(body) == 1 and isinstance(body[0], ast.Raise) and "NotImplementedError" in ast.unparse(body[0])


def _bound_names(target: ast.AST) -> Iterator[str]:
    for node in ast.walk(target):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            yield node.id


def defined_names(code: str) -> list[tuple[str, str, int]]:
    """``(name, kind, line)`` for every name the code defines (see the module's docstring).

    Raises SyntaxError when the code does not parse."""
    found = []
    for node in ast.walk(ast.parse(_without_magics(code))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if not _is_stub(node):
                found.append((node.name, "def", node.lineno))
        elif isinstance(node, ast.ClassDef):
            found.append((node.name, "class", node.lineno))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found += [(alias.asname or alias.name.split(".")[0], "import", node.lineno) for alias in node.names]
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.NamedExpr, ast.For, ast.AsyncFor,
                               ast.With, ast.AsyncWith)):
            targets = (node.targets if isinstance(node, ast.Assign) else
                       [item.optional_vars for item in node.items if item.optional_vars]
                       if isinstance(node, (ast.With, ast.AsyncWith)) else [node.target])
            found += [(name, "assignment", node.lineno) for t in targets for name in _bound_names(t)]
    return found


def _notebook_cells(path: Path) -> Iterator[tuple[str, str]]:
    """``(where, released code)`` of every code cell of a source notebook."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else source
        meta = cell.get("metadata", {}).get("nbgrader", {})
        grade_id = f" {meta['grade_id']!r}" if meta.get("grade_id") else ""
        yield f"{path.name} cell {index}{grade_id}", released_code(source, solution=bool(meta.get("solution")))


def given_code(folder: Path) -> Iterator[tuple[str, str]]:
    """``(where, code)`` of everything an assignment's release gives as code: the notebooks'
    cells as released and every Python file beside them."""
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or {".ipynb_checkpoints", "__pycache__"} & set(path.parts):
            continue
        if path.suffix == ".ipynb":
            yield from _notebook_cells(path)
        elif path.suffix == ".py":
            yield path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8")


def _squeezed(line: str) -> str:
    return "".join(line.split())


def _telling(line: str) -> bool:
    """An answer line long and specific enough that finding it in given code is a copy."""
    text = line.strip()
    return len(_squeezed(text)) >= MIN_ANSWER_LINE and not text.startswith(_NOT_CODE)


def answer_lines(folder: Path) -> dict[str, str]:
    """``{squeezed line: answer}`` of the telling lines of every answer cell's solution region in
    the notebooks of ``folder`` (a ``solutions/ASSIGNMENT``); an answer is named by its cell's
    grade id without ``_answer``."""
    lines: dict[str, str] = {}
    for path in sorted(Path(folder).glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8")).get("cells", []):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.get("cell_type") != "code" or not meta.get("solution"):
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            answer = str(meta.get("grade_id", "answer")).removesuffix("_answer")
            inside = False
            for line in source.splitlines():
                if "END SOLUTION" in line:
                    inside = False
                elif inside and _telling(line):
                    lines.setdefault(_squeezed(line), answer)
                elif "BEGIN SOLUTION" in line:
                    inside = True
    return lines


def copied_lines(folder: Path, answers: dict[str, str]) -> list[Definition]:
    """A :class:`Definition` (kind ``copied line``) for every given line of ``folder`` that is a
    line of one of ``answers`` (see :func:`answer_lines`)."""
    found = []
    for where, code in given_code(folder):
        for number, line in enumerate(code.splitlines(), start=1):
            answer = answers.get(_squeezed(line)) if _telling(line) else None
            if answer is not None:
                found.append(Definition(answer, "copied line", f"{where} line {number}"))
    return found


# -- answers written as mathematics -----------------------------------------------------------
_LATEX_GONE = re.compile(r"\\(?:left|right|[bB]igg?[lr]?|mathrm|operatorname|text|mathbf|boldsymbol|[,;:!])")
_TRANSPOSE = re.compile(r"\^\{?\\top\}?|\^\{?t\}?(?![a-z])|\.t(?![a-z0-9_])|ᵀ")
_PRODUCT = re.compile(r"\\odot|\(\.\)|⊙")
_GREEK = {"δ": "delta", "Δ": "delta", "σ": "sigma", "η": "eta"}
_ANSWER_TAG = re.compile(r"^<!--\s*answer\s+([^:>]+?)(?::(.*?))?\s*-->", re.M)
_CODE_SPAN = re.compile(r"`([^`]+)`")


def math_form(text: str) -> str:
    """``text`` normalised for comparing formulas: lower case, no spacing, no LaTeX markup
    (``\\left``, ``\\mathrm``, braces, ``$``, backslashes), no ``@`` or subscript ``_``, every
    transpose as ``^t``, every elementwise product (``(.)``, ``\\odot``, ``*``) as ``*``.

    ``math_form("(Delta @ W) * g'(Z)") == math_form(r"$(\\Delta W) \\odot g'(Z)$")``."""
    for letter, name in _GREEK.items():
        text = text.replace(letter, name)
    text = _PRODUCT.sub("*", _LATEX_GONE.sub("", text))
    text = _TRANSPOSE.sub("^t", text.lower())
    return re.sub(r"[\s$\\{}_@`]", "", text)


def answer_forms(errata_text: str) -> dict[str, tuple[str, ...]]:
    """``{normalised form: answers}`` of the instructor's errata: for every ``<!-- answer A, B: f | g -->``
    comment, the code spans of the paragraph after it and the forms ``f``, ``g`` it lists, each
    :func:`math_form` of at least :data:`MIN_FORM` characters, are forms of the answers A and B."""
    forms: dict[str, tuple[str, ...]] = {}
    for tag in _ANSWER_TAG.finditer(errata_text):
        names = tuple(name.strip() for name in tag.group(1).split(","))
        paragraph = errata_text[tag.end():].lstrip("\n").split("\n\n", 1)[0]
        listed = [f for f in (tag.group(2) or "").split(" | ") if f.strip()]
        for form in map(math_form, listed + _CODE_SPAN.findall(paragraph)):
            if len(form) >= MIN_FORM:
                forms[form] = tuple(dict.fromkeys(forms.get(form, ()) + names))
    return forms


def course_answer_forms(course_root: Path) -> dict[str, tuple[str, ...]]:
    """:func:`answer_forms` of the course's :data:`ERRATA_SOURCE` (none when it has no errata)."""
    path = Path(course_root) / ERRATA_SOURCE
    return answer_forms(path.read_text(encoding="utf-8")) if path.is_file() else {}


def form_hits(texts: Iterable[tuple[str, str]], forms: dict[str, tuple[str, ...]],
              answers: Iterable[str] | None = None) -> list[Definition]:
    """A :class:`Definition` (kind ``answer form``) for every form of ``answers`` (default: all)
    found in one of ``texts`` (``(where, text)`` pairs)."""
    wanted = None if answers is None else set(answers)
    found = []
    for where, text in texts:
        normal = math_form(text)
        for form, names in forms.items():
            if form in normal:
                found += [Definition(name, "answer form", f"{where}: {form}") for name in names
                          if wanted is None or name in wanted]
    return found


def _strip_mark_schemes(text: str) -> str:
    return re.sub(r"=== BEGIN MARK SCHEME ===.*?=== END MARK SCHEME ===", "", text, flags=re.S)


def given_text(folder: Path) -> Iterator[tuple[str, str]]:
    """``(where, text)`` of everything an assignment's release gives to read: the notebooks'
    markdown cells as released (a solution cell is stubbed, a mark scheme removed), their code
    as released (:func:`given_code`), and every other text file beside them."""
    yield from given_code(folder)
    for path in sorted(Path(folder).rglob("*")):
        if not path.is_file() or {".ipynb_checkpoints", "__pycache__"} & set(path.parts):
            continue
        if path.suffix == ".ipynb":
            for index, cell in enumerate(json.loads(path.read_text(encoding="utf-8")).get("cells", []), start=1):
                source = cell.get("source", "")
                source = "".join(source) if isinstance(source, list) else source
                if cell.get("cell_type") == "markdown" and not cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                    yield f"{path.name} cell {index}", _strip_mark_schemes(source)
        elif path.suffix in (".md", ".json", ".txt"):
            yield path.relative_to(folder).as_posix(), path.read_text(encoding="utf-8")


#: A squeezed line that is only a loop's header: ``forn_in,n_outinzip(sizes[:-1],sizes[1:])]``.
_LOOP_HEADER = re.compile(r"^for[\w,()]+?in[\w.]*\(")
_SUBSCRIPTS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def loose_form(text: str) -> str:
    """:func:`math_form` without the layer numbers written after a letter (``Δ₂``, ``W_2``, ``A1``,
    ``\\frac1m``): ``(Δ₂ W₂) ⊙ A₁`` and ``(Delta @ W) * A`` are one form of a layer's answer."""
    return re.sub(r"(?<=[a-z])\d+", "", math_form(text.translate(_SUBSCRIPTS)))


def printed_answers(course_root: Path, forms: dict[str, Sequence[str]], *,
                    source_dir: str = "solutions") -> list[Definition]:
    """Graded answers printed where students read them before they are graded: for every graded
    function of every assignment that is not a declared worked example (course.yml
    ``worked_example: true``), a :class:`Definition` for each place in the release of that
    assignment or of an earlier one (course order: released before it is due) that holds

    * a telling line of the answer's own solution region (``copied line``, :func:`copied_lines`), or
    * one of its ``forms`` (``answer form``: code, mathematics or words, ``{function: spellings}``,
      the registry's ``Question.forms``), compared after :func:`loose_form` in everything
      :func:`given_text` yields (markdown, code, docstrings, checks.py, public_cases.json's mistake
      messages, errata.md).

    A line that is only a loop's header (``for n_in, n_out in zip(sizes[:-1], sizes[1:])]``) is
    any network's words, not a copy. The errata's tagged forms are not used here: they include the
    notes' own-convention and one-example forms that the notebooks show on purpose (the errata's
    own test, :func:`errata_spoilers`, keeps them out of the student errata). ``where`` names the
    released assignment first. ``[]``: nothing is printed."""
    course = course_answers(course_root)
    found = []
    for index, assignment in enumerate(course):
        graded = set(assignment.functions) - set(assignment.worked_examples)
        lines = {line: answer for line, answer in answer_lines(Path(course_root) / source_dir / assignment.id).items()
                 if answer in graded and not _LOOP_HEADER.match(line)}
        spellings: dict[str, set[str]] = {}
        for name in graded:
            for form in forms.get(name, ()):
                spellings.setdefault(loose_form(form), set()).add(name)
        spellings = {form: names for form, names in spellings.items() if len(form) >= MIN_FORM}
        for released in course[:index + 1]:
            folder = Path(course_root) / source_dir / released.id
            found += [Definition(d.name, d.kind, f"{released.id}/{d.where}") for d in copied_lines(folder, lines)]
            for where, text in given_text(folder):
                normal = loose_form(text)
                found += [Definition(name, "answer form", f"{released.id}/{where}: {form}")
                          for form, names in spellings.items() if form in normal for name in sorted(names)]
    return found


def errata_spoilers(text: str, forms: dict[str, tuple[str, ...]], where: str = "errata.md") -> list[Definition]:
    """The forms of **any** graded answer in a student errata (it is released beside every
    notebook, so no due date makes one harmless)."""
    return form_hits([(where, text)], forms)


def given_definitions(folder: Path) -> list[Definition]:
    """Every name the given code of ``folder`` (a ``solutions/ASSIGNMENT``) defines; a cell that
    does not parse is one ``unparsed`` definition (it cannot be shown to be free of answers)."""
    found = []
    for where, code in given_code(folder):
        try:
            names = defined_names(code)
        except SyntaxError as error:
            found.append(Definition("?", "unparsed", f"{where} (SyntaxError line {error.lineno}: {error.msg})"))
            continue
        found += [Definition(name, kind, f"{where} line {lineno}") for name, kind, lineno in names]
    return found


def find_spoilers(course_root: Path, assignment: str, now: dt.datetime, *,
                  source_dir: str = "solutions") -> list[Spoiler]:
    """One :class:`Spoiler` per open earlier assignment whose answers ``assignment``'s given code
    defines (``[]``: the release is free of spoilers at ``now``)."""
    course = course_answers(course_root)
    still_open = open_earlier_answers(course, assignment, as_utc(now))
    if not still_open:
        return []
    defined = given_definitions(Path(course_root) / source_dir / assignment)
    unparsed = tuple(d for d in defined if d.kind == "unparsed")
    answer_forms_of_course = course_answer_forms(course_root)
    spoilers = []
    for earlier in still_open:
        copies = copied_lines(Path(course_root) / source_dir / assignment,
                              answer_lines(Path(course_root) / source_dir / earlier.id))
        forms = form_hits(given_text(Path(course_root) / source_dir / assignment), answer_forms_of_course,
                          earlier.answers)
        hits = tuple(d for d in defined if d.name in earlier.functions) + tuple(copies) + tuple(forms) + unparsed
        if hits:
            spoilers.append(Spoiler(assignment, earlier.id, earlier.due, hits))
    return spoilers


# -- what the command says -------------------------------------------------------------------
def _listing(spoiler: Spoiler) -> list[str]:
    return [f"    {d.name:<20} {d.kind:<10} {d.where}" for d in spoiler.definitions]


def refusal_message(spoilers: Sequence[Spoiler], now: dt.datetime) -> str:
    """Why the release was refused and how to proceed (what ``python -m autograder release`` prints)."""
    lines = []
    for assignment in dict.fromkeys(s.assignment for s in spoilers):
        mine = [s for s in spoilers if s.assignment == assignment]
        after = max(s.due for s in mine) + AFTER_DUE
        lines.append(f"refused: releasing {assignment} at {now:{CLOCK_FORMAT}} would give students graded "
                     f"answers of an earlier assignment before it is due.")
        for s in mine:
            lines.append(f"  {s.earlier} is due {s.due:{CLOCK_FORMAT}}; {assignment}'s given code defines its "
                         f"graded {', '.join(s.names)}:")
            lines += _listing(s)
        lines += [f"  To proceed, one of:",
                  f"    - release {assignment} once the earlier assignment is due: "
                  f"python -m autograder release {assignment} --now {after:%Y-%m-%dT%H:%M}",
                  f"      (--now is the moment students receive it; the default is the current UTC time)",
                  f"    - turn those cells into solution cells (### BEGIN SOLUTION: stubbed in the release; "
                  f"students paste their own answers), then build and release again",
                  f"    - release it anyway: python -m autograder release {assignment} --force"]
    lines.append("Nothing was released.")
    return "\n".join(lines)


def forced_message(spoiler: Spoiler, now: dt.datetime) -> str:
    """What a forced release says it did."""
    return (f"forced: {spoiler.assignment} released at {now:{CLOCK_FORMAT}} with graded answers of "
            f"{spoiler.earlier} (due {spoiler.due:{CLOCK_FORMAT}}): {', '.join(spoiler.names)}")


def check_note(spoiler: Spoiler, now: dt.datetime) -> str:
    """What ``--check`` notes (it compares files and never fails on spoilers)."""
    return (f"note: {spoiler.assignment}'s given code defines {spoiler.earlier}'s graded "
            f"{', '.join(spoiler.names)}; at {now:{CLOCK_FORMAT}} a release of it is refused until "
            f"{spoiler.due + AFTER_DUE:{CLOCK_FORMAT}}")
