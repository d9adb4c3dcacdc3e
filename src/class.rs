//! Article classes: whether an article is clean, carries promotional inserts, or is itself
//! promotional. Decided here only ([`classify`]), from what the pipeline found.
//!
//! - `clean`: no ad was found.
//! - `contains_promo`: editorial text with one or more ads in it.
//! - `advertorial`: the article as a whole is promotional. Either it is labelled so at the top
//!   (its title carries a sponsored label such as "Anzeige:" or "Sponsored |", or one of the
//!   first [`LABEL_BLOCKS`] body lines is such a label and labels no insert of its own: the ad
//!   found there is the label line alone), or the ads found make up at least
//!   [`ADVERTORIAL_SHARE`] of its body text. A label further down, or one at the top that opens
//!   an insert (a product box), labels that insert, not the article. What counts as a label is
//!   data: the rules of category `sponsored_label`.
//!
//! klartext removes from an advertorial only the passages it found; the rest of its text is
//! still promotional, so corpus builders drop such articles by their class.

use serde::Serialize;

use crate::article::CleanArticle;
use crate::labels::Label;
use crate::rules::{Category, RuleSet};
use crate::structure::BlockKind;

/// What an article is as a whole. Serialized in snake case (`contains_promo`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArticleClass {
    Clean,
    ContainsPromo,
    Advertorial,
}

impl ArticleClass {
    pub fn name(self) -> &'static str {
        match self {
            ArticleClass::Clean => "clean",
            ArticleClass::ContainsPromo => "contains_promo",
            ArticleClass::Advertorial => "advertorial",
        }
    }
}

/// How many body lines after the title a sponsored label may stand on to label the whole
/// article (a byline or a dateline line may come first).
pub const LABEL_BLOCKS: usize = 2;

/// The share of the body text (characters of its sentences) that, when found promotional,
/// makes the article an advertorial rather than an article with inserts.
pub const ADVERTORIAL_SHARE: f64 = 0.5;

/// Characters that separate a label from the rest of a title ("Anzeige: …", "… | Sponsored").
const TITLE_SEPARATORS: &[char] = &[':', '|', '–', '—', ']', '['];

/// The class of one cleaned article.
pub fn classify(text: &str, article: &CleanArticle, rules: &RuleSet) -> ArticleClass {
    let is_label = |s: &str| rules.is_label(s);
    if let Some(title) = article.title(text) {
        let head = title.split(TITLE_SEPARATORS).next().unwrap_or("");
        let tail = title.rsplit(TITLE_SEPARATORS).next().unwrap_or("");
        if is_label(title) || is_label(head) || is_label(tail) {
            return ArticleClass::Advertorial;
        }
    }
    let top_blocks: Vec<usize> = article
        .structure
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind != BlockKind::Title)
        .map(|(i, _)| i)
        .take(LABEL_BLOCKS)
        .collect();
    let is_label_sentence = |i: usize| {
        article.features[i].cues.iter().any(|cue| {
            let rule = &rules.rules()[cue.rule];
            rule.category == Some(Category::SponsoredLabel) && rule.weight > 0.0
        })
    };
    // A label at the top labels the article when the ad found there is the label line alone;
    // when the ad goes on past it (a label over a product box), it labels that insert.
    let labelled_at_top = article.ads.iter().any(|ad| {
        let block = article.sentences[ad.sentences.start].block;
        top_blocks.contains(&block)
            && ad
                .sentences
                .clone()
                .all(|i| article.sentences[i].block == block)
            && ad.sentences.clone().any(is_label_sentence)
    });
    if labelled_at_top {
        return ArticleClass::Advertorial;
    }
    if article.ads.is_empty() {
        return ArticleClass::Clean;
    }
    let (mut promo, mut body) = (0usize, 0usize);
    for (sentence, label) in article.sentences.iter().zip(&article.labels) {
        let chars = sentence.span.of(text).chars().count();
        body += chars;
        if *label == Label::Promo {
            promo += chars;
        }
    }
    if body > 0 && promo as f64 >= ADVERTORIAL_SHARE * body as f64 {
        ArticleClass::Advertorial
    } else {
        ArticleClass::ContainsPromo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(text: &str) -> ArticleClass {
        let rules = RuleSet::builtin();
        let article = crate::article::clean(text, &rules);
        classify(text, &article, &rules)
    }

    const EDITORIAL: &str =
        "Die Stadt baut eine neue Brücke über den Fluss. Die Arbeiten beginnen im Mai.\n\
        Die Kosten liegen bei zwölf Millionen Euro. Der Rat hat zugestimmt.\n\
        Anwohner rechnen mit Umleitungen während der Bauzeit.\n";

    #[test]
    fn an_article_without_ads_is_clean() {
        assert_eq!(
            class(&format!("Stadt baut neue Brücke\n{EDITORIAL}")),
            ArticleClass::Clean
        );
    }

    #[test]
    fn an_insert_in_editorial_text_is_contains_promo() {
        let text = format!(
            "Stadt baut neue Brücke\n{EDITORIAL}Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n"
        );
        assert_eq!(class(&text), ArticleClass::ContainsPromo);
    }

    #[test]
    fn a_label_in_the_title_or_at_the_top_makes_an_advertorial() {
        for text in [
            format!("Anzeige: Stadt baut neue Brücke\n{EDITORIAL}"),
            format!("Stadt baut neue Brücke | Sponsored\n{EDITORIAL}"),
            format!("Stadt baut neue Brücke\nAnzeige\n{EDITORIAL}"),
            format!("Stadt baut neue Brücke\nVon Anna Berger\nPublireportage\n{EDITORIAL}"),
        ] {
            assert_eq!(class(&text), ArticleClass::Advertorial, "{text}");
        }
    }

    #[test]
    fn a_label_at_the_top_over_an_insert_labels_the_insert() {
        let text = format!(
            "Stadt baut neue Brücke\nSponsored\nUnser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n{EDITORIAL}"
        );
        assert_eq!(class(&text), ArticleClass::ContainsPromo);
    }

    #[test]
    fn a_label_further_down_labels_an_insert_only() {
        let text = format!(
            "Stadt baut neue Brücke\n{EDITORIAL}Anzeige\nUnser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n"
        );
        assert_eq!(class(&text), ArticleClass::ContainsPromo);
    }

    #[test]
    fn an_article_mostly_removed_is_an_advertorial() {
        let text = "Sparen leicht gemacht\n\
            Die Stadt hat einen neuen Spielplatz.\n\
            Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten. Jetzt kostenlos abonnieren\n\
            Sichern Sie sich jetzt Ihr kostenloses E-Book mit den besten Spartipps. Jetzt gratis herunterladen\n";
        assert_eq!(class(text), ArticleClass::Advertorial);
    }
}
