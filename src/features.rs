//! Features: which cues fire on each sentence, and the sentence's promo score.
//!
//! Cue patterns run over the sentence with the contents of quotation marks blanked out: a slogan
//! or a quote from a person in the story is the story, not the publisher's pitch. A rule may be
//! tied to a position in its block (first, last, alone), which is how form cues such as a
//! call to action without a period at the end of a paragraph are expressed as data.

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::sync::LazyLock;

use crate::letters;
use crate::rules::{BlockStopwords, Category, MatchBuffers, Position, RuleSet};
use crate::sentences::Sentence;
use crate::structure::{BlockKind, Span, Structure};

/// One cue that fired: the rule (an index into [`RuleSet::rules`]) and how strongly, a factor
/// on the rule's weight (1 for one match, 1.5 for two, 2 for three or more).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cue {
    pub rule: usize,
    pub strength: f64,
}

/// The cues that fired on one sentence and their weighted sum.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SentenceFeatures {
    pub cues: Vec<Cue>,
    pub score: f64,
    /// It shares the article's vocabulary (see `mark_shared_words`): the decoder lets a promo run
    /// take such a sentence without a pitch of its own only as the opener of a pitch that goes on.
    pub on_topic: bool,
    /// The length in letters of the longest content word it shares with the block after its own
    /// (0 for none; see [`EchoBelow::mark`]): a call to action under a pitch names what the pitch
    /// offered, a set-up paragraph speaks of what the pitch below it sells. Cleaning finds it
    /// only where the decoder reads it ([`crate::labels::reads_echo_below`]), and leaves 0
    /// elsewhere; [`extract`] finds it for every sentence.
    pub echo_below: usize,
    /// It shares with the block after its own a word that stands in no other block of the
    /// article (see `mark_shared_words`): what the two blocks speak of, the rest of the article does
    /// not, as an insert's call to action names the offer of the paragraph above it.
    pub echo_below_only: bool,
    /// Such a word of [`SentenceFeatures::echo_below_only`] is a name in it: capitalised, and not
    /// its first word ("Hydrelle" in the paragraph that introduces the company over the
    /// company's offer to readers), not a verb the two blocks happen to share ("caused").
    pub names_below_only: bool,
    /// The last sentence of its own paragraph that names again a name this sentence brings in: a
    /// capitalised word that stands in no other paragraph, back in a web address or a hyphenated
    /// word ("Die Haustechnik Brandl GmbH … bietet …" before "Jetzt Termin vereinbaren unter
    /// brandl-haustechnik.de"; see `WordOf::joined`). A paragraph that brings a seller in and
    /// closes on its offer is the seller's; a pitch glued under a story names nothing the
    /// story's sentences brought in (a German noun, capitalised as any, is no name: "ein
    /// Gehaltsgespräch" before "Unsere Checkliste „Gehaltsgespräch in 10 Schritten“").
    pub named_again_at: Option<usize>,
    /// It holds quoted speech (text in quotation marks, blanked before matching): what a person
    /// in the story said, which no insert's set-up does (see `labels::is_lead_in`).
    pub quotes_speech: bool,
}

impl SentenceFeatures {
    /// The score under other rule weights (indexed like [`RuleSet::rules`]).
    pub fn score_with(&self, rule_weights: &[f64]) -> f64 {
        self.cues
            .iter()
            .map(|c| rule_weights[c.rule] * c.strength)
            .sum()
    }
}

/// Where a sentence stands in its block.
#[derive(Clone, Copy, Debug)]
struct Place {
    first: bool,
    last: bool,
    alone: bool,
    in_short_run: bool,
    own_typography: bool,
    /// Written in another language than the article (by its stopwords).
    switched_language: bool,
    /// In the answer under an interview's question ([`interview_turns`]).
    interview_answer: bool,
    /// In one of an interview's questions ([`interview_turns`]).
    interview_question: bool,
}

impl Place {
    fn allows(self, position: Position) -> bool {
        match position {
            Position::Any => true,
            Position::ParagraphStart => self.first,
            Position::ParagraphOpener => self.first && !self.alone,
            Position::ParagraphEnd => self.last && !self.alone,
            Position::Standalone => self.alone,
            Position::ShortLineRun => self.in_short_run,
            Position::OwnTypography => self.own_typography,
            Position::LanguageSwitch => self.switched_language,
            Position::InterviewAnswer => self.interview_answer,
            Position::InterviewQuestion => self.interview_question,
            // Decided once all cues are known, in `add_topic_cues`.
            Position::ArticleTopic => false,
        }
    }
}

/// Features of every sentence, in order. `language` is the article's; a sentence written in
/// another language that has rules (an English promo in a German article) gets that language's
/// rules instead, so that cues are neither missed nor counted twice.
pub fn extract(
    text: &str,
    structure: &Structure,
    sentences: &[Sentence],
    language: &str,
    rules: &RuleSet,
) -> Vec<SentenceFeatures> {
    let (mut features, echo) = extract_but_echo(text, structure, sentences, language, rules);
    echo.mark(
        &mut features,
        text,
        sentences,
        rules,
        &vec![true; sentences.len()],
    );
    features
}

/// The features of [`extract`] with every [`SentenceFeatures::echo_below`] left at 0, and what
/// finds it for the sentences that need it ([`EchoBelow::mark`]). The search of the block
/// below took a tenth of a warm article's instructions, and the decoder reads its result only
/// next to cues ([`crate::labels::reads_echo_below`]), which are known once the cue of
/// recurring passages is added after this.
pub fn extract_but_echo(
    text: &str,
    structure: &Structure,
    sentences: &[Sentence],
    language: &str,
    rules: &RuleSet,
) -> (Vec<SentenceFeatures>, EchoBelow) {
    let short_runs = short_line_runs(text, structure, rules.structure().short_line_run);
    let own_typography = own_typography(text, structure);
    let interview = interview_turns(text, structure, sentences, &rules.structure().first_person);
    let carried = carried_quotes(text, structure);
    // The current block with its quotes masked, its language and its stopwords.
    let words = Words::new(text, structure, rules);
    let mut buffers = MatchBuffers::default();
    let mut masked_block = (
        usize::MAX,
        Cow::Borrowed(""),
        language,
        Cow::Owned(BlockStopwords::default()),
    );
    let mut features: Vec<SentenceFeatures> = sentences
        .iter()
        .enumerate()
        .map(|(i, sentence)| {
            let first = i == 0 || sentences[i - 1].block != sentence.block;
            let last = i + 1 == sentences.len() || sentences[i + 1].block != sentence.block;
            if masked_block.0 != sentence.block {
                let block = structure.blocks[sentence.block].span;
                let masked =
                    on_one_line(mask_block_quotes(block.of(text), carried[sentence.block]));
                let stopwords = match masked {
                    Cow::Borrowed(_) => Cow::Borrowed(&words.stopwords[sentence.block]),
                    Cow::Owned(ref masked) => {
                        Cow::Owned(words.stopwords[sentence.block].outside_blanks(masked))
                    }
                };
                let block_language = rules.block_language_of(&masked, &stopwords, language);
                masked_block = (sentence.block, masked, block_language, stopwords);
            }
            let base = structure.blocks[sentence.block].span.start;
            let range = sentence.span.start - base..sentence.span.end - base;
            let (_, block, block_language, stopwords) = &masked_block;
            let sentence_language = rules.sentence_language_in(
                block,
                stopwords,
                range.clone(),
                block_language,
                language,
            );
            let whole = &block[range.clone()];
            // An entry's first sentence opens after its time ("10:40 Get … alerts"): cues of a
            // paragraph's opening words look there.
            let stamp = structure.stamps[sentence.block];
            let stamp = if range.start == 0 && stamp < range.len() {
                stamp
            } else {
                0
            };
            let masked = &whole[stamp..];
            let place = Place {
                first,
                last,
                alone: first && last,
                in_short_run: short_runs[sentence.block],
                own_typography: own_typography[sentence.block]
                    .iter()
                    .any(|c| sentence.span.of(text).contains(*c)),
                switched_language: sentence_language != language,
                interview_answer: interview.answers[sentence.block],
                interview_question: interview.questions[sentence.block],
            };
            let mut cues = Vec::new();
            let mut score = 0.0;
            if rules.has_word_rules() {
                let mut seen: Vec<usize> = Vec::new();
                for token in masked
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|t| !t.is_empty())
                {
                    let Some(r) = rules.word_rule(sentence_language, &token.to_lowercase()) else {
                        continue;
                    };
                    if !seen.contains(&r) {
                        seen.push(r);
                        score += rules.rules()[r].weight;
                        cues.push(Cue {
                            rule: r,
                            strength: 1.0,
                        });
                    }
                }
            }
            // Each further match of the same cue adds half its weight, up to three matches: a
            // sentence that names a broker, a bonus and a depot says more than one that names
            // only one of them.
            // A block without quotes that the word table lower-cased in place: the gate takes
            // the sentence's lowercase from there.
            let lowercase = (matches!(block, Cow::Borrowed(_)) && words.in_place[sentence.block])
                .then(|| &words.lower[sentence.span.start + stamp..sentence.span.end]);
            rules.matching_rules(
                sentence_language,
                (masked, lowercase),
                3,
                |p| place.allows(p),
                &mut buffers,
                |r, matches| {
                    let strength = 1.0 + 0.5 * (matches - 1) as f64;
                    score += rules.rules()[r].weight * strength;
                    cues.push(Cue { rule: r, strength });
                },
            );
            SentenceFeatures {
                cues,
                score,
                on_topic: false,
                echo_below: 0,
                echo_below_only: false,
                names_below_only: false,
                named_again_at: None,
                quotes_speech: quotes_speech(
                    &on_one_line(Cow::Borrowed(sentence.span.of(text))),
                    whole,
                ),
            }
        })
        .collect();
    drop_bare_short_line_runs(
        &mut features,
        text,
        structure,
        sentences,
        &short_runs,
        rules,
    );
    drop_the_article_voice(&mut features, rules);
    let topic_rules: Vec<usize> = (0..rules.rules().len())
        .filter(|&r| rules.rules()[r].position == Position::ArticleTopic)
        .collect();
    add_topic_cues(&mut features, text, sentences, &topic_rules, rules);
    // Each block's paragraph, as the index of its first block: in text hard-wrapped without
    // blank lines a paragraph may stand in several blocks (`Block::may_continue`).
    let mut paragraph_of = Vec::with_capacity(structure.blocks.len());
    for (b, block) in structure.blocks.iter().enumerate() {
        let first = if b > 0 && block.may_continue {
            paragraph_of[b - 1]
        } else {
            b
        };
        paragraph_of.push(first);
    }
    mark_shared_words(
        &mut features,
        text,
        &words,
        sentences,
        &paragraph_of,
        (&topic_rules, rules),
    );
    (features, EchoBelow { words })
}

