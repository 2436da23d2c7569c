"""Markdown inline text: which characters of a line are prose and which are markup.

Markup is kept exactly: code spans, autolinks, inline HTML, link and image targets (and titles),
collapsed reference links (`[标签][]`, whose text is a label), wiki links and embeds (`[[笔记]]`,
`![[图.png]]`; only an alias after `|` is prose), TeX math (`$E=mc^2$`), template tags
(`{% note %}`, `{{ site.title }}`), emphasis and highlight markers, backslash escapes and hard
breaks, entities, footnote marks and attribute lists (`{#id .class}`, `{width=50%}`). Everything
between markup is prose, so link texts and image alt texts are translated on their own, and a
sentence with `**bold**` in it reaches the model in three pieces: the price of never moving a
marker.

HTML blocks (`html_pieces`) keep every tag, attribute and comment; the text between tags is read
as inline Markdown, except inside elements whose content is not prose (code, pre, script, style).

Complexity: one pass of one regex over the text; no branch can rescan a run it failed on, except
the link-start look-ahead, bounded by the next bracket that does not close a pair opened inside
it (so a link text with brackets nested two deep is read as prose around its target), the
wiki-link-alias look-ahead, bounded by the next bracket of either kind, math, bounded by the next
`$`, and template tags, by 200 characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import split_padding

_LINK_TARGET = r"\([ \t]*(?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)"
_MARKUP = re.compile(
    "|".join(
        [
            r"(?P<code>(?P<ticks>`+).+?(?<!`)(?P=ticks)(?!`))",
            r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>",  # autolinks
            r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>",  # inline HTML
            r"\[\^[^\]\s]+\]",  # footnote references
            # Wiki links (Obsidian, Logseq, Foam): the target names a note, so only an alias after
            # `|` is prose; embeds `![[图.png]]` and links without an alias are kept whole.
            r"!\[\[[^\[\]\r\n]*\]\]|\[\[[^\[\]|\r\n]*\]\]",
            r"\[\[[^\[\]|\r\n]*\|(?=[^\[\]\r\n]*\]\])|(?<!\])\]\](?!\])",
            # TeX math (Obsidian, Typora, GitHub): `$$...$$`, and `$...$` as Pandoc reads it (no
            # space inside the dollars, no digit after the closing one, so "$5 or $10" is prose).
            r"\$\$[^$]+\$\$|\$(?![\s$])[^$\r\n]*(?<![\s\\])\$(?!\d)",
            # A collapsed reference link `[颜色关键字][]`: its text is the label a definition names.
            r"!?\[[^\[\]]*\]\[\]",
            # Templates (Hexo, Jekyll, Hugo, Vue): `{% note info %}`, `{{ site.title }}`.
            r"\{%[^\r\n]{0,200}?%\}|\{\{[^\r\n]{0,200}?\}\}",
            # Start of a link or image; its text may hold bracket pairs (a badge `[![CI](b.svg)](url)`,
            # `[Redis 设计与实现 [M].](url)`), one level deep.
            r"!?\[(?=[^\[\]]*+(?:\[[^\[\]]*+\][^\[\]]*+)*+\](?:" + _LINK_TARGET + r"|\[[^\[\]]*\]))",
            r"\]" + _LINK_TARGET + r"|\]\[[^\]]*\]",  # end of a link or image, with its target
            r"\\[!-/:-@\[-`{-~]|\\\Z",  # backslash escapes, and a backslash hard break at a line's end
            r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});",  # entities
            r"\{[ \t]*(?:[#.][^{}\r\n]*|[A-Za-z][\w-]*=[^{}\r\n]*)\}",  # attributes {#id .class key=value}
            r"(?<![\w:]):[a-z0-9_+-]{1,40}:(?![\w:])",  # emoji shortcodes :smile:
            r"\*+|~~|(?<![A-Za-z0-9])_+|_+(?![A-Za-z0-9])",  # emphasis (not snake_case)
            r"(?<!=)==(?!=)",  # highlight ==text== (Obsidian, Typora)
        ]
    ),
    re.DOTALL,
)


@dataclass(frozen=True)
class Prose:
    """A run of prose; its surrounding white space is markup, not part of it."""

    text: str


Piece = str | Prose


def inline_pieces(text: str) -> list[Piece]:
    """Cut inline Markdown into kept strings and prose runs; joined they give `text` back."""
    pieces: list[Piece] = []
    position = 0
    for match in [*_MARKUP.finditer(text), None]:
        end = match.start() if match else len(text)
        lead, body, trail = split_padding(text[position:end])
        pieces.extend(piece for piece in (lead, Prose(body) if body else "", trail) if piece)
        if match:
            pieces.append(match.group())
            position = match.end()
    return pieces


# Comments, declarations, processing instructions and tags (quoted attribute values may hold ">").
_HTML_MARKUP = re.compile(
    r"<!--.*?-->|<![^>]*>|<\?.*?\?>|</?([A-Za-z][A-Za-z0-9-]*)(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>", re.DOTALL
)
#: Elements whose content is code or data, never prose.
_HTML_KEPT_CONTENT = frozenset({"code", "pre", "script", "style", "textarea", "kbd", "samp", "var"})


def html_pieces(text: str) -> list[Piece]:
    """Cut an HTML block into kept tags and comments, and inline Markdown between them."""
    pieces: list[Piece] = []
    position = 0
    kept_depth = 0
    for match in [*_HTML_MARKUP.finditer(text), None]:
        end = match.start() if match else len(text)
        between = text[position:end]
        if kept_depth:
            pieces.append(between)
        else:
            pieces += inline_pieces(between)
        if match is None:
            break
        tag = (match.group(1) or "").lower()
        if tag in _HTML_KEPT_CONTENT and not match.group().endswith("/>"):
            kept_depth += -1 if match.group().startswith("</") else 1
            kept_depth = max(kept_depth, 0)
        pieces.append(match.group())
        position = match.end()
    return [piece for piece in pieces if piece]
