//! Properties of the pipeline over arbitrary Unicode text and over generated article-like
//! text (titles, datelines, paragraphs, headings, ads, quotes, odd white space), checked on the
//! library API: no panic; every span lies on character boundaries inside the text; sentences
//! cover each body block in order; ad spans are ordered, disjoint and inside the text; the clean
//! text's words are a subsequence of the input's words, invisible format characters aside; the
//! metadata's character offsets point at the ad texts.

use std::sync::OnceLock;

use klartext::output::Metadata;
use klartext::structure::BlockKind;
use klartext::{clean, RuleSet};
use proptest::prelude::*;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

/// The words of `text`: its runs of non-white-space.
fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// Whether `c` is an invisible format character that the pipeline may read past
/// (`klartext::invisible`): nothing to see, neither a word nor a space.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Whether `text` is white space and invisible format characters only.
fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// Whether `needle` is a subsequence of `haystack`.
fn is_subsequence(needle: &[&str], haystack: &[&str]) -> bool {
    let mut rest = haystack.iter();
    needle.iter().all(|w| rest.any(|h| h == w))
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let article = clean(text, rules());
    let on_boundaries = |start: usize, end: usize| {
        start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end)
    };

    let blocks = &article.structure.blocks;
    for (i, block) in blocks.iter().enumerate() {
        prop_assert!(
            on_boundaries(block.span.start, block.span.end),
            "block {i}: {:?}",
            block.span
        );
        if i > 0 {
            prop_assert!(
                blocks[i - 1].span.end <= block.span.start,
                "blocks out of order"
            );
        }
    }
    if let Some(dateline) = &article.structure.dateline {
        prop_assert!(on_boundaries(dateline.span.start, dateline.span.end));
    }

    // Sentences cover every body block in order: inside their block, one after the other,
    // with nothing but white space (and invisible format characters) between them.
    let mut covered = vec![Vec::new(); blocks.len()];
    for (i, sentence) in article.sentences.iter().enumerate() {
        let span = sentence.span;
        prop_assert!(
            on_boundaries(span.start, span.end),
            "sentence {i}: {span:?}"
        );
        prop_assert!(span.start < span.end, "empty sentence {i}");
        let block = blocks[sentence.block];
        prop_assert!(block.kind != BlockKind::Title);
        prop_assert!(block.span.start <= span.start && span.end <= block.span.end);
        if i > 0 {
            let previous = article.sentences[i - 1];
            prop_assert!(previous.block <= sentence.block);
            prop_assert!(
                previous.span.end <= span.start,
                "sentences {} and {i} overlap",
                i - 1
            );
        }
        covered[sentence.block].push(span);
    }
    for (b, block) in blocks.iter().enumerate() {
        if block.kind == BlockKind::Title {
            continue;
        }
        let mut at = block.span.start;
        for span in &covered[b] {
            prop_assert!(
                is_blank(&text[at..span.start]),
                "uncovered {:?}",
                &text[at..span.start]
            );
            at = span.end;
        }
        prop_assert!(
            is_blank(&text[at..block.span.end]),
            "uncovered {:?}",
            &text[at..block.span.end]
        );
    }
    prop_assert_eq!(article.labels.len(), article.sentences.len());

    // Ads: ordered, disjoint, inside the text.
    for (i, ad) in article.ads.iter().enumerate() {
        prop_assert!(
            on_boundaries(ad.span.start, ad.span.end),
            "ad {i}: {:?}",
            ad.span
        );
        prop_assert!(ad.span.start < ad.span.end);
        prop_assert!(ad.sentences.end <= article.sentences.len());
        if i > 0 {
            prop_assert!(
                article.ads[i - 1].span.end <= ad.span.start,
                "ads {} and {i} overlap",
                i - 1
            );
        }
        prop_assert!((0.0..=1.0).contains(&ad.score));
    }

    // The clean text only drops words and invisible format characters (the dateline is cut out
    // of the word it may be glued to, so it counts as a word boundary).
    let mut uncut = text.to_string();
    if let Some(dateline) = &article.structure.dateline {
        uncut.replace_range(dateline.span.start..dateline.span.end, " ");
    }
    let visible = |text: &str| text.replace(is_invisible, "");
    prop_assert!(
        is_subsequence(
            &words(&visible(&article.clean_text)),
            &words(&visible(&uncut))
        ),
        "clean text {:?} is not a subsequence of the input's words",
        article.clean_text
    );

    // The metadata's offsets count characters and point at the ad texts.
    let meta = Metadata::new("id", text, &article);
    let chars: Vec<char> = text.chars().collect();
    for ad in &meta.ads {
        prop_assert!(ad.start < ad.end && ad.end <= chars.len());
        prop_assert_eq!(chars[ad.start..ad.end].iter().collect::<String>(), ad.text);
    }
    prop_assert_eq!(meta.counts.chars_in, chars.len());
    serde_json::to_string(&meta).expect("metadata serializes");
    Ok(())
}

