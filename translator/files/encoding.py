"""Open a text file in whatever encoding Chinese and English users save files in.

Exported comments and subtitles come as UTF-8 (with or without a BOM), UTF-16 from Windows tools,
GBK/GB18030 from mainland software and Big5 from Taiwan and Hong Kong. Only a sample from the
start of the file is examined, so a 100 MB file is not read twice; a bad byte later on surfaces
as a `UnicodeDecodeError` while reading, which the caller turns into `UndecodableFileError`.

GBK and Big5 share most of their byte ranges, so short texts often decode without error both
ways and statistical detectors (charset-normalizer included) guess wrong: GBK "你好" reads as the
Big5 "斕疑". The tie-breaker here is how many of the decoded Han characters are common ones.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from ..scripts import is_han
from .errors import BinaryFileError, UndecodableFileError

#: Bytes examined to choose an encoding.
SAMPLE_SIZE = 64 * 1024

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
#: Legacy Chinese encodings tried when the bytes are not UTF-8, in order of preference on a tie.
#: GB18030 is a superset of GBK and GB2312; cp950 is Big5 as Windows writes it.
_LEGACY = ("gb18030", "cp950", "big5hkscs")
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
        return self.stream.buffer.tell()


def detect_encoding(sample: bytes, name: str | Path, complete: bool) -> str:
    """Name the codec for a file starting with `sample` (`complete`: the sample is all of it)."""
    for bom, encoding in _BOMS:
        if sample.startswith(bom):
            return encoding
    if b"\x00" in sample:
        raise BinaryFileError(name)
    if _decodes(sample, "utf-8", complete):
        return "utf-8"
    candidates = [encoding for encoding in _LEGACY if _decodes(sample, encoding, complete)]
    if not candidates:
        raise UndecodableFileError(name)
    if len(candidates) > 1:
        candidates.sort(key=lambda encoding: -_common_han_share(_decode(sample, encoding)))
    encoding = candidates[0]
    if _control_share(_decode(sample, encoding)) > 0.01:
        raise BinaryFileError(name)
    return encoding


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


def open_text(source: str | Path | BinaryIO, name: str | Path | None = None) -> Decoded:
    """Open a path or a binary stream (stdin) for reading text with line endings untouched."""
    if isinstance(source, (str, Path)):
        name = name or source
        raw: BinaryIO = open(source, "rb")  # noqa: SIM115 (owned by the returned stream)
        try:
            size: int | None = Path(source).stat().st_size
            sample = raw.read(SAMPLE_SIZE)
            encoding = detect_encoding(sample, name, complete=len(sample) < SAMPLE_SIZE)
            raw.seek(0)
        except BaseException:
            raw.close()
            raise
        buffered = raw
    else:
        name = name or "<stdin>"
        size = None
        sample = source.read(SAMPLE_SIZE)
        encoding = detect_encoding(sample, name, complete=len(sample) < SAMPLE_SIZE)
        buffered = io.BufferedReader(_Prefixed(sample, source))
    bom = encoding == "utf-8-sig"
    text_sample = _decode(sample, encoding, complete=len(sample) < SAMPLE_SIZE)
    # newline="" keeps \r\n and \r exactly as they are while still splitting lines on them.
    stream = io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline="")  # type: ignore[arg-type]
    return Decoded(stream, encoding, bom, size, text_sample)
