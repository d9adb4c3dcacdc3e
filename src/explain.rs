//! A terminal account of how one article was read: its language, title and dateline, then
//! every block with its sentences, each marked with its label, score and the cues that fired,
//! and every removed passage announced with its category.
//!
//! [`render_styled`] writes ANSI styles (colour by category, dimmed structure); the caller
//! decides whether they reach the terminal (`klartext explain` passes them through
//! `anstream`, which drops them when stdout is not a terminal, under `NO_COLOR`, or with
//! `--color never`). [`render`] is the same text without styles.

use std::fmt::Write;

use anstyle::{AnsiColor, Effects, Style};

use crate::article::CleanArticle;
use crate::labels::Label;
use crate::rules::{Category, RuleSet};
use crate::structure::BlockKind;

/// The terminal colour of a category: the same category always looks the same, and the two
/// most frequent ones (lead magnets, trading) stand far apart.
pub fn category_style(category: Category) -> Style {
    let color = match category {
        Category::LeadMagnet => AnsiColor::Magenta,
        Category::Trading => AnsiColor::Yellow,
        Category::Newsletter => AnsiColor::Blue,
        Category::Event => AnsiColor::Cyan,
        Category::Subscription => AnsiColor::BrightBlue,
        Category::Affiliate => AnsiColor::BrightYellow,
        Category::App => AnsiColor::BrightCyan,
        Category::Social => AnsiColor::BrightMagenta,
        Category::SponsoredLabel => AnsiColor::Red,
        Category::RelatedLink => AnsiColor::BrightGreen,
        Category::Other => AnsiColor::BrightRed,
    };
    Style::new().fg_color(Some(color.into()))
}

const DIM: Style = Style::new().effects(Effects::DIMMED);
const BOLD: Style = Style::new().effects(Effects::BOLD);
const RULE_ID: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Cyan)));
const PROMO_WEIGHT: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const EDITORIAL_WEIGHT: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));

/// `text` wrapped in `style` (its ANSI start and reset codes).
fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// The account without styles: what [`render_styled`] shows, as plain text.
pub fn render(text: &str, article: &CleanArticle, rules: &RuleSet) -> String {
    anstream::adapter::strip_str(&render_styled(text, article, rules)).to_string()
}

