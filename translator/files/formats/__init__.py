"""The file formats zhen translates, and how a file's format is recognised.

Each format module has `parse(stream, context) -> Iterator[Item]` (see `..pipeline`): it reads a
text stream opened with `newline=""` (so line endings arrive untouched) and yields structure as
plain strings and prose as units.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from ...errors import UsageError
from ...scripts import is_cjk_wide
from ..pipeline import Item

#: Format name -> (module, parse function name).
FORMATS: dict[str, tuple[str, str]] = {
    "txt": ("txt", "parse"),
    "md": ("markdown", "parse"),
    "srt": ("subtitles", "parse_srt"),
    "vtt": ("subtitles", "parse_vtt"),
    "ass": ("ass", "parse"),
    "lrc": ("lrc", "parse"),
    "html": ("htmldoc", "parse"),
    "json": ("jsondata", "parse_json"),
    "jsonl": ("jsondata", "parse_jsonl"),
    "csv": ("csvdata", "parse"),
    "parquet": ("parquet", "parse"),
}

#: Binary formats, translated as tables (`parquet.ParquetTable`) rather than parsed from text.
TABLE_FORMATS = frozenset({"parquet"})

#: Formats whose Windows readers (Excel, VSFilter and other subtitle renderers, music players)
#: take a file without a BOM for the system's code page: one that came in GBK, Big5 or UTF-16 goes
#: out in UTF-8 with a BOM, or it would open as mojibake on the machine it came from.
MARKED_UTF8_FORMATS = frozenset({"csv", "srt", "ass", "lrc"})

#: File extensions (lower case) picked up from directories and recognised without --format.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".srt": "srt",
    ".vtt": "vtt",
    ".ass": "ass",
    ".ssa": "ass",
    ".lrc": "lrc",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
}

_LINE_ENDING = re.compile(r"(\r\n|\r|\n)\Z")
#: A time in LRC lyrics: minutes, seconds and hundredths (`01:02.35`; some write `01:02:35`).
LRC_TIME = r"\d{1,3}:\d{1,2}(?:[.:]\d{1,3})?"
#: How lyrics start: an ID tag (`[ti:晴天]`, `[ar:...]`, `[offset:+200]`) or a time tag.
_LRC_FIRST_LINE = re.compile(rf"\[(?:(?:ti|ar|al|au|by|re|ve|length|offset|#)\s*:|{LRC_TIME}\])")


@dataclass(frozen=True)
class ParseContext:
    """What a parser needs besides the text: the name for error messages, `--fields`, and whether
    a CSV file starts with a header (`--no-header`)."""

    name: str
    fields: tuple[str, ...] | None = None
    header: bool = True


Parser = Callable[[TextIO, ParseContext], Iterator[Item]]


def parser_for(format_name: str) -> Parser:
    module_name, function = FORMATS[format_name]
    module = importlib.import_module(f"{__name__}.{module_name}")
    parse: Parser = getattr(module, function)
    return parse


def table_format(path: str | Path | None, requested: str | None = None) -> str | None:
    """The table format (`TABLE_FORMATS`) to read a file as, or None for a text format."""
    if requested and requested != "auto":
        name: str | None = requested
    else:
        name = EXTENSIONS.get(Path(path).suffix.lower()) if path is not None else None
    return name if name in TABLE_FORMATS else None


def format_for(path: str | Path | None, sample: str, requested: str | None = None) -> str:
    """The format to read a file as: `requested`, else its extension, else its first lines."""
    if requested and requested != "auto":
        if requested not in FORMATS:
            raise UsageError(f"unknown format {requested!r}: choose one of auto, {', '.join(FORMATS)}")
        return requested
    if path is not None:
        by_extension = EXTENSIONS.get(Path(path).suffix.lower())
        if by_extension:
            return by_extension
    sniffed = sniff_format(sample)
    if sniffed:
        return sniffed
    if path is None:
        raise UsageError("cannot tell the format of standard input: add --format txt, md, csv ...")
    return "txt"


def sniff_format(sample: str) -> str | None:
    """Recognise subtitles and JSON by their first lines; None when it could be anything."""
    lines = sample.lstrip("\ufeff").splitlines()
    first = next((line.strip() for line in lines if line.strip()), "")
    if first.startswith("WEBVTT"):
        return "vtt"
    if first.lower() == "[script info]":
        return "ass"
    if _LRC_FIRST_LINE.match(first):
        return "lrc"
    if first[:14].lower().startswith(("<!doctype html", "<html")):
        return "html"
    non_blank = [line.strip() for line in lines if line.strip()][:2]
    if len(non_blank) == 2 and non_blank[0].isdigit() and "-->" in non_blank[1]:
        return "srt"
    if first.startswith("{") and len(non_blank) == 2 and non_blank[1].startswith("{"):
        try:
            json.loads(first)
        except ValueError:
            return "json"
        return "jsonl"
    if first.startswith(("{", "[")):
        return "json"
    return None


def split_ending(line: str) -> tuple[str, str]:
    """("text", "\\r\\n") for "text\\r\\n": a line and its line ending."""
    match = _LINE_ENDING.search(line)
    return (line[: match.start()], match.group()) if match else (line, "")


def join_lines(lines: Sequence[str]) -> str:
    """The lines of a paragraph or a cue as one text: Chinese lines join without a space, others
    with one; empty lines add nothing. Linear: the text so far is never copied."""
    pieces: list[str] = []
    last = ""  # the last line with text: what the next one is joined to
    for line in lines:
        if last and line:
            pieces.append("" if is_cjk_wide(last[-1]) and is_cjk_wide(line[0]) else " ")
        pieces.append(line)
        last = line or last
    return "".join(pieces)


def split_padding(text: str) -> tuple[str, str, str]:
    """("  ", "text", " ") for "  text ": leading white space, content, trailing white space."""
    body = text.strip()
    if not body:
        return text, "", ""
    start = text.index(body)
    return text[:start], body, text[start + len(body) :]


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "LRC_TIME",
    "MARKED_UTF8_FORMATS",
    "TABLE_FORMATS",
    "ParseContext",
    "format_for",
    "join_lines",
    "parser_for",
    "sniff_format",
    "split_ending",
    "split_padding",
    "table_format",
]
