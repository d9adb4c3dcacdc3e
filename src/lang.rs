//! Language: which language an article is written in.
//!
//! Most articles are told by their stopwords alone: when one language's stopwords (from
//! `rules/`) make up a quarter of the sample's words and outnumber every other language's four
//! to one, that is the language. French and Spanish share many stopwords ("de", "la", "en",
//! "que", "un"), so a French or Spanish sample seldom leads by four to one; for those two
//! [`Markers`] decide instead: words that the language uses and neither the other nor its
//! neighbours do (French "et", "avec", "dans"; Spanish "y", "los", "más"). When the language's
//! stopwords still make up a quarter of the words, its markers make up at least
//! [`MIN_MARKER_SHARE`] of them, and they outnumber three to one the other language's markers
//! plus the words of the neighbours it never uses (Catalan "amb", "els", Portuguese "não",
//! Italian "che", Occitan "dins", "e" for "and"), that is the language. Everything else goes to
//! whatlang, which reads the same sample; its three-letter code is turned into ISO 639-1 where
//! one exists. The rules of that language (and the common rules) then apply.
//!
//! The stopword test is what makes language detection cheap: whatlang was a third of the
//! pipeline's time, and a fifth of the rest was whatlang on French and Spanish articles before
//! the markers. The thresholds were chosen on the corpus and the UD dev files (every German and
//! English sample passes; of the corpus's French and Spanish articles all but one) against
//! 3,265 samples of 189 locales taken from the gettext catalogs of the system (up to 1,200
//! bytes of translated messages each), where they claim no other language: not Catalan,
//! Galician, Portuguese, Italian, Occitan, Aragonese, Asturian, Walloon, Friulian, Dutch or
//! Low German (the closest, an Occitan and an Asturian sample with Spanish markers at a 0.056
//! share, lead by only 10 to 4 and 9 to 4). On every sample they claim, whatlang gives the same
//! language, and on the corpus it gave confidence 1 as the stopwords do.

use std::collections::BTreeMap;

use foldhash::HashMap;

use crate::letters;
use crate::rules::{for_each_alphabetic_word, RuleSet};

/// How much of the article the detector reads. Longer samples cost time and rarely change the
/// answer for a news article.
const SAMPLE_BYTES: usize = 1200;

/// Fewer words than this and the stopword test does not decide.
const MIN_WORDS: usize = 20;

/// The share of the sample's words that must be stopwords of the language.
const MIN_STOPWORD_SHARE: f64 = 0.25;

/// How many times the stopwords of the next language the language's must outnumber.
const MIN_LEAD: usize = 4;

/// The share of the sample's words that must be markers of the language (see [`Markers`]).
const MIN_MARKER_SHARE: f64 = 0.04;

/// How many times the language's markers must outnumber the other markers and the neighbours'
/// words together.
const MIN_MARKER_LEAD: usize = 3;

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

/// The language whose stopwords leave no doubt about `sample`, or whose markers do (see the
/// module documentation).
fn by_stopwords<'r>(sample: &str, rules: &'r RuleSet) -> Option<&'r str> {
    let (words, counts) = rules.stopword_counts(sample);
    if words < MIN_WORDS {
        return None;
    }
    let languages = rules.stopword_languages();
    let (best, &most) = counts.iter().enumerate().max_by_key(|(_, c)| **c)?;
    let runner_up = counts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != best)
        .map(|(_, c)| *c)
        .max()
        .unwrap_or(0);
    let frequent = |count: usize| count as f64 >= MIN_STOPWORD_SHARE * words as f64;
    if frequent(most) && most >= MIN_LEAD * runner_up.max(1) {
        return Some(languages[best].as_str());
    }
    let markers = rules.language_markers();
    let (own, foreign) = markers.counts(sample);
    (0..markers.languages.len()).find_map(|m| {
        let language = languages.iter().position(|l| *l == markers.languages[m])?;
        let others = (0..markers.languages.len())
            .filter(|&o| o != m)
            .map(|o| own[o])
            .max()
            .unwrap_or(0);
        let clear = frequent(counts[language])
            && own[m] as f64 >= MIN_MARKER_SHARE * words as f64
            && own[m] >= MIN_MARKER_LEAD * (others + foreign[m]).max(1);
        clear.then(|| languages[language].as_str())
    })
}

