"""Notes on slang, platform vocabulary and culture for RedNote posts, in both directions.

    from translator.glossary import default_glossary
    glossary = default_glossary()
    glossary.find("这家火锅yyds")          # -> [Note(term='yyds', start=4, end=8, ...)]
    glossary.rewrite("这家火锅yyds")       # -> ('这家火锅最棒', [Rewrite(...)]) before translating

The data lives in `data/*.toml` (schema in data/README.md); a user's own entries in
`user_glossary_path()` add to or override it. Importing this package loads nothing.
"""

from __future__ import annotations

from .loader import DATA_DIR, builtin_paths, default_glossary, load_glossary, user_glossary_path
from .matcher import Glossary
from .model import CATEGORIES, LANGS, REGISTERS, RISKY_REGISTERS, Entry, GlossaryError, Note, Rewrite

__all__ = [
    "CATEGORIES",
    "DATA_DIR",
    "LANGS",
    "REGISTERS",
    "RISKY_REGISTERS",
    "Entry",
    "Glossary",
    "GlossaryError",
    "Note",
    "Rewrite",
    "builtin_paths",
    "default_glossary",
    "load_glossary",
    "user_glossary_path",
]
