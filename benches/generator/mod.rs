//! Realistic input for the benches: N MB of articles built from `corpus/` (German, English,
//! French and Spanish, ads included), deterministic for a seed.
//!
//! Each article is a corpus article picked at random with its title and first two blocks in
//! place and the other blocks shuffled; a quarter are cut to a third of their body (short), a
//! fifth get the body of a second article of the same language appended (long). This is the
//! recipe of `benches/throughput.sh`'s generator, so the criterion benches and the script
//! measure the same kind of text (the two draw different random numbers).

use std::path::Path;

use rand::seq::{IndexedRandom, SliceRandom};
use rand::{RngExt, SeedableRng};

/// A corpus article: its language and its non-empty lines (the title, then the blocks).
struct Source {
    language: String,
    blocks: Vec<String>,
}

fn sources(corpus: &Path) -> Vec<Source> {
    let mut paths: Vec<_> = std::fs::read_dir(corpus)
        .unwrap_or_else(|e| panic!("{}: {e}", corpus.display()))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .flat_map(|dir| {
            std::fs::read_dir(dir.path())
                .unwrap()
                .filter_map(|e| e.ok())
        })
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap();
            Source {
                language: path
                    .parent()
                    .unwrap()
                    .file_name()
                    .unwrap()
                    .to_string_lossy()
                    .into(),
                blocks: text
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

/// The texts of articles made from the corpus under `corpus`, until `bytes` of text are
/// generated.
pub fn articles(corpus: &Path, bytes: usize, seed: u64) -> Vec<String> {
    let sources = sources(corpus);
    assert!(
        !sources.is_empty(),
        "no articles in {}/*/*.txt",
        corpus.display()
    );
    let mut rng = rand_xorshift::XorShiftRng::seed_from_u64(seed);
    let mut out = Vec::new();
    let mut written = 0;
    while written < bytes {
        let source = sources.choose(&mut rng).expect("not empty");
        let split = source.blocks.len().min(3);
        let (head, rest) = source.blocks.split_at(split);
        let mut body: Vec<&String> = rest.iter().collect();
        let shape: f64 = rng.random();
        if shape < 0.25 {
            body.truncate((body.len() / 3).max(1));
        } else if shape >= 0.8 {
            let same: Vec<&Source> = sources
                .iter()
                .filter(|s| s.language == source.language)
                .collect();
            let second = same.choose(&mut rng).expect("the source itself");
            body.extend(second.blocks.iter().skip(3));
        }
        body.shuffle(&mut rng);
        let mut text = String::new();
        for block in head.iter().chain(body) {
            text.push_str(block);
            text.push_str("\n\n");
        }
        text.truncate(text.len() - 1);
        written += text.len();
        out.push(text);
    }
    out
}

/// The size to generate: `KLARTEXT_BENCH_MB` megabytes (10^6 bytes), 4 unless set.
pub fn bytes_from_env() -> usize {
    let mb = match std::env::var("KLARTEXT_BENCH_MB") {
        Ok(value) => value
            .parse::<f64>()
            .unwrap_or_else(|_| panic!("KLARTEXT_BENCH_MB must be a number of MB, not {value:?}")),
        Err(_) => 4.0,
    };
    (mb * 1e6) as usize
}
