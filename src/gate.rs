//! A one-pass gate in front of the rule patterns: which of them can match a sentence at all.
//!
//! Most rule patterns can only match where one of a few words starts: `(?i)\b(?:herunterladen|
//! abonnieren|…)\s*$` needs "herunterladen" or "abonnieren" somewhere in the sentence. Those
//! words (the pattern's prefix literals, taken from its syntax tree with regex-syntax) of every
//! pattern of a language go into one Aho-Corasick automaton, which reads the lower-cased
//! sentence once. A pattern that may start with anything gates on the literals of a part that
//! every match passes through (`^\W*(?:anzeige|werbung)` on its words). A pattern whose literals
//! do not occur cannot match and is not run; a pattern without a usable literal set (one made
//! of letters and classes, or whose literals are single letters) is always run. The gate only
//! ever skips patterns that cannot match, so the rules fire exactly as without it.
//!
//! Case: the gate compares lower-cased text with lower-cased literals. A case-insensitive
//! class such as `[Hh]` becomes `h`; a class of other characters becomes the set of their lower
//! cases. (Characters whose lower case is not their case fold, such as the final sigma `ς`,
//! stay classes of their own, so they are looked for as written.) The long s `ſ` is the
//! exception: a case-insensitive `s` matches it too, and spelled out as a class of its own it
//! doubled a literal set for every `s` of a word, until the extractor cut the literals of most
//! patterns to their first four bytes. The literals spell it `s`, and a sentence that holds a
//! long s passes every pattern ([`LONG_S`]).

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use regex_syntax::hir::literal::{ExtractKind, Extractor, Literal};
use regex_syntax::hir::{Class, Hir, HirKind};

/// The long s, which the gate's literals spell as `s`, its case fold: a text that holds it
/// is not searched, every pattern may match it.
const LONG_S: char = 'ſ';

/// Literal sets larger than this make the gate slower than the patterns it saves.
const MAX_LITERALS: usize = 256;

/// Literals are looked for by their first this many characters: a shorter literal occurs
/// wherever the whole one does (so the gate still skips only patterns that cannot match, and
/// the places it gives still include every start). A language has some 2,000 literals, many
/// of them long (a literal set spells out every branch of a pattern's alternations), and cut
/// this way their automaton costs a fifth to build. Fewer characters let more sentences
/// through to the patterns: six cost more per byte of input than they save at start-up.
const MAX_LITERAL_CHARS: usize = 8;

/// Classes with more members than this are not spelled out (the extractor gives up on them
/// too, which makes the pattern ungated).
const MAX_CLASS: usize = 10;

/// The gate over a list of patterns (see the module documentation).
#[derive(Clone, Debug)]
pub struct LiteralGate {
    /// All literals of all gated patterns, lower-cased and distinct.
    searcher: Option<AhoCorasick>,
    /// For each literal of `searcher`, the patterns it stands for.
    owners: Vec<Vec<usize>>,
    /// For each pattern, whether it has a literal set (else it always passes).
    gated: Vec<bool>,
    /// For each pattern, whether its literals are those every match starts with (not those of
    /// a part further in): then where they stand is where its matches may start.
    prefix: Vec<bool>,
}

/// What the gate looks for in one pattern ([`gate_literals`]): its lower-cased literals and
/// whether every match starts with one of them, or `None` when the pattern is not gated.
pub(crate) type GateLiterals = Option<(Vec<String>, bool)>;

