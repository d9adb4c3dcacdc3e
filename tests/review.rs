//! What lets people see and trust what was removed, from the outside: `explain`, the HTML
//! report of `clean --report`, `rules list` / `rules test`, progress and `--quiet`, `--generate`.
//! (The report rendered in a browser is checked in `report.rs`.)

use std::process::{Command, Output};

use crate::util::{repo, stderr, Dir};

const ARTICLE: &str = "Stadt baut neue Brücke\n\
    Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
    Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n\
    Die Kosten liegen bei zwölf Millionen Euro.\n";

/// An article with a character outside the Basic Multilingual Plane before its ad, so that
/// character offsets and JavaScript's UTF-16 offsets differ.
const EMOJI_ARTICLE: &str = "Ruhiger Tag 😀\n\
    Nichts passiert 😀. Alle bleiben zu Hause.\n\
    Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n";

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `klartext ARGS…` in `dir` with extra environment variables.
fn klartext_with_env(dir: &Dir, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_klartext"));
    command
        .args(args)
        .current_dir(dir.path())
        .env_remove("NO_COLOR");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().unwrap()
}

/// The article data embedded in a report page.
fn report_data(html: &str) -> serde_json::Value {
    let open = "<script type=\"application/json\" id=\"klartext-data\">";
    let start = html.find(open).expect("the data element") + open.len();
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

/// `text[start..end]` in UTF-16 code units, as the page's script slices it.
fn utf16_slice(text: &str, start: usize, end: usize) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start..end]).unwrap()
}

