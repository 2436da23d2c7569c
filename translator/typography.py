"""How translated pieces are put back together: Chinese typography and the joints between pieces.

The model sees one sentence at a time, so what it writes needs two mends before the pieces are
joined: Chinese output gets full-width marks (and Traditional characters when they were asked
for), and the joint between two sentences that changed script gets the space English needs or
loses the one Chinese does not use.
"""

from __future__ import annotations

import dataclasses
import re

from .languages import Script
from .result import Segment
from .scripts import is_cjk_wide

_LATIN_TAIL = re.compile(r"[A-Za-z0-9.,!?;:)\]\"'%]$")
_LATIN_HEAD = re.compile(r"^[A-Za-z0-9(\[\"'$]")
#: Models often end Chinese sentences with ASCII marks ("你好!"); look past them for the script.
_SENTENCE_PUNCTUATION = ".!?~\"')"


def chinese_typography(output: str, script: Script) -> str:
    """Full-width punctuation, and Traditional characters throughout when they were asked for."""
    from .punctuation import chinese_punctuation, to_traditional

    output = chinese_punctuation(output)
    return to_traditional(output) if script == "Hant" else output


def _changed(segment: Segment) -> bool:
    return segment.text != segment.source


def fix_spacing(segments: list[Segment], target: str) -> list[Segment]:
    """Mend the joints between sentences whose script changed.

    Chinese runs sentences together ("好吃！下次还来！") where English needs a space, and English
    spaces between sentences look wrong in Chinese. Only joints next to a piece that the model
    changed are touched, so untranslated text keeps every character.
    """
    fixed = list(segments)
    for index in range(1, len(fixed)):
        left, right = fixed[index - 1], fixed[index]
        if not (_changed(left) or _changed(right)) or not left.text or not right.text:
            continue
        if target == "en" and _LATIN_TAIL.search(left.text) and _LATIN_HEAD.match(right.text):
            if _changed(right):
                fixed[index] = dataclasses.replace(right, text=" " + right.text)
            else:
                fixed[index - 1] = dataclasses.replace(left, text=left.text + " ")
    if target == "zh":
        for index in range(1, len(fixed) - 1):
            left, gap, right = fixed[index - 1], fixed[index], fixed[index + 1]
            if (
                gap.reason == "space"
                and gap.source == " "
                and _changed(left)
                and _changed(right)
                and is_cjk_wide(left.text.rstrip(_SENTENCE_PUNCTUATION)[-1:])
                and is_cjk_wide(right.text[:1])
            ):
                fixed[index] = dataclasses.replace(gap, text="")
    return fixed


__all__ = ["chinese_typography", "fix_spacing"]
