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
//!   an insert (a product box), labels that insert, not the article; so does one above a body
//!   that opens with a news agency's place line ("Uelzen (lni) – …", [`opens_as_agency_copy`]):
//!   no agency writes sponsored copy, so the label's own ad was not scraped; and so does one
//!   right above the article's dateline or byline ([`dateline_follows`], [`byline_follows`]):
//!   the label stands in the page above the article's header, where an ad slot sits. What counts as a
//!   label is data: the rules of category `sponsored_label`.
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
    // A sponsor's credit of a named section (`label.section_credit`) credits the desk's
    // standing feature, not the article.
    let is_label_sentence = |i: usize| {
        article.features[i].cues.iter().any(|cue| {
            let rule = &rules.rules()[cue.rule];
            rule.speaks_for(Category::SponsoredLabel) && !rule.id.ends_with(".section_credit")
        })
    };
    // A label at the top labels the article when the ad found there is the label line alone;
    // when the ad goes on past it (a label over a product box), it labels that insert, and over
    // agency copy it labels nothing that was scraped.
    let label_at_top = article.ads.iter().find_map(|ad| {
        let block = article.sentences[ad.sentences.start].block;
        (top_blocks.contains(&block)
            && ad
                .sentences
                .clone()
                .all(|i| article.sentences[i].block == block)
            && ad.sentences.clone().any(is_label_sentence))
        .then_some(block)
    });
    if label_at_top.is_some_and(|block| {
        !opens_as_agency_copy(text, article, block + 1, rules)
            && !dateline_follows(article, block)
            && !byline_follows(text, article, block, rules)
            && !slot_under_byline(text, article, block, rules)
    }) {
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

/// Whether the article's dateline comes right after block `block` (on its own line or glued to
/// the next block): a label there stands above the article's own header, where pages put the
/// slot of an ad that was not scraped; a sponsored article carries its label in its header.
fn dateline_follows(article: &CleanArticle, block: usize) -> bool {
    let (Some(dateline), Some(label)) = (
        &article.structure.dateline,
        article.structure.blocks.get(block),
    ) else {
        return false;
    };
    dateline.span.start >= label.span.end
        && article
            .structure
            .blocks
            .get(block + 1)
            .is_none_or(|next| next.span.start >= dateline.span.start)
}

/// Whether the block right after block `block` is a byline or credit line (`not_headings`:
/// "Von Lena Hartwich | Wohnen & Leben"): like a dateline, it opens the article's own header,
/// so a label above it stands in the page's ad slot, not in the article.
fn byline_follows(text: &str, article: &CleanArticle, block: usize, rules: &RuleSet) -> bool {
    is_byline(text, article, block + 1, rules)
}

/// Whether block `block` is a byline or credit line (`not_headings`).
fn is_byline(text: &str, article: &CleanArticle, block: usize, rules: &RuleSet) -> bool {
    article.structure.blocks.get(block).is_some_and(|b| {
        b.kind != BlockKind::Title
            && rules
                .structure()
                .not_headings
                .is_match(b.span.of(text).trim())
    })
}

/// Whether block `block` is a bare ad-slot line ("Advertisement", `ad_slot` in the rules) right
/// under a byline or credit line: the article's own header ended there, so the line stands in
/// the first ad slot of the body ("By Grace Onyango, Family Editor" over "Advertisement"). A
/// sponsored article names itself so ("Publireportage", "Sponsored content") under its byline.
fn slot_under_byline(text: &str, article: &CleanArticle, block: usize, rules: &RuleSet) -> bool {
    let Some(ad_slot) = &rules.structure().ad_slot else {
        return false;
    };
    block.checked_sub(1).is_some_and(|before| {
        is_byline(text, article, before, rules)
            && ad_slot.is_match(article.structure.blocks[block].span.of(text).trim())
    })
}

/// Whether block `block` opens with a news agency's place line: a place, the agency's tag in
/// brackets (alone or with others: "(dpa/lni)") and a dash.
///
/// The place is a capital and 1 to 40 more letters, dots, spaces, slashes or hyphens
/// (`^\p{Lu}[\p{L}. /-]{1,40}\(`). Those exclude the bracket, so the place is the whole run of
/// them and its length is checked here: compiled as `{1,40}`, the regex crate built forty
/// copies of the automaton of all letters, forward and reverse (77 M instructions, once per
/// process).
fn opens_as_agency_copy(text: &str, article: &CleanArticle, block: usize, rules: &RuleSet) -> bool {
    let Some(block) = article.structure.blocks.get(block) else {
        return false;
    };
    place_line_tags(block.span.of(text).trim_start()).is_some_and(|tags| {
        tags.split(['/', ',', ';'])
            .any(|tag| rules.structure().news_agencies.contains(tag.trim()))
    })
}

/// What stands in the brackets of a place line at the start of `line` (see
/// [`opens_as_agency_copy`]): the first group of
/// `^\p{Lu}[\p{L}. /-]{1,40}\(([^()]{2,30})\)\s*[–—-]`.
fn place_line_tags(line: &str) -> Option<&str> {
    static PLACE_LINE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"^\p{Lu}([\p{L}. /-]+)\(([^()]{2,30})\)\s*[–—-]").unwrap()
    });
    let caps = PLACE_LINE.captures(line)?;
    (caps[1].chars().count() <= 40).then(|| caps.get(2).map_or("", |m| m.as_str()))
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
    fn a_place_line_is_read_as_its_bounded_pattern_reads_it() {
        let bounded =
            regex::Regex::new(r"^\p{Lu}[\p{L}. /-]{1,40}\(([^()]{2,30})\)\s*[–—-]").unwrap();
        let place = |n: usize| format!("U{}", "é".repeat(n));
        let lines = [
            "Uelzen (lni) – Die Stadt",
            "Frankfurt am Main (dpa/lhe) - Text",
            "Uelzen (l) – zu kurz",
            "uelzen (lni) – klein",
            "Uelzen(lni)—ohne Leerzeichen",
            "Berlin (dpa) Text ohne Strich",
            "Ü (dpa) – nur ein Buchstabe",
            "Über St. Gallen/Bern (sda, ats) –",
        ];
        let long = [39, 40, 41, 60].map(|n| format!("{} (dpa) – Text", place(n)));
        for line in lines.iter().map(|l| l.to_string()).chain(long) {
            let expected = bounded
                .captures(&line)
                .map(|caps| caps.get(1).unwrap().as_str());
            assert_eq!(place_line_tags(&line), expected, "{line}");
        }
    }

    #[test]
    fn a_label_over_agency_copy_labels_nothing() {
        let agency = "Uelzen (lni) – Die Lagerhallen sind voll. Die Preise fallen seit Wochen.\n";
        let text = format!(
            "Kartoffelbauern bleiben auf vollen Lagern sitzen\nAnzeige\n{agency}{EDITORIAL}"
        );
        assert_eq!(class(&text), ArticleClass::ContainsPromo);
        // The same label over a body without an agency's place line labels the article.
        let own = "Uelzen – Die Lagerhallen sind voll. Die Preise fallen seit Wochen.\n";
        let text =
            format!("Kartoffelbauern bleiben auf vollen Lagern sitzen\nAnzeige\n{own}{EDITORIAL}");
        assert_eq!(class(&text), ArticleClass::Advertorial);
    }

    #[test]
    fn a_label_above_the_dateline_labels_nothing() {
        for dateline in ["04.12.2026, 06:00 Uhr\n", "04.12.2026 06:00"] {
            let text = format!("Stadt baut neue Brücke\nAnzeige\n{dateline}{EDITORIAL}");
            assert_eq!(class(&text), ArticleClass::ContainsPromo, "{text}");
        }
        // Below the dateline, the label opens the article.
        let text = format!("Stadt baut neue Brücke\n04.12.2026, 06:00 Uhr\nAnzeige\n{EDITORIAL}");
        assert_eq!(class(&text), ArticleClass::Advertorial);
    }

    #[test]
    fn a_label_above_the_byline_labels_nothing() {
        let text = format!(
            "Stadt baut neue Brücke\nAnzeige\nVon Jana Krüger | Wohnen & Leben\n{EDITORIAL}"
        );
        assert_eq!(class(&text), ArticleClass::ContainsPromo, "{text}");
    }

    #[test]
    fn a_label_under_the_byline_labels_nothing() {
        let text = format!(
            "Stadt baut neue Brücke\nVon Jana Krüger | Wohnen & Leben\nAnzeige\n{EDITORIAL}"
        );
        assert_eq!(class(&text), ArticleClass::ContainsPromo, "{text}");
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
