"""Markdown: headings, paragraphs, list items, block quotes, table cells and the text inside HTML
blocks translated; front matter, fenced and indented code, HTML tags and attributes, container
fences (`::: tip`, Pandoc fenced divs `::: {.note}`), link reference definitions, thematic breaks
and table delimiter rows kept byte for byte (inline markup, attributes `{#id .class}`: see
`markdown_inline`).

This is a line-based reading of CommonMark + GitHub tables, not a full parser: it only has to know
which characters are prose, and anything it does not recognise as prose is kept.

The lines of a paragraph are one text for the model (a sentence is often wrapped over several
lines), so a translated paragraph comes out on one line, which renders the same. A paragraph is
cut only at hard line breaks (two trailing spaces or a backslash). Untranslated blocks keep their
original lines.

Bilingual output follows every translated block with its translation in the same structure: a
paragraph with a paragraph (a blank line between), a heading with a heading, a list item with a
list item, a table row with a row.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from ..pipeline import Item
from . import ParseContext, glue, split_ending
from .markdown_inline import Piece, Prose, html_pieces, inline_pieces

_QUOTE = re.compile(r"(?: {0,3}>[ \t]?)*")
_FENCE = re.compile(r"[ \t]*(`{3,}(?=[^`]*\Z)|~{3,})")
_ATX = re.compile(r"( {0,3}#{1,6})(?:([ \t]+)(.*?)((?:[ \t]+#+)?[ \t]*)|[ \t]*)\Z")
_THEMATIC = re.compile(r" {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*\Z")
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*\Z")
# List items, task items, and the definitions of definition lists (`: 定义`).
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+:]|\d{1,9}[.)])(?:[ \t]+(?:\[[ xX]\][ \t]+)?|\Z)")
# Link reference definitions, but not footnote definitions (`[^1]: ...`), which are prose.
_LINK_DEFINITION = re.compile(r" {0,3}\[(?!\^)[^\]]+\]:[ \t]*\S")
_TABLE_DELIMITER = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*\Z")
#: Front matter longer than this is taken for a thematic break and text (it was never closed).
FRONT_MATTER_LINES = 1000
_FOOTNOTE = re.compile(r" {0,3}\[\^[^\]]+\]:[ \t]*")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\Z")
#: Container fences (markdown-it-container, VitePress `::: tip 提示`, Pandoc `::: {.note}`): the
#: fence line is structure; a title after it is kept too (it is often a keyword such as `tip`).
_CONTAINER = re.compile(r" {0,3}:{3,}")

_HTML_BLOCK_TAGS = frozenset(
    """address article aside base basefont blockquote body caption center col colgroup dd details
    dialog dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head
    header hr html iframe legend li link main menu menuitem nav noframes ol optgroup option p param
    search section summary table tbody td tfoot th thead title tr track ul""".split()
)
_HTML_RAW_TAGS = ("script", "pre", "style", "textarea")
_HTML_START = re.compile(r" {0,3}<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[\s/>]|\Z)")
_HTML_COMPLETE_TAG = re.compile(r" {0,3}</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>[ \t]*\Z")
#: HTML blocks that end at a marker rather than at a blank line: start -> end marker.
_HTML_UNTIL = (("<!--", "-->"), ("<?", "?>"), ("<![CDATA[", "]]>"), ("<!", ">"))


@dataclass
class _Line:
    raw: str
    content: str
    ending: str
    quote: str
    rest: str

    @classmethod
    def of(cls, raw: str) -> _Line:
        content, ending = split_ending(raw)
        quote = _QUOTE.match(content)
        prefix = quote.group() if quote else ""
        return cls(raw, content, ending, prefix, content[len(prefix) :])

    @property
    def blank(self) -> bool:
        return not self.rest.strip()

    @property
    def leading(self) -> int:
        """Characters of white space at the start of `rest`."""
        return len(self.rest) - len(self.rest.lstrip())

    @property
    def indent(self) -> int:
        """The same white space in columns (tabs to 4)."""
        return len(self.rest[: self.leading].expandtabs(4))

    def between(self, blank_line: bool) -> str:
        """What separates this block's last line from its bilingual twin."""
        newline = self.ending or "\n"
        return ("" if self.ending else newline) + (self.quote.rstrip() + newline if blank_line else "")


