from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.linearity import LINEAR_BOUND, linear_ratio
from translator.segment import segment, split_sentences


def pieces(text: str) -> list[tuple[str, str]]:
    return [(p.text, p.reason) for p in segment(text)]


def test_pieces_tile_the_text_and_offsets_are_right() -> None:
    text = "这家店的火锅太好吃了！下次还来～ #美食[话题]# @小红薯123 😋 https://xhslink.com/abc\r\n\n  Next."
    result = segment(text)
    assert "".join(p.text for p in result) == text
    assert all(text[p.start : p.end] == p.text for p in result)


def test_chinese_sentences_split_without_spaces() -> None:
    assert split_sentences("太好吃了！下次还来。你呢？") == ["太好吃了！", "下次还来。", "你呢？"]


def test_closing_quotes_stay_with_their_sentence() -> None:
    assert split_sentences("他说：“太好吃了！”然后走了。") == ["他说：“太好吃了！”", "然后走了。"]


def test_english_abbreviations_decimals_and_initials_do_not_split() -> None:
    text = "Mr. Smith paid $3.50 at 9 a.m. on Friday. J. K. Rowling agreed! Did she?"
    assert split_sentences(text) == [
        "Mr. Smith paid $3.50 at 9 a.m. on Friday.",
        " J. K. Rowling agreed!",
        " Did she?",
    ]


def test_ascii_marks_before_chinese_end_a_sentence() -> None:
    assert split_sentences("好吃!下次再来") == ["好吃!", "下次再来"]


def test_protected_spans_are_kept() -> None:
    text = "看这个 https://example.com/a.b?c=1, 问 @Jane_Doe 或 jane@mail.com #猫税[话题]# #OOTD 😂👍🏽"
    kept = {reason: value for value, reason in pieces(text) if reason not in ("", "space")}
    assert kept == {
        "url": "https://example.com/a.b?c=1",
        "mention": "@Jane_Doe",
        "email": "jane@mail.com",
        "hashtag": "#OOTD",
        "emoji": "😂👍🏽",
    }
    assert ("#猫税[话题]#", "hashtag") in pieces(text)


def test_nested_and_hyphened_tags_stay_whole() -> None:
    # Obsidian's nested tags and English hyphened ones; a slash or dash after a tag is text.
    assert ("#学习/中文", "hashtag") in pieces("今天 #学习/中文 很好")
    assert ("#self-care", "hashtag") in pieces("Sunday #self-care routine")
    assert ("#穿搭", "hashtag") in pieces("#穿搭/ 好看")


def test_html_tags_and_character_references_are_kept() -> None:
    # Weibo's API gives a post's text as HTML: tags, their attributes and links never reach the model.
    link = '<a href="https://m.weibo.cn/search?q=%23" data-hide="">'
    text = f"今天天气真好<br />出去走走 {link}<span>#周末#</span></a>&nbsp;好"
    assert pieces(text) == [
        ("今天天气真好", ""),
        ("<br />", "markup"),
        ("出去走走", ""),
        (" ", "space"),
        (link, "markup"),
        ("<span>", "markup"),
        ("#周末#", "hashtag"),
        ("</span>", "markup"),
        ("</a>", "markup"),
        ("&nbsp;", "markup"),
        ("好", ""),
    ]
    # A heart is not a tag.
    assert pieces("我<3你") == [("我<3你", "")]


def test_url_stops_at_full_width_punctuation() -> None:
    assert ("https://xhslink.com/abc", "url") in pieces("链接https://xhslink.com/abc，快去看")


@pytest.mark.parametrize("mark", ["～", "｝", "］", "＿", "｡", "｣"])
def test_url_stops_at_any_full_width_punctuation(mark: str) -> None:
    assert ("https://xhslink.com/abc", "url") in pieces(f"链接https://xhslink.com/abc{mark}快去看")


def test_emoji_sequences_with_zwj_and_skin_tones_stay_whole() -> None:
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert pieces(f"我们{family}👍🏿🇨🇳") == [("我们", ""), (f"{family}👍🏿🇨🇳", "emoji")]


def test_bare_numbers_and_symbols_are_kept() -> None:
    assert pieces("2025") == [("2025", "number")]
    assert pieces("¥199 …") == [("¥199 …", "number")]
    assert pieces("……") == [("……", "symbols")]


def test_numbers_inside_a_sentence_stay_in_the_sentence() -> None:
    assert pieces("我买了3个苹果。") == [("我买了3个苹果。", "")]


def test_line_breaks_are_kept_exactly() -> None:
    assert pieces("一\r\n二\n\n三\r") == [
        ("一", ""),
        ("\r\n", "space"),
        ("二", ""),
        ("\n", "space"),
        ("\n", "space"),
        ("三", ""),
        ("\r", "space"),
    ]


def test_long_sentences_are_cut_at_clauses_under_the_limit() -> None:
    clause = "我们今天去了一家非常好吃的火锅店"
    text = "，".join([clause] * 30) + "。"
    result = [p for p in segment(text, limit=60) if not p.reason]
    assert len(result) > 1
    assert all(len(p.text) <= 60 for p in result)
    assert "".join(p.text for p in segment(text, limit=60)) == text


def test_sentence_without_any_break_is_cut_not_truncated() -> None:
    text = "好" * 500
    result = segment(text, limit=100)
    assert "".join(p.text for p in result) == text
    assert max(len(p.text) for p in result) <= 100


def test_token_counter_decides_when_english_is_too_long() -> None:
    text = "word " * 80 + "end."
    assert len([p for p in segment(text, count_tokens=lambda s: len(s.split()) + 1, limit=200) if not p.reason]) == 1
    assert len([p for p in segment(text, count_tokens=lambda s: len(s.split()) + 1, limit=30) if not p.reason]) > 1