impl LiteralGate {
    #[cfg(test)]
    fn new<'p>(patterns: impl IntoIterator<Item = &'p str>) -> LiteralGate {
        let sets: Vec<GateLiterals> = patterns
            .into_iter()
            .map(|p| gate_literals(&regex_syntax::parse(p).expect("a valid pattern")))
            .collect();
        LiteralGate::from_literals(&sets)
    }

    /// The gate over patterns given by their [`gate_literals`], so that a pattern shared by
    /// several gates (a common rule, in the screen of every language) is taken apart once.
    pub(crate) fn from_literals<'s>(
        sets: impl IntoIterator<Item = &'s GateLiterals>,
    ) -> LiteralGate {
        let mut literals: Vec<String> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut index = std::collections::HashMap::new();
        let mut gated = Vec::new();
        let mut prefix = Vec::new();
        for (i, set) in sets.into_iter().enumerate() {
            gated.push(set.is_some());
            prefix.push(set.as_ref().is_some_and(|(_, starts)| *starts));
            for literal in set.iter().flat_map(|(literals, _)| literals) {
                let literal = match literal.char_indices().nth(MAX_LITERAL_CHARS) {
                    Some((end, _)) => &literal[..end],
                    None => literal.as_str(),
                };
                let at = *index.entry(literal.to_string()).or_insert_with(|| {
                    literals.push(literal.to_string());
                    owners.push(Vec::new());
                    owners.len() - 1
                });
                if owners[at].last() != Some(&i) {
                    owners[at].push(i);
                }
            }
        }
        let searcher = (!literals.is_empty()).then(|| {
            AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(&literals)
                .expect("literals build an automaton")
        });
        LiteralGate {
            searcher,
            owners,
            gated,
            prefix,
        }
    }

    /// Whether the literals of pattern `i` are those every match of it starts with.
    pub fn gates_starts(&self, i: usize) -> bool {
        self.prefix[i]
    }

    /// For each pattern, whether it may match `text`. `lowercase` is a buffer for the
    /// lower-cased text.
    pub fn candidates(&self, text: &str, lowercase: &mut String, out: &mut Vec<bool>) {
        self.candidates_at(text, None, lowercase, out, &mut Vec::new());
    }

    /// [`LiteralGate::candidates`], and where in `text` the matches of the patterns whose
    /// literals start them ([`LiteralGate::gates_starts`]) may start: `(pattern, start)` for
    /// every place one of its literals stands, sorted and distinct. Returns `false`, with no
    /// places, when some character of `text` changes its length in bytes when lower-cased (the
    /// places in the lower-cased text are then not those in `text`). `given` is `text`
    /// lower-cased in place (each character to its one lowercase character of as many bytes,
    /// as this lower-cases it), when the caller has it; else `text` is lower-cased into
    /// `lowercase`.
    pub fn candidates_at(
        &self,
        text: &str,
        given: Option<&str>,
        lowercase: &mut String,
        out: &mut Vec<bool>,
        starts: &mut Vec<(usize, usize)>,
    ) -> bool {
        out.clear();
        starts.clear();
        out.extend(self.gated.iter().map(|g| !g));
        let Some(searcher) = &self.searcher else {
            return true;
        };
        let (haystack, same_places) = match given {
            Some(given) => (given, true),
            None => {
                let same_places = lower_case(text, lowercase);
                (lowercase.as_str(), same_places)
            }
        };
        if has_long_s(haystack) {
            out.fill(true);
            return false;
        }
        for found in searcher.find_overlapping_iter(haystack) {
            for &pattern in &self.owners[found.pattern().as_usize()] {
                out[pattern] = true;
                if same_places && self.prefix[pattern] {
                    starts.push((pattern, found.start()));
                }
            }
        }
        starts.sort_unstable();
        starts.dedup();
        same_places
    }
}

/// Whether `text` holds a long s ([`LONG_S`]): its first byte found with memchr (it is rare
/// in Latin text, and so is the long s itself).
fn has_long_s(text: &str) -> bool {
    let mut utf8 = [0; 2];
    let long_s = LONG_S.encode_utf8(&mut utf8).as_bytes();
    memchr::memchr_iter(long_s[0], text.as_bytes())
        .any(|at| text.as_bytes()[at..].starts_with(long_s))
}

/// Lower-cases `text` into `lowercase`; `false` when some character's lowercase differs from it
/// in length (the places in `lowercase` are then not those in `text`).
fn lower_case(text: &str, lowercase: &mut String) -> bool {
    lowercase.clear();
    // Room for the text at once (lower cases are rarely longer), not grown char by char.
    // Copying the text at once and lower-casing it in place costs less than pushing it
    // character by character.
    lowercase.reserve(text.len());
    lowercase.push_str(text);
    lowercase.make_ascii_lowercase();
    if crate::letters::lowercase_in_place(lowercase, 0..text.len()) {
        return true;
    }
    // Some character's lowercase is not one character of as many bytes (rare): the text is
    // lower-cased again character by character.
    let mut same_places = true;
    lowercase.clear();
    for c in text.chars() {
        if c.is_ascii() {
            lowercase.push(c.to_ascii_lowercase());
        } else {
            let before = lowercase.len();
            crate::letters::push_lowercase(lowercase, c);
            same_places &= lowercase.len() - before == c.len_utf8();
        }
    }
    same_places
}

