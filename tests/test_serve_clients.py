"""The exact requests that real clients send to a custom server, replayed against `zhen serve`.

Each request was read from the client's own source (or, for Immersive Translate, which is closed
source, its documentation); the source is named on each test. Only the request and the fields the
client reads back are reproduced here, no client code.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")

from tests.engines import TaggingEngine
from tests.serve_live import call, live_server
from translator.serve import ServeSettings
from translator.translator import Translator

#: Translate Web Pages refuses an API key shorter than 10 characters, so its users need one.
KEY = "zhen-local-key"
JAPANESE = "今日はとても暑いですね、ありがとう"


@pytest.fixture(scope="module")
def engine() -> TaggingEngine:
    return TaggingEngine()


@pytest.fixture(scope="module")
def server(engine: TaggingEngine) -> Iterator[str]:
    with live_server(Translator(engine=engine, cache=False)) as base:
        yield base


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[str]:
    translator = Translator(engine=TaggingEngine(), cache=False)
    traditional = Translator(engine=TaggingEngine(), cache=False, script="Hant")
    with live_server(translator, ServeSettings(api_keys=frozenset({KEY})), traditional=traditional) as base:
        yield base


def post(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, object]:
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, json.loads(response.read())


# -- KISS Translator (fishjar/kiss-translator, src/apis/trans.js genDeepl / genDeeplX and the
# response parsing in the same file; language codes from src/config/api.js OPT_LANGS_TO_SPEC) --


def test_kiss_translator_deepl_batch(keyed_server: str) -> None:
    # "DeepL" with its URL set to .../v2/translate: a JSON list, source "" for auto, ZH-HANS target.
    body = {"text": ["Good morning.", "See you."], "target_lang": "ZH-HANS", "source_lang": ""}
    headers = {"Content-type": "application/json", "Authorization": f"DeepL-Auth-Key {KEY}"}
    status, answer = post(f"{keyed_server}/v2/translate", json.dumps(body).encode(), headers)
    assert status == 200
    assert answer == {
        "translations": [
            {"detected_source_language": "EN", "text": "zh(Good morning.)"},
            {"detected_source_language": "EN", "text": "zh(See you.)"},
        ]
    }


def test_kiss_translator_deeplx(keyed_server: str) -> None:
    # "DeepLX": one joined string, source "auto", key as a Bearer token; it reads `data`, `source_lang`.
    body = {"text": "早上好。", "target_lang": "EN", "source_lang": "auto"}
    headers = {"Content-type": "application/json", "Authorization": f"Bearer {KEY}"}
    status, answer = post(f"{keyed_server}/translate", json.dumps(body).encode(), headers)
    assert status == 200
    assert isinstance(answer, dict)
    assert (answer["data"], answer["source_lang"]) == ("en(早上好。)", "ZH")


# -- pot (pot-app/pot-desktop, src/services/translate/deepl/index.jsx translate_by_deeplx, codes
# from info.ts; LibreTranslate plugin Integral-Tech/pot-app-translate-plugin-libre, main.js) ------


def test_pot_deeplx_with_token_in_the_url(keyed_server: str) -> None:
    # pot sends no key header: the key goes in the URL the user types.
    body = {"source_lang": "auto", "target_lang": "ZH", "text": "Thank you."}
    headers = {"Content-Type": "application/json"}
    status, answer = post(f"{keyed_server}/translate?token={KEY}", json.dumps(body).encode(), headers)
    assert status == 200
    assert isinstance(answer, dict) and answer["data"] == "zh(Thank you.)"


def test_pot_libretranslate_plugin(keyed_server: str) -> None:
    # The plugin appends "translate" to the instance URL (made to end in "/"), sends JSON.
    body = {"q": "谢谢你。", "source": "auto", "target": "en", "format": "text", "api_key": KEY}
    status, answer = post(f"{keyed_server}/translate", json.dumps(body).encode(), {"Content-Type": "application/json"})
    assert status == 200
    assert isinstance(answer, dict) and answer["translatedText"] == "en(谢谢你。)"


# -- Translate Web Pages (FilipePS/Traduzir-paginas-web, src/background/translationService.js
# createLibreService; the key check in src/options/options.js) -----------------------------------


@pytest.mark.parametrize("source", ["auto", "en"])
def test_translate_web_pages_libretranslate(server: str, source: str) -> None:
    # Form-encoded, format "text", `api_key` always sent (the options page requires 10+ characters,
    # so it is sent to a server without keys too); it reads `detectedLanguage.language` every time.
    form = {"q": "Good night.", "source": source, "target": "zh-CN", "format": "text", "api_key": KEY}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer = post(f"{server}/translate", urlencode(form).encode(), headers)
    assert status == 200
    assert isinstance(answer, dict)
    assert (answer["translatedText"], answer["detectedLanguage"]["language"]) == ("zh(Good night.)", "en")


def test_translate_web_pages_with_server_key(keyed_server: str) -> None:
    form = {"q": "Good night.", "source": "auto", "target": "zh-TW", "format": "text", "api_key": KEY}
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer = post(f"{keyed_server}/translate", urlencode(form).encode(), headers)
    assert status == 200
    assert isinstance(answer, dict) and answer["translatedText"] == "zh(Good night.)"


# -- Immersive Translate (closed source; its documentation, immersivetranslate.com/en/docs/services/
# custom/: POST JSON source_lang, target_lang, text_list -> translations[].text) --------------------


def test_immersive_translate_custom_api(server: str) -> None:
    body = {"source_lang": "auto", "target_lang": "zh-CN", "text_list": ["Hello.", "Bye."]}
    status, answer, _ = call(f"{server}/translate", body)
    assert status == 200
    assert answer == {
        "translations": [
            {"detected_source_lang": "en", "text": "zh(Hello.)"},
            {"detected_source_lang": "en", "text": "zh(Bye.)"},
        ]
    }


# -- Lists go to the model as one batch, item by item ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "body", "texts_of"),
    [
        (
            "/v2/translate",
            {"text": ["一。", JAPANESE, "二。"], "target_lang": "EN"},
            lambda answer: [t["text"] for t in answer["translations"]],
        ),
        (
            "/translate",
            {"text": ["一。", JAPANESE, "二。"], "target_lang": "EN", "source_lang": "auto"},
            lambda answer: answer["data"],
        ),
        (
            "/translate",
            {"text_list": ["一。", JAPANESE, "二。"], "target_lang": "en", "source_lang": "auto"},
            lambda answer: [t["text"] for t in answer["translations"]],
        ),
        (
            "/translate",
            {"q": ["一。", JAPANESE, "二。"], "target": "en", "source": "auto"},
            lambda answer: answer["translatedText"],
        ),
    ],
    ids=["deepl", "deeplx", "immersive", "libretranslate"],
)
def test_a_list_is_one_engine_batch_and_a_bad_item_fails_alone(
    server: str, engine: TaggingEngine, path: str, body: dict[str, object], texts_of: object
) -> None:
    calls = len(engine.calls)
    status, answer, _ = call(f"{server}{path}", body)
    assert status == 200
    assert texts_of(answer) == ["en(一。)", JAPANESE, "en(二。)"]  # type: ignore[operator]
    assert engine.calls[calls:] == [(["一。", "二。"], "zh", "en")]
