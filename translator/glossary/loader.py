"""Reads and validates glossary TOML files: the built-in data and the user's own glossary.

TOML parsers give no line numbers for values, yet a contributor fixing entry 212 of 300 needs
one, so the loader finds them in the raw text: the n-th `[[entry]]` header is the n-th table of
the parsed list, and a field's line is the first `field =` line between that header and the next.

Policy for the user glossary (`user_glossary_path()`, same schema):
- an entry whose term is a built-in term or variant overrides that entry field by field (it may
  give only `term` and the fields to change); any other entry is a new, complete entry;
- its terms take precedence over built-in ones when they collide;
- `load_glossary` raises GlossaryError for a broken user file (so `zhen glossary check` can say
  what is wrong), while `default_glossary()` logs a warning, records it in `Glossary.problems`
  and carries on with the built-in data: a typo in a personal file must not stop the app.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
import re
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from translator.scripts import is_han
from translator.statefile import check_depth, read_derived, write_derived
from translator.terminal import visible

from . import matcher, model, simplified
from .matcher import Glossary, fold, normalise
from .model import (
    CATEGORIES,
    FIELDS,
    FLAG_FIELDS,
    LANGS,
    LIST_FIELDS,
    REGISTERS,
    REQUIRED,
    REQUIRED_FOR,
    Entry,
    GlossaryError,
)
from .senses import compile_rule

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised only on 3.10
    import tomli as tomllib

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).with_name("data")

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*(?:entry|\"entry\"|'entry')[ \t]*\]\]", re.MULTILINE)
_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column \d+\)$|\s*\(at end of document\)$")
_TONE_NUMBER = re.compile(r"[a-zü][1-5]\b", re.IGNORECASE)

# Limits that keep a hostile or broken file from hanging or exhausting zhen (a term of a million
# characters made every search slow; tables nested thousands deep overflow the TOML parser).
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 16
MAX_TERM_CHARS = 80
MAX_TEXT_CHARS = 4000
MAX_LIST_ITEMS = 200
MAX_RULE_CHARS = 2000


def user_glossary_path() -> Path:
    """Where a user keeps their own entries: `<user config dir>/zhen/glossary.toml`."""
    from translator.locations import user_glossary_file

    return user_glossary_file()


def builtin_paths() -> list[Path]:
    return sorted(DATA_DIR.glob("*.toml"))


@dataclass(frozen=True)
class _RawEntry:
    """One `[[entry]]` table as parsed, with the raw text around it to point at its lines."""

    data: dict[str, Any]
    file: str
    header_line: int
    raw: str
    start: int  # offsets of this entry's text in `raw`, header included
    end: int

    def where(self, field: str | None = None) -> str:
        """`file:line` of a field's `key =` line, or of the header. Searched only on demand:
        finding every field's line up front would cost more than parsing the file."""
        line = self.header_line
        if field is not None:
            match = _key_pattern(field).search(self.raw, self.start, self.end)
            if match:
                line += self.raw.count("\n", self.start, match.start())
        return f"{self.file}:{line}"

    @property
    def label(self) -> str:
        term = self.data.get("term")
        return f"entry {_shown(term)}" if isinstance(term, str) and term else "entry without a term"


@lru_cache(maxsize=64)
def _key_pattern(key: str) -> re.Pattern[str]:
    quoted = re.escape(key)
    return re.compile(rf"^[ \t]*(?:{quoted}|\"{quoted}\"|'{quoted}')[ \t]*=", re.MULTILINE)


def _key_line(raw: str, key: str) -> int:
    match = _key_pattern(key).search(raw)
    return raw.count("\n", 0, match.start() if match else 0) + 1


def _display_name(path: Path) -> str:
    # Built-in files are named as contributors see them in the data folder; a user file by the
    # path they gave, so the message leads back to it.
    return path.name if path.parent == DATA_DIR else str(path)


