"""The torch-free tokenizer must give MarianTokenizer's ids exactly: other ids, other translation."""

from __future__ import annotations

import json
import shutil
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.modelkit import default_corpus
from translator.engines.marian_tokenizer import MarianSentencePieceTokenizer, shared_tokenizer
from translator.errors import ModelBrokenError
from translator.modelfolder import TOKENIZER_CONFIG, TOKENIZER_FILES

#: Texts where MarianTokenizer does something special: special tokens inside the text (split
#: out), a leading language code (taken out), whitespace, NFKC-normalised and unknown characters.
EDGE_CASES = [
    "你好</s>世界",
    "a <unk> b",
    "<pad>",
    "</s>",
    ">>cmn_Hans<< 你好",
    ">>cmn_Hant<<你好",
    ">>x<< hi",
    ">>not a code",
    "x >>cmn_Hans<< in the middle",
    "a</s>>>cmn_Hant<<b",
    "  前后空格  ",
    "\t多\u3000空格  x\n",
    "😀🤣 emoji 👍🏽",
    "ｆｕｌｌ　ｗｉｄｔｈ！１２３",
    "姐妹们，这个面膜真的绝绝子！yyds",
    "",
]


def encode_ids(tokenizer: MarianSentencePieceTokenizer, text: str, target_token: str | None = None) -> list[int]:
    """Vocabulary ids of our pieces: what MarianTokenizer calls `input_ids`."""
    return [tokenizer.vocab[piece] for piece in tokenizer.encode_pieces(text, target_token)]


def marian(model_dir: Path):
    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return MarianTokenizer.from_pretrained(model_dir)


@pytest.fixture(scope="module")
def real(real_tokenizer_dir: Path):
    return marian(real_tokenizer_dir), MarianSentencePieceTokenizer(real_tokenizer_dir)


@pytest.fixture(scope="module")
def tiny(tiny_model_dir: Path):
    return marian(tiny_model_dir), MarianSentencePieceTokenizer(tiny_model_dir)


def test_flores_ids_match_marian_tokenizer(real, flores_zh: list[str], flores_en: list[str]) -> None:
    reference, ours = real
    for line in flores_zh + flores_en:
        assert encode_ids(ours, line) == reference(line).input_ids, line


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_match_marian_tokenizer(real, text: str) -> None:
    reference, ours = real
    assert encode_ids(ours, text) == reference(text).input_ids
    assert ours.encode_pieces(text)[-1] == "</s>"


def test_real_zh_en_vocab_has_no_script_tokens(real) -> None:
    # So the target-token tests below run on the tiny model, whose vocab has them.
    assert ">>cmn_Hans<<" not in real[1].vocab


@pytest.mark.parametrize("token", [">>cmn_Hans<<", ">>cmn_Hant<<"])
@pytest.mark.parametrize("text", [*EDGE_CASES, *default_corpus()[::25]])
def test_target_token_is_put_first_as_marian_tokenizer_does(tiny, token: str, text: str) -> None:
    reference, ours = tiny
    assert encode_ids(ours, text, token) == reference(f"{token} {text}").input_ids
    assert ours.encode_pieces(text, token)[0] == token


def test_script_token_is_one_known_token(tiny) -> None:
    _, ours = tiny
    pieces = ours.encode_pieces("Hello!", ">>cmn_Hans<<")
    assert pieces[0] == ">>cmn_Hans<<" and ours.vocab[pieces[0]] != ours.vocab[ours.unk]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_matches_marian_tokenizer(tiny, text: str) -> None:
    reference, ours = tiny
    assert encode_ids(ours, text) == reference(text).input_ids


def test_unknown_pieces_become_unk(tiny) -> None:
    _, ours = tiny
    pieces = ours.encode_pieces("齉龘")  # characters the tiny model's corpus never saw
    assert "<unk>" in pieces and all(piece in ours.vocab for piece in pieces)


def test_decode_matches_batch_decode_on_flores(real, flores_zh: list[str], flores_en: list[str]) -> None:
    reference, ours = real
    # English as the model would emit it (target side), and Chinese pieces for good measure.
    for ids in reference(text_target=flores_en).input_ids + reference(flores_zh).input_ids:
        pieces = reference.convert_ids_to_tokens(ids)
        assert ours.decode(pieces) == reference.decode(ids, skip_special_tokens=True)


def test_decode_round_trips_english(real, flores_en: list[str]) -> None:
    _, ours = real
    same = sum(ours.decode(ours._target.encode(line, out_type=str)) == line for line in flores_en)
    # The two lines that differ have characters outside the English vocabulary ("Õ").
    assert same >= len(flores_en) - 2


def test_decode_drops_special_tokens(tiny) -> None:
    _, ours = tiny
    assert ours.decode(["<pad>", "▁Hello", "<unk>", "!", "</s>", "<pad>"]) == "Hello!"
    assert ours.decode([]) == ""


def test_no_punctuation_normaliser_beyond_sentencepiece(real) -> None:
    # MarianTokenizer has a Moses normaliser but never calls it while tokenizing: “quotes” and
    # the en dash must reach sentencepiece untouched (the spm's NFKC rules still apply).
    reference, ours = real
    text = "“Quoted” – text … «x» ‘y’"
    assert encode_ids(ours, text) == reference(text).input_ids


def copy_tokenizer(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for name in (*TOKENIZER_FILES, TOKENIZER_CONFIG):
        shutil.copy(source / name, target / name)
    return target


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda d: (d / "vocab.json").unlink(), "vocab.json is missing"),
        (lambda d: (d / "vocab.json").write_text("{not json", encoding="utf-8"), "cannot read vocab.json"),
        (lambda d: (d / "vocab.json").write_text("[1, 2]", encoding="utf-8"), "not a JSON object"),
        (lambda d: (d / "vocab.json").write_text('{"</s>": 0, "<pad>": 1}', encoding="utf-8"), "no <unk>"),
        (lambda d: (d / "source.spm").write_bytes(b"garbage"), "sentencepiece"),
        (
            lambda d: (d / "tokenizer_config.json").write_text(json.dumps({"separate_vocabs": True})),
            "separate",
        ),
    ],
)
def test_broken_folders_name_the_folder_and_problem(tmp_path: Path, tiny_model_dir: Path, damage, problem) -> None:
    folder = copy_tokenizer(tiny_model_dir, tmp_path / "model")
    damage(folder)
    with pytest.raises(ModelBrokenError) as caught:
        MarianSentencePieceTokenizer(folder).vocab  # noqa: B018 - the vocabulary is read when first asked for
    assert str(folder) in str(caught.value) and problem in str(caught.value)


def test_a_folder_is_read_once_until_its_files_change(tmp_path: Path, tiny_model_dir: Path) -> None:
    folder = copy_tokenizer(tiny_model_dir, tmp_path / "model")
    first = shared_tokenizer(folder)
    assert shared_tokenizer(tmp_path / "." / "model") is first
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    vocab["▁newword"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    again = shared_tokenizer(folder)
    assert again is not first and "▁newword" in again.vocab


def test_a_broken_folder_is_not_remembered(tmp_path: Path, tiny_model_dir: Path) -> None:
    folder = copy_tokenizer(tiny_model_dir, tmp_path / "model")
    (folder / "vocab.json").unlink()
    with pytest.raises(ModelBrokenError, match=r"vocab\.json is missing"):
        shared_tokenizer(folder)
    shutil.copy(tiny_model_dir / "vocab.json", folder / "vocab.json")
    assert shared_tokenizer(folder).vocab
