#!/usr/bin/env python3
"""Copies an annotated folder with an invisible character inserted into every long word.

Usage: python3 scripts/invisible.py [--char shy|zwsp] [--min N] SRC DST

Every run of N letters or more (10 by default) gets the character (a soft hyphen U+00AD, as some
German sites put into long words, or a zero-width space U+200B) after its first half, in the
article and in the annotation's ad texts, dateline, title and headings alike, so that the
annotation still matches the article. Then `klartext eval DST` measures what the characters
do to detection.
"""
import json, pathlib, re, sys, tomllib

CHARS = {"shy": "\u00ad", "zwsp": "\u200b"}


def insert(text, char, min_letters):
    """`text` with `char` in the middle of every run of `min_letters` letters or more."""
    def split(m):
        word = m.group(0)
        half = len(word) // 2
        return word[:half] + char + word[half:]
    return re.sub(r"[^\W\d_]{%d,}" % min_letters, split, text)


def toml_string(s):
    # A JSON string is a TOML basic string (the same escapes).
    return json.dumps(s, ensure_ascii=False)


def annotation(gold, change):
    lines = [f"language = {toml_string(gold['language'])}",
             f"title = {toml_string(change(gold['title']))}"]
    for key in ("dateline", "datetime"):
        if key in gold:
            value = change(gold[key]) if key == "dateline" else gold[key]
            lines.append(f"{key} = {toml_string(value)}")
    headings = ", ".join(toml_string(change(h)) for h in gold.get("headings", []))
    lines.append(f"headings = [{headings}]")
    for ad in gold.get("ad", []):
        lines += ["", "[[ad]]", f"category = {toml_string(ad['category'])}",
                  f"text = {toml_string(change(ad['text']))}"]
    return "\n".join(lines) + "\n"


def main(argv):
    char, min_letters = CHARS["shy"], 10
    args = []
    it = iter(argv)
    for a in it:
        if a == "--char":
            char = CHARS[next(it)]
        elif a == "--min":
            min_letters = int(next(it))
        else:
            args.append(a)
    if len(args) != 2:
        sys.exit(__doc__)
    src, dst = map(pathlib.Path, args)
    change = lambda s: insert(s, char, min_letters)
    for gold_path in sorted(src.rglob("*.gold.toml")):
        rel = gold_path.relative_to(src)
        txt_rel = rel.with_name(rel.name[: -len(".gold.toml")] + ".txt")
        text = (src / txt_rel).read_text(encoding="utf-8")
        gold = tomllib.loads(gold_path.read_text(encoding="utf-8"))
        (dst / rel).parent.mkdir(parents=True, exist_ok=True)
        (dst / txt_rel).write_text(change(text), encoding="utf-8")
        (dst / rel).write_text(annotation(gold, change), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
