#!/usr/bin/env python3
"""Checks that every corpus annotation is consistent with its article.

Usage: python3 scripts/check_corpus.py [corpus]
Prints one line per problem and exits 1 when there is any; prints the derived clean text of an
article with --show SLUG.
"""
import sys, pathlib, tomllib

CATEGORIES = {"lead_magnet", "trading", "newsletter", "event", "subscription", "affiliate", "app",
              "social", "sponsored_label", "related_link", "other"}

def derive_clean(text, cuts):
    spans = []
    for piece in cuts:
        i = text.find(piece)
        spans.append((i, i + len(piece)))
    spans.sort()
    out, pos = [], 0
    marked = []
    for s, e in spans:
        marked.append(text[pos:s])
        marked.append("\x00")
        pos = e
    marked.append(text[pos:])
    lines = []
    for line in "".join(marked).split("\n"):
        parts = [p.strip() for p in line.split("\x00")]
        joined = " ".join(p for p in parts if p)
        if joined:
            lines.append(joined)
    return lines

def main():
    args = sys.argv[1:]
    show = None
    if "--show" in args:
        show = args[args.index("--show") + 1]
        args = [a for a in args if a not in ("--show", show)]
    root = pathlib.Path(args[0] if args else "corpus")
    problems = 0
    n = 0
    for gold in sorted(root.rglob("*.gold.toml")):
        art = gold.with_name(gold.name[: -len(".gold.toml")] + ".txt")
        def bad(msg):
            nonlocal problems
            problems += 1
            print(f"{gold}: {msg}")
        if not art.exists():
            bad("no article beside it"); continue
        n += 1
        text = art.read_text(encoding="utf-8")
        try:
            g = tomllib.loads(gold.read_text(encoding="utf-8"))
        except Exception as e:
            bad(f"invalid TOML: {e}"); continue
        cuts = []
        for key in ("language", "title"):
            if key not in g: bad(f"missing {key}")
        first = next((l.strip() for l in text.splitlines() if l.strip()), "")
        if g.get("title") != first: bad(f"title is not the first line: {first!r}")
        if "dateline" in g:
            if text.count(g["dateline"]) != 1: bad(f"dateline found {text.count(g['dateline'])} times")
            cuts.append(g["dateline"])
        for i, ad in enumerate(g.get("ad", [])):
            if ad.get("category") not in CATEGORIES: bad(f"ad {i}: unknown category {ad.get('category')!r}")
            c = text.count(ad.get("text", "\x01"))
            if c != 1: bad(f"ad {i}: text found {c} times: {ad.get('text','')[:60]!r}")
            elif ad["text"] != ad["text"].strip(): bad(f"ad {i}: text has surrounding whitespace")
            cuts.append(ad["text"])
        lines = derive_clean(text, cuts)
        for h in g.get("headings", []):
            if h not in lines: bad(f"heading not a line of the clean text: {h!r}")
        if show and art.stem == show:
            print("\n".join(lines))
    print(f"{n} articles checked, {problems} problems", file=sys.stderr)
    sys.exit(1 if problems else 0)

main()
