#!/usr/bin/env python3
"""Split an annotated folder into the training part and the held-out part of one fold, as
`klartext eval DIR --folds K` does (src/eval.rs, `fold_of`): an article's fold is the 64-bit
FNV-1a hash of its path relative to DIR ("de/slug.txt"), modulo K.

    scripts/fold_split.py corpus 5 2 /tmp/fold2
    klartext train -q /tmp/fold2/train --out /tmp/fold2/rules
    klartext explain --rules /tmp/fold2/rules /tmp/fold2/held-out/en/some-article.txt

writes /tmp/fold2/train/ (every article outside fold 2) and /tmp/fold2/held-out/ (fold 2),
each with the corpus layout (<lang>/<slug>.txt and .gold.toml).
"""
import pathlib
import shutil
import sys


def fold_of(article_id: str, k: int) -> int:
    h = 0xCBF29CE484222325
    for b in article_id.encode():
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % k


def main() -> None:
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    src, k, fold, out = pathlib.Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), pathlib.Path(sys.argv[4])
    if not 0 <= fold < k:
        sys.exit(f"fold {fold} is not one of 0..{k - 1}")
    if out.exists():
        sys.exit(f"{out} exists; give a new folder")
    counts = {"train": 0, "held-out": 0}
    for gold in sorted(src.rglob("*.gold.toml")):
        text = gold.with_name(gold.name.removesuffix(".gold.toml") + ".txt")
        article_id = text.relative_to(src).as_posix()
        part = "held-out" if fold_of(article_id, k) == fold else "train"
        target = out / part / text.relative_to(src).parent
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy2(gold, target)
        shutil.copy2(text, target)
        counts[part] += 1
    print(f"{out}: {counts['train']} articles to train on, {counts['held-out']} held out")


if __name__ == "__main__":
    main()
