"""Student text in the instructor's and the students' pages: shown, never run.

A written answer is the student's markdown, and markdown lets raw HTML through: nbconvert renders
``<script>``, ``<img src=x onerror=...>``, ``<svg onload=...>`` and ``javascript:`` links as they
are typed, and by default sanitises nothing. Every page made from a submission's cells therefore
renders markdown through :func:`markdown2html` here, which is nbconvert's own markdown renderer
followed by :func:`sanitise_html`, an allow-list sanitiser built on ``nh3`` (the Python binding of
the Rust crate ammonia, the maintained successor of ``bleach``):

* the formgrader's views and nbgrader's other HTML exports, through the course's
  ``nbgrader_config.py`` (``c.HTMLExporter.filters = {"markdown2html": ...}``): nbgrader's
  formgrader builds its ``HTMLExporter`` from that configuration, and its templates render each
  markdown cell with the ``markdown2html`` filter;
* the feedback page, through :class:`autograder.nbgrader_plugin.FeedbackExporter`, which uses
  :func:`sanitise_html` whatever the configuration says.

What stays: ordinary markdown (headings, paragraphs, lists, tables, emphasis, quotes, links to web
pages, images), code (inline and fenced, with nbconvert's highlighting classes), formulas as TeX
text (``$...$``, typeset by MathJax in the formgrader) and as MathML (the feedback page's
:class:`~autograder.nbgrader_plugin.FormulasAsMathML`). What goes: every element and attribute not
on the lists below (so ``script``, ``style``, ``iframe``, ``object``, ``svg``, ``form``, every
``on*`` handler, ``style`` attributes), every URL whose scheme is not a web or mail scheme (so
``javascript:`` and ``vbscript:``), and ``data:`` URLs except images in ``img src`` (a markdown
attachment; an image cannot run script). Ids get the prefix :data:`ID_PREFIX`, so that a
student's element cannot take the name of one the page's own script looks up.

The class report (``autograder/report/page.py``) and the Gradescope results never render student
text as HTML at all: the report escapes every text it shows, and results.json declares all its
strings plain text (``PLAIN_TEXT`` in ``autograder/grading/feedback.py``).
"""
from __future__ import annotations

import functools
import re
from typing import Any, Mapping

import nh3
from jinja2 import pass_context

#: MathML presentation elements (what latex2mathml writes, and what a student's MathML may use).
#: Not ``maction`` (its ``actiontype`` made old browsers run script) nor ``semantics``/``annotation``
#: (an ``annotation-xml`` can hold HTML).
MATHML_TAGS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "mfrac", "msqrt", "mroot", "mstyle",
    "merror", "mpadded", "mphantom", "menclose", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "mlabeledtr",
})

#: The attributes a MathML element may keep: layout only (no ``href``, which MathML allows on any
#: element in some browsers, and no event handler).
MATHML_ATTRIBUTES = frozenset({
    "display", "xmlns", "mathvariant", "mathsize", "dir", "fence", "form", "separator", "stretchy",
    "symmetric", "largeop", "movablelimits", "accent", "accentunder", "lspace", "rspace", "minsize",
    "maxsize", "width", "height", "depth", "voffset", "displaystyle", "scriptlevel", "linethickness",
    "numalign", "denomalign", "bevelled", "notation", "columnalign", "rowalign", "columnspacing",
    "rowspacing", "columnlines", "rowlines", "frame", "framespacing", "equalrows", "equalcolumns",
    "columnspan", "rowspan", "align",
})

#: HTML elements allowed: nh3's default allow-list (text, lists, tables, headings, code, images,
#: links, details) and MathML.
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS) | MATHML_TAGS

#: Attributes allowed on every element: nbconvert's classes (code highlighting, anchor links),
#: ``id`` (prefixed, see :data:`ID_PREFIX`), a tooltip and the language and direction of a text.
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir"})

#: Schemes a link or image may use. Not ``javascript:``, ``vbscript:`` or ``file:``; ``data:`` is
#: kept only for images (:func:`_filter_attribute`).
URL_SCHEMES = frozenset({"http", "https", "mailto", "data"})

#: Prefix of every id taken from student text (as GitHub's ``user-content-``): a student's
#: ``<a id="...">`` can then never stand for one of the page's own names (DOM clobbering). Links
#: to ``#anchor`` within the answer get the same prefix, so they still lead to their heading.
ID_PREFIX = "user-content-"

#: ``data:`` URLs allowed as an image source: raster images (what Jupyter's attachments are).
_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|bmp);base64,[A-Za-z0-9+/=\s]*$", re.IGNORECASE)
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
_URL_NOISE = re.compile("[\t\n\r]")


def _attributes() -> dict[str, set[str]]:
    allowed = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag in MATHML_TAGS:
        allowed.setdefault(tag, set()).update(MATHML_ATTRIBUTES)
    allowed["*"] = set(GLOBAL_ATTRIBUTES)
    return allowed


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """nh3's ``attribute_filter``: ``data:`` only as an ``img``'s raster image; in-page links
    prefixed like the ids they lead to."""
    # as browsers (and nh3's URL parser) read a URL: leading control characters and spaces gone,
    # tabs and line breaks inside it removed, so "\x01data:" and "da\tta:" are data: URLs too
    scheme = _SCHEME.match(_URL_NOISE.sub("", value.lstrip("".join(map(chr, range(33))))))
    if scheme and scheme.group(1).lower() == "data":
        return value if element == "img" and attribute == "src" and _DATA_IMAGE.match(value) else None
    if attribute == "href" and value.startswith("#") and not value.startswith("#" + ID_PREFIX):
        return "#" + ID_PREFIX + value[1:]
    return value


@functools.cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},  # dropped with their text, not shown as text
        attributes=_attributes(),
        attribute_filter=_filter_attribute,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        id_prefix=ID_PREFIX,
        strip_comments=True,
    )


def sanitise_html(html: str) -> str:
    """``html`` with nothing that can run: only the allowed elements, attributes and URL schemes.

    Parameters
    ----------
    html
        An HTML fragment made from student text (a rendered markdown cell).

    Returns
    -------
    str
        The fragment as the browser may show it. Text, markup on the allow-lists, code and
        formulas are kept; a disallowed element is removed but its text kept (``script`` and
        ``style`` with their text). The work is linear in the length of ``html``.

    Examples
    --------
    >>> sanitise_html('<p onclick="alert(1)">a <b>b</b></p><script>alert(2)</script>')
    '<p>a <b>b</b></p>'
    """
    return _cleaner().clean(html)


@functools.cache
def _default_exporter() -> Any:
    from nbconvert.exporters import HTMLExporter

    return HTMLExporter()


@pass_context
def markdown2html(context: Mapping[str, Any], source: str) -> str:
    """The Jinja filter ``markdown2html`` of nbconvert's HTML exporters, sanitised.

    nbconvert's own rendering (markdown with ``$...$`` formulas left for MathJax, the cell's
    attachments, heading anchors), with nbconvert's default settings, then
    :func:`sanitise_html`. Set as ``c.HTMLExporter.filters = {"markdown2html":
    "autograder.grading.student_html.markdown2html"}`` in ``nbgrader_config.py``, it is the filter of
    every HTML page nbgrader makes from a notebook there, the formgrader's included.

    Parameters
    ----------
    context
        The template's context (``cell``, ``resources``), given by Jinja.
    source
        The markdown.

    Returns
    -------
    str
        The HTML, sanitised.
    """
    from nbconvert.exporters import HTMLExporter

    return sanitise_html(HTMLExporter.markdown2html(_default_exporter(), context, source))
