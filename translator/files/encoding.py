"""Open a text file in whatever encoding Chinese and English users save files in.

Exported comments and subtitles come as UTF-8 (with or without a BOM), UTF-16 from Windows tools,
GBK/GB18030 from mainland software and Big5 from Taiwan and Hong Kong. Only a sample is examined,
so a 100 MB file is not read twice: the start of the file, or, when the start is plain ASCII (an
ASS file's embedded fonts, a long English header), the first stretch that is not. A bad byte later
on surfaces as a `UnicodeDecodeError` while reading, which the caller turns into
`UndecodableFileError`.

GBK and Big5 share most of their byte ranges, so short texts often decode without error both
ways and statistical detectors (charset-normalizer included) guess wrong: GBK "你好" reads as the
Big5 "斕疑". The tie-breaker here is how many of the decoded Han characters are common ones.

GB18030 decodes almost any bytes, so Japanese (Shift-JIS, EUC-JP) and Korean (EUC-KR, CP949)
files would otherwise come out as plausible-looking mojibake. They are recognised first, by
what real text in those languages is made of: Japanese is full of hiragana and katakana, Korean
of the same few hundred Hangul syllables. They are refused, as zhen refuses Japanese and Korean
text, unless the user names the encoding (`--encoding`).
"""

from __future__ import annotations

import codecs
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from ..scripts import is_cjk_wide, is_han, is_hangul, is_kana
from .errors import BinaryFileError, ForeignEncodingError, UndecodableFileError

#: Bytes examined to choose an encoding.
SAMPLE_SIZE = 64 * 1024
#: How far past a plain-ASCII start the first other bytes are looked for in standard input, whose
#: bytes are held in memory until they are read again (a file is read twice instead).
STREAM_LOOKAHEAD = 16 * 1024 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Legacy Chinese encodings tried when the bytes are not UTF-8, in order of preference on a tie.
#: GB18030 is a superset of GBK and GB2312; cp950 is Big5 as Windows writes it.
_LEGACY = ("gb18030", "cp950", "big5hkscs")
#: Japanese and Korean legacy encodings, recognised only to be refused (see the module doc).
_JAPANESE = ("cp932", "euc_jp")
_KOREAN = ("cp949",)
#: In real Japanese text at least this share of the non-ASCII characters is kana (mostly
#: hiragana); Chinese read as Shift-JIS gives half-width katakana, which is not counted.
_KANA_SHARE = 0.2
#: The most frequent Hangul syllables: about half of any Korean text. Chinese bytes read as
#: CP949 give Hangul too, but spread over all 2,350 syllables of KS X 1001.
_FREQUENT_HANGUL = frozenset(
    "이다는의에하고가을지서기사한로리자도를으있대어나시수인게아해국정보부일주전그구제상들만요우없것되면"
    "여내라스동중장성경위원조적니습세안까께거했러문간생소과공신화각치실날오저데말년때미개분유선식학교계회운모"
)
#: Share of frequent syllables needed: Korean sentences measured 0.57-1.0, Chinese FLORES
#: sentences read as CP949 at most 0.4 (0.5 for a few of the shortest, hence the stricter bar).
_FREQUENT_HANGUL_SHARE = 0.5
_FREQUENT_HANGUL_SHARE_SHORT = 0.6
_SHORT_HANGUL = 12
#: Control characters that never appear in text files (tab, line breaks and form feed do).
_CONTROL = frozenset(chr(code) for code in range(32) if chr(code) not in "\t\n\r\f\x1b") | {"\x7f"}


@dataclass(frozen=True)
class Decoded:
    """An open text stream plus what was learnt about its bytes."""

    stream: io.TextIOWrapper
    encoding: str
    #: A UTF-8 BOM was present: it is written back so that an untouched file stays identical.
    bom: bool
    #: Size in bytes, when known (not for pipes): the denominator of the progress bar.
    size: int | None
    #: The start of the text, for recognising the format by content.
    sample: str

    @property
    def bytes_read(self) -> int:
        """How far into the raw bytes reading has got (ahead of parsing by one buffer)."""
        buffer: BinaryIO = self.stream.buffer  # type: ignore[assignment]  # a BufferedReader here
        return buffer.tell()


