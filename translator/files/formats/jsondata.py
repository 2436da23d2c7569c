"""JSON and JSON Lines: string values translated in place, every other byte of the file kept.

`json.load` + `json.dump` would reformat the file (indentation, escapes, number spellings), so the
file is never re-serialised: a tokenizer finds each string value's exact span and only those spans
are replaced. A JSON file whose top level is an array is translated one element at a time (the
usual shape of an export: one element per post); a JSONL file one line at a time, streaming.

Which values are translated
  Without --fields: every string value that looks like prose (`..prose.looks_like_prose`); keys,
  numbers, booleans, ids, URLs, dates and hashtag lists are left alone, and so is text already in
  the target language.
  With --fields: comma-separated dotted paths of object keys. Lists are transparent: `comments.text`
  is the `text` of every element of the `comments` list (at any depth of nesting). A path segment
  may also be `*` (any key, or any list element) or a list index (`comments.0.text`: the first
  comment only). A path that ends at a string selects it whatever it looks like; a path that ends
  at an object or a list selects the prose inside it (by the rule above). Keys that contain dots
  cannot be named.

Bilingual output keeps every original value and adds the translation next to it:
  - a translated member `"title": "..."` gets a sibling `"title_en": "..."` right after it;
  - translated strings inside a list that is the value of member `tags` give a sibling `tags_en`
    after the list: a copy of the list with its strings translated;
  - a string with no member name above it (a JSONL line that is just a string, strings in a
    top-level list) becomes `["original", "translation"]`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TextIO

from ...errors import UsageError
from ...languages import SUPPORTED
from ..errors import FieldsNotFoundError, MalformedFileError
from ..pipeline import Item
from ..prose import has_prose, is_label_key, looks_like_prose
from . import ParseContext, split_ending

# Strings (with escapes) and the punctuation that gives JSON its structure. Numbers and literals
# are skipped: they never affect which member or element a string belongs to.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]', re.DOTALL)

PathKey = tuple[str | int, ...]
#: Paths of string values named in the error for --fields that match nothing.
SHOWN_PATHS = 30


@dataclass(frozen=True)
class _Member:
    """Where an object member is written: enough to write a sibling member in the same style."""

    key: str
    #: The white space before the key (newline and indentation in pretty-printed files).
    indent: str
    #: What separates key and value, colon included (`": "`).
    separator: str


@dataclass(frozen=True)
class _String:
    start: int
    end: int
    value: str
    member: _Member | None
    #: Start of the outermost list between this string and its member, if it is inside one.
    list_start: int | None


@dataclass
class _ObjectFrame:
    expecting_key: bool = True
    key: str = ""
    key_start: int = 0
    key_end: int = 0
    member_start: int = 0


@dataclass
class _ListFrame:
    index: int = 0
    member: _Member | None = None
    list_start: int | None = None


@dataclass
class _Scan:
    strings: list[tuple[_String, PathKey]] = field(default_factory=list)
    #: Start -> end of each outermost list under a member (where a bilingual sibling goes).
    list_ends: dict[int, int] = field(default_factory=dict)
    #: Spans of the elements of a top-level list.
    elements: list[tuple[int, int]] = field(default_factory=list)
    root_is_list: bool = False
    root_seen: bool = False


class _ScanError(Exception):
    """The tokens do not nest: let `json.loads` say where and why."""


def _scan(text: str) -> _Scan:
    """Find every string value with its path, member and list."""
    scan = _Scan()
    stack: list[_ObjectFrame | _ListFrame] = []
    element_start: int | None = None
    for match in _TOKEN.finditer(text):
        token = match.group()
        start = match.start()
        top = stack[-1] if stack else None
        if token == ",":
            if isinstance(top, _ObjectFrame):
                top.expecting_key, top.member_start = True, match.end()
            elif isinstance(top, _ListFrame):
                top.index += 1
                if len(stack) == 1:
                    scan.elements.append((element_start or 0, start))
                    element_start = match.end()
            continue
        if token == ":":
            if not isinstance(top, _ObjectFrame) or top.expecting_key:
                raise _ScanError
            continue
        if token in "}]":
            frame = stack.pop() if stack else None
            if isinstance(frame, _ListFrame) != (token == "]") or frame is None:
                raise _ScanError
            if isinstance(frame, _ListFrame) and frame.list_start is not None:
                # Nested lists share their outermost list's start; that one closes last.
                scan.list_ends[frame.list_start] = match.end()
            if not stack and isinstance(frame, _ListFrame):
                scan.elements.append((element_start or 0, start))
            continue
        if isinstance(top, _ObjectFrame) and top.expecting_key:
            if token[0] != '"':
                raise _ScanError
            top.key, top.key_start, top.key_end = _decode(token), start, match.end()
            top.expecting_key = False
            continue
        # A value starts here: a string, an object or a list.
        if top is None:
            if scan.root_seen:
                raise _ScanError
            scan.root_seen = True
        member = _member(text, top, start) if isinstance(top, _ObjectFrame) else None
        path = tuple(frame.key if isinstance(frame, _ObjectFrame) else frame.index for frame in stack)
        if token[0] == '"':
            list_start = top.list_start if isinstance(top, _ListFrame) else None
            owner = top.member if isinstance(top, _ListFrame) else member
            scan.strings.append((_String(start, match.end(), _decode(token), owner, list_start), path))
        elif token == "{":
            stack.append(_ObjectFrame(member_start=match.end()))
        else:
            if isinstance(top, _ListFrame):
                stack.append(_ListFrame(member=top.member, list_start=top.list_start))
            else:
                stack.append(_ListFrame(member=member, list_start=start if member else None))
                if top is None:
                    scan.root_is_list = True
                    element_start = match.end()
    if stack:
        raise _ScanError
    return scan


def _decode(token: str) -> str:
    # Most strings have no escapes; json.loads on each would be half the time of a large file.
    return token[1:-1] if "\\" not in token else json.loads(token)


def _member(text: str, frame: _ObjectFrame, value_start: int) -> _Member:
    return _Member(frame.key, text[frame.member_start : frame.key_start], text[frame.key_end : value_start])


# -- which strings to translate ------------------------------------------------------------------

_EXACT, _INSIDE = "exact", "inside"


#: A folder or file name that makes a JSON file an app's strings (`src/lang/zh-CN.json`,
#: `locales/zh_CN/common.json`, `i18n/zh_SIMPLIFIED.json`): a locale code or an i18n folder.
_STRING_TABLE_PART = re.compile(
    rf"(?:{'|'.join(SUPPORTED)})(?:[-_][A-Za-z0-9]+)*|locales?|i18n|l10n|lang|langs|languages|translations",
    re.IGNORECASE,
)


def _is_string_table(name: str) -> bool:
    """Whether the file at `name` holds an app's messages: every value is a text to translate,
    whatever its key says (`usernameLabel`, `createdAt` and `ItemCount` name messages there, not
    data), and a single word ("Cancel", "昨天") is a message too."""
    parts = PurePath(name).with_suffix("").parts
    return any(_STRING_TABLE_PART.fullmatch(part) for part in parts[-3:])


class _Fields:
    """`--fields` paths, matched against the paths of string values (with a memo: exports repeat
    the same few paths millions of times). `messages`: the file is an app's string table."""

    def __init__(self, fields: tuple[str, ...] | None, messages: bool = False) -> None:
        self.messages = messages
        self.patterns: list[tuple[str, ...]] | None = None
        if fields is not None:
            self.patterns = []
            for spec in fields:
                parts = tuple(spec.split("."))
                if not all(parts):
                    raise UsageError(f"bad field path {spec!r}: use dotted keys such as comments.text")
                self.patterns.append(parts)
        self._memo: dict[PathKey, str | None] = {}
        #: Whether any string value matched a field, and (a sample of) the paths that exist.
        self.matched = False
        self.seen: dict[str, None] = {}

    def wants(self, path: PathKey, value: str) -> bool:
        if self.patterns is None and self.messages:
            return has_prose(value) and not _is_json_text(value)
        if self.patterns is None:
            key = next((part for part in reversed(path) if isinstance(part, str)), "")
            # The key first: it is one dictionary look-up, and spares segmenting every nickname.
            return not is_label_key(key) and looks_like_prose(value) and not _is_json_text(value)
        how = self._memo.get(path, "?")
        if how == "?":
            if len(self._memo) > 100_000:
                self._memo.clear()
            how = self._memo[path] = _best(_match(pattern, path) for pattern in self.patterns)
            if len(self.seen) < SHOWN_PATHS:
                self.seen[".".join(part for part in path if isinstance(part, str))] = None
        self.matched = self.matched or how is not None
        # A value that is itself JSON (tool calls, API dumps) must still parse: left alone.
        wanted = how == _EXACT or (how == _INSIDE and looks_like_prose(value))
        return wanted and not _is_json_text(value)

    def check(self, name: str) -> None:
        """Raise `FieldsNotFoundError` when fields were named and none matched a string value."""
        if self.patterns is not None and not self.matched:
            fields = [".".join(pattern) for pattern in self.patterns]
            raise FieldsNotFoundError(name, fields, [path for path in self.seen if path])


