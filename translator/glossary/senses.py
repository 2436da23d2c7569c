"""Telling a slang use of a term from a literal one: 考试寄了 (done for) vs 快递已经寄了 (mailed).

Every term found in a text gets a confidence:

- `literal`: the ordinary sense; no note, never rewritten;
- `possible`: an ambiguous entry (`ambiguous = true`) with no `slang_when` hit; a softer
  "may mean" note, never rewritten;
- `clear`: an entry that is not ambiguous, or a `slang_when` hit; a note, and the plain form may
  replace the term before translation.

The entry's own rules decide first (`literal_when` wins over `slang_when`, see data/README.md);
after them, general rules that need no data: a number term next to a price, a unit or other
digits is literal; a Latin-letter Chinese abbreviation (nb, sb) is literal outside Chinese text
or as part of a product or model name (NB 530, Nike SB Dunk). The word-boundary rule for
Chinese terms lives in words.py (a term cutting through a longer word is not found at all).

Rules are matched on the sentence around the term, at most `CONTEXT` characters either side, so
each match costs the same however long the text is. Rules from a user's glossary are regular
expressions from outside zhen: they run in the `regex` module with a time limit, so a
catastrophically backtracking pattern cannot hang zhen.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from translator.protected import PROTECTED
from translator.scripts import has_han

from .model import Confidence, Entry

if TYPE_CHECKING:
    import regex

#: Characters of context either side of a term that rules see.
CONTEXT = 100
#: Seconds one rule may take on one sentence before it counts as not matching.
RULE_TIMEOUT = 0.05

_TERMINATOR = re.compile(r"[。！？!?…\n；;]|\.(?=\s|$)")
_TRAILING = re.compile(r"[。！？!?…~～」”\"'）)]*")

# Numbers: a price, a unit or a measure word after them, digits or a currency before them.
_NUMBER_BEFORE = re.compile(
    r"(?:[0-9][.,:/+\-]?|[¥$€£#￥]|rmb|no\.?|第|共|约|号码?|房间|门牌|编号|型号|电话|航班|车次|价|价格|售价|原价|现价|到手|花了)"
    r"[是为:]?\s*$"
)
_NUMBER_AFTER = re.compile(
    r"\s*(?:[0-9%]|[.,:/][0-9]|元|块|毛|角|rmb|刀|美元|美金|万|千|百|亿|k\b|w\b|号|路|层|楼|室|房|栋|岁|年|月|日|天|周"
    r"|小时|分钟|秒|次|个|件|只|条|张|本|位|名|人|米|公里|km|kg|mm|cm|ml|g\b|斤|克|毫升|度|℃|°|页|集|期|届|分(?!享)"
    r"|票|单|台|部|辆|杯|碗|份|套|盒|包|瓶|支|双|对|字|班|线|hz|mb|gb|tb|p\b|毫安|mah)"
)
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_LATIN_BEFORE = re.compile(r"([a-z0-9]+)[\s-]*$")
_LATIN_AFTER = re.compile(r"[\s-]*([a-z0-9]+)")
#: Words after a Latin abbreviation that make it a brand's line or a model: 耐克SB系列.
_PRODUCT_AFTER = re.compile(r"\s*(?:系列|型号|款|联名|配色|鞋|球鞋|官网|旗舰店)")


@dataclass(frozen=True)
class Rule:
    """One `slang_when` / `literal_when` rule: `A~B` (A right before the term, B right after), or
    a pattern without `~` that may match anywhere in the sentence."""

    source: str
    before: regex.Pattern[str] | None = None
    after: regex.Pattern[str] | None = None
    anywhere: regex.Pattern[str] | None = None
    #: `A~|~B`: one rule per top-level alternative; a hit of any is a hit.
    alternatives: tuple[Rule, ...] = ()

    def hits(self, text: str, start: int, end: int, low: int, high: int) -> bool:
        if self.alternatives:
            return any(rule.hits(text, start, end, low, high) for rule in self.alternatives)
        try:
            if self.anywhere is not None:
                return self.anywhere.search(text[low:high], timeout=RULE_TIMEOUT) is not None
            if self.before is not None and self.before.search(text[low:start], timeout=RULE_TIMEOUT) is None:
                return False
            return self.after is None or self.after.match(text[end:high], timeout=RULE_TIMEOUT) is not None
        except TimeoutError:
            return False


def _scan(rule: str) -> tuple[list[int], list[int]]:
    """Positions of the `~` that mark the term and of the top-level `|` of a rule: neither
    escaped, nor inside a character class, nor (for `|`) inside a group."""
    marks: list[int] = []
    bars: list[int] = []
    escaped = in_class = False
    depth = 0
    for index, char in enumerate(rule):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if rule[index + 1 : index + 2] == "]":  # "[]...]": a leading ] is a member
                escaped = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            bars.append(index)
        elif char == "~":
            marks.append(index)
    return marks, bars


def compile_rule(rule: str) -> Rule:
    """Compile a rule; raises ValueError saying what is wrong with it.

    A rule with `~` in several top-level alternatives (`A~|~B`) is one rule per alternative;
    a `~` inside a group must be the only one of the rule.
    """
    import regex  # the `regex` module: time limits; imported only when a rule is compiled

    marks, bars = _scan(rule)
    try:
        if not marks:
            return Rule(rule, anywhere=regex.compile(rule))
        if len(marks) > 1:
            if not bars:
                raise ValueError("has more than one ~ (the term is in one place)")
            edges = [-1, *bars, len(rule)]
            parts = [rule[a + 1 : b] for a, b in itertools.pairwise(edges)]
            return Rule(rule, alternatives=tuple(compile_rule(part) for part in parts))
        before, after = rule[: marks[0]], rule[marks[0] + 1 :]
        if bars:  # A~B|C: the ~ belongs to its alternative; the others match anywhere
            edges = [-1, *bars, len(rule)]
            parts = [rule[a + 1 : b] for a, b in itertools.pairwise(edges)]
            return Rule(rule, alternatives=tuple(compile_rule(part) for part in parts))
        return Rule(
            rule,
            before=regex.compile(f"(?:{before})$") if before else None,
            after=regex.compile(after) if after else None,
        )
    except regex.error as error:
        raise ValueError(f"is not a valid regular expression ({error})") from None


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around `text[start:end]`, its closing punctuation included, at most
    `CONTEXT` characters either side."""
    low = max(0, start - CONTEXT)
    for match in _TERMINATOR.finditer(text, low, start):
        low = match.end()
    high = min(len(text), end + CONTEXT)
    stop = _TERMINATOR.search(text, end, high)
    if stop is not None:
        trailing = _TRAILING.match(text, stop.end(), high)
        high = trailing.end() if trailing else stop.end()
    return low, high


