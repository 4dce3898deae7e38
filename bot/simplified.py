"""Traditional → Simplified conversion and width folding, without Rasa.

The NLU component in ``bot.chinese_script`` runs this inside Rasa; code outside Rasa (the knowledge
index, the action server) imports it from here and so does not load Rasa and TensorFlow.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from opencc import OpenCC


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    # "t2s": Traditional Chinese to Simplified Chinese, characters and common phrases.
    return OpenCC("t2s")


def _fold_width(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def to_simplified(text: str) -> str:
    """Full-width letters and digits become ASCII, Traditional becomes Simplified.

    The length never changes, so entity offsets in training data stay valid.
    """
    folded = "".join(_fold_width(char) for char in text)
    # Rasa reads text that starts with "/" as an intent with entities (which set slots). The web
    # app escapes a typed leading "/" as "／", so folding must not turn it back into "/".
    start = len(folded) - len(folded.lstrip())
    if folded[start:].startswith("/") and text[start] != "/":
        folded = folded[:start] + text[start] + folded[start + 1 :]
    converted = _converter().convert(folded)
    if len(converted) != len(folded):
        converted = "".join(_converter().convert(char) or char for char in folded)
    return converted
