#!/usr/bin/env bash
# Throughput and peak memory of `klartext clean` and `klartext filter` on a large generated corpus,
# beside the two limits that matter for a corpus pipeline: `wc -w` (one pass over the bytes) and
# `cp -r` (the file system). Issue 8 sets the targets; the README's "Performance" section holds
# the tables this prints.
#
# Usage (from anywhere in the checkout):
#   benches/throughput.sh                        # 200 MB folder + 200 MB JSONL shard, 3 runs each
#   SIZE_MB=20 RUNS=1 benches/throughput.sh      # a quick run
#   SIZE_MB=100 STREAM_GB=2 benches/throughput.sh
#       # streams 2 GB of JSONL (the shard repeated through a pipe, never stored) through
#       # `klartext filter` (default threads) and reports its peak RSS beside that of one pass
#       # over the shard; no folder is generated and nothing else is timed
#   PROFILE_ARTICLES=300 benches/throughput.sh
#       # counts instructions with valgrind --tool=callgrind through `klartext filter` (one thread)
#       # on no input (start-up: reading and compiling the rules), on the first 75 of 300 articles
#       # and on all 300, and prints start-up, per-article and per-byte costs and the top inclusive
#       # costs; the callgrind files are kept in target/callgrind/ for kcachegrind
#   MANY_FILES=400000 TMPDIR=/dev/shm benches/throughput.sh
#       # peak RSS of `klartext clean -j2` over a folder of N small articles and over its first
#       # half (hard links to the same files), to show whether memory grows with the number of
#       # articles; prints the growth per 1,000 articles. Nothing else is timed. On a disk, the
#       # file system dominates: 400,000 articles create 800,000 outputs; tmpfs is much quicker.
#   FLAT=1 MANY_FILES=400000 TMPDIR=/dev/shm benches/throughput.sh
#       # the same with all the files in one folder (a walk holds a folder's listing to sort it)
#   KLARTEXT_BIN=/path/to/klartext MANY_FILES=200000 benches/throughput.sh
#       # measures that binary (an earlier build, for a before/after) instead of building one
#
# Settings (environment): SIZE_MB (default 200; MB = 10^6 bytes), RUNS (repetitions of each
# measurement, default 3, and 1 with MANY_FILES; the table shows medians of wall, user and system time and the largest
# peak RSS), SEED (default 8: the generated articles depend only on the corpus and the seed),
# TMPDIR (where a temporary folder for the generated data and the outputs is made; it is removed
# at the end), NICE (default 0: a niceness for every timed command, e.g. NICE=5 beside other work),
# KEEP_OUTPUTS (when set, the outputs of each run are moved aside and removed only at the end, so
# that no run creates its files among inodes freed moments before: on ext4 without a journal, as
# on the development machine, making an inode looks at every inode of its group freed in the last
# one to six minutes, and that took most of the system time of `cp -r` and `clean` when each run
# followed the removal of the last one's outputs).
# Needs python3 (to generate the articles), GNU time (installed with apt-get when missing) and,
# for PROFILE_ARTICLES, valgrind.
#
# The generated articles come from corpus/*/*.txt (German, English, French and Spanish, ads
# included): each one is a corpus article picked at random with its title and first two blocks
# in place and the other blocks shuffled; a quarter are cut to a third of their body (short),
# a fifth get the body of a second article of the same language appended (long). Files go to
# <dir>/NNN/<number>-<lang>-<slug>.txt, 1,000 per folder; the JSONL shard holds the same articles
# in the same order as {"id": "<relative path>", "text": ...}, so the folder rows and the shard
# rows clean the same texts. Timings are taken with a warm page cache and after `sync`, so each run
# starts without dirty pages of the previous one; outputs are removed (untimed) between runs
# (moved aside with KEEP_OUTPUTS).
#
# The development machine is shared and noisy: the load average is printed with every row. Wall
# time grows with the load, CPU time (user + sys) much less, so both are shown, and MB per CPU
# second. Runs of the different commands are taken in turn, so that a busy spell falls on all of
# them alike. Creating a file on that machine's disk costs anywhere from 0.05 to 1 ms depending on
# what else writes to it, which moves `clean` and `cp -r` together: compare them within one table,
# not across tables.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
size_mb=${SIZE_MB:-200}
runs=${RUNS:-3}
seed=${SEED:-8}
niceness=${NICE:-0}
keep_outputs=${KEEP_OUTPUTS:-}
stream_gb=${STREAM_GB:-}
profile_articles=${PROFILE_ARTICLES:-}
many_files=${MANY_FILES:-}
klartext_bin=${KLARTEXT_BIN:-}
[[ -n $many_files ]] && runs=${RUNS:-1}

