"""jieba on a memory-mapped trie (translator/glossary/jieba_trie.py) segments exactly as jieba does,
and its cache file survives corruption, a read-only folder and a new jieba dictionary."""

from __future__ import annotations

import marshal
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from translator.glossary import jieba_trie, load_glossary
from translator.locations import cache_dir, jieba_words_file
from translator.scripts import has_han

GLOSSARY = load_glossary(user_file=None)
#: Glossary terms plus ordinary words and new prefixes (铁路边, 老铁路边), as glossary and users add them.
ADDED = sorted({form for entry in GLOSSARY.entries for form in entry.forms if has_han(form)} | {"铁路边", "老铁路边"})
#: Segmentations forced apart or together, as `suggest_freq(..., tune=True)` does.
TUNED: list[Any] = [("火锅", "店"), "上等你", ("老", "铁路"), "加油站"]
TINY = "老铁 100 n\n铁路 300\n路边 200\n边上 150\n上 80\n老 90\n铁 40\n路 60\n边 30\n".encode()


@pytest.fixture(scope="module")
def loaded_jieba() -> Any:
    """jieba as it loads itself (its own cache in the temp folder), loaded once for the module."""
    import jieba

    reference = jieba.Tokenizer()
    reference.initialize()
    return reference


@pytest.fixture
def reference(loaded_jieba: Any) -> Any:
    """A fresh plain jieba that a test may change."""
    import jieba

    fresh = jieba.Tokenizer()
    fresh.FREQ, fresh.total, fresh.initialized = dict(loaded_jieba.FREQ), loaded_jieba.total, True
    return fresh


@pytest.fixture
def sentences(request: pytest.FixtureRequest) -> list[str]:
    """Glossary examples (slang and literal uses) and, when ../shared is there, FLORES zh."""
    from_glossary = [
        text for entry in GLOSSARY.entries for text in (entry.example, *entry.literal_examples) if has_han(text)
    ]
    try:
        flores: list[str] = request.getfixturevalue("flores_zh")
    except pytest.skip.Exception:
        flores = []
    return [*from_glossary, "老铁路边上等你，这家火锅店绝绝子，yyds", "前面有个加油站", *flores]


def segmentations(tokenizer: Any, sentences: list[str]) -> Iterator[tuple[str, Any]]:
    import jieba

    for sentence in sentences:
        yield "cut", tokenizer.lcut(sentence, HMM=False)
        yield "cut HMM", tokenizer.lcut(sentence)
        yield "tokenize", list(tokenizer.tokenize(sentence, HMM=False))
        for block in jieba.re_han_default.findall(sentence):
            route: dict[int, tuple[float, int]] = {}
            tokenizer.calc(block, tokenizer.get_DAG(block), route)
            yield "calc", route


def assert_same(tokenizer: Any, reference: Any, sentences: list[str]) -> None:
    assert tokenizer.total == reference.total
    for (kind, ours), (_, theirs) in zip(
        segmentations(tokenizer, sentences), segmentations(reference, sentences), strict=True
    ):
        assert ours == theirs, kind


def test_segments_as_jieba_does(reference: Any, sentences: list[str]) -> None:
    assert len(sentences) > 50
    assert_same(jieba_trie.tokenizer(), reference, sentences)


def test_segments_as_jieba_does_after_adding_and_tuning_words(reference: Any, sentences: list[str]) -> None:
    ours = jieba_trie.tokenizer()
    for tokenizer in (ours, reference):
        for term in ADDED:
            tokenizer.add_word(term)
        for segment in TUNED:
            tokenizer.suggest_freq(segment, tune=True)
    assert ours.FREQ.get("老铁路边") and not ours.FREQ["老铁路"]  # a new word and its new prefix
    assert [ours.suggest_freq(term) for term in ADDED] == [reference.suggest_freq(term) for term in ADDED]
    assert_same(ours, reference, sentences)


def test_additions_stay_with_their_tokenizer(loaded_jieba: Any) -> None:
    glossary, plain = jieba_trie.tokenizer(), jieba_trie.tokenizer()
    glossary.add_word("铁路边上")
    assert glossary.FREQ.get("铁路边上") and "铁路边上" not in plain.FREQ and plain.FREQ.get("铁路边上", 7) == 7
    assert plain.total == loaded_jieba.total < glossary.total
    assert (plain.FREQ["铁路"], len(plain.FREQ)) == (loaded_jieba.FREQ["铁路"], len(loaded_jieba.FREQ))
    assert len(glossary.FREQ) == len(plain.FREQ) + 2  # 铁路边上 and its prefix 铁路边


def test_the_trie_is_built_once_per_process_and_read_from_the_cache_folder() -> None:
    first = jieba_trie.tokenizer()
    assert jieba_trie.tokenizer().FREQ._trie is first.FREQ._trie
    # Every test has its own cache folder: the process's trie was built or loaded before this one.
    (built,) = jieba_trie._loaded.values()
    assert built[0] is first.FREQ._trie


def tiny_tokenizer(path: Path, dictionary: bytes = TINY) -> Any:
    import jieba

    tokenizer = jieba.Tokenizer()
    trie, tokenizer.total = jieba_trie.load_or_build(path, dictionary)
    tokenizer.FREQ, tokenizer.initialized = jieba_trie.Frequencies(trie, "tiny"), True
    return tokenizer