/// Lower-cased literals one of which every match of `pattern` contains, or `None` when there is
/// no such set worth gating on: the literals it starts with (then `true`), or else those of a
/// part that every match must pass through (see [`required_literals`]).
pub(crate) fn gate_literals(pattern: &Hir) -> GateLiterals {
    let hir = lower_cased(pattern);
    prefix_literals(&hir, 2)
        .map(|literals| (literals, true))
        .or_else(|| required_literals(&hir).map(|literals| (literals, false)))
}

/// The lower-cased literals one of which every match of `hir` starts with, each of at least
/// `min_chars` characters or made of signs, sorted; `None` when there is no such set.
fn prefix_literals(hir: &Hir, min_chars: usize) -> Option<Vec<String>> {
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(hir);
    let literals = seq.literals()?;
    if literals.is_empty() || literals.len() > MAX_LITERALS {
        return None;
    }
    let mut out = Vec::with_capacity(literals.len());
    for literal in literals {
        let text = literal_text(literal)?;
        // A letter or a short piece of a word occurs in nearly every sentence: no gate. Signs
        // ("?", "@", "€", "→", ">>") are rare enough on their own.
        let signs = !text.is_empty()
            && text
                .chars()
                .all(|c| !c.is_alphanumeric() && !c.is_whitespace());
        if text.chars().count() < min_chars && !signs {
            return None;
        }
        out.push(text.to_string());
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The text of a literal the extractor gave, or `None` when it is not UTF-8. A large literal
/// set is cut down to the first four bytes of each literal (inexact then), and the cut may
/// fall inside a character (the first four bytes of "10 €" end inside the euro sign). The
/// whole characters before the cut still start every match the literal stands for; without
/// them the pattern went ungated and ran on every sentence (es.advice, whose literals were cut
/// inside a long s, [`LONG_S`]).
fn literal_text(literal: &Literal) -> Option<&str> {
    let bytes = literal.as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        // A character cut at the end (`error_len` is `None` for an incomplete last character).
        Err(e) if !literal.is_exact() && e.error_len().is_none() => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()
        }
        Err(_) => None,
    }
}

/// Literals one of which every match of `hir` contains somewhere, for a pattern that may start
/// with anything (`^\W*(?:anzeige|werbung)`, `\w*plus-artikel`, `\b[a-z]+\.(?:de|com)/`): the
/// prefixes of what follows some part of a sequence, the union over the branches of an
/// alternation, the literals of what a repetition repeats at least once. Such literals need
/// three characters: two-letter pieces of words ("en", "er") stand in nearly every sentence.
/// Of several sets, the most selective ([`selectivity`]).
fn required_literals(hir: &Hir) -> Option<Vec<String>> {
    match hir.kind() {
        HirKind::Concat(subs) => (1..subs.len())
            .filter_map(|i| prefix_literals(&Hir::concat(subs[i..].to_vec()), 3))
            .chain(subs.iter().filter_map(required_literals))
            .max_by_key(|set| selectivity(set)),
        HirKind::Alternation(subs) => {
            let mut union = Vec::new();
            for sub in subs {
                union.extend(contained_literals(sub)?);
            }
            union.sort();
            union.dedup();
            (union.len() <= MAX_LITERALS).then_some(union)
        }
        HirKind::Repetition(repetition) if repetition.min > 0 => {
            contained_literals(&repetition.sub)
        }
        HirKind::Capture(capture) => contained_literals(&capture.sub),
        _ => None,
    }
}

/// The more selective of the literals every match of `hir` starts with and those of a part it
/// passes through: a branch such as `(?:enter|register)\b[^.!?]{0,40}\bchance to win` of an
/// alternation gates on "chance to win", not on "enter", which stands in every "entered" and
/// "center" and let the whole pattern run on them.
fn contained_literals(hir: &Hir) -> Option<Vec<String>> {
    [prefix_literals(hir, 3), required_literals(hir)]
        .into_iter()
        .flatten()
        .max_by_key(|set| selectivity(set))
}

/// How selective a literal set is: the longer its shortest literal, the more; of sets with
/// shortest literals of one length, the smaller.
fn selectivity(set: &[String]) -> (Option<usize>, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(|l| l.chars().count()).min();
    (shortest, std::cmp::Reverse(set.len()))
}

