"""The language codes that LibreTranslate, DeepL and DeepLX clients send, mapped to zhen's.

The one place these aliases live: every route asks `parse_target` / `parse_source`.
"""

from __future__ import annotations

from dataclasses import dataclass

from translator.languages import SUPPORTED, Script, language_name

#: What a client's code means: zhen's language, and for Chinese the output script.
_ALIASES: dict[str, tuple[str, Script]] = {
    "zh": ("zh", "Hans"),
    "zh-hans": ("zh", "Hans"),
    "zh-cn": ("zh", "Hans"),
    "zh-sg": ("zh", "Hans"),
    "zh-hant": ("zh", "Hant"),
    "zt": ("zh", "Hant"),
    "zh-tw": ("zh", "Hant"),
    "zh-hk": ("zh", "Hant"),
    "en": ("en", "Hans"),
    "en-us": ("en", "Hans"),
    "en-gb": ("en", "Hans"),
}
AUTO = "auto"

#: The codes `GET /languages` lists, as LibreTranslate 1.9 names them, plus the older `zh`/`zt`.
_LISTED: tuple[tuple[str, str], ...] = (
    ("en", language_name("en")),
    ("zh-Hans", "Chinese (Simplified)"),
    ("zh-Hant", "Chinese (Traditional)"),
    ("zh", language_name("zh")),
    ("zt", "Chinese (Traditional)"),
)


class UnknownLanguage(ValueError):
    """A code the server does not translate; the message is the API's error text."""


@dataclass(frozen=True)
class Target:
    lang: str
    script: Script

    @property
    def deepl_code(self) -> str:
        return deepl_code(self.lang)


def _lookup(code: str) -> tuple[str, Script]:
    normal = code.strip().replace("_", "-").lower()
    if normal not in _ALIASES or _ALIASES[normal][0] not in SUPPORTED:
        raise UnknownLanguage(f"{code} is not supported")
    return _ALIASES[normal]


def parse_target(code: str) -> Target:
    """The target of a request; raises UnknownLanguage for `auto` and for unknown codes."""
    lang, script = _lookup(code)
    return Target(lang, script)


def parse_source(code: str) -> str | None:
    """zhen's code for a request's source, None for `auto` (or nothing: DeepL's default)."""
    if not code or code.strip().lower() == AUTO:
        return None
    return _lookup(code)[0]


def deepl_code(lang: str) -> str:
    """DeepL's upper-case code for a detected language ("ZH"); "" stays ""."""
    return lang.upper()


def languages() -> list[dict[str, object]]:
    """The body of `GET /languages`: every code can be translated into every other."""
    codes = [code for code, _ in _LISTED]
    return [{"code": code, "name": name, "targets": codes} for code, name in _LISTED]
