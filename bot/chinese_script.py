"""An NLU component that converts Traditional characters to Simplified before tokenising.

It runs first in the pipeline, so training, `rasa shell`, `rasa test` and the live server all see
the same Simplified text, and the rest of the pipeline (jieba, featurizers, classifiers) needs
training data in one script only.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any

from opencc import OpenCC
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


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


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ChineseScriptNormaliser(GraphComponent):
    """Rewrites each message's text to Simplified characters."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ChineseScriptNormaliser:
        return cls()

    def _normalise(self, message: Message) -> None:
        text: str | None = message.get(TEXT)
        if text:
            message.set(TEXT, to_simplified(text))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            self._normalise(example)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._normalise(message)
        return messages
