"""Every file format through `translate_file`: nothing but prose may change.

With an engine that returns its input, every output must equal its input byte for byte (for CSV:
the original columns byte for byte, plus new columns equal to the translated ones). A tagging
engine (`en(...)`) then shows exactly which strings reached the model and where they came back.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.engines import IdentityEngine, TaggingEngine
from tests.linearity import LINEAR_BOUND, linear_ratio
from translator import Translator
from translator.files import translate_file
from translator.files.errors import MalformedFileError
from translator.files.formats import format_for, subtitles
from translator.glossary.matcher import Glossary

FIXTURES = Path(__file__).parent / "data" / "files"
TEXT_FIXTURES = sorted(path.name for path in FIXTURES.iterdir() if path.suffix != ".csv")


def translator_with(engine: object, **options: object) -> Translator:
    """A Translator around a test engine: no slang rewriting, no cache, no glossary notes."""
    settings: dict[str, object] = {"rewrite_slang": False, "cache": False, "glossary": Glossary([])}
    return Translator(engine=engine, **{**settings, **options})  # type: ignore[arg-type]


def translate_text(tmp_path: Path, name: str, text: str, engine: object, **options: object) -> str:
    """Write `text` as file `name` in tmp_path, translate it into English (unless `target` is given)
    and return the output text."""
    source, output = tmp_path / name, tmp_path / f"out-{name}"
    source.write_text(text, encoding="utf-8")
    translate_file(source, output, translator_with(engine), **{"target": "en", **options})  # type: ignore[arg-type]
    return output.read_text(encoding="utf-8")


def run(tmp_path: Path, name: str, engine: object | None = None, **options: object) -> str:
    """Translate fixture `name` into tmp_path and return the output text."""
    output = tmp_path / name
    translate_file(FIXTURES / name, output, translator_with(engine or TaggingEngine()), **options)  # type: ignore[arg-type]
    return output.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", TEXT_FIXTURES)
@pytest.mark.parametrize("target", [None, "en", "zh"])
def test_identity_engine_gives_the_input_back(tmp_path: Path, name: str, target: str | None) -> None:
    output = tmp_path / name
    engine = IdentityEngine()
    result = translate_file(FIXTURES / name, output, translator_with(engine), target=target)
    assert output.read_bytes() == (FIXTURES / name).read_bytes()
    if target != "zh":
        # The fixtures are Chinese: something must really have gone through the engine.
        assert engine.sentences_seen and result.translated > 0


@pytest.mark.parametrize("bilingual", [False, True])
def test_identity_csv_adds_columns_equal_to_the_originals(tmp_path: Path, bilingual: bool) -> None:
    output = tmp_path / "comments.csv"
    translate_file(FIXTURES / "comments.csv", output, translator_with(IdentityEngine()), bilingual=bilingual)
    original = (FIXTURES / "comments.csv").read_text(encoding="utf-8")
    result = output.read_text(encoding="utf-8")
    before = list(csv.reader(io.StringIO(original, newline="")))
    after = list(csv.reader(io.StringIO(result, newline="")))
    assert after[0] == [*before[0], "author_en", "text_en"]
    for old, new in zip(before[1:], after[1:], strict=True):
        assert new == [*old, old[1], old[2]]
    # Original bytes of each record, quoting and CRLF included, are a prefix of the new record.
    assert result.count("\r\n") == original.count("\r\n")
    assert '1,"小红薯",这家店的火锅太好吃了！,2025-03-01,https://example.com/1,' in result


def test_txt_translates_each_line_and_keeps_every_line_ending(tmp_path: Path) -> None:
    assert run(tmp_path, "post.txt") == (
        "en(这家店的火锅太好吃了！)\r\n"
        "\r\n"
        "　　en(我在上海住了3年。)  \r\n"
        "   \r\n"
        "Thank you very much!\r\n"
        "\ten(谢谢你的分享！)\t\r\n"
        # The label is Chinese although the URL has more letters: translated, and spaced for English.
        "en(链接：) https://www.xiaohongshu.com/explore/64a1b2c3d4e5f6a7b8c9d0e1\r\n"
        "#火锅 #成都美食 😋\r\n"
        "\r\n"
        "\r\n"
        "en(求链接！)"
    )


def test_txt_bilingual_puts_each_translation_under_its_line(tmp_path: Path) -> None:
    output = run(tmp_path, "post.txt", bilingual=True)
    assert output.startswith("这家店的火锅太好吃了！\r\nen(这家店的火锅太好吃了！)\r\n\r\n　　我在上海住了3年。  \r\n")
    # Lines that stay the same are not repeated; the last line had no line ending.
    assert "Thank you very much!\r\n\t谢谢" in output
    assert output.endswith("\r\n求链接！\nen(求链接！)")


def test_markdown_keeps_code_html_links_and_structure(tmp_path: Path) -> None:
    output = run(tmp_path, "notes.md")
    original = (FIXTURES / "notes.md").read_text(encoding="utf-8")
    kept = [
        "\ntags: [火锅, 奶茶]\ndate: 2025-03-01\n---\n",
        '> ```python\n> print("这家店的火锅太好吃了！")\n> ```\n',
        '```js\n// 求链接！\nconst greeting = "你好！";\n```\n',
        "~~~~\n谢谢你的分享！\n```\nstill code\n~~~~\n",
        "    这是缩进的代码，不要翻译。\n    indented code stays\n",
        "<!-- 注释：不要翻译 -->\n",
        '[ref]: https://example.com/ref "参考"\n',
        "|:-----|:----:|-----:|\n",
    ]
    for block in kept:
        assert block in original and block in output
    translated = [
        # A post's title is prose; the rest of the front matter is data.
        "---\ntitle: en(成都美食笔记)\n",
        # Text inside HTML blocks is prose (tags, attributes and comments are kept).
        '<div align="center">\n  <p>en(这段 HTML 不翻译。)</p>\n</div>\n',
        "# en(欢迎来到我的主页！)\n",
        # The lines of a paragraph are one text, and come back on one line.
        "en(这家店的火锅太好吃了！) en(我在上海住了3年。)\n",
        "## en(今天的穿搭好看吗？) ##\n",
        "- en(你好！)\n- en(求链接！)\n  - en(谢谢你的分享！)\n",
        "1. en(这个口红是在哪里买的？)\n2) en(周末一起去喝奶茶吧。)\n",
        "- [ ] en(2025年我想去成都旅游。)\n- [x] en(欢迎来到我的主页！)\n",
        "> en(这家咖啡店的环境很安静。)\n> > en(你好！)\n>\n",
        "Inline `code 你好！` ",
        'en(点击)[en(这里)](https://example.com/a_(b) "标题")en(查看，或者看图) '
        "![en(这家咖啡店的环境很安静。)](img/cafe.png)。\n",
        "[en(你好！)][ref]en(和)<https://example.com>en(，还有) **en(周末一起去喝奶茶吧。)** en(和) _en(求链接！)_",
        "| en(火锅) | en(这家店的火锅太好吃了！) | 100 |\n| `代码` | en(求链接！) \\| en(竖线) | 25 |\n",
        "en(今天的穿搭好看吗？)\n===================\n",
        "en(你好！)  \nen(谢谢你的分享！)\\\nen(求链接！)\n",
        "[^1]: en(脚注：欢迎来到我的主页！)\n",
    ]
    for block in translated:
        assert block in output


def test_markdown_bilingual_twins_keep_the_structure(tmp_path: Path) -> None:
    output = run(tmp_path, "notes.md", bilingual=True)
    assert "# 欢迎来到我的主页！\n# en(欢迎来到我的主页！)\n" in output
    assert "这家店的火锅太好吃了！\n我在上海住了3年。\n\nen(这家店的火锅太好吃了！) en(我在上海住了3年。)\n" in output
    assert "- 你好！\n  en(你好！)\n" in output
    assert "> 这家咖啡店的环境很安静。\n>\n> en(这家咖啡店的环境很安静。)\n" in output
    assert "| 火锅 | 这家店的火锅太好吃了！ | 100 |\n| en(火锅) | en(这家店的火锅太好吃了！) | 100 |\n" in output
    # A setext heading stays one heading: the translation is its second line.
    assert "今天的穿搭好看吗？\nen(今天的穿搭好看吗？)\n===" in output


@pytest.mark.parametrize("name", ["episode.srt", "episode-crlf.srt"])
def test_srt_keeps_numbers_timings_and_tags(tmp_path: Path, name: str) -> None:
    output = run(tmp_path, name)
    newline = "\r\n" if "crlf" in name else "\n"
    expected_cues = [
        "1\n00:00:01,000 --> 00:00:03,500\nen(你好！)\n",
        # Two lines of one sentence are one text; the tags around them wrap the new line(s).
        "2\n00:00:04,000 --> 00:00:06,000\n<i>en(这家店的火锅太好吃了！)</i>\n",
        "3\n00:00:06,500 --> 00:00:09,000 X1:100 X2:600 Y1:50 Y2:100\n{\\an8}en(欢迎来到我的主页！)\n",
        "4\n00:00:09,500 --> 00:00:12,000\n- en(你好！)\n- en(谢谢你的分享！)\n",
        '5\n00:00:12,500 --> 00:00:15,000\n<font color="#ffff00">en(求链接！)</font>\n',
        "6\n00:00:15,500 --> 00:00:18,000\n<b>en(姐妹们，)</b>en(这个面膜真的绝绝子！)\n",
        "7\n00:00:18,500 --> 00:00:21,000\n<i>en(周末一起去喝奶茶吧。)</i>\n<i>en(这家咖啡店的环境很安静。)</i>\n",
        "8\n00:00:21,500 --> 00:00:23,000\n♪ ♪",
    ]
    assert output == newline.join("\n".join(expected_cues).split("\n")).rstrip("\n") + ("" if "crlf" in name else "\n")


def test_srt_bilingual_shows_both_languages_in_each_cue(tmp_path: Path) -> None:
    output = run(tmp_path, "episode.srt", bilingual=True)
    assert "00:00:06,000\n<i>这家店的火锅\n太好吃了！</i>\n<i>en(这家店的火锅太好吃了！)</i>\n\n3\n" in output
    assert "- 你好！\n- 谢谢你的分享！\n- en(你好！)\n- en(谢谢你的分享！)\n" in output
    assert "♪ ♪\n" in output and "en(♪" not in output


def test_vtt_keeps_header_note_style_region_and_cue_settings(tmp_path: Path) -> None:
    output = run(tmp_path, "episode.vtt")
    original = (FIXTURES / "episode.vtt").read_text(encoding="utf-8")
    head = original[: original.index("intro\n")]
    assert output.startswith(head)
    assert "intro\n00:00.000 --> 00:02.500 align:start position:10% line:0\n<v 小红>en(你好！)\n" in output
    assert "<c.yellow>en(这家店的火锅太好吃了！)</c>\n" in output
    assert "00:00:05.500 --> 00:00:08.000 size:80%\n<v.loud 阿杰>en(姐妹们，这个面膜真的绝绝子！)</v>\n" in output
    # Karaoke timestamps are kept, after the line's text, which goes to the model whole.
    assert "en(谢谢你的分享！)<00:00:09.000>\n" in output
    assert output.endswith("- en(求链接！)\n- en(你好！)\n")


def test_json_translates_prose_values_only(tmp_path: Path) -> None:
    output = run(tmp_path, "posts.json")
    original = json.loads((FIXTURES / "posts.json").read_text(encoding="utf-8"))
    data = json.loads(output)
    post = data[0]
    assert post["title"] == "en(这家店的火锅太好吃了！)"
    assert post["desc"] == "en(姐妹们，这个面膜真的绝绝子！) #火锅[话题]# #成都美食[话题]#"
    assert post["tag_list"] == ["en(火锅)", "en(成都美食)", "#火锅#"]
    assert post["escaped"] == "en(求链接！)"
    assert post["comments"][0]["text"] == "en(谢谢你的分享！)"
    assert post["comments"][0]["sub_comments"][0]["text"] == "en(求链接！)"
    # Ids, URLs, dates, hashtag lists, numbers, English and Japanese text: untouched.
    for key in ("note_id", "type", "topics", "url", "image", "time", "iso_time", "liked_count", "score", "ratio"):
        assert post[key] == original[0][key]
    for index in (1, 2, 3):
        assert post["comments"][index] == original[0]["comments"][index]
    assert post["comments"][0]["sub_comments"][0]["at_users"] == ["@小红薯", "@Lily"]
    # Formatting is the file's own: escapes, number spellings, indentation.
    assert '"escaped": "en(\\u6c42\\u94fe\\u63a5\\uff01)",' in output
    assert '"score": 4.50,\n    "ratio": 1.0e3,' in output
    assert '"image": "http:\\/\\/sns-img.xhscdn.com\\/1040g008.jpg",' in output


def test_json_fields_pick_values_through_lists(tmp_path: Path) -> None:
    output = json.loads(run(tmp_path, "posts.json", fields=["title", "comments.text"]))
    post = output[0]
    assert post["title"] == "en(这家店的火锅太好吃了！)"
    assert post["desc"].startswith("姐妹们")
    assert post["comments"][0]["text"] == "en(谢谢你的分享！)"
    # `comments.text` does not reach comments.sub_comments.text ...
    assert post["comments"][0]["sub_comments"][0]["text"] == "求链接！"
    # ... and a named field is sent whatever it looks like: the library keeps what is not Chinese.
    assert post["comments"][1]["text"] == "Thank you very much!"
    assert output[1]["title"] == "en(今天的穿搭好看吗？)"


def test_json_bilingual_adds_sibling_members(tmp_path: Path) -> None:
    output = run(tmp_path, "posts.json", bilingual=True)
    data = json.loads(output)
    post = data[0]
    assert list(post)[:4] == ["note_id", "type", "title", "title_en"]
    assert (post["title"], post["title_en"]) == ("这家店的火锅太好吃了！", "en(这家店的火锅太好吃了！)")
    assert post["tag_list"] == ["火锅", "成都美食", "#火锅#"]
    assert post["tag_list_en"] == ["en(火锅)", "en(成都美食)", "#火锅#"]
    assert post["comments"][0]["text_en"] == "en(谢谢你的分享！)"
    assert '    "title": "这家店的火锅太好吃了！",\n    "title_en": "en(这家店的火锅太好吃了！)",\n' in output


def test_jsonl_streams_records_and_keeps_blank_lines(tmp_path: Path) -> None:
    lines = run(tmp_path, "comments.jsonl").split("\n")
    assert lines[0] == (
        # A nickname is a name, not prose (see translator.files.prose).
        '{"id": 1, "note_id": "64a1b2c3", "text": "en(你好！)", "user": {"nickname": "小红薯", '
        '"uid": "5f3a9c2e"}, "ts": 1709280000}'
    )
    assert lines[2] == ""
    assert lines[3] == (
        '{"id":3,"text":"en(周末一起去喝奶茶吧。)","replies":[{"text":"en(求链接！)","likes":3},'
        '{"text":"Hello!","likes":0}]}'
    )
    assert lines[4] == '"en(欢迎来到我的主页！)"'
    assert lines[5] == '{"id": 4, "text": "#成都美食[话题]#", "lang": "zh", "created": "2025-03-01T12:30:00Z"}'


def test_jsonl_bilingual_pairs_strings_without_a_member(tmp_path: Path) -> None:
    lines = run(tmp_path, "comments.jsonl", bilingual=True).split("\n")
    assert json.loads(lines[4]) == ["欢迎来到我的主页！", "en(欢迎来到我的主页！)"]
    assert json.loads(lines[3])["replies"][0] == {"text": "求链接！", "text_en": "en(求链接！)", "likes": 3}


def test_csv_fields_choose_columns_and_multi_line_cells_stay_quoted(tmp_path: Path) -> None:
    output = run(tmp_path, "comments.csv", fields=["text"])
    rows = list(csv.reader(io.StringIO(output, newline="")))
    assert rows[0] == ["id", "author", "text", "created_at", "url", "text_en"]
    assert rows[2][-1] == "en(这个口红是在哪里买的？)\nen(求链接！)"
    assert rows[4][-1] == "Thank you very much!"
    assert rows[5][-1] == ""


def test_csv_duplicate_column_names_get_columns_of_their_own(tmp_path: Path) -> None:
    source = tmp_path / "dup.csv"
    source.write_text("id,评论,评论,score\n1,这家店很好吃,服务也不错,5\n2,太贵了吧,不会再来,1\n", encoding="utf-8")
    translate_file(source, tmp_path / "out.csv", translator_with(TaggingEngine()), target="en")
    rows = list(csv.reader(io.StringIO((tmp_path / "out.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["id", "评论", "评论", "score", "评论_2_en", "评论_3_en"]
    assert rows[1] == ["1", "这家店很好吃", "服务也不错", "5", "en(这家店很好吃)", "en(服务也不错)"]
    assert all(len(row) == 6 for row in rows)


def test_csv_without_a_header_translates_its_first_record(tmp_path: Path) -> None:
    source = tmp_path / "plain.csv"
    source.write_text("1,这家店很好吃\n2,太贵了吧\n", encoding="utf-8")
    engine = TaggingEngine()
    translate_file(source, tmp_path / "out.csv", translator_with(engine), target="en", header=False)
    expected = "1,这家店很好吃,en(这家店很好吃)\n2,太贵了吧,en(太贵了吧)\n"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8") == expected
    translate_file(source, tmp_path / "two.csv", translator_with(engine), fields=["2"], header=False, target="en")
    assert (tmp_path / "two.csv").read_text(encoding="utf-8") == (tmp_path / "out.csv").read_text(encoding="utf-8")


def test_csv_label_columns_are_not_guessed_as_prose(tmp_path: Path) -> None:
    source = tmp_path / "reviews.csv"
    source.write_text("nickname,ip_location,review\n吃货小王,广东,这家店很好吃\n小红,四川,太贵了吧\n", encoding="utf-8")
    translate_file(source, tmp_path / "out.csv", translator_with(TaggingEngine()), target="en")
    header = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "nickname,ip_location,review,review_en"
    # Exports from Chinese tools name their columns in Chinese.
    source.write_text(
        "用户昵称,IP属地,发布时间,点赞数,评论内容\n吃货小王,广东,3天前,1.2万,这家店很好吃\n小红,四川,昨天,15,太贵了吧\n",
        encoding="utf-8",
    )
    translate_file(source, tmp_path / "zh.csv", translator_with(TaggingEngine()), target="en")
    header = (tmp_path / "zh.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "用户昵称,IP属地,发布时间,点赞数,评论内容,评论内容_en"


def test_srt_without_blank_lines_between_cues_keeps_every_cue(tmp_path: Path) -> None:
    source = (
        "1\n00:00:01,000 --> 00:00:02,000\n你好！\n2\n00:00:02,500 --> 00:00:04,000\n谢谢你的分享！\n"
        "00:00:04,500 --> 00:00:05,000\n求链接！\n"
    )
    engine = TaggingEngine()
    assert translate_text(tmp_path, "tight.srt", source, engine) == (
        "1\n00:00:01,000 --> 00:00:02,000\nen(你好！)\n2\n00:00:02,500 --> 00:00:04,000\nen(谢谢你的分享！)\n"
        "00:00:04,500 --> 00:00:05,000\nen(求链接！)\n"
    )
    assert sorted(engine.sentences_seen) == sorted(["你好！", "谢谢你的分享！", "求链接！"])


def test_a_cue_of_many_lines_is_read_in_linear_time() -> None:
    # A hostile or broken file can hold one cue of a million lines; joining them into one text
    # must not copy the text so far once per line.
    def texts(lines: list[str]) -> Sequence[str]:
        return subtitles.Cue(lines, ["\n"] * len(lines)).texts

    assert linear_ratio(lambda count: ["hello"] * count, texts, 8_000) < LINEAR_BOUND


def test_an_arrow_in_cue_text_is_text(tmp_path: Path) -> None:
    source = "1\n00:00:01,000 --> 00:00:02,000\n路线：北京 --> 上海\n\n2\n00:00:02,000 --> 00:00:03,000\n到了\n"
    engine = TaggingEngine()
    translate_text(tmp_path, "route.srt", source, engine)
    assert sorted(engine.sentences_seen) == ["到了", "路线：北京 --> 上海"]


def test_the_language_is_decided_over_the_whole_file(tmp_path: Path) -> None:
    # The first chunk (256 lines) is symbols and "OK"s; most of the file is Chinese.
    source = tmp_path / "late.txt"
    lines = ["★★★ OK ★★★"] * 300 + ["这家店的火锅太好吃了！"] * 1000
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = translate_file(source, None, translator_with(IdentityEngine()))
    assert (result.source, result.target) == ("zh", "en")


def test_urls_do_not_count_as_english(tmp_path: Path) -> None:
    source = tmp_path / "post.json"
    record = {
        "title": "成都火锅",
        "links": ["https://www.example.com/a/very/long/path/to/a/page", "https://zh.wikipedia.org/wiki/Hot_pot"],
    }
    source.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = translate_file(source, None, translator_with(TaggingEngine()))
    assert (result.source, result.translated) == ("zh", 1)


def test_mixed_lines_translate_their_chinese_part(tmp_path: Path) -> None:
    source = tmp_path / "mixed.txt"
    source.write_text("今天我们去吃火锅。\nOkay everyone, 大家好 see you tomorrow\n", encoding="utf-8")
    engine = TaggingEngine()
    translate_file(source, tmp_path / "out.txt", translator_with(engine))
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == (
        "en(今天我们去吃火锅。)\nOkay everyone, en(大家好) see you tomorrow\n"
    )


def test_mixed_lines_come_back_unchanged_from_the_identity_engine(tmp_path: Path) -> None:
    # No space is added where Chinese meets Latin unless the model changed the text there.
    text = "- U+000D：回车（carriage return）\n注：MARS = Mid-Atlantic Regional Spaceport\n约100km x 300km\n"
    source = tmp_path / "mixed.md"
    source.write_text(text, encoding="utf-8")
    translate_file(source, tmp_path / "out.md", translator_with(IdentityEngine()), target="en")
    assert (tmp_path / "out.md").read_text(encoding="utf-8") == text


def test_each_text_of_a_file_is_detected_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file pipeline detects every text's language and hands it over: the library must not
    detect the whole text again."""
    import translator.pipeline

    def detected_again(text: str) -> str:
        raise AssertionError(f"{text!r} was detected a second time")

    monkeypatch.setattr(translator.pipeline, "detect_supported", detected_again)
    source = tmp_path / "posts.txt"
    source.write_text("这家店的火锅太好吃了！\nHello there.\n好的 see you\n", encoding="utf-8")
    output = tmp_path / "posts.en.txt"
    translate_file(source, output, translator_with(TaggingEngine()))
    assert output.read_text(encoding="utf-8") == "en(这家店的火锅太好吃了！)\nHello there.\nen(好的 see you)\n"


