"""Cut a post into the pieces a translation model should see, and the pieces it must never see.

The pieces tile the text exactly: joining them gives the input back, character for character.
That is what makes the identity-engine invariant hold, and why nothing a user wrote can be lost,
moved or duplicated on the way through the model.

A piece is either *prose* (one sentence, or one clause of an over-long sentence, with no leading or
trailing white space) or *kept*: white space and line breaks, URLs, e-mail addresses, @mentions,
hashtags, emoji and text without letters (numbers, symbols), which come back exactly where they were.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from .protected import is_protected, protected_spans
from .scripts import CJK_PUNCTUATION, FULL_WIDTH, HAN

#: A sentence is cut into clauses when the model would need more than this many tokens for it.
#: Well under the model's 512-token limit, because the *output* is capped at 512 tokens too and
#: English output runs 1.1-1.4x the tokens of its Chinese source.
SEGMENT_TOKEN_LIMIT = 200

_LINE_BREAK = re.compile(r"\r\n|\r|\n|\u2028|\u2029")

# Sentence ends. Chinese marks end a sentence wherever they are; Latin ones only before space.
_CJK_ENDS = "。！？…"
_LATIN_ENDS = ".!?"
_CLOSERS = "”’」』）)】》\"'〕〗〉"
_END_MARKS = f"{_CJK_ENDS}{_LATIN_ENDS}～~"
# Linear: the first branch starts only at the beginning of a run of marks (so a long run of "~" is
# scanned once, not once from each of its positions); the second cannot backtrack.
_SENTENCE_END = re.compile(
    rf"(?:(?<![{_END_MARKS}])[{_END_MARKS}]*[{_CJK_ENDS}]|[{_LATIN_ENDS}]+)[{re.escape(_CLOSERS)}]*"
)
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie u.s u.k a.m p.m no inc ltd co jan feb mar apr "
    "jun jul aug sep sept oct nov dec approx dept est fig gov mt rd ave".split()
)
_CLAUSE_END = re.compile(r"[，,；;：:、—]+\s*")


@dataclass(frozen=True)
class Piece:
    """A slice `text[start:end]`: prose for the model, or kept as it is (`reason` says why)."""

    text: str
    start: int
    end: int
    reason: str = ""

    @property
    def is_prose(self) -> bool:
        return not self.reason


def _has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


def _kept_reason(text: str) -> str:
    """Why a letter-free piece is kept: number, emoji or symbols."""
    if any(char.isdigit() for char in text):
        return "number"
    if is_protected(text.strip()):
        return "emoji"
    return "symbols"


def split_sentences(text: str) -> list[str]:
    """Split one line into sentences; the parts join back to `text`."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        follower = text[end : end + 1]
        mark = match.group()
        if any(char in _CJK_ENDS for char in mark):
            cut = True
        elif follower == "" or follower.isspace():
            cut = mark[0] != "." or not _is_abbreviation(text, match.start())
        else:
            # "好吃!下次再来" : an ASCII mark followed directly by Chinese still ends a sentence.
            cut = bool(re.match(rf"[{HAN}]", follower))
        if cut and end < len(text):
            parts.append(text[start:end])
            start = end
    parts.append(text[start:])
    return [part for part in parts if part]


def _is_abbreviation(text: str, dot: int) -> bool:
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    if not word:
        return False
    # A lone capital is an initial ("J. K. Rowling"); a lone lower-case letter ends sentences.
    return word in _ABBREVIATIONS or (len(word) == 1 and text[word_start].isupper())