/// `hir` with each of its leaves (literals, classes, assertions, the empty match) replaced by
/// what `leaf` makes of it, its sequences, alternations, repetitions and groups kept.
pub(crate) fn map_leaves(hir: &Hir, leaf: &impl Fn(&Hir) -> Hir) -> Hir {
    let map = |sub: &Hir| map_leaves(sub, leaf);
    match hir.kind() {
        HirKind::Concat(subs) => Hir::concat(subs.iter().map(map).collect()),
        HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(map).collect()),
        HirKind::Repetition(repetition) => {
            let mut repetition = repetition.clone();
            repetition.sub = Box::new(map(&repetition.sub));
            Hir::repetition(repetition)
        }
        HirKind::Capture(capture) => {
            let mut capture = capture.clone();
            capture.sub = Box::new(map(&capture.sub));
            Hir::capture(capture)
        }
        HirKind::Empty | HirKind::Literal(_) | HirKind::Class(_) | HirKind::Look(_) => leaf(hir),
    }
}

/// `hir` matching the lower-cased form of what it matched: literals lower-cased, small classes
/// replaced by the lower cases of their members.
fn lower_cased(hir: &Hir) -> Hir {
    map_leaves(hir, &lower_cased_leaf)
}

fn lower_cased_leaf(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Literal(literal) => match std::str::from_utf8(&literal.0) {
            Ok(text) => Hir::literal(without_long_s(text.to_lowercase()).into_bytes()),
            Err(_) => hir.clone(),
        },
        HirKind::Class(class) => {
            let members: Option<Vec<char>> = match class {
                Class::Unicode(class) => {
                    let size: u32 = class
                        .iter()
                        .map(|r| r.end() as u32 - r.start() as u32 + 1)
                        .sum();
                    (size as usize <= MAX_CLASS)
                        .then(|| class.iter().flat_map(|r| r.start()..=r.end()).collect())
                }
                Class::Bytes(class) => {
                    let size: usize = class
                        .iter()
                        .map(|r| (r.end() - r.start()) as usize + 1)
                        .sum();
                    (size <= MAX_CLASS && class.is_ascii()).then(|| {
                        class
                            .iter()
                            .flat_map(|r| r.start()..=r.end())
                            .map(char::from)
                            .collect()
                    })
                }
            };
            let Some(members) = members else {
                return hir.clone();
            };
            let mut lower: Vec<String> = members
                .iter()
                .map(|c| without_long_s(c.to_lowercase().collect()))
                .collect();
            lower.sort();
            lower.dedup();
            Hir::alternation(
                lower
                    .into_iter()
                    .map(|l| Hir::literal(l.into_bytes()))
                    .collect(),
            )
        }
        _ => hir.clone(),
    }
}