/// The words of an article's blocks, kept from [`extract_but_echo`] to find the echo below of
/// the sentences that need it.
pub struct EchoBelow {
    words: Words,
}

impl EchoBelow {
    /// Sets [`SentenceFeatures::echo_below`] of every sentence `i` with `wanted[i]`: the
    /// length in letters of the longest content word it shares with the block after its own
    /// (0 for none, and for a sentence of the last block). A call to action that closes a pitch
    /// names what the pitch offered ("Jetzt Depot eröffnen" under a sentence about a depot,
    /// "Download your free copy" under a free guide); the opening line of the next insert,
    /// below a pitch for something else, does not.
    pub fn mark(
        &self,
        features: &mut [SentenceFeatures],
        text: &str,
        sentences: &[Sentence],
        rules: &RuleSet,
        wanted: &[bool],
    ) {
        let words = &self.words;
        // The block below, the first letters of its content words, and its sorted content words
        // once a word gets past those.
        let mut below: (usize, FirstLetters, Option<Vec<&str>>) =
            (usize::MAX, FirstLetters::default(), None);
        let mut scratch = Default::default();
        for ((sentence, f), _) in sentences
            .iter()
            .zip(features.iter_mut())
            .zip(wanted)
            .filter(|(_, &wanted)| wanted)
        {
            let next = sentence.block + 1;
            if next >= words.blocks.len() {
                continue;
            }
            if below.0 != next {
                below = (next, FirstLetters::of_block(words, next), None);
            }
            // The longest content word shared with the block below (a stopword shares none).
            let mut longest = 0;
            words.for_each_in(
                text,
                sentence.block,
                sentence.span,
                &mut scratch,
                rules,
                |w| {
                    if !w.stopword && below.1.may_start(w.lower) {
                        let sorted = below
                            .2
                            .get_or_insert_with(|| sorted_content_words(words, next));
                        longest = longest.max(shared_word(w.lower, sorted));
                    }
                },
            );
            f.echo_below = longest;
        }
    }
}

/// How many sentences, at least, and what share of all (1 in `VOICE_SHARE`) must address the
/// reader for that to be the article's own voice.
const VOICE_MIN_SENTENCES: usize = 6;
const VOICE_SHARE: usize = 4;

/// Takes the cue of addressing the reader (`<lang>.second_person`) off every sentence of an
/// article that speaks to its reader throughout: an advice column, a consumer guide or an
/// explainer says "you" as its own voice, and an insert there is told by what it offers, not by
/// its "you". In a news story the reader is addressed only where something is sold to them.
fn drop_the_article_voice(features: &mut [SentenceFeatures], rules: &RuleSet) {
    let addresses = |cue: &Cue| rules.rules()[cue.rule].id.ends_with(".second_person");
    let addressing = features
        .iter()
        .filter(|f| f.cues.iter().any(addresses))
        .count();
    if addressing < VOICE_MIN_SENTENCES || addressing * VOICE_SHARE < features.len() {
        return;
    }
    for f in features.iter_mut() {
        for cue in f.cues.iter().filter(|c| addresses(c)) {
            f.score -= rules.rules()[cue.rule].weight * cue.strength;
        }
        f.cues.retain(|c| !addresses(c));
    }
}

/// Bytes of text per stopword that a block's list of stopwords has room for at once, instead
/// of growing stopword by stopword (the corpus has one per 17 bytes).
const STOPWORD_BYTES: usize = 12;

/// Words shorter than this are not content words (with the stopwords of every language).
const ECHO_WORD_MIN_CHARS: usize = 3;
/// How long the shorter of two words must be to match the longer by its start ("Depot",
/// "Depots").
const ECHO_PREFIX_MIN_CHARS: usize = 4;

/// A word of a block, a longest run of letters, of at least [`ECHO_WORD_MIN_CHARS`] letters
/// (shorter ones are compared by neither the echo below of [`EchoBelow::mark`] nor the on-topic
/// marking of `mark_shared_words`).
#[derive(Clone, Copy, Debug)]
struct Word {
    /// Where it stands in the text.
    start: usize,
    end: usize,
    /// Its lowercase form, lower-cased letter by letter: a range of [`Words::lower`].
    lower: (usize, usize),
    /// Its lowercase form as `str::to_lowercase` gives it, which differs from `lower` only in
    /// a final sigma.
    topic_lower: (usize, usize),
    letters: usize,
    /// Its lowercase form is a stopword of some language: no content word.
    stopword: bool,
    /// A numeric character stands right before (after) it in its block: the word is then part
    /// of an alphanumeric token, which is no topic word.
    numeric_before: bool,
    numeric_after: bool,
}

/// One word of a sentence as the sentence's own text splits into it.
struct WordOf<'a> {
    lower: &'a str,
    topic_lower: &'a str,
    letters: usize,
    stopword: bool,
    /// `topic_lower` is a stopword: `stopword` unless the two forms differ.
    topic_stopword: bool,
    /// Neither digits nor other numeric characters stand beside it in the sentence.
    alone: bool,
    /// Where it starts in `text`, inside the sentence `sentence`: what
    /// [`WordOf::capitalised`] looks at, only for the few words that need it.
    start: usize,
    sentence: Span,
    text: &'a str,
}

impl WordOf<'_> {
    /// It opens with a capital letter and is not the sentence's first word: a name (or, in
    /// German, any noun).
    fn capitalised(&self) -> bool {
        capitalised(self.text, self.start, self.sentence)
    }

    /// It is joined to a neighbour by a hyphen or stands in a web address
    /// ("Agrotrace-Onlineshop", "brandl-haustechnik.de", "alisio.es"): how a seller's name
    /// comes back in its call to action, and a common noun of the story does not.
    fn joined(&self) -> bool {
        let rest = &self.text[self.start..];
        let end = rest
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(rest.len());
        let before = self.text[..self.start].chars().next_back();
        let mut after = rest[end..].chars();
        matches!(before, Some('-' | '.' | '/' | '@'))
            || match after.next() {
                Some('-') => true,
                Some('.') => after.next().is_some_and(char::is_alphanumeric),
                _ => false,
            }
    }
}

/// The words of every block, split and lower-cased once: `mark_shared_words` and
/// [`EchoBelow::mark`] compare each sentence's words with those of blocks (on topic, echo
/// below), and splitting and lower-casing every block and sentence again for each of them cost
/// two fifths of a warm article's instructions.
struct Words {
    /// The text lower-cased, in place in every block where that keeps each character's
    /// length in bytes ([`Words::in_place`]): there a word's lowercase form is its own span
    /// of it, and the literal gate of the rules searches a sentence's span of it instead of
    /// lower-casing the sentence again. After the text: the lowercase forms of the words of
    /// the other blocks, and the `str::to_lowercase` forms that differ.
    lower: String,
    /// Whether each block is lower-cased in place in `lower`.
    in_place: Vec<bool>,
    words: Vec<Word>,
    /// Each block's words: a range of `words`.
    blocks: Vec<(usize, usize)>,
    /// Each block's stopwords, as [`RuleSet::block_stopwords`] finds them in its text: the
    /// features of a block take them from here instead of reading it again (a block with
    /// quotes those outside its quotations, [`BlockStopwords::outside_blanks`]).
    stopwords: Vec<BlockStopwords>,
    /// Room for lower-casing a word to look it up.
    scratch: String,
}

