"""MarianMT tokenization with only `json` and `sentencepiece`: no torch, no transformers.

The CTranslate2 engine uses this so that a translation never pays the seconds that importing
transformers costs. It reproduces `transformers.MarianTokenizer` (5.x) exactly, including its
quirks, because a different token sequence means a different translation:

- text is split around the special tokens `</s>`, `<unk>`, `<pad>` first, and each part is
  encoded on its own (so a literal "</s>" in a message becomes the end-of-sentence token);
- a part that starts with `>>xxx<<` gives that code as one token before the rest is encoded;
- pieces missing from `vocab.json` become `<unk>` (the vocab is not aligned with the spm ids);
  the CTranslate2 engine leaves that mapping to CTranslate2, which gives them the same id
  without zhen reading the vocabulary at all;
- no punctuation normalisation: MarianTokenizer defines a Moses normaliser but never calls it
  while tokenizing; sentencepiece's own NFKC rules (inside the .spm files) are all there is.
"""

from __future__ import annotations

import json
import re
import threading
from functools import cached_property
from pathlib import Path

from ..errors import ModelBrokenError
from ..modelfolder import TOKENIZER_CONFIG, TOKENIZER_FILES

SPIECE_UNDERLINE = "▁"


class MarianSentencePieceTokenizer:
    """Source-side encoding and target-side decoding for one OPUS-MT model folder."""

    def __init__(self, model_dir: Path) -> None:
        import sentencepiece

        self.model_dir = Path(model_dir)
        for name in TOKENIZER_FILES:
            if not (self.model_dir / name).is_file():
                raise ModelBrokenError(self.model_dir, f"{name} is missing")
        config = read_json_object(self.model_dir / TOKENIZER_CONFIG, self.model_dir, missing_ok=True)
        if config.get("separate_vocabs"):
            raise ModelBrokenError(self.model_dir, "separate source and target vocabularies are not supported")
        self.eos = _token(config, "eos_token", "</s>")
        self.unk = _token(config, "unk_token", "<unk>")
        self.pad = _token(config, "pad_token", "<pad>")

        self.specials = (self.eos, self.unk, self.pad)
        # Longest first, like transformers' trie: the longest special token wins a tie.
        alternatives = "|".join(re.escape(t) for t in sorted(self.specials, key=len, reverse=True))
        self._special_split = re.compile(f"({alternatives})")

        try:
            self._source = sentencepiece.SentencePieceProcessor(model_file=str(self.model_dir / "source.spm"))
            self._target = sentencepiece.SentencePieceProcessor(model_file=str(self.model_dir / "target.spm"))
        except (OSError, RuntimeError) as exc:
            raise ModelBrokenError(self.model_dir, f"cannot read its sentencepiece models: {exc}") from None

    @cached_property
    def vocab(self) -> dict[str, int]:
        """The model's vocabulary, read when first needed: parsing it takes 50-90 ms that hold
        the GIL, and neither counting tokens nor CTranslate2 (which maps unknown pieces to
        `<unk>` itself) needs it."""
        vocab = read_json_object(self.model_dir / "vocab.json", self.model_dir)
        for token in self.specials:
            if token not in vocab:
                raise ModelBrokenError(self.model_dir, f"vocab.json has no {token} token")
        return vocab

    def encode_pieces(self, text: str, target_token: str | None = None, *, unknown_as_unk: bool = True) -> list[str]:
        """The model's input pieces for `text`, ending in `</s>`.

        `target_token` (`>>cmn_Hans<<`) is put first, as MarianTokenizer does with
        `f"{target_token} {text}"`: only that leading code is taken out of the text.
        `unknown_as_unk=False` leaves pieces missing from the vocabulary as they are, for a
        consumer that maps them to `<unk>` itself or only counts them.
        """
        pieces = [target_token] if target_token else []
        for index, part in enumerate(self._special_split.split(text)):
            if not part:
                continue
            if part in self.specials:
                pieces.append(part)
                continue
            if part.startswith(">>") and not (index == 0 and target_token):
                end = part.find("<<")
                if end != -1:
                    pieces.append(part[: end + 2])
                    part = part[end + 2 :]
            pieces.extend(self._source.encode(part, out_type=str))
        pieces.append(self.eos)
        if not unknown_as_unk:
            return pieces
        vocab, unk = self.vocab, self.unk
        return [piece if piece in vocab else unk for piece in pieces]

    def decode(self, pieces: list[str]) -> str:
        """Text of generated pieces, like `MarianTokenizer.batch_decode(skip_special_tokens=True)`:
        special tokens are dropped, and pieces the spm model does not know pass through as text."""
        kept = [piece for piece in pieces if piece not in self.specials]
        return self._target.decode_pieces(kept).replace(SPIECE_UNDERLINE, " ").strip()


#: The tokenizer last read from each folder, with the state of its files then; `_read_lock` is
#: held while one is read, so that two threads asking at once (a batch's token counter and the
#: engine loading beside it) read the files once.
_read: dict[Path, tuple[tuple[tuple[int, int] | None, ...], MarianSentencePieceTokenizer]] = {}
_read_lock = threading.Lock()


def shared_tokenizer(model_dir: Path) -> MarianSentencePieceTokenizer:
    """The tokenizer of a model folder, read once per process while its files are unchanged:
    its two sentencepiece models take about 0.15 s to read, its vocabulary 50-90 ms more."""
    folder = Path(model_dir).resolve()
    state = tuple(_file_state(folder / name) for name in (*TOKENIZER_FILES, TOKENIZER_CONFIG))
    with _read_lock:
        known = _read.get(folder)
        if known is not None and known[0] == state:
            return known[1]
        tokenizer = MarianSentencePieceTokenizer(folder)  # a broken folder raises, and is read again next time
        _read[folder] = (state, tokenizer)
        return tokenizer


def _file_state(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def _token(config: dict, key: str, default: str) -> str:
    """A special token from tokenizer_config.json, which stores it as a string or as a dict."""
    value = config.get(key, default)
    if isinstance(value, dict):
        value = value.get("content", default)
    return value if isinstance(value, str) else default


def read_json_object(path: Path, folder: Path, *, missing_ok: bool = False) -> dict:
    """A JSON object from a model folder; anything else means the folder is broken."""
    if missing_ok and not path.is_file():
        return {}
    try:
        value = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelBrokenError(folder, f"cannot read {path.name}: {exc}") from None
    if not isinstance(value, dict):
        raise ModelBrokenError(folder, f"{path.name} is not a JSON object")
    return value