/// Any characters at all, with line breaks, carriage returns and spaces made common.
fn any_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => any::<char>().prop_map(String::from),
        1 => Just("\n".to_string()),
        1 => Just(" ".to_string()),
        1 => prop::sample::select(vec!["\r", "\r\n", ". ", "! ", "? ", "…", "\u{a0}", "\u{2028}", "\t", "„", "“", "\"", "«", "»", "(", ")", "1.", "•", "\u{feff}", "\u{301}", "\0", "\u{ad}", "\u{200b}", "\u{200d}", "\u{200f}", "\u{2060}"]).prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..300).prop_map(|pieces| pieces.concat())
}

/// Articles as scrapers leave them: a title, maybe a dateline (on its own line or glued to the
/// first word), headings and paragraphs of editorial and promotional sentences in several
/// languages, quotes, lists, odd white space.
fn article_text() -> impl Strategy<Value = String> {
    let sentence = prop::sample::select(vec![
        "Die Stadt baut eine neue Brücke über den Fluss.",
        "Die Arbeiten beginnen am 1. August.",
        "Der Rat stimmte mit 12 zu 3 Stimmen zu.",
        "„Wir sind zufrieden“, sagte die Bürgermeisterin.",
        "Unser Newsletter liefert Ihnen jeden Morgen die wichtigsten Nachrichten.",
        "Jetzt kostenlos abonnieren",
        "Sichern Sie sich jetzt Ihren Gratis-Report!",
        "Anzeige",
        "Lesen Sie auch: Was die Zinswende bedeutet",
        "PS: Nur heute 50 % Rabatt auf alle Depots.",
        "The city opened a new bridge on Monday.",
        "Sign up for our free newsletter. Subscribe now",
        "Dr. Müller u. a. kamen z. B. um 10 Uhr.",
        "1.) Erstens 2.) Zweitens",
        "Shares fell 3.5% to $12.40 in U.S. trading...",
        "La ville construit un nouveau pont.",
        "¡Descargue gratis nuestra guía ahora!",
        "Kursziel: 120 Euro → jetzt handeln",
        "Was tun?",
        "Ende!!!",
        "💡 Tipp: Hier klicken",
        "Unser News\u{ad}letter bringt Ihnen die Nach\u{ad}richten.\u{200b}",
        "\u{feff}Jetzt\u{200b}kostenlos abon\u{ad}nieren",
    ]);
    let paragraph = prop::collection::vec(
        (
            sentence,
            prop::sample::select(vec![" ", "  ", "", "\u{a0}", " \t"]),
        ),
        1..5,
    )
    .prop_map(|parts| {
        parts
            .iter()
            .map(|(s, gap)| format!("{s}{gap}"))
            .collect::<String>()
    });
    let block = prop_oneof![
        6 => paragraph,
        1 => Just("Zwischentitel ohne Punkt".to_string()),
        1 => Just("Von Jana Krüger".to_string()),
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
    ];
    let dateline = prop::sample::select(vec![
        "",
        "06.02.2026 - 08:41:11",
        "12.03.2025, 14:30 Uhr\n",
        "March 12, 2025, 2:30 p.m. ET\n",
        "Heute, 08:12 Uhr\n",
        "31.02.2025 - 10:00 ",
    ]);
    let ending = prop::sample::select(vec!["\n", "\r\n", "\r"]);
    (
        prop::sample::select(vec![
            "Stadt baut neue Brücke",
            "City opens bridge",
            "",
            "Anzeige",
        ]),
        dateline,
        prop::collection::vec(block, 0..8),
        ending,
    )
        .prop_map(|(title, dateline, blocks, ending)| {
            let body = blocks.join("\n");
            format!("{title}\n{dateline}{body}\n").replace('\n', ending)
        })
}

/// Cases per property: 300 keep the debug test run short; `PROPTEST_CASES=100000 cargo test
/// --release properties` searches further.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_unicode_text(text in any_text()) {
        check(&text)?;
    }

    #[test]
    fn article_like_text(text in article_text()) {
        check(&text)?;
    }
}

/// The article generator makes what the properties are about: ads, datelines, headings.
#[test]
fn generated_articles_have_ads_datelines_and_headings() {
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let (mut with_ads, mut with_dateline, mut with_heading) = (0, 0, 0);
    for _ in 0..100 {
        let text = article_text().new_tree(&mut runner).unwrap().current();
        let article = clean(&text, rules());
        with_ads += usize::from(!article.ads.is_empty());
        with_dateline += usize::from(article.structure.dateline.is_some());
        // Headings as the structure reads them: the generator's doing, whatever the decoder
        // then cuts with the ad paragraph a heading introduces.
        with_heading += usize::from(
            article
                .structure
                .blocks
                .iter()
                .any(|b| b.kind == klartext::structure::BlockKind::Heading),
        );
    }
    eprintln!("of 100 generated articles: {with_ads} with ads, {with_dateline} with a dateline, {with_heading} with headings");
    assert!(with_ads >= 20 && with_dateline >= 20 && with_heading >= 5);
}