impl Words {
    fn new(text: &str, structure: &Structure, rules: &RuleSet) -> Words {
        // One copy of the text, lower-cased at once (its ASCII) and then block by block.
        let mut lower = String::with_capacity(text.len() + text.len() / 8);
        lower.push_str(text);
        lower.make_ascii_lowercase();
        let in_place = structure
            .blocks
            .iter()
            .map(|b| letters::lowercase_in_place(&mut lower, b.span.start..b.span.end))
            .collect();
        let mut words = Words {
            lower,
            in_place,
            // One word of three letters or more per eight bytes of text on average (the corpus:
            // 0.125), up to one per seven in an article: room for one per six at once instead of
            // growing the table word by word (each growth copies it).
            words: Vec::with_capacity(text.len() / 6),
            blocks: Vec::with_capacity(structure.blocks.len()),
            stopwords: Vec::with_capacity(structure.blocks.len()),
            scratch: String::new(),
        };
        for (b, block) in structure.blocks.iter().enumerate() {
            let in_place = words.in_place[b];
            let first = words.words.len();
            let base = block.span.start;
            let bytes = block.span.of(text).as_bytes();
            words
                .stopwords
                .push(BlockStopwords::with_capacity(bytes.len() / STOPWORD_BYTES));
            // Where the current run of letters began, and whether a numeric character stood
            // before it. ASCII bytes are told without decoding them.
            let mut run: Option<(usize, bool)> = None;
            // The current run's letters, and whether all of them are ASCII.
            let (mut letters, mut ascii) = (0, true);
            let mut last_numeric = false;
            let mut at = 0;
            while at < bytes.len() {
                let (letter, numeric, len) = if bytes[at].is_ascii() {
                    let b = bytes[at];
                    (b.is_ascii_alphabetic(), b.is_ascii_digit(), 1)
                } else {
                    let c = text[base + at..]
                        .chars()
                        .next()
                        .expect("a character starts here");
                    let letter = letters::is_alphabetic(c);
                    (letter, !letter && c.is_numeric(), c.len_utf8())
                };
                if letter {
                    if run.is_none() {
                        run = Some((at, last_numeric));
                        (letters, ascii) = (0, true);
                    }
                    letters += 1;
                    ascii &= len == 1;
                    at += len;
                    // The ASCII letters that follow, without the tests above for each.
                    while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
                        letters += 1;
                        at += 1;
                    }
                    continue;
                }
                if let Some((start, numeric_before)) = run.take() {
                    let word = (start, at, letters, ascii);
                    words.push(
                        text,
                        (base, in_place),
                        word,
                        (numeric_before, numeric),
                        rules,
                    );
                }
                last_numeric = numeric;
                at += len;
            }
            if let Some((start, numeric_before)) = run {
                let word = (start, bytes.len(), letters, ascii);
                words.push(text, (base, in_place), word, (numeric_before, false), rules);
            }
            words.blocks.push((first, words.words.len()));
        }
        words
    }

    /// Adds a word of the block that starts at `base` (lower-cased in place in
    /// [`Words::lower`] or not), `(start, end, letters, ascii)` (where it stands in the block,
    /// how many letters it has, whether they are all ASCII): to the block's stopwords, and to
    /// its words if it has at least [`ECHO_WORD_MIN_CHARS`] letters.
    fn push(
        &mut self,
        text: &str,
        (base, in_place): (usize, bool),
        (start, end, letters, ascii): (usize, usize, usize, bool),
        (before, after): (bool, bool),
        rules: &RuleSet,
    ) {
        let word = &text[base + start..base + end];
        let from = self.lower.len();
        if ascii {
            // Lower-cased once, for the table and for the stopword lookup: in place, or
            // after the text.
            let lower = if in_place {
                (base + start, base + end)
            } else {
                self.lower.push_str(word);
                self.lower[from..].make_ascii_lowercase();
                (from, self.lower.len())
            };
            let mask = rules.lowercase_stopword_mask(&self.lower[lower.0..lower.1], letters);
            self.stopwords
                .last_mut()
                .expect("a block's stopwords")
                .add(start, end, mask);
            if letters < ECHO_WORD_MIN_CHARS {
                self.lower.truncate(from);
                return;
            }
            self.words.push(Word {
                start: base + start,
                end: base + end,
                lower,
                topic_lower: lower,
                letters,
                stopword: mask.is_some(),
                numeric_before: before,
                numeric_after: after,
            });
            return;
        }
        let mask = rules.stopword_mask(word, letters, &mut self.scratch);
        self.stopwords
            .last_mut()
            .expect("a block's stopwords")
            .add(start, end, mask);
        if letters < ECHO_WORD_MIN_CHARS {
            return;
        }
        // In a block lower-cased in place, every character's lowercase is one character.
        let lower = if in_place {
            (base + start, base + end)
        } else {
            letters::extend_lowercase(&mut self.lower, word);
            (from, self.lower.len())
        };
        let lower_str = &self.lower[lower.0..lower.1];
        // `mask` was looked up by this lowercase form unless the word has no uppercase letter
        // and still changes when lower-cased letter by letter.
        let stopword = if lower_str == word || word.chars().any(char::is_uppercase) {
            mask.is_some()
        } else {
            letters <= rules.longest_stopword() && rules.is_stopword(lower_str)
        };
        // 'Σ' is the bytes CE A3: most words beyond ASCII (accented Latin letters) have no CE,
        // found with memchr before the search for the character.
        let topic_lower = if memchr::memchr(0xCE, word.as_bytes()).is_some() && word.contains('Σ')
        {
            let at = self.lower.len();
            self.lower.push_str(&word.to_lowercase());
            (at, self.lower.len())
        } else {
            lower
        };
        self.words.push(Word {
            start: base + start,
            end: base + end,
            lower,
            topic_lower,
            letters,
            stopword,
            numeric_before: before,
            numeric_after: after,
        });
    }

    fn lower(&self, range: (usize, usize)) -> &str {
        &self.lower[range.0..range.1]
    }

    /// The words of block `block`.
    fn of_block(&self, block: usize) -> &[Word] {
        let (first, end) = self.blocks[block];
        &self.words[first..end]
    }

    /// Calls `found` with the words of `span`, a part of block `block`, as the text of `span`
    /// alone splits into them (a word the span cuts is cut), in order. `scratch` holds the
    /// lowercase forms of cut words.
    fn for_each_in(
        &self,
        text: &str,
        block: usize,
        span: Span,
        scratch: &mut (String, String),
        rules: &RuleSet,
        mut found: impl FnMut(WordOf<'_>),
    ) {
        let words = self.of_block(block);
        let first = words.partition_point(|w| w.end <= span.start);
        for w in words[first..].iter().take_while(|w| w.start < span.end) {
            // A numeric character beside the word counts only within the span.
            if w.start >= span.start && w.end <= span.end {
                let numeric_beside = (w.numeric_before && w.start > span.start)
                    || (w.numeric_after && w.end < span.end);
                let topic_stopword = if w.topic_lower == w.lower {
                    w.stopword
                } else {
                    rules.is_stopword(self.lower(w.topic_lower))
                };
                found(WordOf {
                    lower: self.lower(w.lower),
                    topic_lower: self.lower(w.topic_lower),
                    letters: w.letters,
                    stopword: w.stopword,
                    topic_stopword,
                    alone: !numeric_beside,
                    start: w.start,
                    sentence: span,
                    text,
                });
                continue;
            }
            let (start, end) = (w.start.max(span.start), w.end.min(span.end));
            let numeric_beside = (w.numeric_before && start == w.start && start > span.start)
                || (w.numeric_after && end == w.end && end < span.end);
            let piece = &text[start..end];
            let letters = piece.chars().count();
            if letters < ECHO_WORD_MIN_CHARS {
                continue;
            }
            scratch.0.clear();
            lower_case_into(piece, &mut scratch.0);
            scratch.1.clear();
            scratch.1.push_str(&piece.to_lowercase());
            let stopword = rules.is_stopword(&scratch.0);
            found(WordOf {
                lower: &scratch.0,
                topic_lower: &scratch.1,
                letters,
                stopword,
                topic_stopword: if scratch.0 == scratch.1 {
                    stopword
                } else {
                    rules.is_stopword(&scratch.1)
                },
                alone: !numeric_beside,
                start,
                sentence: span,
                text,
            });
        }
    }
}

/// Whether the word at `start` opens with a capital letter and is not the first word of the
/// sentence `span`.
fn capitalised(text: &str, start: usize, span: Span) -> bool {
    start > span.start
        && text[start..].chars().next().is_some_and(char::is_uppercase)
        && text[span.start..start].chars().any(char::is_alphanumeric)
}

/// Appends `word` lower-cased letter by letter.
fn lower_case_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        let from = out.len();
        out.push_str(word);
        out[from..].make_ascii_lowercase();
    } else {
        letters::extend_lowercase(out, word);
    }
}

/// The distinct content words of block `block` (no stopword of any language), sorted: what
/// [`shared_word`] searches. Sorted by their first eight bytes as a number first, which orders
/// them as the bytes do (a word has no zero byte to tell from the padding), so that most
/// comparisons are of two numbers, not two strings.
fn sorted_content_words(words: &Words, block: usize) -> Vec<&str> {
    let block_words = words.of_block(block);
    // Room for all of them at once: collected through a filter, the list grew word by word.
    let mut content: Vec<(u64, &str)> = Vec::with_capacity(block_words.len());
    content.extend(block_words.iter().filter(|w| !w.stopword).map(|w| {
        let word = words.lower(w.lower);
        let mut first = [0; 8];
        let len = word.len().min(8);
        first[..len].copy_from_slice(&word.as_bytes()[..len]);
        (u64::from_be_bytes(first), word)
    }));
    content.sort_unstable();
    content.dedup();
    content.into_iter().map(|(_, word)| word).collect()
}

/// The length in letters of the longest word `word` shares with the sorted, distinct `words`:
/// its own, when one of them is the same word or starts with it and it has at least
/// [`ECHO_PREFIX_MIN_CHARS`] letters; else that of the longest of them that `word` starts with
/// and that has that many (a plural, a case ending, a compound: "Depot", "Depots"); else 0.
/// Binary searches, not a comparison with every word: a sentence is checked against the whole
/// block below it.
fn shared_word(word: &str, words: &[&str]) -> usize {
    // Every word it shares starts with its first letters: most words stop at this one search.
    let key = word
        .char_indices()
        .nth(ECHO_PREFIX_MIN_CHARS)
        .map_or(word, |(end, _)| &word[..end]);
    let words = &words[words.partition_point(|w| *w < key)..];
    // Those that start with it come first among the words not below it.
    if !words.first().is_some_and(|w| w.starts_with(key)) {
        return 0;
    }
    let words = &words[..words.partition_point(|w| w.starts_with(key))];
    let letters = word.chars().count();
    // The words that start with `word` sort right after it, the same word first.
    if let Some(&next) = words.get(words.partition_point(|w| *w < word)) {
        if next == word || (letters >= ECHO_PREFIX_MIN_CHARS && next.starts_with(word)) {
            return letters;
        }
    }
    // Its proper prefixes, longest first: the one ending before the k-th letter has k letters.
    word.char_indices()
        .rev()
        .zip((0..letters).rev())
        .take_while(|&(_, prefix_letters)| prefix_letters >= ECHO_PREFIX_MIN_CHARS)
        .find(|&((end, _), _)| words.binary_search(&&word[..end]).is_ok())
        .map_or(0, |(_, prefix_letters)| prefix_letters)
}

/// The first three and the first [`ECHO_PREFIX_MIN_CHARS`] letters of the content words of a
/// block, hashed into two filters of 256 bits: a word whose first letters are in neither
/// shares no word with the block ([`shared_word`] finds none that starts with them), told
/// without searching the block's sorted words, or sorting them.
#[derive(Default)]
struct FirstLetters {
    three: [u64; 4],
    four: [u64; 4],
}

impl FirstLetters {
    fn of_block(words: &Words, block: usize) -> FirstLetters {
        let mut filter = FirstLetters::default();
        for w in words.of_block(block).iter().filter(|w| !w.stopword) {
            let (three, four, _) = first_letters(words.lower(w.lower));
            set(&mut filter.three, three);
            set(&mut filter.four, four);
        }
        filter
    }

    /// Whether a word of the block may start with the first letters of `word` that
    /// [`shared_word`] looks for (its first [`ECHO_PREFIX_MIN_CHARS`], or all of a shorter
    /// word).
    fn may_start(&self, word: &str) -> bool {
        match first_letters(word) {
            (_, four, letters) if letters >= ECHO_PREFIX_MIN_CHARS => is_set(&self.four, four),
            (three, _, 3) => is_set(&self.three, three),
            // Shorter than any word of the table: not filtered.
            _ => true,
        }
    }
}

