//! Runs `klartext clean` on the whole bundled corpus and checks every article against its
//! annotation (`corpus/README.md`): the clean text derived from the annotation, the language,
//! the title, the dateline, the headings, and the number and categories of the ads.

use std::path::{Path, PathBuf};

use crate::util::{lines, repo, Dir};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Gold {
    language: String,
    title: String,
    dateline: Option<String>,
    datetime: Option<String>,
    #[serde(default)]
    headings: Vec<String>,
    #[serde(default)]
    ad: Vec<GoldAd>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GoldAd {
    category: String,
    text: String,
}

/// The expected clean text: the article with every ad and the dateline cut out, lines trimmed,
/// the pieces on both sides of a cut inside a line joined with one space, empty lines dropped.
fn derive_clean(text: &str, cuts: &[&str]) -> Vec<String> {
    let mut spans: Vec<(usize, usize)> = cuts
        .iter()
        .map(|c| {
            let start = text
                .find(c)
                .unwrap_or_else(|| panic!("annotation not in article: {c}"));
            (start, start + c.len())
        })
        .collect();
    spans.sort();
    let mut marked = String::new();
    let mut at = 0;
    for (start, end) in spans {
        marked.push_str(&text[at..start]);
        marked.push('\0');
        at = end;
    }
    marked.push_str(&text[at..]);
    marked
        .split('\n')
        .map(|line| {
            line.split('\0')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|l| !l.is_empty())
        .collect()
}

fn annotated_articles(root: &Path) -> Vec<(PathBuf, Gold)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let path = entry.unwrap().into_path();
        let name = path.to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".gold.toml") {
            let gold: Gold = toml::from_str(&std::fs::read_to_string(&path).unwrap())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            out.push((PathBuf::from(format!("{stem}.txt")), gold));
        }
    }
    out
}

#[test]
fn every_corpus_article_comes_out_as_annotated() {
    let root = repo().join("corpus");
    let dir = Dir::new();
    let out = dir.path().join("out");
    let result = dir.klartext(&[
        "clean",
        root.to_str().unwrap(),
        "--ext",
        "txt",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        result.status.success(),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );

    let articles = annotated_articles(&root);
    assert!(
        articles.len() >= 12,
        "the corpus has {} annotated articles",
        articles.len()
    );
    let mut failures = Vec::new();
    let mut differing = 0;
    for (article, gold) in &articles {
        let failures_before = failures.len();
        let rel = article.strip_prefix(&root).unwrap().with_extension("");
        let text = std::fs::read_to_string(article).unwrap();
        let mut cuts: Vec<&str> = gold.ad.iter().map(|a| a.text.as_str()).collect();
        cuts.extend(gold.dateline.as_deref());
        let expected = derive_clean(&text, &cuts);
        let got = lines(&std::fs::read_to_string(out.join(rel.with_extension("txt"))).unwrap());
        let meta: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(out.join(rel.with_extension("json"))).unwrap(),
        )
        .unwrap();

        let name = rel.display();
        if got != expected {
            let missing: Vec<_> = expected.iter().filter(|l| !got.contains(l)).collect();
            let extra: Vec<_> = got.iter().filter(|l| !expected.contains(l)).collect();
            failures.push(format!("{name}: clean text differs\n  expected lines missing: {missing:#?}\n  unexpected lines: {extra:#?}"));
        }
        let categories: Vec<serde_json::Value> =
            gold.ad.iter().map(|a| a.category.clone().into()).collect();
        let got_categories: Vec<serde_json::Value> = meta["ads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["category"].clone())
            .collect();
        let fields: [(&str, &serde_json::Value, serde_json::Value); 6] = [
            ("language", &meta["language"], gold.language.clone().into()),
            ("title", &meta["title"], gold.title.clone().into()),
            (
                "dateline",
                &meta["dateline"]["text"],
                gold.dateline.clone().into(),
            ),
            (
                "datetime",
                &meta["dateline"]["datetime"],
                gold.datetime.clone().into(),
            ),
            ("headings", &meta["headings"], gold.headings.clone().into()),
            ("ad categories", &got_categories.into(), categories.into()),
        ];
        for (what, got, want) in fields {
            if *got != want {
                failures.push(format!("{name}: {what} is {got}, annotated {want}"));
            }
        }
        if failures.len() > failures_before {
            differing += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} articles differ:\n{}",
        differing,
        articles.len(),
        failures.join("\n")
    );
}

#[test]
fn the_seed_matches_the_shared_expected_text_when_it_is_there() {
    let shared = repo().join("../shared/seed");
    let corpus_copy = repo().join("corpus/de/amazon-ki-wettlauf.txt");
    // The corpus holds a copy of the seed; when the shared original is beside the repository,
    // the two must agree and the output must equal the expected file.
    let expected = match std::fs::read_to_string(shared.join("amazon-ki-wettlauf.expected.txt")) {
        Ok(text) => text,
        Err(_) => {
            eprintln!("../shared/seed is not beside the repository; the corpus copy is checked by the corpus test");
            return;
        }
    };
    assert_eq!(
        std::fs::read_to_string(shared.join("amazon-ki-wettlauf.txt")).unwrap(),
        std::fs::read_to_string(&corpus_copy).unwrap()
    );
    let dir = Dir::new();
    let result = dir.klartext(&["clean", shared.to_str().unwrap(), "--out", "o"]);
    assert!(result.status.success());
    assert_eq!(
        lines(&dir.read("o/amazon-ki-wettlauf.txt")),
        lines(&expected)
    );
    let meta = dir.json("o/amazon-ki-wettlauf.json");
    assert_eq!(meta["language"], "de");
    assert_eq!(meta["counts"]["ads"], 2);
    assert_eq!(meta["ads"].as_array().unwrap().len(), 2);
    assert_eq!(
        meta["title"],
        "Amazon investiert 200 Milliarden Euro in KI-Wettlauf"
    );
    assert_eq!(meta["dateline"]["datetime"], "2026-02-06T08:41:11");
    let text = std::fs::read_to_string(&corpus_copy).unwrap();
    for ad in meta["ads"].as_array().unwrap() {
        let (start, end) = (
            ad["start"].as_u64().unwrap() as usize,
            ad["end"].as_u64().unwrap() as usize,
        );
        let slice: String = text.chars().skip(start).take(end - start).collect();
        assert_eq!(
            slice,
            ad["text"].as_str().unwrap(),
            "offsets are character offsets into the input"
        );
    }
}