@given(st.text())
def test_segmentation_tiles_any_text(text: str) -> None:
    result = segment(text, limit=40)
    assert "".join(p.text for p in result) == text
    assert all(text[p.start : p.end] == p.text for p in result)
    assert all(p.text.strip() == p.text for p in result if p.is_prose)


def kept_spans(text: str) -> list[tuple[str, str]]:
    return [(value, reason) for value, reason in pieces(text) if reason not in ("", "space")]


def test_platform_stickers_and_qzone_markup_are_not_prose() -> None:
    text = "笑死[尬笑][尬笑][doge]真的[抱抱你] [笑哭R] [em]e400101[/em]@{uin:12345,nick:小明同学,who:1}你好"
    assert kept_spans(text) == [
        ("[尬笑][尬笑][doge]", "emoji"),
        ("[抱抱你]", "emoji"),
        ("[笑哭R]", "emoji"),
        ("[em]e400101[/em]", "emoji"),
        ("@{uin:12345,nick:小明同学,who:1}", "mention"),
    ]
    assert all("小明" not in value for value, reason in pieces(text) if reason == "")
    # Weibo's own stickers mix Chinese and Latin (from a real API response).
    assert kept_spans("好开心[笑cry] 哈哈[脱单doge]真的[打call]") == [
        ("[笑cry]", "emoji"),
        ("[脱单doge]", "emoji"),
        ("[打call]", "emoji"),
    ]


def test_template_placeholders_are_kept() -> None:
    # From real app strings (uptime-kuma, jellyfin, MediaCrawler): a model would translate or drop them.
    text = (
        "显示 {{filtered}} / {{ total }} 条，{0} 项，你是否確認{disableAuth}？"
        "添加{count, number}项 %s %1$d %(name)s ${user}"
    )
    assert [value for value, reason in kept_spans(text) if reason == "placeholder"] == [
        "{{filtered}}",
        "{{ total }}",
        "{0}",
        "{disableAuth}",
        "{count, number}",
        "%s",
        "%1$d",
        "%(name)s",
        "${user}",
    ]
    # A percentage is not a placeholder, nor a percent-encoded byte.
    assert kept_spans("打折50%，真的100%满意 50% off，以字符 %x2F 分隔") == []


def test_icu_messages_keep_their_structure_and_give_their_branches_to_the_model() -> None:
    text = "共{count, plural, =0 {没有项目} one {# 个项目😀} other {# 个{kind}项目}}"
    assert pieces(text) == [
        ("共", ""),
        ("{count, plural, =0 {", "placeholder"),
        ("没有项目", ""),
        ("} one {#", "placeholder"),
        (" ", "space"),
        ("个项目", ""),
        ("😀", "emoji"),
        ("} other {#", "placeholder"),
        (" ", "space"),
        ("个", ""),
        ("{kind}", "placeholder"),
        ("项目", ""),
        ("}}", "placeholder"),
    ]
    # A select message has no count: its "#" is text.
    assert ("{gender, select, male {", "placeholder") in pieces("{gender, select, male {#1 他} other {她}}")
    # Whatever its argument is called.
    counted = pieces("{pluralForm, select, a {第 # 号} other {其他}}")
    assert [value for value, reason in counted if reason == "placeholder" and "#" in value] == []
    # Not a message: braces around words in a sentence.
    assert kept_spans("他说 {不, plural, 好} 吧") == []


def test_bare_domains_with_a_path_use_the_public_suffix_list() -> None:
    text = "看youtu.be/dQw4w9 和 b23.tv/BV1xx 还有 v.douyin.com/iRNBho6/ 或 xhslink.com/a1b2很好"
    assert [value for value, reason in kept_spans(text)] == [
        "youtu.be/dQw4w9",
        "b23.tv/BV1xx",
        "v.douyin.com/iRNBho6/",
        "xhslink.com/a1b2",
    ]
    # File names and dotted words are not domains: without a path only common TLDs count.
    assert kept_spans("see readme.md and Node.js, or baidu.com") == [("baidu.com", "url")]


def test_urls_with_chinese_paths_are_kept_whole() -> None:
    assert kept_spans("看 https://zh.wikipedia.org/wiki/火锅 好吃") == [("https://zh.wikipedia.org/wiki/火锅", "url")]
    assert kept_spans("https://x.com/你好") == [("https://x.com/你好", "url")]
    # Chinese glued to an ASCII path is the sentence going on.
    assert kept_spans("https://b23.tv/abc快看") == [("https://b23.tv/abc", "url")]


def test_email_does_not_take_the_chinese_before_it() -> None:
    assert kept_spans("联系abc@mail.com") == [("abc@mail.com", "email")]


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "你" * n,
        lambda n: "x" * n + " 你好",
        lambda n: "~" * n,
        lambda n: "a-" * n,
        lambda n: "a." * n + "b",
        lambda n: "[尬" * n,
        lambda n: "https://x.com/" + "火" * n,
        lambda n: "<a " * n,
        lambda n: "<a href=" + "x" * n,
        lambda n: "&a" * n,
        lambda n: "{n, plural, one {" * n,
        lambda n: "{n, select, a {" + "{x}" * n,
    ],
    ids=[
        *("han", "letters", "tildes", "hyphens", "dots", "brackets", "url", "open-tags", "unclosed-tag"),
        *("ampersands", "icu-heads", "icu-unclosed"),
    ],
)
def test_segmenting_is_linear(make: Callable[[int], str]) -> None:
    assert linear_ratio(make, segment, 20_000) < LINEAR_BOUND