die() {
  echo "throughput.sh: $*" >&2
  exit 2
}
[[ $size_mb =~ ^[0-9]+$ && $size_mb -gt 0 ]] || die "SIZE_MB must be a whole number of MB above 0, not '$size_mb'"
[[ $runs =~ ^[0-9]+$ && $runs -gt 0 ]] || die "RUNS must be a whole number above 0, not '$runs'"
[[ -z $stream_gb || $stream_gb =~ ^[0-9]+([.][0-9]+)?$ ]] || die "STREAM_GB must be a number of GB, not '$stream_gb'"
[[ -z $profile_articles || $profile_articles =~ ^[0-9]+$ ]] || die "PROFILE_ARTICLES must be a whole number, not '$profile_articles'"
[[ -z $many_files || ($many_files =~ ^[0-9]+$ && $many_files -ge 2000) ]] || die "MANY_FILES must be a whole number of articles, 2000 or more, not '$many_files'"
[[ -z $klartext_bin || -x $klartext_bin ]] || die "KLARTEXT_BIN must be an executable klartext, not '$klartext_bin'"
command -v python3 >/dev/null || die "python3 is needed to generate the articles"

# GNU time gives the peak RSS (the shell's `time` does not); install it when missing.
if [[ ! -x /usr/bin/time ]]; then
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  echo "installing GNU time (/usr/bin/time)" >&2
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq time >/dev/null; }; then
    die "/usr/bin/time is missing and could not be installed: apt-get install time"
  fi
fi
if [[ -n $profile_articles ]] && ! command -v valgrind >/dev/null; then
  die "valgrind is missing: apt-get install valgrind"
fi

target_dir=${CARGO_TARGET_DIR:-$root/target}
if [[ -n $klartext_bin ]]; then
  klartext=$klartext_bin
else
  echo "building the release binary" >&2
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" --bin klartext
  klartext="$target_dir/release/klartext"
fi

data_dir=${TMPDIR:-/tmp}
work=$(mktemp -d "$data_dir/klartext-throughput.XXXXXX")
trap 'rm -rf "$work"' EXIT

