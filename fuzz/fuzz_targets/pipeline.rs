//! The whole pipeline on arbitrary bytes, by both ways in: as an article file (decode, clean,
//! metadata) and as a JSONL stream (`klartext filter`). Any panic is a bug; so is an ad span
//! that is not inside the text or overlaps the one before.

#![no_main]

use std::sync::OnceLock;

use klartext::output::Metadata;
use klartext::records::{self, Filter, FilterOptions, RepeatSource};
use klartext::repeats::DEFAULT_MIN_ARTICLES;
use klartext::{batch, RuleSet};
use libfuzzer_sys::fuzz_target;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = batch::decode(data.to_vec()) {
        let article = klartext::clean(&text, rules());
        let mut end = 0;
        for ad in &article.ads {
            assert!(end <= ad.span.start && ad.span.start < ad.span.end);
            assert!(ad.span.end <= text.len());
            end = ad.span.end;
        }
        let meta = Metadata::new("fuzz", &text, &article);
        serde_json::to_vec(&meta).expect("metadata serializes");
    }
    // As `klartext filter` runs: repeats counted per window, dolma attribute lines beside.
    let options = FilterOptions::default();
    let stage = Filter::new(&options, rules())
        .with_repeats(RepeatSource::Window(8), DEFAULT_MIN_ARTICLES, true)
        .with_dolma_attributes();
    let (mut out, mut side) = (Vec::new(), Vec::new());
    records::stream(
        "fuzz",
        data,
        &mut out,
        Some(&mut side),
        false,
        &stage,
        &mut |_| {},
    )
    .expect("writing to memory does not fail");
    // One line out per line in (a last line without a newline counts).
    let newlines = |bytes: &[u8]| bytes.iter().filter(|&&b| b == b'\n').count();
    let lines = newlines(data) + usize::from(!data.is_empty() && !data.ends_with(b"\n"));
    assert_eq!(newlines(&out), lines);
    assert_eq!(newlines(&side), lines);
});
