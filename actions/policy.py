"""Policy answers: composed from the notices by ``knowledge.policy_answers``."""

from __future__ import annotations

from functools import lru_cache

from rasa_sdk.executor import CollectingDispatcher

from knowledge.policy_answers import PolicyReply, load_answerer


@lru_cache(maxsize=1024)
def policy_reply(question: str) -> PolicyReply:
    """The notices' reply to ``question``. One message asks it up to three times (is it a
    question the notices answer, which topic answers it, the answer), so it is kept."""
    return load_answerer().answer(question)


def answer_policy(dispatcher: CollectingDispatcher, question: str) -> None:
    dispatcher.utter_message(text=policy_reply(question).text)


def notices_answer(question: str) -> bool:
    """Whether the notices answer ``question`` with confidence."""
    return policy_reply(question).found