def _is_json_text(value: str) -> bool:
    """A string whose content is a JSON object or array (checked only when it looks like one)."""
    stripped = value.strip()
    if not (stripped[:1] == "{" and stripped[-1:] == "}") and not (stripped[:1] == "[" and stripped[-1:] == "]"):
        return False
    try:
        _validate(stripped)
    except ValueError:
        return False
    return True


def _best(matches: Iterator[str | None]) -> str | None:
    found = [how for how in matches if how]
    return _EXACT if _EXACT in found else (found[0] if found else None)


def _match(pattern: tuple[str, ...], path: PathKey) -> str | None:
    """How `path` relates to `pattern`: the value itself, something inside it, or neither."""
    if not pattern:
        if all(isinstance(key, int) for key in path):
            return _EXACT
        return _INSIDE
    if not path:
        return None
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        if pattern[0] in ("*", str(head)):
            how = _match(pattern[1:], rest)
            if how:
                return how
        return _match(pattern, rest)
    if pattern[0] in ("*", head):
        return _match(pattern[1:], rest)
    return None


# -- putting translations back ------------------------------------------------------------------


@dataclass
class Record:
    """One JSON value (a JSONL line or an element of a top-level list) with its chosen strings."""

    text: str
    strings: list[_String]
    list_ends: dict[int, int]
    ending: str = ""

    @property
    def texts(self) -> Sequence[str]:
        return [string.value for string in self.strings]

    def render(self, translations: Sequence[str | None], target: str, bilingual: bool) -> str:
        done = [
            (string, translation)
            for string, translation in zip(self.strings, translations, strict=True)
            if translation is not None
        ]
        edits = (
            self._bilingual_edits(done, target)
            if bilingual
            else [
                (string.start, string.end, self._encode(string, translation))
                for string, translation in done
                if translation != string.value
            ]
        )
        return _apply(self.text, edits) + self.ending

    def _encode(self, string: _String, translation: str) -> str:
        # Keep the file's habit: \\u-escaped non-ASCII stays escaped.
        return json.dumps(translation, ensure_ascii="\\u" in self.text[string.start : string.end])

    def _bilingual_edits(self, done: list[tuple[_String, str]], target: str) -> list[tuple[int, int, str]]:
        edits: list[tuple[int, int, str]] = []
        lists: dict[int, _Member] = {}
        for string, translation in done:
            if string.member is None:
                original = self.text[string.start : string.end]
                edits.append((string.start, string.end, f"[{original}, {self._encode(string, translation)}]"))
            elif string.list_start is None:
                edits.append(
                    (string.end, string.end, self._sibling(string.member, target, self._encode(string, translation)))
                )
            else:
                lists[string.list_start] = string.member
        for start, member in lists.items():
            end = self.list_ends[start]
            inside = [
                (string.start - start, string.end - start, self._encode(string, translation))
                for string, translation in done
                if start <= string.start < end and translation != string.value
            ]
            copy = _apply(self.text[start:end], inside)
            edits.append((end, end, self._sibling(member, target, copy)))
        return edits

    @staticmethod
    def _sibling(member: _Member, target: str, value: str) -> str:
        # The first member of an object has no white space before it in `{"a": 1, "b": 2}`.
        indent = member.indent if "\n" in member.indent or not member.separator.endswith(" ") else " "
        return f",{indent}{json.dumps(f'{member.key}_{target}', ensure_ascii=False)}{member.separator}{value}"


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        parts.append(text[position:start])
        parts.append(replacement)
        position = end
    parts.append(text[position:])
    return "".join(parts)