def _read_file(path: Path) -> list[_RawEntry]:
    name = _display_name(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise GlossaryError(f"{name}: larger than {MAX_FILE_BYTES // (1024 * 1024)} MB: not a glossary file")
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise GlossaryError(f"{name}: no such glossary file") from None
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise GlossaryError(f"{name}:{line}: not UTF-8 text: save the file as UTF-8") from None
    except OSError as error:
        raise GlossaryError(f"{name}: cannot read the glossary file ({error.strerror})") from None
    try:
        check_depth(raw, MAX_DEPTH)
        document = tomllib.loads(raw)
    except (ValueError, RecursionError) as error:
        if isinstance(error, tomllib.TOMLDecodeError):
            raise _toml_error(name, raw, error) from None
        raise GlossaryError(f"{name}: values nested more than {MAX_DEPTH} levels deep: not a glossary file") from None

    for key in document:
        if key != "entry":
            raise GlossaryError(
                f"{name}:{_key_line(raw, key)}: unexpected top-level key {key!r}: "
                "a glossary file holds only [[entry]] tables"
            )
    tables = document.get("entry", [])
    if not isinstance(tables, list):
        raise GlossaryError(f"{name}:{_key_line(raw, 'entry')}: 'entry' must be [[entry]] tables")
    headers = [m.start() for m in _HEADER.finditer(raw)]
    if len(headers) != len(tables):
        # Inline tables or a dotted `entry` key: valid TOML, but then lines cannot be located.
        raise GlossaryError(
            f"{name}: found {len(tables)} entries but {len(headers)} [[entry]] header lines: "
            "write each entry as an [[entry]] table"
        )
    entries = []
    line, previous = 1, 0
    for index, (table, start) in enumerate(zip(tables, headers, strict=True)):
        line += raw.count("\n", previous, start)
        previous = start
        end = headers[index + 1] if index + 1 < len(headers) else len(raw)
        entries.append(_RawEntry(table, name, line, raw, start, end))
    return entries


def _toml_error(name: str, raw: str, error: tomllib.TOMLDecodeError) -> GlossaryError:
    message = str(error)
    match = _TOML_POSITION.search(message)
    line = match.group(1) if match and match.group(1) else str(raw.count("\n") + 1)
    detail = message[: match.start()] if match else message
    return GlossaryError(f"{name}:{line}: invalid TOML: {visible(detail, keep_newlines=False)}")


def _limit_problem(key: str, value: Any) -> str:
    """Why a value breaks the size limits or holds control characters, or ""."""
    items = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) > MAX_LIST_ITEMS:
        return f"has more than {MAX_LIST_ITEMS} items"
    limit = (
        MAX_TERM_CHARS
        if key in ("term", "variants")
        else MAX_RULE_CHARS
        if key in ("slang_when", "literal_when")
        else MAX_TEXT_CHARS
    )
    for item in items:
        if not isinstance(item, str):
            continue
        if len(item) > limit:
            return f"is longer than {limit} characters"
        # Spellings are one line of printable text; other text may hold line breaks and tabs.
        if key in ("term", "variants") and not all(c.isprintable() for c in item):
            return f"contains a control or invisible character ({_shown(item)})"
        # Rules are never displayed raw; a backspace there is "\b" written in a TOML basic string,
        # which `zhen glossary check` points out (checks.py).
        if visible(item) != item and key not in ("slang_when", "literal_when"):
            return f"contains a control character ({_shown(item)}): remove it"
    return ""


def _shown(value: str) -> str:
    """A value quoted for a one-line message: control characters escaped, long ones cut."""
    return repr(value) if len(value) <= 60 else repr(value[:60]) + "..."


def _fail(raw: _RawEntry, field: str | None, problem: str, located_by: Callable[[str], str] | None = None) -> None:
    where = (located_by or raw.where)(field) if field else raw.where()
    subject = f"field {field!r} " if field else ""
    raise GlossaryError(f"{where}: {raw.label}: {subject}{problem}")