#[test]
fn the_report_is_self_contained_and_holds_every_article_with_its_ads() {
    let dir = Dir::new();
    dir.create("in/a.txt", ARTICLE);
    dir.create("in/sub/emoji.txt", EMOJI_ARTICLE);
    dir.create(
        "in/calm.txt",
        "Ruhiger Tag\nNichts passiert. Alle bleiben zu Hause.\n",
    );
    dir.create("in/broken.txt", b"Titel\n\xff\xfe kaputt\n");
    let out = dir.klartext(&["clean", "in", "--out", "out", "--report", "report.html"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("report in report.html"),
        "{}",
        stderr(&out)
    );
    let html = dir.read("report.html");

    // Self-contained: nothing is fetched from elsewhere.
    for outside in ["src=", "href=\"http", "<link", "@import", "url("] {
        assert!(
            !html.contains(outside),
            "the page refers outside: {outside}"
        );
    }
    assert_eq!(
        html.matches("<script").count(),
        2,
        "the data and one inline script"
    );

    // The summary.
    assert!(
        html.contains("<span class=\"big\">4</span> articles"),
        "articles"
    );
    assert!(html.contains("<span class=\"big\">2</span> ads, in 2 of 3 cleaned articles"));
    assert!(html.contains("<span class=\"big\">1</span> articles not cleaned"));
    assert!(html.contains("Ads per category") && html.contains("Ads per language"));
    assert!(
        html.contains("<code>de.newsletter</code>"),
        "the rules that fired"
    );

    // Every article, in run order, with its class and its ads at the right place.
    let data = report_data(&html);
    let articles = data["articles"].as_array().unwrap();
    let ids: Vec<&str> = articles.iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["a.txt", "broken.txt", "calm.txt", "sub/emoji.txt"]);
    let classes: Vec<&str> = articles
        .iter()
        .map(|a| a["class"].as_str().unwrap())
        .collect();
    // The emoji article is more ad than text: an advertorial by the class rules (src/class.rs).
    assert_eq!(classes, ["contains_promo", "error", "clean", "advertorial"]);
    assert!(articles[1]["error"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
    for (article, meta) in [
        (&articles[0], "out/a.json"),
        (&articles[3], "out/sub/emoji.json"),
    ] {
        let meta = dir.json(meta);
        let text = article["text"].as_str().unwrap();
        let spans = article["spans"].as_array().unwrap();
        assert_eq!(spans.len(), meta["ads"].as_array().unwrap().len());
        for (span, ad) in spans.iter().zip(meta["ads"].as_array().unwrap()) {
            let (start, end) = (span[0].as_u64().unwrap(), span[1].as_u64().unwrap());
            assert_eq!(utf16_slice(text, start as usize, end as usize), ad["text"]);
            assert_eq!(
                data["categories"][span[2].as_u64().unwrap() as usize],
                ad["category"]
            );
            let rules: Vec<&serde_json::Value> = span[4]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| &data["rules"][r.as_u64().unwrap() as usize])
                .collect();
            assert_eq!(
                rules,
                ad["rules"].as_array().unwrap().iter().collect::<Vec<_>>()
            );
        }
    }
}

#[test]
fn the_report_is_never_written_over_an_input_an_output_or_an_earlier_report() {
    let dir = Dir::new();
    let input = dir.create("in/a.txt", ARTICLE);
    let refused = |args: &[&str], why: &str| {
        let out = dir.klartext(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(why), "{args:?}: {}", stderr(&out));
        assert!(!dir.path().join("out").exists(), "{args:?} ran");
    };
    refused(
        &["clean", "in/a.txt", "--out", "out", "--report", "in/a.txt"],
        "is an input",
    );
    refused(
        &["clean", "in", "--out", "out", "--report", "in/a.txt"],
        "inside the input folder",
    );
    refused(
        &["clean", "in", "--out", "out", "--report", "in/report.html"],
        "inside the input folder",
    );
    refused(
        &["clean", "in", "--out", "out", "--report", "out/a.json"],
        "one of the run's own outputs",
    );
    refused(
        &[
            "clean",
            "in",
            "--out",
            "out",
            "--report",
            "out/manifest.jsonl",
        ],
        "one of the run's own outputs",
    );
    assert_eq!(std::fs::read_to_string(&input).unwrap(), ARTICLE);

    dir.create("report.html", "an earlier report\n");
    refused(
        &["clean", "in", "--out", "out", "--report", "report.html"],
        "exists; pass --force",
    );
    assert_eq!(dir.read("report.html"), "an earlier report\n");
    let forced = dir.klartext(&[
        "clean",
        "in",
        "--out",
        "out",
        "--report",
        "report.html",
        "--force",
    ]);
    assert_eq!(forced.status.code(), Some(0), "{}", stderr(&forced));
    assert!(dir.read("report.html").starts_with("<!DOCTYPE html>"));
}

#[test]
fn explain_on_the_seed_shows_both_ads_with_their_cues() {
    let dir = Dir::new();
    let seed = repo().join("corpus/de/amazon-ki-wettlauf.txt");
    let out = dir.klartext(&["explain", seed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("ads:      2 (lead_magnet 0."), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = (0..lines.len())
        .filter(|&i| lines[i].contains(">>> ad "))
        .collect();
    assert_eq!(starts.len(), 2, "{text}");
    for (n, &start) in starts.iter().enumerate() {
        assert!(
            lines[start].contains(&format!(">>> ad {} of 2: lead_magnet (score 0.", n + 1)),
            "{}",
            lines[start]
        );
        // The ad's sentences follow, each marked AD, each with the cues that fired on it.
        let sentence = lines[start + 1];
        assert!(sentence.starts_with("  AD +"), "{sentence}");
        assert!(
            lines[start + 2].trim_start().starts_with("cues: "),
            "{}",
            lines[start + 2]
        );
    }
    assert!(lines[starts[0] + 1].contains("Seit August 2024 gelten neue Regeln"));
    assert!(lines[starts[1] + 1].contains("PS: Wenn Ihr Unternehmen"));
    assert!(
        lines[starts[1] + 2].contains("form.ps_opener +1.30"),
        "{}",
        lines[starts[1] + 2]
    );
    assert!(
        text.contains("AD +2.90 | Kostenlosen KI-Umsetzungsleitfaden herunterladen\n           cues: form.unpunctuated_tail +0.90, de.cta.verb_end +0.70"),
        "{text}"
    );
}

#[test]
fn explain_is_coloured_only_on_request_or_on_a_terminal_without_no_color() {
    let dir = Dir::new();
    dir.create("a.txt", ARTICLE);
    let escapes = |args: &[&str], env: &[(&str, &str)]| {
        let out = klartext_with_env(&dir, args, env);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        stdout(&out).contains('\x1b')
    };
    assert!(!escapes(&["explain", "a.txt"], &[]), "auto, stdout a pipe");
    assert!(escapes(&["explain", "a.txt", "--color", "always"], &[]));
    assert!(
        escapes(
            &["explain", "a.txt", "--color", "always"],
            &[("NO_COLOR", "1")]
        ),
        "the flag wins"
    );
    assert!(!escapes(&["explain", "a.txt", "--color", "never"], &[]));
    assert!(!escapes(
        &["explain", "a.txt", "--color", "auto"],
        &[("NO_COLOR", "1")]
    ));
    let bad = dir.klartext(&["explain", "a.txt", "--color", "sometimes"]);
    assert_eq!(bad.status.code(), Some(2));

    // On a terminal (a pseudo-terminal made by `script`), auto colours unless NO_COLOR is set.
    if let Some(tty) = on_terminal(&dir, "explain a.txt", &[]) {
        assert!(tty.contains("\x1b["), "{tty}");
        let plain = on_terminal(&dir, "explain a.txt", &[("NO_COLOR", "1")]).unwrap();
        assert!(!plain.contains("\x1b["), "{plain}");
    }
}

/// Runs `klartext ARGS` (a shell word list) on a pseudo-terminal with util-linux `script`;
/// returns what the terminal received, or `None` (with a message) when `script` is missing.
fn on_terminal(dir: &Dir, args: &str, env: &[(&str, &str)]) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_klartext");
    let mut command = Command::new("script");
    command
        .args(["-qec", &format!("'{bin}' {args}"), "/dev/null"])
        .current_dir(dir.path())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (key, value) in env {
        command.env(key, value);
    }
    match command.output() {
        Ok(out) => {
            assert!(out.status.success(), "{args}: {}", stderr(&out));
            Some(stdout(&out))
        }
        Err(_) => {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "terminal checks SKIPPED: util-linux `script` not found"
            );
            None
        }
    }
}

#[test]
fn progress_shows_on_a_terminal_only_and_quiet_leaves_nothing_but_errors() {
    let dir = Dir::new();
    for i in 0..3 {
        dir.create(&format!("in/{i}.txt"), ARTICLE);
    }
    // Not a terminal: the summary line and nothing else.
    let piped = dir.klartext(&["clean", "in", "--out", "piped"]);
    assert_eq!(lines_of(&stderr(&piped)).len(), 1, "{}", stderr(&piped));
    assert!(!stderr(&piped).contains("ETA"));
    let quiet = dir.klartext(&["clean", "in", "--out", "quiet", "-q", "--report", "q.html"]);
    assert_eq!(quiet.status.code(), Some(0));
    assert_eq!(stderr(&quiet), "", "--quiet");
    let count = dir.klartext(&["count", "in", "-q"]);
    assert_eq!(stderr(&count), "");
    assert!(
        stdout(&count).contains("TOTAL"),
        "the counts are the result, not chatter"
    );

    let Some(tty) = on_terminal(&dir, "clean in --out tty --report tty.html", &[]) else {
        return;
    };
    assert!(tty.contains("/3 articles") && tty.contains("ETA"), "{tty}");
    assert!(
        tty.contains("report: "),
        "the report has its own bar: {tty}"
    );
    let tty_quiet = on_terminal(&dir, "clean in --out tty-quiet -q", &[]).unwrap();
    assert_eq!(tty_quiet, "", "--quiet on a terminal");
    let counted = on_terminal(&dir, "count in", &[]).unwrap();
    assert!(counted.contains("/3 articles"), "{counted}");
    dir.create(
        "in.jsonl",
        format!("{}\n", serde_json::json!({"text": ARTICLE})),
    );
    let filtered = on_terminal(&dir, "filter in.jsonl", &[]).unwrap();
    assert!(
        filtered.contains(" B/") || filtered.contains("KiB/"),
        "bytes: {filtered}"
    );
    let filtered_quiet = on_terminal(&dir, "filter in.jsonl -q", &[]).unwrap();
    assert!(
        filtered_quiet.starts_with('{'),
        "only the records: {filtered_quiet}"
    );
}

fn lines_of(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

/// A copy of the built-in rules in `dir/rules`, with `extra` appended to `de.toml`.
fn rules_with(dir: &Dir, extra: &str) {
    for entry in std::fs::read_dir(repo().join("rules")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if name == "de.toml" {
            text.push_str(extra);
        }
        dir.create(&format!("rules/{name}"), text);
    }
}

#[test]
fn rules_list_shows_every_rule_and_rules_test_fails_on_a_broken_example() {
    let dir = Dir::new();
    let builtin = dir.klartext(&["rules", "list"]);
    assert_eq!(builtin.status.code(), Some(0));
    let listed = stdout(&builtin);
    let row = listed
        .lines()
        .find(|l| l.starts_with("de.lead_magnet "))
        .unwrap();
    let cells: Vec<&str> = row.split_whitespace().collect();
    assert_eq!(
        cells,
        ["de.lead_magnet", "de", "lead_magnet", "+0.35", "any"]
    );
    let rule_files: usize = std::fs::read_dir(repo().join("rules"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| t.matches("[[rule]]").count())
        .sum();
    let hint_files: usize = std::fs::read_dir(repo().join("rules"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| t.matches("[[hint]]").count())
        .sum();
    assert!(
        listed.ends_with(&format!(
            "\n{rule_files} rules, {hint_files} category hints\n"
        )),
        "{listed}"
    );
    assert!(
        listed
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["hint.app.platform", "common", "app", "0.50"]),
        "{listed}"
    );

    let checked = rule_files + hint_files;
    let tested = dir.klartext(&["rules", "test"]);
    assert_eq!(tested.status.code(), Some(0), "{}", stdout(&tested));
    assert!(stdout(&tested).contains("ok   de.lead_magnet (3 match, 1 no_match)"));
    assert!(stdout(&tested).ends_with(&format!(
        "{checked} rules and hints: {checked} passed, 0 failed\n"
    )));

    rules_with(
        &dir,
        "\n[[rule]]\nid = \"de.test.broken\"\ncategory = \"trading\"\nweight = -0.25\nwhere = \"standalone\"\npattern = 'Depot'\nmatch = [\"Jetzt Depot eröffnen\", \"Ein Konto\"]\nno_match = [\"Das Depot wächst\"]\n",
    );
    let listed = stdout(&dir.klartext(&["rules", "list", "--rules", "rules"]));
    assert!(
        listed
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>()
                == ["de.test.broken", "de", "trading", "-0.25", "standalone"]),
        "{listed}"
    );
    let failed = dir.klartext(&["rules", "test", "--rules", "rules", "--failed"]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        stdout(&failed),
        format!(
            "FAIL de.test.broken\n       should match: Ein Konto\n       should not match: Das Depot wächst\n{} rules and hints: {checked} passed, 1 failed\n",
            checked + 1
        )
    );
    let broken = dir.klartext(&["rules", "test", "--rules", "nowhere"]);
    assert_eq!(broken.status.code(), Some(2), "rules that do not load");
}

#[test]
fn generate_prints_a_man_page_and_completions_for_three_shells() {
    let dir = Dir::new();
    let generated = |what: &str| {
        let out = dir.klartext(&["--generate", what]);
        assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(&out));
        stdout(&out)
    };
    // One page: the top level, then a section per command, nested ones included.
    let man = generated("man");
    assert_eq!(man.matches(".TH klartext").count(), 1, "{man}");
    for command in [
        "CLEAN",
        "FILTER",
        "COUNT",
        "EXPLAIN",
        "SENTENCES",
        "EVAL",
        "TRAIN",
        "RULES LIST",
        "RULES TEST",
    ] {
        assert!(
            man.contains(&format!(".SH \"KLARTEXT {command}\"")),
            "the man page lacks {command}"
        );
    }
    assert!(man.contains("\\fB\\-\\-report\\fR"), "options are listed");
    assert!(
        !man.contains("(1)"),
        "no references to pages that do not exist"
    );
    let bash = generated("complete-bash");
    assert!(
        bash.contains("_klartext()") && bash.contains("--report"),
        "bash"
    );
    let zsh = generated("complete-zsh");
    assert!(zsh.starts_with("#compdef klartext"), "zsh");
    let fish = generated("complete-fish");
    assert!(fish.contains("complete -c klartext"), "fish");
    // The bash script parses.
    let path = dir.create("klartext.bash", &bash);
    if let Ok(check) = Command::new("bash").arg("-n").arg(&path).output() {
        assert!(check.status.success(), "{}", stderr(&check));
    }
    let both = dir.klartext(&["--generate", "man", "count", "x"]);
    assert_eq!(both.status.code(), Some(2), "--generate goes alone");
}