def test_the_cache_file_is_written_and_then_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "jieba.marisa"
    assert tiny_tokenizer(path).lcut("老铁路边上") == ["老", "铁路", "边上"]
    assert path.stat().st_size > 0
    monkeypatch.setattr(jieba_trie, "_build", None)  # a rebuild would fail
    tokenizer = tiny_tokenizer(path)
    assert tokenizer.lcut("老铁路边上") == ["老", "铁路", "边上"]
    assert (tokenizer.total, dict(tokenizer.FREQ)["老铁"]) == (1050, 100)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-3],
        lambda data: b"",
        lambda data: b"\0" * len(data),
        lambda data: b"\0" * (len(data) - 24) + data[-24:],  # a valid footer after garbage
        lambda data: data[:-24] + os.urandom(24),
    ],
    ids=["half", "footer-cut", "empty", "zeros", "garbage-with-footer", "garbage-footer"],
)
def test_a_damaged_cache_file_is_rebuilt(tmp_path: Path, damage: Any) -> None:
    path = tmp_path / "jieba.marisa"
    tiny_tokenizer(path)
    good = path.read_bytes()
    path.write_bytes(damage(good))
    assert tiny_tokenizer(path).lcut("老铁路边上") == ["老", "铁路", "边上"]
    assert path.read_bytes() == good


@pytest.mark.parametrize("how", ["read-only", "not-a-folder"])
def test_an_unwritable_cache_folder_still_gives_a_tokenizer(tmp_path: Path, how: str) -> None:
    if how == "read-only":
        if os.geteuid() == 0:
            pytest.skip("root writes into read-only folders")
        folder = tmp_path / "cache"
        folder.mkdir()
        folder.chmod(0o555)
    else:
        folder = tmp_path / "a-file"
        folder.write_text("")
    path = folder / "jieba.marisa"
    assert tiny_tokenizer(path).lcut("老铁路边上") == ["老", "铁路", "边上"]
    assert not path.exists()


def test_a_changed_jieba_dictionary_gets_a_new_cache_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import jieba

    dictionary = tmp_path / "dict.txt"
    monkeypatch.setattr(jieba.Tokenizer, "get_dict_file", lambda self: dictionary.open("rb"))
    monkeypatch.setattr(jieba_trie, "_loaded", {})
    dictionary.write_bytes(TINY)
    assert jieba_trie.tokenizer().lcut("老铁路边上", HMM=False) == ["老", "铁路", "边上"]
    dictionary.write_bytes(TINY + "老铁路 500\n".encode())
    assert jieba_trie.tokenizer().lcut("老铁路边上", HMM=False) == ["老铁路", "边上"]
    files = sorted(cache_dir().glob("jieba-*"))
    assert len(files) == 2 and all(file.name.startswith(f"jieba-{jieba_trie.FORMAT}-") for file in files)


def overlay(tokenizer: Any) -> dict[str, int]:
    return dict(tokenizer.FREQ._overlay)


def test_added_words_get_the_counts_jieba_suggests_and_later_processes_read_them(
    reference: Any, sentences: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import jieba

    for term in ADDED:
        reference.add_word(term)
    first = jieba_trie.tokenizer()
    jieba_trie.add_words(first, ADDED)
    assert first.total == reference.total and overlay(first) == {word: reference.FREQ[word] for word in overlay(first)}
    assert jieba_words_file().is_file()
    # Another process: the same words on a fresh tokenizer, and jieba asked for no count.
    monkeypatch.setattr(jieba.Tokenizer, "suggest_freq", None)
    again = jieba_trie.tokenizer()
    jieba_trie.add_words(again, ADDED)
    assert (again.total, overlay(again)) == (first.total, overlay(first))
    assert_same(again, reference, sentences)


@pytest.mark.parametrize(
    "stored",
    [
        lambda key, counts: b"",
        lambda key, counts: b"not marshal",
        lambda key, counts: marshal.dumps(None),
        lambda key, counts: marshal.dumps((("another dictionary", key[1]), counts)),
        lambda key, counts: marshal.dumps((key, counts[:-1])),
        lambda key, counts: marshal.dumps((key, (0, *counts[1:]))),
        lambda key, counts: marshal.dumps((key, list(counts))),
    ],
    ids=["empty", "garbage", "none", "other-dictionary", "one-short", "a-zero", "a-list"],
)
def test_stored_counts_that_do_not_fit_are_suggested_again(stored: Any) -> None:
    expected = jieba_trie.tokenizer()
    jieba_trie.add_words(expected, ADDED)
    good = jieba_words_file().read_bytes()
    key, counts = marshal.loads(good)
    jieba_words_file().write_bytes(stored(key, counts))
    tokenizer = jieba_trie.tokenizer()
    jieba_trie.add_words(tokenizer, ADDED)
    assert (tokenizer.total, overlay(tokenizer)) == (expected.total, overlay(expected))
    assert jieba_words_file().read_bytes() == good


def test_words_added_to_a_tokenizer_with_additions_are_not_stored(reference: Any) -> None:
    tokenizer = jieba_trie.tokenizer()
    for each in (tokenizer, reference):
        each.add_word("老铁路边")
    jieba_trie.add_words(tokenizer, ADDED)
    for term in ADDED:
        reference.add_word(term)
    assert tokenizer.total == reference.total
    assert not jieba_words_file().exists()


def test_unwritable_counts_still_add_the_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setattr("translator.locations.jieba_words_file", lambda: blocker / "counts.marshal")
    tokenizer = jieba_trie.tokenizer()
    jieba_trie.add_words(tokenizer, ["铁路边上"])
    assert tokenizer.FREQ["铁路边上"] > 0