def _validate(raw: _RawEntry, data: dict[str, Any], located_by: Callable[[str], str] | None = None) -> Entry:
    """Check one (possibly merged) entry and build it; `located_by` maps a field to file:line."""

    def fail(field: str | None, problem: str) -> None:
        _fail(raw, field, problem, located_by)

    for key in data:
        if key not in FIELDS:
            close = difflib.get_close_matches(key, FIELDS, n=1)
            fail(key, "is not a glossary field" + (f" (did you mean {close[0]!r}?)" if close else ""))
    for key, value in data.items():
        problem = _limit_problem(key, value)
        if problem:
            fail(key, problem)
        if key in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                fail(key, f"must be a list of strings (got {value!r})")
        elif key in FLAG_FIELDS:
            if not isinstance(value, bool):
                fail(key, f"must be true or false (got {value!r})")
        elif not isinstance(value, str):
            fail(key, f"must be a string (got {value!r})")
        elif not value.strip():
            fail(key, "must not be empty (leave the field out instead)")
        elif value != value.strip():
            fail(key, f"must not start or end with spaces (got {value!r})")

    lang = data.get("lang")
    if lang is not None and lang not in LANGS:
        fail("lang", f"must be one of {', '.join(LANGS)} (got {lang!r})")
    for field in REQUIRED:
        if field not in data:
            fail(None, f"missing required field {field!r}")
    for field in REQUIRED_FOR[str(lang)]:
        if field not in data:
            fail(None, f"missing field {field!r}, required for lang = {lang!r}")
    if data["category"] not in CATEGORIES:
        fail("category", f"must be one of {', '.join(CATEGORIES)} (got {data['category']!r})")
    if data["register"] not in REGISTERS:
        fail("register", f"must be one of {', '.join(REGISTERS)} (got {data['register']!r})")

    term = data["term"]
    if lang == "en" and any(is_han(c) for c in term):
        fail("term", 'of an English entry (lang = "en") contains Chinese characters')
    variants = data.get("variants", [])
    seen = {fold(term)}
    for variant in variants:
        if not variant.strip() or variant != variant.strip():
            fail("variants", f"has an empty variant or one with outer spaces ({variant!r})")
        if fold(variant) in seen:
            fail(
                "variants",
                f"repeats {variant!r}: matching ignores Latin case and full-width forms "
                "(ｙｙｄｓ, （）), so list each spelling once",
            )
        seen.add(fold(variant))
    pinyin = data.get("pinyin", "")
    if pinyin:
        if _TONE_NUMBER.search(pinyin):
            fail("pinyin", f"must use tone marks like 'hǎo', not tone numbers (got {pinyin!r})")
        if any(is_han(c) for c in pinyin):
            fail("pinyin", f"must be pinyin, not Chinese characters (got {pinyin!r})")
    if "plain" in data and fold(data["plain"]) in seen:
        fail("plain", "must differ from the term and its variants")

    for field in ("slang_when", "literal_when"):
        for rule in data.get(field, []):
            try:
                compile_rule(rule)
            except ValueError as error:
                fail(field, f"has a rule that {error}: {rule!r}")
    values: dict[str, Any] = {field: data.get(field, "") for field in FIELDS if field not in LIST_FIELDS}
    values.update({field: tuple(data.get(field, ())) for field in LIST_FIELDS})
    values.update({field: bool(data.get(field, False)) for field in FLAG_FIELDS})
    return Entry(source=raw.where(), **values)


def _check_unique(entries: Iterable[Entry], owners: dict[str, Entry], raw_of: dict[int, _RawEntry]) -> None:
    """Every form must name one entry, or the matcher could not tell which note to show."""
    for entry in entries:
        for field, forms in (("term", (entry.term,)), ("variants", entry.variants)):
            for form in forms:
                key = fold(form)
                other = owners.get(key)
                if other is not None and other is not entry:
                    raw = raw_of[id(entry)]
                    _fail(raw, field, f"{form!r} is already defined by entry {other.term!r} at {other.source}")
                owners[key] = entry


def _load_builtin(paths: Iterable[Path]) -> tuple[list[Entry], dict[str, Entry]]:
    entries: list[Entry] = []
    raw_of: dict[int, _RawEntry] = {}
    for path in paths:
        for raw in _read_file(path):
            entry = _validate(raw, raw.data)
            entries.append(entry)
            raw_of[id(entry)] = raw
    owners: dict[str, Entry] = {}
    _check_unique(entries, owners, raw_of)
    return entries, owners


def _apply_user(path: Path, entries: list[Entry], owners: dict[str, Entry]) -> list[Entry]:
    """The built-in entries with the user's overrides and additions, user entries last (they win)."""
    replaced: set[int] = set()
    mine: list[Entry] = []
    raw_of: dict[int, _RawEntry] = {}
    for raw in _read_file(path):
        term = raw.data.get("term")
        base = owners.get(fold(term)) if isinstance(term, str) else None
        if base is None:
            entry = _validate(raw, raw.data)
        else:
            merged = {k: v for k, v in base.to_dict().items() if v and k != "source"}
            merged.update({k: v for k, v in raw.data.items() if k != "term"})

            def locate(field: str, raw: _RawEntry = raw, base: Entry = base) -> str:
                return raw.where(field) if field in raw.data else base.source

            entry = _validate(raw, merged, locate)
            replaced.add(id(base))
        mine.append(entry)
        raw_of[id(entry)] = raw
    # Duplicates inside the user file are mistakes; collisions with built-in forms are overrides.
    _check_unique(mine, {}, raw_of)
    return [entry for entry in entries if id(entry) not in replaced] + mine


