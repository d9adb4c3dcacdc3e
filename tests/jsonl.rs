//! JSONL at corpus scale from the outside: `clean --jsonl` over shards (compression, rows,
//! `--shard`, resuming a killed run), dolma attribute files, and repeated inserts across a
//! batch (`filter`, `clean --jsonl`, `fingerprints`, `--known-repeats`).

use std::io::{Read, Write};
use std::path::Path;

use crate::util::{repo, stderr, with_invisible, Dir};

/// The corpus articles, in a fixed order: realistic texts for records.
fn articles() -> Vec<String> {
    let mut paths: Vec<_> = ["de", "en"]
        .iter()
        .flat_map(|lang| std::fs::read_dir(repo().join("corpus").join(lang)).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// One JSONL line with the keys in the order given.
fn record(id: &str, text: &str) -> String {
    let mut map = serde_json::Map::new();
    map.insert("id".into(), id.into());
    map.insert("source".into(), "test".into());
    map.insert("text".into(), text.into());
    map.insert("z".into(), 1.into());
    serde_json::to_string(&map).unwrap()
}

/// Writes `lines` to `rel` below `dir`, compressed as the name says.
fn write_shard(dir: &Dir, rel: &str, lines: &[String]) {
    let mut body = lines.join("\n").into_bytes();
    body.push(b'\n');
    let bytes = if rel.ends_with(".gz") {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(&body).unwrap();
        e.finish().unwrap()
    } else if rel.ends_with(".zst") {
        zstd::encode_all(&body[..], 1).unwrap()
    } else {
        body
    };
    dir.create(rel, bytes);
}

/// The lines of a shard, decompressed as its name says.
fn read_shard(path: &Path) -> Vec<serde_json::Value> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    let name = path.to_string_lossy();
    if name.ends_with(".gz") {
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
    } else if name.ends_with(".zst") {
        text = String::from_utf8(zstd::decode_all(&bytes[..]).unwrap()).unwrap();
    } else {
        text = String::from_utf8(bytes).unwrap();
    }
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Every file below `root` (relative path and bytes), sorted; hidden files included.
fn files(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn shards_keep_their_name_compression_and_rows() {
    let dir = Dir::new();
    let texts = articles();
    let plain: Vec<String> = (0..3)
        .map(|i| record(&format!("p{i}"), &texts[i]))
        .collect();
    let mut with_bad = plain.clone();
    with_bad.insert(1, "not json".into());
    write_shard(&dir, "in/a.jsonl", &with_bad);
    write_shard(&dir, "in/sub/b.jsonl.gz", &plain);
    write_shard(&dir, "in/c.jsonl.zst", &plain);
    dir.create("in/notes.txt", "not a shard");
    let out = dir.klartext(&["clean", "--jsonl", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (rel, rows) in [("a.jsonl", 4), ("sub/b.jsonl.gz", 3), ("c.jsonl.zst", 3)] {
        let lines = read_shard(&dir.path().join("out").join(rel));
        assert_eq!(lines.len(), rows, "{rel}: one row out per row in");
        let good: Vec<&serde_json::Value> =
            lines.iter().filter(|l| l.get("error").is_none()).collect();
        let ids: Vec<&str> = good.iter().map(|l| l["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["p0", "p1", "p2"], "{rel}: rows in order");
        let keys: Vec<&String> = good[0].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "source", "text", "z", "metadata"], "{rel}");
        assert!(good[0]["metadata"]["klartext"]["class"].is_string());
    }
    // The seed (de/amazon-ki-wettlauf) is the first German article: its ads are gone.
    let a = read_shard(&dir.path().join("out/a.jsonl"));
    assert!(texts[0].contains("Umsetzungsleitfaden herunterladen"));
    assert!(!a[0]["text"]
        .as_str()
        .unwrap()
        .contains("Umsetzungsleitfaden herunterladen"));
    assert_eq!(a[1]["input"], "not json");
    assert!(
        stderr(&out).contains("in/a.jsonl:2: invalid JSON"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("out/notes.txt").exists());
    // The output is compressed as its input was.
    let gz = std::fs::read(dir.path().join("out/sub/b.jsonl.gz")).unwrap();
    assert_eq!(&gz[..2], [0x1f, 0x8b]);
    let zst = std::fs::read(dir.path().join("out/c.jsonl.zst")).unwrap();
    assert_eq!(&zst[..4], [0x28, 0xb5, 0x2f, 0xfd]);
    let manifest = dir.read("out/manifest.jsonl");
    let first: serde_json::Value = serde_json::from_str(manifest.lines().next().unwrap()).unwrap();
    assert_eq!(
        (
            first["id"].as_str(),
            first["lines"].as_u64(),
            first["bad_lines"].as_u64()
        ),
        (Some("a.jsonl"), Some(4), Some(1))
    );
}

#[test]
fn a_truncated_shard_is_reported_and_the_others_go_through() {
    let dir = Dir::new();
    let texts = articles();
    let lines: Vec<String> = (0..6)
        .map(|i| record(&format!("r{i}"), &texts[i]))
        .collect();
    write_shard(&dir, "in/good.jsonl.gz", &lines);
    write_shard(&dir, "in/cut.jsonl.gz", &lines);
    let cut = dir.path().join("in/cut.jsonl.gz");
    let bytes = std::fs::read(&cut).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let out = dir.klartext(&["clean", "--jsonl", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("in/cut.jsonl.gz: cannot read line"),
        "{}",
        stderr(&out)
    );
    assert_eq!(read_shard(&dir.path().join("out/good.jsonl.gz")).len(), 6);
    let names: Vec<String> = files(&dir.path().join("out"))
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(
        names,
        ["good.jsonl.gz", "manifest.jsonl"],
        "no partial output, no temporary file left"
    );
    assert!(dir.read("out/manifest.jsonl").contains("no output written"));
}

#[test]
fn record_ids_never_name_files() {
    let dir = Dir::new();
    let lines = vec![
        record(
            "../../etc/x",
            "Titel\nEin Satz über die Stadt. Noch ein Satz dazu.\n",
        ),
        record("/tmp/abs", "Titel\nEin Satz über die Stadt.\n"),
        record("a\u{0}b", "Titel\nEin Satz.\n"),
    ];
    write_shard(&dir, "work/in/s.jsonl", &lines);
    let out = dir.klartext(&["clean", "--jsonl", "work/in", "--out", "work/out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let names: Vec<String> = files(dir.path()).into_iter().map(|f| f.0).collect();
    assert_eq!(
        names,
        [
            "work/in/s.jsonl",
            "work/out/manifest.jsonl",
            "work/out/s.jsonl"
        ]
    );
    let rows = read_shard(&dir.path().join("work/out/s.jsonl"));
    assert_eq!(rows[0]["id"], "../../etc/x");
}

#[test]
fn an_earlier_shard_output_is_kept_unless_force() {
    let dir = Dir::new();
    write_shard(&dir, "in/a.jsonl", &[record("a", &articles()[0])]);
    let first = dir.klartext(&["clean", "--jsonl", "in", "--out", "out"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    std::fs::write(dir.path().join("out/a.jsonl"), "kept\n").unwrap();
    let again = dir.klartext(&["clean", "--jsonl", "in", "--out", "out"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("--force"), "{}", stderr(&again));
    assert_eq!(dir.read("out/a.jsonl"), "kept\n");
    let forced = dir.klartext(&["clean", "--jsonl", "in", "--out", "out", "--force"]);
    assert_eq!(forced.status.code(), Some(0));
    assert_ne!(dir.read("out/a.jsonl"), "kept\n");
}

/// Four shards with different articles; the same weak insert stands in the first two records
/// of each: eight in all, but only four in every other shard, so a process that counted
/// repeats in its own half of the shards alone would keep it.
fn four_shards(dir: &Dir, records_per_shard: usize) {
    let texts = articles();
    for k in 0..4 {
        let lines: Vec<String> = (0..records_per_shard)
            .map(|i| {
                let n = k * records_per_shard + i;
                let text = texts[n % texts.len()].clone();
                let text = if i < 2 {
                    insert_after_first_paragraph(&text, &quiet_promo(n))
                } else {
                    text
                };
                record(&format!("{k}-{i}"), &text)
            })
            .collect();
        let name = ["a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.jsonl"][k];
        write_shard(dir, &format!("in/{name}"), &lines);
    }
}

#[test]
fn two_processes_on_half_the_shards_each_write_what_one_run_writes() {
    let dir = Dir::new();
    four_shards(&dir, 5);
    let whole = dir.klartext(&["clean", "--jsonl", "in", "--out", "one", "-j", "1"]);
    assert_eq!(whole.status.code(), Some(0), "{}", stderr(&whole));
    let args = |k: &str| {
        vec![
            "clean".to_string(),
            "--jsonl".into(),
            "in/d.jsonl".into(),
            "in/c.jsonl.zst".into(),
            "in/b.jsonl.gz".into(),
            "in/a.jsonl".into(),
            "--out".into(),
            "two".into(),
            "--shard".into(),
            k.into(),
        ]
    };
    let first = args("1/2");
    let second = args("2/2");
    let mut one = dir.spawn(&first.iter().map(String::as_str).collect::<Vec<_>>());
    let mut two = dir.spawn(&second.iter().map(String::as_str).collect::<Vec<_>>());
    drop(one.stdin.take());
    drop(two.stdin.take());
    let (one, two) = (
        one.wait_with_output().unwrap(),
        two.wait_with_output().unwrap(),
    );
    assert_eq!(one.status.code(), Some(0), "{}", stderr(&one));
    assert_eq!(two.status.code(), Some(0), "{}", stderr(&two));
    let shards = |root: &str| -> Vec<(String, Vec<u8>)> {
        files(&dir.path().join(root))
            .into_iter()
            .filter(|(name, _)| !name.starts_with("manifest"))
            .collect()
    };
    let (single, split) = (shards("one"), shards("two"));
    assert_eq!(single.len(), 4);
    for row in read_shard(&dir.path().join("one/a.jsonl")) {
        assert!(!row["text"].as_str().unwrap().contains(PROMO_MARK));
    }
    assert!(single == split, "byte-identical shards");
    // Each process cleaned its half: every other shard of the sorted list.
    let manifest = dir.read("two/manifest.1-of-2.jsonl");
    assert!(manifest.contains("a.jsonl") && manifest.contains("c.jsonl.zst"));
    assert!(!manifest.contains("b.jsonl.gz") && !manifest.contains("d.jsonl"));
    let mut halves: Vec<String> = dir
        .read("two/manifest.1-of-2.jsonl")
        .lines()
        .chain(dir.read("two/manifest.2-of-2.jsonl").lines())
        .map(str::to_string)
        .collect();
    halves.sort();
    let mut whole_manifest: Vec<String> = dir
        .read("one/manifest.jsonl")
        .lines()
        .map(str::to_string)
        .collect();
    whole_manifest.sort();
    assert_eq!(halves, whole_manifest);
}

#[test]
fn a_killed_run_resumes_without_redoing_finished_shards() {
    use std::os::unix::fs::MetadataExt;
    let dir = Dir::new();
    four_shards(&dir, 12);
    let reference = dir.klartext(&["clean", "--jsonl", "in", "--out", "reference"]);
    assert_eq!(reference.status.code(), Some(0), "{}", stderr(&reference));
    let out = dir.path().join("out");
    let finished = || -> Vec<String> {
        ["a.jsonl", "b.jsonl.gz", "c.jsonl.zst", "d.jsonl"]
            .iter()
            .filter(|n| out.join(n).exists())
            .map(|n| n.to_string())
            .collect()
    };
    let mut child = dir.spawn(&["clean", "--jsonl", "in", "--out", "out", "-j", "1"]);
    let started = std::time::Instant::now();
    while finished().is_empty() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(300),
            "no shard finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let done = finished();
    assert!(
        done.len() < 4,
        "the run was killed halfway: {done:?} were finished"
    );
    assert!(!out.join("manifest.jsonl").exists());
    let stamp = |name: &str| {
        let meta = std::fs::metadata(out.join(name)).unwrap();
        (meta.ino(), meta.mtime(), meta.mtime_nsec())
    };
    let before: Vec<_> = done.iter().map(|n| stamp(n)).collect();
    let refused = dir.klartext(&["clean", "--jsonl", "in", "--out", "out"]);
    assert_eq!(refused.status.code(), Some(2), "a plain rerun is refused");
    let resumed = dir.klartext(&["clean", "--jsonl", "in", "--out", "out", "--skip-existing"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    let after: Vec<_> = done.iter().map(|n| stamp(n)).collect();
    assert_eq!(before, after, "finished shards were not written again");
    let manifest = dir.read("out/manifest.jsonl");
    assert_eq!(
        manifest.matches("kept from an earlier run").count(),
        done.len(),
        "{manifest}"
    );
    let visible = |root: &str| -> Vec<(String, Vec<u8>)> {
        files(&dir.path().join(root))
            .into_iter()
            .filter(|(name, _)| !name.starts_with("manifest") && !name.starts_with('.'))
            .collect()
    };
    assert!(
        visible("out") == visible("reference"),
        "the resumed run wrote what one run writes"
    );
}

/// A promotional paragraph whose cues are weak: on its own it stays (see the repeats tests).
/// Its figures change with `n`, as a publisher's pasted insert changes its date and rate.
fn quiet_promo(n: usize) -> String {
    format!(
        "Viele Leser fragen uns, wie sie ihr Erspartes besser anlegen können. Der Finanzkompass vergleicht {} Tagesgeldkonten und einen Sparplan und zeigt, wo es derzeit bis zu {},{}5 Prozent Zinsen gibt. Die Übersicht wird jeden {}. des Monats aktualisiert.",
        n + 12,
        2 + n % 3,
        n % 10,
        1 + n % 28
    )
}

/// `text` with `paragraph` as a line of its own after its second line (the title and the
/// first paragraph, or a byline).
fn insert_after_first_paragraph(text: &str, paragraph: &str) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out: Vec<&str> = lines[..2.min(lines.len())].to_vec();
    out.push(paragraph);
    out.extend(&lines[2.min(lines.len())..]);
    out.join("\n") + "\n"
}

#[test]
fn filter_reads_compressed_files_and_passes_a_line_that_is_not_utf8_through() {
    let dir = Dir::new();
    let texts = articles();
    write_shard(&dir, "s.jsonl.gz", &[record("a", &texts[0])]);
    let mut raw = record("b", &texts[1]).into_bytes();
    raw.extend_from_slice(b"\n{\"id\": \"c\", \"text\": \"Gr\xfc\xdfe\"}\n");
    raw.extend_from_slice(record("d", &texts[2]).as_bytes());
    raw.push(b'\n');
    dir.create("t.jsonl", raw);
    let out = dir.klartext(&["filter", "s.jsonl.gz", "t.jsonl"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ids: Vec<Option<&str>> = lines.iter().map(|l| l["id"].as_str()).collect();
    assert_eq!(ids, [Some("a"), Some("b"), None, Some("d")]);
    assert_eq!(lines[2]["error"], "invalid UTF-8 at byte 23");
    assert!(lines[2]["input"].as_str().unwrap().contains("Gr\u{fffd}"));
    assert!(
        stderr(&out).contains("t.jsonl:2: invalid UTF-8"),
        "{}",
        stderr(&out)
    );
}

/// Checks a dolma attributes file against its documents: one line per document, same order,
/// same ids, and every ad span, cut from the original text by character offsets, is the text
/// the metadata gives for that ad.
fn assert_attributes_line_up(
    documents: &[String],
    outputs: &[serde_json::Value],
    attributes: &[serde_json::Value],
) {
    assert_eq!(
        attributes.len(),
        documents.len(),
        "one attributes line per document"
    );
    let mut spans = 0;
    for ((document, output), line) in documents.iter().zip(outputs).zip(attributes) {
        let original: serde_json::Value =
            serde_json::from_str(document).unwrap_or(serde_json::Value::Null);
        assert_eq!(line["id"], original["id"], "ids line up");
        let Some(text) = original["text"].as_str() else {
            assert_eq!(line["attributes"], serde_json::json!({}));
            continue;
        };
        let chars: Vec<char> = text.chars().collect();
        let ads = output["metadata"]["klartext"]["ads"].as_array().unwrap();
        let found = line["attributes"]["klartext__klartext__ads"]
            .as_array()
            .unwrap();
        assert_eq!(found.len(), ads.len());
        for (span, ad) in found.iter().zip(ads) {
            let (start, end) = (
                span[0].as_u64().unwrap() as usize,
                span[1].as_u64().unwrap() as usize,
            );
            let cut: String = chars[start..end].iter().collect();
            assert_eq!(cut, ad["text"].as_str().unwrap());
            assert_eq!(span[2], ad["score"]);
            spans += 1;
        }
        assert_eq!(
            line["attributes"]["klartext__klartext__advertorial"],
            serde_json::json!([[0, chars.len(), 0.0]])
        );
    }
    assert!(spans > 0, "the documents hold ads");
}

#[test]
fn dolma_attribute_files_line_up_with_their_shards() {
    let dir = Dir::new();
    let texts = articles();
    let mut lines: Vec<String> = (0..5)
        .map(|i| record(&format!("d{i}"), &texts[i]))
        .collect();
    lines.insert(2, "not json".into());
    lines.insert(3, r#"{"id": "no-text"}"#.into());
    write_shard(&dir, "in/a.jsonl.gz", &lines);
    write_shard(&dir, "in/b.jsonl", &lines[..2]);
    let out = dir.klartext(&[
        "clean",
        "--jsonl",
        "in",
        "--out",
        "out",
        "--dolma-attributes",
        "attributes/klartext",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let attributes = read_shard(&dir.path().join("attributes/klartext/a.jsonl.gz"));
    let outputs = read_shard(&dir.path().join("out/a.jsonl.gz"));
    assert_attributes_line_up(&lines, &outputs, &attributes);
    assert_eq!(attributes[0]["source"], "test", "the source goes along");
    assert_eq!(
        read_shard(&dir.path().join("attributes/klartext/b.jsonl")).len(),
        2
    );

    // filter writes the same attributes for the files it reads.
    let filtered = dir.klartext(&[
        "filter",
        "in/a.jsonl.gz",
        "--dolma-attributes",
        "filter-attributes",
    ]);
    assert_eq!(filtered.status.code(), Some(0), "{}", stderr(&filtered));
    assert_eq!(
        read_shard(&dir.path().join("filter-attributes/a.jsonl.gz")),
        attributes
    );
    // From stdin there is no name for the attributes file.
    let refused = dir.klartext(&["filter", "--dolma-attributes", "x"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        stderr(&refused).contains("needs the input files"),
        "{}",
        stderr(&refused)
    );
}

/// Dolma spans count characters of the text as given, invisible format characters included:
/// with a soft hyphen in every long word, every ad span cuts out of the document exactly the
/// passage its metadata names, which is, hyphens aside, the passage found in the document
/// without them; the clean text is the same.
#[test]
fn dolma_spans_point_into_a_text_with_soft_hyphens() {
    let dir = Dir::new();
    let texts: Vec<String> = articles().into_iter().take(16).collect();
    let shard = |change: &dyn Fn(&str) -> String| -> Vec<String> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| record(&format!("d{i}"), &change(t)))
            .collect()
    };
    let plain = shard(&|t| t.to_string());
    let hyphenated = shard(&|t| with_invisible(t, '\u{AD}').0);
    write_shard(&dir, "plain/a.jsonl", &plain);
    write_shard(&dir, "hyphenated/a.jsonl", &hyphenated);
    let filter = |name: &str| {
        let out = dir.klartext(&[
            "filter",
            &format!("{name}/a.jsonl"),
            "--dolma-attributes",
            &format!("attributes-{name}"),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let attributes = read_shard(&dir.path().join(format!("attributes-{name}/a.jsonl")));
        (lines, attributes)
    };
    let (plain_out, _) = filter("plain");
    let (out, attributes) = filter("hyphenated");
    assert_attributes_line_up(&hyphenated, &out, &attributes);
    let mut hyphens_cut = 0;
    for (line, plain_line) in out.iter().zip(&plain_out) {
        assert_eq!(line["text"], plain_line["text"], "{}", line["id"]);
        assert!(!line["text"].as_str().unwrap().contains('\u{AD}'));
        let ads = |line: &serde_json::Value| -> Vec<String> {
            line["metadata"]["klartext"]["ads"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ad| ad["text"].as_str().unwrap().replace('\u{AD}', ""))
                .collect()
        };
        assert_eq!(ads(line), ads(plain_line), "{}", line["id"]);
        hyphens_cut += line["metadata"]["klartext"]["ads"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|ad| ad["text"].as_str().unwrap().contains('\u{AD}'))
            .count();
    }
    assert!(hyphens_cut > 0, "some ads hold soft hyphens");
}

/// The first twenty German corpus articles (all different), with `paragraph(n)` pasted after
/// the second line of article `n` when `pasted(n)`.
fn twenty(paragraph: fn(usize) -> String, pasted: impl Fn(usize) -> bool) -> Vec<String> {
    articles()
        .into_iter()
        .take(20)
        .enumerate()
        .map(|(n, text)| {
            if pasted(n) {
                insert_after_first_paragraph(&text, &paragraph(n))
            } else {
                text
            }
        })
        .collect()
}

/// The output records of `filter` (stdout lines as JSON).
fn filtered(dir: &Dir, args: &[&str], input: &str) -> Vec<serde_json::Value> {
    let mut child = dir.spawn(args);
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).unwrap());
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const PROMO_MARK: &str = "Der Finanzkompass vergleicht";

#[test]
fn a_weak_promo_pasted_into_twenty_articles_is_removed_from_all_of_them() {
    let dir = Dir::new();
    let texts = twenty(quiet_promo, |_| true);
    for (n, text) in texts.iter().enumerate() {
        dir.create(&format!("batch/a{n:02}.txt"), text);
    }
    // Its cues alone score low: cleaned on its own, the insert stays.
    let alone = dir.klartext(&["clean", "batch/a00.txt", "--out", "alone"]);
    assert_eq!(alone.status.code(), Some(0), "{}", stderr(&alone));
    assert!(dir.read("alone/a00.txt").contains(PROMO_MARK));
    let explain = dir.klartext(&["explain", "batch/a00.txt"]);
    let explained = String::from_utf8(explain.stdout).unwrap();
    let promo_line = explained.lines().find(|l| l.contains(PROMO_MARK)).unwrap();
    assert!(promo_line.trim_start().starts_with("ok"), "{promo_line}");
    assert!(
        explained.contains("de.trading"),
        "it has a weak cue of its own"
    );

    // In the batch it recurs (with other figures each time) and is removed from all twenty,
    // and nothing else changes.
    let batch = dir.klartext(&["clean", "batch", "--out", "out"]);
    assert_eq!(batch.status.code(), Some(0), "{}", stderr(&batch));
    let plain = dir.klartext(&["clean", "batch", "--out", "plain", "--no-repeats"]);
    assert_eq!(plain.status.code(), Some(0));
    for n in 0..20 {
        let cleaned = dir.read(&format!("out/a{n:02}.txt"));
        assert!(!cleaned.contains(PROMO_MARK), "a{n:02}: {cleaned}");
        assert!(dir.read(&format!("plain/a{n:02}.txt")).contains(PROMO_MARK));
        let meta = dir.json(&format!("out/a{n:02}.json"));
        let ad = meta["ads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|ad| ad["text"].as_str().unwrap().contains(PROMO_MARK))
            .unwrap();
        assert_eq!(ad["repeats"], 20);
        // Where it lands right above the article's own lead magnet or newsletter line, the two
        // still come out as two ads, each with its own category.
        assert_eq!(ad["category"], "trading", "{ad}");
        assert!(ad["rules"].to_string().contains("de.trading"), "{ad}");
        assert_eq!(ad["text"], quiet_promo(n), "the whole insert goes, alone");
    }

    // count sees the batch as clean does.
    let counted = |extra: &[&str]| -> u64 {
        let mut args = vec!["count", "batch", "--format", "json"];
        args.extend(extra);
        let out = dir.klartext(&args);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["total"]["ads"].as_u64().unwrap()
    };
    let ads_written = |root: &str| -> u64 {
        (0..20)
            .map(|n| {
                dir.json(&format!("{root}/a{n:02}.json"))["counts"]["ads"]
                    .as_u64()
                    .unwrap()
            })
            .sum()
    };
    assert_eq!(counted(&[]), ads_written("out"));
    assert_eq!(counted(&["--no-repeats"]), ads_written("plain"));
    assert!(ads_written("out") > ads_written("plain"));

    // The same passage in a single article of the batch is not removed.
    let once = twenty(quiet_promo, |n| n == 7);
    for (n, text) in once.iter().enumerate() {
        dir.create(&format!("once/a{n:02}.txt"), text);
    }
    let out = dir.klartext(&["clean", "once", "--out", "once-out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(dir.read("once-out/a07.txt").contains(PROMO_MARK));

    // The same holds for shards and for a stream.
    let lines: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(n, t)| record(&format!("r{n}"), t))
        .collect();
    write_shard(&dir, "shards/a.jsonl.gz", &lines[..10]);
    write_shard(&dir, "shards/b.jsonl.zst", &lines[10..]);
    let out = dir.klartext(&["clean", "--jsonl", "shards", "--out", "shards-out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for shard in ["a.jsonl.gz", "b.jsonl.zst"] {
        for row in read_shard(&dir.path().join("shards-out").join(shard)) {
            assert!(!row["text"].as_str().unwrap().contains(PROMO_MARK));
        }
    }
    let stream = lines.join("\n") + "\n";
    for row in filtered(&dir, &["filter"], &stream) {
        assert!(!row["text"].as_str().unwrap().contains(PROMO_MARK));
    }
    // A stream counts within windows of lines: in windows of four, no passage reaches five.
    for row in filtered(&dir, &["filter", "--repeat-window", "4"], &stream) {
        assert!(row["text"].as_str().unwrap().contains(PROMO_MARK));
    }
    for row in filtered(&dir, &["filter", "--repeat-window", "10"], &stream) {
        assert!(!row["text"].as_str().unwrap().contains(PROMO_MARK));
    }
}

/// An agency footer: no promotional cue at all.
fn footer(_: usize) -> String {
    "Dieser Artikel wurde mit Material der Nachrichtenagenturen dpa und AFP erstellt.".into()
}

#[test]
fn a_recurring_passage_without_cues_is_boilerplate_reported_and_kept_unless_stripped() {
    let dir = Dir::new();
    let lines: Vec<String> = twenty(footer, |_| true)
        .iter()
        .enumerate()
        .map(|(n, t)| record(&format!("r{n}"), t))
        .collect();
    write_shard(&dir, "in/s.jsonl", &lines);
    let out = dir.klartext(&[
        "clean",
        "--jsonl",
        "in",
        "--out",
        "kept",
        "--dolma-attributes",
        "attributes",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = read_shard(&dir.path().join("kept/s.jsonl"));
    let attributes = read_shard(&dir.path().join("attributes/s.jsonl"));
    for (row, line) in rows.iter().zip(&attributes) {
        assert!(row["text"]
            .as_str()
            .unwrap()
            .contains("Material der Nachrichtenagenturen"));
        let meta = &row["metadata"]["klartext"];
        let boilerplate = meta["boilerplate"].as_array().unwrap();
        assert_eq!(boilerplate.len(), 1, "{meta}");
        assert_eq!(boilerplate[0]["text"], footer(0));
        assert_eq!(boilerplate[0]["repeats"], 20);
        assert_eq!(boilerplate[0]["stripped"], false);
        assert!(meta["ads"].as_array().unwrap().iter().all(|ad| !ad["text"]
            .as_str()
            .unwrap()
            .contains("Nachrichtenagenturen")));
        let span = &line["attributes"]["klartext__klartext__boilerplate"][0];
        assert_eq!(
            span[1].as_u64().unwrap() - span[0].as_u64().unwrap(),
            footer(0).chars().count() as u64
        );
    }
    let out = dir.klartext(&[
        "clean",
        "--jsonl",
        "in",
        "--out",
        "stripped",
        "--strip-boilerplate",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for row in read_shard(&dir.path().join("stripped/s.jsonl")) {
        assert!(!row["text"]
            .as_str()
            .unwrap()
            .contains("Material der Nachrichtenagenturen"));
        assert_eq!(
            row["metadata"]["klartext"]["boilerplate"][0]["stripped"],
            true
        );
    }
}

#[test]
fn a_story_that_recurs_whole_is_a_copy_and_is_not_cut() {
    let dir = Dir::new();
    // One wire story with a weak cue in it, carried by twenty outlets under their own titles.
    let story = "Die Bundesbank rechnet für das kommende Jahr mit einem leichten Wachstum der deutschen Wirtschaft.\n\
        Viele Sparer setzen dabei weiter auf einen Sparplan mit breit gestreuten Fonds, sagen die Fachleute.\n\
        Die Inflation dürfte nach Einschätzung der Notenbank im Laufe des Jahres weiter sinken.\n";
    let lines: Vec<String> = (0..20)
        .map(|n| {
            record(
                &format!("r{n}"),
                &format!("Ausblick der Bundesbank, Ausgabe {n}\n{story}"),
            )
        })
        .collect();
    let alone = filtered(
        &dir,
        &["filter", "--no-repeats"],
        &(lines.join("\n") + "\n"),
    );
    let batch = filtered(&dir, &["filter"], &(lines.join("\n") + "\n"));
    assert!(alone[0]["text"].as_str().unwrap().contains("Sparplan"));
    assert!(alone == batch, "the copies are cleaned as if alone");
}

#[test]
fn fingerprints_counted_elsewhere_come_back_as_known_repeats() {
    let dir = Dir::new();
    let lines: Vec<String> = twenty(quiet_promo, |_| true)
        .iter()
        .enumerate()
        .map(|(n, t)| record(&format!("r{n}"), t))
        .collect();
    write_shard(&dir, "corpus.jsonl.gz", &lines);
    let out = dir.klartext(&["fingerprints", "corpus.jsonl.gz"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let fingerprints: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(fingerprints.len(), 20);
    assert_eq!(fingerprints[3]["id"], "r3");
    // What an engine does: count the records each passage stands in, keep the frequent ones.
    let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
    for line in &fingerprints {
        for passage in line["passages"].as_array().unwrap() {
            let hex = passage.as_str().unwrap();
            assert_eq!(hex.len(), 16);
            *counts.entry(hex.to_string()).or_default() += 1;
        }
    }
    let known: Vec<String> = counts
        .iter()
        .filter(|(_, n)| **n >= 5)
        .map(|(p, n)| format!("{{\"passage\": \"{p}\", \"articles\": {n}}}"))
        .collect();
    assert_eq!(
        known.len(),
        3,
        "the three sentences of the insert: {known:?}"
    );
    dir.create("known.jsonl", known.join("\n") + "\n");
    // One record on its own: only the known counts tell that its insert recurs.
    let one = format!("{}\n", lines[0]);
    let unknown = filtered(&dir, &["filter"], &one);
    assert!(unknown[0]["text"].as_str().unwrap().contains(PROMO_MARK));
    let with_known = filtered(&dir, &["filter", "--known-repeats", "known.jsonl"], &one);
    assert!(!with_known[0]["text"].as_str().unwrap().contains(PROMO_MARK));
    assert_eq!(
        with_known[0]["metadata"]["klartext"]["ads"][0]["repeats"],
        20
    );
    // clean reads them too; a broken counts file names its line.
    dir.create("in/a.txt", twenty(quiet_promo, |_| true)[0].clone());
    let out = dir.klartext(&[
        "clean",
        "in",
        "--out",
        "out",
        "--known-repeats",
        "known.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!dir.read("out/a.txt").contains(PROMO_MARK));
    dir.create("bad.jsonl", "{\"passage\": \"xyz\", \"articles\": 3}\n");
    let bad = dir.klartext(&[
        "clean",
        "in",
        "--out",
        "out2",
        "--known-repeats",
        "bad.jsonl",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("bad.jsonl:1:"), "{}", stderr(&bad));
}
