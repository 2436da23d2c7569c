"""Traditional characters read as Simplified for matching, one character for one.

The glossary, its rules and jieba know Simplified forms; a post in Traditional (這家火鍋店 絕絕子)
is matched through its Simplified form. Offsets must keep their meaning, so the conversion
never changes the length: OpenCC's phrase-level conversion is used when it keeps the length
(almost always), else each Chinese run is converted on its own, and a run whose conversion
still changes length is converted character by character (a character whose conversion is not
one character stays as written).
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

from translator.scripts import HAN_RUN

_lock = threading.Lock()
_t2s: Any = None


def _converter() -> Any:
    global _t2s
    with _lock:
        if _t2s is None:
            import opencc

            _t2s = opencc.OpenCC("t2s")
        return _t2s


def converter_files() -> list[Path]:
    """What the conversion depends on besides this module: OpenCC's own module file, which a new
    OpenCC (with other tables) replaces. Found without importing OpenCC."""
    spec = importlib.util.find_spec("opencc")
    return [Path(spec.origin)] if spec is not None and spec.origin else []


def to_simplified(text: str) -> str:
    """`text` with Traditional characters made Simplified; same length, same offsets."""
    if HAN_RUN.search(text) is None:
        return text
    converter = _converter()
    try:
        converted = converter.convert(text)
    except UnicodeEncodeError:  # lone surrogates: convert the Chinese runs alone
        converted = ""
    if len(converted) == len(text):
        return converted
    pieces = []
    done = 0
    for run in HAN_RUN.finditer(text):
        chars = run.group()
        piece = converter.convert(chars)
        if len(piece) != len(chars):
            piece = "".join(c if len(c2 := converter.convert(c)) != 1 else c2 for c in chars)
        pieces += [text[done : run.start()], piece]
        done = run.end()
    pieces.append(text[done:])
    return "".join(pieces)
