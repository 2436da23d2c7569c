"""Tiny MarianMT models built at test time, in the folder layout of Helsinki-NLP/opus-mt-*.

The real OPUS-MT weights cannot be downloaded where the tests run, so the tests make their own:
a sentencepiece model trained on a few hundred generated sentences, a Marian-layout vocab.json and
a MarianMT model small enough to build (and to memorise a dozen sentence pairs) in seconds.

Choices that mirror the real models, because zhen's code depends on them:
- sentencepiece with OPUS-MT's `nmt_nfkc` normalisation and no byte fallback, so full-width ！？，
  come out half-width like real OPUS-MT output (。 and “ survive NFKC). BPE rather than OPUS-MT's
  unigram: on a corpus this small unigram keeps whole template phrases as pieces, BPE learns
  word-sized ones, and token counts close to the real tokenizer's matter more (zhen caps output
  length by input length) than an algorithm zhen never sees;
- vocab.json: `</s>`=0, `<unk>`=1, language tokens, the pieces, `<pad>` last; `<s>` is left out;
- `<pad>` is also the decoder start token and is banned from the output (`bad_words_ids`).

Everything heavy (torch, transformers, ctranslate2) is imported inside the functions.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import tempfile
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from transformers import MarianMTModel, MarianTokenizer

#: Language tokens of opus-mt-en-zh that choose the output script.
DEFAULT_EXTRA_TOKENS: tuple[str, ...] = (">>cmn_Hans<<", ">>cmn_Hant<<")

#: (decoding, expected, got): one wrong output of a memorised model.
Mismatch = tuple[str, str, str]

#: Adam's step size: about the fastest that memorises reliably; 1e-2 often diverges.
_LEARNING_RATE = 5e-3
#: Training steps between two checks of the teacher-forced probabilities and real decoding.
_CHECK_EVERY = 10
#: Seeds tried, one after another, before memorisation is declared impossible.
_SEED_ATTEMPTS = 4

#: Size of the default corpus: enough for word-sized pieces, small enough to train in ~0.1 s.
_SENTENCES_PER_LANGUAGE = 350

#: Pieces learnt on top of the single characters (every character of the corpus is a piece).
_MULTI_CHAR_PIECES = 600

#: zh->en pairs a memorised model reproduces exactly: one sentence each, as zhen's splitter sends
#: them. The English side is what the model emits (NFKC leaves plain ASCII alone).
ZH_EN_PAIRS: tuple[tuple[str, str], ...] = (
    ("这家店的火锅太好吃了！", "The hotpot at this restaurant is so delicious!"),
    ("你好！", "Hello!"),
    ("这个口红是在哪里买的？", "Where did you buy this lipstick?"),
    ("我在上海住了3年。", "I have lived in Shanghai for 3 years."),
    ("2025年我想去成都旅游。", "I want to travel to Chengdu in 2025."),
    ("谢谢你的分享！", "Thank you for sharing!"),
    ("姐妹们，这个面膜真的绝绝子！", "Sisters, this face mask is absolutely amazing!"),
    ("今天的穿搭好看吗？", "Does today's outfit look good?"),
    ("求链接！", "Link please!"),
    ("周末一起去喝奶茶吧。", "Let's get bubble tea together this weekend."),
    ("这家咖啡店的环境很安静。", "This coffee shop is very quiet."),
    ("欢迎来到我的主页！", "Welcome to my page!"),
)

#: en->zh pairs, memorised with `>>cmn_Hans<<` in front of every source. The Chinese side is what
#: the model emits: like real opus-mt-en-zh, half-width ! ? , but full-width 。.
EN_ZH_PAIRS: tuple[tuple[str, str], ...] = (
    ("Hello!", "你好!"),
    ("Where did you buy this?", "你在哪里买的?"),
    ("Thank you very much!", "非常感谢!"),
    ("This hotpot is so delicious!", "这个火锅太好吃了!"),
    ("I have been learning Chinese for 2 years.", "我学了2年中文。"),
    ("Can you recommend a good restaurant?", "你能推荐一家好餐厅吗?"),
    ("I love your photos.", "我喜欢你的照片。"),
    ("See you tomorrow!", "明天见!"),
    ("How much is this?", "这个多少钱?"),
    ("Nice to meet you.", "很高兴认识你。"),
)


def _choices(words: str) -> tuple[str, ...]:
    return tuple(words.split(", "))


#: Word lists of the default corpus: Chinese and English in matching slots, RedNote topics.
_ZH_WORDS: dict[str, tuple[str, ...]] = {
    "who": _choices("我, 你, 我们, 他们, 姐妹们, 朋友, 老板, 大家, 妈妈, 室友, 博主"),
    "when": _choices("今天, 昨天, 明天, 周末, 晚上, 早上, 最近, 上个月, 2025年, 去年"),
    "where": _choices("上海, 北京, 成都, 杭州, 广州, 深圳, 重庆, 这家店, 商场, 公园, 学校, 家里"),
    "did": _choices(
        "吃了火锅, 喝了奶茶, 买了口红, 去逛街, 拍了照片, 看了电影, 做了蛋糕, 点了外卖, 学了中文, "
        "试了面膜, 换了发型, 找到了链接, 住了3年, 花了100块"
    ),
    "thing": _choices("火锅, 奶茶, 口红, 衣服, 包, 鞋子, 面膜, 耳环, 咖啡, 蛋糕, 照片, 主页"),
    "how": _choices(
        "真的很好吃, 太好看了, 有点贵, 很便宜, 非常安静, 特别热闹, 超级可爱, 还不错, 一般般, 绝绝子, 很舒服, 有点难"
    ),
}
_EN_WORDS: dict[str, tuple[str, ...]] = {
    "who": _choices("I, You, We, They, My sister, My friend, The owner, Everyone, My mom, My roommate"),
    "when": _choices(
        "today, yesterday, tomorrow, this weekend, last night, this morning, recently, last month, in 2025, last year"
    ),
    "where": _choices(
        "Shanghai, Beijing, Chengdu, Hangzhou, Guangzhou, Shenzhen, Chongqing, this shop, the mall, "
        "the park, school, home"
    ),
    "did": _choices(
        "ate hotpot, had bubble tea, bought a lipstick, went shopping, took photos, watched a movie, "
        "made a cake, ordered takeout, learned Chinese, tried a face mask, got a new haircut, "
        "found the link, lived for 3 years, spent 100 yuan"
    ),
    "thing": _choices("hotpot, milk tea, lipstick, dress, bag, shoes, face mask, earrings, coffee, cake, photo, page"),
    "how": _choices(
        "really delicious, so pretty, a bit expensive, very cheap, very quiet, really lively, super cute, "
        "not bad, just okay, absolutely amazing, very comfortable, a little hard"
    ),
}
_ZH_TEMPLATES = (
    "{who}{when}在{where}{did}。",
    "{where}的{thing}{how}！",
    "你觉得这个{thing}{how}吗？",
    "这个{thing}多少钱？",
    "你在哪里买的{thing}？",
    "谢谢{who}的分享，{thing}{how}！",
    "{when}{who}想去{where}，{thing}{how}。",
    "你能推荐{where}的{thing}吗？",
    "欢迎来到{where}，{who}{when}{did}！",
    "我们{when}一起去{where}吧。",
    "很高兴认识你，{who}也{did}。",
    "{who}已经{did}，真的非常感谢！",
    "求链接，这个{thing}看起来{how}。",
)
_EN_TEMPLATES = (
    "{who} {did} in {where} {when}.",
    "The {thing} in {where} is {how}!",
    "Do you think this {thing} is {how}?",
    "How much is this {thing}?",
    "Where did you buy this {thing}?",
    "Thank you for sharing, the {thing} is {how}!",
    "{who} will go to {where} {when}, the {thing} is {how}.",
    "Can you recommend a good {thing} in {where}?",
    "Welcome to {where}, {who} {did} {when}!",
    "Let's go to {where} together {when}.",
    "Nice to meet you, {who} also {did}.",
    "We have been to {where} before, thank you very much!",
    "Link please, this {thing} looks {how}.",
)
#: Lines that put every ASCII letter, digit and common mark into the vocabulary, so English
#: input is never `<unk>` just because a letter did not occur in a template.
_COVERAGE_LINES = (
    "The quick brown fox jumps over the lazy dog.",
    "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG!",
    "0 1 2 3 4 5 6 7 8 9, don't worry: (it's fine) - really; \"quoted\" text & more @ 50% #1 / $2.",
)


def default_corpus() -> list[str]:
    """Mixed Chinese/English sentences in RedNote style, generated from templates.

    Words are drawn at random (with a fixed seed, so the tokenizer never changes between runs)
    rather than enumerated: every word then occurs often but no longer phrase does, so
    sentencepiece learns word-sized pieces and token counts come out close to the real
    tokenizer's. Chinese and English lines alternate, so any slice holds both.
    """
    rng = random.Random(0)

    def fill(template: str, words: dict[str, tuple[str, ...]]) -> str:
        return template.format(**{slot: rng.choice(choices) for slot, choices in words.items()})

    lines: list[str] = []
    for _ in range(_SENTENCES_PER_LANGUAGE):
        lines.append(fill(rng.choice(_ZH_TEMPLATES), _ZH_WORDS))
        lines.append(fill(rng.choice(_EN_TEMPLATES), _EN_WORDS))
    return [*lines, *_COVERAGE_LINES]


def build_tiny_model(
    out_dir: Path,
    *,
    corpus: Iterable[str] | None = None,
    extra_tokens: Sequence[str] = DEFAULT_EXTRA_TOKENS,
    seed: int = 0,
    source_lang: str = "zho",
    target_lang: str = "eng",
) -> Path:
    """Write a random-weight MarianMT model folder in the opus-mt-* layout and return `out_dir`.

    `source_lang`/`target_lang` go into tokenizer_config.json (ISO 639-3, as in the real files);
    zhen's model store reads the direction from there. Random weights never emit `</s>` on their
    own: give generation a small `max_new_tokens`, or every sentence runs to 512 tokens.
    """
    vocab = _write_tokenizer_files(out_dir, corpus, extra_tokens, source_lang, target_lang)
    with one_torch_thread():
        model = _fresh_model(vocab, seed)
        _save_model(model, out_dir)
    return out_dir


def train_memorised_model(
    out_dir: Path,
    pairs: Sequence[tuple[str, str]],
    *,
    target_token: str | None = None,
    seed: int = 0,
    max_steps: int = 1500,
    source_lang: str = "zho",
    target_lang: str = "eng",
) -> Path:
    """Write a tiny MarianMT model folder that translates each source of `pairs` into its target.

    Each pair is one sentence. With `target_token` every source is prefixed with it (as zhen's
    en->zh engine does) and the vocabulary holds it plus the default script tokens; without it
    the vocabulary has no language tokens, like real opus-mt-zh-en. Training stops only when
    transformers greedy and beam-4 decoding and the CTranslate2 int8 conversion all reproduce
    every target exactly; raises `RuntimeError` if `max_steps` is not enough.
    """
    extra_tokens: tuple[str, ...] = ()
    if target_token is not None:
        extra_tokens = tuple(dict.fromkeys((*DEFAULT_EXTRA_TOKENS, target_token)))
    texts = [source for source, _ in pairs]
    targets = [target for _, target in pairs]
    # The pairs join the corpus so that each of their characters has a piece.
    corpus = [*default_corpus(), *texts, *targets]
    vocab = _write_tokenizer_files(out_dir, corpus, extra_tokens, source_lang, target_lang)
    tokenizer = load_tokenizer(out_dir)
    _check_representable(tokenizer, targets)
    sources = [with_target_token(text, target_token) for text in texts]

    def still_wrong() -> list[Mismatch]:
        wrong = _generation_mismatches(model, tokenizer, sources, targets)
        if not wrong:
            _save_model(model, out_dir)
            wrong = _ctranslate2_mismatches(out_dir, texts, target_token, targets)
        return wrong

    # Whether int8 CTranslate2 reproduces a run depends on the CPU's kernels (AVX2 vs AVX-512):
    # a seed that converges on one machine can keep a junk beam on another, so try a few.
    failure: RuntimeError | None = None
    for attempt_seed in range(seed, seed + _SEED_ATTEMPTS):
        with one_torch_thread():
            model = _fresh_model(vocab, attempt_seed)
            try:
                _memorise(model, tokenizer, sources, targets, max_steps, still_wrong)
            except RuntimeError as error:
                failure = error
                continue
        return out_dir
    assert failure is not None
    raise failure


def with_target_token(text: str, target_token: str | None) -> str:
    """The source string as zhen's en->zh engine hands it to MarianTokenizer."""
    return text if target_token is None else f"{target_token} {text}"