@dataclass
class Block:
    """Lines with prose: rendered from `pieces` once translated, otherwise written as they were."""

    original: str
    pieces: list[Piece]
    #: What goes between the original and its translation in bilingual output.
    separator: str = ""

    @property
    def texts(self) -> Sequence[str]:
        return [piece.text for piece in self.pieces if isinstance(piece, Prose)]

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        if all(new is None or new == old for new, old in zip(translations, self.texts, strict=True)):
            return self.original
        answers = iter(translations)
        parts = []
        for piece in self.pieces:
            if isinstance(piece, Prose):
                translation = next(answers)
                parts.append(piece.text if translation is None else translation)
            else:
                parts.append(piece)
        translated = "".join(parts)
        if not bilingual:
            return translated
        return self.original + self.separator + translated


class _Lines:
    """The file's lines with look-ahead and push-back (front matter is only known at its end)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._ahead: deque[_Line] = deque()

    def next(self) -> _Line | None:
        if self._ahead:
            return self._ahead.popleft()
        raw = self._stream.readline()
        return _Line.of(raw) if raw else None

    def peek(self, index: int = 0) -> _Line | None:
        while len(self._ahead) <= index:
            raw = self._stream.readline()
            if not raw:
                return None
            self._ahead.append(_Line.of(raw))
        return self._ahead[index]

    def push_back(self, lines: list[_Line]) -> None:
        self._ahead.extendleft(reversed(lines))


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    lines = _Lines(stream)
    yield from _front_matter(lines)
    list_indent: int | None = None
    while (line := lines.next()) is not None:
        if line.blank:
            yield line.raw
            continue
        if list_indent is not None and line.indent < list_indent and not _LIST_ITEM.match(line.rest):
            list_indent = None
        code_indent = 4 + (list_indent or 0)
        if line.indent >= code_indent:
            yield from _indented_code(line, lines, code_indent)
        elif _FENCE.match(line.rest):
            yield from _fenced_code(line, lines)
        elif _CONTAINER.match(line.rest):
            yield line.raw
        elif (html_end := _html_block_end(line.rest, interrupting=False)) is not None:
            yield from _html_block(line, lines, html_end)
        elif _THEMATIC.match(line.rest) or _SETEXT.match(line.rest) or _LINK_DEFINITION.match(line.rest):
            yield line.raw
        elif heading := _ATX.match(line.rest):
            yield _heading(line, heading)
        elif _starts_table(line, lines.peek()):
            yield from _table(line, lines)
        else:
            item = _LIST_ITEM.match(line.rest) or _FOOTNOTE.match(line.rest)
            if item:
                list_indent = len(line.rest[: item.end()].expandtabs(4))
            yield from _paragraph(line, lines, item.end() if item else line.leading)


def _front_matter(lines: _Lines) -> Iterator[str]:
    first = lines.peek()
    if first is None or first.content.rstrip() not in ("---", "+++"):
        return
    fence = first.content.rstrip()
    closers = ("---", "...") if fence == "---" else ("+++",)
    taken = [lines.next()]
    while len(taken) < FRONT_MATTER_LINES and (line := lines.next()) is not None:
        taken.append(line)
        if line.content.rstrip() in closers:
            yield "".join(line.raw for line in taken if line)
            return
    # Never closed: it was a thematic break after all.
    lines.push_back([line for line in taken if line])


def _indented_code(line: _Line, lines: _Lines, indent: int) -> Iterator[str]:
    yield line.raw
    while (following := lines.peek()) is not None and (following.blank or following.indent >= indent):
        # Blank lines inside code belong to it only if more code follows; either way they are kept.
        yield lines.next().raw  # type: ignore[union-attr]


def _fenced_code(line: _Line, lines: _Lines) -> Iterator[str]:
    fence = _FENCE.match(line.rest)
    marker = fence.group(1) if fence else "```"
    closing = re.compile(rf"[ \t]*{re.escape(marker[0])}{{{len(marker)},}}[ \t]*\Z")
    yield line.raw
    while (following := lines.next()) is not None:
        yield following.raw
        if closing.match(following.rest):
            return


def _html_block_end(rest: str, interrupting: bool) -> str | None:
    """How an HTML block starting with `rest` ends ("" = at a blank line); None if it is not one."""
    stripped = rest.lstrip(" ")
    if len(rest) - len(stripped) > 3:
        return None
    for start, end in _HTML_UNTIL:
        if stripped.startswith(start) and (start != "<!" or stripped[2:3].isalpha()):
            return end
    tag = _HTML_START.match(rest)
    if tag is None:
        return None
    name = tag.group(2).lower()
    if name in _HTML_RAW_TAGS and not tag.group(1):
        return f"</{name}>"
    if name in _HTML_BLOCK_TAGS:
        return ""
    # Any other tag alone on its line starts a block, but cannot interrupt a paragraph.
    return "" if not interrupting and _HTML_COMPLETE_TAG.match(rest) else None


def _html_block(line: _Line, lines: _Lines, end: str) -> Iterator[Item]:
    group: list[_Line] = []
    current: _Line | None = line
    while current is not None:
        group.append(current)
        if end and end in current.content.lower():
            break
        following = lines.peek()
        if following is None or (not end and following.blank):
            break
        current = lines.next()
    original = "".join(member.raw for member in group)
    pieces = html_pieces(original)
    if any(isinstance(piece, Prose) for piece in pieces):
        yield Block(original, pieces, group[-1].between(blank_line=True))
    else:
        yield original


def _heading(line: _Line, heading: re.Match[str]) -> Item:
    text = heading.group(3) or ""
    if not text:
        return line.raw
    pieces: list[Piece] = [line.quote + heading.group(1) + heading.group(2)]
    pieces += inline_pieces(text)
    pieces.append(heading.group(4) + line.ending)
    return Block(line.raw, pieces, line.between(blank_line=False))


def _starts_table(line: _Line, following: _Line | None) -> bool:
    """A line with a pipe followed by a delimiter row (`|---|:--:|`) is a table's header row."""
    return (
        "|" in line.rest
        and following is not None
        and "-" in following.rest
        and bool(_TABLE_DELIMITER.match(following.rest))
    )