def detect_encoding(sample: bytes, name: str | Path, complete: bool) -> str:
    """Name the codec for a file starting with `sample` (`complete`: the sample is all of it)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample:
        raise BinaryFileError(name)
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    if complete and _cut_utf8(sample):
        # A short UTF-8 file cut in the middle of its last character: reading it fails with a
        # clear message, where GB18030 or Big5 would read it all as the wrong characters.
        return "utf-8"
    foreign = _foreign_encoding(sample, complete)
    if foreign is not None:
        raise ForeignEncodingError(name, *foreign)
    candidates = [encoding for encoding in _LEGACY if _decodes(sample, encoding, complete)]
    if not candidates:
        raise UndecodableFileError(name)
    if len(candidates) > 1:
        candidates.sort(key=lambda encoding: -_common_han_share(_decode(sample, encoding)))
    encoding = candidates[0]
    if _control_share(_decode(sample, encoding)) > 0.01:
        raise BinaryFileError(name)
    return encoding


def _cut_utf8(sample: bytes) -> bool:
    """`sample` is UTF-8 Chinese, Japanese or Korean text whose last character is incomplete."""
    try:
        text = _decode(sample, "utf-8", complete=False)
    except UnicodeDecodeError:
        return False
    wide = _wide(text)
    return bool(wide) and all(is_cjk_wide(char) for char in wide)


def _foreign_encoding(sample: bytes, complete: bool) -> tuple[str, str] | None:
    """(language, encoding) when `sample` reads as real Japanese or Korean text, else None."""
    for language, encodings, plausible in (("Japanese", _JAPANESE, _japanese), ("Korean", _KOREAN, _korean)):
        for encoding in encodings:
            if _decodes(sample, encoding, complete) and plausible(_decode(sample, encoding, complete)):
                if language == "Japanese" and _clean_chinese(sample, complete):
                    # Big5's most common characters are EUC-JP's kana rows: short Big5 text can
                    # read as kana. A reading that is all common Chinese characters wins.
                    continue
                return language, encoding
    return None


def _wide(text: str) -> list[str]:
    return [char for char in text if not char.isascii() and not char.isspace()]


def _wide_kana(char: str) -> bool:
    # Half-width katakana is what Chinese bytes read as Shift-JIS turn into: not evidence.
    return is_kana(char) and unicodedata.east_asian_width(char) == "W"


def _japanese(text: str) -> bool:
    wide = _wide(text)
    kana = sum(_wide_kana(char) for char in wide)
    return kana >= 3 and kana >= _KANA_SHARE * len(wide)


def _korean(text: str) -> bool:
    wide = _wide(text)
    hangul = [char for char in wide if is_hangul(char)]
    if len(hangul) < 4 or len(hangul) < 0.5 * len(wide):
        return False
    bar = _FREQUENT_HANGUL_SHARE if len(hangul) >= _SHORT_HANGUL else _FREQUENT_HANGUL_SHARE_SHORT
    return sum(char in _FREQUENT_HANGUL for char in hangul) >= bar * len(hangul)


def _clean_chinese(sample: bytes, complete: bool) -> bool:
    """Some Chinese encoding reads `sample` as common Chinese characters only, without kana."""
    for encoding in _LEGACY:
        if _decodes(sample, encoding, complete):
            text = _decode(sample, encoding, complete)
            if not any(_wide_kana(char) for char in text) and _common_han_share(text) >= 0.99:
                return True
    return False


def _decode(sample: bytes, encoding: str, complete: bool = False) -> str:
    # An incremental decoder does not fail on a character cut in half at the end of the sample.
    return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=complete)


def _decodes(sample: bytes, encoding: str, complete: bool) -> bool:
    try:
        _decode(sample, encoding, complete)
    except UnicodeDecodeError:
        return False
    return True


def _control_share(text: str) -> float:
    return sum(char in _CONTROL for char in text) / max(len(text), 1)


def _common_han_share(text: str) -> float:
    han = [char for char in text if is_han(char)]
    if not han:
        return 0.0
    common = _common_han()
    return sum(char in common for char in han) / len(han)


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """GB2312's level-1 characters (the 3755 most used) in Simplified and Traditional forms."""
    simplified = "".join(
        bytes([row, cell]).decode("gb2312")
        for row in range(0xB0, 0xD8)
        for cell in range(0xA1, 0xFF)
        if not (row == 0xD7 and cell > 0xF9)  # the last row of level 1 is short
    )
    import opencc

    return frozenset(simplified) | frozenset(opencc.OpenCC("s2t").convert(simplified))