@contextlib.contextmanager
def one_torch_thread() -> Iterator[None]:
    """Run torch on one thread, then restore the caller's setting.

    The machines are shared 2-core boxes: one thread is as fast for a model this small and stops
    the tests from fighting ctranslate2 or another test process for cores.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def load_tokenizer(model_dir: Path) -> MarianTokenizer:
    """MarianTokenizer for a model folder, without its warning about the unused sacremoses."""
    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        # sacremoses only normalises punctuation for some source languages; zhen does not use it.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        return MarianTokenizer.from_pretrained(model_dir)


def translate_with_transformers(
    model_dir: Path,
    texts: Sequence[str],
    *,
    target_token: str | None = None,
    num_beams: int = 1,
    max_new_tokens: int = 64,
) -> list[str]:
    """Decode with MarianTokenizer + MarianMTModel, as zhen's transformers engine does."""
    from transformers import MarianMTModel

    sources = [with_target_token(text, target_token) for text in texts]
    with one_torch_thread():
        model = MarianMTModel.from_pretrained(model_dir)
        return _generate(model, load_tokenizer(model_dir), sources, num_beams, max_new_tokens)


def convert_to_ct2_int8(model_dir: Path, out_dir: Path) -> Path:
    """Convert a model folder to CTranslate2 int8, the way zhen's `models convert` does."""
    from ctranslate2.converters import TransformersConverter

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        TransformersConverter(str(model_dir)).convert(str(out_dir), quantization="int8", force=True)
    return out_dir