@pytest.mark.parametrize("bilingual", [False, True])
def test_lrc_keeps_time_tags_and_metadata(tmp_path: Path, bilingual: bool) -> None:
    output = run(tmp_path, "poem.lrc", target="en", bilingual=bilingual)
    head = "[ti:静夜思]\n[ar:李白]\n[by:zhen tests]\n[offset:+100]\n\n"
    if not bilingual:
        assert output == head + (
            "[00:00.50]en(床前明月光)\n[00:04.20][00:20.10]en(疑是地上霜)\n[00:08.00]\n"
            # Enhanced LRC: the words go together, their timings follow in order.
            "[00:12.30]en(举头望明月)<00:12.30><00:13.10>\n[00:16.00] en(低头思故乡) \n"
        )
    else:
        # Each translation has its line's times: players show both lines together.
        assert output.startswith(head + "[00:00.50]床前明月光\n[00:00.50]en(床前明月光)\n")
        assert "[00:04.20][00:20.10]疑是地上霜\n[00:04.20][00:20.10]en(疑是地上霜)\n[00:08.00]\n" in output


def test_lyrics_and_ass_subtitles_without_an_extension_are_not_taken_for_json() -> None:
    # Both start with "[", like a JSON array: read from standard input they must still be known.
    assert format_for(None, (FIXTURES / "poem.lrc").read_text(encoding="utf-8")) == "lrc"
    assert format_for(None, "[00:01.00]你好\n") == "lrc"
    assert format_for(None, "[Script Info]\nTitle: 第一集\n") == "ass"
    assert format_for(None, '[{"text": "你好"}]') == "json"


