"""`zhen serve` against a live server on loopback: LibreTranslate, DeepLX and DeepL clients."""

from __future__ import annotations

import json
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip("multipart")

from tests.engines import TaggingEngine
from tests.serve_live import call, live_server
from translator.errors import ZhenError
from translator.serve import ServeSettings
from translator.translator import Translator

KEY = "s3cret"


class SimplifiedEngine(TaggingEngine):
    """Answers every sentence with Simplified characters, to see the Traditional conversion."""

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        super().translate(segments, source, target)
        return ["简体字" for _ in segments]


class BrokenEngine(TaggingEngine):
    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        raise ZhenError("the model crashed")


class BlockingEngine(TaggingEngine):
    """Holds every batch until `release` is set, to fill the queue."""

    def __init__(self) -> None:
        super().__init__()
        self.entered = threading.Event()
        self.release = threading.Event()

    def translate(self, segments: list[str], source: str, target: str) -> list[str]:
        self.entered.set()
        self.release.wait(20)
        return super().translate(segments, source, target)


def tagging(script: str = "Hans") -> Translator:
    return Translator(engine=TaggingEngine(), cache=False, script=script)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    settings = ServeSettings(char_limit=200, batch_limit=4, body_limit=4096)
    traditional = Translator(engine=SimplifiedEngine(), cache=False, script="Hant")
    with live_server(tagging(), settings, traditional=traditional) as base:
        yield base


@pytest.fixture(scope="module")
def keyed_server() -> Iterator[str]:
    with live_server(tagging(), ServeSettings(api_keys=frozenset({KEY}))) as base:
        yield base


# -- LibreTranslate ---------------------------------------------------------------------------


def test_libretranslate_client_translates_detects_and_lists_languages(server: str) -> None:
    from libretranslatepy import LibreTranslateAPI

    client = LibreTranslateAPI(server)
    assert client.translate("你好。", "auto", "en") == "en(你好。)"
    assert client.translate("Hello.", "en", "zh") == "zh(Hello.)"
    assert client.detect("今天天气很好") == [{"confidence": 90.0, "language": "zh"}]
    codes = {language["code"] for language in client.languages()}
    assert {"en", "zh", "zh-Hans", "zh-Hant", "zt"} <= codes


def test_json_request_with_auto_source_reports_the_detected_language(server: str) -> None:
    status, body, _ = call(f"{server}/translate", {"q": "Good morning.", "source": "auto", "target": "zh"})
    assert status == 200
    assert body == {"translatedText": "zh(Good morning.)", "detectedLanguage": {"confidence": 90.0, "language": "en"}}


def test_explicit_source_still_reports_the_detected_language(server: str) -> None:
    # Clients such as Translate Web Pages read detectedLanguage whatever source they sent.
    status, body, _ = call(f"{server}/translate", form={"q": "Good morning.", "source": "en", "target": "zh-CN"})
    assert (status, body) == (
        200,
        {"translatedText": "zh(Good morning.)", "detectedLanguage": {"confidence": 90.0, "language": "en"}},
    )


def test_a_list_answers_item_by_item_and_a_failed_item_comes_back_unchanged(server: str) -> None:
    japanese = "今日はとても暑いですね、ありがとう"
    status, body, _ = call(
        f"{server}/translate", {"q": ["你好。", japanese, "Hi."], "source": "auto", "target": "en", "alternatives": 3}
    )
    assert status == 200
    assert body["translatedText"] == ["en(你好。)", japanese, "Hi."]
    assert [d["language"] for d in body["detectedLanguage"]] == ["zh", "ja", "en"]
    assert body["alternatives"] == [[], [], []]


@pytest.mark.parametrize("target", ["zh-Hant", "zt", "zh-TW", "ZH-HANT"])
def test_traditional_targets_are_written_in_traditional_characters(server: str, target: str) -> None:
    status, body, _ = call(f"{server}/translate", {"q": "Hello.", "source": "en", "target": target})
    assert (status, body["translatedText"]) == (200, "簡體字")


def test_html_keeps_tags_attributes_and_code(server: str) -> None:
    fragment = (
        '<p class="x" title="标题">你好 &amp; 再见<br/><a href="/a">世界</a></p>\n'
        '<code>代码</code><script>var s="中文"</script>'
    )
    status, body, _ = call(f"{server}/translate", {"q": fragment, "source": "zh", "target": "en", "format": "html"})
    assert status == 200
    assert body["translatedText"] == (
        '<p class="x" title="标题">en(你好 &amp; 再见)<br/><a href="/a">en(世界)</a></p>\n'
        '<code>代码</code><script>var s="中文"</script>'
    )


# -- DeepLX and DeepL ---------------------------------------------------------------------------


