"""Checks of the sense fields that need a whole glossary to run: `zhen glossary check` and the
test over every built-in entry.

A schema error (a rule that does not compile, a flag that is not true/false) stops loading; these
are problems of content: an ambiguous entry without literal examples, a literal example that
still gets the entry's note, an example that does not, Chinese fields that are not Chinese.
"""

from __future__ import annotations

from collections.abc import Iterable

from translator.scripts import has_han

from .matcher import Glossary, normalise
from .model import Entry


def entry_problems(glossary: Glossary, entry: Entry) -> list[str]:
    """`file:line: entry 'x': problem` lines for one entry of `glossary`; empty when it is fine."""
    problems: list[str] = []

    def problem(text: str) -> None:
        problems.append(f"{entry.source}: entry {entry.term!r}: {text}")

    if entry.ambiguous and not entry.literal_examples:
        problem("ambiguous = true needs literal_examples: sentences where the term is meant literally")
    if entry.lang == "zh":
        for field in ("meaning_zh", "note_zh"):
            if getattr(entry, field) and not has_han(getattr(entry, field)):
                problem(f"field {field!r} must be written in Chinese")
    for field in ("slang_when", "literal_when"):
        for rule in getattr(entry, field):
            if "\b" in rule:
                problem(f"a {field} rule holds a backspace ({rule!r}): in TOML write \\\\b for the regex \\b")
    forms = [normalise(form) for form in entry.forms]
    for example in entry.literal_examples:
        if not any(form in normalise(example) for form in forms):
            problem(f"literal example {example!r} does not contain the term or a variant")
            continue
        for sense in glossary.senses(example):
            if sense.entry is entry and sense.confidence != "literal":
                problem(
                    f"literal example {example!r} gets this entry's note ({sense.confidence}: {sense.reason}): "
                    "add a literal_when rule that matches it"
                )
    mine = [sense for sense in glossary.senses(entry.example) if sense.entry is entry]
    if not mine:
        problem(f"example {entry.example!r} gets no note from this entry (another term or a word boundary takes it)")
    elif all(sense.confidence == "literal" for sense in mine):
        problem(f"example {entry.example!r} is read as literal ({mine[0].reason})")
    elif entry.slang_when and entry.plain and not any(sense.confidence == "clear" for sense in mine):
        problem(f"example {entry.example!r} does not hit a slang_when rule, so it would not be rewritten")
    return problems


def sense_problems(glossary: Glossary, entries: Iterable[Entry] | None = None) -> list[str]:
    """The problems of every entry (or of `entries`), in file order."""
    return [
        line for entry in (glossary.entries if entries is None else entries) for line in entry_problems(glossary, entry)
    ]