def test_html_translates_text_nodes_and_keeps_markup_code_and_attributes(tmp_path: Path) -> None:
    output = run(tmp_path, "page.html", target="en")
    original = (FIXTURES / "page.html").read_text(encoding="utf-8")
    kept = [
        '<html lang="zh-CN">',
        '<style>body { font-family: "微软雅黑"; }</style>',
        '<script>var msg = "不要翻译这段代码";</script>',
        '<a href="https://zh.wikipedia.org/wiki/宽窄巷子" title="宽窄巷子">',
        '<img src="hotpot.jpg" alt="火锅">',
        '<pre><code>print("你好")</code></pre>',
        "<!-- 作者的注释 -->",
    ]
    assert all(piece in original and piece in output for piece in kept)
    assert "<title>en(我的旅行笔记)</title>" in output
    # Text is unescaped for the model and escaped again on the way back.
    assert "<p>en(第一天去了)<a" in output and "en(，人&amp;车都很多。)</p>" in output
    assert output.startswith("<!DOCTYPE html>\n") and output.count("\n") == original.count("\n")


def test_html_is_recognised_by_its_first_line() -> None:
    assert format_for(None, "<!DOCTYPE html>\n<html>") == format_for(None, "<html lang='zh'>") == "html"
    assert format_for("page.htm", "") == "html"


