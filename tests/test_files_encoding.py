"""Encodings Chinese users' files come in: detected, decoded, written back as UTF-8."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.engines import IdentityEngine, TaggingEngine
from tests.test_files_formats import translator_with
from translator.files import translate_file
from translator.files.encoding import SAMPLE_SIZE, detect_encoding, open_text
from translator.files.errors import BinaryFileError, FileLanguageError, ForeignEncodingError, UndecodableFileError

SIMPLIFIED = "这家店的火锅太好吃了！\r\n谢谢你的分享，我在上海住了3年。\r\n"
TRADITIONAL = "這家店的火鍋太好吃了！\r\n謝謝你的分享，我在上海住了三年。\r\n"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (SIMPLIFIED, "utf-8", "utf-8"),
        (SIMPLIFIED, "utf-8-sig", "utf-8-sig"),
        (SIMPLIFIED, "utf-16", "utf-16"),
        (SIMPLIFIED, "gbk", "gb18030"),
        (SIMPLIFIED, "gb18030", "gb18030"),
        (TRADITIONAL, "big5", "cp950"),
        (TRADITIONAL, "gbk", "gb18030"),  # mainland software writes Traditional text as GBK too
        ("你好", "gbk", "gb18030"),  # two characters that also decode as Big5 ("斕疑")
        ("你好", "big5", "cp950"),
        ("plain ASCII", "ascii", "utf-8"),
    ],
)
def test_detects_the_encoding(text: str, encoding: str, expected: str) -> None:
    data = text.encode(encoding)
    assert detect_encoding(data, "x.txt", complete=True) == expected
    assert codecs.decode(data, expected) == text


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_either_byte_order_is_read_and_written_as_utf8(tmp_path: Path, bom: bytes, codec: str) -> None:
    source = tmp_path / "post.txt"
    source.write_bytes(bom + SIMPLIFIED.encode(codec))
    translate_file(source, tmp_path / "out.txt", translator_with(IdentityEngine()))
    assert (tmp_path / "out.txt").read_bytes() == SIMPLIFIED.encode("utf-8")


@pytest.mark.parametrize(("text", "encoding"), [(SIMPLIFIED, "gbk"), (TRADITIONAL, "big5"), (SIMPLIFIED, "gb18030")])
def test_legacy_chinese_encodings_become_utf8(tmp_path: Path, text: str, encoding: str) -> None:
    source = tmp_path / "post.srt"
    subtitles = f"1\r\n00:00:01,000 --> 00:00:02,000\r\n{text}"
    source.write_bytes(subtitles.encode(encoding))
    result = translate_file(source, tmp_path / "out.srt", translator_with(IdentityEngine()))
    # With a BOM: subtitle renderers on Windows (VSFilter) take a file without one for GBK or Big5.
    assert (tmp_path / "out.srt").read_bytes() == codecs.BOM_UTF8 + subtitles.encode("utf-8")
    assert result.encoding in ("gb18030", "cp950")


def test_the_encoding_is_found_past_a_plain_ascii_start(tmp_path: Path) -> None:
    # A fan-subtitle file embeds its fonts as ASCII before the events: the Chinese, in GBK, starts
    # far past the first sample. Also through standard input, which cannot be read twice.
    fonts = "[Fonts]\nfontname: font.ttf\n" + "M" * 79 + "\n"
    event = "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,"
    text = "[Script Info]\nScriptType: v4.00+\n\n" + fonts * 2000 + f"\n[Events]\n{event}{SIMPLIFIED}\n"
    source = tmp_path / "fansub.ass"
    source.write_bytes(text.encode("gbk"))
    assert source.stat().st_size > 2 * SAMPLE_SIZE
    result = translate_file(source, tmp_path / "out.ass", translator_with(IdentityEngine()))
    assert result.encoding == "gb18030"
    assert (tmp_path / "out.ass").read_bytes() == codecs.BOM_UTF8 + text.encode("utf-8")
    with source.open("rb") as stdin:
        decoded = open_text(stdin)
        assert decoded.encoding == "gb18030" and decoded.stream.read() == text


@pytest.mark.parametrize(
    ("encoded", "bom"),
    [
        (lambda text: text.encode("gbk"), True),
        (lambda text: codecs.BOM_UTF16_LE + text.replace(",", "\t").encode("utf-16-le"), True),
        (lambda text: text.encode("utf-8"), False),
        (lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), True),
    ],
    ids=["gbk", "excel-unicode-text", "utf-8", "utf-8-bom"],
)
def test_a_table_from_a_legacy_encoding_gets_a_bom_for_excel(
    tmp_path: Path, encoded: Callable[[str], bytes], bom: bool
) -> None:
    # Excel opens a CSV without a BOM in the system's code page: GBK in, plain UTF-8 out would
    # open as mojibake on the machine the file came from.
    table = "昵称,评论\r\n小王,这家店的火锅太好吃了！\r\n"
    source = tmp_path / "comments.csv"
    source.write_bytes(encoded(table))
    translate_file(source, tmp_path / "out.csv", translator_with(IdentityEngine()), fields=["评论"])
    written = (tmp_path / "out.csv").read_bytes()
    assert written.startswith(codecs.BOM_UTF8) is bom
    assert written.removeprefix(codecs.BOM_UTF8).decode("utf-8").startswith("昵称")


def test_a_utf8_bom_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "post.md"
    source.write_bytes(codecs.BOM_UTF8 + "# 你好！\n".encode())
    translate_file(source, tmp_path / "out.md", translator_with(IdentityEngine()))
    assert (tmp_path / "out.md").read_bytes() == source.read_bytes()


def test_a_character_cut_by_the_sample_edge_is_still_utf8(tmp_path: Path) -> None:
    # "你" is 3 bytes: put one across the end of the sample that detection reads.
    text = "a" * (SAMPLE_SIZE - 1) + "你好"
    source = tmp_path / "long.txt"
    source.write_text(text, encoding="utf-8")
    assert open_text(source).encoding == "utf-8"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        bytes(range(256)) * 4,
        "你好".encode() + b"\x00\x01\x02",
    ],
)
def test_binary_files_are_refused_by_name(tmp_path: Path, data: bytes) -> None:
    source = tmp_path / "photo.txt"
    source.write_bytes(data)
    with pytest.raises(BinaryFileError, match=r"photo\.txt: binary file"):
        translate_file(source, tmp_path / "out.txt", translator_with(IdentityEngine()))
    assert not (tmp_path / "out.txt").exists()


def test_undecodable_text_is_refused_by_name(tmp_path: Path) -> None:
    source = tmp_path / "notes.txt"
    # Valid in no candidate encoding: 0xFF is never a lead byte in UTF-8, GB18030 or Big5.
    source.write_bytes("你好".encode() + b"\xff\xfe\xff hello")
    with pytest.raises(UndecodableFileError, match=r"notes\.txt: cannot decode"):
        translate_file(source, tmp_path / "out.txt", translator_with(IdentityEngine()))


def test_a_bad_byte_after_the_sample_fails_the_file_without_output(tmp_path: Path) -> None:
    source = tmp_path / "big.txt"
    source.write_bytes(("你好！\n" * (SAMPLE_SIZE // 4)).encode() + b"\xff\xfe\n")
    with pytest.raises(UndecodableFileError, match=r"big\.txt: .*invalid utf-8 data"):
        translate_file(source, tmp_path / "out.txt", translator_with(IdentityEngine()))
    assert list(tmp_path.iterdir()) == [source]


JAPANESE = "こんにちは。今日はいい天気ですね。\n私は毎朝コーヒーを飲みます。\n"
KOREAN = "안녕하세요. 오늘 날씨가 정말 좋네요.\n저는 한국어를 공부하고 있습니다.\n"


@pytest.mark.parametrize(
    ("text", "encoding", "language"),
    [
        (JAPANESE, "shift_jis", "Japanese"),
        (JAPANESE, "cp932", "Japanese"),
        (JAPANESE, "euc_jp", "Japanese"),
        (KOREAN, "euc_kr", "Korean"),
        (KOREAN, "cp949", "Korean"),
        ("감사합니다\n", "euc_kr", "Korean"),
    ],
)
def test_japanese_and_korean_encodings_are_refused_not_read_as_gb18030(
    tmp_path: Path, text: str, encoding: str, language: str
) -> None:
    """GB18030 decodes these bytes without error, into mojibake that was then "translated"."""
    source = tmp_path / "post.txt"
    source.write_bytes(text.encode(encoding))
    with pytest.raises(ForeignEncodingError, match=rf"post\.txt: looks like {language} text"):
        translate_file(source, tmp_path / "out.txt", translator_with(TaggingEngine()))
    assert not (tmp_path / "out.txt").exists()


def test_chinese_is_never_taken_for_japanese_or_korean(flores_zh: list[str]) -> None:
    """Every FLORES sentence, whole and its first 2, 4 and 8 characters, in GBK and Big5."""
    import opencc

    traditional = opencc.OpenCC("s2t")
    for line in flores_zh:
        for encoding, text in (("gb18030", line), ("big5", traditional.convert(line))):
            for piece in (text, text[:2], text[:4], text[:8]):
                try:
                    data = piece.encode(encoding)
                except UnicodeEncodeError:
                    continue
                assert detect_encoding(data, "x.txt", complete=True) in ("utf-8", "gb18030", "cp950", "big5hkscs")


@pytest.mark.parametrize("text", ["这家店的火锅太好吃了", "谢谢你的分享", "我在上海住了"])
def test_a_short_utf8_file_cut_mid_character_is_not_read_as_gb18030(tmp_path: Path, text: str) -> None:
    source = tmp_path / "cut.txt"
    source.write_bytes(text.encode("utf-8")[:-1])
    assert detect_encoding(source.read_bytes(), source, complete=True) == "utf-8"
    with pytest.raises(UndecodableFileError, match=r"cut\.txt: .*invalid utf-8 data"):
        translate_file(source, tmp_path / "out.txt", translator_with(IdentityEngine()))


def test_encoding_can_be_forced(tmp_path: Path) -> None:
    source = tmp_path / "post.txt"
    source.write_bytes("斕疑".encode("big5"))  # the bytes of GBK "你好", detected as GBK ...
    assert open_text(source).encoding == "gb18030"
    translate_file(source, tmp_path / "out.txt", translator_with(IdentityEngine()), encoding="big5")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "斕疑"
    # Japanese named explicitly is read as Japanese, and so refused as a Japanese file.
    (tmp_path / "ja.txt").write_bytes(JAPANESE.encode("shift_jis"))
    with pytest.raises(FileLanguageError, match="looks like Japanese"):
        translate_file(
            tmp_path / "ja.txt", tmp_path / "ja.out.txt", translator_with(IdentityEngine()), encoding="shift_jis"
        )
    assert not (tmp_path / "ja.out.txt").exists()
    # So is a Japanese file with its target named: its kanji-only lines would reach the Chinese model.
    (tmp_path / "ja.vtt").write_text(
        f"WEBVTT\n\n00:00.000 --> 00:01.000\n首刈り機\n\n00:01.000 --> 00:02.000\n{JAPANESE}\n"
    )
    with pytest.raises(FileLanguageError, match="looks like Japanese"):
        translate_file(tmp_path / "ja.vtt", tmp_path / "ja.en.vtt", translator_with(IdentityEngine()), target="en")


def test_forced_encoding_that_does_not_fit_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from translator.cli.main import main

    source = tmp_path / "post.txt"
    source.write_bytes(SIMPLIFIED.encode("utf-8"))
    assert main(["file", str(source), "--encoding", "ascii", "--no-cache", "--quiet"]) == 1
    error = capsys.readouterr().err.strip()
    assert error == f"zhen: {source}: does not decode with --encoding (byte 0 is not ascii): " + (
        "check the encoding, or leave --encoding out"
    )
    assert main(["file", str(source), "--encoding", "klingon"]) == 2
    assert "unknown encoding 'klingon'" in capsys.readouterr().err
    assert main(["file", str(source), "--encoding", "rot13"]) == 2
    assert "not a text encoding" in capsys.readouterr().err
