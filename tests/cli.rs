//! The `klartext clean` command from the outside: outputs, manifest, errors and exit codes.
//! One case per macro call; each runs in its own temporary folder.

use crate::util::{lines, manifest, stderr, tree, Dir};

const ARTICLE: &str = "Stadt baut neue Brücke\n\
    Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
    Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n\
    Die Kosten liegen bei zwölf Millionen Euro.\n";

/// `clitest!(name, |dir| { … })` defines a test that gets a fresh [`Dir`].
macro_rules! clitest {
    ($name:ident, |$dir:ident| $body:block) => {
        #[test]
        fn $name() {
            let $dir = Dir::new();
            $body
        }
    };
}

clitest!(folder_paths_are_mirrored_and_the_ad_is_removed, |dir| {
    dir.create("in/a/one.txt", ARTICLE);
    dir.create("in/two.md", ARTICLE);
    dir.create("in/skip.html", ARTICLE);
    dir.create("in/.hidden.txt", ARTICLE);
    let out = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        lines(&dir.read("out/a/one.txt")),
        [
            "Stadt baut neue Brücke",
            "Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.",
            "Die Kosten liegen bei zwölf Millionen Euro."
        ]
    );
    let meta = dir.json("out/a/one.json");
    assert_eq!(meta["id"], "a/one.txt");
    assert_eq!(meta["ads"][0]["category"], "newsletter");
    assert_eq!(meta["counts"]["ads"], 1);
    assert_eq!(meta["counts"]["promo_sentences"], 2);
    let ids: Vec<_> = manifest(&dir, "out")
        .iter()
        .map(|l| l["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ["a/one.txt", "two.md"]);
    assert!(
        !dir.path().join("out/skip.txt").exists() && !dir.path().join("out/.hidden.txt").exists()
    );
    assert!(
        stderr(&out).contains("2 articles, 2 ads found"),
        "{}",
        stderr(&out)
    );
});

clitest!(ext_chooses_the_file_endings, |dir| {
    dir.create("in/x.html", ARTICLE);
    dir.create("in/y.txt", ARTICLE);
    let out = dir.klartext(&["clean", "in", "--ext", "html", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(dir.path().join("out/x.txt").exists());
    assert!(!dir.path().join("out/y.txt").exists());
});

clitest!(a_file_given_directly_lands_at_the_top, |dir| {
    dir.create("deep/er/story.txt", ARTICLE);
    let out = dir.klartext(&["clean", "deep/er/story.txt", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(dir.json("out/story.json")["id"], "story.txt");
});

clitest!(dotted_names_keep_their_stem, |dir| {
    dir.create("in/a.expected.txt", ARTICLE);
    dir.create("in/a.txt", ARTICLE);
    let out = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(dir.json("out/a.expected.json")["id"], "a.expected.txt");
    assert_eq!(dir.json("out/a.json")["id"], "a.txt");
});

clitest!(bad_files_get_a_manifest_line_and_exit_1, |dir| {
    dir.create("in/good.txt", ARTICLE);
    dir.create("in/latin1.txt", b"Titel\nGr\xfc\xdfe aus K\xf6ln.\n");
    dir.create("in/binary.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    dir.create("in/same.md", ARTICLE);
    dir.create("in/same.txt", ARTICLE);
    let out = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines = manifest(&dir, "out");
    let status = |id: &str| {
        lines.iter().find(|l| l["id"] == id).unwrap()["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("good.txt"), "ok");
    assert!(
        status("latin1.txt").contains("invalid UTF-8 at byte 8 (line 2)"),
        "{}",
        status("latin1.txt")
    );
    assert!(
        status("binary.txt").contains("binary"),
        "{}",
        status("binary.txt")
    );
    assert_eq!(status("same.md"), "ok");
    assert!(
        status("same.txt").contains("already taken by same.md"),
        "{}",
        status("same.txt")
    );
    assert!(dir.path().join("out/good.txt").exists());
    assert!(stderr(&out).contains("3 errors"), "{}", stderr(&out));
});

#[cfg(unix)]
clitest!(
    a_dangling_link_followed_is_reported_and_the_rest_goes_on,
    |dir| {
        dir.create("in/good.txt", ARTICLE);
        std::os::unix::fs::symlink(
            dir.path().join("nowhere.txt"),
            dir.path().join("in/broken.txt"),
        )
        .unwrap();
        let out = dir.klartext(&["clean", "in", "--follow", "--out", "out"]);
        assert_eq!(out.status.code(), Some(1));
        let lines = manifest(&dir, "out");
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["id"], "broken.txt");
        assert_ne!(lines[0]["status"], "ok");
        // Without --follow the link is not followed and not reported.
        let out = dir.klartext(&["clean", "in", "--out", "out2"]);
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(manifest(&dir, "out2").len(), 1);
    }
);

clitest!(a_missing_input_exits_2_with_one_line, |dir| {
    let out = dir.klartext(&["clean", "nope", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.starts_with("klartext: nope:"), "{message}");
    assert!(!dir.path().join("out").exists());
});

clitest!(a_bad_flag_exits_2, |dir| {
    let out = dir.klartext(&["clean", "--frobnicate", "x", "--out", "o"]);
    assert_eq!(out.status.code(), Some(2));
});

clitest!(out_inside_or_equal_to_an_input_folder_is_refused, |dir| {
    dir.create("in/a.txt", ARTICLE);
    for target in ["in", "in/out", "./in/../in/sub"] {
        let out = dir.klartext(&["clean", "in", "--out", target]);
        assert_eq!(out.status.code(), Some(2), "{target}");
        assert!(
            stderr(&out).contains("inside the input folder"),
            "{}",
            stderr(&out)
        );
    }
    assert!(!dir.path().join("in/out").exists() && !dir.path().join("in/a.json").exists());
});

clitest!(an_input_file_inside_out_is_refused, |dir| {
    dir.create("out/a.txt", ARTICLE);
    let out = dir.klartext(&["clean", "out/a.txt", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(dir.read("out/a.txt"), ARTICLE);
});

clitest!(
    inputs_are_never_written_and_output_is_the_same_for_any_thread_count,
    |dir| {
        for i in 0..12 {
            dir.create(
                &format!("in/{i:02}.txt"),
                ARTICLE.replace("zwölf", &format!("{i}")),
            );
        }
        dir.create(
            "in/seed.txt",
            include_str!("../corpus/de/amazon-ki-wettlauf.txt"),
        );
        let before: Vec<Vec<u8>> = (0..12)
            .map(|i| std::fs::read(dir.path().join(format!("in/{i:02}.txt"))).unwrap())
            .collect();
        assert_eq!(
            dir.klartext(&["clean", "in", "--out", "one", "-j", "1"])
                .status
                .code(),
            Some(0)
        );
        assert_eq!(
            dir.klartext(&["clean", "in", "--out", "two", "-j", "2"])
                .status
                .code(),
            Some(0)
        );
        let after: Vec<Vec<u8>> = (0..12)
            .map(|i| std::fs::read(dir.path().join(format!("in/{i:02}.txt"))).unwrap())
            .collect();
        assert_eq!(before, after);
        // Byte-identical on one and two threads, and again on a repeated run.
        assert_eq!(
            dir.klartext(&["clean", "in", "--out", "again", "-j", "2"])
                .status
                .code(),
            Some(0)
        );
        let one = tree(&dir.path().join("one"));
        assert_eq!(one.len(), 2 * 13 + 1);
        assert!(one == tree(&dir.path().join("two")), "-j1 and -j2 differ");
        assert!(one == tree(&dir.path().join("again")), "two runs differ");
    }
);

clitest!(a_broken_rules_file_names_file_line_and_column, |dir| {
    dir.create("in/a.txt", ARTICLE);
    let rules = crate::util::repo().join("rules");
    for entry in std::fs::read_dir(&rules).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        dir.create(&format!("rules/{name}"), std::fs::read(&path).unwrap());
    }
    dir.create(
        "rules/xx.toml",
        "language = \"xx\"\n\n[[rule]]\nid = \"xx.bad\"\nweight = 1.0\npattern = '(unclosed'\n",
    );
    let out = dir.klartext(&["clean", "in", "--rules", "rules", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert!(
        message.contains("xx.toml:6:11: rule `xx.bad`: invalid pattern"),
        "{message}"
    );
    // Broken TOML: an unclosed string on line 4, and an unknown key on line 3.
    for (contents, place, what) in [
        (
            "language = \"xx\"\n\n[[rule]]\nid = \"xx.bad\n",
            "xx.toml:4:",
            "",
        ),
        (
            "language = \"xx\"\n[[rule]]\nidd = \"xx.a\"\nweight = 1.0\npattern = 'a'\n",
            "xx.toml:3:1:",
            "unknown field `idd`",
        ),
    ] {
        dir.create("rules/xx.toml", contents);
        let out = dir.klartext(&["clean", "in", "--rules", "rules", "--out", "out"]);
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        let message = stderr(&out);
        assert!(
            message.starts_with("klartext: rules/")
                && message.contains(place)
                && message.contains(what),
            "{message}"
        );
        assert!(!dir.path().join("out").exists());
    }
    std::fs::remove_file(dir.path().join("rules/xx.toml")).unwrap();
    // The copied rules behave exactly like the built-in ones.
    let out = dir.klartext(&["clean", "in", "--rules", "rules", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(dir.json("out/a.json")["counts"]["ads"], 1);
});

clitest!(sentences_adds_a_list_and_keeps_every_key_in_order, |dir| {
    let out = with_stdin(
        &dir,
        &["sentences"],
        "{\"z\":1,\"text\":\"Er kam am 1. August. Dann ging er.\",\"lang\":\"de\",\"a\":2}\n",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "{\"z\":1,\"text\":\"Er kam am 1. August. Dann ging er.\",\"lang\":\"de\",\"a\":2,\"sentences\":[\"Er kam am 1. August.\",\"Dann ging er.\"]}\n"
    );
});

clitest!(sentences_offsets_are_characters, |dir| {
    let out = with_stdin(
        &dir,
        &["sentences", "--offsets", "--lang", "de"],
        "{\"text\":\"Größe zählt. Ja.\"}\n",
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        record["sentences"],
        serde_json::json!([{"start": 0, "end": 12, "text": "Größe zählt."}, {"start": 13, "end": 16, "text": "Ja."}])
    );
});

clitest!(sentences_read_past_soft_hyphens, |dir| {
    // "interested" is a word that ends a sentence before a lower-case one; with a soft hyphen
    // in it, only reading past the hyphen knows that. Offsets count the hyphen.
    let out = with_stdin(
        &dir,
        &["sentences", "--offsets", "--lang", "en"],
        "{\"text\":\"anyone is inter\\u00adested. jill finishes her cpa today.\"}\n",
    );
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        record["sentences"],
        serde_json::json!([
            {"start": 0, "end": 22, "text": "anyone is inter\u{ad}ested."},
            {"start": 23, "end": 51, "text": "jill finishes her cpa today."}
        ])
    );
});

clitest!(sentences_reports_bad_lines_and_goes_on, |dir| {
    dir.create(
        "in.jsonl",
        "not json\n{\"id\":3}\n{\"text\":\"Eins. Zwei.\",\"lang\":\"de\"}\n",
    );
    let out = dir.klartext(&["sentences", "in.jsonl"]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0]["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid JSON"));
    assert_eq!(
        lines[1],
        serde_json::json!({"id": 3, "error": "no `text` field"})
    );
    assert_eq!(lines[0]["input"], "not json");
    assert_eq!(lines[2]["sentences"], serde_json::json!(["Eins.", "Zwei."]));
    let message = stderr(&out);
    assert!(
        message.contains("in.jsonl:1: invalid JSON")
            && message.contains("in.jsonl:2: no `text` field"),
        "{message}"
    );
});

clitest!(
    train_writes_rules_that_load_and_refuses_to_overwrite,
    |dir| {
        // Five articles (a word must stand in the ads of five to be learned) whose ads share
        // "Gratisreport"; each brand name appears in one ad only.
        let brands = [
            "Alphafonds",
            "Betabank",
            "Gammainvest",
            "Deltakapital",
            "Epsilonbroker",
        ];
        for (i, brand) in brands.iter().enumerate() {
            let ad = format!("Holen Sie sich den Gratisreport von {brand}. Jetzt anfordern");
            dir.create(
            &format!("gold/a{i}.txt"),
            format!("Titel {i}\nDie Stadt baut eine Brücke. Die Arbeiten beginnen im Mai.\n{ad}\nDer Rat stimmte zu.\n"),
        );
            dir.create(
            &format!("gold/a{i}.gold.toml"),
            format!("language = \"de\"\ntitle = \"Titel {i}\"\n[[ad]]\ncategory = \"lead_magnet\"\ntext = \"{ad}\"\n"),
        );
        }
        let plain = dir.klartext(&["train", "gold", "--out", "plain"]);
        assert_eq!(plain.status.code(), Some(0), "{}", stderr(&plain));
        let plain_words =
            std::fs::read_to_string(dir.path().join("plain/de.learned.toml")).unwrap_or_default();
        assert!(
            !plain_words.contains("gratisreport"),
            "words are learned only when asked: {plain_words}"
        );
        let out = dir.klartext(&["train", "gold", "--out", "fitted", "--learn-words"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let learned = dir.read("fitted/de.learned.toml");
        assert!(learned.contains("word = \"gratisreport\""), "{learned}");
        assert!(
            !learned.contains("alphafonds"),
            "a word from one article's ad is not learned: {learned}"
        );
        let eval = dir.klartext(&["eval", "gold", "--rules", "fitted", "--json"]);
        assert_eq!(eval.status.code(), Some(0), "{}", stderr(&eval));
        let summary: serde_json::Value = serde_json::from_slice(&eval.stdout).unwrap();
        assert_eq!(summary["articles"], 5);
        assert!(summary["editorial_retained_ratio"].as_f64().unwrap() > 0.9);
        let again = dir.klartext(&["train", "gold", "--out", "fitted"]);
        assert_eq!(again.status.code(), Some(2));
        assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    }
);

clitest!(eval_json_has_the_documented_keys, |dir| {
    dir.create(
        "gold/a.txt",
        "Titel\nDie Stadt baut. Jetzt Newsletter kostenlos abonnieren\nDer Rat stimmte zu.\n",
    );
    dir.create(
        "gold/a.gold.toml",
        "language = \"de\"\ntitle = \"Titel\"\n[[ad]]\ncategory = \"newsletter\"\ntext = \"Jetzt Newsletter kostenlos abonnieren\"\n",
    );
    let out = dir.klartext(&["eval", "gold", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in [
        "ads_caught_ratio",
        "editorial_retained_ratio",
        "char_precision",
        "char_recall",
        "char_f1",
        "articles",
        "no_promo_articles_cut",
        "category_right_ratio",
    ] {
        assert!(summary.get(key).is_some(), "missing {key}: {summary}");
    }
    assert_eq!(summary["ads_caught_ratio"], 1.0);
    assert_eq!(summary["category_right_ratio"], 1.0);
    assert_eq!(summary["editorial_retained_ratio"], 1.0);
    let table = dir.klartext(&["eval", "gold"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("misses (0)"));
});

/// `klartext ARGS…` with `stdin` fed in; the output as it came.
fn with_stdin(dir: &Dir, args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = dir.spawn(args);
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    output
}

fn json_lines(output: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

const RECORD: &str = r#"{"url":"u","id":"a1","text":"Stadt baut neue Brücke\nDie Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\nUnser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\nDie Kosten liegen bei zwölf Millionen Euro.","metadata":{"source":"crawl"},"z":0}"#;

clitest!(filter_keeps_keys_in_order_and_adds_metadata, |dir| {
    let out = with_stdin(&dir, &["filter"], &format!("{RECORD}\n"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout.clone()).unwrap();
    let keys: Vec<String> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text.trim())
            .unwrap()
            .keys()
            .cloned()
            .collect();
    assert_eq!(keys, ["url", "id", "text", "metadata", "z"]);
    let record = &json_lines(&out)[0];
    assert!(!record["text"].as_str().unwrap().contains("Newsletter"));
    assert!(record["text"].as_str().unwrap().contains("zwölf Millionen"));
    assert_eq!(record["metadata"]["source"], "crawl");
    let meta = &record["metadata"]["klartext"];
    assert_eq!(meta["counts"]["ads"], 1);
    assert_eq!(meta["ads"][0]["category"], "newsletter");
    let meta_keys: Vec<&String> = meta.as_object().unwrap().keys().collect();
    assert_eq!(
        meta_keys[0], "language",
        "metadata keys keep the documented order"
    );
});

clitest!(filter_flat_keep_original_and_custom_keys, |dir| {
    let record = RECORD
        .replace("\"text\"", "\"content\"")
        .replace("\"id\"", "\"doc\"");
    let out = with_stdin(
        &dir,
        &[
            "filter",
            "--text-key",
            "content",
            "--id-key",
            "doc",
            "--keep-original",
            "raw",
            "--flat",
        ],
        &format!("{record}\n"),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let r = &json_lines(&out)[0];
    assert!(r["raw"].as_str().unwrap().contains("Newsletter"));
    assert!(!r["content"].as_str().unwrap().contains("Newsletter"));
    assert_eq!(r["klartext_counts"]["ads"], 1);
    assert!(r.get("metadata").unwrap().get("klartext").is_none());
});

clitest!(filter_passes_bad_lines_through_and_strict_fails, |dir| {
    let input = format!("not json\n{{\"id\":2}}\n{RECORD}\n");
    let out = with_stdin(&dir, &["filter"], &input);
    assert_eq!(out.status.code(), Some(0));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 3, "one line out per line in");
    assert_eq!(lines[0]["input"], "not json");
    assert_eq!(
        lines[1],
        serde_json::json!({"id": 2, "error": "no `text` field"})
    );
    assert!(lines[2].get("error").is_none());
    assert!(stderr(&out).contains("<stdin>:2: no `text` field"));
    let strict = with_stdin(&dir, &["filter", "--strict"], &input);
    assert_eq!(strict.status.code(), Some(1));
    assert_eq!(json_lines(&strict).len(), 3);
});

clitest!(filter_ends_quietly_when_the_reader_goes_away, |dir| {
    use std::io::{BufRead, Write};
    let mut child = dir.spawn(&["filter"]);
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        for _ in 0..3000 {
            if writeln!(input, "{RECORD}").is_err() {
                break;
            }
        }
    });
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("klartext"));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
});

clitest!(
    count_lists_ads_per_article_and_totals_and_writes_nothing,
    |dir| {
        dir.create("in/a.txt", ARTICLE);
        dir.create(
            "in/b.txt",
            "Ruhiger Tag\nNichts passiert. Alle bleiben zu Hause.\n",
        );
        let out = dir.klartext(&["count", "in", "--format", "json"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["articles"][0]["id"], "a.txt");
        assert_eq!(v["articles"][0]["by_category"]["newsletter"], 1);
        assert_eq!(v["articles"][1]["ads"], 0);
        assert_eq!(
            v["total"],
            serde_json::json!({"articles": 2, "ads": 1, "by_category": {"newsletter": 1}})
        );
        let table = String::from_utf8(dir.klartext(&["count", "in"]).stdout).unwrap();
        assert!(
            table.lines().last().unwrap().starts_with("TOTAL"),
            "{table}"
        );
        let csv =
            String::from_utf8(dir.klartext(&["count", "in", "--format", "csv"]).stdout).unwrap();
        assert!(csv.starts_with("id,ads,lead_magnet,"), "{csv}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "count writes nothing"
        );
        dir.create("in/c.txt", b"\xff\xfe");
        assert_eq!(dir.klartext(&["count", "in"]).status.code(), Some(1));
    }
);

clitest!(an_earlier_run_is_never_overwritten_without_force, |dir| {
    dir.create("in/a.txt", ARTICLE);
    dir.create("in/b.txt", ARTICLE);
    assert_eq!(
        dir.klartext(&["clean", "in", "--out", "out"]).status.code(),
        Some(0)
    );
    std::fs::write(dir.path().join("out/a.txt"), "edited by hand\n").unwrap();
    let again = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        stderr(&again).contains("earlier run") && stderr(&again).contains("--force"),
        "{}",
        stderr(&again)
    );
    assert_eq!(dir.read("out/a.txt"), "edited by hand\n");

    // --skip-existing keeps what is there and cleans only what is missing: b lost its
    // metadata (as when a run is killed between the two renames), so it is cleaned again.
    std::fs::remove_file(dir.path().join("out/b.json")).unwrap();
    std::fs::write(dir.path().join("out/b.txt"), "half done\n").unwrap();
    let resumed = dir.klartext(&["clean", "in", "--out", "out", "--skip-existing"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
    assert_eq!(dir.read("out/a.txt"), "edited by hand\n");
    assert!(dir.read("out/b.txt").contains("zwölf Millionen"));
    assert_eq!(dir.json("out/b.json")["id"], "b.txt");
    let manifest = manifest(&dir, "out");
    assert_eq!(manifest[0]["status"], "ok (kept from an earlier run)");
    assert_eq!(manifest[0]["ads"], 1);
    assert_eq!(manifest[1]["status"], "ok");

    // --force overwrites.
    assert_eq!(
        dir.klartext(&["clean", "in", "--out", "out", "--force"])
            .status
            .code(),
        Some(0)
    );
    assert!(dir.read("out/a.txt").contains("zwölf Millionen"));
    assert!(
        !dir.path().join("out/.klartext.lock").exists(),
        "the lock is removed at the end"
    );
});

clitest!(
    a_second_run_into_the_same_folder_is_refused_while_one_writes,
    |dir| {
        dir.create("in/a.txt", ARTICLE);
        // This test holds the lock as a running klartext would.
        let lock = std::fs::File::open(dir.create("out/.klartext.lock", "4242\n")).unwrap();
        lock.lock().unwrap();
        let out = dir.klartext(&["clean", "in", "--out", "out"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(
            stderr(&out).contains("another klartext run (process 4242) is writing to out"),
            "{}",
            stderr(&out)
        );
        assert!(!dir.path().join("out/a.txt").exists());
        // A lock file left by a killed run holds no lock and does not block the next run.
        drop(lock);
        dir.create("out/.klartext.lock", "12345\n");
        let out = dir.klartext(&["clean", "in", "--out", "out"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(dir.path().join("out/a.txt").exists());
        assert!(!dir.path().join("out/.klartext.lock").exists());
    }
);

#[cfg(unix)]
clitest!(
    ctrl_c_stops_a_run_after_its_articles_in_flight_with_a_manifest_to_resume_from,
    |dir| {
        // More articles than one chunk of the run (2,048), so that stopping after the first
        // leaves some undone.
        let total = 2600;
        for i in 0..total {
            dir.create(
                &format!("in/{:02}/{i:04}.txt", i % 7),
                format!("Titel {i}\n\nDer Rat tagte {i} Stunden. Er beschloss nichts.\n"),
            );
        }
        let child = dir.spawn(&["clean", "in", "--out", "out", "-j", "1"]);
        let started = std::time::Instant::now();
        let first_written = || {
            walkdir::WalkDir::new(dir.path().join("out"))
                .into_iter()
                .filter_map(Result::ok)
                .any(|e| e.file_name().to_string_lossy().ends_with(".json"))
        };
        while !first_written() && started.elapsed() < std::time::Duration::from_secs(120) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let sent = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(sent.success());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
        assert!(stderr(&out).contains("--skip-existing"), "{}", stderr(&out));
        let listed = manifest(&dir, "out").len();
        assert!(
            listed > 0 && listed < total && listed.is_multiple_of(2048),
            "{listed} articles listed"
        );
        let written = tree(&dir.path().join("out"))
            .keys()
            .filter(|rel| rel.ends_with(".txt"))
            .count();
        assert_eq!(
            written, listed,
            "every written article is listed, and only those"
        );

        let resumed = dir.klartext(&["clean", "in", "--out", "out", "--skip-existing"]);
        assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
        assert_eq!(manifest(&dir, "out").len(), total);
    }
);

clitest!(
    a_killed_run_leaves_no_half_written_file_and_skip_existing_finishes_it,
    |dir| {
        for i in 0..600 {
            dir.create(
                &format!("in/{:02}/{i:03}.txt", i % 7),
                ARTICLE.replace("zwölf", &format!("{i}")),
            );
        }
        let full = dir.klartext(&["clean", "in", "--out", "full", "-j", "1"]);
        assert_eq!(full.status.code(), Some(0), "{}", stderr(&full));
        let reference = tree(&dir.path().join("full"));

        let mut child = dir.spawn(&["clean", "in", "--out", "out", "-j", "1"]);
        let started = std::time::Instant::now();
        let written = || {
            walkdir::WalkDir::new(dir.path().join("out"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .count()
        };
        while written() < 30 && started.elapsed() < std::time::Duration::from_secs(60) {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap();
        child.wait().unwrap();

        // Under a final name there is only a whole output; anything else is a hidden temporary
        // file or the lock file of the killed run.
        let killed = tree(&dir.path().join("out"));
        let mut finals = 0;
        for (rel, contents) in &killed {
            let name = rel.rsplit('/').next().unwrap();
            if name.starts_with(".klartext-") && name.ends_with(".tmp") || name == ".klartext.lock"
            {
                continue;
            }
            assert_eq!(Some(contents), reference.get(rel), "{rel} is not whole");
            finals += 1;
        }
        assert!(finals >= 30, "the run was killed after {finals} outputs");
        assert!(
            finals < reference.len(),
            "the run finished before it was killed; make it longer"
        );

        let resumed = dir.klartext(&["clean", "in", "--out", "out", "--skip-existing"]);
        assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));
        let after = tree(&dir.path().join("out"));
        for (rel, contents) in &reference {
            if rel != "manifest.jsonl" {
                assert_eq!(Some(contents), after.get(rel), "{rel}");
            }
        }
        let statuses: std::collections::BTreeSet<String> = manifest(&dir, "out")
            .iter()
            .map(|l| l["status"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            statuses,
            ["ok", "ok (kept from an earlier run)"]
                .map(String::from)
                .into()
        );
    }
);

clitest!(
    filter_reports_a_huge_line_an_invalid_line_and_a_path_id_and_goes_on,
    |dir| {
        use std::io::Write;
        let mut input = Vec::new();
        writeln!(input, "{RECORD}").unwrap();
        // A 100 MB line: over the line limit, never held in memory.
        input.extend(b"{\"id\":\"huge\",\"text\":\"");
        input.resize(input.len() + 100_000_000, b'a');
        input.extend(b"\"}\n");
        // A 5 MB text: within the line limit, over the article limit.
        input.extend(b"{\"id\":\"big\",\"text\":\"");
        input.resize(input.len() + 5_000_000, b'a');
        input.extend(b"\"}\n");
        input.extend(b"{\"id\": \"broken\", \"text\": \n");
        input.extend(b"{\"text\":\"K\xf6ln\"}\n");
        let escaping = RECORD.replace("\"a1\"", "\"../../etc/x\"");
        writeln!(input, "{escaping}").unwrap();
        let absolute = RECORD.replace("\"a1\"", "\"/tmp/x\\u0000y\"");
        writeln!(input, "{absolute}").unwrap();

        let mut child = dir.spawn(&["filter"]);
        let mut stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || stdin.write_all(&input).unwrap());
        let out = child.wait_with_output().unwrap();
        writer.join().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 7, "one line out per line in");
        let message = stderr(&out);
        assert!(!message.contains("panicked"), "{message}");
        assert_eq!(lines[0]["metadata"]["klartext"]["counts"]["ads"], 1);
        assert!(lines[1]["error"]
            .as_str()
            .unwrap()
            .starts_with("line too long"));
        assert!(message.contains("<stdin>:2: line too long"), "{message}");
        assert_eq!(lines[2]["id"], "big");
        assert!(lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("`text`: too large for an article: 5000000 bytes"));
        assert!(lines[3]["error"]
            .as_str()
            .unwrap()
            .starts_with("invalid JSON"));
        assert!(message.contains("<stdin>:4: invalid JSON"), "{message}");
        assert!(
            message.contains("<stdin>:5: invalid UTF-8 at byte 10"),
            "{message}"
        );
        // Ids are data, never paths: filter writes no file, whatever they say.
        for (line, id) in [(5, "../../etc/x"), (6, "/tmp/x\u{0}y")] {
            assert_eq!(lines[line]["id"], id);
            assert_eq!(lines[line]["metadata"]["klartext"]["counts"]["ads"], 1);
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
);

clitest!(an_output_already_there_from_elsewhere_is_kept, |dir| {
    dir.create("in/a.txt", ARTICLE);
    dir.create("in/b.txt", ARTICLE);
    dir.create("out/a.txt", "written by someone else\n");
    let out = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let lines = manifest(&dir, "out");
    assert!(
        lines[0]["status"].as_str().unwrap().ends_with(
            "out/a.txt exists; pass --force to overwrite it or --skip-existing to keep it"
        ),
        "{}",
        lines[0]
    );
    assert_eq!(lines[1]["status"], "ok");
    assert_eq!(dir.read("out/a.txt"), "written by someone else\n");
    assert!(!dir.path().join("out/a.json").exists());
});

#[cfg(unix)]
clitest!(outputs_get_the_permissions_of_any_new_file, |dir| {
    use std::os::unix::fs::PermissionsExt;
    dir.create("in/a.txt", ARTICLE);
    let out = dir.klartext(&["clean", "in", "--out", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // A file made the ordinary way gets 0666 less the umask; outputs are to be shared alike,
    // not owner-only as temporary files are.
    let ordinary = dir.create("ordinary", "x");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    for output in ["out/a.txt", "out/a.json", "out/manifest.jsonl"] {
        assert_eq!(mode(&dir.path().join(output)), mode(&ordinary), "{output}");
    }
});
