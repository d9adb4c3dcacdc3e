//! Loading a large rule set: the built-in rule files plus one file of 10,000 generated cue
//! patterns (alternations, case-insensitive words, anchored calls to action, in the shapes the
//! real rules use). Run with `cargo bench --bench rules`; the target is well under a second.
//! Patterns are compiled on first use ([`klartext::rules::Pattern`]); the second benchmark
//! shows what compiling all of them costs.

use std::fmt::Write;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use klartext::rules::{RuleSet, RuleSource};

/// Rules in the built-in files plus this many generated ones.
const GENERATED_RULES: usize = 10_000;

fn builtin_sources() -> Vec<RuleSource> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| RuleSource {
            name: path.display().to_string(),
            text: std::fs::read_to_string(&path).unwrap(),
        })
        .collect()
}

/// A rules file of `n` patterns, each different.
fn generated(n: usize) -> RuleSource {
    let words = [
        "angebot",
        "gratis",
        "rabatt",
        "depot",
        "newsletter",
        "webinar",
        "ratgeber",
        "aktie",
        "bonus",
        "gutschein",
    ];
    let mut text = String::from("language = \"xx\"\n");
    for i in 0..n {
        let w = words[i % words.len()];
        let pattern = match i % 4 {
            0 => format!(r"(?i)\b(?:{w}{i}|{w}-{i}|{w}_{i}\w*)\b"),
            1 => format!(r"(?i)^(?:jetzt|hier|gleich)\b[^.?]*\b{w}{i}\s*(?:!|→|»)?\s*$"),
            2 => format!(r"\b{w}{i}(?:s|en|er)?\s+(?:sichern|holen|testen)\b"),
            _ => format!(r"(?i)\b(?:nur|heute|sofort)\s+{w}{i}\w*\b"),
        };
        let _ = write!(
            text,
            "\n[[rule]]\nid = \"xx.generated.{i}\"\ncategory = \"other\"\nweight = 0.5\npattern = '{pattern}'\n"
        );
    }
    RuleSource {
        name: "rules/xx.toml".into(),
        text,
    }
}

fn bench(c: &mut Criterion) {
    let mut sources = builtin_sources();
    sources.push(generated(GENERATED_RULES));
    let loaded = RuleSet::from_sources(sources.clone()).expect("the generated rules load");
    assert!(loaded.rules().len() > GENERATED_RULES);
    let mut group = c.benchmark_group("rules");
    group.sample_size(10);
    group.bench_function("load_10000_patterns", |b| {
        b.iter(|| {
            RuleSet::from_sources(sources.clone())
                .unwrap()
                .rules()
                .len()
        })
    });
    // What loading defers: compiling every pattern, as a run whose articles are all in the
    // generated language would on its first article.
    group.bench_function("load_and_compile_10000_patterns", |b| {
        b.iter(|| {
            let rules = RuleSet::from_sources(sources.clone()).unwrap();
            rules
                .rules()
                .iter()
                .filter(|r| r.pattern.regex().is_match("jetzt angebot7 sichern"))
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