class _Prefixed(io.RawIOBase):
    """A pipe whose first bytes were already read for detection, put back in front."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix = prefix
        self._rest = rest
        self._position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size] = self._prefix[:size]
            self._prefix = self._prefix[size:]
        else:
            data = self._rest.read(len(buffer))
            size = len(data)
            buffer[:size] = data
        self._position += size
        return size

    def tell(self) -> int:
        return self._position


def check_encoding(name: str) -> str:
    """The codec's canonical name for `--encoding NAME`; UsageError for unknown or non-text codecs."""
    from ..errors import UsageError

    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UsageError(f"unknown encoding {name!r}: try utf-8, gb18030, big5, utf-16") from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(f"{name!r} is not a text encoding: try utf-8, gb18030, big5, utf-16")
    return info.name


def _chosen(sample: bytes, name: str | Path, complete: bool, forced: str | None) -> str:
    if forced is None:
        return detect_encoding(sample, name, complete)
    encoding = check_encoding(forced)
    if encoding == "utf-8" and sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"  # the BOM is kept apart and written back, as when detected
    try:
        _decode(sample, encoding, complete)
    except UnicodeDecodeError as error:
        raise UndecodableFileError(name, f"byte {error.start} is not {encoding}", forced=True) from None
    return encoding


def _past_ascii(read: Callable[[int], bytes], limit: int | None) -> tuple[bytes, bool, list[bytes]]:
    """After a full sample of plain ASCII: the first stretch of the rest that is not ASCII (up
    to two samples long, starting at a character boundary since what precedes it is ASCII),
    whether it ends the input, and every chunk read (for a stream that cannot be read again).
    `limit`: bytes to read at most before settling for what was seen."""
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = read(SAMPLE_SIZE)
        chunks.append(chunk)
        total += len(chunk)
        if len(chunk) < SAMPLE_SIZE or (limit is not None and total >= limit):
            return chunk, len(chunk) < SAMPLE_SIZE, chunks
        if not chunk.isascii():
            more = read(SAMPLE_SIZE)
            chunks.append(more)
            return chunk + more, len(more) < SAMPLE_SIZE, chunks


def open_text(source: str | Path | BinaryIO, name: str | Path | None = None, *, encoding: str | None = None) -> Decoded:
    """Open a path or a binary stream (stdin) for reading text with line endings untouched.

    `encoding` forces a codec instead of detecting one.
    """
    forced = encoding
    if isinstance(source, (str, Path)):
        name = name or source
        raw: BinaryIO = open(source, "rb")  # noqa: SIM115 (owned by the returned stream)
        try:
            size: int | None = Path(source).stat().st_size
            sample = raw.read(SAMPLE_SIZE)
            probe, complete = sample, len(sample) < SAMPLE_SIZE
            if forced is None and not complete and sample.isascii():
                probe, complete, _ = _past_ascii(raw.read, None)
            encoding = _chosen(probe, name, complete, forced)
            raw.seek(0)
        except BaseException:
            raw.close()
            raise
        buffered = raw
    else:
        name = name or "<stdin>"
        size = None
        sample = source.read(SAMPLE_SIZE)
        probe, complete, read_past = sample, len(sample) < SAMPLE_SIZE, [sample]
        if forced is None and not complete and sample.isascii():
            probe, complete, past = _past_ascii(source.read, STREAM_LOOKAHEAD)
            read_past += past
        encoding = _chosen(probe, name, complete, forced)
        buffered = io.BufferedReader(_Prefixed(b"".join(read_past), source))
    bom = encoding == "utf-8-sig"
    # Not final: a file cut mid-character fails when read, with the file named.
    text_sample = _decode(sample, encoding)
    # newline="" keeps \r\n and \r exactly as they are while still splitting lines on them.
    stream = io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline="")
    return Decoded(stream, encoding, bom, size, text_sample)
