"""Files through the real pipeline with tiny memorised MarianMT models: exact expected outputs.

Inputs and expected outputs are built from the memorised zh->en pairs (Z[i] -> E[i]) and the sources
of the en->zh pairs (S[i]), so every prose string in these files is one the models know by heart.
Chinese expectations come from `Translator.translate` itself, which writes full-width punctuation
where the model writes half-width.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.modelkit import EN_ZH_PAIRS, ZH_EN_PAIRS
from translator import Translator
from translator.files import translate_file
from translator.glossary.matcher import Glossary
from translator.wrapping import LINE_COLUMNS, width, wrap

Z = [chinese for chinese, _ in ZH_EN_PAIRS]
E = [english for _, english in ZH_EN_PAIRS]
S = [english for english, _ in EN_ZH_PAIRS]


@pytest.fixture(scope="module")
def translator(memorised_store: Path) -> Translator:
    return Translator(
        models_dir=memorised_store, backend="ctranslate2", cache=False, rewrite_slang=False, glossary=Glossary([])
    )


def translate(tmp_path: Path, translator: Translator, name: str, text: str, **options: object) -> str:
    source = tmp_path / name
    source.write_bytes(text.encode("utf-8"))
    result = translate_file(source, None, translator, **options)  # type: ignore[arg-type]
    return Path(result.output).read_bytes().decode("utf-8")


def txt_case() -> tuple[str, str]:
    url_and_tag = " https://xhslink.com/a1b2 #成都美食[话题]#"
    source = f"{Z[0]}{Z[1]}\r\n\r\n　　{Z[3]}  \r\n{S[2]}\r\n{Z[8]}{url_and_tag}\r\n{Z[5]}"
    expected = f"{E[0]} {E[1]}\r\n\r\n　　{E[3]}  \r\n{S[2]}\r\n{E[8]}{url_and_tag}\r\n{E[5]}"
    return source, expected


def test_txt(tmp_path: Path, translator: Translator) -> None:
    source, expected = txt_case()
    assert translate(tmp_path, translator, "post.txt", source) == expected


def test_txt_with_transformers_is_the_same(tmp_path: Path, memorised_store: Path) -> None:
    source, expected = txt_case()
    slow = Translator(
        models_dir=memorised_store, backend="transformers", cache=False, rewrite_slang=False, glossary=Glossary([])
    )
    assert translate(tmp_path, slow, "post.txt", source) == expected


def test_txt_bilingual(tmp_path: Path, translator: Translator) -> None:
    output = translate(tmp_path, translator, "post.txt", f"{Z[1]}\n\n{S[0]}\n{Z[7]}", bilingual=True)
    assert output == f"{Z[1]}\n{E[1]}\n\n{S[0]}\n{Z[7]}\n{E[7]}"


def test_markdown(tmp_path: Path, translator: Translator) -> None:
    def document(t: list[str]) -> str:
        return (
            f"---\ntitle: {t[11]}\n---\n\n# {t[11]}\n\n{t[0]}{t[1]}\n\n- {t[8]}\n- [x] {t[5]}\n\n> {t[10]}\n\n"
            f"```\n{Z[1]}\n```\n\n"
            f'**{t[1]}** [{t[8]}](https://example.com/link "{Z[1]}") ![{t[7]}](look.jpg)\n\n'
            f"| {t[1]} | `123` |\n|:--|--:|\n| {t[2]} | {t[9]} |\n"
        )

    expected = document(E).replace(f"{E[0]}{E[1]}", f"{E[0]} {E[1]}")
    assert translate(tmp_path, translator, "notes.md", document(Z)) == expected


def test_markdown_paragraph_lines_are_one_text(tmp_path: Path, translator: Translator) -> None:
    output = translate(tmp_path, translator, "notes.md", f"{Z[0]}\n{Z[1]}\n", bilingual=True)
    assert output == f"{Z[0]}\n{Z[1]}\n\n{E[0]} {E[1]}\n"


def test_srt(tmp_path: Path, translator: Translator) -> None:
    half = len(Z[6]) // 2
    source = (
        f"1\n00:00:01,000 --> 00:00:03,000\n<i>{Z[1]}</i>\n\n"
        f"2\n00:00:03,500 --> 00:00:06,000\n{Z[6][:half]}\n{Z[6][half:]}\n\n"
        f"3\n00:00:06,500 --> 00:00:09,000\n- {Z[1]}\n- {Z[5]}\n"
    )
    lines = wrap(E[6], LINE_COLUMNS["en"])
    expected = (
        f"1\n00:00:01,000 --> 00:00:03,000\n<i>{E[1]}</i>\n\n"
        f"2\n00:00:03,500 --> 00:00:06,000\n" + "\n".join(lines) + "\n\n"
        f"3\n00:00:06,500 --> 00:00:09,000\n- {E[1]}\n- {E[5]}\n"
    )
    assert translate(tmp_path, translator, "episode.srt", source) == expected
    assert " ".join(lines) == E[6]


def test_vtt_into_chinese_wraps_by_display_width(tmp_path: Path, translator: Translator) -> None:
    source = (
        "WEBVTT\n\nNOTE English subtitles\n\n"
        f"1\n00:00.000 --> 00:03.000 line:90%\n<v Anna>{S[0]} {S[1]}\n{S[2]} {S[3]}</v>\n\n"
        f"00:03.500 --> 00:05.000\n{S[7]}\n"
    )
    joined = translator.translate(f"{S[0]} {S[1]} {S[2]} {S[3]}").text
    lines = wrap(joined, LINE_COLUMNS["zh"])
    expected = (
        "WEBVTT\n\nNOTE English subtitles\n\n"
        "1\n00:00.000 --> 00:03.000 line:90%\n<v Anna>" + "\n".join(lines) + "</v>\n\n"
        f"00:03.500 --> 00:05.000\n{translator.translate(S[7]).text}\n"
    )
    assert translate(tmp_path, translator, "english.vtt", source) == expected
    # Few enough characters for one line by count, too wide for one line on screen.
    assert len(joined) <= LINE_COLUMNS["zh"] < width(joined)
    assert len(lines) == 2 and all(width(line) <= LINE_COLUMNS["zh"] for line in lines)


def json_post(t: list[str]) -> str:
    def q(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    return (
        "{\n"
        '  "note_id": "64a1b2c3d4e5f6a7b8c9d0e1",\n'
        f'  "title": {q(t[11])},\n'
        f'  "desc": {q(t[6] + " #美妆[话题]#")},\n'
        f'  "tags": [{q(t[1])}, "#火锅#"],\n'
        '  "url": "https://www.xiaohongshu.com/explore/64a1b2c3d4e5f6a7b8c9d0e1",\n'
        '  "time": "2025-03-01 12:30:00",\n'
        '  "likes": 1024,\n'
        '  "comments": [\n'
        f'    {{"id": "c0ffee01", "text": {q(t[8])}, "user": {{"uid": "5f3a9c2e", "bio": {q(t[5])}}}}},\n'
        f'    {{"id": "c0ffee02", "text": {q(S[2])}, "user": null}}\n'
        "  ]\n"
        "}\n"
    )


def test_json(tmp_path: Path, translator: Translator) -> None:
    assert translate(tmp_path, translator, "post.json", json_post(Z)) == json_post(E)


def test_json_fields(tmp_path: Path, translator: Translator) -> None:
    only = [E[i] if i in (11, 8) else Z[i] for i in range(len(Z))]
    output = translate(tmp_path, translator, "post.json", json_post(Z), fields=["title", "comments.text"])
    assert output == json_post(only)


def test_json_bilingual(tmp_path: Path, translator: Translator) -> None:
    data = json.loads(translate(tmp_path, translator, "post.json", json_post(Z), bilingual=True))
    assert (data["title"], data["title_en"]) == (Z[11], E[11])
    assert (data["tags"], data["tags_en"]) == ([Z[1], "#火锅#"], [E[1], "#火锅#"])
    assert data["comments"][0]["user"] == {"uid": "5f3a9c2e", "bio": Z[5], "bio_en": E[5]}
    assert "url_en" not in data and "note_id_en" not in data


def test_jsonl(tmp_path: Path, translator: Translator) -> None:
    def records(t: list[str]) -> str:
        lines = [
            {"id": 1, "text": t[1], "user": {"bio": t[9]}},
            {"id": 2, "text": t[2], "replies": [{"text": t[8]}, {"text": t[5]}]},
        ]
        return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)

    assert translate(tmp_path, translator, "comments.jsonl", records(Z)) == records(E)


def test_csv(tmp_path: Path, translator: Translator) -> None:
    source = f'id,text,created_at\r\n1,{Z[0]},2025-03-01\r\n2,"{Z[1]}\n{Z[8]}",2025-03-02\r\n3,"{Z[7]}",2025-03-03\r\n'
    output = translate(tmp_path, translator, "comments.csv", source)
    rows = list(csv.reader(io.StringIO(output, newline="")))
    assert rows == [
        ["id", "text", "created_at", "text_en"],
        ["1", Z[0], "2025-03-01", E[0]],
        ["2", f"{Z[1]}\n{Z[8]}", "2025-03-02", f"{E[1]}\n{E[8]}"],
        ["3", Z[7], "2025-03-03", E[7]],
    ]
    assert output.startswith(f'id,text,created_at,text_en\r\n1,{Z[0]},2025-03-01,{csv_cell(E[0])}\r\n2,"{Z[1]}\n')


def csv_cell(text: str) -> str:
    """How the csv module writes one cell (quoted only if it must be)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([text])
    return buffer.getvalue()
