//! The HTML report of a corpus run, rendered in headless Chromium: every ad of the seed article
//! is highlighted in the rendered page, and the table sorts when its headers are clicked. A
//! screenshot of the page is saved on the way.
//!
//! Needs Chromium (Debian's `chromium`; `KLARTEXT_CHROMIUM` names another binary). Without it
//! the test prints why and passes, unless `KLARTEXT_REQUIRE_CHROMIUM` is set (as `.ci/run`
//! does), when it fails. `KLARTEXT_REPORT_SCREENSHOT=docs/report.png` copies the screenshot
//! there (that is how the README's picture is made).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::{repo, Dir};

const SEED: &str = "de/amazon-ki-wettlauf.txt";

/// Says something on the real stderr: the test harness captures `eprintln!` of passing tests,
/// and a skipped check must not go unnoticed.
fn say(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}

/// The Chromium binary, if there is one.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("KLARTEXT_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs headless Chromium on `url` with `mode` (`--dump-dom` or `--screenshot=…`) and a fresh
/// profile; returns its stdout. Fails the test if it does not finish within three minutes.
fn run_chromium(chromium: &Path, mode: &[&str], url: &str) -> String {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=10000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(mode)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", chromium.display()));
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 3 minutes");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let (out, err) = (reader.join().unwrap(), errors.join().unwrap());
    assert!(status.success(), "chromium failed ({status}):\n{err}");
    out
}

/// The text of the element with `id` in serialized HTML, with the entities the serializer
/// writes in text decoded.
fn element_text(html: &str, id: &str) -> Option<String> {
    let start = html.find(&format!("id=\"{id}\""))?;
    let open_end = start + html[start..].find('>')? + 1;
    let close = open_end + html[open_end..].find("</")?;
    Some(
        html[open_end..close]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&nbsp;", "\u{a0}")
            .replace("&amp;", "&"),
    )
}

fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The ad texts annotated in the seed's gold file.
fn seed_gold_ads() -> Vec<String> {
    let gold: toml::Table =
        std::fs::read_to_string(repo().join("corpus/de/amazon-ki-wettlauf.gold.toml"))
            .unwrap()
            .parse()
            .unwrap();
    gold["ad"]
        .as_array()
        .unwrap()
        .iter()
        .map(|ad| ad["text"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn report_renders_in_chromium_with_the_seed_ads_highlighted_and_a_sortable_table() {
    let Some(chromium) = chromium() else {
        let message = "report_renders_in_chromium: SKIPPED, chromium not found (install Debian's `chromium`, or set KLARTEXT_CHROMIUM)";
        if std::env::var_os("KLARTEXT_REQUIRE_CHROMIUM").is_some() {
            panic!("{message}, and KLARTEXT_REQUIRE_CHROMIUM is set");
        }
        say(message);
        return;
    };
    // Run in the repository, so that the page names its input `corpus`.
    let dir = Dir::new();
    let run = Command::new(env!("CARGO_BIN_EXE_klartext"))
        .args(["clean", "corpus", "--ext", "txt", "--out"])
        .arg(dir.path().join("out"))
        .arg("--report")
        .arg(dir.path().join("report.html"))
        .current_dir(repo())
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let manifest: Vec<serde_json::Value> = dir
        .read("out/manifest.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ads: Vec<u64> = manifest
        .iter()
        .map(|m| m["ads"].as_u64().unwrap())
        .collect();
    let first_id = manifest
        .iter()
        .map(|m| m["id"].as_str().unwrap())
        .min()
        .unwrap();
    let url = format!("file://{}", dir.path().join("report.html").display());

    let dom = run_chromium(
        &chromium,
        &["--dump-dom"],
        &format!("{url}#selftest={SEED}"),
    );
    let result = element_text(&dom, "selftest-result")
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| {
            panic!(
                "the page's self-test wrote no result; the page's script did not run:\n{}",
                &dom[..dom.len().min(2000)]
            )
        });
    let result: serde_json::Value = serde_json::from_str(&result).unwrap();

    say(&format!(
        "report_renders_in_chromium: {} articles, first page rendered {} ms after navigation",
        result["articles"], result["ready_ms"]
    ));

    // The table: every article is there, and clicking headers sorts the whole run, not only the
    // rows on the page (the first row after a sort is the run's minimum or maximum).
    assert_eq!(result["articles"], manifest.len());
    assert_eq!(result["rows"], 25, "one page of rows is rendered");
    let column = |key: &str| -> Vec<u64> {
        result[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect()
    };
    let ascending = column("ads_ascending");
    let descending = column("ads_descending");
    assert!(ascending.windows(2).all(|w| w[0] <= w[1]), "{ascending:?}");
    assert!(
        descending.windows(2).all(|w| w[0] >= w[1]),
        "{descending:?}"
    );
    assert_eq!(ascending[0], *ads.iter().min().unwrap());
    assert_eq!(descending[0], *ads.iter().max().unwrap());
    assert_eq!(result["sort_ads_ascending"], "ascending");
    assert_eq!(result["sort_ads_descending"], "descending");
    let ids: Vec<&str> = result["id_ascending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]), "{ids:?}");
    assert_eq!(ids[0], first_id);

    // The seed: every annotated ad is inside a passage the page shows struck through, on a
    // coloured background, with its reasons in the title.
    let article = &result["article"];
    assert_eq!(
        article["id"], SEED,
        "the seed article was not rendered: {result}"
    );
    let highlighted = article["highlighted"].as_array().unwrap();
    let seed_meta = dir.json("out/de/amazon-ki-wettlauf.json");
    assert_eq!(
        highlighted.len(),
        seed_meta["ads"].as_array().unwrap().len()
    );
    for gold in seed_gold_ads() {
        let gold = squash(&gold);
        let shown = highlighted
            .iter()
            .find(|h| squash(h["text"].as_str().unwrap()).contains(&gold))
            .unwrap_or_else(|| panic!("not highlighted in the page: {gold}\n{highlighted:#?}"));
        assert!(
            shown["decoration"]
                .as_str()
                .unwrap()
                .contains("line-through"),
            "{shown}"
        );
        let background = shown["background"].as_str().unwrap();
        assert!(
            background != "rgba(0, 0, 0, 0)" && background != "transparent",
            "{shown}"
        );
        assert_eq!(shown["visible"], true, "{shown}");
        let title = shown["title"].as_str().unwrap();
        assert!(
            title.starts_with("lead_magnet · score 0.") && title.contains("rules: "),
            "{title}"
        );
    }

    // A screenshot of the first page: the summary, five rows and the seed article.
    let screenshot = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("report.png");
    let _ = std::fs::remove_file(&screenshot);
    run_chromium(
        &chromium,
        &[
            &format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,2000",
        ],
        &format!("{url}#size=5"),
    );
    let png = std::fs::read(&screenshot).expect("chromium saved the screenshot");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1280, 2000));
    say(&format!(
        "report_renders_in_chromium: screenshot in {}",
        screenshot.display()
    ));
    if let Some(copy) = std::env::var_os("KLARTEXT_REPORT_SCREENSHOT") {
        let copy = repo().join(copy);
        std::fs::copy(&screenshot, &copy).unwrap();
        say(&format!(
            "report_renders_in_chromium: copied to {}",
            copy.display()
        ));
    }
}