class Judge:
    """Decides the confidence of each match of one glossary's entries.

    `abbreviations`: the Latin-letter and digit spellings of Chinese entries (yyds, 666), which
    are Chinese text, not product names, when they stand next to each other.
    """

    def __init__(self, abbreviations: frozenset[str]) -> None:
        self._abbreviations = abbreviations
        self._rules: dict[int, tuple[tuple[Rule, ...], tuple[Rule, ...]]] = {}

    def rules(self, entry: Entry) -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
        """The entry's (literal_when, slang_when) rules, compiled on first use."""
        compiled = self._rules.get(id(entry))
        if compiled is None:
            compiled = (
                tuple(compile_rule(rule) for rule in entry.literal_when),
                tuple(compile_rule(rule) for rule in entry.slang_when),
            )
            self._rules[id(entry)] = compiled
        return compiled

    def decide(self, entry: Entry, text: str, start: int, end: int) -> tuple[Confidence, str]:
        """(confidence, reason) for `entry` found at `text[start:end]`; `text` is normalised
        (folded, Simplified)."""
        low, high = sentence_bounds(text, start, end)
        literal_rules, slang_rules = self.rules(entry)
        for rule in literal_rules:
            if rule.hits(text, start, end, low, high):
                return "literal", f"literal_when {rule.source!r}"
        for rule in slang_rules:
            if rule.hits(text, start, end, low, high):
                return "clear", f"slang_when {rule.source!r}"
        form = text[start:end]
        if form.isdigit() and entry.lang == "zh":
            if _NUMBER_BEFORE.search(text[low:start]) or _NUMBER_AFTER.match(text, end, high):
                return "literal", "a number next to a price, unit or other digits"
        elif entry.lang == "zh" and form.isascii():
            literal = self._latin_literal(text, start, end, low, high)
            if literal:
                return "literal", literal
        if entry.ambiguous:
            return "possible", "ambiguous term, no slang_when rule matched"
        return "clear", "unambiguous term"

    def _latin_literal(self, text: str, start: int, end: int, low: int, high: int) -> str:
        """Why a Latin-letter Chinese abbreviation is literal here, or ""."""
        # Addresses are not language: "https://example.com/a yyds" has no English around yyds.
        sentence = PROTECTED.sub(lambda address: " " * len(address.group()), text[low:high])
        start, end = start - low, end - low
        before = _LATIN_BEFORE.search(sentence, max(0, start - 30), start)
        after = _LATIN_AFTER.match(sentence, end)
        for neighbour in (before, after):
            if neighbour is not None and neighbour.group(1) not in self._abbreviations:
                return "part of a product or model name, or of an English phrase"
        if _PRODUCT_AFTER.match(sentence, end):
            return "part of a product or model name, or of an English phrase"
        if not has_han(sentence) and any(word not in self._abbreviations for word in _LATIN_WORD.findall(sentence)):
            return "Latin letters in text that is not Chinese"
        return ""