/// The account with ANSI styles.
///
/// After a header (language, title, dateline, the ads found and the share of text removed),
/// each block is shown as `[paragraph]` or `[heading]`, then its sentences: `AD` for promo,
/// `ok` for editorial, each with the margin the decoder weighed (score minus bias, plus support
/// from its paragraph), and below it the cues that fired with their weighted contribution and
/// the facts of its context that the decoder weighs ([`context_facts`]). Each
/// ad is announced before its first sentence with its number, category and score, and its
/// sentences are coloured by category.
pub fn render_styled(text: &str, article: &CleanArticle, rules: &RuleSet) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} ({:.2})",
        paint(BOLD, "language:"),
        article.language.code,
        article.language.confidence
    );
    if let Some(title) = article.title(text) {
        let _ = writeln!(out, "{}    {title}", paint(BOLD, "title:"));
    }
    if let Some(d) = &article.structure.dateline {
        let _ = writeln!(
            out,
            "{} {} -> {}",
            paint(BOLD, "dateline:"),
            d.text,
            d.datetime.as_deref().unwrap_or("?")
        );
    }
    let ads: Vec<String> = article
        .ads
        .iter()
        .map(|ad| {
            paint(
                category_style(ad.category),
                format!("{} {:.2}", ad.category.name(), ad.score),
            )
        })
        .collect();
    let promo = article
        .labels
        .iter()
        .filter(|l| **l == Label::Promo)
        .count();
    let chars_in = text.chars().count();
    let removed = if chars_in == 0 {
        0.0
    } else {
        100.0 * (1.0 - article.clean_text.chars().count() as f64 / chars_in as f64)
    };
    let _ = writeln!(
        out,
        "{}      {}{}; {promo} of {} sentences, {removed:.1}% of the text removed",
        paint(BOLD, "ads:"),
        article.ads.len(),
        if ads.is_empty() {
            String::new()
        } else {
            format!(" ({})", ads.join(", "))
        },
        article.sentences.len(),
    );

    let scores: Vec<f64> = article.features.iter().map(|f| f.score).collect();
    let context = crate::labels::Context::new(
        &article.structure,
        &article.sentences,
        &article.features,
        rules,
    );
    let emissions =
        crate::labels::emissions(&scores, &article.sentences, &context, rules.weights());
    let mut block = usize::MAX;
    let mut category = None;
    for (i, sentence) in article.sentences.iter().enumerate() {
        if sentence.block != block {
            block = sentence.block;
            let kind = match article.structure.blocks[block].kind {
                BlockKind::Heading => "heading",
                BlockKind::Paragraph => "paragraph",
                BlockKind::Title => "title",
            };
            let _ = writeln!(out, "\n{}", paint(DIM, format!("[{kind}]")));
        }
        if let Some((n, ad)) = article
            .ads
            .iter()
            .enumerate()
            .find(|(_, ad)| ad.sentences.start == i)
        {
            category = Some(ad.category);
            let _ = writeln!(
                out,
                "  {}",
                paint(
                    category_style(ad.category).effects(Effects::BOLD),
                    format!(
                        ">>> ad {} of {}: {} (score {:.2})",
                        n + 1,
                        article.ads.len(),
                        ad.category.name(),
                        ad.score
                    )
                )
            );
        }
        let sentence_text = sentence.span.of(text);
        let line = if article.labels[i] == Label::Promo {
            let style = category.map_or(Style::new(), category_style);
            format!(
                "  {} {:+.2} | {}",
                paint(style.effects(Effects::BOLD), "AD"),
                emissions[i],
                paint(style, sentence_text)
            )
        } else {
            format!(
                "  {} {} | {sentence_text}",
                paint(DIM, "ok"),
                paint(DIM, format!("{:+.2}", emissions[i]))
            )
        };
        let _ = writeln!(out, "{line}");
        let cues: Vec<String> = article.features[i]
            .cues
            .iter()
            .map(|c| {
                let rule = &rules.rules()[c.rule];
                let weight = rule.weight * c.strength;
                let weight_style = if weight >= 0.0 {
                    PROMO_WEIGHT
                } else {
                    EDITORIAL_WEIGHT
                };
                format!(
                    "{} {}",
                    paint(RULE_ID, &rule.id),
                    paint(weight_style, format!("{weight:+.2}"))
                )
            })
            .collect();
        if !cues.is_empty() {
            let _ = writeln!(
                out,
                "           {} {}",
                paint(DIM, "cues:"),
                cues.join(", ")
            );
        }
        let facts = context_facts(&context, i);
        if !facts.is_empty() {
            let _ = writeln!(
                out,
                "           {} {}",
                paint(DIM, "context:"),
                paint(DIM, facts.join(", "))
            );
        }
    }
    out
}

/// What the decoder knows of sentence `i` besides its cues ([`crate::labels::Context`]), named
/// as a reader would check it: a sentence that stays though it pitches is often one on the
/// story's topic or quoting someone, and one that goes though it is neutral often shares a word
/// only with the block below.
fn context_facts(context: &crate::labels::Context, i: usize) -> Vec<&'static str> {
    let flag = |facts: &[bool]| facts[i];
    [
        (flag(&context.on_topic), "on the story's topic"),
        (flag(&context.quotes_speech), "quotes speech"),
        (flag(&context.opens_insert), "opens an insert"),
        (flag(&context.publisher_voice), "publisher's voice"),
        (flag(&context.names_offer), "names an offer"),
        (
            flag(&context.echo_below_only),
            "shares a word only with the block below",
        ),
    ]
    .into_iter()
    .filter_map(|(holds, name)| holds.then_some(name))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_rendering_has_no_escapes_and_styled_rendering_colours_the_ad() {
        let rules = RuleSet::builtin();
        let text = "Stadt baut neue Brücke\n\
                    Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
                    Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n";
        let article = crate::clean(text, &rules);
        assert_eq!(article.ads.len(), 1);
        let plain = render(text, &article, &rules);
        assert!(!plain.contains('\x1b'), "{plain}");
        assert!(plain.contains(">>> ad 1 of 1: newsletter"), "{plain}");
        assert!(plain.contains("  AD "), "{plain}");
        let styled = render_styled(text, &article, &rules);
        let newsletter = category_style(Category::Newsletter).render().to_string();
        assert!(
            styled.contains(&format!("{newsletter}Jetzt kostenlos abonnieren")),
            "the ad's sentence is coloured by its category: {styled:?}"
        );
    }
}
