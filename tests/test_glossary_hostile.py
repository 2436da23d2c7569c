"""A hostile or broken user glossary never crashes or hangs zhen: one line, built-in data goes on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from translator.cli import main as cli
from translator.glossary import GlossaryError, default_glossary, forget_default_glossary, load_glossary, loader

FIXTURES = Path(__file__).parent / "data" / "glossary"

ENTRY = """\
[[entry]]
term = "{term}"
lang = "zh"
pinyin = "hǎo rén"
meaning = "a nice guy"
note = "{note}"
category = "slang"
register = "playful"
example = "他是个好人"
example_translation = "He's a nice guy"
"""


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(loader, "DATA_DIR", FIXTURES / "builtin")
    monkeypatch.setattr(
        cli, "COMMAND_MODULES", dict.fromkeys(("explain", "gloss", "glossary"), "translator.cli.glossary_cmd")
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_default_glossary()
    path = loader.user_glossary_path()
    path.parent.mkdir(parents=True)
    yield path
    forget_default_glossary()


HOSTILE = {
    "nested": ('[[entry]]\nterm = "x"\nvariants = ' + "[" * 5000 + "]" * 5000 + "\n", "nested more than 16 levels"),
    "nested tables": ("entry = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", "nested more than 16 levels"),
    "huge term": (ENTRY.format(term="好" * 1_000_000, note="n"), "field 'term' is longer than 80 characters"),
    "huge note": (ENTRY.format(term="好人", note="n" * 1_000_000), "field 'note' is longer than 4000 characters"),
    "escape in term": (ENTRY.format(term="好人\\u001b]0;pwned\\u0007", note="n"), "control or invisible character"),
    "escape in note": (ENTRY.format(term="好人", note="\\u001b[2J"), "control character"),
    "bidi override": (ENTRY.format(term="好\\u202e人", note="n"), "control or invisible character"),
    "bad rule": (ENTRY.format(term="好人", note="n") + 'slang_when = ["(~"]\n', "not a valid regular expression"),
    "two marks": (ENTRY.format(term="好人", note="n") + 'slang_when = ["a~b~"]\n', "more than one ~"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_user_glossary_is_refused_in_one_line(isolated: Path, case: str) -> None:
    text, problem = HOSTILE[case]
    isolated.write_text(text, encoding="utf-8")
    with pytest.raises(GlossaryError, match=problem) as caught:
        load_glossary(user_file=isolated)
    message = str(caught.value)
    assert "\n" not in message and "\x1b" not in message and len(message) < 400
    glossary = default_glossary()
    assert glossary.lookup("yyds") is not None and len(glossary.problems) == 1
    assert glossary.find("这家火锅yyds")


def test_a_catastrophic_user_rule_cannot_hang_a_search(isolated: Path) -> None:
    rule = ENTRY.format(term="好人", note="n") + 'ambiguous = true\nliteral_examples = ["好人好事"]\n'
    isolated.write_text(rule + 'slang_when = ["(a|aa)+b~", "~(x+x+)+y"]\n', encoding="utf-8")
    glossary = load_glossary(user_file=isolated)
    started = time.perf_counter()
    (note,) = glossary.find("a" * 60 + "好人" + "x" * 60)
    assert note.confidence == "possible"  # neither rule matches (or each gave up in time)
    assert time.perf_counter() - started < 30  # not an hours-long backtrack


def test_cli_output_from_glossary_data_is_made_visible(
    isolated: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(ENTRY.format(term="好人", note="\\u001b]8;;http://x\\u0007click"), encoding="utf-8")
    code = cli.main(["glossary", "check", str(bad)])
    _, err = capsys.readouterr()
    assert code == 1 and "\x1b" not in err and err.count("\n") == 1
    isolated.write_text(ENTRY.format(term="好人", note="n") + 'literal_when = ["好人好事"]\n', encoding="utf-8")
    assert cli.main(["explain", "他是个好人"]) == 0
    out, _ = capsys.readouterr()
    assert "好人 (hǎo rén) [slang, playful]: a nice guy" in out


def test_explain_notes_in_chinese_and_may_mean(isolated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    isolated.write_text(
        ENTRY.format(term="好人", note="Often ironic.")
        + 'meaning_zh = "老好人"\nnote_zh = "常带讽刺。"\nambiguous = true\nliteral_examples = ["做好人好事"]\n'
        + 'literal_when = ["好事"]\n',
        encoding="utf-8",
    )
    assert cli.main(["explain", "--notes-in", "zh", "你真是个好人"]) == 0
    out, _ = capsys.readouterr()
    assert (
        out.splitlines()[0] == "注释："
        and "好人 (hǎo rén) [slang, playful]: 可能是 老好人" in out
        and "常带讽刺。" in out
    )
    assert cli.main(["explain", "你真是个好人"]) == 0
    out, _ = capsys.readouterr()
    assert "may mean a nice guy" in out and "Often ironic." in out
    assert cli.main(["glossary", "check"]) == 0
