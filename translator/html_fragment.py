"""The text nodes of an HTML fragment or document, to translate in place (`zhen serve`'s
`format=html`, `zhen file` on .html).

Python's own HTML parser finds where each text node starts and ends; everything else (tags,
attributes, comments, the contents of <script>, <style>, <code> and <pre>) is kept byte for byte.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser

#: Elements whose text is code or data, never prose.
_UNTRANSLATED = frozenset({"script", "style", "code", "pre", "kbd", "samp", "var", "textarea"})


@dataclass(frozen=True)
class HtmlFragment:
    """`source` cut into text nodes to translate (`texts`) and the raw pieces around them."""

    source: str
    #: (start, end) of each translatable text node in `source`, in order.
    spans: tuple[tuple[int, int], ...]

    @property
    def texts(self) -> list[str]:
        """The text nodes as plain text (entities decoded), without their surrounding spaces."""
        return [html.unescape(piece[1]).strip() for piece in self.pieces() if isinstance(piece, tuple)]

    def pieces(self) -> Iterator[str | tuple[str, str, str]]:
        """`source` in order: the markup between text nodes as it is, and each text node as
        (leading white space, its text as written, trailing white space)."""
        position = 0
        for start, end in self.spans:
            if start > position:
                yield self.source[position:start]
            raw = self.source[start:end]
            body = raw.strip()
            lead = raw[: len(raw) - len(raw.lstrip())]
            yield lead, body, raw[len(lead) + len(body) :]
            position = end
        if position < len(self.source):
            yield self.source[position:]

    def rebuild(self, translations: list[str]) -> str:
        """`source` with each text node replaced by its translation (escaped, spaces kept)."""
        answers = iter(translations)
        parts = [
            piece if isinstance(piece, str) else piece[0] + html.escape(next(answers), quote=False) + piece[2]
            for piece in self.pieces()
        ]
        return "".join(parts)


class _TextNodes(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._line_starts = [0]
        for index, char in enumerate(source):
            if char == "\n":
                self._line_starts.append(index + 1)
        #: Start offset of every construct, and whether it is a translatable text node.
        self.events: list[tuple[int, bool]] = []
        self._skipping: list[str] = []

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((self._offset(), False))
        if tag in _UNTRANSLATED:
            self._skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.events.append((self._offset(), False))

    def handle_endtag(self, tag: str) -> None:
        self.events.append((self._offset(), False))
        if tag in self._skipping:
            while self._skipping and self._skipping.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        self.events.append((self._offset(), not self._skipping and bool(data.strip())))

    # Comments, <!DOCTYPE>, <?...?> and <![CDATA[...]]> are kept as they are.
    def handle_comment(self, data: str) -> None:
        self.events.append((self._offset(), False))

    def handle_decl(self, decl: str) -> None:
        self.handle_comment(decl)

    def handle_pi(self, data: str) -> None:
        self.handle_comment(data)

    def unknown_decl(self, data: str) -> None:
        self.handle_comment(data)


#: What stands in for a "<" that opens nothing: same length, so every offset stays true.
_INERT = "\ufffd"


def _defused(source: str) -> str:
    """`source` with every "<" that opens something never closed made inert.

    Python's HTMLParser rescans from each such "<" to the end of the input (`<a <a <a ...` or
    `<!--<!--...` took 35 s for 48 kB), so a hostile page or request could hold a CPU for minutes.
    A tag, declaration or instruction needs a ">" after it, a comment a "-->", a CDATA section a
    "]]>". The text nodes are cut from `source` itself, so an inert "<" still reads as the "<" it
    was; the stand-in has the same length, so every offset stays true.
    """
    closers = {"<!--": source.rfind("-->"), "<![CDATA[": source.rfind("]]>"), "<": source.rfind(">")}
    chars: list[str] | None = None
    here = source.find("<")
    while here >= 0:
        opener = next(opener for opener in closers if source.startswith(opener, here))
        if closers[opener] < here + len(opener):
            chars = chars or list(source)
            chars[here] = _INERT
        here = source.find("<", here + 1)
    return source if chars is None else "".join(chars)


def parse_fragment(source: str) -> HtmlFragment:
    parser = _TextNodes(source)
    parser.feed(_defused(source))
    parser.close()
    events = parser.events
    spans = []
    for index, (start, is_text) in enumerate(events):
        if is_text:
            end = events[index + 1][0] if index + 1 < len(events) else len(source)
            spans.append((start, end))
    return HtmlFragment(source, tuple(spans))
