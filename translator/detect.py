"""Which language a text is in, decided mostly by counting Unicode scripts.

langdetect alone misreads short Chinese as Korean, "ok" as Slovak and raises on emoji or digits.
Scripts settle zh vs en reliably at any length: Han characters mean Chinese (unless kana says
Japanese), Hangul means Korean. langdetect is only asked about longer Latin-script text, to tell
English from French, Spanish and the like.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .protected import protected_spans
from .scripts import is_han, is_hangul, is_kana

#: Latin-script text needs this many letters before langdetect's guess is worth anything.
LANGDETECT_MIN_LETTERS = 40
_LATIN_WORD = re.compile(r"[^\W\d_]+")
#: And its guess must be this sure to call a Latin-script text something other than English.
LANGDETECT_MIN_PROBABILITY = 0.95
#: Function words of English that French, Spanish, German, Italian, Portuguese and Dutch do not
#: spell the same way. Two of them, making up an eighth of a text's words or more, settle that it
#: is English without langdetect, which takes 0.4-0.7 s to load and ~7 ms a text (a subtitle file
#: with an English line per cue took seconds).
_ENGLISH_WORDS = frozenset(
    "the and of with this that these those you your are have has they them their there which would "
    "could should from what when were been because about into than then".split()
)
_ENGLISH_SHARE = 8


@dataclass(frozen=True)
class ScriptCounts:
    han: int = 0
    kana: int = 0
    hangul: int = 0
    latin: int = 0
    latin_words: int = 0
    other_letters: int = 0
    other_script: str = ""

    @property
    def has_letters(self) -> bool:
        return bool(self.han or self.kana or self.hangul or self.latin or self.other_letters)


def count_scripts(text: str) -> ScriptCounts:
    """Count letters by script; a run of Latin letters (and digits inside it) is one word."""
    han = kana = hangul = latin = words = other = 0
    other_script = ""
    in_word = False
    for char in text:
        if char.isascii():
            if char.isalpha():
                latin += 1
                words += not in_word
                in_word = True
            else:
                # Digits, apostrophes and hyphens inside a word do not end it: "don't", "k-pop", "mp3".
                in_word = in_word and (char.isdigit() or char in "'-")
            continue
        in_word_now = False
        if is_han(char):
            han += 1
        elif is_kana(char):
            kana += 1
        elif is_hangul(char):
            hangul += 1
        elif char.isalpha():
            name = unicodedata.name(char, "")
            if "LATIN" in name:
                latin += 1
                in_word_now = True
                words += not in_word
            else:
                other += 1
                other_script = other_script or name.split(" ")[0].lower()
        in_word = in_word_now
    return ScriptCounts(han, kana, hangul, latin, words, other, other_script)


def language_text(text: str) -> str:
    """`text` with its protected spans (URLs, e-mail, mentions, stickers...) blanked out: they are
    not language, and a long URL's letters would outvote the Chinese label in front of it."""
    spans = [(start, end) for start, end, _ in protected_spans(text)]
    if not spans:
        return text
    parts: list[str] = []
    position = 0
    for start, end in spans:
        parts += [text[position:start], " "]
        position = end
    parts.append(text[position:])
    return "".join(parts)


def detect_language(text: str, *, latin_languages: bool = True) -> str:
    """The language of `text`: "zh", "en", "ja", "ko", another code, or "" when it has no letters.

    Chinese wins over Latin words when it has at least as many Han characters as there are Latin
    words: a Chinese post that name-drops Costco is still Chinese, and an English sentence quoting
    火锅 is still English. `latin_languages=False` calls Latin-script text English without telling
    it from French or Spanish, for a caller to whom they are all the same (translating into English
    leaves them all as they are).
    """
    text = language_text(text)
    counts = count_scripts(text)
    if not counts.has_letters:
        return ""
    if counts.kana >= 2 and counts.kana * 4 >= counts.han + counts.kana:
        return "ja"
    if counts.hangul > counts.han and counts.hangul >= counts.latin_words:
        return "ko"
    if counts.han and counts.han >= counts.latin_words:
        return "zh"
    if counts.latin >= counts.other_letters:
        telling = latin_languages and counts.latin >= LANGDETECT_MIN_LETTERS
        if telling and _distinct_word_letters(text) >= LANGDETECT_MIN_LETTERS:
            return "en" if _plainly_english(text) else _latin_language(text)
        return "en"
    if counts.kana:
        return "ja"
    if counts.hangul:
        return "ko"
    return counts.other_script or "und"


def _distinct_word_letters(text: str) -> int:
    """Letters in the text's distinct words: "haha haha haha…" or "no no no…" is one word of
    evidence, however often it repeats (langdetect calls them Somali and Portuguese)."""
    return sum(len(word) for word in set(_LATIN_WORD.findall(text.lower())))


def _plainly_english(text: str) -> bool:
    words = _LATIN_WORD.findall(text.lower())
    english = sum(word in _ENGLISH_WORDS for word in words)
    return english >= 2 and english * _ENGLISH_SHARE >= len(words)


@lru_cache(maxsize=4096)
def _latin_language(text: str) -> str:
    """English unless langdetect is confident the text is in another Latin-script language."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    # langdetect samples randomly; without a fixed seed the same text can change language.
    DetectorFactory.seed = 0
    try:
        best = detect_langs(text)[0]
    except LangDetectException:
        return "en"
    if best.lang != "en" and best.prob >= LANGDETECT_MIN_PROBABILITY:
        return best.lang
    return "en"
