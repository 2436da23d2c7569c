"""--fields paths for JSON, and the guess of which values are prose when no fields are named."""

from __future__ import annotations

import pytest

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
    ],
)
def test_not_prose(text: str) -> None:
    assert not looks_like_prose(text)
