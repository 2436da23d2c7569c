"""The Starlette application: LibreTranslate 1.9, DeepLX, DeepL v2 and Immersive Translate's custom
API routes over one Translator.

Each API family answers errors in its own shape: LibreTranslate `{"error": ...}`, DeepLX
`{"code": N, "message": ...}`, DeepL `{"message": ...}`. A text in a list that cannot be translated
does not fail the others: it comes back unchanged (see README, "Local translation server").
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from translator.detect import detect_language
from translator.errors import ZhenError
from translator.html_fragment import parse_fragment
from translator.languages import Script
from translator.result import Translation
from translator.translator import Translator

from ._batching import Batcher, Overloaded
from ._errors import ApiError
from ._languages import AUTO, Target, UnknownLanguage, deepl_code, languages, parse_source, parse_target
from ._settings import ServeSettings

log = logging.getLogger("translator.serve")

#: LibreTranslate reports a confidence (0-100); zhen's detector decides by script counts, so a
#: detected language is reported as sure and text without letters as unknown.
_DETECTED_CONFIDENCE = 90.0
#: Names `/translate_file` gives its outputs: a random token and the format's extension.
_DOWNLOAD_NAME = re.compile(r"\A[0-9a-f]{32}\.[a-z0-9]{1,10}\Z")


@dataclass(frozen=True)
class Outcome:
    """One answered text: its translation (the original when it failed), language and error."""

    text: str
    source: str
    error: str = ""


def _outcome(result: Translation) -> Outcome:
    source = result.source or (detect_language(result.original) if result.error else "")
    return Outcome(result.text, source, result.error)


class _Service:
    """What the routes share: settings, translators, the batcher, the file store."""

    def __init__(self, translators: dict[Script, Translator], settings: ServeSettings) -> None:
        self.settings = settings
        self.translators = translators
        self.batcher = Batcher(
            translators,
            mode=settings.batch_mode,
            window_ms=settings.batch_window_ms,
            gather_max_ms=settings.batch_gather_max_ms,
            max_batch_texts=settings.max_batch_texts,
            max_queue=settings.max_queue,
        )
        self.status = "loading" if settings.preload else "ready"
        self.status_detail = ""
        self.files = tempfile.TemporaryDirectory(prefix="zhen-serve-")

    @property
    def translator(self) -> Translator:
        return self.translators["Hans"]

    def preload(self) -> None:
        try:
            # With no model installed, loading zh->en fails with the message that says what to do.
            for source, target in self.translator.installed_directions() or [("zh", "en")]:
                self.translator.load(source, target)
            self.status = "ready"
        except ZhenError as error:
            self.status, self.status_detail = "error", error.message

    def check_key(self, request: Request, params: dict[str, Any]) -> None:
        keys = self.settings.api_keys
        if not keys:
            return
        given = params.get("api_key") or request.query_params.get("api_key") or request.query_params.get("token")
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        if not given and scheme.lower() in ("deepl-auth-key", "bearer"):
            given = value.strip()
        if not isinstance(given, str) or given not in keys:
            raise ApiError(403, "Invalid API key")

    def limits(self, texts: list[str]) -> None:
        if len(texts) > self.settings.batch_limit:
            raise ApiError(
                400, f"Invalid request: request ({len(texts)}) exceeds batch limit ({self.settings.batch_limit})"
            )
        chars = sum(len(text) for text in texts)
        if chars > self.settings.char_limit:
            raise ApiError(400, f"Invalid request: request ({chars}) exceeds text limit ({self.settings.char_limit})")

    async def translate(self, texts: list[str], target: Target, html: bool = False) -> list[Outcome]:
        if not self.batcher.supports(target.script):
            raise ApiError(400, f"Chinese ({target.script}) output is not enabled on this server")
        started = time.perf_counter()
        try:
            if html:
                outcomes = await self._translate_html(texts, target)
            else:
                results = await self.batcher.translate(texts, target.lang, target.script)
                outcomes = [_outcome(result) for result in results]
        except Overloaded:
            raise ApiError(429, "Too many requests: the translation queue is full, retry shortly") from None
        except ZhenError as error:
            raise ApiError(500, error.message) from None
        failed = sum(1 for outcome in outcomes if outcome.error)
        log.info(
            "translated %d text(s), %d chars, to %s in %.0f ms%s",
            len(texts), sum(map(len, texts)), target.lang, (time.perf_counter() - started) * 1000,
            f", {failed} failed" if failed else "",
        )  # fmt: skip
        if self.settings.log_text:
            for text, outcome in zip(texts, outcomes, strict=True):
                log.info("text %r -> %r", text, outcome.text)
        return outcomes

    async def _translate_html(self, texts: list[str], target: Target) -> list[Outcome]:
        fragments = [parse_fragment(text) for text in texts]
        nodes = [node for fragment in fragments for node in fragment.texts]
        results = await self.batcher.translate(nodes, target.lang, target.script) if nodes else []
        outcomes, start = [], 0
        for fragment in fragments:
            mine = results[start : start + len(fragment.spans)]
            start += len(fragment.spans)
            plain = " ".join(fragment.texts)
            errors = [result.error for result in mine if result.error]
            source = detect_language(plain)
            outcomes.append(Outcome(fragment.rebuild([r.text for r in mine]), source, errors[0] if errors else ""))
        return outcomes


async def _read_body(request: Request, settings: ServeSettings) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.body_limit:
        raise ApiError(413, f"Request body over {settings.body_limit} bytes")

    async def read() -> bytes:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > settings.body_limit:
                raise ApiError(413, f"Request body over {settings.body_limit} bytes")
            chunks.append(chunk)
        return b"".join(chunks)

    try:
        return await asyncio.wait_for(read(), settings.read_timeout)
    except asyncio.TimeoutError:
        raise ApiError(408, "Request body took too long to arrive") from None


async def _params(request: Request, settings: ServeSettings, lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """A request's parameters from JSON, a URL-encoded form or multipart form data.

    Form fields named in `lists` (DeepL's repeated `text`) become lists; others take their last value.
    """
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        declared = request.headers.get("content-length", "")
        if not declared.isdigit() or int(declared) > settings.body_limit:
            raise ApiError(413, f"Upload over {settings.body_limit} bytes (or without a Content-Length)")
        form = await request.form(max_files=1, max_part_size=settings.body_limit)
        return {key: form.getlist(key) if key in lists else form[key] for key in form}
    body = await _read_body(request, settings)
    if kind == "application/x-www-form-urlencoded" or (body and not body.lstrip().startswith((b"{", b"["))):
        try:
            fields = parse_qs(body.decode("utf-8"), keep_blank_values=True)
        except UnicodeDecodeError:
            raise ApiError(400, "Invalid request: the form is not UTF-8") from None
        return {key: values if key in lists else values[-1] for key, values in fields.items()}
    if not body:
        return dict(request.query_params)
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ApiError(400, "Invalid request: the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "Invalid request: the JSON body must be an object")
    return data


def _texts(value: Any, name: str) -> tuple[list[str], bool]:
    """The texts of a parameter that is a string or a list of strings, and whether it was a list."""
    if isinstance(value, str) and value != "":
        return [value], False
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return list(value), True
    if value is None or value == "" or value == []:
        raise ApiError(400, f"Invalid request: missing {name} parameter")
    raise ApiError(400, f"Invalid request: {name} must be a string or a list of strings")


def _required(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        raise ApiError(400, f"Invalid request: missing {name} parameter")
    if not isinstance(value, str):
        raise ApiError(400, f"Invalid request: {name} must be a string")
    return value


def _language(parse: Callable[[str], Any], code: str) -> Any:
    try:
        return parse(code)
    except UnknownLanguage as error:
        raise ApiError(400, str(error)) from None


def _detected(outcome: Outcome) -> dict[str, Any]:
    return {"confidence": _DETECTED_CONFIDENCE if outcome.source else 0.0, "language": outcome.source}


def create_app(
    translator: Translator,
    settings: ServeSettings | None = None,
    *,
    traditional: Translator | None = None,
) -> Starlette:
    """The server's ASGI app. `traditional` translates into Traditional Chinese (zh-Hant, zt);
    without it those targets are refused. Both Translators may share an engine and a cache."""
    settings = settings or ServeSettings()
    translators: dict[Script, Translator] = {"Hans": translator}
    if traditional is not None:
        translators["Hant"] = traditional
    service = _Service(translators, settings)

    async def libre_translate(request: Request) -> Response:
        params = await _params(request, settings)
        if "q" not in params and "text_list" in params:
            return await _immersive(request, params)
        if "q" not in params and {"text", "target_lang"} <= params.keys():
            return await _deeplx(request, params)
        service.check_key(request, params)
        texts, is_list = _texts(params.get("q"), "q")
        source_code = _required(params, "source")
        target = _language(parse_target, _required(params, "target"))
        _language(parse_source, source_code)
        text_format = params.get("format") or "text"
        if text_format not in ("text", "html"):
            raise ApiError(400, f"Invalid request: format must be text or html (got {text_format!r})")
        service.limits(texts)
        outcomes = await service.translate(texts, target, html=text_format == "html")
        if not is_list and outcomes[0].error:
            raise ApiError(500 if outcomes[0].source in ("zh", "en") else 400, outcomes[0].error)
        body: dict[str, Any] = {
            "translatedText": [o.text for o in outcomes] if is_list else outcomes[0].text,
        }
        if _alternatives(params):
            body["alternatives"] = [[] for _ in outcomes] if is_list else []
        # LibreTranslate reports it for `auto` only, but clients read it whatever they sent
        # (Translate Web Pages reads `detectedLanguage.language` unconditionally).
        detected = [_detected(o) for o in outcomes]
        body["detectedLanguage"] = detected if is_list else detected[0]
        return JSONResponse(body)

    def _deepl_style(request: Request, params: dict[str, Any], field: str) -> tuple[list[str], bool, Target]:
        """The texts (and whether they came as a list) and the target of a request in the DeepL
        family (DeepL, DeepLX, Immersive Translate): key, `source_lang`, `target_lang`, limits."""
        service.check_key(request, params)
        texts, is_list = _texts(params.get(field), field)
        target = _language(parse_target, _required(params, "target_lang"))
        _language(parse_source, params.get("source_lang") or "")
        service.limits(texts)
        return texts, is_list, target

    async def _deeplx(request: Request, params: dict[str, Any]) -> Response:
        """DeepLX's shape; a `text` list (an extension to it) answers a `data` list, item by item."""
        try:
            texts, is_list, target = _deepl_style(request, params, "text")
            outcomes = await service.translate(texts, target, html=params.get("tag_handling") == "html")
            if not is_list and outcomes[0].error:
                raise ApiError(500 if outcomes[0].source in ("zh", "en") else 400, outcomes[0].error)
        except ApiError as error:
            return JSONResponse({"code": error.status, "message": error.message}, error.status)
        return JSONResponse(
            {
                "code": 200,
                "id": secrets.randbelow(10**10),
                "data": [o.text for o in outcomes] if is_list else outcomes[0].text,
                "alternatives": [],
                "source_lang": deepl_code(outcomes[0].source),
                "target_lang": deepl_code(target.lang),
                "method": "Free",
            }
        )

    async def _immersive(request: Request, params: dict[str, Any]) -> Response:
        """Immersive Translate's "Custom API": `text_list` in, `translations` out, item by item."""
        texts, _, target = _deepl_style(request, params, "text_list")
        outcomes = await service.translate(texts, target)
        return JSONResponse({"translations": [{"detected_source_lang": o.source, "text": o.text} for o in outcomes]})

    async def deepl_translate(request: Request) -> Response:
        try:
            params = await _params(request, settings, lists=("text",))
            texts, _, target = _deepl_style(request, params, "text")
            outcomes = await service.translate(texts, target, html=params.get("tag_handling") == "html")
        except ApiError as error:
            return JSONResponse({"message": error.message}, error.status)
        return JSONResponse(
            {"translations": [{"detected_source_language": deepl_code(o.source), "text": o.text} for o in outcomes]}
        )

    async def detect(request: Request) -> Response:
        params = await _params(request, settings)
        service.check_key(request, params)
        text = _required(params, "q")
        service.limits([text])
        lang = detect_language(text)
        return JSONResponse([{"confidence": _DETECTED_CONFIDENCE if lang else 0.0, "language": lang}])

    async def list_languages(request: Request) -> Response:
        return JSONResponse(languages())

    async def health(request: Request) -> Response:
        body = {"status": "ok" if service.status == "ready" else service.status}
        if service.status_detail:
            body["detail"] = service.status_detail
        return JSONResponse(body, 200 if service.status != "error" else 500)

    async def frontend_settings(request: Request) -> Response:
        from translator.files.formats import EXTENSIONS

        return JSONResponse(
            {
                "charLimit": settings.char_limit,
                "batchLimit": settings.batch_limit,
                "frontendTimeout": 500,
                "apiKeys": bool(settings.api_keys),
                "keyRequired": bool(settings.api_keys),
                "suggestions": False,
                "filesTranslation": True,
                "supportedFilesFormat": sorted(EXTENSIONS),
                "language": {
                    "source": {"code": AUTO, "name": "Auto Detect"},
                    "target": {"code": "en", "name": "English"},
                },
            }
        )

    async def explain(request: Request) -> Response:
        params = await _params(request, settings)
        service.check_key(request, params)
        text = _required(params, "q" if "q" in params else "text")
        service.limits([text])
        notes = await asyncio.to_thread(service.translator.explain, text)
        return JSONResponse({"text": text, "notes": [note.to_dict() for note in notes]})

    async def gloss(request: Request) -> Response:
        from translator.dictionary import CEDICT_ATTRIBUTION
        from translator.dictionary import gloss as gloss_text

        params = await _params(request, settings)
        service.check_key(request, params)
        text = _required(params, "q" if "q" in params else "text")
        service.limits([text])
        items = await asyncio.to_thread(gloss_text, text, service.translator.glossary)
        return JSONResponse(
            {"text": text, "items": [item.to_dict() for item in items], "attribution": CEDICT_ATTRIBUTION}
        )

    async def translate_file(request: Request) -> Response:
        from ._files import translate_upload

        params = await _params(request, settings)
        service.check_key(request, params)
        upload = params.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(400, "Invalid request: missing file parameter")
        target = _language(parse_target, _required(params, "target"))
        _language(parse_source, _required(params, "source"))
        if not service.batcher.supports(target.script):
            raise ApiError(400, f"Chinese ({target.script}) output is not enabled on this server")
        name = await translate_upload(upload, target, service.translators[target.script], Path(service.files.name))
        return JSONResponse({"translatedFileUrl": str(request.url_for("download_file", name=name))})

    async def download_file(request: Request) -> Response:
        name = request.path_params["name"]
        path = Path(service.files.name) / name
        if not _DOWNLOAD_NAME.match(name) or not path.is_file():
            raise ApiError(404, "No such file: translate it again with /translate_file")
        return FileResponse(path, filename=f"translated{path.suffix}")

    async def api_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, ApiError)
        return JSONResponse({"error": error.message}, error.status)

    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        return JSONResponse({"error": error.detail}, error.status_code)

    async def internal_error(request: Request, error: Exception) -> Response:
        log.exception("request failed")
        return JSONResponse({"error": "Internal error: see the server log"}, 500)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if settings.preload:
            threading.Thread(target=service.preload, name="zhen-serve-load", daemon=True).start()
        try:
            yield
        finally:
            service.batcher.close()
            service.files.cleanup()

    routes = [
        Route("/translate", libre_translate, methods=["POST"]),
        Route("/v2/translate", deepl_translate, methods=["POST"]),
        Route("/detect", detect, methods=["POST"]),
        Route("/languages", list_languages, methods=["GET", "POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/frontend/settings", frontend_settings, methods=["GET"]),
        Route("/explain", explain, methods=["POST"]),
        Route("/gloss", gloss, methods=["POST"]),
        Route("/translate_file", translate_file, methods=["POST"]),
        Route("/download_file/{name}", download_file, methods=["GET"], name="download_file"),
    ]
    middleware = [
        Middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["*"],
            max_age=86400,
        )
    ]
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={ApiError: api_error, HTTPException: http_error, Exception: internal_error},
        lifespan=lifespan,
    )
    app.state.service = service
    return app


def _alternatives(params: dict[str, Any]) -> int:
    value = params.get("alternatives", 0)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Invalid request: alternatives must be a number") from None
