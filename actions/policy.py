"""Policy answers: composed from the notices by ``knowledge.policy_answers``."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher

from knowledge.policy_answers import load_answerer


def answer_policy(dispatcher: CollectingDispatcher, question: str) -> None:
    dispatcher.utter_message(text=load_answerer().answer(question).text)


def notices_answer(question: str) -> bool:
    """Whether the notices answer ``question`` with confidence."""
    return load_answerer().answer(question).found
