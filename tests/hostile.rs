//! `klartext clean` on a folder nobody would make on purpose: every kind of bad input beside
//! three good articles. The good ones come out right, every bad one has a manifest line with
//! its reason, the exit code is 1, nothing panics, and the inputs are exactly as they were.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::util::{lines, manifest, repo, snapshot, stderr, tree, Dir};

const GERMAN: &str = "Stadt baut neue Brücke\n\
    Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
    Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n\
    Die Kosten liegen bei zwölf Millionen Euro.\n";

const GERMAN_CLEAN: &str = "Stadt baut neue Brücke\n\
    Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
    Die Kosten liegen bei zwölf Millionen Euro.\n";

const ENGLISH: &str = "City opens new bridge\n\
    The city opened a new bridge over the river on Monday. Traffic on the old crossing is expected to ease by summer.\n\
    Sign up for our free newsletter and get the most important news in your inbox every morning. Subscribe now\n\
    The bridge cost twelve million dollars, the mayor said.\n";

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

/// How deep the deepest folder is.
const DEPTH: usize = 200;

/// Builds the hostile folder `in/`; returns the ids of the inputs that must fail, each with a
/// part of the reason its manifest line must give, and whether the unreadable file really is
/// unreadable here.
fn build(dir: &Dir) -> (BTreeMap<String, &'static str>, bool) {
    let mut bad = BTreeMap::new();
    // Three good articles.
    dir.create("in/good/de.txt", GERMAN);
    dir.create("in/good/en.txt", ENGLISH);
    dir.create(
        "in/good/seed.txt",
        std::fs::read(repo().join("corpus/de/amazon-ki-wettlauf.txt")).unwrap(),
    );
    // Encodings and line endings that decode to the German article.
    dir.create(
        "in/enc/bom.txt",
        [&b"\xEF\xBB\xBF"[..], GERMAN.as_bytes()].concat(),
    );
    dir.create("in/enc/utf16le.txt", utf16(GERMAN, false));
    dir.create("in/enc/utf16be.txt", utf16(GERMAN, true));
    dir.create("in/enc/crlf.txt", GERMAN.replace('\n', "\r\n"));
    dir.create("in/enc/cr.txt", GERMAN.replace('\n', "\r"));
    // File names with spaces, non-ASCII characters, a newline, and bytes that are not UTF-8.
    dir.create("in/names/mit Leerzeichen.txt", GERMAN);
    dir.create("in/names/Grüße aus Köln – ✓.txt", GERMAN);
    dir.create("in/names/zwei\nZeilen.txt", GERMAN);
    let raw = dir
        .path()
        .join("in/names")
        .join(OsStr::from_bytes(b"latin1-\xE4.txt"));
    std::fs::write(&raw, GERMAN).unwrap();
    // Folders nested DEPTH deep, an article at the bottom.
    let deep = format!("in/deep/{}story.txt", "d/".repeat(DEPTH));
    dir.create(&deep, GERMAN);

    // What cannot be cleaned.
    dir.create("in/bad/empty.txt", "");
    bad.insert("bad/empty.txt".into(), "not text: the file is empty");
    dir.create("in/bad/blank.txt", " \n\t\r\n  \n");
    bad.insert(
        "bad/blank.txt".into(),
        "not text: the file holds only white space",
    );
    dir.create("in/bad/nul.txt", b"Titel\nEin Satz.\0\0\0Noch einer.\n");
    bad.insert(
        "bad/nul.txt".into(),
        "not text: binary file (a NUL byte at byte 15)",
    );
    // A one-pixel PNG saved under a text name.
    dir.create(
        "in/bad/pixel.txt",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\x0f\0\0\x01\x01\0\x05\x18\xd8N\0\0\0\0IEND\xaeB`\x82",
    );
    bad.insert("bad/pixel.txt".into(), "not text: binary file");
    dir.create("in/bad/latin1.txt", b"Titel\nGr\xfc\xdfe aus K\xf6ln.\n");
    bad.insert(
        "bad/latin1.txt".into(),
        "not text: invalid UTF-8 at byte 8 (line 2); convert the file to UTF-8",
    );
    let mut lone = utf16("Titel\n", false);
    lone.extend([0x00, 0xDC]);
    dir.create("in/bad/utf16-lone-surrogate.txt", lone);
    bad.insert(
        "bad/utf16-lone-surrogate.txt".into(),
        "invalid UTF-16 (little endian) at byte 14",
    );
    // A single line of 50 MB.
    let mut huge = Vec::with_capacity(50_000_000);
    while huge.len() < 50_000_000 {
        huge.extend(b"Ein sehr langer Absatz ohne Ende ");
    }
    dir.create("in/bad/huge.txt", huge);
    bad.insert(
        "bad/huge.txt".into(),
        "too large for an article: 50000016 bytes",
    );
    // Links that go round in circles (reported under --follow).
    symlink(".", dir.path().join("in/bad/loop")).unwrap();
    bad.insert("bad/loop".into(), "File system loop found");
    symlink("self.txt", dir.path().join("in/bad/self.txt")).unwrap();
    bad.insert("bad/self.txt".into(), "Too many levels of symbolic links");
    symlink("pong.txt", dir.path().join("in/bad/ping.txt")).unwrap();
    symlink("ping.txt", dir.path().join("in/bad/pong.txt")).unwrap();
    bad.insert("bad/ping.txt".into(), "Too many levels of symbolic links");
    bad.insert("bad/pong.txt".into(), "Too many levels of symbolic links");
    // A file nobody may read. Root reads it all the same; then the case cannot be shown here.
    let secret = dir.create("in/bad/secret.txt", GERMAN);
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let unreadable = std::fs::File::open(&secret).is_err();
    if unreadable {
        bad.insert("bad/secret.txt".into(), "Permission denied");
    } else {
        eprintln!(
            "skipping the unreadable-file case: this user (root?) reads a file with mode 000"
        );
    }
    (bad, unreadable)
}

/// The outputs of `rel` (without extension) below `out`.
fn outputs(dir: &Dir, out: &str, rel: &Path) -> (String, serde_json::Value) {
    let stem = dir.path().join(out).join(rel);
    let read = |ext: &str| {
        let mut name = stem.clone().into_os_string();
        name.push(ext);
        std::fs::read_to_string(PathBuf::from(name)).unwrap_or_else(|e| panic!("{rel:?}{ext}: {e}"))
    };
    (read(".txt"), serde_json::from_str(&read(".json")).unwrap())
}

#[test]
fn a_hostile_folder_is_cleaned_without_loss_damage_or_panic() {
    let dir = Dir::new();
    let (bad, unreadable) = build(&dir);
    let before = snapshot(&dir.path().join("in"));

    let run = dir.klartext(&["clean", "in", "--follow", "--out", "out", "-j", "2"]);
    let message = stderr(&run);
    assert_eq!(run.status.code(), Some(1), "{message}");
    assert!(!message.contains("panicked"), "{message}");

    // Every bad input has its line with its reason, and is named on stderr.
    let manifest_lines = manifest(&dir, "out");
    let status: BTreeMap<String, String> = manifest_lines
        .iter()
        .map(|l| {
            (
                l["id"].as_str().unwrap().to_string(),
                l["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(status.len(), manifest_lines.len(), "one line per input");
    for (id, reason) in &bad {
        let got = status
            .get(id)
            .unwrap_or_else(|| panic!("no manifest line for {id}"));
        assert!(got.contains(reason), "{id}: {got}");
        assert!(message.contains(&format!("klartext: {id}: ")), "{message}");
    }
    // Everything else was cleaned.
    let good: Vec<&String> = status.keys().filter(|id| !bad.contains_key(*id)).collect();
    for id in &good {
        assert_eq!(status[*id], "ok", "{id}");
    }
    assert_eq!(good.len(), 13 + usize::from(!unreadable), "{good:?}");
    assert!(
        message.contains(&format!("{} errors", bad.len())),
        "{message}"
    );

    // The good articles come out right: the German and English ones as expected, the seed as
    // when it is cleaned alone.
    let (text, meta) = outputs(&dir, "out", Path::new("good/de"));
    assert_eq!(text, GERMAN_CLEAN);
    assert_eq!(meta["counts"]["ads"], 1);
    assert_eq!(meta["ads"][0]["category"], "newsletter");
    let (text, meta) = outputs(&dir, "out", Path::new("good/en"));
    assert_eq!(
        lines(&text),
        [
            "City opens new bridge",
            "The city opened a new bridge over the river on Monday. Traffic on the old crossing is expected to ease by summer.",
            "The bridge cost twelve million dollars, the mayor said."
        ]
    );
    assert_eq!(
        (meta["language"].as_str(), meta["counts"]["ads"].as_u64()),
        (Some("en"), Some(1))
    );
    dir.create(
        "alone/seed.txt",
        std::fs::read(repo().join("corpus/de/amazon-ki-wettlauf.txt")).unwrap(),
    );
    assert_eq!(
        dir.klartext(&["clean", "alone", "--out", "out-alone"])
            .status
            .code(),
        Some(0)
    );
    let alone = tree(&dir.path().join("out-alone"));
    let (text, meta) = outputs(&dir, "out", Path::new("good/seed"));
    assert_eq!(text.as_bytes(), alone["seed.txt"]);
    assert_eq!(meta["counts"]["ads"], 2);
    let (_, meta_de) = outputs(&dir, "out", Path::new("good/de"));

    // Every encoding, line ending and name gives the German article's outputs: offsets count
    // in the decoded text with `\n` line endings, so they agree too.
    let mut same_as_german: Vec<PathBuf> = [
        "enc/bom",
        "enc/utf16le",
        "enc/utf16be",
        "enc/crlf",
        "enc/cr",
    ]
    .into_iter()
    .chain([
        "names/mit Leerzeichen",
        "names/Grüße aus Köln – ✓",
        "names/zwei\nZeilen",
    ])
    .map(PathBuf::from)
    .collect();
    same_as_german.push(Path::new("names").join(OsStr::from_bytes(b"latin1-\xE4")));
    same_as_german.push(PathBuf::from(format!("deep/{}story", "d/".repeat(DEPTH))));
    if !unreadable {
        same_as_german.push(PathBuf::from("bad/secret"));
    }
    for rel in &same_as_german {
        let (text, mut meta) = outputs(&dir, "out", rel);
        assert_eq!(text, GERMAN_CLEAN, "{rel:?}");
        meta["id"] = meta_de["id"].clone();
        assert_eq!(meta, meta_de, "{rel:?}");
    }
    assert_eq!(status["names/latin1-\u{FFFD}.txt"], "ok");

    // Nothing was written outside --out, nothing is left half-written in it, the inputs are
    // as they were.
    let mut top: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    top.sort();
    assert_eq!(top, ["alone", "in", "out", "out-alone"]);
    let written = tree(&dir.path().join("out"));
    assert!(
        written.keys().all(|k| !k.contains(".klartext")),
        "{:?}",
        written
            .keys()
            .filter(|k| k.contains(".klartext"))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        written.len(),
        2 * good.len() + 1,
        "two files per article and the manifest"
    );
    assert!(
        before == snapshot(&dir.path().join("in")),
        "an input changed"
    );

    // The same run on one thread writes the same bytes.
    let again = dir.klartext(&["clean", "in", "--follow", "--out", "out-j1", "-j", "1"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        written == tree(&dir.path().join("out-j1")),
        "-j1 and -j2 differ"
    );

    // Without --follow, links are neither followed nor reported; the rest is the same.
    let unfollowed = dir.klartext(&["clean", "in", "--out", "out-nofollow"]);
    assert_eq!(unfollowed.status.code(), Some(1));
    let ids: Vec<String> = manifest(&dir, "out-nofollow")
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    let expected: Vec<String> = status
        .keys()
        .filter(|id| {
            !["bad/loop", "bad/self.txt", "bad/ping.txt", "bad/pong.txt"].contains(&id.as_str())
        })
        .cloned()
        .collect();
    assert_eq!(ids, expected);
    assert!(
        before == snapshot(&dir.path().join("in")),
        "an input changed"
    );

    let secret = dir.path().join("in/bad/secret.txt");
    std::fs::set_permissions(secret, std::fs::Permissions::from_mode(0o644)).unwrap();
}

/// Root reads a file with mode 000, so the case of the hostile folder cannot show it there. Here
/// a root run drops to the user `nobody` (uid 65534) for klartext; if that user cannot start
/// it (the build folder is closed to others), the case is skipped with a message.
#[test]
fn an_unreadable_file_is_reported_and_the_rest_goes_on() {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    let dir = Dir::new();
    dir.create("in/good.txt", GERMAN);
    let secret = dir.create("in/secret.txt", GERMAN);
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_klartext"));
    command
        .args(["clean", "in", "--out", "out"])
        .current_dir(dir.path());
    if std::fs::File::open(&secret).is_ok() {
        if std::fs::metadata(&secret).unwrap().uid() != 0 {
            eprintln!("skipping: this user reads a file with mode 000 and is not root");
            return;
        }
        for (path, mode) in [
            (dir.path().to_path_buf(), 0o755),
            (dir.path().join("in"), 0o755),
        ] {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
        }
        std::fs::set_permissions(
            dir.path().join("in/good.txt"),
            std::fs::Permissions::from_mode(0o644),
        )
        .unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir(&out).unwrap();
        std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o777)).unwrap();
        command.uid(65534).gid(65534);
    }
    let output = match command.output() {
        Ok(output) => output,
        Err(e) => {
            eprintln!("skipping: cannot start klartext as the user nobody: {e}");
            return;
        }
    };
    let message = stderr(&output);
    if output.status.code() == Some(2) && message.contains("Permission denied") {
        eprintln!("skipping: the user nobody cannot reach the test folder: {message}");
        return;
    }
    assert_eq!(output.status.code(), Some(1), "{message}");
    let lines = manifest(&dir, "out");
    assert_eq!(lines[0]["status"], "ok");
    assert_eq!(lines[1]["id"], "secret.txt");
    assert!(
        lines[1]["status"]
            .as_str()
            .unwrap()
            .ends_with("in/secret.txt: Permission denied (os error 13)"),
        "{}",
        lines[1]
    );
    assert_eq!(dir.read("out/good.txt"), GERMAN_CLEAN);
}

/// 100,000 tiny files in one run: every one is cleaned and listed, in order. (Kept apart from
/// the hostile folder so that its failures read on their own.)
#[test]
fn a_hundred_thousand_tiny_files_are_all_cleaned() {
    const FILES: usize = 100_000;
    let dir = Dir::new();
    for folder in 0..100 {
        std::fs::create_dir_all(dir.path().join(format!("in/{folder:02}"))).unwrap();
    }
    for i in 0..FILES {
        let path = dir.path().join(format!("in/{:02}/{i:06}.txt", i % 100));
        std::fs::write(path, format!("Meldung {i}\nEs geschah am Tag {i}.\n")).unwrap();
    }
    let run = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    assert!(
        stderr(&run).contains(&format!("{FILES} articles, 0 ads found")),
        "{}",
        stderr(&run)
    );
    let manifest = dir.read("out/manifest.jsonl");
    let mut count = 0;
    let mut previous = String::new();
    for line in manifest.lines() {
        let line: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = line["id"].as_str().unwrap().to_string();
        assert!(id > previous, "{id} after {previous}");
        assert_eq!(line["status"], "ok", "{id}");
        previous = id;
        count += 1;
    }
    assert_eq!(count, FILES);
    for i in [0, 4_321, FILES - 1] {
        let rel = format!("out/{:02}/{i:06}", i % 100);
        assert_eq!(
            dir.read(&format!("{rel}.txt")),
            format!("Meldung {i}\nEs geschah am Tag {i}.\n")
        );
        assert_eq!(dir.json(&format!("{rel}.json"))["counts"]["sentences"], 1);
    }
    let outputs = walkdir::WalkDir::new(dir.path().join("out"))
        .into_iter()
        .filter(|e| e.as_ref().unwrap().file_type().is_file())
        .count();
    assert_eq!(outputs, 2 * FILES + 1);
}
