"""Markdown block structure read by markdown-it-py: which lines are prose, and chunked parsing."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from tests.linearity import LINEAR_BOUND, linear_ratio
from translator.files.formats import ParseContext, markdown
from translator.files.formats.markdown_inline import inline_pieces
from translator.files.pipeline import Item


def items(text: str) -> list[Item]:
    return list(markdown.parse(io.StringIO(text, newline=""), ParseContext("test.md")))  # type: ignore[arg-type]


def prose(text: str) -> list[str]:
    return [piece for item in items(text) if not isinstance(item, str) for piece in item.texts]


def tagged(text: str, bilingual: bool = False) -> str:
    """The document with every prose text wrapped in ⟦⟧, as a translation would place it."""
    parts = []
    for item in items(text):
        if not isinstance(item, str):
            parts.append(item.render([f"⟦{piece}⟧" for piece in item.texts], "en", bilingual=bilingual))
        else:
            parts.append(item)
    return "".join(parts)


def test_setext_headings_keep_their_underline() -> None:
    assert tagged("标题一\n===\n\n标题二\r\n---\r\n") == "⟦标题一⟧\n===\n\n⟦标题二⟧\r\n---\r\n"


def test_lazy_continuation_lines_join_their_paragraph() -> None:
    assert tagged("> 引用的第一行\n懒惰的续行\n\n- 列表项\n续行\n") == "> ⟦引用的第一行懒惰的续行⟧\n\n- ⟦列表项续行⟧\n"


def test_nested_lists_in_block_quotes() -> None:
    text = "> - 第一项\n>   - 嵌套项\n>\n>     嵌套项的第二段\n"
    assert tagged(text) == "> - ⟦第一项⟧\n>   - ⟦嵌套项⟧\n>\n>     ⟦嵌套项的第二段⟧\n"


def test_table_cells_with_escaped_pipes_and_code() -> None:
    text = "| 名称 | 说明 |\n|:--|--:|\n| `a|b` | 竖线 \\| 也是文字 |\n"
    assert tagged(text) == "| ⟦名称⟧ | ⟦说明⟧ |\n|:--|--:|\n| `a|b` | ⟦竖线⟧ \\| ⟦也是文字⟧ |\n"


def test_an_html_block_ends_at_a_blank_line() -> None:
    text = '<p align="center">\n  居中的文字\n</p>\n\n*强调* 后的段落\n'
    assert tagged(text) == '<p align="center">\n  ⟦居中的文字⟧\n</p>\n\n*⟦强调⟧* ⟦后的段落⟧\n'


def test_footnote_definitions_are_prose_even_when_unreferenced() -> None:
    text = "正文[^注]。\n\n[^注]: 脚注的文字，\n    跨两行。\n"
    assert tagged(text) == "⟦正文⟧[^注]⟦。⟧\n\n[^注]: ⟦脚注的文字，跨两行。⟧\n"


def test_indented_code_fences_and_front_matter_are_never_prose() -> None:
    text = "---\nlayout: 文章\n---\n\n    缩进的代码\n\n- 列表\n\n  ```\n  代码块\n\n  还是代码\n  ```\n"
    assert prose(text) == ["列表"]


def test_front_matter_titles_and_summaries_are_translated_in_valid_syntax() -> None:
    # A blog post's title and summary are what readers see first (Hexo, Hugo, Jekyll).
    yaml = (
        "---\ntitle: 成都美食笔记\nsubtitle: \"第一篇\"\ndescription: '三天'\ntags: [火锅]\nsummary: |\n  多行\n---\n"
    )
    assert tagged(yaml) == (
        "---\ntitle: ⟦成都美食笔记⟧\nsubtitle: \"⟦第一篇⟧\"\ndescription: '⟦三天⟧'\n"
        "tags: [火锅]\nsummary: |\n  多行\n---\n"
    )
    assert tagged('+++\ntitle = "成都"\n+++\n') == '+++\ntitle = "⟦成都⟧"\n+++\n'
    assert tagged("---\ntitle: 成都\n---\n", bilingual=True) == "---\ntitle: 成都 ⟦成都⟧\n---\n"
    # A translation that the value's syntax cannot hold as it is gets the quotes it needs.
    field = next(item for item in items("---\ntitle: 成都\n---\n") if not isinstance(item, str))
    assert field.render(["Chengdu: food notes #1"], "en", False) == 'title: "Chengdu: food notes #1"\n'
    field = next(item for item in items('---\ntitle: "成都"\n---\n') if not isinstance(item, str))
    assert field.render(['Say "hi"'], "en", False) == 'title: "Say \\"hi\\""\n'
    field = next(item for item in items("+++\ntitle = '成都'\n+++\n") if not isinstance(item, str))
    assert field.render(["It's Chengdu"], "en", False) == 'title = "It\'s Chengdu"\n'


def test_containers_and_attribute_lines_are_kept_and_container_titles_translated() -> None:
    text = "{#intro .lead}\n段落\n\n:::: warning 注意\n::: {.note}\n容器里的文字\n:::\n::::\n"
    assert tagged(text) == "{#intro .lead}\n⟦段落⟧\n\n:::: warning ⟦注意⟧\n::: {.note}\n⟦容器里的文字⟧\n:::\n::::\n"
    # VitePress titles, Element's demo descriptions; in a block quote too. Bilingual: one fence.
    assert tagged(":::demo Alert 组件提供四种主题\n:::\n> ::: tip 提示\n> 内容\n> :::\n") == (
        ":::demo ⟦Alert 组件提供四种主题⟧\n:::\n> ::: tip ⟦提示⟧\n> ⟦内容⟧\n> :::\n"
    )
    assert tagged("::: tip 提示\n正文\n:::\n", bilingual=True) == "::: tip 提示 ⟦提示⟧\n正文\n\n⟦正文⟧\n:::\n"


def test_definition_lists() -> None:
    assert tagged("术语\n: 定义的文字\n") == "⟦术语⟧\n: ⟦定义的文字⟧\n"


def test_a_lazy_line_that_is_not_a_block_start_is_not_code() -> None:
    # After a paragraph, an indented line continues it (it cannot start indented code).
    assert prose("段落的第一行\n        接着的一行\n") == ["段落的第一行接着的一行"]


@pytest.mark.parametrize("chunk_lines", [1, 3, 7])
def test_small_chunks_read_the_same_structure(monkeypatch: pytest.MonkeyPatch, chunk_lines: int) -> None:
    text = (
        "---\na: 1\n---\n# 标题\n\n段落一\n段落续\n\n> 引用\n> - 项目\n\n```\n代码\n\n代码\n```\n\n"
        "| 表 | 格 |\n|--|--|\n| 一 | 二 |\n\n::: tip\n容器\n:::\n\n- 一\n- 二\n\n  二的第二段\n- 三\n\n尾段\n"
    ) * 3
    whole = tagged(text)
    monkeypatch.setattr(markdown, "CHUNK_LINES", chunk_lines)
    assert "".join(item if isinstance(item, str) else item.original for item in items(text)) == text
    assert tagged(text) == whole


def test_wiki_links_keep_their_targets_and_translate_only_aliases() -> None:
    # Obsidian, Logseq, Foam: a target names a note (or a heading in it), so renaming it breaks
    # the link; an alias after `|` is what the reader sees.
    text = "参见 [[学习计划]] 和 [[学习计划#第一周|第一周的安排]]，还有 ![[图片.png|300]]。\n"
    assert tagged(text) == "⟦参见⟧ [[学习计划]] ⟦和⟧ [[学习计划#第一周|⟦第一周的安排⟧]]⟦，还有⟧ ![[图片.png|300]]⟦。⟧\n"


def test_highlight_markers_are_kept() -> None:
    assert tagged("这是==重点==，记住\n") == "⟦这是⟧==⟦重点⟧==⟦，记住⟧\n"


def test_tex_math_is_kept_and_dollar_prices_are_prose() -> None:
    assert tagged("公式 $E=mc^2$ 和 $$a^2+b^2$$ 都对\n") == "⟦公式⟧ $E=mc^2$ ⟦和⟧ $$a^2+b^2$$ ⟦都对⟧\n"
    assert prose("票价 $5 或 $10，不贵\n") == ["票价 $5 或 $10，不贵"]
    assert prose("$$\n\\text{面积} = \\pi r^2\n$$\n") == []


@pytest.mark.parametrize("marker", ["[!note]", "[!TIP]-", "[!warning]+"])
def test_callouts_keep_their_type_and_translate_title_and_body_apart(marker: str) -> None:
    text = f"> {marker} 提示\n> 这是一个提示框。\n> 第二行\n"
    assert tagged(text) == f"> {marker} ⟦提示⟧\n> ⟦这是一个提示框。第二行⟧\n"
    assert prose(f"> {marker}\n> 只有正文\n") == ["只有正文"]
    # Outside a block quote, the same brackets are prose.
    assert prose("[!note] 提示\n") == ["[!note] 提示"]
    # Bilingual: one title in both languages (a twin line would join the body's first paragraph).
    assert tagged(text, bilingual=True) == (
        f"> {marker} 提示 ⟦提示⟧\n> 这是一个提示框。\n> 第二行\n>\n> ⟦这是一个提示框。第二行⟧\n"
    )


def test_bilingual_twins_keep_the_document_structure() -> None:
    # A list item's twin stays in its item (a second marker would be a new item and renumber an
    # ordered list, and the item's own paragraphs would follow the twin).
    assert tagged("- 创建文件\n\n  准备初始文件。\n\n1. 登录控制台。\n2. 打开仪表盘。\n", bilingual=True) == (
        "- 创建文件\n  ⟦创建文件⟧\n\n  准备初始文件。\n\n  ⟦准备初始文件。⟧\n\n"
        "1. 登录控制台。\n   ⟦登录控制台。⟧\n2. 打开仪表盘。\n   ⟦打开仪表盘。⟧\n"
    )
    assert tagged("- [ ] 待办\n", bilingual=True) == "- [ ] 待办\n      ⟦待办⟧\n"
    # A footnote definition is not defined twice (the second would replace the first).
    assert tagged("[^1]: [洛谷日报](https://x.cn/a)\n", bilingual=True) == (
        "[^1]: [洛谷日报](https://x.cn/a)\n      [⟦洛谷日报⟧](https://x.cn/a)\n"
    )
    # An HTML block's copy would leave an element open: each text's twin goes right after it.
    assert tagged("<details>\n<summary>界面</summary>\n\n正文。\n\n</details>\n", bilingual=True) == (
        "<details>\n<summary>界面 ⟦界面⟧</summary>\n\n正文。\n\n⟦正文。⟧\n\n</details>\n"
    )
    # Beside their texts, pieces the model left as they were are not repeated: a block quote's
    # marker, an emoji.
    block = next(item for item in items("> <p>🖥️ <b>界面</b></p>\n") if not isinstance(item, str))
    assert block.render([text if text in (">", "🖥️") else "UI" for text in block.texts], "en", True) == (
        "> <p>🖥️ <b>界面 UI</b></p>\n"
    )
    # An ATX heading's twin is a heading of its own.
    assert tagged("# 标题\n", bilingual=True) == "# 标题\n# ⟦标题⟧\n"


def test_bilingual_table_header_twin_comes_after_the_delimiter_row() -> None:
    # A header row must be followed by the delimiter row, or the table is no longer a table.
    text = "| 名字 | 年龄 |\n|------|------|\n| 小明 | 18 |\n"
    assert tagged(text, bilingual=True) == (
        "| 名字 | 年龄 |\n|------|------|\n| ⟦名字⟧ | ⟦年龄⟧ |\n| 小明 | 18 |\n| ⟦小明⟧ | ⟦18⟧ |\n"
    )
    assert tagged(text) == "| ⟦名字⟧ | ⟦年龄⟧ |\n|------|------|\n| ⟦小明⟧ | ⟦18⟧ |\n"
    assert tagged("| 表头 |\n|---|", bilingual=True) == "| 表头 |\n|---|\n| ⟦表头⟧ |\n"


def test_link_texts_may_hold_bracket_pairs() -> None:
    # Badges (awesome lists) and citations put brackets inside a link's text: the link's own
    # brackets must stay markup, or the model gets (and drops) them.
    text = (
        "目录 [![开源软件][OSS Icon]](https://github.com/x/y) 见 [黄健宏. Redis 设计与实现 [M].](http://redisbook.com)"
    )
    assert tagged(text) == (
        "⟦目录⟧ [![⟦开源软件⟧][OSS Icon]](https://github.com/x/y) ⟦见⟧ "
        "[⟦黄健宏. Redis 设计与实现 [M].⟧](http://redisbook.com)"
    )


def test_link_details_real_readmes_use() -> None:
    # A space before the destination, a collapsed reference (its text is the label the definition
    # names), a backslash hard break, template tags (Hexo, Jekyll, Vue): all markup.
    assert tagged("见[详情见文档]( https://a.io/x)。") == "⟦见⟧[⟦详情见文档⟧]( https://a.io/x)⟦。⟧"
    assert tagged("颜色可以是 [颜色关键字][]。\n\n[颜色关键字]: http://w3.org/\n") == (
        "⟦颜色可以是⟧ [颜色关键字][]⟦。⟧\n\n[颜色关键字]: http://w3.org/\n"
    )
    assert tagged("点击进入仓库；\\\n下一行") == "⟦点击进入仓库；⟧\\\n⟦下一行⟧"
    assert tagged("欢迎访问 {{ site.title }} 的博客。{% endnote %}") == (
        "⟦欢迎访问⟧ {{ site.title }} ⟦的博客。⟧{% endnote %}"
    )


def test_mkdocs_admonitions_translate_title_and_body_and_never_reflow_code() -> None:
    text = (
        '!!! tip "提示"\n\n    这是提示的正文。\n\n'
        '???+ note "实现"\n    === "C++"\n        ```cpp\n        int n;  // 长度\n        ```\n'
    )
    assert tagged(text) == (
        '!!! tip "⟦提示⟧"\n\n    ⟦这是提示的正文。⟧\n\n???+ note "⟦实现⟧"\n    === "C++"\n        ```cpp\n'
        "        int n;  // 长度\n        ```\n"
    )
    # Bilingual: one box, its title in both languages (a second opener would be a second box).
    bilingual = tagged('!!! tip "提示"\n    正文。\n', bilingual=True)
    assert bilingual == '!!! tip "提示 ⟦提示⟧"\n    正文。\n\n    ⟦正文。⟧\n'


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "[[链接|" * n,
        lambda n: "[[" * n + "]]",
        lambda n: "$a " * n,
        lambda n: "$" * n,
        lambda n: "==高亮" * n,
        lambda n: "[x](" * n,
        lambda n: "[" + "x [a] " * n,
        lambda n: "[x [a] " * n,
        lambda n: "{%" * n,
        lambda n: "{{ a " * n,
    ],
    ids=[
        "open-aliases",
        "open-wiki-links",
        "dollars-with-text",
        "dollars",
        "highlights",
        "open-links",
        "open-link-with-pairs",
        "open-links-with-pairs",
        "open-template-tags",
        "open-template-values",
    ],
)
def test_inline_markup_is_read_in_linear_time(make: Callable[[int], str]) -> None:
    assert linear_ratio(make, inline_pieces, 2_000) < LINEAR_BOUND