def test_deeplx_shape_on_translate(server: str) -> None:
    status, body, _ = call(f"{server}/translate", {"text": "你好。", "source_lang": "auto", "target_lang": "EN"})
    assert status == 200
    assert (body["code"], body["data"], body["alternatives"]) == (200, "en(你好。)", [])
    assert (body["source_lang"], body["target_lang"]) == ("ZH", "EN")


def test_deeplx_errors_in_its_own_shape(server: str) -> None:
    status, body, _ = call(f"{server}/translate", {"text": "你好。", "source_lang": "auto", "target_lang": "FR"})
    assert (status, body) == (400, {"code": 400, "message": "FR is not supported"})


def test_deepl_v2_with_auth_header(keyed_server: str) -> None:
    headers = {"Authorization": f"DeepL-Auth-Key {KEY}"}
    body = {"text": ["你好。", "Hi."], "target_lang": "ZH"}
    status, body, _ = call(f"{keyed_server}/v2/translate", body, headers=headers)
    assert status == 200
    assert body == {
        "translations": [
            {"detected_source_language": "ZH", "text": "你好。"},
            {"detected_source_language": "EN", "text": "zh(Hi.)"},
        ]
    }
    status, body, _ = call(f"{keyed_server}/v2/translate", {"text": ["Hi."], "target_lang": "ZH"})
    assert (status, body) == (403, {"message": "Invalid API key"})


def test_deepl_v2_form_with_repeated_text(server: str) -> None:
    data = b"text=Hi.&text=Bye.&target_lang=ZH"
    request = urllib.request.Request(f"{server}/v2/translate", data=data)
    with urllib.request.urlopen(request, timeout=30) as response:
        body = json.loads(response.read())
    assert [t["text"] for t in body["translations"]] == ["zh(Hi.)", "zh(Bye.)"]


# -- zhen's own ---------------------------------------------------------------------------------


def test_explain_gives_notes_with_offsets(server: str) -> None:
    status, body, _ = call(f"{server}/explain", {"q": "这家店yyds"})
    assert status == 200
    [note] = [n for n in body["notes"] if n["term"] == "yyds"]
    assert (note["start"], note["end"]) == (3, 7)


def test_gloss_covers_the_text(server: str) -> None:
    status, body, _ = call(f"{server}/gloss", {"text": "银行"})
    assert status == 200
    assert "".join(item["text"] for item in body["items"]) == "银行"
    assert body["attribution"]


def test_translate_file_and_download(server: str) -> None:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nauto\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="target"\r\n\r\nen\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="notes.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n你好。\n再见。\n\r\n",
        f"--{boundary}--\r\n",
    ]
    data = "".join(parts).encode()
    request = urllib.request.Request(
        f"{server}/translate_file", data=data, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        url = json.loads(response.read())["translatedFileUrl"]
    assert url.startswith(f"{server}/download_file/")
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.read().decode() == "en(你好。)\nen(再见。)\n"
    status, body, _ = call(f"{server}/download_file/{'0' * 32}.txt")
    assert status == 404 and "error" in body


def test_health_and_frontend_settings(server: str) -> None:
    assert call(f"{server}/health")[:2] == (200, {"status": "ok"})
    status, body, _ = call(f"{server}/frontend/settings")
    assert status == 200 and body["charLimit"] == 200 and ".srt" in body["supportedFilesFormat"]


# -- errors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"source": "auto", "target": "en"}, "missing q"),
        ({"q": "你好", "target": "en"}, "missing source"),
        ({"q": "你好", "source": "auto"}, "missing target"),
        ({"q": "你好", "source": "auto", "target": "fr"}, "fr is not supported"),
        ({"q": "你好", "source": "de", "target": "en"}, "de is not supported"),
        ({"q": "你好", "source": "auto", "target": "en", "format": "pdf"}, "format"),
        ({"q": "字" * 201, "source": "auto", "target": "en"}, "exceeds text limit (200)"),
        ({"q": ["a", "b", "c", "d", "e"], "source": "auto", "target": "en"}, "exceeds batch limit (4)"),
        ({"q": [1, 2], "source": "auto", "target": "en"}, "list of strings"),
        ({"q": "こんにちは、ありがとう", "source": "auto", "target": "en"}, "Japanese"),
    ],
)
def test_bad_requests_answer_400(server: str, body: dict[str, object], message: str) -> None:
    status, answer, _ = call(f"{server}/translate", body)
    assert status == 400
    assert message in answer["error"]