def translate_with_ctranslate2(
    ct2_dir: Path,
    spm_path: Path,
    texts: Sequence[str],
    *,
    target_token: str | None = None,
    beam_size: int = 1,
    max_decoding_length: int = 64,
) -> list[str]:
    """Decode with CTranslate2, tokenizing with sentencepiece directly (no transformers).

    Marian sources end with `</s>`; the target token is a vocabulary entry, not a sentencepiece
    piece, so it is put in front of the pieces rather than into the text.
    """
    import ctranslate2
    import sentencepiece

    sp = sentencepiece.SentencePieceProcessor(model_file=str(spm_path))
    prefix = [] if target_token is None else [target_token]
    batch = [[*prefix, *sp.encode(text, out_type=str), "</s>"] for text in texts]
    translator = ctranslate2.Translator(str(ct2_dir), device="cpu", inter_threads=1, intra_threads=1)
    results = translator.translate_batch(batch, beam_size=beam_size, max_decoding_length=max_decoding_length)
    return [sp.decode(result.hypotheses[0]) for result in results]


def _write_tokenizer_files(
    out_dir: Path,
    corpus: Iterable[str] | None,
    extra_tokens: Sequence[str],
    source_lang: str,
    target_lang: str,
) -> dict[str, int]:
    """Train the sentencepiece model and write source.spm, target.spm, vocab.json and
    tokenizer_config.json; returns the vocabulary."""
    import sentencepiece

    lines = [line for line in (default_corpus() if corpus is None else corpus) if line.strip()]
    if not lines:
        raise ValueError("the corpus has no non-blank line to train sentencepiece on")
    characters = {char for line in lines for char in line if not char.isspace()}
    spm_bytes = io.BytesIO()
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=spm_bytes,
        model_type="bpe",
        # Required characters plus <unk>/<s>/</s>, plus room for multi-character pieces. A soft
        # limit, because a small corpus may not offer that many candidates.
        vocab_size=len(characters) + 3 + _MULTI_CHAR_PIECES,
        hard_vocab_limit=False,
        character_coverage=1.0,
        byte_fallback=False,
        normalization_rule_name="nmt_nfkc",
        num_threads=1,
        minloglevel=2,
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("source.spm", "target.spm"):
        (out_dir / name).write_bytes(spm_bytes.getvalue())

    sp = sentencepiece.SentencePieceProcessor(model_proto=spm_bytes.getvalue())
    pieces = [sp.id_to_piece(i) for i in range(sp.get_piece_size()) if not (sp.is_control(i) or sp.is_unknown(i))]
    ordered = ["</s>", "<unk>", *extra_tokens, *pieces, "<pad>"]
    if len(set(ordered)) != len(ordered):
        raise ValueError(f"extra tokens {list(extra_tokens)} collide with sentencepiece pieces")
    vocab = {token: index for index, token in enumerate(ordered)}
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    (out_dir / "tokenizer_config.json").write_text(
        json.dumps({"target_lang": target_lang, "source_lang": source_lang}), encoding="utf-8"
    )
    return vocab