/// `lower` with every long s as `s` ([`LONG_S`]).
fn without_long_s(lower: String) -> String {
    if lower.contains(LONG_S) {
        lower.replace(LONG_S, "s")
    } else {
        lower
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (name, pattern, literals the gate looks for; `None` when the pattern is not gated)
    const LITERALS: &[(&str, &str, Option<&[&str]>)] = &[
        (
            "case-insensitive words",
            r"(?i)\b(?:Herunterladen|abonnieren)\s*$",
            Some(&["abonnieren", "herunterladen"]),
        ),
        (
            "case-sensitive words are looked for lower-cased",
            r"^(?:Jetzt\s+)?Sichern\s+Sie\b",
            Some(&["jetzt", "sichern"]),
        ),
        ("a class of capitals", r"[AB]x", Some(&["ax", "bx"])),
        ("umlauts fold", r"(?i)über", Some(&["über"])),
        ("any letter first", r"\p{L}+en$", None),
        ("one letter", r"a", None),
        ("one sign", r"→", Some(&["→"])),
        ("a sign at the end", r"^\S[^.!?]{2,60}\?$", Some(&["?"])),
        (
            "signs after anything",
            r"(?:→|>>|\s›)\s*$",
            Some(&[">>", "›", "→"]),
        ),
        ("an optional start", r"(?:foo)?bar|", None),
        (
            "words after anything",
            r"(?i)^\W*(?:Anzeige|werbung)",
            Some(&["anzeige", "werbung"]),
        ),
        (
            "the rest of a sequence",
            r"\b[a-z0-9-]+\.(?:de|com)/\S*",
            Some(&[".com/", ".de/"]),
        ),
        (
            "the most selective part",
            r"\d+\s?(?:euro|\$)\s*(?:pro|im)\s*(?:Monat|Woche)\b",
            Some(&["monat", "woche"]),
        ),
        (
            "each branch",
            r"(?:\babo\b|\w*plus-artikel)",
            Some(&["abo", "plus-artikel"]),
        ),
        ("a branch without literals", r"\w*plus|\d+", None),
        (
            "a branch on its most selective part",
            r"(?i)\bgiveaway\b|\w*karten zu gewinnen|(?:enter|register)\b[^.!?]{0,40}\bchance to win",
            Some(&["chance to win", "giveaway", "karten zu gewinnen"]),
        ),
        (
            "a case-insensitive s as s alone",
            r"(?i)\bsparen\b",
            Some(&["sparen"]),
        ),
    ];

    #[test]
    fn a_literal_cut_inside_a_character_keeps_the_characters_before() {
        let cut = Literal::inexact("10 €".as_bytes()[..4].to_vec());
        assert_eq!(literal_text(&cut), Some("10 "));
        assert_eq!(literal_text(&Literal::exact(b"10 \xE2".to_vec())), None);
        assert_eq!(literal_text(&Literal::inexact(b"10\xFF ".to_vec())), None);
    }

    #[test]
    fn patterns_give_their_gate_literals() {
        for (name, pattern, expected) in LITERALS {
            let hir = regex_syntax::parse(pattern).expect("a valid pattern");
            let found = gate_literals(&hir).map(|(literals, _)| literals);
            let expected = expected.map(|e| e.iter().map(|s| s.to_string()).collect::<Vec<_>>());
            assert_eq!(found, expected, "{name}: {pattern}");
        }
    }

    /// (name, pattern, sentence, may match)
    const CANDIDATES: &[(&str, &str, &str, bool)] = &[
        (
            "word present",
            r"(?i)\bherunterladen\b",
            "Jetzt HERUNTERLADEN!",
            true,
        ),
        (
            "word absent",
            r"(?i)\bherunterladen\b",
            "Die Stadt baut.",
            false,
        ),
        ("capital umlaut", r"(?i)\büber\b", "ÜBER UNS", true),
        (
            "ungated always passes",
            r"\p{L}+en$",
            "Die Stadt baut.",
            true,
        ),
        (
            "a case-insensitive s gates as s",
            MANY_S,
            "El alcalde inaugura el puente.",
            false,
        ),
        (
            "a long s passes every pattern",
            MANY_S,
            "Los conſumidores deben comparar.",
            true,
        ),
    ];

    /// A pattern with many a case-insensitive `s` (which also matches the long s `ſ`): spelled
    /// out with the long s, its literals were cut to four bytes, some inside a long s, and
    /// the pattern ran ungated (es.advice).
    const MANY_S: &str = r"(?i)\b(?:deberías|debería usted|conviene|se recomienda|es recomendable|es aconsejable|(?:los )?(?:consumidores|clientes|compradores|padres|ahorradores|inquilinos|pacientes|viajeros) (?:deben|deberían)|(?:los )?(?:expertos|especialistas|asociaciones de consumidores) (?:recomiendan|aconsejan))\b";

    #[test]
    fn the_gate_passes_what_may_match_and_stops_what_cannot() {
        let (mut lowercase, mut out) = (String::new(), Vec::new());
        for (name, pattern, sentence, may_match) in CANDIDATES {
            let gate = LiteralGate::new([*pattern]);
            gate.candidates(sentence, &mut lowercase, &mut out);
            assert_eq!(out, [*may_match], "{name}");
        }
    }

    #[test]
    fn every_rule_passes_the_gate_on_the_sentences_it_must_match() {
        let rules = crate::RuleSet::builtin();
        let (mut lowercase, mut out) = (String::new(), Vec::new());
        for rule in rules.rules() {
            let gate = LiteralGate::new([rule.pattern.as_str()]);
            for sentence in &rule.must_match {
                gate.candidates(sentence, &mut lowercase, &mut out);
                assert!(out[0], "{}: gate stops {sentence:?}", rule.id);
            }
        }
    }
}
