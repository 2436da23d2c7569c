"""Real files (tests/data/real, sources in tests/data/README.md) keep their structure.

Each file is run (1) with the identity engine: the output is the input byte for byte; and (2) with
an engine that wraps what it receives in ⟦ ⟧: nothing structural was sent (timings, tags,
attributes, URLs, stickers, ids), no Chinese was left out (in a zh->en run every Chinese character
ends up inside brackets, outside kept code and comments), and the structure is the same after
translation (same cues and timings, same Markdown blocks, same JSON shape, same CSV cells).
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from tests.engines import BracketEngine, IdentityEngine
from tests.test_files_formats import translate_text, translator_with
from translator.files import translate_file
from translator.files.errors import FileLanguageError
from translator.files.formats import ParseContext, ass, format_for
from translator.protected import protected_spans
from translator.scripts import HAN

REAL = Path(__file__).parent / "data" / "real"
FILES = [
    "lecture_bilingual.srt",
    "lecture_dual.srt",
    "youtube_auto_captions.vtt",
    "zh_readme_template.md",
    "vitepress_containers.md",
    "douyin_comments.jsonl",
    "reviews.csv",
    "aegisub_attached_fonts.ass",
    "fansub_bilingual.ass",
]
_BRACKETED = re.compile(r"⟦[^⟦⟧]*⟧")
_HAN_CHAR = re.compile(f"[{HAN}]")
# What must never reach a model: timings, tags, URLs, stickers, mention markup, attribute lists.
_STRUCTURE = re.compile(
    r"-->|\d{2}:\d{2}[:.,]\d{2}|<[/A-Za-z!][^>]*>|https?://|\.com/|\.tv/|\[em\]|\[[\w\u4e00-\u9fff]{1,8}\]"
    r"|@\{|\{#|\{\.|MS4wLjAB|\d{19}|\{\\|\\N|Dialogue:|李雷|韩梅梅"
)


def translate(tmp_path: Path, name: str, engine: object, **options: object) -> str:
    output = tmp_path / f"out-{name}"
    translate_file(REAL / name, output, translator_with(engine), force=True, **options)  # type: ignore[arg-type]
    return output.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [name for name in FILES if not name.endswith(".csv")])
def test_identity_engine_gives_real_files_back_byte_for_byte(tmp_path: Path, name: str) -> None:
    translate(tmp_path, name, IdentityEngine())
    assert (tmp_path / f"out-{name}").read_bytes() == (REAL / name).read_bytes()


@pytest.mark.parametrize("name", FILES)
def test_nothing_structural_is_sent(tmp_path: Path, name: str) -> None:
    engine = BracketEngine()
    translate(tmp_path, name, engine)
    assert engine.sentences_seen
    sent_structure = [sentence for sentence in engine.sentences_seen if _STRUCTURE.search(sentence)]
    assert sent_structure == []


def chinese_left_out(text: str) -> list[str]:
    """Chinese outside the brackets, ignoring what is kept on purpose: code, comments, tags and
    their attributes, link targets, and protected spans (stickers, mention markup, URLs)."""
    text = _BRACKETED.sub("", text)
    text = re.sub(r"<!--.*?-->|```.*?```|<[^<>]*>|\]\([^()]*\)", "", text, flags=re.DOTALL)
    kept = list(protected_spans(text))
    for start, end, _ in reversed(kept):
        text = text[:start] + text[end:]
    return [line for line in text.splitlines() if _HAN_CHAR.search(line)]


@pytest.mark.parametrize("name", ["lecture_bilingual.srt", "lecture_dual.srt", "zh_readme_template.md"])
def test_no_chinese_prose_is_left_out(tmp_path: Path, name: str) -> None:
    output = translate(tmp_path, name, BracketEngine(), target="en")
    assert chinese_left_out(output) == []


def test_crawler_export_translates_comments_only(tmp_path: Path) -> None:
    output = translate(tmp_path, "douyin_comments.jsonl", BracketEngine())
    original = [json.loads(line) for line in (REAL / "douyin_comments.jsonl").read_text(encoding="utf-8").splitlines()]
    records = [json.loads(line) for line in output.splitlines()]
    assert [sorted(record) for record in records] == [sorted(record) for record in original]
    for before, after in zip(original, records, strict=True):
        # Only the comment changes; ids, nicknames, IP locations, times and embedded JSON stay.
        assert {key: value for key, value in after.items() if key != "content"} == {
            key: value for key, value in before.items() if key != "content"
        }
        assert chinese_left_out(after["content"]) == []
    assert records[1]["content"].startswith("@{uin:1839200,nick:小红同学,who:1} ⟦")
    assert "[em]e400101[/em]" in records[3]["content"] and "https://zh.wikipedia.org/wiki/火锅" in records[3]["content"]


def test_review_csv_keeps_its_cells_and_names_duplicate_columns_apart(tmp_path: Path) -> None:
    original = list(csv.reader(io.StringIO((REAL / "reviews.csv").read_text(encoding="utf-8"))))
    # CSV translations go into new columns: with the identity engine they equal their originals.
    rows = list(csv.reader(io.StringIO(translate(tmp_path, "reviews.csv", IdentityEngine()))))
    assert [row[: len(original[0])] for row in rows] == original
    assert [row[-2:] for row in rows[1:]] == [row[4:6] for row in original[1:]]
    rows = list(csv.reader(io.StringIO(translate(tmp_path, "reviews.csv", BracketEngine()))))
    assert [row[: len(original[0])] for row in rows] == original
    assert rows[0][len(original[0]) :] == ["评论_5_en", "评论_6_en"]
    assert rows[2][-2:] == ["⟦太贵了，⟧\n⟦分量还少⟧", "⟦不会再来⟧"]


def cue_timings(text: str) -> list[str]:
    return [line for line in text.splitlines() if "-->" in line]


@pytest.mark.parametrize("name", ["lecture_bilingual.srt", "lecture_dual.srt", "youtube_auto_captions.vtt"])
def test_subtitles_keep_every_cue_and_timing(tmp_path: Path, name: str) -> None:
    output = translate(tmp_path, name, BracketEngine())
    original = (REAL / name).read_text(encoding="utf-8")
    assert cue_timings(output) == cue_timings(original)
    assert output.count("\n\n") == original.count("\n\n")


def test_bilingual_cues_translate_the_chinese_line_and_keep_the_english_one(tmp_path: Path) -> None:
    output = translate(tmp_path, "lecture_bilingual.srt", BracketEngine())
    cue = output.split("\n\n")[0].splitlines()
    assert cue[:2] == ["1", "00:00:00,000 --> 00:00:20,600"]
    assert cue[2].startswith("⟦好的。⟧") and "⟧" in cue[2]
    assert cue[3] == "Okay. Good evening, everyone. Today is our lecture two. So, lecture two, we talked about"
    # --bilingual on a file that is bilingual already does not double it.
    assert translate(tmp_path, "lecture_bilingual.srt", BracketEngine(), bilingual=True) == (
        REAL / "lecture_bilingual.srt"
    ).read_text(encoding="utf-8")


def test_karaoke_captions_send_each_line_whole_and_keep_every_tag(tmp_path: Path) -> None:
    engine = BracketEngine()
    output = translate(tmp_path, "youtube_auto_captions.vtt", engine)
    assert "this will happen is I'm telling" in engine.sentences_seen
    tags = re.compile(r"<[^>]*>")
    original = (REAL / "youtube_auto_captions.vtt").read_text(encoding="utf-8")
    assert tags.findall(output) == tags.findall(original)


def test_a_subtitle_file_in_a_third_language_is_left_untouched(tmp_path: Path) -> None:
    engine = BracketEngine()
    with pytest.raises(FileLanguageError, match=r"looks like Spanish; .* left untouched"):
        translate(tmp_path, "netflix_spanish.vtt", engine)
    assert engine.sentences_seen == []
    assert not (tmp_path / "out-netflix_spanish.vtt").exists()


def markdown_blocks(text: str) -> list[tuple[str, str, int]]:
    parser = (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(footnote_plugin)
        .use(deflist_plugin)
        .use(attrs_plugin)
        .use(attrs_block_plugin)
    )
    for name in ("tip", "warning", "note", "details"):
        parser.use(container_plugin, name=name)
    parser.use(container_plugin, name="pandoc", validate=lambda params, *_: params.strip().startswith("{"))
    return [(token.type, token.tag, token.nesting) for token in parser.parse(text) if token.type != "inline"]


@pytest.mark.parametrize("name", ["zh_readme_template.md", "vitepress_containers.md"])
def test_markdown_block_structure_is_the_same_after_translation(tmp_path: Path, name: str) -> None:
    output = translate(tmp_path, name, BracketEngine(), target="en")
    assert markdown_blocks(output) == markdown_blocks((REAL / name).read_text(encoding="utf-8"))


def test_containers_attributes_and_html_text(tmp_path: Path) -> None:
    engine = BracketEngine()
    output = translate(tmp_path, "vitepress_containers.md", engine, target="en")
    assert output.startswith("# ⟦快速上手⟧ {#quick-start .intro}\n\n::: tip ⟦提示⟧\n⟦同步功能由⟧ `@autostorejs/syncer`")
    assert "::: {.note #pandoc-div}\n⟦这是一个 Pandoc 风格的块，里面的文字需要翻译。⟧\n:::\n" in output
    assert "![⟦示意图⟧](./img/flow.png){width=50%}" in output
    assert "  <summary>⟦点我展开目录⟧</summary>" in output
    assert '<p align="center">\n  <sub>⟦由社区维护，欢迎贡献。⟧</sub>\n</p>' in output
    assert ": ⟦一个定义列表的定义，也要翻译。⟧" in output
    assert chinese_left_out(output) == []


def ass_lines(text: str) -> list[tuple[str, str]]:
    """Each line of an ASS file as (everything before an event's Text field, its text): the text
    is "" for lines that are not Dialogue events."""
    fields = "Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect".count(",") + 1
    lines = []
    for line in text.splitlines():
        if line.startswith("Dialogue:"):
            *head, body = line.split(",", fields)
            lines.append((",".join(head), body))
        else:
            lines.append((line, ""))
    return lines


def test_ass_keeps_every_line_but_the_event_texts(tmp_path: Path) -> None:
    name = "fansub_bilingual.ass"
    original = (REAL / name).read_text(encoding="utf-8")
    output = translate(tmp_path, name, BracketEngine())
    written = (tmp_path / f"out-{name}").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf[Script Info]\r\n") and written.count(b"\r\n") == original.count("\n")
    before, after = ass_lines(original), ass_lines(output)
    # Script info, styles, comments, speakers, timings, effects and extradata: all unchanged.
    assert [head for head, _ in after] == [head for head, _ in before]
    texts = dict(zip([body for _, body in before], [body for _, body in after], strict=True))
    assert texts["路上不堵车，我就提前出门了"] == "⟦路上不堵车，我就提前出门了⟧"
    assert texts[r"-那我们先去吃饭吧\N-好啊，我都饿死了"] == r"-⟦那我们先去吃饭吧⟧\N-⟦好啊，我都饿死了⟧"
    assert texts[r"这家店的火锅\N真的绝绝子"] == "⟦这家店的火锅真的绝绝子⟧"
    assert texts[r"{\an8}三个月后"] == r"{\an8}⟦三个月后⟧"
    assert texts[r"我说的是{\c&H00FFFF&}真的{\r}，你信不信？"] == r"⟦我说的是⟧{\c&H00FFFF&}⟦真的⟧{\r}⟦，你信不信？⟧"
    # The Chinese half of a bilingual event is translated, the English half kept with its style.
    assert texts[r"你今天怎么来得这么早？\N{\r英文}Why are you here so early today?"] == (
        r"⟦你今天怎么来得这么早？⟧\N{\r英文}Why are you here so early today?"
    )
    # Karaoke syllables go as one text; every timing is kept, after it.
    assert texts[r"{\k25}我{\k30}们{\k40}一{\k35}起{\k60}走"] == r"{\k25}⟦我们一起走⟧{\k30}{\k40}{\k35}{\k60}"
    drawing = r"{\p1\pos(960,540)\c&H000000&}m 0 0 l 1920 0 1920 120 0 120{\p0}"
    assert texts[drawing] == drawing and texts[""] == ""
    assert texts["好吧, 那就这样, 明天见"] == "⟦好吧, 那就这样, 明天见⟧"
    # A brace block without a backslash is a translator's comment: never shown, never sent.
    assert texts["{校对：这句原文听不清}我先走了，拜拜"] == "{校对：这句原文听不清}⟦我先走了，拜拜⟧"


def test_ass_bilingual_output_and_no_raw_line_breaks(tmp_path: Path) -> None:
    output = translate(tmp_path, "fansub_bilingual.ass", BracketEngine(), bilingual=True)
    texts = [body for _, body in ass_lines(output)]
    assert r"路上不堵车，我就提前出门了\N⟦路上不堵车，我就提前出门了⟧" in texts
    # A translation that comes back on several lines must not end its event line.
    event_line = "Dialogue: 0,0:00:01.00,0:00:02.00,D,,0,0,0,,"
    items = list(ass.parse(io.StringIO(f"[Events]\n{event_line}你好\n"), ParseContext("x.ass")))
    event = items[1]
    assert not isinstance(event, str)
    assert event.render(["Hello\nthere\r\nfriend"], "en", False) == event_line + r"Hello\Nthere\Nfriend" + "\n"


def test_ass_soft_breaks_split_lines_like_hard_breaks(tmp_path: Path) -> None:
    # `\n` is a line break in wrapping style 2 and a space otherwise: never text for the model.
    event = "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,"
    text = f"[Events]\n{event}这家店的火锅\\n真的绝绝子\n{event}-你好\\n-再见\n"
    engine = BracketEngine()
    output = translate_text(tmp_path, "soft.ass", text, engine)
    assert sorted(engine.sentences_seen) == ["你好", "再见", "这家店的火锅真的绝绝子"]
    assert output.splitlines()[1:] == [
        f"{event}⟦这家店的火锅真的绝绝子⟧",
        f"{event}-⟦你好⟧\\n-⟦再见⟧",
    ]
    source = tmp_path / "soft.ass"
    translate_file(source, tmp_path / "same.ass", translator_with(IdentityEngine()), target="en")
    assert (tmp_path / "same.ass").read_bytes() == source.read_bytes()


def test_ass_blank_lines_are_layout_and_stay(tmp_path: Path) -> None:
    # Fan subtitles push a caption down or apart with empty hard breaks: they must all stay.
    event = "Dialogue: 0,0:00:01.00,0:00:02.00,Default,,0,0,0,,"
    texts = [r"{\fs100\an5}\N\N\N设备", r"{\pos(750,120)}\N\N感谢大家的支持：", r"第一行\N\N第三行", r"上面\N"]
    source = "[Events]\n" + "".join(f"{event}{text}\n" for text in texts)
    assert translate_text(tmp_path, "layout.ass", source, BracketEngine()).splitlines()[1:] == [
        event + r"{\fs100\an5}\N\N\N⟦设备⟧",
        event + r"{\pos(750,120)}\N\N⟦感谢大家的支持：⟧",
        event + r"⟦第一行⟧\N\N⟦第三行⟧",
        event + r"⟦上面⟧\N",
    ]


def test_credits_lines_are_translated_one_by_one(tmp_path: Path) -> None:
    # A fansub's credits are label: value lines, a list rather than one sentence broken over lines.
    event = "Dialogue: 0,0:00:00.76,0:00:03.82,Default,,0,0,0,,"
    source = f"[Events]\n{event}{{\\a7}}翻译/压制：小明\\N视频来源：youtu.be/0rLcs\\N发布日期：20200419\n"
    assert translate_text(tmp_path, "credits.ass", source, BracketEngine()).splitlines()[1] == (
        event + r"{\a7}⟦翻译/压制：小明⟧\N⟦视频来源：⟧youtu.be/0rLcs\N⟦发布日期：20200419⟧"
    )


def test_ass_is_recognised_without_its_extension() -> None:
    sample = (REAL / "fansub_bilingual.ass").read_text(encoding="utf-8")
    assert format_for(None, sample) == format_for("episode.ssa", "") == "ass"
    assert format_for("notes", "[Script Info]\nTitle: x\n") == "ass"


def test_bracketed_sound_cues_and_speakers_are_translated(tmp_path: Path) -> None:
    # In subtitles `[音乐]` is a sound cue, not a platform sticker: its text goes to the model,
    # the brackets stay.
    source = (
        "1\n00:00:01,000 --> 00:00:02,000\n[音乐]\n\n2\n00:00:02,000 --> 00:00:04,000\n"
        "- [任务控制] 三、二、一\n- [尼尔] 点火！\n"
    )
    engine = BracketEngine()
    assert translate_text(tmp_path, "cues.srt", source, engine).splitlines()[2::4] == [
        "[⟦音乐⟧]",
        "- [⟦任务控制⟧] ⟦三、二、一⟧",
    ]
    assert sorted(engine.sentences_seen) == sorted(["音乐", "任务控制", "三、二、一", "尼尔", "点火！"])


def test_srt_converted_from_ass_keeps_hard_breaks_and_spaces(tmp_path: Path) -> None:
    # Aegisub and ffmpeg exports of fan subtitles leave `\N` and `\h` in SRT text; players break
    # the line there, so they are markup, never sent to the model.
    source = tmp_path / "converted.srt"
    source.write_text("1\n00:00:01,000 --> 00:00:02,000\n好的\\N没问题\\h！\n", encoding="utf-8")
    engine = BracketEngine()
    translate_file(source, tmp_path / "out.srt", translator_with(engine), target="en")
    assert (tmp_path / "out.srt").read_text(encoding="utf-8").splitlines()[2] == r"⟦好的⟧\N⟦没问题⟧\h！"
    assert sorted(engine.sentences_seen) == ["好的", "没问题"]