/// Per language whose stopwords overlap another's (the rules files' `markers` and
/// `neighbour_words` in `[sentences]`): its markers, lowercase words frequent in it and rare in
/// the other and in its neighbours (Catalan, Occitan, Walloon, Friulian, Galician, Portuguese,
/// Asturian, Aragonese, Italian, Interlingua); then words of those neighbours that it does not
/// use. They only tell languages apart, including ones without rules; they are no cues.
#[derive(Clone, Debug, Default)]
pub struct Markers {
    /// The languages with markers, in name order; bit `i` of a word's mask stands for
    /// `languages[i]` as a marker, bit `i + 16` as a neighbour's word.
    pub languages: Vec<String>,
    words: HashMap<String, u32>,
    /// The most bytes a marker or neighbour's word has: a longer word needs no lookup.
    longest: usize,
}

impl Markers {
    /// The table of the lists of every language (at most 16 languages).
    pub fn new(lists: BTreeMap<String, (Vec<String>, Vec<String>)>) -> Result<Markers, String> {
        if lists.len() > 16 {
            return Err(format!(
                "{} languages give language markers; at most 16 can",
                lists.len()
            ));
        }
        let mut markers = Markers::default();
        for (m, (language, (own, theirs))) in lists.into_iter().enumerate() {
            for (list, bit) in [(own, 1u32 << m), (theirs, 1 << (m + 16))] {
                for word in list {
                    markers.longest = markers.longest.max(word.len());
                    *markers.words.entry(word).or_default() |= bit;
                }
            }
            markers.languages.push(language);
        }
        Ok(markers)
    }

    /// How many words of `sample` are markers of each language, and how many are words of its
    /// neighbours; words split as the stopword pass splits them (at every character that is
    /// not a letter).
    fn counts(&self, sample: &str) -> (Vec<usize>, Vec<usize>) {
        let n = self.languages.len();
        let (mut own, mut foreign) = (vec![0; n], vec![0; n]);
        if n == 0 {
            return (own, foreign);
        }
        let mut lower = String::new();
        for_each_alphabetic_word(sample, |_, word, _| {
            // Lower-casing can lengthen a word's bytes at most twofold.
            if word.len() > 2 * self.longest {
                return;
            }
            let word = letters::lowercase_word(word, &mut lower);
            if let Some(&bits) = self.words.get(word) {
                for m in 0..n {
                    own[m] += usize::from(bits >> m & 1 == 1);
                    foreign[m] += usize::from(bits >> (m + 16) & 1 == 1);
                }
            }
        });
        (own, foreign)
    }
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
    const NEIGHBOURS: [(&str, &str); 4] = [
        ("ca", "El govern de la ciutat ha decidit avui que les obres del nou pont començaran a la primavera. Els veïns havien demanat durant anys una solució per al trànsit, i l'alcaldessa va dir que el projecte és una prioritat per a tot el barri."),
        ("pt", "O governo da cidade decidiu hoje que as obras da nova ponte vão começar na primavera. Os moradores pediram durante anos uma solução para o trânsito, e a prefeita disse que o projeto é uma prioridade para todo o bairro."),
        ("it", "Il governo della città ha deciso oggi che i lavori del nuovo ponte inizieranno in primavera. Gli abitanti chiedevano da anni una soluzione per il traffico e la sindaca ha detto che il progetto è una priorità per tutto il quartiere."),
        ("nl", "Het stadsbestuur heeft vandaag besloten dat de bouw van de nieuwe brug in het voorjaar begint. De bewoners vroegen al jaren om een oplossing voor het verkeer, en de burgemeester zei dat het project een prioriteit is voor de hele wijk."),
    ];