def _table(header: _Line, lines: _Lines) -> Iterator[Item]:
    yield _table_row(header)
    delimiter = lines.next()
    yield delimiter.raw  # type: ignore[union-attr]
    while (following := lines.peek()) is not None and not following.blank and "|" in following.rest:
        yield _table_row(lines.next())  # type: ignore[arg-type]


_CELL_SPLIT = re.compile(r"(`+).*?(?<!`)\1(?!`)|\\.|(\|)")


def _table_row(line: _Line) -> Item:
    """Cells between unescaped pipes that are not inside code spans."""
    pieces: list[Piece] = [line.quote]
    position = 0
    for match in _CELL_SPLIT.finditer(line.rest):
        if match.group(2):
            pieces += inline_pieces(line.rest[position : match.start()])
            pieces.append("|")
            position = match.end()
    pieces += inline_pieces(line.rest[position:])
    pieces.append(line.ending)
    if not any(isinstance(piece, Prose) for piece in pieces):
        return line.raw
    return Block(line.raw, pieces, line.between(blank_line=False))


def _paragraph(first: _Line, lines: _Lines, content_start: int) -> Iterator[Item]:
    """A paragraph (or the first paragraph of a list item), cut at hard line breaks."""
    group = [first]
    prefix = first.quote + first.rest[:content_start]
    contents = [first.rest[content_start:]]
    while not _HARD_BREAK.search(group[-1].content) and _continues(group[-1], lines):
        following = lines.next()
        assert following is not None
        group.append(following)
        contents.append(following.rest.lstrip())
    original = "".join(line.raw for line in group)
    text = _join(contents)
    body = text.rstrip()
    trail = text[len(body) :]
    pieces: list[Piece] = [prefix, *inline_pieces(body), trail + group[-1].ending]
    hard_break = bool(_HARD_BREAK.search(group[-1].content))
    following = lines.peek()
    underlined = following is not None and bool(_SETEXT.match(following.rest))
    # The bilingual twin of a paragraph is a paragraph after a blank line; that of a list item is
    # an item; that of a hard-broken line or a setext heading is the next line.
    blank_line = content_start == first.leading and not hard_break and not underlined
    if not any(isinstance(piece, Prose) for piece in pieces):
        yield original
    else:
        yield Block(original, pieces, group[-1].between(blank_line))
    # The next line of a hard-broken paragraph continues it: read it as a paragraph of its own.
    if hard_break and _continues(group[-1], lines):
        assert following is not None
        lines.next()
        yield from _paragraph(following, lines, following.leading)


def _continues(line: _Line, lines: _Lines) -> bool:
    """Whether the next line continues the paragraph that `line` is in."""
    following = lines.peek()
    if following is None or following.blank or following.quote.strip() != line.quote.strip():
        return False
    rest = following.rest
    if _SETEXT.match(rest) or _THEMATIC.match(rest) or _ATX.match(rest) or _FENCE.match(rest):
        return False
    if _LIST_ITEM.match(rest) or _CONTAINER.match(rest) or _html_block_end(rest, interrupting=True) is not None:
        return False
    # A table may start right after a paragraph line: then `following` is its header row.
    return not _starts_table(following, lines.peek(1))


def _join(contents: list[str]) -> str:
    """The lines of a paragraph as one text: Chinese lines join without a space, others with one."""
    text = contents[0]
    for content in contents[1:]:
        text = text.rstrip()
        text = text + glue(text, content) + content
    return text
