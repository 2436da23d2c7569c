"""The test-time model factory: its folders must look and behave like the real OPUS-MT ones,
or every test built on them checks the wrong thing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.modelkit import (
    DEFAULT_EXTRA_TOKENS,
    EN_ZH_PAIRS,
    ZH_EN_PAIRS,
    convert_to_ct2_int8,
    default_corpus,
    load_tokenizer,
    train_memorised_model,
    translate_with_ctranslate2,
    translate_with_transformers,
)
from translator.languages import MODELS

ZH_EN, EN_ZH = MODELS[("zh", "en")], MODELS[("en", "zh")]
HANS = EN_ZH.target_token("Hans")
#: (folder name, pairs, target token) of the two memorised models.
MEMORISED = [(ZH_EN.name, ZH_EN_PAIRS, None), (EN_ZH.name, EN_ZH_PAIRS, HANS)]
ISO3 = {"zh": "zho", "en": "eng"}
HF_FILES = {
    "config.json",
    "generation_config.json",
    "model.safetensors",
    "source.spm",
    "target.spm",
    "tokenizer_config.json",
    "vocab.json",
}


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_tiny_model_has_the_hub_files_and_loads_with_transformers(tiny_model_dir: Path) -> None:
    from transformers import MarianMTModel

    assert {p.name for p in tiny_model_dir.iterdir()} == HF_FILES
    tokenizer = load_tokenizer(tiny_model_dir)
    model = MarianMTModel.from_pretrained(tiny_model_dir)
    pad = tokenizer.pad_token_id
    assert model.config.vocab_size == len(tokenizer) == pad + 1
    assert (model.config.pad_token_id, model.config.decoder_start_token_id, model.config.eos_token_id) == (pad, pad, 0)
    generation = model.generation_config
    assert generation.bad_words_ids == [[pad]]
    assert (generation.decoder_start_token_id, generation.eos_token_id, generation.max_length) == (pad, 0, 512)
    assert model.config.max_position_embeddings == 512
    assert not model.get_input_embeddings().weight[pad].any()
    ids = tokenizer("你好！")["input_ids"]
    assert ids[-1] == tokenizer.eos_token_id and tokenizer.unk_token_id not in ids
    # Random weights: whatever comes out, but it comes out, and never as <pad>.
    [output] = translate_with_transformers(tiny_model_dir, ["你好！"], max_new_tokens=5)
    assert "<pad>" not in output


def test_vocab_follows_marians_layout(tiny_model_dir: Path) -> None:
    import sentencepiece

    vocab = read_json(tiny_model_dir / "vocab.json")
    assert sorted(vocab.values()) == list(range(len(vocab)))
    assert (vocab["</s>"], vocab["<unk>"], vocab["<pad>"]) == (0, 1, len(vocab) - 1)
    assert [vocab[token] for token in DEFAULT_EXTRA_TOKENS] == [2, 3]
    assert "<s>" not in vocab
    sp = sentencepiece.SentencePieceProcessor(model_file=str(tiny_model_dir / "source.spm"))
    pieces = {sp.id_to_piece(i) for i in range(sp.get_piece_size())} - {"<unk>", "<s>", "</s>"}
    assert pieces <= vocab.keys()
    assert (tiny_model_dir / "target.spm").read_bytes() == (tiny_model_dir / "source.spm").read_bytes()
    assert read_json(tiny_model_dir / "tokenizer_config.json") == {"source_lang": "zho", "target_lang": "eng"}


def test_every_corpus_character_has_a_piece(tiny_model_dir: Path) -> None:
    tokenizer = load_tokenizer(tiny_model_dir)
    corpus = default_corpus()
    assert any("。" in line for line in corpus) and any(line.isascii() for line in corpus)
    for ids in tokenizer(corpus)["input_ids"]:
        assert tokenizer.unk_token_id not in ids


def test_mirrors_the_real_tokenizer_and_config(tiny_model_dir: Path, real_tokenizer_dir: Path) -> None:
    import sentencepiece

    real_vocab = read_json(real_tokenizer_dir / "vocab.json")
    tiny_vocab = read_json(tiny_model_dir / "vocab.json")
    for vocab in (real_vocab, tiny_vocab):
        assert (vocab["</s>"], vocab["<unk>"], vocab["<pad>"]) == (0, 1, len(vocab) - 1)
    assert read_json(real_tokenizer_dir / "tokenizer_config.json") == read_json(
        tiny_model_dir / "tokenizer_config.json"
    )

    real, tiny = read_json(real_tokenizer_dir / "config.json"), read_json(tiny_model_dir / "config.json")
    for config, vocab in ((real, real_vocab), (tiny, tiny_vocab)):
        pad = vocab["<pad>"]
        assert (config["pad_token_id"], config["decoder_start_token_id"], config["bad_words_ids"]) == (
            pad,
            pad,
            [[pad]],
        )
        assert config["vocab_size"] == len(vocab)
    for key in ("eos_token_id", "max_position_embeddings", "max_length", "model_type", "scale_embedding"):
        assert tiny[key] == real[key], key

    # Same normalisation: NFKC, full-width ！？，and digits to ASCII, 。 and “” kept, spaces squeezed.
    text = "你好！  ｆｕｌｌ，２０２５？“引号”。\u3000Hi"
    normalized = {
        sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm")).normalize(text)
        for folder in (real_tokenizer_dir, tiny_model_dir)
    }
    assert normalized == {"▁你好!▁full,2025?“引号”。▁Hi"}


def test_converts_to_ctranslate2_without_the_pad_token(tiny_model_dir: Path, tmp_path: Path) -> None:
    ct2 = convert_to_ct2_int8(tiny_model_dir, tmp_path / "ct2")
    tokens = read_json(ct2 / "shared_vocabulary.json")
    vocab = read_json(tiny_model_dir / "vocab.json")
    assert tokens == sorted(vocab, key=vocab.__getitem__)[:-1]
    [output] = translate_with_ctranslate2(ct2, tiny_model_dir / "source.spm", ["你好！"], max_decoding_length=5)
    assert isinstance(output, str)


def test_memorised_store_has_both_directions(memorised_store: Path) -> None:
    # Other tests may have added the .ct2-int8 copies zhen converts on first use.
    assert {ZH_EN.name, EN_ZH.name} <= {p.name for p in memorised_store.iterdir()}
    for spec in (ZH_EN, EN_ZH):
        folder = memorised_store / spec.name
        assert {p.name for p in folder.iterdir()} == HF_FILES
        languages = {"source_lang": ISO3[spec.source], "target_lang": ISO3[spec.target]}
        assert read_json(folder / "tokenizer_config.json") == languages
    # Like the real models: only en->zh has script tokens.
    assert not any(t.startswith(">>") for t in read_json(memorised_store / ZH_EN.name / "vocab.json"))
    assert set(DEFAULT_EXTRA_TOKENS) <= read_json(memorised_store / EN_ZH.name / "vocab.json").keys()


@pytest.mark.parametrize(("name", "pairs", "token"), MEMORISED)
@pytest.mark.parametrize("num_beams", [1, 4])
def test_memorised_pairs_come_back_with_transformers(
    memorised_store: Path, name: str, pairs: tuple, token: str | None, num_beams: int
) -> None:
    sources, targets = zip(*pairs, strict=True)
    got = translate_with_transformers(memorised_store / name, sources, target_token=token, num_beams=num_beams)
    assert got == list(targets)


@pytest.mark.parametrize(("name", "pairs", "token"), MEMORISED)
def test_memorised_pairs_come_back_one_at_a_time(
    memorised_store: Path, name: str, pairs: tuple, token: str | None
) -> None:
    # Alone, a sentence has no padding around it: a different computation from the batch.
    for source, target in pairs[:4]:
        assert translate_with_transformers(memorised_store / name, [source], target_token=token) == [target]


@pytest.fixture(scope="module")
def int8_copies(memorised_store: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("int8")
    return {name: convert_to_ct2_int8(memorised_store / name, root / name) for name, _, _ in MEMORISED}


@pytest.mark.parametrize(("name", "pairs", "token"), MEMORISED)
@pytest.mark.parametrize("beam_size", [1, 4])
def test_memorised_pairs_come_back_with_ctranslate2_int8(
    memorised_store: Path, int8_copies: dict[str, Path], name: str, pairs: tuple, token: str | None, beam_size: int
) -> None:
    sources, targets = zip(*pairs, strict=True)
    spm = memorised_store / name / "source.spm"
    got = translate_with_ctranslate2(int8_copies[name], spm, sources, target_token=token, beam_size=beam_size)
    assert got == list(targets)


def test_pairs_are_single_sentences_the_tokenizer_can_produce() -> None:
    for source, target in (*ZH_EN_PAIRS, *EN_ZH_PAIRS):
        assert source[-1] in "。！？.!?" and target[-1] in "。!?."
    # NFKC turns ！？，into ASCII, so no model with this tokenizer can emit them (nor can OPUS-MT).
    assert not any(mark in target for _, target in EN_ZH_PAIRS for mark in "！？，")
    assert any(any(c.isdigit() for c in source) for source, _ in ZH_EN_PAIRS)


def test_unproducible_targets_are_refused_before_training(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="你好!"):
        train_memorised_model(tmp_path / "m", [("Hello!", "你好！")], target_token=HANS)


@pytest.mark.slow
def test_a_new_pair_is_memorised(tmp_path: Path) -> None:
    pairs = [("求推荐！", "Recommendations please!"), ("太可爱了吧！", "This is way too cute!")]
    model = train_memorised_model(tmp_path / "m", pairs, seed=3)
    assert translate_with_transformers(model, [s for s, _ in pairs]) == [t for _, t in pairs]