/// The hashes (FNV-1a) of the first three and the first four letters of `word` (of all of it
/// when it is shorter), and how many letters it has up to four.
fn first_letters(word: &str) -> (u64, u64, usize) {
    let (mut hash, mut three, mut letters) = (0xcbf2_9ce4_8422_2325_u64, None, 0);
    for &b in word.as_bytes() {
        // A byte that starts a character.
        if b & 0xC0 != 0x80 {
            if letters == 3 {
                three = Some(hash);
            }
            if letters == ECHO_PREFIX_MIN_CHARS {
                return (three.unwrap_or(hash), hash, letters);
            }
            letters += 1;
        }
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    (three.unwrap_or(hash), hash, letters)
}

fn set(filter: &mut [u64; 4], hash: u64) {
    let bit = (hash >> 56) as usize;
    filter[bit >> 6] |= 1 << (bit & 63);
}

fn is_set(filter: &[u64; 4], hash: u64) -> bool {
    let bit = (hash >> 56) as usize;
    filter[bit >> 6] & (1 << (bit & 63)) != 0
}

/// Words at least this long count as the vocabulary a sentence shares with the article: shorter
/// ones are mostly function words.
const TOPIC_WORD_MIN_CHARS: usize = 5;
/// How many of its words a sentence must share with other blocks to be on the article's topic.
const TOPIC_SHARED_WORDS: usize = 2;

/// How many of a sentence's topic words, at least, and what share of them (1 in
/// `SUMMARY_SHARE`) must stand in three blocks or more for the sentence to sum the story up.
const SUMMARY_MIN_WORDS: usize = 3;
const SUMMARY_SHARE: usize = 2;

/// How long a word must be for [`SentenceFeatures::echo_below_only`]: a thing the two blocks
/// speak of ("Brixly", "report"), not a word any two blocks may use ("jeden").
const ONLY_BELOW_MIN_CHARS: usize = 6;

/// Marks every sentence with the words it shares with other blocks, in one walk over its words:
///
/// - On topic: it shares at least [`TOPIC_SHARED_WORDS`] words with other blocks of the article
///   (drift, turned around): a sentence that speaks of what the rest of the article speaks of
///   is the story's, an insert's opener speaks of the reader or the offer.
/// - Sums the story up: at least [`SUMMARY_MIN_WORDS`] of its topic words, and half of them,
///   stand in three blocks or more; it gets the `article_topic` rules' editorial cue.
/// - Shares with the block after its own a word no other block uses
///   ([`SentenceFeatures::echo_below_only`]), and whether that word is a name in it.
///
/// (Each had walked the words of every sentence on its own.) The longest word it shares with
/// the block below is found apart, only where the decoder reads it ([`EchoBelow::mark`]).
fn mark_shared_words(
    features: &mut [SentenceFeatures],
    text: &str,
    words: &Words,
    sentences: &[Sentence],
    paragraph_of: &[usize],
    (topic_rules, rules): (&[usize], &RuleSet),
) {
    // Each word: the first block it stands in, the second (if any), and whether it stands in a
    // third. A word stands in a block other than `b` when it stands in two blocks or in one
    // that is not `b`; one lookup instead of a search in every block.
    // Room for every word at once: growing the map rehashed it several times per article.
    let mut where_used: foldhash::HashMap<&str, Blocks> =
        foldhash::HashMap::with_capacity_and_hasher(words.words.len(), Default::default());
    for b in 0..words.blocks.len() {
        let topic_words = words
            .of_block(b)
            .iter()
            .filter(|w| w.letters >= TOPIC_WORD_MIN_CHARS && !w.numeric_before && !w.numeric_after);
        for w in topic_words {
            match where_used.entry(words.lower(w.topic_lower)) {
                Entry::Occupied(mut e) => e.get_mut().add(b),
                Entry::Vacant(e) => {
                    e.insert(Blocks::new(b));
                }
            }
        }
    }
    // The distinct words of a sentence that stand in other blocks, up to as many as count.
    let mut shared: Vec<&str> = Vec::with_capacity(TOPIC_SHARED_WORDS);
    let mut scratch = Default::default();
    // The names brought in so far in the current paragraph, each with the sentence that
    // brought it in, and each later naming: (the sentence that brought the name in, the one
    // that names it again).
    let mut paragraph_names: Vec<(&str, usize)> = Vec::new();
    let mut named_again: Vec<(usize, usize)> = Vec::new();
    for (i, (sentence, f)) in sentences.iter().zip(features.iter_mut()).enumerate() {
        let paragraph = paragraph_of[sentence.block];
        if i == 0 || paragraph_of[sentences[i - 1].block] != paragraph {
            paragraph_names.clear();
        }
        shared.clear();
        let (mut only_below, mut names_below) = (false, false);
        // Its topic words, and how many of them recur across the article (in three blocks).
        let (mut topic_words, mut recurring) = (0usize, 0usize);
        words.for_each_in(
            text,
            sentence.block,
            sentence.span,
            &mut scratch,
            rules,
            |w| {
                if w.letters < TOPIC_WORD_MIN_CHARS || !w.alone {
                    return;
                }
                if let Some((&word, blocks)) = where_used.get_key_value(w.topic_lower) {
                    if !w.topic_stopword {
                        topic_words += 1;
                        recurring += usize::from(blocks.more);
                    }
                    // A thing the text speaks of ("Brixly", "report"), not a word any two blocks
                    // may use ("jeden"); counted only for the few words that need it.
                    let names_a_thing =
                        || !w.topic_stopword && word.chars().count() >= ONLY_BELOW_MIN_CHARS;
                    if blocks.within(|b| paragraph_of[b] == paragraph) && names_a_thing() {
                        match paragraph_names.iter().find(|(name, _)| *name == word) {
                            Some(&(_, k)) if k < i && w.joined() => named_again.push((k, i)),
                            Some(_) => {}
                            None if w.capitalised() => paragraph_names.push((word, i)),
                            None => {}
                        }
                    }
                    if blocks.exactly(sentence.block, sentence.block + 1) && names_a_thing() {
                        only_below = true;
                        names_below = names_below || w.capitalised();
                    }
                    if shared.len() < TOPIC_SHARED_WORDS
                        && blocks.beyond(sentence.block)
                        && !shared.contains(&word)
                    {
                        shared.push(word);
                    }
                }
            },
        );
        f.on_topic = shared.len() >= TOPIC_SHARED_WORDS;
        // A sentence most of whose topic words the whole article keeps using sums the story
        // up (a standfirst: "The supermarket's free Kitchen app plans your meals and fills your
        // trolley" over a review of that app); an insert brings words of its own.
        let sums_up = recurring >= SUMMARY_MIN_WORDS && SUMMARY_SHARE * recurring >= topic_words;
        if sums_up {
            add_topic_cue(f, topic_rules, rules);
        }
        f.echo_below_only = only_below;
        f.names_below_only = names_below;
    }
    for (k, i) in named_again {
        features[k].named_again_at = Some(i);
    }
}

/// The blocks a word stands in, as far as on-topic marking ([`mark_shared_words`]) needs them: the first two, and
/// whether there are more.
#[derive(Clone, Copy)]
struct Blocks {
    first: usize,
    second: Option<usize>,
    more: bool,
}

impl Blocks {
    fn new(b: usize) -> Blocks {
        Blocks {
            first: b,
            second: None,
            more: false,
        }
    }

    /// Blocks come in order, each word of one block in a row.
    fn add(&mut self, b: usize) {
        match self.second {
            _ if b == self.first => {}
            None => self.second = Some(b),
            Some(second) => self.more |= second != b,
        }
    }

    /// It stands in a block other than `b`.
    fn beyond(&self, b: usize) -> bool {
        self.second.is_some() || self.first != b
    }

    /// It stands in no block but those `inside` holds for (at most two of them).
    fn within(&self, inside: impl Fn(usize) -> bool) -> bool {
        !self.more && inside(self.first) && self.second.is_none_or(&inside)
    }

    /// It stands in blocks `a` and `b` and in no other.
    fn exactly(&self, a: usize, b: usize) -> bool {
        !self.more && self.first == a && self.second == Some(b)
    }
}

/// In how many other blocks one of a sentence's category cues must also fire for the cue to
/// name the article's topic; at least one of them two blocks away or more (the block next to an
/// insert's may be the insert's own second paragraph, but a profile of a newsletter's founder
/// speaks of newsletters in the next paragraph and further down).
const TOPIC_MIN_BLOCKS: usize = 2;

/// Adds the `article_topic` rules to every sentence one of whose category cues (an app, a
/// subscription, a broker; not labels or link lines) also fires, in sentences that are not
/// promotional on their own, in at least [`TOPIC_MIN_BLOCKS`] blocks that are neither its own
/// nor a neighbour of it. An insert speaks of its offer in one place; a review, an explainer or
/// a report about an app or a price rise speaks of it throughout, and what speaks throughout in
/// plain sentences is the story. So is a field line whose key opens at least
/// [`TOPIC_MIN_BLOCKS`] other blocks away from it ([`field_key`]): a review's "Price: free;
/// Premium costs $4.99 a month" under each app it tested is its template, whatever the line's
/// own cues, while an insert's box states its price once.
fn add_topic_cues(
    features: &mut [SentenceFeatures],
    text: &str,
    sentences: &[Sentence],
    topic_rules: &[usize],
    rules: &RuleSet,
) {
    if topic_rules.is_empty() {
        return;
    }
    let is_category_cue = |cue: &Cue| {
        let rule = &rules.rules()[cue.rule];
        rule.weight > 0.0
            && !matches!(
                rule.category,
                None | Some(Category::SponsoredLabel) | Some(Category::RelatedLink)
            )
    };
    // (rule, block) for every category cue that fired in a sentence that is not promotional on
    // its own, once each: what the editorial text speaks of, not what another insert sells.
    let bias = rules.weights().bias;
    let mut fired: Vec<(usize, usize)> = sentences
        .iter()
        .zip(features.iter())
        .filter(|(_, f)| f.score <= bias)
        .flat_map(|(s, f)| {
            f.cues
                .iter()
                .filter(|c| is_category_cue(c))
                .map(move |c| (c.rule, s.block))
        })
        .collect();
    fired.sort_unstable();
    fired.dedup();
    // (key, block) of every block that opens as a field line ("Price: …").
    let fields: Vec<(String, usize)> = sentences
        .iter()
        .enumerate()
        .filter(|&(i, s)| i == 0 || sentences[i - 1].block != s.block)
        .filter_map(|(_, s)| field_key(s.span.of(text)).map(|key| (key, s.block)))
        .collect();
    for (i, (sentence, f)) in sentences.iter().zip(features.iter_mut()).enumerate() {
        let opens_block = i == 0 || sentences[i - 1].block != sentence.block;
        let templated = opens_block
            && field_key(sentence.span.of(text)).is_some_and(|key| {
                fields
                    .iter()
                    .filter(|(k, b)| *k == key && b.abs_diff(sentence.block) > 1)
                    .count()
                    >= TOPIC_MIN_BLOCKS
            });
        let topical = templated
            || f.cues.iter().filter(|c| is_category_cue(c)).any(|cue| {
                let (far, near) = fired
                    .iter()
                    .filter(|&&(r, b)| r == cue.rule && b != sentence.block)
                    .fold((0, 0), |(far, near), &(_, b)| {
                        if b.abs_diff(sentence.block) > 1 {
                            (far + 1, near)
                        } else {
                            (far, near + 1)
                        }
                    });
                far >= 1 && far + near >= TOPIC_MIN_BLOCKS
            });
        if topical {
            add_topic_cue(f, topic_rules, rules);
        }
    }
}

/// Gives a sentence the cues of the `article_topic` rules (`topic_rules`), unless it has them.
fn add_topic_cue(f: &mut SentenceFeatures, topic_rules: &[usize], rules: &RuleSet) {
    if f.cues.iter().any(|c| topic_rules.contains(&c.rule)) {
        return;
    }
    for &r in topic_rules {
        f.score += rules.rules()[r].weight;
        f.cues.push(Cue {
            rule: r,
            strength: 1.0,
        });
    }
}

/// The most words of a field line's key.
const FIELD_KEY_MAX_WORDS: usize = 2;

/// The key of a field line, lower-cased: the one or two words before a colon that opens a line
/// with something after it ("Price: $12 a month", "Preis: 89 €", "Prix : 12 €"). A review or a
/// guide sets its items out in the same fields, one block each; `add_topic_cues` counts a field
/// line whose key opens two other blocks, away from it, as the article's topic.
fn field_key(line: &str) -> Option<String> {
    let (key, rest) = line.split_once(':')?;
    let key = key.trim();
    let words = key.split_whitespace().count();
    ((1..=FIELD_KEY_MAX_WORDS).contains(&words)
        && key.chars().all(|c| c.is_alphabetic() || c.is_whitespace())
        && !rest.trim().is_empty())
    .then(|| key.to_lowercase())
}

/// The fewest lines of a short-line run, each with a price, that make it a list of prices
/// ([`drop_bare_short_line_runs`]).
const PRICE_LIST_MIN_LINES: usize = 3;

/// How many lines away from a line with a promotional cue of its own a short line may stand
/// and still count as part of a product box.
const SHORT_RUN_REACH: usize = 2;

/// Takes the short-line-run cue off every short line that stands more than
/// [`SHORT_RUN_REACH`] lines of its run away from any line with a promotional cue of its own. A
/// product box stacks a few short lines around a price, a code or a button; an ingredient list,
/// a results table or a timetable stacks them around nothing the reader is sold, and the form
/// alone must not remove editorial text (nor may a box pasted under such a list take it along).
/// A line that opens with an ad label ("Anzeige", "Anzeige | Unser Tipp: …") starts its insert,
/// so the cue of a labelled box never reaches the lines above its label; a related-link label
/// reaches every line of its run below it (the headlines it lists).
fn drop_bare_short_line_runs(
    features: &mut [SentenceFeatures],
    text: &str,
    structure: &Structure,
    sentences: &[Sentence],
    short_runs: &[bool],
    rules: &RuleSet,
) {
    let is_run_cue = |cue: &Cue| rules.rules()[cue.rule].position == Position::ShortLineRun;
    let blocks = short_runs.len();
    let opens_with_label: Vec<bool> = structure
        .blocks
        .iter()
        .zip(short_runs)
        .map(|(b, &in_run)| {
            in_run && rules.is_label(b.span.of(text).split('|').next().unwrap_or_default())
        })
        .collect();
    let mut own_cue = vec![false; blocks];
    let mut priced = vec![false; blocks];
    let mut beyond_price = vec![false; blocks];
    let mut related_label = vec![false; blocks];
    for (sentence, f) in sentences.iter().zip(features.iter()) {
        for c in f.cues.iter().filter(|c| !is_run_cue(c)) {
            let rule = &rules.rules()[c.rule];
            if rule.weight > 0.0 {
                own_cue[sentence.block] = true;
                if rule.id.starts_with("price.") {
                    priced[sentence.block] = true;
                } else {
                    beyond_price[sentence.block] = true;
                }
            }
        }
        related_label[sentence.block] |= f
            .cues
            .iter()
            .any(|c| rules.rules()[c.rule].speaks_for(Category::RelatedLink));
    }
    // A run in which [`PRICE_LIST_MIN_LINES`] lines or more each carry a price and nothing else
    // that sells is a list of prices (a test's models, a menu, fares), not a box around one
    // price: its prices are no cue for the run.
    let mut start = 0;
    while start < blocks {
        if !short_runs[start] {
            start += 1;
            continue;
        }
        let end = (start..blocks).find(|&b| !short_runs[b]).unwrap_or(blocks);
        let run = start..end;
        if run.clone().filter(|&b| priced[b]).count() >= PRICE_LIST_MIN_LINES
            && run.clone().all(|b| !beyond_price[b])
        {
            own_cue[run].fill(false);
        }
        start = end;
    }
    let near_cue = |block: usize| {
        // Under a related-link label ("Mehr aus dem Ressort", "More from this section") every
        // line of the run is a headline it links to, however many there are.
        let mut b = block;
        while short_runs[b] {
            if related_label[b] {
                return true;
            }
            if b == 0 {
                break;
            }
            b -= 1;
        }
        let mut b = block;
        // Walk left then right inside the run, at most SHORT_RUN_REACH blocks each way.
        loop {
            if own_cue[b] {
                return true;
            }
            if b == 0 || block - b >= SHORT_RUN_REACH || !short_runs[b - 1] {
                break;
            }
            b -= 1;
        }
        let mut b = block;
        while b + 1 < blocks
            && b - block < SHORT_RUN_REACH
            && short_runs[b + 1]
            && !opens_with_label[b + 1]
        {
            b += 1;
            if own_cue[b] {
                return true;
            }
        }
        false
    };
    for (sentence, f) in sentences.iter().zip(features.iter_mut()) {
        if !short_runs[sentence.block] || near_cue(sentence.block) {
            continue;
        }
        for c in f.cues.iter().filter(|c| is_run_cue(c)) {
            f.score -= rules.rules()[c.rule].weight * c.strength;
        }
        f.cues.retain(|c| !is_run_cue(c));
    }
}

/// Characters that editorial text rarely needs: not letters, digits, spaces or common
/// punctuation. Pasted-in text brings its own (non-breaking hyphens, arrows, emoji).
fn is_uncommon(c: char) -> bool {
    !(letters::is_alphanumeric(c)
        || c.is_whitespace()
        || ".,;:!?'\"()[]-–—„“”‚‘’«»/&%€$£+*#@…".contains(c))
}

/// [`is_uncommon`] of every ASCII character, looked up: nearly every character of a text is
/// one, and the list of common punctuation is searched character by character.
static UNCOMMON_ASCII: LazyLock<[bool; 128]> =
    LazyLock::new(|| std::array::from_fn(|b| is_uncommon(char::from(b as u8))));

/// The fewest question blocks that make an article an interview.
const INTERVIEW_MIN_QUESTIONS: usize = 3;

/// The most sentences of an interview's question: the interviewer often states a fact before
/// asking ("Your app is free to download, but most of what it does sits behind a
/// subscription. Why that model?").
const INTERVIEW_QUESTION_MAX_SENTENCES: usize = 3;

/// Per block, the turns of an interview ([`interview_turns`]); all false in other articles.
struct InterviewTurns {
    questions: Vec<bool>,
    answers: Vec<bool>,
}

/// Per block: it is one of an interview's questions, or the answer under one. An interview asks
/// in paragraphs of at most [`INTERVIEW_QUESTION_MAX_SENTENCES`] sentences that end in a
/// question mark, three or more of them, and the interviewee answers in the first person
/// (`first_person`, in at least one answer: an explainer that answers its own questions speaks
/// for the publication, and its inserts sit right under its questions). The paragraph right
/// under each question is the interviewee speaking, so a "Sie"/"vous" or "inscrivez-vous comme
/// conducteur" in it is their advice to readers, reported as speech, not the publisher's pitch;
/// and a "you" in a question addresses the interviewee ("Your app is free to download …"), not
/// the reader.
fn interview_turns(
    text: &str,
    structure: &Structure,
    sentences: &[Sentence],
    first_person: &regex::Regex,
) -> InterviewTurns {
    let mut count = vec![0usize; structure.blocks.len()];
    for sentence in sentences {
        count[sentence.block] += 1;
    }
    let question: Vec<bool> = structure
        .blocks
        .iter()
        .zip(&count)
        .map(|(block, &n)| {
            (1..=INTERVIEW_QUESTION_MAX_SENTENCES).contains(&n)
                && block.kind == crate::structure::BlockKind::Paragraph
                && block
                    .span
                    .of(text)
                    .trim_end_matches(|c: char| c.is_whitespace() || "\"”»“'’".contains(c))
                    .ends_with('?')
        })
        .collect();
    let mut answers = vec![false; structure.blocks.len()];
    let none = |answers: Vec<bool>| InterviewTurns {
        questions: vec![false; answers.len()],
        answers,
    };
    if question.iter().filter(|&&q| q).count() < INTERVIEW_MIN_QUESTIONS {
        return none(answers);
    }
    for b in 1..structure.blocks.len() {
        answers[b] = question[b - 1]
            && !question[b]
            && structure.blocks[b].kind == crate::structure::BlockKind::Paragraph;
    }
    let speaks_for_itself = answers
        .iter()
        .zip(&structure.blocks)
        .any(|(&answer, block)| answer && first_person.is_match(block.span.of(text)));
    if !speaks_for_itself {
        answers.fill(false);
        return none(answers);
    }
    InterviewTurns {
        questions: question,
        answers,
    }
}

/// For every block, the uncommon characters that no other block of the article uses (none in
/// articles of fewer than four blocks, where there is too little to compare with).
fn own_typography(text: &str, structure: &Structure) -> Vec<Vec<char>> {
    let uncommon_ascii = &*UNCOMMON_ASCII;
    let per_block: Vec<Vec<char>> = structure
        .blocks
        .iter()
        .map(|b| {
            // Only the bytes beyond ASCII and the uncommon ASCII ones are looked at closer:
            // decoding every character cost more than all the rest.
            let block = b.span.of(text);
            let bytes = block.as_bytes();
            let mut chars: Vec<char> = Vec::new();
            let mut at = 0;
            while let Some(k) = bytes[at..]
                .iter()
                .position(|&b| !b.is_ascii() || uncommon_ascii[b as usize])
            {
                at += k;
                if bytes[at].is_ascii() {
                    chars.push(char::from(bytes[at]));
                    at += 1;
                    continue;
                }
                let c = block[at..].chars().next().expect("a character starts here");
                if is_uncommon(c) {
                    chars.push(c);
                }
                at += c.len_utf8();
            }
            chars.sort_unstable();
            chars.dedup();
            chars
        })
        .collect();
    if per_block.len() < 4 {
        return vec![Vec::new(); per_block.len()];
    }
    per_block
        .iter()
        .enumerate()
        .map(|(i, chars)| {
            chars
                .iter()
                .copied()
                .filter(|c| {
                    !per_block
                        .iter()
                        .enumerate()
                        .any(|(j, other)| j != i && other.contains(c))
                })
                .collect()
        })
        .collect()
}

/// For every block, whether it belongs to a run of at least `min_run` consecutive short lines
/// without final punctuation. Editorial text alternates headings and paragraphs; product boxes
/// and ad teasers stack such lines (headline, product, price, code, button). A line that ends
/// in a semicolon is an item of a list that runs on as one sentence ("- une chronologie écrite
/// des faits ;"), the story's advice, not a box's line. (A colon opens box lines as often,
/// "Unser Tipp:", and counting it as final lost six ads.)
fn short_line_runs(text: &str, structure: &Structure, min_run: usize) -> Vec<bool> {
    let blocks = &structure.blocks;
    let short: Vec<bool> = blocks
        .iter()
        .map(|b| {
            b.kind != BlockKind::Title
                && !b
                    .span
                    .of(text)
                    .ends_with(['.', '!', '?', '…', '"', '“', '”', '»', '«', ';'])
        })
        .collect();
    let mut marks = vec![false; blocks.len()];
    let mut i = 0;
    while i < blocks.len() {
        let mut j = i;
        while j < blocks.len() && short[j] {
            j += 1;
        }
        // The last short line before a paragraph is most likely that paragraph's heading; the
        // last item of a list (opening with the same marker as the line above it) is not.
        let list_item = j >= 2 && crate::structure::continues_list(text, blocks, j - 1);
        let end = if j < blocks.len() && blocks[j].kind == BlockKind::Paragraph && !list_item {
            j - 1
        } else {
            j
        };
        // A run right under the title (and its dateline) is the article's standfirst and
        // summary ("Key points" over its bullet lines), not a box: boxes stand inside the story.
        let opens_article = i > 0 && blocks[i - 1].kind == BlockKind::Title;
        if end > i && end - i >= min_run && !opens_article {
            marks[i..end].iter_mut().for_each(|m| *m = true);
        }
        i = j.max(i + 1);
    }
    marks
}

/// Pairs of quotation marks whose contents are quoted speech.
const QUOTE_PAIRS: &[(char, char)] = &[
    ('„', '“'),
    ('“', '”'),
    ('"', '"'),
    ('«', '»'),
    ('»', '«'),
    ('‚', '‘'),
    ('‹', '›'),
];

/// Where the first opening mark of [`QUOTE_PAIRS`] at or after `from` stands in `text`, and
/// the mark. Every opening mark is `"` or starts with the byte 0xC2 (`«`, `»`) or 0xE2 (`„`,
/// `“`, `‚`, `‹`), so only the characters at those bytes are looked at, found with memchr:
/// most blocks have none or few of them.
fn next_opening_quote(text: &str, from: usize) -> Option<(usize, char, char)> {
    memchr::memchr3_iter(b'"', 0xC2, 0xE2, &text.as_bytes()[from..]).find_map(|at| {
        // These bytes start a character, so `from + at` is a character boundary.
        let at = from + at;
        let c = text[at..].chars().next()?;
        let &(open, close) = QUOTE_PAIRS.iter().find(|&&(open, _)| open == c)?;
        Some((at, open, close))
    })
}

/// The most words of a quoted title ("Your Winter Immunity Plan", „Das Käthchen von
/// Heilbronn“); a longer quote is a clause someone said.
const TITLE_MAX_WORDS: usize = 6;

/// Whether a sentence holds quoted speech: text in quotation marks (`masked`, the sentence with
/// its block's quotes blanked, differs from `original`) that is not only a title. A title is
/// short, opens with a capital, has no punctuation inside and does not follow a colon: a report
/// or a book named in quotes ("A new report, "Your Winter Immunity Plan", sets out …") is what an
/// insert's set-up speaks of, while a quote that runs across sentences, a quoted clause
/// ("unauthorized outflows", „Wir schaffen das.“) or one after "sagte:" is what a person in the
/// story said. A title in a sentence with a reporting verb still scores against promo.
fn quotes_speech(original: &str, masked: &str) -> bool {
    if masked == original {
        return false;
    }
    if *mask_quotes(original) != *masked {
        return true;
    }
    // From each opening mark to the next closing mark of its kind; a mark without one is
    // passed over.
    let mut from = 0;
    while let Some((at, open, close)) = next_opening_quote(original, from) {
        let inside = at + open.len_utf8();
        let Some(len) = original[inside..].find(close) else {
            from = inside;
            continue;
        };
        let quote = &original[inside..inside + len];
        let after_colon = original[..at].trim_end().ends_with(':');
        let words = quote.split_whitespace().count();
        let title = (1..=TITLE_MAX_WORDS).contains(&words)
            && quote.trim_start().starts_with(char::is_uppercase)
            && !quote.contains(['.', '!', '?', ',', ';', ':'])
            && !after_colon;
        if !title {
            return true;
        }
        from = inside + len + close.len_utf8();
    }
    false
}

/// The most blocks a quotation may run on into after the block that opens it.
const QUOTE_MAX_CARRY: usize = 6;

/// For every block, how many of its first bytes lie inside a quotation that an earlier block
/// opened, its closing mark included: news quotes a statement over several paragraphs, opening
/// it in the first and closing it in the last (in German also reopening each paragraph without
/// closing it). A quotation is carried only when a block within [`QUOTE_MAX_CARRY`] closes it
/// with no opening mark of its kind before the close, so a stray opening mark never hides the
/// rest of an article. Only typographic pairs are followed: a straight `"` opens and closes
/// alike.
fn carried_quotes(text: &str, structure: &Structure) -> Vec<usize> {
    let blocks: Vec<&str> = structure.blocks.iter().map(|b| b.span.of(text)).collect();
    let mut carried = vec![0; blocks.len()];
    let mut b = 0;
    // Where block `b`'s own marks begin: after the quotation carried into it.
    let mut own_from = 0;
    while b < blocks.len() {
        let Some((open, close)) = unclosed_quote(&blocks[b][own_from..]) else {
            b += 1;
            own_from = 0;
            continue;
        };
        let mut next = b + 1;
        let mut closed_at = None;
        while next < blocks.len() && next <= b + QUOTE_MAX_CARRY {
            let block = blocks[next];
            match (block.find(open), block.find(close)) {
                (None, Some(at)) => {
                    closed_at = Some((next, at));
                    break;
                }
                (Some(o), Some(c)) if c < o => {
                    closed_at = Some((next, c));
                    break;
                }
                // A paragraph that reopens the quotation and does not close it goes on.
                (Some(o), None) if block[..o].trim().is_empty() => next += 1,
                (None, None) => next += 1,
                _ => break,
            }
        }
        match closed_at {
            Some((end, at)) => {
                for (i, len) in carried.iter_mut().enumerate().take(end).skip(b + 1) {
                    *len = blocks[i].len();
                }
                // The closing mark goes with the quotation: a French "»" read again on its
                // own would open a German one.
                carried[end] = at + close.len_utf8();
                b = end;
                own_from = carried[end];
            }
            None => {
                b += 1;
                own_from = 0;
            }
        }
    }
    carried
}

/// The pair of the first opening mark in `block` that no closing mark of its kind follows.
fn unclosed_quote(block: &str) -> Option<(char, char)> {
    let mut from = 0;
    while let Some((at, open, close)) = next_opening_quote(block, from) {
        let inside = at + open.len_utf8();
        match block[inside..].find(close) {
            Some(len) => from = inside + len + close.len_utf8(),
            None if open != close => return Some((open, close)),
            None => from = inside,
        }
    }
    None
}

/// The text with its line breaks turned into spaces, byte for byte: a hard-wrapped paragraph
/// breaks its lines between any two words ("at our\npartner BetPoint"), and the cues read
/// words, not lines. Runs on every block and sentence, so the breaks are looked for with
/// memchr (`str::contains` with a set of characters decodes every character) and replaced
/// as bytes: both are ASCII, so the text stays UTF-8.
fn on_one_line(text: Cow<'_, str>) -> Cow<'_, str> {
    if memchr::memchr2(b'\n', b'\r', text.as_bytes()).is_none() {
        return text;
    }
    let mut bytes = text.into_owned().into_bytes();
    for b in &mut bytes {
        if matches!(*b, b'\n' | b'\r') {
            *b = b' ';
        }
    }
    Cow::Owned(String::from_utf8(bytes).expect("ASCII replaced by ASCII in UTF-8"))
}

/// A block with its quotes masked ([`mask_quotes`]), its first `carried` bytes blanked too:
/// they continue a quotation from an earlier block ([`carried_quotes`]).
fn mask_block_quotes(block: &str, carried: usize) -> Cow<'_, str> {
    if carried == 0 {
        return mask_quotes(block);
    }
    let mut masked = " ".repeat(carried);
    masked.push_str(&mask_quotes(&block[carried..]));
    Cow::Owned(masked)
}

/// The text with the contents of every closed pair of quotation marks replaced by spaces, byte
/// for byte, so offsets into the text stay valid in the result. From the left, each opening
/// mark is paired with the next closing mark of its kind; a mark without one is left alone and
/// the search goes on after it.
pub fn mask_quotes(sentence: &str) -> Cow<'_, str> {
    let Some(first) = next_opening_quote(sentence, 0) else {
        return Cow::Borrowed(sentence);
    };
    let mut masked = String::with_capacity(sentence.len());
    // `sentence[..copied]` is in `masked`, blanked where it was quoted.
    let mut copied = 0;
    let mut opening = Some(first);
    while let Some((at, open, close)) = opening {
        let inside = at + open.len_utf8();
        let next = match sentence[inside..].find(close) {
            Some(len) => {
                masked.push_str(&sentence[copied..inside]);
                masked.extend(std::iter::repeat_n(' ', len));
                copied = inside + len;
                copied + close.len_utf8()
            }
            None => inside,
        };
        opening = next_opening_quote(sentence, next);
    }
    masked.push_str(&sentence[copied..]);
    Cow::Owned(masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The paragraph right under each question of an interview is an answer; an explainer that
    /// asks the same questions and answers them for the publication has none.
    #[test]
    fn answers_under_an_interview_s_questions_are_found_only_when_someone_speaks() {
        let rules = RuleSet::builtin();
        let answers = |text: &str| {
            let structure = crate::structure::parse(text, "fr", &rules);
            let sentences = crate::sentences::segment(text, &structure, "fr", &rules);
            interview_turns(
                text,
                &structure,
                &sentences,
                &rules.structure().first_person,
            )
            .answers
        };
        let interview = "Une appli pour le covoiturage rural\n\
            Comment est née l'idée ?\n\
            J'habitais à vingt kilomètres de la gare, sans voiture.\n\
            Qui paie le service ?\n\
            Les communes. Il reste gratuit pour les passagers.\n\
            Un conseil aux lecteurs ?\n\
            Si vous faites la route, inscrivez-vous comme conducteur.\n\
            Le service couvre aujourd'hui quarante communes.\n";
        assert_eq!(
            answers(interview),
            [false, false, true, false, true, false, true, false]
        );
        let explainer = interview.replace("J'habitais", "Le service est né");
        assert_eq!(answers(&explainer), [false; 8]);
    }

    /// An interviewer may state a fact before asking; that paragraph is still a question, and
    /// its "you" addresses the interviewee.
    #[test]
    fn a_question_may_open_with_a_statement() {
        let rules = RuleSet::builtin();
        let text = "Glowly founder on the subscription economy\n\
            Your app is free to download, but most of it sits behind a subscription. Why?\n\
            Because I didn't want to be a shop.\n\
            People are cutting streaming services. Why would they keep paying for advice?\n\
            Because I answer their messages myself.\n\
            Where do you go from here?\n\
            Germany first, then France.\n\
            The app costs £7.99 a month. Four of its five features are free. It is rated 4.8. And the rest?\n\
            That stays with the subscription.\n";
        let structure = crate::structure::parse(text, "en", &rules);
        let sentences = crate::sentences::segment(text, &structure, "en", &rules);
        let turns = interview_turns(
            text,
            &structure,
            &sentences,
            &rules.structure().first_person,
        );
        // The last question has four sentences: a paragraph of its own, not a question.
        assert_eq!(
            turns.questions,
            [false, true, false, true, false, true, false, false, false]
        );
        assert_eq!(
            turns.answers,
            [false, false, true, false, true, false, true, false, false]
        );
    }

    /// The words of any span of a block, taken from the block's words, are those the span's own
    /// text splits into: letter-by-letter lowercase words of three letters or more (echo), and
    /// `str::to_lowercase` words of five letters or more with no digit beside them (topic).
    #[test]
    fn the_words_of_a_span_are_those_of_its_own_text() {
        let text = "Titel 5Äpfel\nDie ÖKOBANK2go bietet Zinsen, 3Depots und ΠΟΛΛΟΣ-Karten an. Jetzt Depot eröffnen!\nİSTANBUL und İzmir: Zinsen im Depot\n";
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "de", &rules);
        let words = Words::new(text, &structure, &rules);
        // A block is lower-cased in place unless some character's lowercase is longer ('İ').
        assert_eq!(words.in_place, [true, true, false]);
        for (block, _) in structure
            .blocks
            .iter()
            .zip(&words.in_place)
            .filter(|(_, p)| **p)
        {
            let expected: String = block
                .span
                .of(text)
                .chars()
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(&words.lower[block.span.start..block.span.end], expected);
        }
        let echo = |piece: &str| -> Vec<String> {
            piece
                .split(|c: char| !c.is_alphabetic())
                .filter(|t| t.chars().count() >= ECHO_WORD_MIN_CHARS)
                .map(|t| t.chars().flat_map(char::to_lowercase).collect())
                .collect()
        };
        let topic = |piece: &str| -> Vec<String> {
            piece
                .split(|c: char| !c.is_alphanumeric())
                .filter(|t| t.chars().count() >= TOPIC_WORD_MIN_CHARS)
                .filter(|t| t.chars().all(char::is_alphabetic))
                .map(str::to_lowercase)
                .collect()
        };
        let mut scratch = Default::default();
        for (b, block) in structure.blocks.iter().enumerate() {
            let bounds: Vec<usize> = (block.span.start..=block.span.end)
                .filter(|&i| text.is_char_boundary(i))
                .collect();
            for (i, &start) in bounds.iter().enumerate() {
                for &end in &bounds[i..] {
                    let (mut got_echo, mut got_topic) = (Vec::new(), Vec::new());
                    words.for_each_in(text, b, Span::new(start, end), &mut scratch, &rules, |w| {
                        got_echo.push(w.lower.to_string());
                        if w.letters >= TOPIC_WORD_MIN_CHARS && w.alone {
                            got_topic.push(w.topic_lower.to_string());
                        }
                    });
                    let piece = &text[start..end];
                    assert_eq!(got_echo, echo(piece), "{piece:?}");
                    assert_eq!(got_topic, topic(piece), "{piece:?}");
                }
            }
        }
    }

    /// The stopwords of a block with its quotes blanked, taken from the word table, are those
    /// its blanked text has: quotes inside a block, one carried on from the block above (up to
    /// a closing mark, and over a whole block), words right beside the marks.
    #[test]
    fn a_blanked_block_has_the_stopwords_of_its_words_outside_the_quotes() {
        let text = "Titel\n\n„Wir sind da und die Bank ist es auch\n\nUnd das ist alles\n\n\
                    es bleibt so“, sagte er. Die \"Aktie der Woche\" ist da, «le prix de la» und\n\n\
                    The „one“and'the' \"last\"of them: «Él y la»el «sin cerrar y el\n";
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "de", &rules);
        let words = Words::new(text, &structure, &rules);
        let carried = carried_quotes(text, &structure);
        let mut blanked_blocks = 0;
        for (b, block) in structure.blocks.iter().enumerate() {
            let masked = mask_block_quotes(block.span.of(text), carried[b]);
            blanked_blocks += usize::from(matches!(masked, Cow::Owned(_)));
            assert_eq!(
                words.stopwords[b].outside_blanks(&masked),
                rules.block_stopwords(&masked),
                "{masked:?}"
            );
        }
        assert!(blanked_blocks >= 4, "{blanked_blocks}");
    }

    #[test]
    fn a_sentence_shares_the_longest_word_with_the_block_below() {
        let words = |list: &[&'static str]| {
            let mut words = list.to_vec();
            words.sort_unstable();
            words
        };
        let below = words(&["abo", "depots", "konto", "kontostand", "öffnen", "zins"]);
        for (word, shared) in [
            ("depot", 5),         // the block below has its plural
            ("depotsparplan", 6), // … and this starts with that plural
            ("depotbank", 0),     // neither starts with the other
            ("kontos", 6),        // "kontostand" starts with it
            ("konto", 5),         // the same word, though others start with it too
            ("abo", 3),           // a short word only as itself
            ("ab", 0),            // "abo" starts with it, but it is too short to count
            ("zinsen", 4),        // starts with "zins"
            ("öffnet", 0),        // "öffn" is no word of the block
            ("öffnende", 6),      // letters, not bytes
            ("bank", 0),
        ] {
            assert_eq!(shared_word(word, &below), shared, "{word}");
        }
    }

    /// A word that shares a word with the block below gets past the filter of that block's
    /// first letters, and so does one with the same first letters as a word there; "bank",
    /// with neither, does not.
    #[test]
    fn the_first_letters_of_the_block_below_pass_every_word_it_shares() {
        let text = "Titel\nDepot Depotsparplan Depotbank Kontos Konto Abo Ab Zinsen öffnet Öffnende \
                    Bank Éclair écla Ñandú\nabo depots Konto Kontostand öffnen Zins Éclat ñandúes\n";
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "de", &rules);
        let words = Words::new(text, &structure, &rules);
        let filter = FirstLetters::of_block(&words, 2);
        let below = sorted_content_words(&words, 2);
        let (mut shared, mut passed) = (0, 0);
        for w in words.of_block(1).iter().filter(|w| !w.stopword) {
            let word = words.lower(w.lower);
            let may_start = filter.may_start(word);
            if shared_word(word, &below) > 0 {
                assert!(may_start, "{word}");
                shared += 1;
            }
            passed += usize::from(may_start);
        }
        assert_eq!((shared, passed), (9, 12));
        assert!(!filter.may_start("bank"));
    }

    /// The ids of the cues of each sentence of a German article.
    fn cue_ids(text: &str) -> Vec<Vec<String>> {
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "de", &rules);
        let sentences = crate::sentences::segment(text, &structure, "de", &rules);
        extract(text, &structure, &sentences, "de", &rules)
            .iter()
            .map(|f| {
                f.cues
                    .iter()
                    .map(|c| rules.rules()[c.rule].id.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn a_sentence_in_another_language_is_marked() {
        let cues = cue_ids(
            "Titel\nDie Stadt baut eine Brücke über den Fluss. Der Rat hat das am Montag beschlossen.\n\
             Never miss a goal: stream every match of the season on the app.\n",
        );
        let switched = |i: usize| cues[i].iter().any(|id| id == "context.language_switch");
        assert!(!switched(0) && !switched(1), "{cues:?}");
        assert!(switched(2), "{cues:?}");
    }

    /// An ingredient list above a labelled product box: the box's cue reaches the list when
    /// the box carries no label, and stops at the label when it does.
    #[test]
    fn a_labelled_box_does_not_take_the_lines_above_its_label() {
        let article = |label: &str| {
            format!(
                "Ofenkürbis mit Linsen\n\
                 Der Kürbis wandert mit Schale in den Ofen, die Linsen kochen nebenher.\n\
                 Zutaten für 4 Personen\n\
                 1 Hokkaido-Kürbis\n\
                 60 g Walnusskerne\n\
                 Salz, Pfeffer\n\
                 {label}Unser Küchentipp: Die Ofenform von Brennwerk speichert die Hitze. \
                 Im Sale für 49,90 € statt 79,90 €. Hier geht’s zum Shop\n\
                 So wird’s gemacht\n\
                 Den Ofen auf 210 Grad vorheizen.\n"
            )
        };
        let run_cue =
            |cues: &[Vec<String>], i: usize| cues[i].iter().any(|id| id == "form.short_line_run");
        for label in ["Anzeige | ", "Sponsored | "] {
            let cues = cue_ids(&article(label));
            // Sentences: intro, heading, three list lines, the box's three sentences, heading, method.
            assert_eq!(cues.len(), 10, "{cues:?}");
            assert!((2..5).all(|i| !run_cue(&cues, i)), "{label}: {cues:?}");
            assert!((5..8).all(|i| run_cue(&cues, i)), "{label}: {cues:?}");
        }
        let cues = cue_ids(&article(""));
        assert!((3..5).all(|i| run_cue(&cues, i)), "no label: {cues:?}");
    }

    #[test]
    fn short_lines_right_under_the_title_are_its_summary_not_a_box() {
        let article = |lede: &str| {
            format!(
                "Live: Ofgem sets the energy price cap for January\n\
                 {lede}\
                 Our energy team brings you the latest as the regulator announces the new cap\n\
                 Key points\n\
                 Typical bill to rise 3.8% to £1,791 a year\n\
                 Standing charges up 4p a day\n\
                 Network costs are the main drivers\n\
                 That's all from us for today. Thanks for following along.\n"
            )
        };
        let run_cue =
            |cues: &[Vec<String>], i: usize| cues[i].iter().any(|id| id == "form.short_line_run");
        let cues = cue_ids(&article(""));
        assert!((0..5).all(|i| !run_cue(&cues, i)), "{cues:?}");
        // The same lines inside the story are a run.
        let cues = cue_ids(&article(
            "The regulator published its figures on Monday morning.\n",
        ));
        assert!((1..6).any(|i| run_cue(&cues, i)), "{cues:?}");
    }

    #[test]
    fn a_list_whose_items_end_in_semicolons_is_no_box() {
        let article = |end: &str| {
            format!(
                "Consultations gratuites : mode d'emploi\n\
                 Les points-justice reçoivent sans rendez-vous.\n\
                 Préparez votre rendez-vous\n\
                 - une chronologie écrite des faits{end}\n\
                 - les documents essentiels : contrat, bail, courriers{end}\n\
                 - une liste de deux ou trois questions précises{end}\n\
                 N'attendez pas le dernier moment.\n"
            )
        };
        let run_cue =
            |cues: &[Vec<String>], i: usize| cues[i].iter().any(|id| id == "form.short_line_run");
        let cues = cue_ids(&article(" ;"));
        assert!((0..6).all(|i| !run_cue(&cues, i)), "{cues:?}");
        let cues = cue_ids(&article(""));
        assert!((2..5).all(|i| run_cue(&cues, i)), "{cues:?}");
    }

    #[test]
    fn a_list_of_prices_is_no_box() {
        let article = |extra: &str| {
            format!(
                "Quatre télescopiques compacts à l'essai\n\
                 Les prix indiqués sont les tarifs catalogue relevés en novembre.\n\
                 - Manitou MLT 625 : 75 ch, 2,5 t, 67 900 € HT\n\
                 - JCB 525-60 Agri : 74 ch, 2,5 t, 64 500 € HT\n\
                 - Merlo TF 27.6 : 75 ch, 2,7 t, 83 800 € HT{extra}\n\
                 Dans la stabulation, le JCB a été le plus apprécié pour sa visibilité.\n"
            )
        };
        let run_cue =
            |cues: &[Vec<String>], i: usize| cues[i].iter().any(|id| id == "form.short_line_run");
        let cues = cue_ids(&article(""));
        assert!((2..5).all(|i| !run_cue(&cues, i)), "{cues:?}");
        // One line that sells beside the prices makes the run a box again.
        let cues = cue_ids(&article(" – avec le code TELE10 chez notre partenaire"));
        assert!((2..5).any(|i| run_cue(&cues, i)), "{cues:?}");
    }

    #[test]
    fn a_field_line_repeated_through_a_review_is_its_topic() {
        assert_eq!(field_key("Price: $12 a month").as_deref(), Some("price"));
        assert_eq!(field_key("Prix : 12 € par mois").as_deref(), Some("prix"));
        assert_eq!(
            field_key("Our verdict: worth it").as_deref(),
            Some("our verdict")
        );
        assert_eq!(field_key("Um 12:30 Uhr beginnt die Sitzung."), None);
        assert_eq!(
            field_key("Der Analyst der Bank sagte: Das wird teuer."),
            None
        );
        assert_eq!(field_key("Preis:"), None);
        let review = |third: &str| {
            format!(
                "Five budgeting apps tested\n\
                 We used five apps for a month.\n\
                 Best overall: Ledgerly\n\
                 Price: $8.99 a month, with a free trial\n\
                 Ledgerly sorted every transaction correctly.\n\
                 Best free option: Pocketwise\n\
                 Price: free; Premium costs $4.99 a month\n\
                 The free version tracks spending.\n\
                 Best for investors: Tallyfold\n\
                 {third}\n\
                 Tallyfold is a dashboard more than a budget.\n"
            )
        };
        let topical =
            |cues: &[Vec<String>], i: usize| cues[i].iter().any(|id| id == "context.article_topic");
        // Sentences (the title is none): intro, then heading, price line and paragraph for
        // each app.
        let cues = cue_ids(&review("Price: $12 a month"));
        assert!([2, 5, 8].iter().all(|&i| topical(&cues, i)), "{cues:?}");
        // Said twice, the field is no template.
        let cues = cue_ids(&review("Costs $12 a month"));
        assert!(!topical(&cues, 5), "{cues:?}");
    }

    #[test]
    fn a_quoted_title_is_not_speech() {
        let speech = |s: &str| quotes_speech(s, &mask_quotes(s));
        assert!(!speech(
            "A new report, \"Your Winter Immunity Plan\", sets out the evidence."
        ));
        assert!(!speech("Sie spielen „Das Käthchen von Heilbronn“ im März."));
        assert!(!speech("Kein Zitat hier."));
        assert!(speech("It had detected \"unauthorized outflows\" early."));
        assert!(speech("Er sagte: „Wir schaffen das“ und ging."));
        assert!(speech("„Wir schaffen das.“ So sprach sie."));
        assert!(speech(
            "\"The speed and the pattern look very professional,\" said Lundqvist."
        ));
    }

    /// Titles among quotes, quotes without their closing mark, a mark that closes one kind and
    /// opens another, and a title after a colon: each judged as the quotes of the sentence read
    /// character by character from mark to mark.
    #[test]
    fn quoted_speech_is_told_from_mark_to_mark() {
        let by_characters = |original: &str| {
            let chars: Vec<char> = original.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let Some(&(_, close)) = QUOTE_PAIRS.iter().find(|&&(open, _)| open == chars[i])
                else {
                    i += 1;
                    continue;
                };
                let Some(len) = chars[i + 1..].iter().position(|&c| c == close) else {
                    i += 1;
                    continue;
                };
                let quote: String = chars[i + 1..i + 1 + len].iter().collect();
                let after_colon =
                    chars[..i].iter().rev().find(|c| !c.is_whitespace()) == Some(&':');
                let words = quote.split_whitespace().count();
                let title = (1..=TITLE_MAX_WORDS).contains(&words)
                    && quote.trim_start().starts_with(char::is_uppercase)
                    && !quote.contains(['.', '!', '?', ',', ';', ':'])
                    && !after_colon;
                if !title {
                    return true;
                }
                i += len + 2;
            }
            false
        };
        let pieces = [
            "Sie lesen „Das Buch“ und",
            " »Der Titel« im ",
            "„offen ",
            "«Le Titre» ",
            ":\u{a0}„Ein Titel“ ",
            "\"Two Words\" ",
            "\"a said thing\" ",
            "‚Klein‘ ",
            "‹Grand› ",
            "» « ",
            "“ ”",
            "x",
        ];
        let mut told = [0, 0];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let sentence = format!("{a}{b}{c}");
                    let masked = mask_quotes(&sentence);
                    if *masked == *sentence {
                        continue;
                    }
                    let speech = quotes_speech(&sentence, &masked);
                    assert_eq!(speech, by_characters(&sentence), "{sentence:?}");
                    told[usize::from(speech)] += 1;
                }
            }
        }
        assert!(told[0] > 50 && told[1] > 50, "{told:?}");
    }

    #[test]
    fn cues_read_across_the_line_breaks_of_a_wrapped_paragraph() {
        let wrapped = "now +120 at our\npartner BetPoint.\r\nNew customers";
        let line = on_one_line(Cow::Borrowed(wrapped));
        assert_eq!(line, "now +120 at our partner BetPoint.  New customers");
        assert_eq!(line.len(), wrapped.len());
        // "our partner" broken over two lines of a hard-wrapped paragraph.
        let text = "Live from the harbour run\n\
            The runners are off in light rain, and the\n\
            field of four thousand moves slowly through\n\
            the old town towards the harbour wall.\n\
            Lots of runners asked about recovery, and\n\
            massages are now being offered by our\n\
            partner Physiohub at its harbour studio to\n\
            everyone who finished the race this morning.\n\
            The first finisher crossed the line in a\n\
            new course record, to loud cheers from the\n\
            crowd that lined the final straight today.\n";
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "en", &rules);
        assert_eq!(structure.blocks.len(), 4, "read as hard-wrapped");
        let sentences = crate::sentences::segment(text, &structure, "en", &rules);
        let features = extract(text, &structure, &sentences, "en", &rules);
        let partner = sentences
            .iter()
            .position(|s| s.span.of(text).contains("Physiohub"))
            .unwrap();
        assert!(features[partner]
            .cues
            .iter()
            .any(|c| rules.rules()[c.rule].id == "en.reader_offer.partner"));
    }

    #[test]
    fn a_quotation_over_several_paragraphs_is_quoted_in_all_of_them() {
        let text = "Titel\nDie Polizei schreibt: „Die Anrufer setzen ihre Opfer unter Druck.\n\
            Wenn Sie einen solchen Anruf erhalten, legen Sie auf.\n\
            „Rufen Sie die 110 an.\n\
            Teilen Sie diese Warnung.“ So die Polizei.\n\
            Der Rat tagt am Montag.\n";
        let rules = RuleSet::builtin();
        let structure = crate::structure::parse(text, "de", &rules);
        let blocks: Vec<&str> = structure.blocks.iter().map(|b| b.span.of(text)).collect();
        let carried = carried_quotes(text, &structure);
        let inside: Vec<usize> = blocks.iter().map(|b| b.len()).collect();
        let close = blocks[4].find('“').unwrap() + '“'.len_utf8();
        assert_eq!(carried, [0, 0, inside[2], inside[3], close, 0]);
        // A French "»" that closes a carried quotation opens no German one up to the next "«".
        let french = "Titre\nIl l'a dit : «\nC'est une première », dit-elle.\n\
            Le conseil se réunit lundi.\nPuis « vote ».\n";
        let structure = crate::structure::parse(french, "fr", &rules);
        let blocks: Vec<&str> = structure.blocks.iter().map(|b| b.span.of(french)).collect();
        let close = blocks[2].find('»').unwrap() + '»'.len_utf8();
        assert_eq!(carried_quotes(french, &structure), [0, 0, close, 0, 0]);
        // A stray opening mark that nothing closes carries nothing.
        let stray =
            "Titel\nEr nannte es „einen Erfolg.\nJetzt Newsletter abonnieren\nDer Rat tagt.\n";
        let structure = crate::structure::parse(stray, "de", &rules);
        assert!(carried_quotes(stray, &structure).iter().all(|&n| n == 0));
    }

    #[test]
    fn quotes_are_blanked() {
        let blank = " ".repeat("Jetzt kostenlos testen".len());
        assert_eq!(
            mask_quotes("Er sagte: „Jetzt kostenlos testen“ und ging."),
            format!("Er sagte: „{blank}“ und ging.")
        );
        assert_eq!(mask_quotes("„Grüße“").len(), "„Grüße“".len());
        assert_eq!(
            mask_quotes("The slogan \"free for all\" stuck."),
            "The slogan \"            \" stuck."
        );
        assert_eq!(mask_quotes("Kein Zitat hier."), "Kein Zitat hier.");
        assert_eq!(mask_quotes("Offen „ohne Ende"), "Offen „ohne Ende");
        // next_opening_quote looks only at these first bytes.
        for (open, _) in QUOTE_PAIRS {
            let first = open.to_string().as_bytes()[0];
            assert!(matches!(first, b'"' | 0xC2 | 0xE2), "{open}");
        }
        // Other characters with the same first byte as a quotation mark are not one.
        assert!(matches!(
            mask_quotes("Er – nicht sie – kam ’raus, für ©."),
            Cow::Borrowed(_)
        ));
    }
}
