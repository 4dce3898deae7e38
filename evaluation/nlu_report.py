"""Print intent accuracy from `rasa test nlu`'s intent report, overall and per intent.

Usage: python -m evaluation.nlu_report results/nlu/intent_report.json [--min 0.95]
Exits non-zero when accuracy falls below --min.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

SUMMARY_KEYS = {"accuracy", "macro avg", "weighted avg", "micro avg"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path)
    parser.add_argument("--min", type=float, default=0.0, dest="minimum")
    args = parser.parse_args()

    report = json.loads(args.report.read_text(encoding="utf-8"))
    accuracy = float(report["accuracy"])
    print("NLU intent accuracy on the held-out set (tests/nlu/heldout.yml)")
    print(f"{'intent':<24}{'precision':>10}{'recall':>8}{'f1':>8}{'n':>5}")
    for intent, scores in sorted(report.items()):
        if intent in SUMMARY_KEYS or not isinstance(scores, dict):
            continue
        print(
            f"{intent:<24}{scores['precision']:>10.3f}{scores['recall']:>8.3f}"
            f"{scores['f1-score']:>8.3f}{scores['support']:>5}"
        )
    print(f"accuracy: {accuracy:.3f}")
    if accuracy < args.minimum:
        raise SystemExit(f"accuracy {accuracy:.3f} is below {args.minimum:.3f}")


if __name__ == "__main__":
    main()