def test_bad_json_and_oversized_bodies(server: str) -> None:
    status, answer, _ = call(f"{server}/translate", headers={"Content-Type": "application/json"}, method="POST")
    assert status == 400
    headers = {"Content-Type": "application/json"}
    request = urllib.request.Request(f"{server}/translate", data=b"{not json", headers=headers)
    try:
        urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        assert (error.code, json.loads(error.read())["error"]) == (400, "Invalid request: the body is not valid JSON")
    status, answer, _ = call(f"{server}/translate", {"q": "x" * 5000, "source": "auto", "target": "en"})
    assert status == 413 and "4096 bytes" in answer["error"]


def test_api_keys(keyed_server: str) -> None:
    from libretranslatepy import LibreTranslateAPI

    assert LibreTranslateAPI(keyed_server, api_key=KEY).translate("Hi.", "en", "zh") == "zh(Hi.)"
    for key in (None, "wrong"):
        body = {"q": "Hi.", "source": "en", "target": "zh"} | ({"api_key": key} if key else {})
        assert call(f"{keyed_server}/translate", body)[:2] == (403, {"error": "Invalid API key"})
    deeplx = {"text": "Hi.", "source_lang": "EN", "target_lang": "ZH"}
    status, body, _ = call(f"{keyed_server}/translate", deeplx, headers={"Authorization": f"Bearer {KEY}"})
    assert (status, body["data"]) == (200, "zh(Hi.)")
    status, body, _ = call(f"{keyed_server}/translate?token={KEY}", deeplx)
    assert (status, body["data"]) == (200, "zh(Hi.)")
    status, body, _ = call(f"{keyed_server}/translate?token=wrong", deeplx)
    assert (status, body) == (403, {"code": 403, "message": "Invalid API key"})
    # Languages and health stay open, as in LibreTranslate.
    assert call(f"{keyed_server}/languages")[0] == 200


def test_engine_failure_answers_500() -> None:
    with live_server(Translator(engine=BrokenEngine(), cache=False)) as base:
        status, body, _ = call(f"{base}/translate", {"q": "你好。", "source": "auto", "target": "en"})
        assert (status, body) == (500, {"error": "the model crashed"})
        status, body, _ = call(f"{base}/translate", {"q": ["你好。"], "source": "auto", "target": "en"})
        assert (status, body["translatedText"]) == (200, ["你好。"])


def test_full_queue_answers_429_at_once() -> None:
    engine = BlockingEngine()
    translator = Translator(engine=engine, cache=False)
    with live_server(translator, ServeSettings(max_queue=1)) as base:
        answers: list[tuple[int, object]] = []
        first = threading.Thread(
            target=lambda: answers.append(call(f"{base}/translate", {"q": "Hi.", "source": "en", "target": "zh"})[:2])
        )
        first.start()
        assert engine.entered.wait(20)
        status, body, _ = call(f"{base}/translate", {"q": "Bye.", "source": "en", "target": "zh"})
        assert status == 429 and "retry" in body["error"]
        engine.release.set()
        first.join(20)
        assert [(status, body["translatedText"]) for status, body in answers] == [(200, "zh(Hi.)")]  # type: ignore[index]


def test_cors_preflight_allows_browser_pages(server: str) -> None:
    headers = {
        "Origin": "http://127.0.0.1:9",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,authorization",
    }
    status, _, got = call(f"{server}/translate", headers=headers, method="OPTIONS")
    assert status == 200
    lowered = {key.lower(): value for key, value in got.items()}
    assert lowered["access-control-allow-origin"] in ("*", "http://127.0.0.1:9")
    assert "POST" in lowered["access-control-allow-methods"]
    assert "authorization" in lowered["access-control-allow-headers"].lower()


def test_cors_limited_to_given_origins() -> None:
    settings = ServeSettings(cors_origins=("http://allowed.test",))
    with live_server(tagging(), settings) as base:
        headers = {"Origin": "http://other.test", "Access-Control-Request-Method": "POST"}
        assert call(f"{base}/translate", headers=headers, method="OPTIONS")[0] == 400


def test_memorised_models_through_the_server(memorised_store: Path) -> None:
    from libretranslatepy import LibreTranslateAPI

    translator = Translator(models_dir=memorised_store, cache=False)
    with live_server(translator) as base:
        assert call(f"{base}/health")[0] == 200
        client = LibreTranslateAPI(base)
        assert client.translate("你好！", "zh", "en") == "Hello!"
        assert client.translate("Thank you very much!", "auto", "zh") == "非常感谢！"


def test_health_says_what_to_do_when_no_model_is_installed(tmp_path: Path) -> None:
    import time

    with live_server(Translator(models_dir=tmp_path, cache=False)) as base:
        deadline = time.monotonic() + 60
        status, body, _ = call(f"{base}/health")
        while body["status"] == "loading" and time.monotonic() < deadline:
            time.sleep(0.1)
            status, body, _ = call(f"{base}/health")
    assert (status, body["status"]) == (500, "error")
    assert "zhen models download" in body["detail"]
