"""Markdown: headings, paragraphs, list items, block quotes, definition lists, footnote
definitions, table cells, the text inside HTML blocks, the titles of containers (`::: tip 提示`)
and admonitions (`!!! note "注意"`) and a post's title and summary in its front matter translated;
the rest of the front matter, fenced and indented code, HTML tags and attributes, container
fences and their names (`::: tip`, Pandoc fenced divs `::: {.note}`), attribute lines, link
reference definitions, thematic breaks and table delimiter rows kept byte for byte (inline markup,
attributes `{#id .class}`: see `markdown_inline`).

Which lines are prose is decided by markdown-it-py (CommonMark + tables, with the mdit-py-plugins
for front matter, containers, attribute blocks, footnotes and definition lists): each prose block
comes with its line range (`token.map`) and its text without the block markers, which locates the
prose inside the original lines; everything else in those lines, and every line outside a prose
block, is written as it was.

markdown-it reads a whole document, so the file is parsed in chunks of top-level blocks: a chunk
of lines is parsed, every top-level block but the last is complete (a later block started after
it), and the last one is carried into the next chunk. Memory is bounded by the chunk size or the
largest top-level block (a long list, an unclosed fence), whichever is larger; a block that
outgrows the chunk doubles it, so re-parsing stays linear.

The lines of a paragraph are one text for the model (a sentence is often wrapped over several
lines), so a translated paragraph comes out on one line, which renders the same. A paragraph is
cut only at hard line breaks (two trailing spaces or a backslash).

Bilingual output follows every translated block with its translation in the same structure: a
paragraph with a paragraph (a blank line between), a heading with a heading, a list item with a
list item, a table row with a row.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import TextIO

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.attrs import attrs_block_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..pipeline import Item
from ..prose import has_prose
from . import ParseContext, join_lines, split_ending
from .markdown_inline import Piece, Prose, html_pieces, inline_pieces

#: Lines parsed at once; a top-level block longer than this grows the chunk.
CHUNK_LINES = 2000
#: Front matter longer than this is taken for a thematic break and text (it was never closed).
FRONT_MATTER_LINES = 1000
#: Front matter fences (YAML, TOML) and the lines that close them.
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}
_QUOTE = re.compile(r"(?: {0,3}>[ \t]?)*")
_HARD_BREAK = re.compile(r"(?: {2,}|\\)\Z")
_CELL_SPLIT = re.compile(r"(`+).*?(?<!`)\1(?!`)|\\.|(\|)")
_TABLE_CELLS = frozenset({"th_open", "td_open"})
#: A line that opens fenced code, or a content tab (MkDocs `=== "C++"`): a paragraph holding one
#: is code that CommonMark reads as text (indented too deep to open a block), never prose to reflow.
_CODE_IN_PARAGRAPH = re.compile(r"^[ \t>]*(?:```|~~~|===[!+]? \")", re.MULTILINE)
#: The box of a task list item (`- [ ] 待办`) is markup, though markdown-it leaves it in the text.
_TASK_BOX = re.compile(r"\[[ xX]\][ \t]+")
#: The type of a callout (Obsidian, GitHub alerts: `> [!note] 标题`, `> [!tip]-` folded) is markup,
#: and the rest of its first line is its title: a text of its own, not joined to the body.
_CALLOUT = re.compile(r"\[![A-Za-z][\w-]*\][+-]?[ \t]*")


@cache
def _parser() -> MarkdownIt:
    """Block structure only: inline parsing is `markdown_inline`'s, and footnote definitions stay
    where they are written (the footnote tail would move them to the end, or drop unused ones).
    Front matter is read before markdown-it (`_front_matter`): its plugin knows no TOML `+++`, and
    an unclosed one must not hold the whole file in memory."""
    parser = MarkdownIt("commonmark").enable("table").use(footnote_plugin).use(deflist_plugin)
    parser.use(attrs_block_plugin)
    # Any `:::` fence is a container: VitePress `::: tip 提示`, Pandoc `::: {.note}`, custom names.
    parser.use(container_plugin, name="any", validate=lambda *_: True)
    # MkDocs admonitions (`!!! tip "提示"`, collapsible `???+ note`): the indented body is blocks
    # of its own, and a quoted title is prose.
    parser.use(admon_plugin)
    parser.disable(["inline", "footnote_tail", "text_join"])
    return parser


@dataclass
class _Line:
    raw: str
    content: str
    ending: str
    quote: str

    @classmethod
    def of(cls, raw: str) -> _Line:
        content, ending = split_ending(raw)
        quote = _QUOTE.match(content)
        return cls(raw, content, ending, quote.group() if quote else "")

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
    #: The end of `original` that is kept as it is after the translated pieces: a table's
    #: delimiter row after its header row (so a bilingual twin of the header, which follows
    #: `original`, becomes the first row of the body).
    after: str = ""
    #: What starts a bilingual twin instead of the block's own first piece: a list item's twin is
    #: indented under its text (`   `), not a second `1.` item.
    twin_start: str | None = None
    #: Bilingual output puts each translation right after its text, on the same line: titles of
    #: admonitions and callouts (`!!! tip "提示 Tip"`, where a second opener would start a second
    #: box), and HTML blocks (a copy would leave an element open).
    twin_inline: bool = False

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
                if translation is None or (bilingual and self.twin_inline and translation == piece.text):
                    parts.append(piece.text)
                elif bilingual and self.twin_inline:
                    parts.append(f"{piece.text} {translation}")
                else:
                    parts.append(translation)
            else:
                parts.append(piece)
        if self.twin_inline:
            return "".join(parts) + self.after
        if not bilingual:
            return "".join(parts) + self.after
        if self.twin_start is not None:
            parts[0] = self.twin_start
        return self.original + self.separator + "".join(parts)


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    pending = yield from _front_matter(stream)
    wanted = CHUNK_LINES
    ended = False
    while not ended:
        while len(pending) < wanted:
            raw = stream.readline()
            if not raw:
                ended = True
                break
            pending.append(raw)
        tokens = _parser().parse("".join(pending))
        cut = len(pending) if ended else _last_block_start(tokens)
        if cut == 0:
            wanted = 2 * len(pending)
            continue
        yield from _chunk_items([_Line.of(raw) for raw in pending[:cut]], tokens)
        del pending[:cut]
        wanted = len(pending) + CHUNK_LINES


def _front_matter(stream: TextIO) -> Generator[Item, None, list[str]]:
    """Yield the front matter, its title and summary fields as texts (`_FieldValue`) and the rest
    as it is; return the lines read after it, or all lines read if there was none."""
    first = stream.readline()
    closers = _FRONT_MATTER.get(split_ending(first)[0].rstrip())
    taken = [first] if first else []
    while closers and len(taken) < FRONT_MATTER_LINES and (raw := stream.readline()):
        taken.append(raw)
        if split_ending(raw)[0].rstrip() in closers:
            toml = split_ending(first)[0].rstrip() == "+++"
            for line in taken:
                yield _FieldValue.of(line, toml) or line
            return []
    return taken


#: Front matter fields that readers see as prose: a post's title and its summary. Only one-line
#: values: a YAML block or flow value (`|`, `>`, `[`, `{`, anchors, tags) is kept as it is.
_PROSE_FIELD = re.compile(
    r"(?P<head>[ \t]*(?:title|subtitle|description|summary|excerpt)[ \t]*[:=][ \t]*)"
    r"(?:\"(?P<double>(?:[^\"\\]|\\.)*)\"|'(?P<single>(?:[^']|'')*)'|(?P<plain>[^\s\"'|>\[\]{}&*!%@`#][^#]*?))"
    r"(?P<tail>[ \t]*)",
    re.IGNORECASE,
)
#: What a plain (unquoted) YAML value may not hold: it would end the value or start a comment.
_YAML_NEEDS_QUOTES = re.compile(r": |:$| #|^[\s\"'|>\[\]{}&*!%@`#,?:-]")


@dataclass
class _FieldValue:
    """The value of a front matter field such as `title: 成都美食笔记`, written back in the same
    quotes when its syntax allows the translation, in double quotes otherwise."""

    head: str
    quote: str
    value: str
    tail: str
    toml: bool

    @classmethod
    def of(cls, raw: str, toml: bool) -> _FieldValue | None:
        line, ending = split_ending(raw)
        found = _PROSE_FIELD.fullmatch(line)
        if found is None or (toml and found["plain"] is not None) or (found["head"].rstrip()[-1] == "=") != toml:
            return None
        quote = '"' if found["double"] is not None else "'" if found["single"] is not None else ""
        value = found["double"] if quote == '"' else found["single"] if quote else found["plain"]
        escaped = "\\" in value if quote == '"' else "''" in value if quote else False
        if escaped or not has_prose(value):  # an escaped value would have to be read first: kept
            return None
        return cls(found["head"], quote, value, found["tail"] + ending, toml)

    @property
    def texts(self) -> Sequence[str]:
        return [self.value]

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        translation = translations[0]
        original = self.head + self.quote + self.value + self.quote + self.tail
        if translation is None or translation == self.value:
            return original
        text = " ".join(translation.split())  # one line: a line break would end the value
        if bilingual:
            text = f"{self.value} {text}"
        quote = self.quote
        # TOML's literal strings cannot hold a ', and a plain YAML value cannot hold ": " or " #".
        if (quote == "'" and self.toml and "'" in text) or (not quote and _YAML_NEEDS_QUOTES.search(text)):
            quote = '"'
        if quote == '"':
            text = text.replace("\\", "\\\\").replace('"', '\\"')
        elif quote == "'":
            text = text.replace("'", "''")
        return self.head + quote + text + quote + self.tail


def _last_block_start(tokens: list[Token]) -> int:
    """The first line of the last top-level block: all blocks before it are complete."""
    return max((token.map[0] for token in tokens if token.level == 0 and token.map), default=0)


def _chunk_items(lines: list[_Line], tokens: list[Token]) -> Iterator[Item]:
    blocks = dict(_prose_blocks(lines, tokens))
    index = 0
    while index < len(lines):
        found = blocks.get(index)
        if found is None:
            yield lines[index].raw
            index += 1
        else:
            end, items = found
            yield from items
            index = end


def _prose_blocks(lines: list[_Line], tokens: list[Token]) -> Iterator[tuple[int, tuple[int, list[Item]]]]:
    """(first line, (line after, items)) of every block with prose in `lines`."""
    for position, token in enumerate(tokens):
        if not token.map or token.map[0] >= len(lines):
            continue
        start, end = token.map
        if token.type == "container_any_open":
            title = _container_title(lines[start], token.info)
            if title is not None:
                yield start, (start + 1, [title])
        elif token.type == "html_block":
            yield start, (end, [_html_block(lines[start:end])])
        elif token.type == "tr_open" and tokens[position - 1].type == "thead_open" and end < len(lines):
            yield start, (end + 1, [_table_row(lines[start], lines[end])])
        elif token.type == "tr_open":
            yield start, (end, [_table_row(lines[start])])
        elif token.type == "inline" and tokens[position - 1].type not in _TABLE_CELLS:
            if _CODE_IN_PARAGRAPH.search(token.content):
                continue
            count = token.content.count("\n") + 1
            opening = tokens[position - 1]
            items = _prose(lines[start : start + count], token.content, heading=opening.type == "heading_open")
            # A second opener would be a second box: the title's twin goes on its line.
            if opening.type == "admonition_title_open":
                items = [replace(item, twin_inline=True) if isinstance(item, Block) else item for item in items]
            yield start, (start + count, items)


def _container_title(line: _Line, info: str) -> Block | None:
    """The title after a container's name (`::: tip 前提条件`, `:::demo 警告组件`) as prose; the
    fence and the name are kept. A Pandoc attribute list (`::: {.note}`) is no title."""
    name, _, title = info.strip().partition(" ")
    title = title.strip()
    start = line.content.rfind(title) if title else -1
    if name.startswith("{") or start < 0:
        return None
    end = start + len(title)
    pieces: list[Piece] = [line.content[:start], *inline_pieces(title), line.content[end:] + line.ending]
    if not any(isinstance(piece, Prose) for piece in pieces):
        return None
    # A second fence line would open a second container: the title's twin goes beside it.
    return Block(line.raw, pieces, twin_inline=True)


def _html_block(group: list[_Line]) -> Item:
    original = "".join(line.raw for line in group)
    pieces = html_pieces(original)
    if any(isinstance(piece, Prose) for piece in pieces):
        # An HTML block often opens an element that a later block closes (`<details>`): a copy of
        # it would leave one unclosed, so each text's twin goes right after it.
        return Block(original, pieces, twin_inline=True)
    return original


def _table_row(line: _Line, delimiter: _Line | None = None) -> Item:
    """Cells between unescaped pipes that are not inside code spans; a header row comes with its
    `delimiter` row."""
    rest = line.content[len(line.quote) :]
    pieces: list[Piece] = [line.quote]
    position = 0
    for match in _CELL_SPLIT.finditer(rest):
        if match.group(2):
            pieces += inline_pieces(rest[position : match.start()])
            pieces.append("|")
            position = match.end()
    pieces += inline_pieces(rest[position:])
    pieces.append(line.ending)
    if not any(isinstance(piece, Prose) for piece in pieces):
        return line.raw + (delimiter.raw if delimiter else "")
    if delimiter is None:
        return Block(line.raw, pieces, line.between(blank_line=False))
    return Block(line.raw + delimiter.raw, pieces, delimiter.between(blank_line=False), after=delimiter.raw)


def _prose(group: list[_Line], content: str, heading: bool) -> list[Item]:
    """A paragraph, heading, term or list item's text, cut at hard line breaks.

    `content` is markdown-it's text of these lines without block markers: each of its lines ends
    the original line (but for trailing white space, and an ATX heading's closing `#`s), which
    tells where the markers stop and the prose starts."""
    spans: list[tuple[int, int]] = []
    for line, text in zip(group, content.split("\n"), strict=True):
        text = text.strip()
        start = line.content.rfind(text) if text else -1
        if start < 0:  # markdown-it rewrote the line (tabs, NUL): keep it as it is
            return [line.raw for line in group]
        spans.append((start, start + len(text)))
    callout = bool(group[0].quote) and bool(_CALLOUT.match(group[0].content, spans[0][0]))
    items: list[Item] = []
    begin = 0
    for index, line in enumerate(group):
        title = callout and index == 0
        hard_break = index < len(group) - 1 and (title or bool(_HARD_BREAK.search(line.content)))
        if hard_break or index == len(group) - 1:
            items.append(_prose_block(group[begin : index + 1], spans[begin : index + 1], hard_break, heading))
            begin = index + 1
    return items


def _prose_block(group: list[_Line], spans: list[tuple[int, int]], hard_break: bool, heading: bool) -> Item:
    first, last = group[0], group[-1]
    prefix = first.content[: spans[0][0]]
    marker = bool(prefix[len(first.quote) :].strip())
    box = (_TASK_BOX if marker else _CALLOUT if first.quote else None)
    found = box.match(first.content, spans[0][0]) if box else None
    if found:
        prefix, spans = first.content[: found.end()], [(found.end(), spans[0][1]), *spans[1:]]
    text = join_lines([line.content[start:end] for line, (start, end) in zip(group, spans, strict=True)])
    pieces: list[Piece] = [prefix, *inline_pieces(text), last.content[spans[-1][1] :] + last.ending]
    original = "".join(line.raw for line in group)
    if not any(isinstance(piece, Prose) for piece in pieces):
        return original
    if found and box is _CALLOUT:  # a callout's title: one title in both languages
        return Block(original, pieces, twin_inline=True)
    # The twin of a paragraph is a paragraph after a blank line; that of a heading or a hard-broken
    # line is the next line. That of a list item, footnote or definition (a marker before the text)
    # is the next line too, indented under the text so that it stays in the same item: a second
    # marker would be an item of its own, renumber an ordered list, or redefine the footnote.
    twin_start = first.quote + " " * (len(prefix) - len(first.quote)) if marker and not heading else None
    next_line_twin = marker or hard_break or heading
    return Block(original, pieces, last.between(blank_line=not next_line_twin), twin_start=twin_start)

