"""Text as the app draws it: Chinese wrapped where a reader expects, data made inert."""

from __future__ import annotations

from rich.console import Console

from tui.text import Reflowed, one_line, safe


def drawn(renderable: Reflowed, width: int) -> list[str]:
    console = Console(width=width, record=True, color_system=None)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_chinese_lines_never_break_inside_a_latin_word_nor_start_with_a_closing_mark() -> None:
    text = "这家店的火锅太好吃了。我们明天去Haidilao吃火锅，好不好？"
    for width in range(12, 40):
        lines = drawn(Reflowed(text), width)
        assert "".join(lines) == text
        assert not [line for line in lines if line[:1] in "。，？！"]
        assert [line for line in lines if "Haidilao" in line], (width, lines)


def test_a_hanging_indent_holds_on_every_wrapped_line() -> None:
    lines = drawn(Reflowed("tasty; delicious; very good to eat indeed", indent=2), 20)
    assert len(lines) > 1 and all(line.startswith("  ") and line[2] != " " for line in lines)


def test_data_is_made_inert_for_display() -> None:
    assert safe("a\x1b[2Jb\nc") == "a␛[2Jb\nc"
    assert one_line("a\nb\x07") == "a␊b␇"
