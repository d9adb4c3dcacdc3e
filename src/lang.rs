//! Language: which language an article is written in.
//!
//! Most articles are told by their stopwords alone: when one language's stopwords (from
//! `rules/`) make up a quarter of the sample's words and outnumber every other language's four
//! to one, that is the language. Everything else goes to whatlang, which reads the same sample;
//! its three-letter code is turned into ISO 639-1 where one exists. The rules of that language
//! (and the common rules) then apply.
//!
//! The stopword test is what makes language detection cheap: whatlang was a third of the
//! pipeline's time. Its thresholds were chosen on the corpus and the UD dev files (every German
//! and English sample passes, French and Spanish mostly go to whatlang because their stopwords
//! overlap) against 2,583 samples of 100 languages taken from gettext catalogs, where it
//! claimed none (the closest: Low German at a 0.23 share and 3.6 to 1, Catalan and Galician at
//! under 2 to 1 for Spanish). On every sample it claimed, whatlang agreed, with confidence 1.

use crate::rules::RuleSet;

/// How much of the article the detector reads. Longer samples cost time and rarely change the
/// answer for a news article.
const SAMPLE_BYTES: usize = 1200;

/// Fewer words than this and the stopword test does not decide.
const MIN_WORDS: usize = 20;

/// The share of the sample's words that must be stopwords of the language.
const MIN_STOPWORD_SHARE: f64 = 0.25;

/// How many times the stopwords of the next language the language's must outnumber.
const MIN_LEAD: usize = 4;

/// A detected language: ISO 639-1 where one exists, else ISO 639-3; `und` when unknown.
#[derive(Clone, Debug, PartialEq)]
pub struct Language {
    pub code: String,
    /// From 0 to 1, as whatlang reports it (1 when the stopwords decided).
    pub confidence: f64,
}

/// Detects the language of `text` from its first 1,200 bytes (`SAMPLE_BYTES`).
pub fn detect(text: &str, rules: &RuleSet) -> Language {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let sample = &text[..end];
    if let Some(code) = by_stopwords(sample, rules) {
        return Language {
            code: code.to_string(),
            confidence: 1.0,
        };
    }
    match whatlang::detect(sample) {
        Some(info) => Language {
            code: iso_639_1(info.lang().code()),
            confidence: info.confidence(),
        },
        None => Language {
            code: "und".to_string(),
            confidence: 0.0,
        },
    }
}

/// The language whose stopwords leave no doubt about `sample` (see the module documentation).
fn by_stopwords<'r>(sample: &str, rules: &'r RuleSet) -> Option<&'r str> {
    let (words, counts) = rules.stopword_counts(sample);
    if words < MIN_WORDS {
        return None;
    }
    let (best, &most) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let runner_up = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(0);
    let clear =
        most as f64 >= MIN_STOPWORD_SHARE * words as f64 && most >= MIN_LEAD * runner_up.max(1);
    clear.then(|| rules.stopword_languages()[best].as_str())
}

/// Which of `candidates` (ISO 639-1 codes) whatlang finds `text` closest to, if it knows any of
/// them: the last word on a text whose stopwords fit two languages equally well.
pub fn closest(text: &str, candidates: &[&str]) -> Option<usize> {
    let known: Vec<(usize, whatlang::Lang)> = candidates
        .iter()
        .enumerate()
        .filter_map(|(i, code)| {
            whatlang::Lang::all()
                .iter()
                .find(|l| iso_639_1(l.code()) == *code)
                .map(|l| (i, *l))
        })
        .collect();
    if known.len() < 2 {
        return None;
    }
    let detector = whatlang::Detector::with_allowlist(known.iter().map(|(_, l)| *l).collect());
    let lang = detector.detect_lang(text)?;
    known.iter().find(|(_, l)| *l == lang).map(|(i, _)| *i)
}

/// ISO 639-1 for an ISO 639-3 code when there is one, else the 639-3 code itself.
fn iso_639_1(code3: &str) -> String {
    isolang::Language::from_639_3(code3)
        .and_then(|l| l.to_639_1())
        .map_or_else(|| code3.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paragraphs written for these tests, in languages near those with stopword lists.
    const NEIGHBOURS: [(&str, &str); 5] = [
        ("ca", "El govern de la ciutat ha decidit avui que les obres del nou pont començaran a la primavera. Els veïns havien demanat durant anys una solució per al trànsit, i l'alcaldessa va dir que el projecte és una prioritat per a tot el barri."),
        ("pt", "O governo da cidade decidiu hoje que as obras da nova ponte vão começar na primavera. Os moradores pediram durante anos uma solução para o trânsito, e a prefeita disse que o projeto é uma prioridade para todo o bairro."),
        ("it", "Il governo della città ha deciso oggi che i lavori del nuovo ponte inizieranno in primavera. Gli abitanti chiedevano da anni una soluzione per il traffico e la sindaca ha detto che il progetto è una priorità per tutto il quartiere."),
        ("nl", "Het stadsbestuur heeft vandaag besloten dat de bouw van de nieuwe brug in het voorjaar begint. De bewoners vroegen al jaren om een oplossing voor het verkeer, en de burgemeester zei dat het project een prioriteit is voor de hele wijk."),
        ("es", "El gobierno de la ciudad decidió hoy que las obras del nuevo puente empezarán en primavera. Los vecinos habían pedido durante años una solución para el tráfico, y la alcaldesa dijo que el proyecto es una prioridad para todo el barrio."),
    ];

    #[test]
    fn german_and_english_are_told_by_their_stopwords() {
        let rules = RuleSet::builtin();
        let de = "Die Bundesregierung hat am Montag beschlossen, die Steuern für Unternehmen zu senken. Der Minister sagte, dass die Entlastung für kleine Betriebe schon im Juli kommen soll und dass die Länder zustimmen müssen.";
        let en = "The government decided on Monday to lower taxes for companies across the country. The minister said that the relief for small firms should come in July and that the regions have to agree to it first.";
        assert_eq!(by_stopwords(de, &rules), Some("de"));
        assert_eq!(by_stopwords(en, &rules), Some("en"));
        assert_eq!(
            detect(de, &rules),
            Language {
                code: "de".into(),
                confidence: 1.0
            }
        );
        assert_eq!(detect(en, &rules).code, "en");
        assert_eq!(detect("", &rules).code, "und");
    }

    #[test]
    fn neighbouring_languages_are_left_to_whatlang() {
        let rules = RuleSet::builtin();
        for (code, text) in NEIGHBOURS {
            assert_eq!(by_stopwords(text, &rules), None, "{code}: {text}");
            assert_eq!(detect(text, &rules).code, code, "{text}");
        }
    }

    #[test]
    fn a_short_line_is_left_to_whatlang() {
        let rules = RuleSet::builtin();
        assert_eq!(
            by_stopwords("Die Stadt baut eine neue Brücke.", &rules),
            None
        );
    }
}
