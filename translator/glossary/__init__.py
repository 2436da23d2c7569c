"""Notes on slang, platform vocabulary and culture for RedNote posts, in both directions.

    from translator.glossary import default_glossary
    glossary = default_glossary()
    glossary.find("这家火锅yyds")          # -> [Note(term='yyds', start=4, end=8, ...)]
    glossary.rewrite("这家火锅yyds")       # -> ('这家火锅最棒', [Rewrite(...)]) before translating
    glossary.senses("快递已经寄了")         # -> [Sense(term='寄了', confidence='literal', ...)]

Each term found gets a confidence (senses.py): literal uses get no note, terms that only may
mean the slang get a softer note, and only clear slang is rewritten before translation.

The data lives in `data/*.toml` (schema in data/README.md); a user's own entries in
`user_glossary_path()` add to or override it. Importing this package loads nothing.
"""

from __future__ import annotations

from .loader import (
    DATA_DIR,
    builtin_paths,
    default_glossary,
    forget_default_glossary,
    load_glossary,
    user_glossary_path,
)
from .matcher import Glossary
from .model import (
    CATEGORIES,
    CONFIDENCES,
    LANGS,
    REGISTERS,
    RISKY_REGISTERS,
    Confidence,
    Entry,
    GlossaryError,
    Note,
    Rewrite,
    Sense,
)

__all__ = [
    "CATEGORIES",
    "CONFIDENCES",
    "DATA_DIR",
    "LANGS",
    "REGISTERS",
    "RISKY_REGISTERS",
    "Confidence",
    "Entry",
    "Glossary",
    "GlossaryError",
    "Note",
    "Rewrite",
    "Sense",
    "builtin_paths",
    "default_glossary",
    "forget_default_glossary",
    "load_glossary",
    "user_glossary_path",
]