def _cache_file() -> Path:
    from translator.locations import glossary_cache_file

    return glossary_cache_file()


def _cache_key(paths: list[Path]) -> tuple[tuple[str, int, int], ...]:
    # Editing a data file, the code that validates or normalises them, or upgrading OpenCC (whose
    # tables make Traditional spellings Simplified) invalidates the cache.
    code = [Path(__file__), Path(model.__file__), Path(matcher.__file__), Path(simplified.__file__)]
    sources = [*paths, *code, *simplified.converter_files()]
    return tuple((str(path), stat.st_size, stat.st_mtime_ns) for path in sources for stat in [path.stat()])


def _load_builtin_cached(paths: list[Path]) -> tuple[list[Entry], dict[str, str]]:
    """The built-in entries, and the matcher's normalised key of each of their spellings, from a
    marshal cache when the files have not changed.

    Parsing ~800 entries of TOML costs 50-100 ms, the cache ~5 ms; normalising their 5,000
    spellings through OpenCC 30 ms more. Any problem with the cache falls back to the TOML files.
    """
    key = _cache_key(paths)
    cache = _cache_file()
    stored = read_derived(cache, key)
    if stored is not None:
        with contextlib.suppress(TypeError, ValueError):  # of another shape: parse the files again
            rows, keys = stored
            if isinstance(keys, dict):
                return [Entry.restored(row) for row in rows], keys
    entries, _ = _load_builtin(paths)
    keys = {form: normalise(form) for entry in entries for form in entry.forms}
    write_derived(cache, key, (tuple(astuple(entry) for entry in entries), keys))
    return entries, keys


def load_glossary(
    paths: Iterable[Path] | None = None,
    *,
    user_file: Path | Literal["default"] | None = "default",
) -> Glossary:
    """Load and validate glossary files (the built-in data by default) plus a user glossary.

    `user_file="default"` uses `user_glossary_path()` when that file exists; None skips it; a
    path must exist. Raises GlossaryError naming file, line and field of the first problem.
    The built-in data (paths=None) is cached in the user cache folder between runs.
    """
    owners: dict[str, Entry] | None = None
    keys: dict[str, str] = {}
    if paths is None:
        entries, keys = _load_builtin_cached(builtin_paths())
    else:
        entries, owners = _load_builtin(paths)
    if user_file == "default":
        default = user_glossary_path()
        user_file = default if default.is_file() else None
    if user_file is not None:
        if owners is None:  # only a user glossary needs them: most runs have none
            owners = {fold(form): entry for entry in entries for form in entry.forms}
        entries = _apply_user(Path(user_file), entries, owners)
    return Glossary(entries, normalised=keys)


#: Held while the default glossary loads: threads that ask at once (the TUI's workers, the
#: server's two translators) wait for one load instead of each making its own.
_default_lock = threading.Lock()


def default_glossary() -> Glossary:
    """The built-in data plus the user glossary, loaded once per process (whichever threads ask).

    A broken user glossary is logged and reported in `Glossary.problems`, and the built-in data
    is used alone; broken built-in data is a bug of zhen and raises GlossaryError.
    `forget_default_glossary()` makes the next call reload (after the user edits the file).
    """
    with _default_lock:
        return _load_default()


def forget_default_glossary() -> None:
    """Make the next `default_glossary()` load the files again."""
    with _default_lock:
        _load_default.cache_clear()


@lru_cache(maxsize=1)
def _load_default() -> Glossary:
    try:
        return load_glossary()
    except GlossaryError as error:
        user_file = user_glossary_path()
        if not user_file.is_file():
            raise
        glossary = load_glossary(user_file=None)
        problem = f"ignoring your glossary {user_file}: {error} (check it with `zhen glossary check {user_file}`)"
        log.warning("%s", problem)
        return Glossary(glossary.entries, problems=(problem,))
