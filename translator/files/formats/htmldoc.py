"""HTML pages (.html, .htm): saved web pages, exported notes and answers.

The text between tags is translated node by node (`translator.html_fragment`, Python's own HTML
parser); tags, attributes, comments, the doctype and the contents of <script>, <style>, <code>
and <pre> are kept byte for byte. A translation is escaped as HTML text. Bilingual output puts
each translation after its original, in the same text node.

A page is parsed whole: HTML files are read into memory (the other formats stream).
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TextIO

from ...html_fragment import parse_fragment
from ..pipeline import Item
from . import ParseContext


@dataclass
class TextNode:
    """One text node: its white space either side and its text as written (entities and all)."""

    lead: str
    raw: str
    trail: str

    @property
    def texts(self) -> Sequence[str]:
        return (html.unescape(self.raw),)

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        translation = translations[0]
        if translation is None or translation == self.texts[0]:
            return self.lead + self.raw + self.trail
        escaped = html.escape(translation, quote=False)
        return self.lead + (f"{self.raw} {escaped}" if bilingual else escaped) + self.trail


def parse(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    for piece in parse_fragment(stream.read()).pieces():
        yield piece if isinstance(piece, str) else TextNode(*piece)


__all__ = ["TextNode", "parse"]
