"""Glossary entries written in a test, so what a test asserts does not move with the real data."""

from __future__ import annotations

from translator.glossary import Entry


def entry(term: str, lang: str, meaning: str, register: str = "neutral", **fields: str) -> Entry:
    values = {
        "variants": (),
        "pinyin": "",
        "literal": "",
        "meaning_zh": "",
        "note": "",
        "note_zh": "",
        "category": "slang",
        "example": "",
        "example_translation": "",
        "plain": "",
        "source": "test",
        **fields,
    }
    return Entry(term=term, lang=lang, meaning=meaning, register=register, **values)  # type: ignore[arg-type]