/// Two inserts pasted back to back, each a paragraph of its own that sells one thing, come out
/// as two ads with their own categories, also when one side's kind is told only by a category
/// hint ("per Mail", "Checkliste", "iPhone", "ETF-Sparplan"); one insert in two blocks (a
/// set-up that names the offer, over its pitch) stays one ad. Each row: the blocks pasted between the story's
/// paragraphs, and the categories of the ads expected, in order.
#[test]
fn back_to_back_inserts_come_out_as_ads_of_their_own() {
    const NEWSLETTER: &str = "Der Morgen in Ihrer Stadt: Die wichtigsten Nachrichten aus der Region jeden Werktag früh kostenlos per Mail – jetzt abonnieren";
    const LEAD_MAGNET: &str = "Alles zur Grundsteuer auf einen Blick: Unsere Checkliste zeigt in zehn Schritten, wie Sie Ihren Bescheid prüfen und Einspruch einlegen – jetzt gratis herunterladen";
    const APP: &str = "Nie wieder einen Parkplatz suchen: Mit der Parkfuchs-App für iPhone und Android zahlen Sie Parkgebühren minutengenau – jetzt kostenlos testen";
    const TRADING: &str = "Vermögen aufbauen mit kleinen Beträgen: Bei Sparfix investieren Sie schon ab 25 Euro im Monat in einen ETF-Sparplan – jetzt Konto eröffnen";
    const SET_UP: &str = "Wer ein Vermögen aufbauen will, braucht keine großen Summen. Die Plattform Sparfix hat dafür ein Angebot für Einsteiger entwickelt, das mit einer App für das Smartphone auskommt.";
    let rows: &[(&[&str], &[&str])] = &[
        (&[NEWSLETTER, LEAD_MAGNET], &["newsletter", "lead_magnet"]),
        (&[LEAD_MAGNET, NEWSLETTER], &["lead_magnet", "newsletter"]),
        (&[NEWSLETTER, TRADING], &["newsletter", "trading"]),
        (&[TRADING, NEWSLETTER], &["trading", "newsletter"]),
        (&[LEAD_MAGNET, APP], &["lead_magnet", "app"]),
        (&[APP, LEAD_MAGNET], &["app", "lead_magnet"]),
        (&[LEAD_MAGNET, TRADING], &["lead_magnet", "trading"]),
        (&[TRADING, LEAD_MAGNET], &["trading", "lead_magnet"]),
        (&[APP, TRADING], &["app", "trading"]),
        (&[TRADING, APP], &["trading", "app"]),
        (&[SET_UP, TRADING], &["trading"]),
    ];
    let story = [
        "Stadtrat beschließt neues Radwegenetz",
        "Der Stadtrat hat am Donnerstag mit großer Mehrheit ein neues Radwegenetz für die Innenstadt beschlossen. Bis 2029 sollen 14 Kilometer geschützte Radwege entstehen, vor allem entlang der großen Ausfallstraßen.",
        "Die Kosten schätzt die Verwaltung auf rund 23 Millionen Euro, gut die Hälfte davon soll aus Fördermitteln des Landes kommen. Die Opposition kritisierte, dass dafür mehr als 400 Parkplätze wegfallen.",
        "Der Einzelhandelsverband hatte vor Umsatzeinbußen gewarnt. Erfahrungen aus anderen Städten zeigten jedoch, dass Radfahrer häufiger in der Innenstadt einkaufen, sagte die Baudezernentin.",
        "Mit den ersten Arbeiten soll im Frühjahr begonnen werden. Die Anwohner werden vorab in mehreren Versammlungen informiert.",
    ];
    for (inserts, expected) in rows {
        let mut lines = story[..3].to_vec();
        lines.extend_from_slice(inserts);
        lines.extend_from_slice(&story[3..]);
        let text = lines.join("\n") + "\n";
        let article = clean(&text, rules());
        let found: Vec<(&str, &str)> = article
            .ads
            .iter()
            .map(|ad| (ad.category.name(), &text[ad.span.start..ad.span.end]))
            .collect();
        let categories: Vec<&str> = found.iter().map(|(c, _)| *c).collect();
        assert_eq!(&categories, expected, "{found:#?}");
        let removed: String = found.iter().map(|(_, t)| *t).collect::<Vec<_>>().join("\n");
        assert_eq!(
            removed,
            inserts.join("\n"),
            "each insert goes whole, and nothing else"
        );
    }
}