# -- reading files ------------------------------------------------------------------------------


class _Cursor:
    """Walks the strings and lists of a scan in file order, so that cutting a top-level array into
    records takes each string once: linear in the file, not elements x strings."""

    def __init__(self, scan: _Scan) -> None:
        self._scan = scan
        self._strings = 0
        self._list_starts = sorted(scan.list_ends)
        self._lists = 0

    def take(self, start: int, end: int) -> tuple[list[tuple[_String, PathKey]], dict[int, int]]:
        strings = self._scan.strings
        first = self._strings
        while self._strings < len(strings) and strings[self._strings][0].start < end:
            self._strings += 1
        first_list = self._lists
        while self._lists < len(self._list_starts) and self._list_starts[self._lists] < end:
            self._lists += 1
        lists = {
            list_start: self._scan.list_ends[list_start]
            for list_start in self._list_starts[first_list : self._lists]
            if list_start >= start
        }
        return [item for item in strings[first : self._strings] if item[0].start >= start], lists


def _record(text: str, cursor: _Cursor, start: int, end: int, fields: _Fields, ending: str = "") -> Item:
    """The part text[start:end] as a Record, or as plain structure when nothing in it is prose."""
    found, lists = cursor.take(start, end)
    strings = [
        _String(
            string.start - start,
            string.end - start,
            string.value,
            string.member,
            None if string.list_start is None else string.list_start - start,
        )
        for string, path in found
        if fields.wants(path, string.value)
    ]
    if not strings:
        return text[start:end] + ending
    list_ends = {list_start - start: list_end - start for list_start, list_end in lists.items()}
    return Record(text[start:end], strings, list_ends, ending)


