"""Loading and validating glossary files: every error names file, line and field."""

from __future__ import annotations

import logging
import marshal
import threading
import time
from dataclasses import FrozenInstanceError, astuple
from importlib.machinery import ModuleSpec
from pathlib import Path
from typing import Any

import pytest

from translator.glossary import (
    Entry,
    GlossaryError,
    default_glossary,
    forget_default_glossary,
    load_glossary,
    loader,
    matcher,
    simplified,
)

FIXTURES = Path(__file__).parent / "data" / "glossary"
BUILTIN = sorted((FIXTURES / "builtin").glob("*.toml"))
USER = FIXTURES / "user.toml"

# A valid entry; the error tests break one line of it at a time.
VALID_ZH = """\
# comment line
[[entry]]
term = "yyds"
variants = ["永远的神"]
lang = "zh"
pinyin = "yǒngyuǎn de shén"
meaning = "the GOAT"
note = "Abbreviation of 永远的神."
category = "abbreviation"
register = "playful"
example = "这家火锅真的yyds！"
example_translation = "This hotpot place is truly the GOAT!"
plain = "最棒"
"""

VALID_EN = """\
[[entry]]
term = "mid"
lang = "en"
meaning = "mediocre"
meaning_zh = "一般般"
note = "A put-down."
note_zh = "贬义。"
category = "slang"
register = "playful"
example = "The movie was mid."
example_translation = "这部电影很一般。"
"""


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fixture files as the built-in data and an empty config folder; returns the user file path."""
    monkeypatch.setattr(loader, "DATA_DIR", FIXTURES / "builtin")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_default_glossary()
    yield loader.user_glossary_path()
    forget_default_glossary()


def write(tmp_path: Path, text: str, name: str = "bad.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(*paths: Path, user_file: Path | None = None) -> str:
    with pytest.raises(GlossaryError) as caught:
        load_glossary(list(paths), user_file=user_file)
    return str(caught.value)


def test_fixture_files_load_with_all_fields() -> None:
    glossary = load_glossary(BUILTIN, user_file=None)
    assert len(glossary) == 13
    entry = glossary.lookup("yyds")
    assert entry is not None
    assert entry.variants == ("永远的神",)
    assert (entry.lang, entry.category, entry.register) == ("zh", "abbreviation", "playful")
    assert entry.pinyin == "yǒngyuǎn de shén"
    assert entry.literal == "forever's god"
    assert entry.plain == "最棒"
    assert entry.meaning_zh == ""  # optional fields left out are empty strings
    assert entry.source.endswith("zh.toml:3")
    english = glossary.lookup("no cap")
    assert english is not None and english.note_zh.startswith("Z世代")
    assert english.source.endswith("en.toml:15")


def test_the_exact_message_of_a_bad_register(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_ZH.replace('"playful"', '"fun"'))
    assert error_of(path) == (
        f"{path}:10: entry 'yyds': field 'register' must be one of neutral, playful, vulgar, "
        "offensive, sensitive (got 'fun')"
    )


def test_builtin_files_are_named_without_their_folder(isolated: Path) -> None:
    glossary = load_glossary(user_file=None)
    assert {entry.source.split(":")[0] for entry in glossary.entries} == {"en.toml", "zh.toml"}


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ('"abbreviation"', '"abbrev"', 9, "field 'category' must be one of slang, abbreviation,"),
        ('lang = "zh"', 'lang = "cn"', 5, "field 'lang' must be one of zh, en (got 'cn')"),
        ('meaning = "the GOAT"\n', "", 2, "missing required field 'meaning'"),
        ('pinyin = "yǒngyuǎn de shén"\n', "", 2, "missing field 'pinyin', required for lang = 'zh'"),
        (
            'meaning = "the GOAT"',
            'meanng = "the GOAT"',
            7,
            "field 'meanng' is not a glossary field (did you mean 'meaning'?)",
        ),
        ('variants = ["永远的神"]', 'variants = "永远的神"', 4, "field 'variants' must be a list of strings"),
        ('variants = ["永远的神"]', 'variants = ["YYDS"]', 4, "field 'variants' repeats 'YYDS'"),
        ('variants = ["永远的神"]', 'variants = ["永远的神", "永远的神"]', 4, "field 'variants' repeats '永远的神'"),
        ('plain = "最棒"', 'plain = ""', 13, "field 'plain' must not be empty (leave the field out instead)"),
        ('plain = "最棒"', 'plain = " 最棒"', 13, "field 'plain' must not start or end with spaces"),
        ('plain = "最棒"', 'plain = "永远的神"', 13, "field 'plain' must differ from the term and its variants"),
        ('plain = "最棒"', "plain = 42", 13, "field 'plain' must be a string (got 42)"),
        ("yǒngyuǎn de shén", "yong3 yuan3 de5 shen2", 6, "field 'pinyin' must use tone marks like 'hǎo'"),
        ("yǒngyuǎn de shén", "永远的神", 6, "field 'pinyin' must be pinyin, not Chinese characters"),
    ],
)
def test_entry_errors_name_file_line_and_field(tmp_path: Path, old: str, new: str, line: int, expected: str) -> None:
    assert old in VALID_ZH
    path = write(tmp_path, VALID_ZH.replace(old, new, 1))
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: entry 'yyds': {expected}"), message


@pytest.mark.parametrize(
    ("old", "new", "line", "expected"),
    [
        ('note_zh = "贬义。"\n', "", 1, "entry 'mid': missing field 'note_zh', required for lang = 'en'"),
        ('meaning_zh = "一般般"\n', "", 1, "entry 'mid': missing field 'meaning_zh', required for lang = 'en'"),
        ('term = "mid"', 'term = "mid一般"', 2, "entry 'mid一般': field 'term' of an English entry"),
    ],
)
def test_english_entry_errors(tmp_path: Path, old: str, new: str, line: int, expected: str) -> None:
    path = write(tmp_path, VALID_EN.replace(old, new, 1))
    message = error_of(path)
    assert message.startswith(f"{path}:{line}: {expected}"), message


def test_the_line_is_that_of_the_nth_entry(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_ZH + "\n" + VALID_EN.replace('"slang"', '"gossip"'))
    # VALID_ZH has 13 lines, a blank line follows, then the English entry's category on its line 8.
    assert error_of(path).startswith(f"{path}:22: entry 'mid': field 'category'")


def test_missing_term_is_reported_at_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_ZH.replace('term = "yyds"\n', ""))
    assert error_of(path) == f"{path}:2: entry without a term: missing required field 'term'"


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_ZH.replace('meaning = "the GOAT"', 'meaning = "the GOAT'))
    message = error_of(path)
    assert message.startswith(f"{path}:7: invalid TOML: ")
    assert "(at line" not in message


def test_unexpected_top_level_key(tmp_path: Path) -> None:
    path = write(tmp_path, 'title = "my slang"\n\n' + VALID_ZH)
    assert error_of(path).startswith(f"{path}:1: unexpected top-level key 'title'")


def test_entries_written_inline_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'entry = [{term = "yyds"}]\n')
    assert "write each entry as an [[entry]] table" in error_of(path)


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes(VALID_ZH.encode("gbk"))
    assert error_of(path).startswith(f"{path}:4: not UTF-8 text")


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.toml") == f"{tmp_path / 'nope.toml'}: no such glossary file"


def test_a_form_defined_in_two_builtin_files_is_an_error(tmp_path: Path) -> None:
    first = write(tmp_path, VALID_ZH, "a.toml")
    second = write(tmp_path, VALID_EN.replace('term = "mid"', 'term = "mid"\nvariants = ["YYDS"]'), "b.toml")
    assert error_of(first, second) == (
        f"{second}:3: entry 'mid': field 'variants' 'YYDS' is already defined by entry 'yyds' at {first}:2"
    )


def test_a_term_repeated_in_one_file_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, VALID_ZH + VALID_ZH.replace('variants = ["永远的神"]\n', ""))
    assert (
        error_of(path) == f"{path}:16: entry 'yyds': field 'term' 'yyds' is already defined by entry 'yyds' at {path}:2"
    )


def test_user_entries_override_field_by_field_and_add() -> None:
    builtin = load_glossary(BUILTIN, user_file=None)
    glossary = load_glossary(BUILTIN, user_file=USER)
    assert len(glossary) == len(builtin) + 1
    yyds = glossary.lookup("yyds")
    assert yyds is not None
    assert (yyds.term, yyds.plain, yyds.note) == ("yyds", "最厉害", "My own note.")
    assert yyds.meaning == builtin.lookup("yyds").meaning  # not overridden: kept
    assert yyds.variants == ("永远的神",)
    assert yyds.source == f"{USER}:3"
    added = glossary.lookup("打卡")
    assert added is not None and added.category == "platform"
    assert [n.term for n in glossary.find("周末去打卡，yyds")] == ["打卡", "yyds"]


def test_a_user_entry_wins_a_spelling_collision(tmp_path: Path) -> None:
    user = write(tmp_path, VALID_EN.replace('term = "mid"', 'term = "meh"\nvariants = ["cap"]'), "user.toml")
    glossary = load_glossary(BUILTIN, user_file=user)
    assert glossary.lookup("cap").term == "meh"
    assert glossary.lookup("no cap").term == "no cap"


def test_bad_user_override_names_the_user_file(tmp_path: Path) -> None:
    user = write(tmp_path, '[[entry]]\nterm = "yyds"\nregister = "fun"\n', "user.toml")
    assert error_of(*BUILTIN, user_file=user).startswith(f"{user}:3: entry 'yyds': field 'register' must be one of")


def test_new_user_entries_must_be_complete(tmp_path: Path) -> None:
    user = write(tmp_path, '[[entry]]\nterm = "摆烂"\nmeaning = "to give up"\n', "user.toml")
    assert error_of(*BUILTIN, user_file=user) == f"{user}:1: entry '摆烂': missing required field 'lang'"


def test_a_term_twice_in_the_user_file_is_an_error(tmp_path: Path) -> None:
    user = write(
        tmp_path, '[[entry]]\nterm = "yyds"\nplain = "牛"\n\n[[entry]]\nterm = "YYDS"\nplain = "强"\n', "u.toml"
    )
    assert error_of(*BUILTIN, user_file=user).startswith(f"{user}:6: entry 'YYDS': field 'term' 'yyds' is already")


def test_default_user_file_is_used_when_present(isolated: Path) -> None:
    assert load_glossary().lookup("打卡") is None
    isolated.parent.mkdir(parents=True)
    isolated.write_text(USER.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_glossary().lookup("打卡") is not None
    assert load_glossary(user_file=None).lookup("打卡") is None


def test_default_glossary_is_cached(isolated: Path) -> None:
    assert default_glossary() is default_glossary()
    assert default_glossary().problems == ()


def test_threads_that_ask_at_once_share_one_load(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[Path] = []
    real = loader.load_glossary

    def slow_load(*args: Any, **kwargs: Any) -> Any:
        loads.append(isolated)
        time.sleep(0.2)  # long enough for every thread to ask before the first load is done
        return real(*args, **kwargs)

    monkeypatch.setattr(loader, "load_glossary", slow_load)
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(default_glossary())) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(loads) == 1 and len(got) == 3 and len({id(glossary) for glossary in got}) == 1


def test_a_broken_user_glossary_warns_and_falls_back(
    isolated: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CLI, run in-process by earlier tests, keeps library warnings to its own one-line handler.
    monkeypatch.setattr(logging.getLogger("translator"), "propagate", True)
    isolated.parent.mkdir(parents=True)
    isolated.write_text('[[entry]]\nterm = "yyds"\nregister = "fun"\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="translator.glossary"):
        glossary = default_glossary()
    assert len(glossary) == 13
    assert glossary.lookup("yyds").register == "playful"
    (problem,) = glossary.problems
    assert f"ignoring your glossary {isolated}: {isolated}:3: entry 'yyds'" in problem
    assert f"zhen glossary check {isolated}" in problem
    assert problem in caplog.text


def test_broken_builtin_data_is_not_hidden(isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, VALID_ZH.replace('"playful"', '"fun"'))
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    with pytest.raises(GlossaryError, match=r"^bad\.toml:10: entry 'yyds': field 'register'"):
        default_glossary()


def test_builtin_data_is_cached_until_a_file_changes(
    isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setattr(loader, "DATA_DIR", data)
    write(data, VALID_ZH, "zh.toml")
    assert load_glossary(user_file=None).lookup("yyds").meaning == "the GOAT"
    assert (tmp_path / "cache" / "zhen" / "glossary.marshal").is_file()
    with monkeypatch.context() as patch:
        patch.setattr(loader, "_load_builtin", None)  # a cache miss would now fail
        cached = load_glossary(user_file=None)
    assert cached.entries == load_glossary([data / "zh.toml"], user_file=None).entries
    write(data, VALID_ZH.replace("the GOAT", "the greatest"), "zh.toml")
    assert load_glossary(user_file=None).lookup("yyds").meaning == "the greatest"


def test_an_entry_restored_from_its_fields_is_the_same_entry() -> None:
    for entry in default_glossary().entries[:200]:
        restored = Entry.restored(astuple(entry))
        assert restored == entry and hash(restored) == hash(entry) and vars(restored) == vars(entry)
        with pytest.raises(FrozenInstanceError):
            restored.term = "changed"  # type: ignore[misc]
    with pytest.raises(ValueError, match="fields"):
        Entry.restored(astuple(entry)[:-1])


def test_a_corrupt_cache_is_ignored(isolated: Path, tmp_path: Path) -> None:
    load_glossary(user_file=None)
    (tmp_path / "cache" / "zhen" / "glossary.marshal").write_bytes(b"\x00garbage")
    assert len(load_glossary(user_file=None)) == 13


def test_cached_data_brings_its_spellings_normalised(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = load_glossary(user_file=None)
    calls: list[str] = []
    real = matcher.normalise
    with monkeypatch.context() as patch:
        patch.setattr(matcher, "normalise", lambda text: calls.append(text) or real(text))
        cached = load_glossary(user_file=None)
    assert calls == []  # no spelling went through OpenCC again
    post = "這家店真的絕絕子，YYDS！"  # Traditional and upper case: found through the keys
    found = [(note.term, note.entry.term) for note in cached.find(post)]
    assert found == [(note.term, note.entry.term) for note in fresh.find(post)]
    assert found == [("絕絕子", "绝绝子"), ("YYDS", "yyds")]


def test_a_cache_of_another_shape_is_read_again(isolated: Path, tmp_path: Path) -> None:
    load_glossary(user_file=None)
    cache = tmp_path / "cache" / "zhen" / "glossary.marshal"
    key, (rows, _) = marshal.loads(cache.read_bytes())
    cache.write_bytes(marshal.dumps((key, rows)))  # as the last version wrote it: entries alone
    assert [note.entry.term for note in load_glossary(user_file=None).find("絕絕子")] == ["绝绝子"]
    assert isinstance(marshal.loads(cache.read_bytes())[1][1], dict)  # and written again


def test_another_opencc_makes_the_cache_stale(isolated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached keys come from OpenCC's tables: a new OpenCC must normalise them again."""
    load_glossary(user_file=None)
    other = tmp_path / "opencc" / "__init__.py"
    other.parent.mkdir()
    other.write_text("")
    monkeypatch.setattr(simplified.importlib.util, "find_spec", lambda name: ModuleSpec(name, None, origin=str(other)))
    calls: list[str] = []
    real = matcher.normalise
    monkeypatch.setattr(matcher, "normalise", lambda text: calls.append(text) or real(text))
    monkeypatch.setattr(loader, "normalise", matcher.normalise)
    load_glossary(user_file=None)
    assert "绝绝子" in calls


def test_user_overrides_apply_to_cached_data(isolated: Path) -> None:
    load_glossary(user_file=None)
    assert load_glossary(user_file=USER).lookup("YYDS").plain == "最厉害"


def test_the_real_builtin_data() -> None:
    """The shipped data loads, validates and covers enough terms (needs the data files)."""
    glossary = load_glossary(loader.builtin_paths(), user_file=None)
    by_lang = {lang: sum(1 for e in glossary.entries if e.lang == lang) for lang in ("zh", "en")}
    assert by_lang["zh"] >= 300, by_lang
    assert by_lang["en"] >= 120, by_lang