def test_csv_with_excels_separator_hint(tmp_path: Path) -> None:
    # `sep=;` before the header tells Excel the delimiter; it is neither the header nor a record.
    source = tmp_path / "comments.csv"
    source.write_bytes("sep=;\r\n昵称;评论\r\n小王;这家店的火锅太好吃了！\r\n".encode())
    translate_file(source, tmp_path / "out.csv", translator_with(TaggingEngine()), target="en")
    assert (tmp_path / "out.csv").read_bytes().decode() == (
        "sep=;\r\n昵称;评论;评论_en\r\n小王;这家店的火锅太好吃了！;en(这家店的火锅太好吃了！)\r\n"
    )
    source.write_bytes('sep=,\r\n昵称,评论\r\n小王,"没有结尾\r\n'.encode())
    with pytest.raises(MalformedFileError, match=r"comments\.csv:3: invalid CSV"):
        translate_file(source, tmp_path / "bad.csv", translator_with(TaggingEngine()), target="en", force=True)


def test_into_english_no_text_waits_for_langdetect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A bilingual subtitle file has an English line per cue; into English they all stay, so which
    # Latin-script language each is (langdetect: 0.5 s to load, ~7 ms a text) is never asked.
    monkeypatch.setattr("translator.detect._latin_language", lambda text: pytest.fail("langdetect was asked"))
    source = tmp_path / "dual.srt"
    english = "Lightweight code editor: plugins, themes, terminal built in, fast startup, macOS only"
    source.write_text(f"1\n00:00:01,000 --> 00:00:02,000\n轻量的代码编辑器\n{english}\n", encoding="utf-8")
    translate_file(source, tmp_path / "out.srt", translator_with(TaggingEngine()), target="en")
    assert english in (tmp_path / "out.srt").read_text(encoding="utf-8")
