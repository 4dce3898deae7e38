"""An NLU component that converts Traditional characters to Simplified before tokenising.

It runs first in the pipeline, so training, `rasa shell`, `rasa test` and the live server all see
the same Simplified text, and the rest of the pipeline (jieba, featurizers, classifiers) needs
training data in one script only.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

# The conversion lives in bot.simplified so code outside Rasa can use it without loading Rasa.
from bot.simplified import to_simplified as to_simplified


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
