//! Language: which language an article is written in.
//!
//! whatlang reads a sample from the start of the article; its three-letter code is turned into
//! ISO 639-1 where one exists. The rules of that language (and the common rules) then apply.

/// How much of the article the detector reads. Longer samples cost time and rarely change the
/// answer for a news article.
const SAMPLE_BYTES: usize = 1200;

/// A detected language: ISO 639-1 where one exists, else ISO 639-3; `und` when unknown.
#[derive(Clone, Debug, PartialEq)]
pub struct Language {
    pub code: String,
    /// From 0 to 1, as whatlang reports it.
    pub confidence: f64,
}

/// Detects the language of `text` from its first [`SAMPLE_BYTES`] bytes.
pub fn detect(text: &str) -> Language {
    let mut end = text.len().min(SAMPLE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    match whatlang::detect(&text[..end]) {
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

/// ISO 639-1 for an ISO 639-3 code when there is one, else the 639-3 code itself.
fn iso_639_1(code3: &str) -> String {
    isolang::Language::from_639_3(code3)
        .and_then(|l| l.to_639_1())
        .map_or_else(|| code3.to_string(), str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_and_english_get_two_letter_codes() {
        let de = detect(
            "Die Bundesregierung hat am Montag beschlossen, die Steuern für Unternehmen zu senken.",
        );
        assert_eq!(de.code, "de");
        assert!(de.confidence > 0.5);
        let en = detect(
            "The government decided on Monday to lower taxes for companies across the country.",
        );
        assert_eq!(en.code, "en");
        assert_eq!(detect("").code, "und");
    }
}
