"""Builds jieba's user dictionary from the NLU data, so entity values are whole tokens.

Without it jieba splits 快递员 into 快递/员 and Rasa cannot align the annotation. Run
`python -m bot.jieba_dictionary` after changing lookups, synonyms or annotated entities; a unit
test fails while the committed dictionary is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.nlu_items import NLU_DIR, PROJECT_ROOT, examples, nlu_items

DICTIONARY = PROJECT_ROOT / "bot" / "jieba" / "userdict.txt"

# [text](entity) or [text]{"entity": ...}
_ANNOTATION = re.compile(r"\[([^\]]+)\][({]")
# High enough that jieba keeps these words whole.
FREQUENCY = 20000


def collect_words(nlu_dir: Path = NLU_DIR) -> list[str]:
    words: set[str] = set()
    for item in nlu_items(nlu_dir):
        lines = examples(item.get("examples", ""))
        if "lookup" in item or "synonym" in item:
            words.update(lines)
            if "synonym" in item:
                words.add(str(item["synonym"]))
        else:
            for example in lines:
                words.update(_ANNOTATION.findall(example))
    return sorted(word for word in words if len(word) > 1 and " " not in word)


def render(words: list[str]) -> str:
    return "".join(f"{word} {FREQUENCY}\n" for word in words)


def main() -> None:
    DICTIONARY.parent.mkdir(parents=True, exist_ok=True)
    words = collect_words()
    DICTIONARY.write_text(render(words), encoding="utf-8")
    print(f"{len(words)} words -> {DICTIONARY.relative_to(PROJECT_ROOT)}")


if __name__ == "__main__":
    main()
