"""`zhen explain`, `zhen gloss`, `zhen glossary search|check`: exit codes, output, JSON, stdin."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from translator.cli import main as cli
from translator.dictionary import CEDICT_ATTRIBUTION
from translator.glossary import forget_default_glossary, loader

FIXTURES = Path(__file__).parent / "data" / "glossary"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Fixture data as the built-in glossary, no user glossary, only this module's commands."""
    monkeypatch.setattr(
        cli, "COMMAND_MODULES", dict.fromkeys(("explain", "gloss", "glossary"), "translator.cli.glossary_cmd")
    )
    monkeypatch.setattr(loader, "DATA_DIR", FIXTURES / "builtin")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    forget_default_glossary()
    yield loader.user_glossary_path()
    forget_default_glossary()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def stdin(monkeypatch: pytest.MonkeyPatch, text: str, tty: bool = False) -> None:
    stream = io.StringIO(text)
    stream.isatty = lambda: tty  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", stream)


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "explain", "这家火锅yyds，", "no", "cap")
    assert (code, err) == (0, "")
    assert "yyds (yǒngyuǎn de shén) [abbreviation, playful]: the GOAT; the best ever" in out
    assert "Abbreviation of 永远的神" in out
    assert "no cap [slang, playful]: honestly; for real" in out


def test_explain_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "--json", "这家火锅yyds")
    data = json.loads(out)
    assert code == 0 and data["text"] == "这家火锅yyds"
    (note,) = data["notes"]
    assert (note["term"], note["start"], note["end"], note["canonical"]) == ("yyds", 4, 8, "yyds")
    assert {"meaning", "note", "pinyin", "category", "register", "lang", "plain", "example"} <= set(note)


def test_explain_without_notes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", "just a normal sentence")
    assert code == 0 and out.startswith("no notes")
    code, out, _ = run(capsys, "explain", "--json", "plain")
    assert json.loads(out) == {"text": "plain", "notes": []}


@pytest.mark.parametrize("argv", [["explain"], ["explain", "-"]])
def test_explain_reads_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str]
) -> None:
    stdin(monkeypatch, "that movie was mid\n")
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "mid [slang, playful]" in out


def test_explain_with_nothing_to_read(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, "", tty=True)
    code, _, err = run(capsys, "explain")
    assert code == 2 and err.startswith("zhen: give the text to explain")


def test_a_broken_user_glossary_is_a_warning(capsys: pytest.CaptureFixture[str], isolated: Path) -> None:
    isolated.parent.mkdir(parents=True)
    isolated.write_text('[[entry]]\nterm = "yyds"\nregister = "fun"\n', encoding="utf-8")
    code, out, err = run(capsys, "explain", "yyds")
    assert code == 0 and "the GOAT" in out
    assert err.startswith(f"zhen: warning: ignoring your glossary {isolated}: {isolated}:3:")


def test_gloss(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "gloss", "这家火锅yyds！我去银行了。")
    assert code == 0
    lines = out.splitlines()
    bank = next(line for line in lines if line.startswith("银行"))
    assert bank.split() == ["银行", "yín", "háng", "bank"]
    assert any(
        line.startswith("yyds") and "★ the GOAT; the best ever [abbreviation, playful]" in line for line in lines
    )
    assert not any(line.startswith(("！", "。")) for line in lines)  # punctuation is not a row
    assert lines[-1] == CEDICT_ATTRIBUTION


def test_gloss_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    stdin(monkeypatch, "银行yyds")
    code, out, _ = run(capsys, "gloss", "--json")
    data = json.loads(out)
    assert code == 0 and data["text"] == "银行yyds" and data["attribution"] == CEDICT_ATTRIBUTION
    bank, slang = data["items"]
    assert (bank["text"], bank["pinyin"], bank["kind"], bank["note"]) == ("银行", "yín háng", "word", None)
    assert bank["traditional"] == "銀行" and "bank" in bank["definitions"]
    assert slang["note"]["canonical"] == "yyds"


def test_gloss_english_shows_notes_without_attribution(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "gloss", "that movie was mid")
    assert code == 0 and out.startswith("mid") and "CC-CEDICT" not in out
    code, out, _ = run(capsys, "gloss", "nothing here")
    assert code == 0 and out.startswith("nothing to gloss")


def test_glossary_search(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "glossary", "search", "zhong", "cao")
    assert code == 0
    assert out.splitlines()[0].startswith("种草  zhòng cǎo  [platform, neutral]  zh.toml:")
    code, out, _ = run(capsys, "glossary", "search", "--json", "--limit", "1", "cap")
    (entry,) = json.loads(out)
    assert code == 0 and entry["term"] == "cap" and entry["variants"] == []


def test_glossary_search_without_results(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "glossary", "search", "qwertyuiop")
    assert (code, err) == (0, "") and out == "no match: no glossary entry matches 'qwertyuiop'\n"


def test_glossary_without_an_action_prints_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "glossary")
    assert code == 2 and "search" in err and "check" in err


def test_glossary_check_builtin(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "glossary", "check")
    assert code == 0
    assert out.splitlines() == ["ok: 13 built-in entries (6 en, 7 zh) in 2 files", "  en.toml: 6", "  zh.toml: 7"]


def test_glossary_check_also_checks_the_user_glossary(capsys: pytest.CaptureFixture[str], isolated: Path) -> None:
    isolated.parent.mkdir(parents=True)
    isolated.write_text((FIXTURES / "user.toml").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "glossary", "check")
    assert code == 0 and out.splitlines()[-1] == f"ok: {isolated}: 2 entries (1 overriding built-in entries, 1 new)"


def test_glossary_check_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    user = FIXTURES / "user.toml"
    code, out, _ = run(capsys, "glossary", "check", str(user))
    assert code == 0 and out == f"ok: {user}: 2 entries (1 overriding built-in entries, 1 new)\n"


def test_glossary_check_a_broken_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[entry]]\nterm = "打卡"\nlang = "zh"\n', encoding="utf-8")
    code, out, err = run(capsys, "glossary", "check", str(bad))
    assert (code, out) == (1, "")
    assert err == f"zhen: {bad}:1: entry '打卡': missing required field 'meaning'\n"
    code, _, err = run(capsys, "glossary", "check", str(tmp_path / "missing.toml"))
    assert code == 1 and err == f"zhen: {tmp_path / 'missing.toml'}: no such glossary file\n"


def test_glossary_check_broken_builtin_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "zh.toml").write_text('[[entry]]\nterm = "x"\n', encoding="utf-8")
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path)
    code, _, err = run(capsys, "glossary", "check")
    assert code == 1 and err == "zhen: zh.toml:1: entry 'x': missing required field 'lang'\n"
    monkeypatch.setattr(loader, "DATA_DIR", tmp_path / "empty")
    code, _, err = run(capsys, "glossary", "check")
    assert code == 1 and "no glossary data files" in err
