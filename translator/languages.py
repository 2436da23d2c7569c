"""Languages and translation directions zhen supports: the one place these facts live.

Every other module asks this one for a language code, a model id or a folder name, so that
adding a direction (or pinning a new model revision) is a one-line change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .errors import UsageError, ZhenError

LanguageCode = Literal["zh", "en"]
SUPPORTED: tuple[LanguageCode, ...] = ("zh", "en")

#: Human names, for messages and the UI.
NAMES: dict[str, str] = {
    "zh": "Chinese",
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    # Latin-script languages langdetect names most often in files zhen is given.
    "es": "Spanish",
    "fr": "French",
    "de": "German",
    "pt": "Portuguese",
    "it": "Italian",
    "vi": "Vietnamese",
    "id": "Indonesian",
    "ru": "Russian",
}

def language_name(code: str) -> str:
    """"Chinese" for "zh"; an unknown code is shown as it is."""
    return NAMES.get(code, code)


class UnsupportedLanguageError(ZhenError):
    """Text or a direction in a language zhen cannot translate."""

    exit_code = 2

    def __init__(self, source: str, target: str | None = None, detail: str = "") -> None:
        self.source, self.target = source, target
        name = language_name(source)
        if target is None:
            msg = f"this text looks like {name}; zhen translates only between Chinese and English"
        else:
            msg = (
                f"cannot translate {name} to {language_name(target)}: "
                "zhen translates only between Chinese (zh) and English (en)"
            )
        super().__init__(msg + (f" ({detail})" if detail else ""))


#: Chinese output scripts of opus-mt-en-zh, chosen with a sentence-initial target token.
Script = Literal["Hans", "Hant"]
SCRIPTS: tuple[Script, ...] = ("Hans", "Hant")


@dataclass(frozen=True)
class ModelSpec:
    """One OPUS-MT model: where it comes from and where it lives in the store."""

    source: LanguageCode
    target: LanguageCode
    repo_id: str
    #: Hub revision downloaded by `zhen models download`. Pinning makes downloads reproducible
    #: and lets the cache key change when the model does.
    revision: str
    #: Whether the model needs a `>>cmn_Hans<<`-style token at the start of every input.
    needs_target_token: bool = False

    @property
    def name(self) -> str:
        """Folder name in the model store and the user-facing short name (`opus-mt-zh-en`)."""
        return self.repo_id.rsplit("/", 1)[-1]

    @property
    def pair(self) -> str:
        """The direction as users type it: `zh-en`."""
        return f"{self.source}-{self.target}"

    def target_token(self, script: Script = "Hans") -> str | None:
        """The sentence-initial token that selects the output script, if the model needs one."""
        return f">>cmn_{script}<<" if self.needs_target_token else None


MODELS: dict[tuple[str, str], ModelSpec] = {
    ("zh", "en"): ModelSpec(
        "zh", "en", "Helsinki-NLP/opus-mt-zh-en", revision="cf109095479db38d6df799875e34039d4938aaa6"
    ),
    ("en", "zh"): ModelSpec(
        "en",
        "zh",
        "Helsinki-NLP/opus-mt-en-zh",
        revision="408d9bc410a388e1d9aef112a2daba955b945255",
        needs_target_token=True,
    ),
}


def other(lang: str) -> LanguageCode:
    """The language a text in `lang` is translated into by default."""
    return "en" if lang == "zh" else "zh"


def model_for(source: str, target: str) -> ModelSpec:
    """The model that translates `source` into `target`; raises for unsupported pairs."""
    try:
        return MODELS[(source, target)]
    except KeyError:
        raise UnsupportedLanguageError(source, target) from None


def model_by_pair(pair: str) -> ModelSpec:
    """Look a model up by `zh-en` / `en-zh` or by its folder name."""
    for spec in MODELS.values():
        if pair in (spec.pair, spec.name, spec.repo_id):
            return spec
    choices = ", ".join(spec.pair for spec in MODELS.values())
    raise UsageError(f"unknown model {pair!r}: choose one of {choices}")
