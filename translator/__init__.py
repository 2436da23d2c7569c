"""zhen: local Chinese<->English translation with notes on slang, platforms and culture.

    from translator import Translator
    result = Translator().translate("这家店的火锅太好吃了！")
    result.text, result.source, result.target

Importing this package is cheap: models load on the first translation.
"""

from __future__ import annotations

from .errors import ZhenError
from .result import Segment, Translation
from .translator import Translator

__version__ = "0.1.0"

__all__ = ["Segment", "Translation", "Translator", "ZhenError", "__version__"]
