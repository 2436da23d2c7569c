"""Replacing slang by its plain form before a sentence goes to the translation model.

OPUS-MT was trained on subtitles and news, so "这家火锅yyds" comes out as nonsense while
"这家火锅最棒" translates well. The glossary's `plain` field is written to be a drop-in
replacement; this module only splices it in and records where, so the caller can still show a
note for the original term.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import Rewrite, Sense
from .simplified import to_simplified

#: How far around a term the script and the start of a sentence are looked for: a bounded
#: window keeps rewriting a long text linear.
_NEARBY = 40


def _match_case(text: str, start: int, plain: str) -> str:
    """Capitalise the plain form only where a sentence starts ("No cap, ..." -> "Honestly, ...").

    The term's own capitals say nothing: "FOMO" in mid-sentence must become "fear of missing out".
    """
    before = text[max(0, start - _NEARBY) : start].rstrip()
    sentence_start = not before or before[-1] in '.!?。！？\n"“'
    if sentence_start and plain[:1].isascii() and plain[:1].islower():
        return plain[0].upper() + plain[1:]
    return plain


def _in_script_of(text: str, start: int, end: int, plain: str) -> str:
    """The plain form in Traditional characters when the text around it is Traditional."""
    nearby = text[max(0, start - _NEARBY) : end + _NEARBY]
    if to_simplified(nearby) == nearby:
        return plain
    from translator.punctuation import to_traditional

    return to_traditional(plain)


def apply_plain_forms(text: str, senses: Iterable[Sense]) -> tuple[str, list[Rewrite]]:
    """Splice the plain form of each term whose slang sense is clear and whose entry has one;
    `senses` are sorted and disjoint. Possible and literal uses go to the model as written."""
    pieces: list[str] = []
    rewrites: list[Rewrite] = []
    done = 0
    for sense in senses:
        if sense.confidence != "clear" or not sense.entry.plain:
            continue
        start, end = sense.start, sense.end
        plain = _match_case(text, start, _in_script_of(text, start, end, sense.entry.plain))
        pieces += [text[done:start], plain]
        rewrites.append(Rewrite(term=sense.term, plain=plain, start=start, end=end, reason=sense.reason))
        done = end
    if not rewrites:
        return text, []
    pieces.append(text[done:])
    return "".join(pieces), rewrites