    /// The same, in neighbours that whatlang does not know (it answers with some other
    /// language), or knows well enough.
    const UNKNOWN_NEIGHBOURS: [(&str, &str); 5] = [
        ("gl", "O goberno da cidade decidiu hoxe que as obras da nova ponte comezarán na primavera. Os veciños levaban anos pedindo unha solución para o tráfico, e a alcaldesa dixo que o proxecto é unha prioridade para todo o barrio."),
        ("oc", "Lo govèrn de la vila a decidit uèi que los trabalhs del pont nòu començaràn a la prima. Los vesins demandavan dempuèi d'annadas una solucion per la circulacion, e la cònsol a dich que lo projècte es una prioritat per tot lo quartièr."),
        ("ast", "El gobiernu de la ciudá decidió güei que les obres de la ponte nueva van empezar na primavera. Los vecinos llevaben años pidiendo una solución pal tráficu, y l'alcaldesa dixo que'l proyeutu ye una prioridá pa tol barriu."),
        ("nds", "De Stadtregeren hett hüüt beslaten, dat de Bo vun de nee Brüch in't Fröhjohr anfangt. De Anwahners hebbt al johrenlang na en Lösen för den Verkehr fraagt, un de Börgermeestersche seggt, dat dat Projekt för dat ganze Quarteer wichtig is."),
        ("wa", "Li govienmint del veye a decidé ouy ki les ovraedjes do novea pont cmincront å prétimps. Les djins del cwårtî dimandént dispoy des anêyes ene solucion po l' circulåcion, et l' bourgmaisse a dit ki l' prodjet est ene prumire priyorité po tot l' cwårtî."),
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
    fn french_and_spanish_are_told_by_their_markers() {
        let rules = RuleSet::builtin();
        let fr = "Le gouvernement de la ville a décidé aujourd'hui que les travaux du nouveau pont commenceront au printemps. Les habitants réclamaient depuis des années une solution pour la circulation, et la maire a dit que le projet est une priorité pour tout le quartier.";
        let es = "El gobierno de la ciudad decidió hoy que las obras del nuevo puente empezarán en primavera. Los vecinos habían pedido durante años una solución para el tráfico, y la alcaldesa dijo que el proyecto es una prioridad para todo el barrio.";
        for (code, text) in [("fr", fr), ("es", es)] {
            // Their stopwords alone do not lead by four to one.
            let (_, counts) = rules.stopword_counts(text);
            let mut sorted = counts.clone();
            sorted.sort_unstable();
            assert!(sorted[sorted.len() - 1] < MIN_LEAD * sorted[sorted.len() - 2]);
            assert_eq!(by_stopwords(text, &rules), Some(code), "{text}");
            let whatlang = whatlang::detect(text).map(|i| iso_639_1(i.lang().code()));
            assert_eq!(whatlang.as_deref(), Some(code), "{text}");
            assert_eq!(detect(text, &rules).confidence, 1.0);
        }
    }

    #[test]
    fn neighbouring_languages_are_left_to_whatlang() {
        let rules = RuleSet::builtin();
        for (code, text) in NEIGHBOURS {
            assert_eq!(by_stopwords(text, &rules), None, "{code}: {text}");
            assert_eq!(detect(text, &rules).code, code, "{text}");
        }
        for (code, text) in UNKNOWN_NEIGHBOURS {
            assert_eq!(by_stopwords(text, &rules), None, "{code}: {text}");
        }
    }

    #[test]
    fn markers_count_per_language_from_their_lists() {
        let list = |own: &[&str], theirs: &[&str]| {
            let words = |w: &[&str]| w.iter().map(|w| w.to_string()).collect::<Vec<_>>();
            (words(own), words(theirs))
        };
        let markers = Markers::new(BTreeMap::from([
            ("es".to_string(), list(&["y", "los"], &["et"])),
            ("fr".to_string(), list(&["et", "avec"], &["y"])),
        ]))
        .unwrap();
        assert_eq!(markers.languages, ["es", "fr"]);
        // "Et" is French's marker and a word Spanish never uses; upper case counts too.
        assert_eq!(
            markers.counts("Et los niños y LOS padres avec"),
            (vec![3, 2], vec![1, 1])
        );
        let many = (0..17).map(|i| (format!("l{i:02}"), list(&["a"], &[])));
        assert!(Markers::new(many.collect()).is_err());
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
