"""SRT and WebVTT subtitles: numbers, timings, cue settings, NOTE/STYLE blocks and tags kept.

A cue's lines usually carry one sentence broken for the screen, so they are joined and translated
as one text, then the translation is broken again by display width (`wrapping`). Styling tags that
wrap whole lines or the whole cue (`<i>...</i>`, `{\\an8}`, `<v Anna>`) are put back around the
new lines. Two kinds of cue are translated line by line instead: dialogue (every line starts with
a dash: two speakers) and cues with tags inside a line, where each run of text between tags is
translated on its own so that every tag stays where it was.

Bilingual output shows the original lines and then the translated lines in the same cue.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from ...scripts import has_han
from ...wrapping import LINE_COLUMNS, wrap
from ..errors import MalformedFileError
from ..pipeline import Item
from . import ParseContext, join_lines, split_ending, split_padding

#: Styling tags: HTML-like; brace blocks, which renderers never show (ASS override blocks such as
#: `{\\an8}`, translators' comments such as `{原文：...}`, MicroDVD's `{y:i}`); the ASS hard
#: break and hard space (`\\N`, `\\h`) that subtitles converted from ASS keep and players honour;
#: and square brackets, around sound cues and speakers (`[音乐]`, `[任务控制] 三、二、一`): what is
#: inside them is translated as a text of its own (in a post, `[笑哭]` is a sticker, kept whole).
_TAG = r"(?:<[^<>\r\n]*>|\{[^{}\r\n]*\}|\\[Nh]|[\[\]])"
_TAG_RE = re.compile(_TAG)
#: Karaoke: YouTube's inline timestamps and class spans around single words, and the syllable
#: timings of ASS override blocks (`{\\k25}`, `{\\kf40}`, `{\\ko30}`, `{\\K20}`).
_KARAOKE_TAG = re.compile(r"<\d[\d:.]*>|</?c(?:\.[^<>\r\n]*)?>|\{\\(?:k[fo]?|K)\d[^{}\r\n]*\}")
_OPENING = re.compile(rf"(?:\s*{_TAG})*\s*")
_CLOSING = re.compile(rf"\s*(?:{_TAG}\s*)*\Z")
_DASH = re.compile(r"[-‐–—]\s*")
#: A line that is a short label and its value (`视频来源：youtu.be/x`, `翻译：小明`), as in credits.
_LABELLED = re.compile(r"[^\s：:][^：:]{0,15}[：:]\s*\S")
_SRT_TIME = r"\d{1,3}:\d{2}:\d{2}[,.]\d{1,3}"
_SRT_TIMING = re.compile(rf"\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}(?:\s.*)?")
_VTT_TIME = r"(?:\d{2,}:)?\d{2}:\d{2}\.\d{3}"
_VTT_TIMING = re.compile(rf"\s*{_VTT_TIME}[ \t]+-->[ \t]+{_VTT_TIME}(?:[ \t].*)?")
_VTT_KEPT_BLOCKS = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t].*)?")


@dataclass
class _Line:
    """A text line as prefix + prose + suffix: tags, a dialogue dash and spaces go in the affixes."""

    prefix: str
    body: str
    suffix: str


@dataclass
class Cue:
    """The text lines of one cue (its number and timing line are written before it as structure)."""

    lines: list[str]
    endings: list[str]
    #: "joined": all lines are one text; "lines": one text per line; "runs": one per tag-free run;
    #: "bilingual": one text per line, a Chinese line and a Latin-script line (already translated).
    mode: str = field(init=False)
    _parts: list[_Line] = field(init=False)
    _opening: str = field(init=False, default="")
    _closing: str = field(init=False, default="")
    _per_line_tags: bool = field(init=False, default=False)

    def __post_init__(self) -> None:
        if any(_KARAOKE_TAG.search(line) for line in self.lines):
            self.mode = "lines"
            self._parts = [_karaoke(line) for line in self.lines]
            return
        envelopes = [_envelope(line) for line in self.lines]
        if all(envelope is not None for envelope in envelopes):
            lines = [envelope for envelope in envelopes if envelope is not None]
            if _is_bilingual(line.body for line in lines):
                self.mode = "bilingual"
                self._parts = lines
                return
            if len(lines) > 1 and all(_DASH.match(line.body) for line in lines):
                self.mode = "lines"
                self._parts = [_dialogue(line) for line in lines]
                return
            # Credits (`翻译：小明` / `校对：小红`) are a list, not one sentence broken over lines.
            if len(lines) > 1 and all(_LABELLED.match(line.body) for line in lines):
                self.mode = "lines"
                self._parts = lines
                return
            # A blank line (ASS fan subtitles push text down with `\N\N\N`) is layout: the lines
            # stay as they are, and the texts around it are separate texts.
            if all(line.body for line in lines) and self._envelope_cue(lines):
                self.mode = "joined"
                return
        self.mode = "runs"
        self._parts = [run for line in self.lines for run in _runs(line)]

    def _envelope_cue(self, lines: list[_Line]) -> bool:
        """Tags that wrap every line alike, or open on the first line and close on the last."""
        # White space around the tags is not worth keeping: the lines are broken anew anyway.
        tags = [(line.prefix.strip(), line.suffix.strip()) for line in lines]
        if all(pair == tags[0] for pair in tags):
            self._per_line_tags = True
            self._opening, self._closing = tags[0]
        elif all(not opening for opening, _ in tags[1:]) and all(not closing for _, closing in tags[:-1]):
            self._opening, self._closing = tags[0][0], tags[-1][1]
        else:
            return False
        self._parts = [_Line("", join_lines([line.body for line in lines]), "")]
        return True

    @property
    def texts(self) -> Sequence[str]:
        return [part.body for part in self._parts if part.body]

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        original = "".join(line + ending for line, ending in zip(self.lines, self.endings, strict=True))
        texts = self.texts
        unchanged = all(new is None or new == old for new, old in zip(translations, texts, strict=True))
        # A cue that is bilingual already is not doubled by --bilingual.
        if unchanged or (bilingual and self.mode == "bilingual"):
            return original
        newline = next((ending for ending in self.endings if ending), "\n")
        translated = self._translated_lines(iter(translations), target)
        output = newline.join(translated) + self.endings[-1]
        if not bilingual:
            return output
        return original + ("" if self.endings[-1] else newline) + output

    def _translated_lines(self, translations: Iterator[str | None], target: str) -> list[str]:
        new = [_Line(part.prefix, _take(part.body, translations), part.suffix) for part in self._parts]
        if self.mode in ("lines", "bilingual"):
            return [part.prefix + part.body + part.suffix for part in new]
        if self.mode == "runs":
            return _reassemble_runs(self.lines, new)
        lines = wrap(new[0].body, LINE_COLUMNS.get(target, LINE_COLUMNS["en"]))
        if self._per_line_tags:
            return [self._opening + line + self._closing for line in lines]
        lines[0] = self._opening + lines[0]
        lines[-1] += self._closing
        return lines


def _take(body: str, translations: Iterator[str | None]) -> str:
    """The translation of the next prose body (the body itself when it was left alone)."""
    if not body:
        return body
    translation = next(translations)
    return body if translation is None else translation


def _envelope(line: str) -> _Line | None:
    """Split off tags at both ends of a line; None if tags remain inside the text."""
    opening = _OPENING.match(line)
    prefix = opening.group() if opening else ""
    rest = line[len(prefix) :]
    closing = _CLOSING.search(rest)
    suffix = closing.group() if closing else ""
    body = rest[: len(rest) - len(suffix)]
    if _TAG_RE.search(body):
        return None
    return _Line(prefix, body, suffix)


def _karaoke(line: str) -> _Line:
    """The words of a karaoke line as one text; its tags all follow the (translated) text, in
    order, so every timestamp and class span is kept and the words are not sent one by one."""
    opening = _OPENING.match(line)
    prefix = opening.group() if opening else ""
    rest = line[len(prefix) :]
    lead, body, _ = split_padding(_TAG_RE.sub("", rest))
    return _Line(prefix + lead, body, "".join(_TAG_RE.findall(rest)))


def _is_bilingual(bodies: Iterable[str]) -> bool:
    """Lines in Chinese next to lines in a Latin script with no Chinese: a bilingual cue."""
    chinese = latin = False
    for body in bodies:
        if has_han(body):
            chinese = True
        elif any(char.isalpha() for char in body):
            latin = True
    return chinese and latin


def _dialogue(line: _Line) -> _Line:
    dash = _DASH.match(line.body)
    marker = dash.group() if dash else ""
    return _Line(line.prefix + marker, line.body[len(marker) :], line.suffix)


def _runs(line: str) -> list[_Line]:
    """Each run of text between tags, with its surrounding white space and preceding tag split off."""
    parts: list[_Line] = []
    position = 0
    for tag in [*_TAG_RE.finditer(line), None]:
        end = tag.start() if tag else len(line)
        lead, body, trail = split_padding(line[position:end])
        parts.append(_Line(lead, body, trail + (tag.group() if tag else "")))
        position = tag.end() if tag else end
    return parts


def _reassemble_runs(lines: list[str], new: list[_Line]) -> list[str]:
    output: list[str] = []
    parts = iter(new)
    for line in lines:
        runs = len(_TAG_RE.findall(line)) + 1
        output.append("".join(part.prefix + part.body + part.suffix for part in (next(parts) for _ in range(runs))))
    return output


# -- reading the blocks of a file --------------------------------------------------------------
#
# Cues are read as players read them, not as runs of non-blank lines: a timing line (with the cue
# number or id just before it, in SRT/WebVTT) starts a new cue even right after text, as in
# YouTube captions saved by common downloaders (the WebVTT parser stops cue text at a line with
# "-->"), and SRT files edited by hand. Each line is looked at once, with two lines of look-ahead.


class _Lines:
    """The stream's lines (line numbers from 1) with look-ahead."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._ahead: list[str] = []
        self.number = 0

    def peek(self, index: int = 0) -> str | None:
        while len(self._ahead) <= index:
            raw = self._stream.readline()
            if not raw:
                return None
            self._ahead.append(raw)
        return self._ahead[index]

    def next(self) -> str | None:
        raw = self.peek()
        if raw is not None:
            self._ahead.pop(0)
            self.number += 1
        return raw