def _validate(text: str) -> None:
    """Check that `text` is JSON. Numbers are not converted (an integer of 5,000 digits is valid
    JSON); nesting deeper than Python's parser goes raises `_TooDeepError`."""
    try:
        json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except RecursionError:
        raise _TooDeepError from None


class _TooDeepError(ValueError):
    """JSON nested too deeply for Python's parser."""


def _malformed(context: ParseContext, text: str, first_line: int = 1) -> MalformedFileError:
    try:
        _validate(text)
    except _TooDeepError:
        return MalformedFileError(context.name, "JSON nested too deeply to read safely", first_line)
    except json.JSONDecodeError as error:
        return MalformedFileError(
            context.name, f"invalid JSON: {error.msg} (column {error.colno})", first_line + error.lineno - 1
        )
    return MalformedFileError(context.name, "invalid JSON", first_line)


def parse_jsonl(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    fields = _Fields(context.fields)
    yield from _json_lines(stream, context, fields)
    fields.check(context.name)


def json_line_items(lines: Iterable[str], context: ParseContext) -> Iterator[Item]:
    """The items of some lines of a JSONL file, as `parse_jsonl` reads them but without its check
    that --fields matched something: a caller that splits a file into batches checks the file."""
    return _json_lines(lines, context, _Fields(context.fields))


def _json_lines(lines: Iterable[str], context: ParseContext, fields: _Fields) -> Iterator[Item]:
    for number, raw in enumerate(lines, 1):
        line, ending = split_ending(raw)
        if not line.strip():
            yield raw
            continue
        try:
            _validate(line)
            scan = _scan(line)
        except (ValueError, _ScanError):
            raise _malformed(context, line, number) from None
        yield _record(line, _Cursor(scan), 0, len(line), fields, ending)


def parse_json(stream: TextIO, context: ParseContext) -> Iterator[Item]:
    """A whole JSON document; a top-level list is translated (and validated) element by element.
    A `.json` file that holds JSON Lines (one document per line) is read as JSON Lines."""
    fields = _Fields(context.fields, messages=_is_string_table(context.name))
    text = stream.read()
    try:
        scan = _scan(text)
    except _ScanError:
        scan = None
    if scan is None or (not scan.root_is_list and not _is_valid(text)):
        if not _is_json_lines(text):
            raise _malformed(context, text)
        yield from _json_lines(text.splitlines(keepends=True), context, fields)
    elif not scan.root_is_list:
        yield _record(text, _Cursor(scan), 0, len(text), fields)
    else:
        yield from _elements(text, scan, context, fields)
    fields.check(context.name)


def _is_valid(text: str) -> bool:
    try:
        _validate(text)
    except ValueError:
        return False
    return True


def _is_json_lines(text: str) -> bool:
    """Two or more lines, the first of which is a JSON document on its own."""
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) > 1 and _is_valid(lines[0])


def _elements(text: str, scan: _Scan, context: ParseContext, fields: _Fields) -> Iterator[Item]:
    if text[: text.index("[")].strip():
        raise _malformed(context, text)
    cursor = _Cursor(scan)
    position = 0
    line = 1
    for start, end in scan.elements:
        line += text.count("\n", position, start)
        element = text[start:end]
        if element.strip() and not _is_valid(element):
            raise _malformed(context, element, line)
        yield text[position:start]
        yield _record(text, cursor, start, end, fields)
        line += text.count("\n", start, end)
        position = end
    if text[position:].strip() not in ("]", ""):
        raise _malformed(context, text)
    yield text[position:]
