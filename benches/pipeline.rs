//! Throughput of the pipeline and of its stages on the bundled corpus (German and English
//! articles with and without ads). Run with `cargo bench`; criterion prints bytes per second.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use klartext::{clean, sentences, structure, RuleSet};

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

criterion_group!(benches, bench);
criterion_main!(benches);