def _split_long(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Cut an over-long sentence at clause marks, then spaces, then anywhere: never truncate."""
    # Every character costs at most one token plus the end-of-sentence token.
    if len(text) + 2 <= limit or count_tokens(text) <= limit:
        return [text]
    for splitter in (_CLAUSE_END, re.compile(r"\s+")):
        cuts = [match.end() for match in splitter.finditer(text) if match.end() < len(text)]
        if cuts:
            return _pack(text, [0, *cuts, len(text)], count_tokens, limit)
    return _halve(text, count_tokens, limit)


def _halve(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """The last resort for a run with no usable break (a wall of Chinese without punctuation).

    Linear: a long run is first cut into blocks of a few times the limit (in characters), and
    only a block is halved recursively, so no character is sliced more than a few times."""
    block = 4 * limit
    if len(text) > 2 * block:
        blocks = (text[start : start + block] for start in range(0, len(text), block))
        return [piece for part in blocks for piece in _split_long(part, count_tokens, limit)]
    middle = len(text) // 2
    return _split_long(text[:middle], count_tokens, limit) + _split_long(text[middle:], count_tokens, limit)


def _pack(text: str, bounds: list[int], count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Greedily join consecutive clauses while they fit under `limit`."""
    chunks: list[str] = []
    start = bounds[0]
    previous = start
    for bound in bounds[1:]:
        if previous > start and count_tokens(text[start:bound]) > limit:
            chunks.append(text[start:previous])
            start = previous
        previous = bound
    chunks.append(text[start:])
    if len(chunks) == 1:
        # No clause boundary helped.
        return _halve(text, count_tokens, limit)
    return [piece for chunk in chunks for piece in _split_long(chunk, count_tokens, limit)]


def segment(
    text: str,
    count_tokens: Callable[[str], int] = len,
    limit: int = SEGMENT_TOKEN_LIMIT,
) -> list[Piece]:
    """Tile `text` with prose and kept pieces (see the module docstring)."""
    return list(_iter_pieces(text, count_tokens, limit))


def _iter_pieces(text: str, count_tokens: Callable[[str], int], limit: int) -> Iterator[Piece]:
    position = 0
    for line_break in _LINE_BREAK.finditer(text):
        yield from _line_pieces(text[position : line_break.start()], position, count_tokens, limit)
        yield Piece(line_break.group(), line_break.start(), line_break.end(), "space")
        position = line_break.end()
    yield from _line_pieces(text[position:], position, count_tokens, limit)


def _line_pieces(line: str, offset: int, count_tokens: Callable[[str], int], limit: int) -> Iterator[Piece]:
    position = 0
    for start, end, kind in protected_spans(line):
        yield from _prose_pieces(line[position:start], offset + position, count_tokens, limit)
        reason = {"domain": "url", "sticker": "emoji"}.get(kind, kind)
        yield Piece(line[start:end], offset + start, offset + end, reason)
        position = end
    yield from _prose_pieces(line[position:], offset + position, count_tokens, limit)


def _prose_pieces(run: str, offset: int, count_tokens: Callable[[str], int], limit: int) -> Iterator[Piece]:
    position = offset
    for sentence in split_sentences(run):
        for chunk in _split_long(sentence, count_tokens, limit):
            yield from _trimmed(chunk, position)
            position += len(chunk)


def _trimmed(chunk: str, start: int) -> Iterator[Piece]:
    """Split off leading and trailing white space, and keep letter-free chunks as they are."""
    stripped = chunk.strip()
    if not stripped:
        if chunk:
            yield Piece(chunk, start, start + len(chunk), "space")
        return
    lead = len(chunk) - len(chunk.lstrip())
    if lead:
        yield Piece(chunk[:lead], start, start + lead, "space")
    body_start = start + lead
    body_end = body_start + len(stripped)
    yield Piece(stripped, body_start, body_end, "" if _has_letters(stripped) else _kept_reason(stripped))
    if body_end < start + len(chunk):
        yield Piece(chunk[len(chunk.rstrip()) :], body_end, start + len(chunk), "space")


@cache
def _chinese_run() -> re.Pattern[str]:
    """A run of Chinese in an English sentence: from a Chinese character to the last Chinese
    character or CJK punctuation mark before the next Latin letter. Linear: runs do not overlap,
    and the optional tail backtracks at most over its own run. Compiled when first needed: its
    classes of CJK characters take milliseconds to compile, and most texts never need it."""
    return re.compile(rf"[{HAN}](?:[{HAN}{CJK_PUNCTUATION}{FULL_WIDTH}0-9\s]*[{HAN}{CJK_PUNCTUATION}{FULL_WIDTH}])?")


def chinese_runs(piece: Piece) -> list[Piece]:
    """An English sentence that quotes Chinese (`支持 Claude Code、Copilot CLI 和 Codex。`), cut into
    its runs of Chinese and the English around them; they tile the piece like any pieces."""
    parts: list[Piece] = []
    position = 0
    for run in _chinese_run().finditer(piece.text):
        for start, end in ((position, run.start()), run.span()):
            if start < end:
                parts.append(Piece(piece.text[start:end], piece.start + start, piece.start + end))
        position = run.end()
    if position < len(piece.text):
        parts.append(Piece(piece.text[position:], piece.start + position, piece.end))
    return parts
