#!/usr/bin/env python3
"""Drive `klartext filter` from pyspark in local mode with RDD.pipe(..., checkCode=True).

What it shows, on records built from the bundled corpus (German articles, a weak promotional
insert pasted into every other one with other figures each time, and one line that is not JSON):

1. `klartext filter` as the command of RDD.pipe: one line out per line in, in order, keys kept,
   a bad line passed through with an `error` field instead of failing the task.
2. Repeated inserts counted over the whole corpus by Spark: `klartext fingerprints` through
   RDD.pipe, the passages counted with reduceByKey, the recurring ones written as a
   --known-repeats file, and `klartext filter --known-repeats` through RDD.pipe again. Each
   partition alone sees too few copies of the insert to call it recurring; the corpus-wide
   counts do.

Needs pyspark (`pip install pyspark`) and Java 17 or later. Run from anywhere:

    python3 examples/pyspark_filter.py [--klartext PATH] [--partitions N]

Without --klartext it uses target/release/klartext of this checkout, building it with cargo when
it is missing. On a cluster, the binary and the known-repeats file must be at the same path on
every worker (a shared file system, or shipped with the job and named by that path).
"""

import argparse
import glob
import json
import os
import shlex
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
INSERT_MARK = "Der Finanzkompass vergleicht"
MIN_ARTICLES = 5


def insert(n):
    """The pasted insert: weak cues of its own; its figures change from copy to copy."""
    return (
        "Viele Leser fragen uns, wie sie ihr Erspartes besser anlegen können. "
        f"{INSERT_MARK} {n + 12} Tagesgeldkonten und einen Sparplan und zeigt, wo es derzeit "
        f"bis zu {2 + n % 3},{n % 10}5 Prozent Zinsen gibt. "
        f"Die Übersicht wird jeden {1 + n % 28}. des Monats aktualisiert."
    )


def records():
    """JSONL lines: 40 German corpus articles, the insert in every other one, one bad line."""
    lines = []
    for n, path in enumerate(sorted(glob.glob(os.path.join(REPO, "corpus/de/*.txt")))[:40]):
        with open(path, encoding="utf-8") as f:
            blocks = [line for line in f.read().splitlines() if line.strip()]
        if n % 2 == 0:
            blocks = blocks[:2] + [insert(n)] + blocks[2:]
        record = {"id": f"de-{n:02}", "url": f"https://example.org/{n}", "text": "\n".join(blocks)}
        lines.append(json.dumps(record, ensure_ascii=False))
    lines.insert(17, "this line is not JSON")
    return lines


def klartext_binary(given):
    if given:
        return os.path.abspath(given)
    binary = os.path.join(REPO, "target/release/klartext")
    if not os.path.exists(binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    return binary


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--klartext", help="path to the klartext binary")
    parser.add_argument("--partitions", type=int, default=8)
    args = parser.parse_args()
    klartext = klartext_binary(args.klartext)

    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("klartext-filter")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    lines = records()
    rdd = sc.parallelize(lines, args.partitions)
    inserted = sum(INSERT_MARK in line for line in lines)

    # 1. Clean record by record. RDD.pipe runs the command without a shell and with an empty
    #    environment; checkCode=True fails the task if klartext exits non-zero.
    cleaned = rdd.pipe(shlex.join([klartext, "filter"]), checkCode=True).map(json.loads).collect()
    ids_in = [json.loads(line).get("id") if line.startswith("{") else None for line in lines]
    ids_out = [r.get("id") for r in cleaned]
    bad = [r for r in cleaned if "error" in r]
    kept_keys = all(
        list(r)[:3] == ["id", "url", "text"] and list(r)[3] == "metadata" for r in cleaned if "error" not in r
    )
    left = sum(INSERT_MARK in r.get("text", "") for r in cleaned)
    ads = sum(r["metadata"]["klartext"]["counts"]["ads"] for r in cleaned if "error" not in r)
    print(f"records in: {len(lines)}, records out: {len(cleaned)}, same order: {ids_in == ids_out}")
    print(f"keys kept in place (id, url, text, then metadata): {kept_keys}")
    print(f"bad lines passed through: {len(bad)}: {json.dumps(bad[0], ensure_ascii=False)}")
    print(f"ads found: {ads}")
    print(
        f"insert left in {left} of {inserted} records when each partition counts repeats alone "
        f"({args.partitions} partitions)"
    )

    # 2. Count passages over the whole corpus with Spark and feed the counts back.
    fingerprints = rdd.pipe(shlex.join([klartext, "fingerprints"]), checkCode=True).map(json.loads)
    recurring = (
        fingerprints.flatMap(lambda r: r.get("passages", []))
        .map(lambda p: (p, 1))
        .reduceByKey(lambda a, b: a + b)
        .filter(lambda pc: pc[1] >= MIN_ARTICLES)
        .collect()
    )
    known = tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False)
    with known:
        for passage, articles in sorted(recurring):
            known.write(json.dumps({"passage": passage, "articles": articles}) + "\n")
    print(f"passages in at least {MIN_ARTICLES} records over the corpus: {len(recurring)}")
    for passage, articles in sorted(recurring):
        print(f"  {passage}: {articles} records")

    command = shlex.join([klartext, "filter", "--known-repeats", known.name])
    with_known = rdd.pipe(command, checkCode=True).map(json.loads).collect()
    left = sum(INSERT_MARK in r.get("text", "") for r in with_known)
    repeats = sorted(
        {ad.get("repeats") for r in with_known if "error" not in r for ad in r["metadata"]["klartext"]["ads"]}
        - {None}
    )
    print(f"insert left in {left} of {inserted} records with --known-repeats (ads[].repeats: {repeats})")
    first = next(r for r in with_known if r.get("id") == "de-00")
    print("de-00 cleaned, first 3 lines:")
    for line in first["text"].splitlines()[:3]:
        print("  " + (line if len(line) < 100 else line[:97] + "..."))
    os.unlink(known.name)
    spark.stop()
    return 0 if left == 0 and ids_in == ids_out and len(bad) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