# generate DIR SHARD BYTES MAX_ARTICLES [small]: writes articles into DIR (unless DIR is "") and
# the same articles as JSONL into SHARD, until BYTES of article text (or MAX_ARTICLES, if not 0)
# are written. With "small", every article is its title, its first two blocks and one more block
# of its body (some 1 KB), as for MANY_FILES.
generate() {
  python3 - "$root/corpus" "$1" "$2" "$3" "$4" "$seed" "${5:-}" <<'PY'
import json, random, sys
from pathlib import Path

corpus, folder, shard, size, max_articles, seed, small = sys.argv[1:]
size, max_articles, small = int(size), int(max_articles), small == "small"
rng = random.Random(int(seed))
articles = []
for path in sorted(Path(corpus).glob("*/*.txt")):
    blocks = [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    articles.append((path.parent.name, path.stem, blocks))
if not articles:
    sys.exit(f"no articles in {corpus}/*/*.txt")
by_lang = {}
for article in articles:
    by_lang.setdefault(article[0], []).append(article)

written = count = 0
with open(shard, "w", encoding="utf-8") as out:
    while written < size and (max_articles == 0 or count < max_articles):
        lang, slug, blocks = rng.choice(articles)
        head, body = blocks[:3], blocks[3:]
        shape = rng.random()
        if small:
            body = [rng.choice(body)] if body else []
        elif shape < 0.25:
            body = body[: max(1, len(body) // 3)]
        elif shape >= 0.8:
            body = body + rng.choice(by_lang[lang])[2][3:]
        rng.shuffle(body)
        text = "\n\n".join(head + body) + "\n"
        rel = f"{count // 1000:03d}/{count:06d}-{lang}-{slug}.txt"
        if folder:
            path = Path(folder) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        out.write(json.dumps({"id": rel, "text": text}, ensure_ascii=False) + "\n")
        written += len(text.encode("utf-8"))
        count += 1
print(count, written)
PY
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Seconds from GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34".
wall_seconds() { awk -F': ' '/Elapsed/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$1"; }
user_seconds() { awk -F': ' '/User time/ { print $2 }' "$1"; }
sys_seconds() { awk -F': ' '/System time/ { print $2 }' "$1"; }
# Peak RSS in MiB (GNU time reports KiB).
rss_mib() { awk -F': ' '/Maximum resident/ { printf "%.1f\n", $2 / 1024 }' "$1"; }

# The measurements: a label, the input (folder or shard), its bytes, where stdout goes, a check
# run after every run (a function name) and the command, quoted for eval.
labels=() inputs=() sizes=() stdouts=() checks=() commands=()
add() {
  labels+=("$1") inputs+=("$2") sizes+=("$3") stdouts+=("$4") checks+=("$5")
  shift 5
  commands+=("$(printf '%q ' "$@")")
}

# run_once K: one run of measurement K under GNU time, without the outputs of an earlier run (moved
# aside with KEEP_OUTPUTS, else removed) and without dirty pages; appends
# "K|wall|user|sys|rss|load" to $work/runs.
run_once() {
  local k=$1 load
  if [[ -n $keep_outputs && -d $work/out ]]; then
    kept=$((${kept:-0} + 1))
    mv "$work/out" "$work/kept-$kept"
  fi
  rm -rf "$work/out" "$work/filtered.jsonl"
  sync
  load=$(cut -d' ' -f1 /proc/loadavg)
  echo "  ${labels[k]} (${inputs[k]}), load $(loadavg)" >&2
  eval "nice -n \"\$niceness\" /usr/bin/time -v -o \"\$work/time.txt\" ${commands[k]}" >"${stdouts[k]}"
  "${checks[k]}"
  local t=$work/time.txt
  echo "$k|$(wall_seconds "$t")|$(user_seconds "$t")|$(sys_seconds "$t")|$(rss_mib "$t")|$load" >>"$work/runs"
}

# field K C: column C of every run of measurement K.
field() { awk -F'|' -v k="$1" -v c="$2" '$1 == k { print $c }' "$work/runs"; }

# measure_all: runs every measurement $runs times, round robin (so that a busy spell of the
# machine falls on all of them alike), and writes "label|input|bytes|wall|user|sys|rss|load" to
# $work/rows: the medians of wall, user and system time, the largest peak RSS, the mean 1-minute
# load.
measure_all() {
  local i k
  for ((i = 1; i <= runs; i++)); do
    echo "run $i of $runs" >&2
    for k in "${!labels[@]}"; do run_once "$k"; done
  done
  for k in "${!labels[@]}"; do
    printf '%s|%s|%s|%s|%s|%s|%s|%s\n' "${labels[k]}" "${inputs[k]}" "${sizes[k]}" \
      "$(field "$k" 2 | median)" "$(field "$k" 3 | median)" "$(field "$k" 4 | median)" \
      "$(field "$k" 5 | sort -g | tail -1)" "$(field "$k" 6 | awk '{ s += $1 } END { printf "%.1f", s / NR }')" >>"$work/rows"
  done
}

no_check() { :; }
check_clean() {
  local n
  n=$(wc -l <"$work/out/manifest.jsonl")
  [[ $n == "$files" ]] || die "clean wrote $n manifest lines for $files files"
}
check_filter() {
  local n
  n=$(wc -l <"$work/filtered.jsonl")
  [[ $n == "$articles" ]] || die "filter wrote $n lines for $articles records"
}

header() {
  local build
  build="$(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- src rules Cargo.toml Cargo.lock || echo '+changes')"
  [[ -n $klartext_bin ]] && build="$klartext_bin"
  echo "klartext $build, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), load average $(loadavg); data in $data_dir ($(findmnt -no FSTYPE -T "$data_dir" | head -1))"
}

if [[ -n $profile_articles ]]; then
  [[ $profile_articles -ge 4 ]] || die "PROFILE_ARTICLES must be 4 or more"
  echo "generating $profile_articles articles" >&2
  generate "" "$work/all.jsonl" 1000000000000 "$profile_articles" >/dev/null
  : >"$work/none.jsonl"
  head -n $((profile_articles / 4)) "$work/all.jsonl" >"$work/quarter.jsonl"
  out_dir="$target_dir/callgrind"
  mkdir -p "$out_dir"
  for input in none quarter all; do
    echo "callgrind: klartext filter over $input.jsonl" >&2
    RAYON_NUM_THREADS=1 valgrind --tool=callgrind --callgrind-out-file="$out_dir/filter-$input.out" \
      "$klartext" filter -q "$work/$input.jsonl" >/dev/null 2>"$work/valgrind-$input.txt" ||
      die "valgrind failed: $(tail -5 "$work/valgrind-$input.txt")"
  done
  header
  echo
  # Three runs: no input (start-up: the rules are read and compiled), the first quarter of the
  # articles and all of them. What the last three quarters add over the first is the cost of an
  # article once every language's rules are compiled and the regex engines' lazy DFA caches are
  # warm, as over most of a large run; the first quarter also pays for those.
  #
  # callgrind_annotate lists a function once per file its code was inlined from, with the path and
  # the object around its name, and a recursion level (name'2) as a function of its own that counts
  # the same instructions again: the summary keeps one line per function, by name alone, and
  # leaves out recursion levels and the runtime's frames (std, core, alloc, rayon, libc).
  python3 - "$out_dir" "$work" "$profile_articles" <<'PY'
import json, re, subprocess, sys

out_dir, work, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
runtime = re.compile(r"^(<?(std|core|alloc|rayon|rayon_core)::|start_thread|__libc|\(below main\)|main$|0x|_start)")

def annotate(name, inclusive):
    """(function, cost) pairs as callgrind_annotate lists them, the function without its file."""
    out = subprocess.run(["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100",
                          "--auto=no", f"{out_dir}/filter-{name}.out"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        m = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$", line)
        if m and not m.group(2).startswith("=>"):
            name = re.sub(r" \[[^]]*\]$", "", m.group(2))
            yield re.sub(r"^[^:]*:(?!:)", "", name, count=1), int(m.group(1).replace(",", ""))

def inclusive(name):
    costs = {}
    for function, cost in annotate(name, True):
        if function == "PROGRAM TOTALS" or not (runtime.search(function) or re.search(r"'\d+$", function)):
            costs.setdefault(function, cost)
    return costs

def self_by_crate(name):
    """Self cost summed by the crate a function's name starts with (libc for C functions)."""
    costs = {}
    for function, cost in annotate(name, False):
        m = re.match(r"^[<&\s]*(?:mut\s+)?([A-Za-z_][A-Za-z0-9_]*)::", function)
        crate = "PROGRAM TOTALS" if function == "PROGRAM TOTALS" else m.group(1) if m else "libc (malloc, free, mem*)"
        costs[crate] = costs.get(crate, 0) + cost
    return costs

def text_bytes(name):
    with open(f"{work}/{name}.jsonl", encoding="utf-8") as f:
        return sum(len(json.loads(line)["text"].encode()) for line in f)

def top(costs, total, count, prefix=""):
    ranked = sorted(((c, name) for name, c in costs.items() if name.startswith(prefix) and name != "PROGRAM TOTALS"), reverse=True)
    for cost, name in ranked[:count]:
        print(f"  {100 * cost / total:6.2f}%  {name}")

none, quarter, full = inclusive("none"), inclusive("quarter"), inclusive("all")
# Every regex is compiled through one of these: from its text, or from a syntax tree (a rule
# pattern without its word boundaries).
compilers = ("regex_automata::meta::regex::Builder::build", "regex_automata::meta::regex::Builder::build_from_hir")
def compiling(costs):
    return sum(costs.get(name, 0) for name in compilers)

total, startup = full["PROGRAM TOTALS"], none["PROGRAM TOTALS"]
q = n // 4
q_bytes, all_bytes = text_bytes("quarter"), text_bytes("all")
steady = {name: cost - quarter.get(name, 0) for name, cost in full.items()}
steady_total, steady_n, steady_bytes = steady["PROGRAM TOTALS"], n - q, all_bytes - q_bytes
lazy = compiling(quarter) - compiling(none)
print("instructions counted by callgrind, `klartext filter` on one thread (M = 10^6):")
print(f"  start-up (no input): {startup / 1e6:,.0f} M, of which compiling regexes {compiling(none) / 1e6:,.0f} M")
print(f"  the first {q} articles ({q_bytes / 1e6:.2f} MB of text): {(quarter['PROGRAM TOTALS'] - startup) / 1e6:,.0f} M over start-up,")
print(f"    of which compiling regexes on first use (of a rule or a language) {lazy / 1e6:,.0f} M: {(quarter['PROGRAM TOTALS'] - startup) / q / 1e6:.2f} M per article")
print(f"  the next {steady_n} articles ({steady_bytes / 1e6:.2f} MB): {steady_total / 1e6:,.0f} M, {steady_total / steady_n / 1e6:.2f} M per article,")
print(f"    {steady_total / steady_bytes:,.0f} per byte of text (start-up {100 * startup / total:.1f}% of the whole run of {n})")
print()
print(f"top inclusive costs over all {n} articles (callgrind_annotate --inclusive=yes; % of {total / 1e6:,.0f} M):")
top(full, total, 25)
print()
print(f"top inclusive costs of the last {steady_n} articles (warm: the run of {n} minus that of {q}; % of {steady_total / 1e6:,.0f} M):")
top(steady, steady_total, 25)
print()
print("the same, the pipeline's own functions (klartext::):")
top(steady, steady_total, 20, "klartext::")
print()
print(f"self cost of the last {steady_n} articles by crate (where the instructions run; no overlaps):")
crates_all, crates_quarter = self_by_crate("all"), self_by_crate("quarter")
top({c: v - crates_quarter.get(c, 0) for c, v in crates_all.items()}, steady_total, 12)
PY
  echo
  echo "callgrind files (for callgrind_annotate or kcachegrind): $out_dir/filter-{none,quarter,all}.out"
  exit 0
fi

if [[ -n $many_files ]]; then
  half=$((many_files / 2000 * 1000))
  echo "generating $many_files small articles (seed $seed)" >&2
  read -r articles bytes < <(generate "$work/articles" /dev/null 1000000000000000 "$many_files" small)
  # The first half: the first folders of 1,000 files, hard-linked (no copy of the data).
  mkdir "$work/half"
  for ((i = 0; i < half / 1000; i++)); do
    cp -al "$work/articles/$(printf '%03d' "$i")" "$work/half/"
  done
  layout="1,000 per subfolder"
  if [[ -n ${FLAT:-} ]]; then
    # The same files, hard-linked into one folder each (their names are unique).
    for set in half articles; do
      mkdir "$work/$set.flat"
      find "$work/$set" -type f -print0 | xargs -0 ln -t "$work/$set.flat"
      rm -rf "${work:?}/$set"
      mv "$work/$set.flat" "$work/$set"
    done
    layout="all in one folder"
  fi
  half_bytes=$(find "$work/half" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
  find "$work/articles" -type f -exec cat {} + >/dev/null
  files=$half
  add "klartext clean -j2" "$half articles" "$half_bytes" /dev/null check_clean "$klartext" clean "$work/half" --out "$work/out" -j2 -q
  measure_all
  files=$articles
  labels=() inputs=() sizes=() stdouts=() checks=() commands=()
  add "klartext clean -j2" "$articles articles" "$bytes" /dev/null check_clean "$klartext" clean "$work/articles" --out "$work/out" -j2 -q
  measure_all
  header
  echo "klartext clean -j2 over a folder of small articles ($layout); $runs run(s) of each, medians, the largest peak RSS"
  echo
  echo "| articles | MB | seconds | user s | sys s | peak RSS (MiB) | load |"
  echo "|---:|---:|---:|---:|---:|---:|---:|"
  awk -F'|' '{ split($2, n, " "); printf "| %d | %.0f | %.1f | %.1f | %.1f | %.1f | %s |\n", n[1], $3 / 1e6, $4, $5, $6, $7, $8 }' "$work/rows"
  echo
  awk -F'|' '{ split($2, n, " "); a[NR] = n[1]; r[NR] = $7 } END {
    printf "peak RSS grows by %.1f MiB from %d to %d articles: %.3f KiB per article\n", r[2] - r[1], a[1], a[2], (r[2] - r[1]) * 1024 / (a[2] - a[1]) }' "$work/rows"
  exit 0
fi

echo "generating $size_mb MB of articles (seed $seed)" >&2
if [[ -n $stream_gb ]]; then
  read -r articles bytes < <(generate "" "$work/shard.jsonl" $((size_mb * 1000000)) 0)
else
  read -r articles bytes < <(generate "$work/articles" "$work/shard.jsonl" $((size_mb * 1000000)) 0)
fi
shard_bytes=$(stat -c %s "$work/shard.jsonl")
# Warm the page cache, so the first run does not pay for reading the disk.
cat "$work/shard.jsonl" >/dev/null
[[ -d $work/articles ]] && find "$work/articles" -type f -exec cat {} + >/dev/null

if [[ -n $stream_gb ]]; then
  reps=$(awk -v g="$stream_gb" -v b="$shard_bytes" 'BEGIN { r = g * 1e9 / b; print (r == int(r)) ? r : int(r) + 1 }')
  lines=$(wc -l <"$work/shard.jsonl")
  echo "one pass over the shard" >&2
  add "klartext filter" shard "$shard_bytes" "$work/filtered.jsonl" check_filter "$klartext" filter -q "$work/shard.jsonl"
  runs=1 measure_all
  echo "streaming the shard $reps times through klartext filter" >&2
  start_load=$(loadavg)
  # The stream is made by a loop of `cat` and read by `wc`: nothing of it is stored.
  out_lines=$(for ((i = 0; i < reps; i++)); do cat "$work/shard.jsonl"; done |
    nice -n "$niceness" /usr/bin/time -v -o "$work/time.txt" "$klartext" filter -q | wc -l)
  [[ $out_lines == $((lines * reps)) ]] || die "filter wrote $out_lines lines for $((lines * reps)) in"
  IFS='|' read -r _ _ _ one_wall one_user one_sys one_rss _ <"$work/rows"
  header
  echo
  echo "| \`klartext filter\` over | MB | lines | seconds | MB/s | user s | sys s | peak RSS (MiB) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  awk -v b="$shard_bytes" -v n="$lines" -v w="$one_wall" -v u="$one_user" -v s="$one_sys" -v r="$one_rss" 'BEGIN {
    printf "| the shard, from a file | %.0f | %d | %.1f | %.2f | %.1f | %.1f | %.1f |\n", b / 1e6, n, w, b / 1e6 / w, u, s, r }'
  t=$work/time.txt
  awk -v b="$((shard_bytes * reps))" -v n="$((lines * reps))" -v w="$(wall_seconds "$t")" -v u="$(user_seconds "$t")" \
    -v s="$(sys_seconds "$t")" -v r="$(rss_mib "$t")" -v k="$reps" 'BEGIN {
    printf "| the shard %d times, through a pipe | %.0f | %d | %.1f | %.2f | %.1f | %.1f | %.1f |\n", k, b / 1e6, n, w, b / 1e6 / w, u, s, r }'
  echo
  echo "load average at the start of the stream: $start_load; at the end: $(loadavg)"
  exit 0
fi

files=$(find "$work/articles" -type f | wc -l)
echo "$articles articles, $bytes bytes of text ($shard_bytes as JSONL)" >&2
add "klartext clean -j1" folder "$bytes" /dev/null check_clean "$klartext" clean "$work/articles" --out "$work/out" -j1 -q
add "klartext clean -j2" folder "$bytes" /dev/null check_clean "$klartext" clean "$work/articles" --out "$work/out" -j2 -q
# shellcheck disable=SC2016 # $1 is expanded by the inner bash
add "wc -w" folder "$bytes" /dev/null no_check bash -c 'find "$1" -type f -print0 | xargs -0 wc -w' _ "$work/articles"
add "cp -r" folder "$bytes" /dev/null no_check cp -r "$work/articles" "$work/out"
add "klartext filter, RAYON_NUM_THREADS=1" shard "$shard_bytes" "$work/filtered.jsonl" check_filter env RAYON_NUM_THREADS=1 "$klartext" filter -q "$work/shard.jsonl"
add "klartext filter, RAYON_NUM_THREADS=2" shard "$shard_bytes" "$work/filtered.jsonl" check_filter env RAYON_NUM_THREADS=2 "$klartext" filter -q "$work/shard.jsonl"
# Passages that recur across the batch are counted in a first pass (on by default); the generated
# articles are copies of a few corpus articles, so every passage recurs. This row shows what the
# counting costs.
add "klartext filter --no-repeats, RAYON_NUM_THREADS=1" shard "$shard_bytes" "$work/filtered.jsonl" check_filter env RAYON_NUM_THREADS=1 "$klartext" filter -q --no-repeats "$work/shard.jsonl"
add "wc -w" shard "$shard_bytes" /dev/null no_check wc -w "$work/shard.jsonl"
measure_all

header
echo "$articles articles in $files files ($bytes bytes of text; the same articles as one JSONL shard of $shard_bytes bytes); $runs runs of each, taken in turn; medians"
echo
echo "| command | input | MB | seconds | MB/s | × wc -w | × cp -r | user s | sys s | MB per CPU s | peak RSS (MiB) | load |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
awk -F'|' '
  { label[NR] = $1; input[NR] = $2; bytes[NR] = $3; wall[NR] = $4; user[NR] = $5; sys[NR] = $6; rss[NR] = $7; load[NR] = $8
    if ($1 == "wc -w") wc[$2] = $4
    if ($1 == "cp -r") cp = $4 }
  # GNU time gives hundredths of a second: a time of 0 counts as 0.005 s.
  function at_least(t) { return t > 0 ? t : 0.005 }
  END {
    for (i = 1; i <= NR; i++) {
      w = at_least(wall[i]); mb = bytes[i] / 1e6
      printf "| `%s` | %s | %.0f | %.2f | %.1f | %.1f | %.1f | %.2f | %.2f | %.1f | %.1f | %s |\n", label[i], input[i], mb, wall[i],
        mb / w, w / at_least(wc[input[i]]), w / at_least(cp), user[i], sys[i], mb / at_least(user[i] + sys[i]), rss[i], load[i]
    }
  }' "$work/rows"
echo
echo "× wc -w: wall time over that of \`wc -w\` on the same input (the folder's files or the shard); × cp -r: over that of \`cp -r\` of the folder (the same articles). MB per CPU s: MB over user + sys time. load: the mean 1-minute load average at the start of its runs; at the end: $(loadavg)."
