#!/usr/bin/env python3
"""Score pySBD and sentencex on sentence-boundary JSONL files with the metrics of tests/sbd.rs:
exact = share of cases whose sentences all equal the gold after white space is collapsed;
F1 = boundary F1 over offsets where an inner sentence ends in the collapsed text.

    python3 -m venv /tmp/peers && /tmp/peers/bin/pip install pysbd==0.3.4 sentencex
    /tmp/peers/bin/python scripts/sbd_peers.py tests/data/sbd_news/news_de.jsonl tests/data/sbd_news/news_en.jsonl

Used for the blind news passages (tests/data/sbd_news/), which PEERS.md does not cover.
"""
import json
import sys

import pysbd
import sentencex


def collapse(text):
    return " ".join(text.split())


def inner_ends(sentences):
    ends, at = set(), 0
    for s in sentences:
        at += len(s)
        ends.add(at)
        at += 1
    ends.discard(at - 1)
    return ends


def score(cases, split):
    exact = tp = fp = fn = 0
    for case in cases:
        gold = [collapse(s) for s in case["sentences"]]
        got = [c for c in (collapse(s) for s in split(case["text"], case["lang"])) if c]
        exact += got == gold
        g, p = inner_ends(gold), inner_ends(got)
        tp, fp, fn = tp + len(g & p), fp + len(p - g), fn + len(g - p)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    return exact / len(cases), 2 * precision * recall / max(precision + recall, 1e-12)


def main():
    segmenters = {
        "pySBD (clean=False)": lambda text, lang: pysbd.Segmenter(language=lang, clean=False).segment(text),
        "sentencex": lambda text, lang: list(sentencex.segment(lang, text)),
    }
    for path in sys.argv[1:]:
        cases = [json.loads(line) for line in open(path, encoding="utf-8")]
        for name, split in segmenters.items():
            exact, f1 = score(cases, split)
            print(f"{path}\t{name}\texact {exact:.3f}\tF1 {f1:.4f}")


if __name__ == "__main__":
    main()
