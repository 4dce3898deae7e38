"""Ask the policy answerer from a terminal, without Rasa: python -m knowledge.ask 问题 [问题 ...]"""

from __future__ import annotations

import argparse

from knowledge.policy_answers import load_answerer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("questions", nargs="+", help="questions, in Simplified or Traditional")
    args = parser.parse_args()
    answerer = load_answerer()
    for question in args.questions:
        print(f"> {question}\n{answerer.answer(question).text}\n")


if __name__ == "__main__":
    main()
