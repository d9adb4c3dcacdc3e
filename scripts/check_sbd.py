#!/usr/bin/env python3
"""Validate the blind sentence-boundary news test set (tests/data/sbd_news).

Checks for news_de.jsonl and news_en.jsonl:
- every line is a JSON object with string fields id, lang, text and a list `sentences`;
- ids are unique (across both files) and lang matches the file;
- every sentence is a non-empty string, trimmed of surrounding whitespace;
- the sentences occur in `text` in order, each found after the end of the previous one;
- the text before, between and after the sentences is whitespace only (nothing lost).

Exits non-zero and lists the errors if any check fails.
"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "sbd_news"
FILES = {"news_de.jsonl": "de", "news_en.jsonl": "en"}


def check_record(where, rec, lang, seen, errors):
    if not isinstance(rec, dict):
        errors.append(f"{where}: not a JSON object")
        return 0
    for key in ("id", "lang", "text"):
        if not isinstance(rec.get(key), str):
            errors.append(f"{where}: field {key!r} missing or not a string")
            return 0
    rid = rec["id"]
    where = f"{where} ({rid})"
    if rid in seen:
        errors.append(f"{where}: duplicate id (first at {seen[rid]})")
    else:
        seen[rid] = where
    if rec["lang"] != lang:
        errors.append(f"{where}: lang {rec['lang']!r}, expected {lang!r}")
    sents = rec.get("sentences")
    if not isinstance(sents, list) or not sents:
        errors.append(f"{where}: 'sentences' missing, not a list, or empty")
        return 0
    text = rec["text"]
    pos = 0
    for i, s in enumerate(sents):
        if not isinstance(s, str) or not s:
            errors.append(f"{where}: sentence {i} empty or not a string")
            return 0
        if s != s.strip():
            errors.append(f"{where}: sentence {i} not trimmed: {s!r}")
        at = text.find(s, pos)
        if at < 0:
            errors.append(f"{where}: sentence {i} not found after offset {pos}: {s!r}")
            return 0
        gap = text[pos:at]
        if gap.strip():
            errors.append(f"{where}: text lost before sentence {i}: {gap!r}")
        pos = at + len(s)
    tail = text[pos:]
    if tail.strip():
        errors.append(f"{where}: text lost after the last sentence: {tail!r}")
    return len(sents)


def main():
    errors = []
    seen = {}
    for name, lang in FILES.items():
        path = DATA / name
        if not path.is_file():
            errors.append(f"{path}: missing")
            continue
        n_pass = n_sent = 0
        with path.open(encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                where = f"{name}:{lineno}"
                if not line.strip():
                    errors.append(f"{where}: empty line")
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as exc:
                    errors.append(f"{where}: invalid JSON: {exc}")
                    continue
                n_pass += 1
                n_sent += check_record(where, rec, lang, seen, errors)
        print(f"{name}: {n_pass} passages, {n_sent} sentences")
    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"{len(errors)} error(s)", file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
