//! Throughput of the pipeline and of its stages. Run with `cargo bench --bench pipeline`;
//! criterion prints bytes per second.
//!
//! - `pipeline`: the bundled corpus (German and English articles with and without ads), per
//!   language: the whole pipeline, sentence splitting, structure and sentences.
//! - `generated`: `KLARTEXT_BENCH_MB` MB (default 4) of articles generated from the corpus (all
//!   four languages, ads included, varied lengths; see `generator`): sentence splitting
//!   (`split_text`), the cues of every sentence (`features::extract`, given the structure and
//!   sentences), labelling (`labels::decode`, given the scores) and the whole pipeline
//!   (`clean`). Every stage counts the bytes of all the articles, so their MB/s add up as
//!   times: 1/clean ≈ the sum of 1/stage over all stages.

mod generator;

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use klartext::{clean, features, labels, lang, sentences, structure, RuleSet};

fn corpus(lang: &str) -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(lang);
    let mut texts: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            (path.extension()? == "txt").then(|| std::fs::read_to_string(path).unwrap())
        })
        .collect();
    texts.sort();
    texts
}

fn bench(c: &mut Criterion) {
    let rules = RuleSet::builtin();
    let mut group = c.benchmark_group("pipeline");
    for lang in ["de", "en"] {
        let texts = corpus(lang);
        let bytes: usize = texts.iter().map(String::len).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_with_input(BenchmarkId::new("clean", lang), &texts, |b, texts| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|t| clean(t, &rules).ads.len())
                    .sum::<usize>()
            })
        });
        group.bench_with_input(BenchmarkId::new("split_text", lang), &texts, |b, texts| {
            b.iter(|| {
                texts
                    .iter()
                    .map(|t| sentences::split_text(t, lang, &rules).len())
                    .sum::<usize>()
            })
        });
        group.bench_with_input(
            BenchmarkId::new("structure+sentences", lang),
            &texts,
            |b, texts| {
                b.iter(|| {
                    texts
                        .iter()
                        .map(|t| {
                            sentences::segment(t, &structure::parse(t, lang, &rules), lang, &rules)
                                .len()
                        })
                        .sum::<usize>()
                })
            },
        );
    }
    group.finish();
}

/// An article made ready for one stage: what the stages before it produce.
struct Prepared {
    text: String,
    language: String,
    structure: structure::Structure,
    sentences: Vec<klartext::Sentence>,
    scores: Vec<f64>,
    context: labels::Context,
}

fn prepare(text: String, rules: &RuleSet) -> Prepared {
    let language = lang::detect(&text, rules).code;
    let structure = structure::parse(&text, &language, rules);
    let sentences = sentences::segment(&text, &structure, &language, rules);
    let features = features::extract(&text, &structure, &sentences, &language, rules);
    let scores: Vec<f64> = features.iter().map(|f| f.score).collect();
    let context = labels::Context::new(&structure, &sentences, &features, rules);
    Prepared {
        text,
        language,
        structure,
        sentences,
        scores,
        context,
    }
}

fn bench_generated(c: &mut Criterion) {
    let rules = RuleSet::builtin();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let articles: Vec<Prepared> = generator::articles(&corpus, generator::bytes_from_env(), 8)
        .into_iter()
        .map(|a| prepare(a, &rules))
        .collect();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    let mut group = c.benchmark_group("generated");
    // One iteration goes over all the articles (4 MB take about a second through `clean`):
    // criterion's fewest samples keep `cargo bench` quick.
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes as u64));
    let name = format!("{:.1} MB", bytes as f64 / 1e6);
    group.bench_function(BenchmarkId::new("split_text", &name), |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| sentences::split_text(&a.text, &a.language, &rules).len())
                .sum::<usize>()
        })
    });
    group.bench_function(BenchmarkId::new("features", &name), |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| {
                    features::extract(&a.text, &a.structure, &a.sentences, &a.language, &rules)
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function(BenchmarkId::new("labels", &name), |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| labels::decode(&a.scores, &a.sentences, &a.context, rules.weights()).len())
                .sum::<usize>()
        })
    });
    group.bench_function(BenchmarkId::new("clean", &name), |b| {
        b.iter(|| {
            articles
                .iter()
                .map(|a| clean(&a.text, &rules).ads.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench, bench_generated);
criterion_main!(benches);