#: What a timing line starts with, well formed or not (`00:00:01,000 -->`, `1:02.5 -->`): a text line
#: with an arrow in it (`北京 --> 上海`) is text.
_TIMING_LIKE = re.compile(r"\s*[\d:.,]*\d[\d:.,]*\s*-->")


def _is_timing(raw: str | None) -> bool:
    return raw is not None and "-->" in raw and _TIMING_LIKE.match(raw) is not None


def _starts_cue(lines: _Lines) -> bool:
    """A timing line, or a cue number/id followed by one, is next."""
    first = lines.peek()
    return _is_timing(first) or (first is not None and bool(first.strip()) and _is_timing(lines.peek(1)))


def _cue_text(lines: _Lines) -> list[str]:
    """The text lines of a cue: up to a blank line or the start of the next cue."""
    text: list[str] = []
    while (raw := lines.peek()) is not None and raw.strip() and not _is_timing(raw):
        if text and _is_timing(lines.peek(1)) and raw.strip().isdigit():
            break
        text.append(lines.next())  # type: ignore[arg-type]
    return text


def _cue(raw_lines: list[str]) -> Item:
    split = [split_ending(raw) for raw in raw_lines]
    return Cue([line for line, _ in split], [ending for _, ending in split])


@dataclass(frozen=True)
class _Dialect:
    timing: re.Pattern[str]
    example: str
    #: Whether a cue may have an id of any text (WebVTT) rather than only a number (SRT).
    named_ids: bool


