"""The HTML text-node reader shared by `zhen serve` (format=html) and `zhen file` (.html)."""

from collections.abc import Callable

import pytest

from tests.linearity import LINEAR_BOUND, linear_ratio
from translator.html_fragment import parse_fragment


def test_text_nodes_of_a_page() -> None:
    page = '<p title="a<b">你好 &amp; 再见</p><script>if (a<b) {}</script><!-- 注释 --><pre>代码</pre>尾巴'
    fragment = parse_fragment(page)
    assert fragment.texts == ["你好 & 再见", "尾巴"]
    assert fragment.rebuild(["Hello & bye", "tail"]) == page.replace("你好 &amp; 再见", "Hello &amp; bye").replace(
        "尾巴", "tail"
    )


@pytest.mark.parametrize(
    ("source", "texts"),
    [
        ("你好 <a href='x' 再见", ["你好 <a href='x' 再见"]),
        ("你好<!-- 没有结尾", ["你好<!-- 没有结尾"]),
        ("你好<![CDATA[ 没有结尾", ["你好<![CDATA[ 没有结尾"]),
        ("<b>粗体</b> 然后 <i 没关上", ["粗体", "然后 <i 没关上"]),
    ],
)
def test_a_construct_that_never_closes_is_text(source: str, texts: list[str]) -> None:
    assert parse_fragment(source).texts == texts


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "<a " * n,
        lambda n: "<!--" * n,
        lambda n: "<!-- a > b " * n,
        lambda n: "<![CDATA[" * n,
        lambda n: "<?x " * n,
        lambda n: "</a " * n,
        lambda n: "<b>x</b>" * n + "<a " * n,
        lambda n: "<a x='" * n + ">",
    ],
    ids=[
        "open-tags",
        "open-comments",
        "comments-with-gt",
        "cdata",
        "instructions",
        "end-tags",
        "tags-then-open",
        "quotes",
    ],
)
def test_hostile_markup_is_read_in_linear_time(make: Callable[[int], str]) -> None:
    # Python's HTMLParser alone took 35 s on 16,000 "<a " (quadratic): a request could hold a CPU.
    assert linear_ratio(make, parse_fragment, 2_000) < LINEAR_BOUND
