"""Where zhen keeps things on the user's machine: the one home of every per-user path.

Folders follow the platform's conventions (platformdirs): `~/.local/share/zhen`, `~/.cache/zhen`
and `~/.config/zhen` on Linux. Each function returns a path and creates nothing; whoever writes
makes the folder.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "cache_dir",
    "clipboard_file",
    "config_dir",
    "data_dir",
    "default_models_dir",
    "glossary_cache_file",
    "history_file",
    "jieba_trie_file",
    "jieba_words_file",
    "preferences_file",
    "translation_cache_file",
    "user_glossary_file",
]

APP = "zhen"


def data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP))


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP))


def config_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP))


def default_models_dir() -> Path:
    """The model store when nothing else names one (see translator/store.py)."""
    return data_dir() / "models"


def history_file() -> Path:
    return data_dir() / "history.jsonl"


def clipboard_file() -> Path:
    """Where the app also saves what it copies, for terminals that drop clipboard requests."""
    return data_dir() / "copied.txt"


def translation_cache_file() -> Path:
    return cache_dir() / "translations.sqlite3"


def glossary_cache_file() -> Path:
    return cache_dir() / "glossary.marshal"


def jieba_trie_file(key: str) -> Path:
    """jieba's dictionary as a memory-mapped trie; `key` names the dictionary and the layout."""
    return cache_dir() / f"jieba-{key}.marisa"


def jieba_words_file() -> Path:
    """The counts jieba suggested for the glossary's terms (`jieba_trie.add_words`)."""
    return cache_dir() / "glossary-jieba-counts.marshal"


def user_glossary_file() -> Path:
    return config_dir() / "glossary.toml"


def preferences_file() -> Path:
    return config_dir() / "tui.json"
