//! A plain-text account of how one article was read: its language, title and dateline, then
//! every block with its sentences, each marked with its label, score and the cues that fired.

use std::fmt::Write;

use crate::article::CleanArticle;
use crate::labels::Label;
use crate::rules::RuleSet;
use crate::structure::BlockKind;

/// Renders the account. Promo sentences are marked `AD`, editorial ones `ok`, each with the
/// margin the decoder weighed (score minus bias, plus support from its paragraph); each ad span
/// is announced with its category and score before its first sentence.
pub fn render(text: &str, article: &CleanArticle, rules: &RuleSet) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "language: {} ({:.2})",
        article.language.code, article.language.confidence
    );
    if let Some(title) = article.title(text) {
        let _ = writeln!(out, "title:    {title}");
    }
    if let Some(d) = &article.structure.dateline {
        let _ = writeln!(
            out,
            "dateline: {} -> {}",
            d.text,
            d.datetime.as_deref().unwrap_or("?")
        );
    }
    let scores: Vec<f64> = article.features.iter().map(|f| f.score).collect();
    let emissions = crate::labels::emissions(&scores, &article.sentences, rules.weights());
    let mut block = usize::MAX;
    for (i, sentence) in article.sentences.iter().enumerate() {
        if sentence.block != block {
            block = sentence.block;
            let kind = match article.structure.blocks[block].kind {
                BlockKind::Heading => "heading",
                BlockKind::Paragraph => "paragraph",
                BlockKind::Title => "title",
            };
            let _ = writeln!(out, "\n[{kind}]");
        }
        if let Some(ad) = article.ads.iter().find(|ad| ad.sentences.start == i) {
            let _ = writeln!(
                out,
                "  >>> ad: {} (score {:.2})",
                ad.category.name(),
                ad.score
            );
        }
        let f = &article.features[i];
        let mark = if article.labels[i] == Label::Promo {
            "AD"
        } else {
            "ok"
        };
        let cues: Vec<String> = f
            .cues
            .iter()
            .map(|c| {
                format!(
                    "{} {:+.2}",
                    rules.rules()[c.rule].id,
                    rules.rules()[c.rule].weight * c.strength
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "  {mark} {:+.2} | {}",
            emissions[i],
            sentence.span.of(text)
        );
        if !cues.is_empty() {
            let _ = writeln!(out, "           cues: {}", cues.join(", "));
        }
    }
    out
}
