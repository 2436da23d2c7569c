"""Spans of a text that are not language: addresses, mentions, tags, stickers, emoji, markup and
template placeholders.

The one definition of "not prose", shared by the segmenter (these never reach the model), the
glossary matcher (no notes inside them), the file formats and the file-language count (a URL is
not English).

Complexity: `protected_spans` is linear in the length of the text. Every branch of `PROTECTED`
that can start inside a run of characters it also consumes (e-mail addresses, bare domains) has a
look-behind that lets it start only at the beginning of that run, so no run is rescanned from each
of its positions; the other branches start at a literal (`http`, `www.`, `@`, `#`, `[`, `{`) or
are bounded in length. A bare-domain candidate costs one set look-up (Public Suffix List TLDs). An
ICU message is matched whole, then cut into its structure and its branches' text, each of which
is searched again on its own: every character is still looked at a bounded number of times.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from importlib import resources

from .scripts import CJK_PUNCTUATION, FULL_WIDTH_PUNCTUATION, HAN, HAN_BEYOND_WORD

__all__ = ["PROTECTED", "is_protected", "protected_spans"]

_EMOJI_BASE = (
    "\U0001F000-\U0001FAFF"  # pictographs, emoticons, transport, symbols & pictographs ext.
    "\u2600-\u27BF"  # misc symbols, dingbats
    "\u2300-\u23FF"  # misc technical (⌚ ⏰)
    "\u2B00-\u2BFF"  # arrows, stars (⭐ ⬆)
    "\u2190-\u21FF"
    "\u3030\u303D\u3297\u3299\u00A9\u00AE\u203C\u2049\u2122\u2139"
)
_EMOJI_MOD = "\uFE0E\uFE0F\u20E3\U0001F3FB-\U0001F3FF\U000E0020-\U000E007F"
_EMOJI = (
    rf"(?:[{_EMOJI_BASE}][{_EMOJI_MOD}]*(?:\u200D[{_EMOJI_BASE}][{_EMOJI_MOD}]*)*"
    r"|[0-9#*]\uFE0F?\u20E3"  # keycaps 1️⃣
    r"|[\U0001F1E6-\U0001F1FF]{2})"  # flags
)

# What ends a URL: white space, CJK punctuation and full-width forms (，。：！).
_URL_STOP = rf"\s{CJK_PUNCTUATION}{FULL_WIDTH_PUNCTUATION}"
# Chinese in a URL path (https://zh.wikipedia.org/wiki/火锅) belongs to it when it starts right
# after a path delimiter; Chinese glued to an ASCII path (https://b23.tv/abc快看) is the sentence.
# Possessive runs: each character is matched once (a per-character alternation in a repeat costs
# the regex engine more than linear time on a long path).
_URL_PATH = rf"(?:[^{_URL_STOP}{HAN}]++|(?<=[/=?&#_(:-])[{HAN}]++)*+"
#: Closing punctuation after an address ends the sentence, not the address.
_ADDRESS_TRAILING = ".,;:!?)]'\""
_URL_HOST_CHAR = rf"[^{_URL_STOP}{HAN}/]"
# ASCII name characters: \w would take the Chinese glued before "abc@mail.com" or "baidu.com".
_NAME = "A-Za-z0-9_"
# An ICU message: {count, plural, =0 {没有项目} one {# 个项目} other {# 个项目}}. A branch's text
# may hold simple arguments ({name}); a message nested in a branch is left to the patterns below.
# Possessive, and no alternative can start where another could, so the search stays linear.
_ICU_HEAD = r"\{[ \t]*[\w.-]{1,40}[ \t]*,[ \t]*(?:plural|selectordinal|select)[ \t]*,(?:[ \t]*offset:\d{1,9})?"
_ICU_BRANCH_OPEN = r"\s*+(?:=\d{1,9}|[A-Za-z_][\w-]{0,39})\s*+\{"
_ICU_BRANCH_TEXT = r"[^{}]*+(?:\{[^{}]*+\}[^{}]*+)*+"
_ICU_TAIL = r"\s*+\}"
#: The number sign of a plural branch ("# 个项目"): the count, as a placeholder.
_ICU_NUMBER = "#"
#: The message types whose branches hold a count (`select` chooses by a word).
_ICU_COUNTING = frozenset({"plural", "selectordinal"})

#: Top-level domains common enough that a bare domain with no path is taken for one (baidu.com);
#: with a path (youtu.be/x, b23.tv/x) any public suffix will do.
_COMMON_TLDS = frozenset("com cn net org io co me app tv hk tw".split())

#: Kinds of text that never go to the model, most specific first; the group name is the kind.
PROTECTED = re.compile(
    "|".join(
        [
            # HTML tags with their attributes, and character references: Weibo's API gives posts as
            # HTML, and exports of rich-text comments keep <br>. A tag needs a letter after "<"
            # ("<3" is a heart); no tag holds "<" or ">", which also keeps the search linear.
            r"(?P<markup></?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>"
            r"|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});)",
            # URLs: scheme or www., up to white space or CJK punctuation (trailing full stops and
            # brackets are given back in `protected_spans`).
            rf"(?P<url>(?:https?://|www\.){_URL_HOST_CHAR}+(?:/{_URL_PATH})?)",
            rf"(?P<email>(?<![{_NAME}.+-])[{_NAME}.+-]+@[{_NAME}-]+(?:\.[{_NAME}-]+)+)",
            # Bare domains (xhslink.com/a1b2, youtu.be/x): checked against the suffix list below.
            rf"(?P<domain>(?<![{_NAME}.@/-])(?:[A-Za-z0-9-]+\.)+[A-Za-z]{{2,24}}"
            r"(?:/[A-Za-z0-9_./%?=&#+~-]*)?(?![A-Za-z0-9_@-]))",
            # QZone mention markup @{uin:12345,nick:昵称}: the nickname is a name, not text.
            r"(?P<mention>@\{[^{}\r\n]{1,200}\}"
            rf"|(?<![\w@])@[\w{HAN_BEYOND_WORD}][\w{HAN_BEYOND_WORD}.\-]{{0,29}}(?<!\.))",
            # RedNote topic tags (#猫税[话题]#), Weibo tags (#话题#), plain #tags, nested and hyphened
            # ones (Obsidian's #学习/中文, #self-care).
            rf"(?P<hashtag>#[^\s#\[\]]{{1,40}}\[话题\]#|#[^\s#]{{1,40}}#"
            rf"|#[\w{HAN_BEYOND_WORD}]+(?:[/-][\w{HAN_BEYOND_WORD}]+)*)",
            # Platform stickers: QZone [em]e400101[/em]; Douyin/Weibo/Bilibili [尬笑] [doge]
            # [tv_doge] [笑cry] [脱单doge] [打call] (runs of them too); RedNote [笑哭R].
            rf"(?P<sticker>(?:\[em\]e\d{{1,10}}\[/em\]|\[[{HAN}]{{1,8}}(?:R|[a-z]{{1,8}})?\]"
            rf"|\[[a-z]{{1,8}}_?[a-z{HAN}]{{1,8}}\])+)",
            # ICU plural and select messages (FormatJS, Angular, Android string tables): their
            # structure is kept, their branches' text is language (`protected_spans` splits them).
            rf"(?P<message>{_ICU_HEAD}(?:{_ICU_BRANCH_OPEN}{_ICU_BRANCH_TEXT}\}})++{_ICU_TAIL})",
            # Placeholders of message templates (i18n files, app strings): {name}, {0}, {{count}},
            # ${user}, {count, number}, %s, %1$d, %(name)s. A model would translate or drop them.
            r"(?P<placeholder>\{\{[ \t]*[\w.-]{1,40}[ \t]*\}\}"
            r"|\$?\{[\w.-]{1,40}(?:,[ \t]*(?:number|date|time)(?:,[ \t]*[\w.-]{1,20})?)?\}"
            r"|(?<![\w%])%(?:\d\$|\([\w.-]{1,40}\))?[-+ 0#]?\d{0,3}(?:\.\d{1,3})?[sdfiuxXeEgGc@](?![A-Za-z0-9]))",
            rf"(?P<emoji>{_EMOJI}+)",
            # Lone surrogates (from "\ud800" escapes in JSON, or broken input) are not text at all:
            # kept exactly where they are, never sent to a model, a tokenizer or the cache.
            r"(?P<invalid>[\ud800-\udfff]+)",
        ]
    )
)


@cache
def _icu_parts() -> re.Pattern[str]:
    """A message's head, or one of its branches (key and opening brace, text, closing brace).
    Compiled when a text first holds a message: most never do."""
    return re.compile(rf"(?P<head>{_ICU_HEAD})|(?P<open>{_ICU_BRANCH_OPEN})(?P<text>{_ICU_BRANCH_TEXT})\}}")


@cache
def _top_level_domains() -> frozenset[str]:
    """The top-level domains of the ICANN part of the Public Suffix List bundled with the
    `publicsuffixlist` package (a file read once, never fetched). Every public suffix ends in
    one of them, so the last label of a host decides."""
    data = resources.files("publicsuffixlist").joinpath("public_suffix_list.dat").read_text(encoding="utf-8")
    icann = data.partition("===END ICANN DOMAINS===")[0]
    rules = (line.strip() for line in icann.splitlines())
    return frozenset(rule.rsplit(".", 1)[-1].lower() for rule in rules if rule and not rule.startswith("//"))


def _is_domain(candidate: str) -> bool:
    host, slash, _ = candidate.partition("/")
    tld = host.rsplit(".", 1)[-1].lower()
    return tld in (_top_level_domains() if slash else _COMMON_TLDS)


def protected_spans(text: str, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int, str]]:
    """(start, end, kind) of every protected span of `text` (of `text[pos:endpos]`, offsets in
    `text`), in order, never overlapping."""
    for match in PROTECTED.finditer(text, pos, len(text) if endpos is None else endpos):
        kind = match.lastgroup or "symbols"
        start, end = match.span()
        if kind == "message":
            yield from _message_spans(text, start, end)
            continue
        if kind in ("url", "domain"):
            while end > start and text[end - 1] in _ADDRESS_TRAILING:
                end -= 1
            if kind == "domain" and not _is_domain(text[start:end]):
                continue
        yield start, end, kind


def _message_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    """An ICU message's structure as placeholders: its head, each branch's key and braces, and the
    number sign of plural branches; the text of each branch is left as language, with its own
    protected spans ({name}, emoji). Touching pieces of structure are one span."""
    spans: list[tuple[int, int, str]] = []

    def keep(low: int, high: int, kind: str = "placeholder") -> None:
        if spans and kind == "placeholder" and spans[-1][2] == kind and spans[-1][1] == low:
            spans[-1] = (spans[-1][0], high, kind)
        else:
            spans.append((low, high, kind))

    plural = False
    done = start
    for part in _icu_parts().finditer(text, start, end):
        if part.lastgroup == "head":
            # The type follows the argument's name: {pluralForm, select, ...} counts nothing.
            plural = part.group().split(",")[1].strip() in _ICU_COUNTING
            keep(*part.span())
        else:
            keep(part.start(), part.end("open"))
            low, high = part.span("text")
            for piece_start, piece_end in _split_number_signs(text, low, high) if plural else [(low, high)]:
                for span in protected_spans(text, piece_start, piece_end):
                    keep(*span)
                if piece_end < high:
                    keep(piece_end, piece_end + 1)
            keep(high, part.end())
        done = part.end()
    keep(done, end)
    yield from spans


def _split_number_signs(text: str, low: int, high: int) -> list[tuple[int, int]]:
    """The stretches of `text[low:high]` between its number signs."""
    bounds, at = [], low
    while (sign := text.find(_ICU_NUMBER, at, high)) != -1:
        bounds.append((at, sign))
        at = sign + 1
    return [*bounds, (at, high)]


def is_protected(text: str) -> bool:
    """Whether all of `text` is one protected span (a URL, a sticker run, emoji ...)."""
    spans = protected_spans(text)
    first = next(spans, None)
    return first is not None and first[0] == 0 and first[1] == len(text)