_SRT = _Dialect(_SRT_TIMING, "00:00:01,000 --> 00:00:02,000", named_ids=False)
_VTT = _Dialect(_VTT_TIMING, "00:00:01.000 --> 00:00:02.000", named_ids=True)


def _cue_items(lines: _Lines, context: ParseContext, dialect: _Dialect) -> Iterator[Item]:
    """One cue: its number or id and timing line (structure), then its text."""
    if not _starts_cue(lines):
        raise _no_timing(lines, context, dialect)
    header = lines.next() or ""
    if not _is_timing(header):
        header += lines.next() or ""
    if not dialect.timing.fullmatch(split_ending(header.splitlines(keepends=True)[-1])[0]):
        raise MalformedFileError(context.name, f"bad timing line (want {dialect.example})", lines.number)
    yield header
    text = _cue_text(lines)
    if text:
        yield _cue(text)


def _no_timing(lines: _Lines, context: ParseContext, dialect: _Dialect) -> MalformedFileError:
    first, second = (lines.peek() or "").strip(), (lines.peek(1) or "").strip()
    where = lines.number + 1
    if first.isdigit():
        if second:
            return MalformedFileError(context.name, f"bad timing line (want {dialect.example})", where + 1)
        return MalformedFileError(context.name, "cue number without a timing line", where)
    if second and dialect.named_ids:
        return MalformedFileError(context.name, "expected a cue timing line after the cue id", where + 1)
    return MalformedFileError(context.name, "expected a cue number or a timing line", where)


def parse_srt(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    lines = _Lines(stream)
    while (raw := lines.peek()) is not None:
        if raw.strip():
            yield from _cue_items(lines, context, _SRT)
        else:
            yield lines.next()  # type: ignore[misc]


def parse_vtt(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    lines = _Lines(stream)
    first = lines.peek()
    if first is None or not first.lstrip("\ufeff").startswith("WEBVTT"):
        raise MalformedFileError(context.name, "a WebVTT file must start with WEBVTT", 1)
    # The header, and NOTE/STYLE/REGION blocks, run to a blank line (or a timing line).
    yield "".join(_kept_block(lines))
    while (raw := lines.peek()) is not None:
        if _VTT_KEPT_BLOCKS.fullmatch(split_ending(raw)[0]):
            yield "".join(_kept_block(lines))
        elif raw.strip():
            yield from _cue_items(lines, context, _VTT)
        else:
            yield lines.next()  # type: ignore[misc]


def _kept_block(lines: _Lines) -> Iterator[str]:
    while (raw := lines.peek()) is not None and raw.strip() and not _is_timing(raw):
        yield lines.next()  # type: ignore[misc]