def _fresh_model(vocab: dict[str, int], seed: int) -> MarianMTModel:
    """A randomly initialised tiny Marian model with the real models' special-token wiring."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=64,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=4,
        decoder_attention_heads=4,
        encoder_ffn_dim=128,
        decoder_ffn_dim=128,
        max_position_embeddings=512,
        activation_function="swish",
        scale_embedding=True,
        # Dropout would make memorisation slower and is off at inference anyway.
        dropout=0.0,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        bos_token_id=0,
        forced_eos_token_id=0,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        bad_words_ids=[[pad]],
        bos_token_id=0,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        max_length=512,
        num_beams=4,
        pad_token_id=pad,
    )
    return model.eval()


def _save_model(model: MarianMTModel, out_dir: Path) -> None:
    """save_pretrained (safetensors), then add the generation keys the hub's config.json carries.

    transformers 5 keeps generation settings only in generation_config.json, but the real
    config.json still has them, and code that reads config.json directly should see the same.
    """
    model.save_pretrained(out_dir, safe_serialization=True)
    config_path = out_dir / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    generation = model.generation_config
    config.update(
        bad_words_ids=generation.bad_words_ids,
        max_length=generation.max_length,
        num_beams=generation.num_beams,
    )
    config_path.write_text(json.dumps(config, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def _check_representable(tokenizer: MarianTokenizer, targets: Sequence[str]) -> None:
    """Fail early on targets no model with this tokenizer can emit (NFKC turns ！ into !)."""
    ids = tokenizer(text_target=list(targets))["input_ids"]
    for target, row in zip(targets, ids, strict=True):
        decoded = tokenizer.decode(row, skip_special_tokens=True)
        if decoded != target:
            raise ValueError(f"target {target!r} comes out of the tokenizer as {decoded!r}: use the latter")


def _memorise(
    model: MarianMTModel,
    tokenizer: MarianTokenizer,
    sources: list[str],
    targets: list[str],
    max_steps: int,
    still_wrong: Callable[[], list[Mismatch]],
) -> None:
    """Full-batch teacher forcing with Adam until every target token is near-certain and
    `still_wrong()` (real decoding) finds nothing left to fix.

    "Near-certain" (probability >= 0.98 for each target token, `<pad>` excluded as generation
    bans it) makes greedy decoding exact by construction and leaves a margin for beam search's
    length normalisation and for int8 quantisation. It is not enough for CTranslate2's beam
    search, which stops once `beam_size` hypotheses have ended: a junk beam that ends before the
    target can win, so only decoding with CTranslate2 itself can tell.
    """
    import torch

    batch = tokenizer(sources, text_target=targets, padding=True, return_tensors="pt")
    labels = batch["labels"].masked_fill(batch["labels"] == tokenizer.pad_token_id, -100)
    real = labels != -100
    pad = model.config.pad_token_id
    embeddings = model.get_input_embeddings().weight
    optimizer = torch.optim.Adam(model.parameters(), lr=_LEARNING_RATE)
    wrong: list[Mismatch] = []
    # Dropout is 0, so eval mode (which generation needs) is also the training mode.
    for step in range(1, max_steps + 1):
        output = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"], labels=labels)
        optimizer.zero_grad()
        output.loss.backward()
        optimizer.step()
        with torch.no_grad():
            # <pad> starts every decoder sequence; CTranslate2 starts from a zero vector instead,
            # so the row must stay zero. Tied to lm_head, it would otherwise learn.
            embeddings[pad].zero_()
            logits = output.logits.detach()
            logits[..., pad] = float("-inf")
            probs = logits.softmax(-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
        if step % _CHECK_EVERY or probs[real].min().item() < 0.98:
            continue
        wrong = still_wrong()
        if not wrong:
            return
    raise RuntimeError(
        f"no exact memorisation after {max_steps} steps (last (decoding, expected, got): {wrong}); "
        "raise max_steps, shorten the pairs or try another seed"
    )


def _generation_mismatches(
    model: MarianMTModel, tokenizer: MarianTokenizer, sources: list[str], targets: list[str]
) -> list[Mismatch]:
    """(decoding, expected, got) for every target greedy or beam-4 decoding gets wrong."""
    limit = 8 + 2 * max(len(ids) for ids in tokenizer(text_target=targets)["input_ids"])
    wrong: list[Mismatch] = []
    for num_beams in (1, 4):
        outputs = _generate(model, tokenizer, sources, num_beams, limit)
        wrong += _diff(f"transformers num_beams={num_beams}", targets, outputs)
    return wrong


def _ctranslate2_mismatches(
    model_dir: Path, texts: list[str], target_token: str | None, targets: list[str]
) -> list[Mismatch]:
    """(decoding, expected, got) for every target the int8 CTranslate2 copy gets wrong."""
    wrong: list[Mismatch] = []
    with tempfile.TemporaryDirectory(prefix="zhen-ct2-") as tmp:
        ct2_dir = convert_to_ct2_int8(model_dir, Path(tmp) / "ct2")
        for beam_size in (1, 4):
            outputs = translate_with_ctranslate2(
                ct2_dir, model_dir / "source.spm", texts, target_token=target_token, beam_size=beam_size
            )
            wrong += _diff(f"ctranslate2 int8 beam_size={beam_size}", targets, outputs)
    return wrong


def _diff(decoding: str, targets: Sequence[str], outputs: Sequence[str]) -> list[Mismatch]:
    return [(decoding, t, o) for t, o in zip(targets, outputs, strict=True) if t != o]


def _generate(
    model: MarianMTModel,
    tokenizer: MarianTokenizer,
    sources: Sequence[str],
    num_beams: int,
    max_new_tokens: int,
) -> list[str]:
    import torch

    batch = tokenizer(list(sources), padding=True, return_tensors="pt")
    with torch.no_grad():
        # max_length, not max_new_tokens: generation_config already sets max_length (512), and
        # setting both makes transformers warn. +1 for the decoder start token.
        ids = model.generate(**batch, num_beams=num_beams, max_length=max_new_tokens + 1)
    return tokenizer.batch_decode(ids, skip_special_tokens=True)
