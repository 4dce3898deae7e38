"""Builds jieba's user dictionary from the NLU data, so entity values are whole tokens.

Without it jieba splits 快递员 into 快递/员 and Rasa cannot align the annotation. Run
`python -m bot.jieba_dictionary` after changing lookups, synonyms or annotated entities; a unit
test fails while the committed dictionary is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
NLU_DIR = PROJECT_ROOT / "nlu_data"
DICTIONARY = PROJECT_ROOT / "bot" / "jieba" / "userdict.txt"

# [text](entity) or [text]{"entity": ...}
_ANNOTATION = re.compile(r"\[([^\]]+)\][({]")
# High enough that jieba keeps these words whole.
FREQUENCY = 20000


def _examples(block: str) -> list[str]:
    return [
        line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")
    ]


def collect_words(nlu_dir: Path = NLU_DIR) -> list[str]:
    words: set[str] = set()
    for path in sorted(nlu_dir.glob("**/*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in document.get("nlu", []):
            examples = _examples(item.get("examples", ""))
            if "lookup" in item or "synonym" in item:
                words.update(examples)
                if "synonym" in item:
                    words.add(str(item["synonym"]))
            else:
                for example in examples:
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
