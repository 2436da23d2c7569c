"""--fields paths for JSON, and the guess of which values are prose when no fields are named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.engines import BracketEngine, IdentityEngine
from tests.linearity import LINEAR_BOUND, linear_ratio
from tests.test_files_formats import translator_with
from translator.files import translate_file
from translator.files.errors import FieldsNotFoundError, FileError, MalformedFileError
from translator.files.formats.jsondata import _Fields
from translator.files.prose import looks_like_prose


@pytest.mark.parametrize(
    ("field", "path", "wanted"),
    [
        ("title", ("title",), True),
        ("title", ("desc",), False),
        # Lists are transparent, at any depth, and at the top of the document.
        ("tags", ("tags", 0), True),
        ("comments.text", ("comments", 3, "text"), True),
        ("comments.text", (5, "comments", 0, "text"), True),
        ("matrix.text", ("matrix", 0, 1, "text"), True),
        ("comments.text", ("comments", 0, "sub_comments", 0, "text"), False),
        # `*` is any key or any element; a number is one element.
        ("comments.*.text", ("comments", 2, "text"), True),
        ("*.text", ("replies", "text"), True),
        ("comments.0.text", ("comments", 0, "text"), True),
        ("comments.0.text", ("comments", 1, "text"), False),
        # A field that names a container reaches the prose inside it (but not ids and URLs).
        ("user", ("user", "bio"), True),
        ("comments", ("comments", 0, "text"), True),
    ],
)
def test_field_paths(field: str, path: tuple[str | int, ...], wanted: bool) -> None:
    assert _Fields((field,)).wants(path, "谢谢你的分享！") is wanted


def test_a_named_string_is_sent_whatever_it_looks_like_but_not_inside_containers() -> None:
    fields = _Fields(("id", "user"))
    assert fields.wants(("id",), "5f3a9c2e")
    assert not fields.wants(("user", "uid"), "5f3a9c2e")


@pytest.mark.parametrize(
    "text",
    [
        "这家店的火锅太好吃了！",
        "小红薯123",
        "Thank you very much!",
        "see you",
        "姐妹们 #美妆[话题]# 😋",
        "1.2万人觉得很赞",
    ],
)
def test_prose(text: str) -> None:
    assert looks_like_prose(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "64a1b2c3d4e5f6a7b8c9d0e1",
        "c0ffee01",
        "published",
        "image/jpeg",
        "user_name",
        "2025-03-01T12:30:00+08:00",
        "2025-03-01 12:30:00",
        "https://www.xiaohongshu.com/explore/64a1b2c3",
        "xhslink.com/a1b2",
        "lily@example.com",
        "@小红薯",
        "#火锅 #成都美食",
        "#猫税[话题]# #萌宠[话题]#",
        "😋😋😋",
        "1,024",
        "3.5 / 5",
        # Counts as RedNote, Douyin and Weibo print them.
        "1.2万",
        "10万+",
        "10w+",
        "3.5k",
        "999+",
    ],
)
def test_not_prose(text: str) -> None:
    assert not looks_like_prose(text)


# -- real-world shapes (issue 10) and hostile inputs (issue 17) ------------------------------------


def translate_json(tmp_path: Path, text: str, name: str = "in.json", **options: object) -> tuple[str, BracketEngine]:
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    engine = BracketEngine()
    output = tmp_path / f"out-{name}"
    options = {"target": "en", **options}
    translate_file(source, output, translator_with(engine), **options)  # type: ignore[arg-type]
    return output.read_text(encoding="utf-8"), engine


def test_names_ids_places_and_times_are_not_guessed_as_prose(tmp_path: Path) -> None:
    record = {
        "comment_id": "7345",
        "content": "这家店太好吃了[赞][赞]",
        "nickname": "小红薯",
        "user": {"screen_name": "吃货小王", "ip_location": "广东"},
        "ip_label": "IP属地：广东",
        "create_time": "前天17:47",
        "time_text": "3小时前",
        "sub_comment": "我也想去",
        # MediaCrawler's RedNote counts: strings, with 万 for ten thousands.
        "collected_count": "1.2万",
        "share_text": "10w+",
    }
    output, engine = translate_json(tmp_path, json.dumps(record, ensure_ascii=False))
    assert sorted(engine.sentences_seen) == ["我也想去", "这家店太好吃了"]
    assert json.loads(output)["content"] == "⟦这家店太好吃了⟧[赞][赞]"


@pytest.mark.parametrize("folder", ["lang/zh-CN.json", "locales/zh_CN/common.json", "i18n/zh_SIMPLIFIED.json"])
def test_an_apps_string_table_translates_every_message_and_keeps_placeholders(tmp_path: Path, folder: str) -> None:
    # In a locale file a key names a message, not data: `Username`, `respTime` and `ItemCount` are
    # messages to translate, and so is a single word. Placeholders stay as they are.
    messages = {
        "Username": "用户名",
        "respTime": "响应时间（毫秒）",
        "ItemCount": "{0} 项",
        "records": "{{count}} 条记录",
        "Yesterday": "昨天",
        "menu": {"file_name": "文件名", "url": "https://example.com"},
    }
    (tmp_path / folder).parent.mkdir(parents=True)
    output, _ = translate_json(tmp_path, json.dumps(messages, ensure_ascii=False), name=folder)
    assert json.loads(output) == {
        "Username": "⟦用户名⟧",
        "respTime": "⟦响应时间（毫秒）⟧",
        "ItemCount": "{0} ⟦项⟧",
        "records": "{{count}} ⟦条记录⟧",
        "Yesterday": "⟦昨天⟧",
        "menu": {"file_name": "⟦文件名⟧", "url": "https://example.com"},
    }
    # The same keys in a crawler's export are data.
    output, _ = translate_json(tmp_path, json.dumps(messages, ensure_ascii=False), name="posts.json")
    assert json.loads(output)["Username"] == "用户名"


@pytest.mark.parametrize(
    ("target", "messages", "expected"),
    [
        (
            "en",
            {
                "items": "{count, plural, =0 {没有项目} one {# 个项目} other {# 个项目}}",
                "cart": "购物车里有 {count, plural, other {#件商品}}，去结算吧",
                "reply": "{gender, select, male {他回复了{name}} other {对方回复了{name}}}",
            },
            {
                "items": "{count, plural, =0 {⟦没有项目⟧} one {# ⟦个项目⟧} other {# ⟦个项目⟧}}",
                "cart": "⟦购物车里有⟧ {count, plural, other {#⟦件商品⟧}}⟦，去结算吧⟧",
                "reply": "{gender, select, male {⟦他回复了⟧{name}} other {⟦对方回复了⟧{name}}}",
            },
        ),
        (
            "zh",
            {"rank": "You came {place, selectordinal, one {#st} other {#th}} of {total, number}, well done!"},
            {"rank": "⟦You came⟧ {place, selectordinal, one {#⟦st⟧} other {#⟦th⟧}} ⟦of⟧ {total, number}⟦, well done!⟧"},
        ),
    ],
)
def test_icu_plural_and_select_messages_keep_their_structure(
    tmp_path: Path, target: str, messages: dict[str, str], expected: dict[str, str]
) -> None:
    # FormatJS / Angular string tables: a model given the braces breaks the message (an app then
    # fails to load it). Only each branch's text goes to the model; `#` (the count) stays.
    (tmp_path / "locales").mkdir()
    text = json.dumps(messages, ensure_ascii=False)
    output, _ = translate_json(tmp_path, text, name="locales/app.json", target=target)
    assert json.loads(output) == expected


def test_weibo_html_text_keeps_its_markup_and_the_file_stays_chinese(tmp_path: Path) -> None:
    # Weibo's API (and the crawlers built on it) give a post's text as HTML, whose Latin letters
    # (links, classes, styles) outnumber its Chinese: markup is neither language nor prose.
    html = (
        '今天天气真好<br />出去走走 <a  href="https://m.weibo.cn/search?containerid=231522type%3D1%26q%3D%23" '
        'data-hide=""><span class="surl-text">#周末#</span></a> <span class="url-icon"><img alt=[哈哈] '
        'src="https://h5.sinaimg.cn/m/emoticon/icon/default/d_haha.png" style="width:1em; height:1em;" /></span>'
    )
    record = {"id": "4987654321098765", "text": html, "source": "iPhone 15 Pro", "user": {"description": "热爱生活"}}
    output, engine = translate_json(tmp_path, json.dumps([record], ensure_ascii=False), target=None)
    assert sorted(engine.sentences_seen) == ["今天天气真好", "出去走走", "热爱生活"]
    translated = json.loads(output)[0]
    assert translated["text"] == html.replace("今天天气真好", "⟦今天天气真好⟧").replace("出去走走", "⟦出去走走⟧")
    assert translated["source"] == "iPhone 15 Pro"


def test_string_values_that_are_json_are_left_alone(tmp_path: Path) -> None:
    arguments = json.dumps({"query": "成都的火锅怎么样", "limit": 3}, ensure_ascii=False)
    text = json.dumps({"tool_call": arguments, "reply": "成都的火锅很好吃"}, ensure_ascii=False)
    output, engine = translate_json(tmp_path, text)
    assert json.loads(output)["tool_call"] == arguments
    assert engine.sentences_seen == ["成都的火锅很好吃"]
    # Also when --fields names it: a value that is JSON must still parse afterwards.
    output, engine = translate_json(tmp_path, text, "named.json", fields=["tool_call", "reply"])
    assert json.loads(output)["tool_call"] == arguments


def test_json_lines_inside_a_json_file_are_read_as_json_lines(tmp_path: Path) -> None:
    text = '{"text": "你好"}\n{"text": "再见"}\n'
    output, _ = translate_json(tmp_path, text)
    assert output == '{"text": "⟦你好⟧"}\n{"text": "⟦再见⟧"}\n'


def test_fields_that_match_nothing_name_the_paths_that_exist(tmp_path: Path) -> None:
    record = {"title": "你好", "comments": [{"text": "谢谢", "user": {"nickname": "小红"}}]}
    text = json.dumps(record, ensure_ascii=False)
    with pytest.raises(FieldsNotFoundError) as caught:
        translate_json(tmp_path, text, fields=["titel"])
    assert "titel" in str(caught.value)
    assert "(the paths with text: title, comments.text, comments.user.nickname)" in str(caught.value)
    assert not (tmp_path / "out-in.json").exists()


@pytest.mark.parametrize(
    "text",
    ["[" * 10_000 + "]" * 10_000, '{"a": ' * 10_000 + "1" + "}" * 10_000],
    ids=["arrays", "objects"],
)
def test_json_nested_ten_thousand_deep_is_a_one_line_error(tmp_path: Path, text: str) -> None:
    # A FileError: the batch reports it in one line and goes on with the other files.
    with pytest.raises(MalformedFileError, match="nested too deeply") as caught:
        translate_json(tmp_path, text)
    assert isinstance(caught.value, FileError)


def test_a_five_thousand_digit_integer_is_kept_byte_for_byte(tmp_path: Path) -> None:
    text = '{"n": ' + "9" * 5000 + ', "t": "你好世界"}'
    output, _ = translate_json(tmp_path, text)
    assert output == text.replace("你好世界", "⟦你好世界⟧")


def test_a_top_level_array_is_translated_in_linear_time(tmp_path: Path) -> None:
    def make(count: int) -> Path:
        path = tmp_path / f"posts{count}.json"
        posts = [{"id": index, "text": "好"} for index in range(count)]
        path.write_text(json.dumps(posts, ensure_ascii=False), encoding="utf-8")
        return path

    def run(path: object) -> None:
        assert isinstance(path, Path)
        translate_file(path, tmp_path / "out.json", translator_with(IdentityEngine()), target="en", force=True)

    assert linear_ratio(make, run, 5_000) < LINEAR_BOUND
