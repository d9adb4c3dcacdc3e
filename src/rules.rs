//! Rules: the data the engine runs on.
//!
//! A [`RuleSet`] is loaded from TOML files (one per language plus `common.toml`) and plain-text
//! abbreviation lists (`<lang>.abbreviations.txt`). The files under `rules/` in the repository are
//! compiled into the binary as the defaults; `--rules DIR` replaces them with a folder of the same
//! shape. Every rule carries example sentences it must and must not match, checked by
//! [`RuleSet::check_examples`], so a rule and its evidence never drift apart.

use std::collections::BTreeMap;

use crate::labels::RuleRoles;
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use std::path::Path;
use std::sync::{Mutex, MutexGuard, OnceLock};

use regex::Regex;
use regex_automata::nfa::thompson::{self, backtrack, pikevm};
use regex_automata::nfa::thompson::{backtrack::BoundedBacktracker, pikevm::PikeVM};
use regex_automata::{hybrid, meta, Anchored, Input, MatchKind};
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, HirKind, Look,
    LookSet,
};
use serde::{Deserialize, Serialize};
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;
use toml::Spanned;

use crate::error::{Error, Result};
use crate::gate::{gate_literals, GateLiterals, LiteralGate};
use crate::letters;

/// The kind of promotional passage a rule speaks for. Serialized in snake case (`lead_magnet`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    LeadMagnet,
    Trading,
    Newsletter,
    Event,
    Subscription,
    Affiliate,
    App,
    Social,
    SponsoredLabel,
    RelatedLink,
    Other,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::LeadMagnet,
        Category::Trading,
        Category::Newsletter,
        Category::Event,
        Category::Subscription,
        Category::Affiliate,
        Category::App,
        Category::Social,
        Category::SponsoredLabel,
        Category::RelatedLink,
        Category::Other,
    ];

    /// The snake-case name used in rules files and metadata.
    pub fn name(self) -> &'static str {
        match self {
            Category::LeadMagnet => "lead_magnet",
            Category::Trading => "trading",
            Category::Newsletter => "newsletter",
            Category::Event => "event",
            Category::Subscription => "subscription",
            Category::Affiliate => "affiliate",
            Category::App => "app",
            Category::Social => "social",
            Category::SponsoredLabel => "sponsored_label",
            Category::RelatedLink => "related_link",
            Category::Other => "other",
        }
    }

    fn from_name(name: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// Where in its block a sentence must stand for a rule to apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Position {
    /// Anywhere.
    Any,
    /// The first sentence of a block (a one-sentence block included).
    ParagraphStart,
    /// The first sentence of a block of two or more sentences: what a paragraph opens with.
    ParagraphOpener,
    /// The last sentence of a block of two or more sentences.
    ParagraphEnd,
    /// The only sentence of its block.
    Standalone,
    /// A block in a run of short lines without final punctuation (see `short_line_run`).
    ShortLineRun,
    /// A sentence with an uncommon character (a non-breaking hyphen, an arrow, an emoji) that
    /// no other block of the article uses: text pasted in from elsewhere.
    OwnTypography,
    /// A sentence in another language than its article (an English pitch in a German article).
    LanguageSwitch,
    /// A sentence of the paragraph right under an interview's question: the interviewee's
    /// answer (see `features::interview_turns`).
    InterviewAnswer,
    /// A sentence of an interview's question: the interviewer addresses the interviewee (see
    /// `features::interview_turns`).
    InterviewQuestion,
    /// A sentence whose promotional category cues also fire in blocks far from it: the article
    /// is about what the cue names (a review of streaming prices, a report on a new app), so
    /// the cue describes the story rather than an insert (see `features::add_topic_cues`).
    ArticleTopic,
}

impl Position {
    /// The name used for `where` in rules files.
    pub fn name(self) -> &'static str {
        match self {
            Position::Any => "any",
            Position::ParagraphStart => "paragraph_start",
            Position::ParagraphOpener => "paragraph_opener",
            Position::ParagraphEnd => "paragraph_end",
            Position::Standalone => "standalone",
            Position::ShortLineRun => "short_line_run",
            Position::OwnTypography => "own_typography",
            Position::LanguageSwitch => "language_switch",
            Position::InterviewAnswer => "interview_answer",
            Position::InterviewQuestion => "interview_question",
            Position::ArticleTopic => "article_topic",
        }
    }
}

/// One cue: a pattern over a sentence and the weight it adds to the sentence's promo score.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    /// `common` or an ISO 639-1 code.
    pub language: String,
    pub category: Option<Category>,
    pub weight: f64,
    pub position: Position,
    /// What the rule matches. For a word rule, the word between word boundaries.
    pub pattern: Pattern,
    /// Set for a word rule (a learned lexicon entry), lowercase: matched by a token lookup
    /// instead of a regex, so that hundreds of them cost one pass over the sentence.
    pub word: Option<String>,
    pub must_match: Vec<String>,
    pub must_not_match: Vec<String>,
}

/// A hint at what kind of ad a passage is (`[[hint]]` in a rules file): words such as "iOS",
/// "webinar" or "free bets" that say what is sold, not whether anything is. Hints never touch a
/// sentence's score, so they cannot make or unmake an ad and `train` leaves them alone; once a
/// run is labelled promo, its category is the one with the largest sum of the weights of its
/// category rules and the strengths of the hints found in it. Without hints, a pitch whose only
/// cues are generic ("jetzt", "kostenlos", a call to action) had no category but `other`.
#[derive(Clone, Debug)]
pub struct CategoryHint {
    pub id: String,
    /// The language of the file that holds it (it applies to passages of every language).
    pub language: String,
    pub category: Category,
    pub strength: f64,
    pub pattern: Pattern,
    pub must_match: Vec<String>,
    pub must_not_match: Vec<String>,
}

/// A rule's regular expression: checked when the rules load, compiled when first used.
///
/// Compiling costs up to a millisecond per pattern (Unicode classes and word boundaries make
/// large automata), so a set of 10,000 rules would take seconds to load, while checking the
/// syntax takes some 15 µs. A run pays only for the rules of the languages it meets.
#[derive(Clone, Debug)]
pub struct Pattern {
    source: String,
    /// Its syntax tree, shared by everything built from it (the compiled expression, the
    /// widened pattern, the reach, the gate literals): kept from the check when rules load from
    /// files (parsing it again on first use cost as much as the check, 0.2 G instructions over
    /// the built-in rules), parsed on first use for the built-in rules, which the tests check.
    hir: OnceLock<Hir>,
    compiled: OnceLock<meta::Regex>,
    /// The engines of its anchored search ([`Pattern::match_at`]), built on first use.
    anchored: OnceLock<Arc<AnchoredSearch>>,
    /// The pattern without its Unicode word boundaries as a Thompson NFA (no captures), built on
    /// first use and shared by the widened search and the reach, which each compiled it; `None`
    /// when it has no Unicode word boundaries.
    widened_nfa: OnceLock<Option<thompson::NFA>>,
    /// The search for the widened pattern, for [`Pattern::count_matches`]; `None` when it has no
    /// Unicode word boundaries or may match the empty string.
    widened: OnceLock<Option<Arc<WidenedSearch>>>,
    /// What the literal gate looks for in the pattern, taken apart on first use: once for a
    /// common rule, which stands in the screen of every language.
    gate: OnceLock<GateLiterals>,
    /// The pattern without its Unicode word boundaries and with every match kept (not only the
    /// first by priority), for where a match from a given start can end at the latest
    /// ([`Pattern::match_at`]); `None` when it has no Unicode word boundaries.
    reach: OnceLock<Option<Arc<Reach>>>,
}

impl Pattern {
    /// Checks `source`; the error says what is wrong and where in the pattern.
    pub fn new(source: &str) -> std::result::Result<Pattern, String> {
        let hir = regex_syntax::Parser::new()
            .parse(source)
            .map_err(|e| e.to_string())?;
        let pattern = Pattern::unchecked(source);
        pattern.hir.get_or_init(|| hir);
        Ok(pattern)
    }

    /// A pattern whose syntax is known to be valid (a built-in rule), parsed on first use: a
    /// run that meets one language does not parse the patterns of the others, and the check
    /// of every pattern when the rules load (0.2 G instructions, a third of what `filter` over
    /// an empty input cost) is left to the tests.
    fn unchecked(source: &str) -> Pattern {
        Pattern {
            source: source.to_string(),
            hir: OnceLock::new(),
            compiled: OnceLock::new(),
            anchored: OnceLock::new(),
            widened_nfa: OnceLock::new(),
            widened: OnceLock::new(),
            gate: OnceLock::new(),
            reach: OnceLock::new(),
        }
    }

    /// The pattern's literals for the gate ([`crate::gate`]).
    fn gate_literals(&self) -> &GateLiterals {
        self.gate.get_or_init(|| gate_literals(self.hir()))
    }

    /// The pattern's syntax tree, as the regex crate parses it.
    fn hir(&self) -> &Hir {
        self.hir.get_or_init(|| {
            regex_syntax::parse(&self.source).expect("a built-in pattern parses (tested)")
        })
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// The compiled expression (the regex crate's engine, with its leftmost-first matches).
    /// Its syntax was checked, so only the size of the automaton could fail, and that limit is
    /// lifted: a pattern that is valid is used as written.
    pub fn regex(&self) -> &meta::Regex {
        self.compiled.get_or_init(|| {
            builder()
                .build_from_hir(self.hir())
                .expect("a pattern whose syntax was checked compiles without a size limit")
        })
    }

    /// How many matches `text` has, up to `limit`: the number
    /// `self.regex().find_iter(text).take(limit).count()` gives, found faster.
    ///
    /// A pattern with Unicode word boundaries (`\b`) runs on any non-ASCII text (an umlaut, a
    /// typographic quote) as a backtracking search from every position of the text: the lazy
    /// DFA cannot look at the characters around a position. Without its word boundaries it
    /// runs as a DFA, and it accepts everything the pattern does from the same start, so the
    /// leftmost start of a match is among the starts of its matches. Those are found in turn,
    /// and the pattern itself runs only there, anchored: the first start where it matches gives
    /// the match, and the next search begins at its end, as `find_iter` does.
    ///
    /// A pattern anchored at the start of the text (`^`) can only match there: it runs once,
    /// anchored, without the search for starts (whose reverse automaton builds states on text
    /// after text).
    pub fn count_matches(&self, text: &str, limit: usize) -> usize {
        if limit > 0
            && self
                .hir()
                .properties()
                .look_set_prefix()
                .contains(Look::Start)
        {
            return usize::from(self.match_at(text, 0).is_some());
        }
        let Some(widened) = self.widened() else {
            return self.regex().find_iter(text).take(limit).count();
        };
        let (mut count, mut at) = (0, 0);
        while count < limit {
            let candidate = match widened.search(&Input::new(text).range(at..)) {
                Ok(Some(candidate)) => candidate,
                Ok(None) => break,
                // Not expected: without word boundaries the lazy DFAs do not give up.
                Err(_) => return self.regex().find_iter(text).take(limit).count(),
            };
            let start = candidate.start();
            match self.match_at(text, start) {
                Some(found) => {
                    count += 1;
                    at = found.end();
                }
                // On to where the next character starts.
                None => at = start + text[start..].chars().next().map_or(1, char::len_utf8),
            }
        }
        count
    }

    /// Whether `text` has a match: `self.regex().is_match(text)`, found as
    /// [`Pattern::count_matches`] finds its first match. With Unicode word boundaries the
    /// pattern itself would run over every position of a non-ASCII text as a backtracker or
    /// PikeVM; the widened DFA rules out most texts at once and leaves a few starts to try.
    pub fn is_match(&self, text: &str) -> bool {
        self.count_matches(text, 1) > 0
    }

    /// [`Pattern::count_matches`] when every match of the pattern starts at one of `starts`
    /// (ascending): the pattern runs only there, anchored, as `find_iter` would find its
    /// matches (the next search begins where a match ends). No match of such a pattern is
    /// empty (each starts with a literal of the gate).
    pub fn count_matches_from(
        &self,
        text: &str,
        starts: impl IntoIterator<Item = usize>,
        limit: usize,
    ) -> usize {
        let (mut count, mut at) = (0, 0);
        for start in starts {
            if count == limit {
                break;
            }
            if start < at {
                continue;
            }
            if let Some(found) = self.match_at(text, start) {
                count += 1;
                at = found.end();
            }
        }
        count
    }

    /// [`Pattern::count_matches`] for the pattern that is the `at`-th of `gate`, which passed
    /// it: when its literals start its matches and `places` holds (the gate's `starts` are
    /// places in `text`, [`LiteralGate::candidates_at`]), it runs only where they stand
    /// ([`Pattern::count_matches_from`]), not over the whole text.
    fn count_gated(
        &self,
        text: &str,
        limit: usize,
        (gate, at): (&LiteralGate, usize),
        (places, starts): (bool, &[(usize, usize)]),
    ) -> usize {
        if !(places && gate.gates_starts(at)) {
            return self.count_matches(text, limit);
        }
        let first = starts.partition_point(|&(p, _)| p < at);
        let end = starts.partition_point(|&(p, _)| p <= at);
        let at_word_boundary = self.starts_at_word_boundary();
        let from = starts[first..end]
            .iter()
            .map(|&(_, s)| s)
            .filter(|&s| !(at_word_boundary && inside_ascii_word(text, s)));
        self.count_matches_from(text, from, limit)
    }

    /// Whether every match of the pattern starts at a word boundary (`\b`, Unicode or ASCII):
    /// then none starts inside a word. A gate literal such as the "in" of `\b(?:in|bei)\s+…`
    /// stands inside many words ("Kind", "eine"), and each place was an anchored search.
    fn starts_at_word_boundary(&self) -> bool {
        let prefix = self.hir().properties().look_set_prefix();
        prefix.contains(Look::WordUnicode) || prefix.contains(Look::WordAscii)
    }

    /// The match of the pattern that starts at `start`, if any: what an anchored search of
    /// [`Pattern::regex`] finds, run on the engines of [`AnchoredSearch`].
    ///
    /// On non-ASCII text a pattern with Unicode word boundaries cannot run as a lazy DFA, and
    /// an anchored search falls back to a bounded backtracker, which clears a bit per pattern
    /// state and byte of the searched span first: over the rest of the sentence that clearing
    /// was a sixteenth of a warm byte's instructions. So the pattern without its word boundaries
    /// runs first, as a DFA that keeps every match, to where its last match from `start` ends:
    /// every match of the pattern from `start` is one of its matches, so none ends later, and
    /// the search ends there. The leftmost-first match is the same, and a word boundary at its
    /// end still sees the text beyond (look-around reads the whole haystack). No match of the
    /// widened pattern from `start` means none of the pattern either.
    fn match_at(&self, text: &str, start: usize) -> Option<regex_automata::Match> {
        let end = match self.reach() {
            Some(Reach::Longest(longest)) => {
                let mut end = (start + longest).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                end
            }
            Some(Reach::Dfa(forward)) => {
                let input = Input::new(text).range(start..).anchored(Anchored::Yes);
                match forward
                    .dfa
                    .try_search_fwd(&mut forward.cache.lock(), &input)
                {
                    Ok(found) => found?.offset(),
                    Err(_) => text.len(),
                }
            }
            None => text.len(),
        };
        self.anchored
            .get_or_init(|| Arc::new(AnchoredSearch::new(self.hir())))
            .search(text, start, end)
    }

    /// What [`Pattern::match_at`] bounds a search with, taken on first use: the length of the
    /// pattern's longest match when it has one, else a lazy DFA, forward only, without the
    /// reverse automaton and the other engines a `meta::Regex` builds.
    fn reach(&self) -> Option<&Reach> {
        self.reach
            .get_or_init(|| {
                let hir = self.hir();
                if !hir.properties().look_set().contains_word_unicode() {
                    return None;
                }
                if let Some(longest) = hir.properties().maximum_len() {
                    return Some(Arc::new(Reach::Longest(longest)));
                }
                let dfa = ForwardDfa::from_nfa(self.widened_nfa()?.clone())?;
                Some(Arc::new(Reach::Dfa(Box::new(dfa))))
            })
            .as_deref()
    }

    /// The widened pattern's NFA ([`Pattern::widened_nfa`]), compiled on first use.
    fn widened_nfa(&self) -> Option<&thompson::NFA> {
        self.widened_nfa
            .get_or_init(|| {
                let hir = self.hir();
                if !hir.properties().look_set().contains_word_unicode() {
                    return None;
                }
                compile_nfa(&[without_word_boundaries(hir)], NfaKind::Forward)
            })
            .as_ref()
    }

    /// The widened pattern [`Pattern::count_matches`] looks for starts with, built on first use.
    fn widened(&self) -> Option<&WidenedSearch> {
        self.widened
            .get_or_init(|| {
                let hir = self.hir();
                // An empty match would need find_iter's rule for empty matches: a pattern that
                // may match nothing (none of the built-in ones) runs as it is.
                let empty = hir.properties().minimum_len().is_none_or(|len| len == 0);
                if empty {
                    return None;
                }
                let forward = self.widened_nfa()?.clone();
                let reverse = compile_nfa(&[without_word_boundaries(hir)], NfaKind::Reverse)?;
                WidenedSearch::new(forward, reverse).map(Arc::new)
            })
            .as_deref()
    }
}

/// Whether `at` lies between two ASCII word characters (letters, digits, `_`) of `text`, where no
/// word boundary is, Unicode or ASCII.
fn inside_ascii_word(text: &str, at: usize) -> bool {
    let is_word = |b: &u8| b.is_ascii_alphanumeric() || *b == b'_';
    let bytes = text.as_bytes();
    at > 0 && bytes.get(at - 1).is_some_and(is_word) && bytes.get(at).is_some_and(is_word)
}

/// The leftmost-first search of a pattern without its Unicode word boundaries
/// ([`Pattern::count_matches`]): a forward and a reverse lazy DFA, as a `meta::Regex` runs it,
/// without the other engines a `meta::Regex` builds, and with the forward NFA of the pattern's
/// [`Reach`] (the same pattern) instead of a second one, and one cache for all threads
/// ([`SharedCache`]).
struct WidenedSearch {
    regex: Arc<hybrid::regex::Regex>,
    cache: SharedCache<hybrid::regex::Cache>,
}

impl WidenedSearch {
    /// The search of the pattern whose NFA is `forward` and whose reverse NFA is `reverse`,
    /// with lazy DFAs configured as a `meta::Regex` of [`builder`] configures its own; `None`
    /// when they cannot be built.
    fn new(forward: thompson::NFA, reverse: thompson::NFA) -> Option<WidenedSearch> {
        let config = hybrid::dfa::DFA::config()
            .starts_for_each_pattern(true)
            .cache_capacity(LAZY_DFA_CACHE_CAPACITY);
        let forward = hybrid::dfa::DFA::builder()
            .configure(config.clone())
            .build_from_nfa(forward)
            .ok()?;
        let reverse = hybrid::dfa::DFA::builder()
            .configure(
                config
                    .prefilter(None)
                    .specialize_start_states(false)
                    .match_kind(MatchKind::All),
            )
            .build_from_nfa(reverse)
            .ok()?;
        let regex = Arc::new(hybrid::regex::Builder::new().build_from_dfas(forward, reverse));
        let for_cache = Arc::clone(&regex);
        Some(WidenedSearch {
            regex,
            cache: SharedCache::new(move || for_cache.create_cache()),
        })
    }

    /// The leftmost-first match in `input`, if any.
    fn search(
        &self,
        input: &Input<'_>,
    ) -> std::result::Result<Option<regex_automata::Match>, regex_automata::MatchError> {
        self.regex.try_search(&mut self.cache.lock(), input)
    }
}

impl std::fmt::Debug for WidenedSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WidenedSearch").finish_non_exhaustive()
    }
}

/// What [`compile_nfa`] builds.
#[derive(Clone, Copy)]
enum NfaKind {
    /// Forward, without capture groups (for lazy DFAs).
    Forward,
    /// Forward, with the implicit capture group of each pattern (for the backtracker and the
    /// PikeVM).
    Captures,
    /// Reverse, without capture groups (for a lazy DFA that finds where a match starts).
    Reverse,
}

/// The Thompson NFA of `hirs` (a pattern each), without a size limit, of the given kind; `None`
/// when it cannot be built.
///
/// Each thread keeps one compiler of each kind and reuses it. A compiler allocates and fills
/// caches for its UTF-8 automata (10,000 entries) on its first pattern and frees them when it
/// is dropped: made anew for each of the some 300 automata built on first use, that cost 0.1 G
/// instructions. A compiler starts every build from a cleared state, so the automaton is the
/// same.
fn compile_nfa(hirs: &[Hir], kind: NfaKind) -> Option<thompson::NFA> {
    fn compiler(captures: thompson::WhichCaptures, reverse: bool) -> thompson::Compiler {
        let mut compiler = thompson::Compiler::new();
        compiler.configure(
            thompson::Config::new()
                .nfa_size_limit(None)
                .which_captures(captures)
                .reverse(reverse),
        );
        compiler
    }
    thread_local! {
        static COMPILERS: [thompson::Compiler; 3] = [
            compiler(thompson::WhichCaptures::None, false),
            compiler(thompson::WhichCaptures::Implicit, false),
            compiler(thompson::WhichCaptures::None, true),
        ];
    }
    COMPILERS.with(|compilers| compilers[kind as usize].build_many_from_hir(hirs).ok())
}

/// The most memory a lazy DFA's cache may hold (per pattern and engine; it holds only the
/// states its searches have built, and a full cache is cleared and its states built anew).
///
/// It was 16 MiB, when the largest patterns filled the regex crate's default of 2 MiB again and
/// again on warm input (that rebuilding was a ninth of a warm byte's instructions, 726 → 645
/// per byte). Since patterns run anchored and bounded ([`Pattern::match_at`]), the largest
/// cache holds 1.2 MiB after 20 MB of generated articles, and `filter` over them counts 0.04%
/// more instructions at 2 MiB than at 16 MiB (1 MiB: 1.6% more over 5 MB; 512 KiB: 6.5%), the
/// same peak memory, and an eighth of the bound on what some 400 caches may grow to over
/// input that keeps building new states.
const LAZY_DFA_CACHE_CAPACITY: usize = 2 << 20;

/// Makes a [`SharedCache`]'s cache, at first and again after a panic during a search.
type CacheFn<C> = Box<dyn Fn() -> C + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// The one cache of a search engine (a lazy DFA's states, a backtracker's visited set), shared
/// by every thread: a thread takes it for one search and gives it back.
///
/// A cache of each engine per thread (the regex crate's `Pool`) made every thread build the
/// lazy DFA states of every pattern again, into caches of its own: on two threads those states
/// were two fifths of the peak memory of `clean -j2` (some 100 of 254 MiB over 20 MB of
/// articles), and building them twice about a tenth more instructions. A search holds the
/// cache for one sentence or less, and a thread's searches spread over hundreds of patterns,
/// so two threads seldom want the same one at once (see DESIGN.md).
struct SharedCache<C> {
    cache: Mutex<C>,
    create: CacheFn<C>,
}

impl<C> SharedCache<C> {
    fn new(create: impl Fn() -> C + Send + Sync + UnwindSafe + RefUnwindSafe + 'static) -> Self {
        SharedCache {
            cache: Mutex::new(create()),
            create: Box::new(create),
        }
    }

    /// The cache, once no other thread holds it. A search that panicked may have left it half
    /// updated: it is made anew.
    fn lock(&self) -> MutexGuard<'_, C> {
        self.cache.lock().unwrap_or_else(|poisoned| {
            let mut cache = poisoned.into_inner();
            *cache = (self.create)();
            self.cache.clear_poison();
            cache
        })
    }
}

/// Where a match of a pattern from a given start can end at the latest
/// ([`Pattern::match_at`]).
#[derive(Debug)]
enum Reach {
    /// At most this many bytes after the start (the pattern's longest match).
    Longest(usize),
    /// Where the last match from the start ends of the pattern without its Unicode word
    /// boundaries.
    Dfa(Box<ForwardDfa>),
}

/// A forward lazy DFA of one or more patterns (a pattern each) that keeps every match, without
/// the reverse automaton and the other engines a `meta::Regex` builds, with one cache for all
/// threads ([`LAZY_DFA_CACHE_CAPACITY`]; [`SharedCache`]): a pattern's [`Reach`] and the screen of a
/// [`DatelinePattern`].
struct ForwardDfa {
    dfa: hybrid::dfa::DFA,
    cache: SharedCache<hybrid::dfa::Cache>,
}

impl ForwardDfa {
    /// The automaton of `hirs`, or `None` when it cannot be built.
    fn new(hirs: &[Hir]) -> Option<ForwardDfa> {
        ForwardDfa::from_nfa(compile_nfa(hirs, NfaKind::Forward)?)
    }

    /// The automaton of `nfa` (forward, without capture groups), or `None` when it cannot be
    /// built.
    fn from_nfa(nfa: thompson::NFA) -> Option<ForwardDfa> {
        let dfa = hybrid::dfa::DFA::builder()
            .configure(
                hybrid::dfa::DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(LAZY_DFA_CACHE_CAPACITY),
            )
            .build_from_nfa(nfa)
            .ok()?;
        let for_cache = dfa.clone();
        Some(ForwardDfa {
            dfa,
            cache: SharedCache::new(move || for_cache.create_cache()),
        })
    }
}

impl std::fmt::Debug for ForwardDfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForwardDfa").finish_non_exhaustive()
    }
}

/// A pattern's anchored search ([`Pattern::match_at`]) as a `meta::Regex` runs one: its
/// forward lazy DFA, and where that gives up (on a non-ASCII character beside a Unicode word
/// boundary) the bounded backtracker, or the PikeVM on a span too long for it. A `meta::Regex`
/// also compiles the pattern's reverse automaton, which only an unanchored search uses (to
/// find where a match starts): that was two fifths of compiling a pattern on first use.
struct AnchoredSearch {
    /// `None` when the lazy DFA cannot be built: the other engines search alone.
    dfa: Option<hybrid::dfa::DFA>,
    backtrack: BoundedBacktracker,
    pikevm: PikeVM,
    caches: SharedCache<AnchoredCaches>,
}

/// The caches of an [`AnchoredSearch`], one set for all threads ([`SharedCache`]). The PikeVM's,
/// which holds a slot table per automaton state (some 11 MiB over the built-in rules), is made
/// only when a span too long for the backtracker comes, which a sentence seldom is.
struct AnchoredCaches {
    dfa: Option<hybrid::dfa::Cache>,
    backtrack: backtrack::Cache,
    pikevm: Option<pikevm::Cache>,
}

impl AnchoredSearch {
    /// The engines of `hir`, configured as a `meta::Regex` of [`builder`] configures its own.
    fn new(hir: &Hir) -> AnchoredSearch {
        let nfa = compile_nfa(std::slice::from_ref(hir), NfaKind::Captures)
            .expect("a pattern whose syntax was checked compiles without a size limit");
        let dfa = hybrid::dfa::DFA::builder()
            .configure(
                hybrid::dfa::DFA::config()
                    .unicode_word_boundary(true)
                    .cache_capacity(LAZY_DFA_CACHE_CAPACITY)
                    .minimum_cache_clear_count(Some(3))
                    .minimum_bytes_per_state(Some(10)),
            )
            .build_from_nfa(nfa.clone())
            .ok();
        let backtrack = BoundedBacktracker::new_from_nfa(nfa.clone())
            .expect("an NFA with its implicit capture group");
        let pikevm = PikeVM::new_from_nfa(nfa).expect("an NFA with its implicit capture group");
        let engines = (dfa.clone(), backtrack.clone());
        let create = move || AnchoredCaches {
            dfa: engines.0.as_ref().map(hybrid::dfa::DFA::create_cache),
            backtrack: engines.1.create_cache(),
            pikevm: None,
        };
        AnchoredSearch {
            dfa,
            backtrack,
            pikevm,
            caches: SharedCache::new(create),
        }
    }

    /// The match that starts at `start` and ends at `end` at the latest.
    fn search(&self, text: &str, start: usize, end: usize) -> Option<regex_automata::Match> {
        let input = Input::new(text).range(start..end).anchored(Anchored::Yes);
        let mut caches = self.caches.lock();
        if let (Some(dfa), Some(cache)) = (&self.dfa, caches.dfa.as_mut()) {
            if let Ok(found) = dfa.try_search_fwd(cache, &input) {
                return found.map(|m| regex_automata::Match::new(m.pattern(), start..m.offset()));
            }
        }
        let mut slots = [None, None];
        let AnchoredCaches {
            backtrack, pikevm, ..
        } = &mut *caches;
        let pattern = if end - start <= self.backtrack.max_haystack_len() {
            self.backtrack
                .try_search_slots(backtrack, &input, &mut slots)
                .expect("a span the backtracker can search")
        } else {
            let cache = pikevm.get_or_insert_with(|| self.pikevm.create_cache());
            self.pikevm.search_slots(cache, &input, &mut slots)
        }?;
        let (from, to) = (slots[0]?.get(), slots[1]?.get());
        Some(regex_automata::Match::new(pattern, from..to))
    }
}

impl std::fmt::Debug for AnchoredSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AnchoredSearch").finish_non_exhaustive()
    }
}

/// A builder that compiles as the regex crate's `Regex` does (leftmost-first, UTF-8), without
/// its limit on the size of the automaton.
///
/// Its lazy DFA keeps up to [`LAZY_DFA_CACHE_CAPACITY`] of states per thread.
///
/// No literal prefilter is built: the literal gate ([`crate::gate`]) already keeps a pattern
/// from sentences without its literals, and most patterns run anchored where those stand, so
/// extracting each pattern's literals again cost a tenth of compiling on first use (corpus×1
/// 3.27 → 2.94 G instructions) and saved nothing on warm input (607.4 → 607.7 per byte).
fn builder() -> meta::Builder {
    let mut builder = meta::Builder::new();
    builder.configure(
        meta::Config::new()
            .nfa_size_limit(None)
            .hybrid_cache_capacity(LAZY_DFA_CACHE_CAPACITY)
            .auto_prefilter(false),
    );
    builder
}

/// `hir` with every Unicode word boundary (`\b`, `\B`, `\b{start}`, …) taken out. Taking out an
/// assertion only widens what a pattern accepts: every match of `hir` is one of the result,
/// from the same start.
fn without_word_boundaries(hir: &Hir) -> Hir {
    crate::gate::map_leaves(hir, &|leaf| match leaf.kind() {
        HirKind::Look(look) if LookSet::singleton(*look).contains_word_unicode() => Hir::empty(),
        _ => leaf.clone(),
    })
}

/// What [`RuleSet::stopword_hits`] finds in a text: its words, and per language with a stopword
/// list (in name order, the first [`Stopwords::languages`] entries) its stopwords and those of
/// them found in no other list. Arrays, not vectors: the pass runs on every block and sentence.
struct StopwordHits {
    words: usize,
    counts: [usize; MAX_STOPWORD_LANGUAGES],
    unique: [usize; MAX_STOPWORD_LANGUAGES],
}

impl StopwordHits {
    /// No stopwords yet, among `words` words.
    fn new(words: usize) -> StopwordHits {
        StopwordHits {
            words,
            counts: [0; MAX_STOPWORD_LANGUAGES],
            unique: [0; MAX_STOPWORD_LANGUAGES],
        }
    }

    /// Counts a stopword of the languages in `mask` (of the first `languages`): only its set
    /// bits are visited (most stopwords are of one or two languages).
    fn add(&mut self, mask: u64, languages: usize) {
        let mut bits = mask & u64::MAX.checked_shr(64 - languages as u32).unwrap_or(0);
        while bits != 0 {
            self.counts[bits.trailing_zeros() as usize] += 1;
            bits &= bits - 1;
        }
        if mask.count_ones() == 1 {
            self.unique[mask.trailing_zeros() as usize] += 1;
        }
    }
}

/// The stopwords of one block, found in one pass ([`RuleSet::block_stopwords`]): the counts of
/// the block and of each of its sentences are taken from them, so that a sentence's words are
/// not looked up a second time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BlockStopwords {
    /// Where each stopword starts and ends in the block, and its languages (a bit each), in
    /// order.
    found: Vec<(usize, usize, u64)>,
}

/// Room that [`RuleSet::matching_rules`] and [`RuleSet::hints_matching`] reuse from sentence to
/// sentence: the lower-cased sentence, which rules (or hints) may match it and where.
#[derive(Debug, Default)]
pub struct MatchBuffers {
    lowercase: String,
    may_match: Vec<bool>,
    starts: Vec<(usize, usize)>,
}

impl BlockStopwords {
    /// No stopwords yet, with room for `capacity`.
    pub fn with_capacity(capacity: usize) -> BlockStopwords {
        BlockStopwords {
            found: Vec::with_capacity(capacity),
        }
    }

    /// Takes the block's next word, which stands at `start..end` of the block, if it is a
    /// stopword (`mask`, from [`RuleSet::stopword_mask`]): the block's words in order give what
    /// [`RuleSet::block_stopwords`] finds.
    pub fn add(&mut self, start: usize, end: usize, mask: Option<u64>) {
        if let Some(mask) = mask {
            self.found.push((start, end, mask));
        }
    }

    /// What [`RuleSet::block_stopwords`] finds in `blanked`, this block with stretches of it
    /// replaced by spaces byte for byte (quotations, see `features::mask_quotes`), without
    /// reading it: the stopwords that do not stand in a blanked stretch. Every stretch starts
    /// and ends beside a character that is not a letter (a quotation mark) or at the block's
    /// edge, so it never cuts a word, and a word is blanked when its first byte is a space.
    pub fn outside_blanks(&self, blanked: &str) -> BlockStopwords {
        let bytes = blanked.as_bytes();
        BlockStopwords {
            found: self
                .found
                .iter()
                .filter(|&&(start, _, _)| bytes[start] != b' ')
                .copied()
                .collect(),
        }
    }
}

/// Stopword lists beyond this many languages are not told apart (a `u64` mask per word).
const MAX_STOPWORD_LANGUAGES: usize = 64;

/// How the labeller turns sentence scores into a labelled sequence.
#[derive(Clone, Copy, Debug)]
pub struct Weights {
    /// The score a sentence must beat to count as promo on its own.
    pub bias: f64,
    /// Cost of a label change between two sentences of one block.
    pub switch_in_paragraph: f64,
    /// Cost of a label change between two blocks.
    pub switch_between_paragraphs: f64,
    /// Cost of a label change between a heading and the paragraph it introduces.
    pub switch_after_heading: f64,
    /// Added to a sentence's margin for each further promo sentence in its block.
    pub paragraph_support: f64,
    /// Extra cost for a promo run that began inside a block to go on into the next block.
    pub glued_run_continues: f64,
    /// Cost for a promo run that took in on-topic sentences without promo evidence of their own
    /// to end in the block where it took them (see [`crate::labels::decode`]).
    pub absorbed_run_ends: f64,
    /// Added to the score of every sentence of a passage that recurs across the batch and has
    /// a promotional cue (see [`crate::repeats`]).
    pub repeated_passage: f64,
}

/// A dateline pattern. Its word boundaries (`\b`) make the regex crate read the whole block
/// by backtracking whenever the block has a non-ASCII character, so the pattern without them
/// (built on first use), which runs as a lazy DFA and matches wherever the pattern does (from
/// the start of the block), first rules out the blocks that start with no date. (One automaton
/// for all patterns instead was slower: its lazy DFA outgrew its cache.)
///
/// The pattern is checked when the rules load and compiled only when a block first gets past
/// its screen: the dateline patterns are the largest of the rules (a pattern costs some 20 M
/// instructions to compile), and a run meets the dates of a few of them. The screen is a
/// forward lazy DFA alone ([`ForwardDfa`]), without the reverse automaton and the other engines
/// a `meta::Regex` builds.
///
/// The groups of a block the screen lets through are found by the bounded backtracker, which
/// clears a bit per automaton state and byte read, and the Unicode letter classes of the place
/// and the month names make the automaton large: some 27,000 instructions a block. Where what
/// the pattern can match and the character after it are ASCII, the pattern over ASCII
/// ([`ascii_only`]), a small automaton that its lazy DFA runs throughout, finds the same groups.
#[derive(Clone, Debug)]
pub struct DatelinePattern {
    source: String,
    /// The syntax tree of the check, for the screen.
    hir: Hir,
    screen: OnceLock<Option<Arc<ForwardDfa>>>,
    regex: OnceLock<Regex>,
    /// The pattern over ASCII, compiled on first use.
    ascii_regex: OnceLock<Regex>,
}

impl DatelinePattern {
    /// Checks `source` as `Regex::new` would; the error is the one `Regex::new` gives.
    fn new(source: String) -> std::result::Result<DatelinePattern, String> {
        let hir = regex_syntax::parse(&source).map_err(|e| e.to_string())?;
        Ok(DatelinePattern {
            source,
            hir,
            screen: OnceLock::new(),
            regex: OnceLock::new(),
            ascii_regex: OnceLock::new(),
        })
    }

    /// The pattern's match in `line` and its groups: what `Regex::captures` gives.
    ///
    /// The screen keeps every match from the start of the line and reports where the last one
    /// ends, so every match of the pattern lies within that end: the regex reads the line only
    /// up to there and the character there (what a word boundary at the end looks at), not a
    /// whole paragraph (where its lazy DFA gives up, on a non-ASCII character, the backtracker
    /// clears a bit per automaton state and byte it may read). Every match of the pattern in the
    /// line is one in that cut, with the same assertions holding; a match of the cut that ends
    /// beyond the last end (an end of text passing a `\b` or `$` that the line fails) sends the
    /// search back to the whole line. When the cut is ASCII, the matches of the pattern and of
    /// the pattern over ASCII are the same paths through the same choices: the same match, the
    /// same groups.
    pub fn captures<'t>(&self, line: &'t str) -> Option<regex::Captures<'t>> {
        let screen = self.screen.get_or_init(|| {
            if !self.hir.properties().look_set().contains_word_unicode() {
                return None;
            }
            ForwardDfa::new(&[without_word_boundaries(&self.hir)]).map(Arc::new)
        });
        let Some(ForwardDfa { dfa, cache }) = screen.as_deref() else {
            return self.regex().captures(line);
        };
        let last_end = match dfa.try_search_fwd(&mut cache.lock(), &Input::new(line)) {
            Ok(None) => return None,
            Ok(Some(end)) => end.offset(),
            Err(_) => return self.regex().captures(line),
        };
        let cut = &line[..last_end + line[last_end..].chars().next().map_or(0, char::len_utf8)];
        let regex = if cut.is_ascii() {
            self.ascii_regex
                .get_or_init(|| compile_dateline_pattern(&ascii_only(&self.hir).to_string()))
        } else {
            self.regex()
        };
        match regex.captures(cut) {
            Some(caps) if caps.get(0).is_some_and(|m| m.end() > last_end) => {
                self.regex().captures(line)
            }
            found => found,
        }
    }

    /// The pattern, compiled on first use.
    fn regex(&self) -> &Regex {
        self.regex
            .get_or_init(|| compile_dateline_pattern(&self.source))
    }
}

/// A dateline pattern whose syntax was checked, compiled without a size limit.
fn compile_dateline_pattern(source: &str) -> Regex {
    regex::RegexBuilder::new(source)
        .size_limit(usize::MAX)
        .build()
        .expect("a dateline pattern whose syntax was checked compiles")
}

/// `hir` over ASCII text: its classes without their non-ASCII members and its Unicode word
/// boundaries as ASCII ones. On a text whose characters are ASCII it matches where `hir` does,
/// along the same paths.
fn ascii_only(hir: &Hir) -> Hir {
    crate::gate::map_leaves(hir, &|leaf| match leaf.kind() {
        HirKind::Class(Class::Unicode(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassUnicode::new([ClassUnicodeRange::new('\0', '\x7f')]));
            Hir::class(Class::Unicode(class))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut class = class.clone();
            class.intersect(&ClassBytes::new([ClassBytesRange::new(0, 0x7f)]));
            Hir::class(Class::Bytes(class))
        }
        HirKind::Look(look) => Hir::look(match look {
            Look::WordUnicode => Look::WordAscii,
            Look::WordUnicodeNegate => Look::WordAsciiNegate,
            Look::WordStartUnicode => Look::WordStartAscii,
            Look::WordEndUnicode => Look::WordEndAscii,
            Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
            Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
            other => *other,
        }),
        _ => leaf.clone(),
    })
}

/// Compiled dateline patterns and the month names they may use.
#[derive(Clone, Debug)]
pub struct DatelineRules {
    /// Anchored at the start of a block, each with the language of its file (`common` for
    /// all); named groups day, month or month_name, year, and optionally hour, minute, second,
    /// ampm. Numeric orders differ (US month/day, European day/month), hence the language.
    pub patterns: Vec<(String, DatelinePattern)>,
    /// Timestamps without a date ("Heute, 08:12 Uhr"), anchored at the start of a block.
    pub relative: Vec<Regex>,
    pub months: HashMap<String, u32>,
    /// Per first byte of a month name, the byte lengths of the names that start with it (bit
    /// `n` for length `n`, bit 31 for 31 bytes or more): [`DatelineRules::is_month`] looks up
    /// only a word of such a shape.
    month_shapes: [u32; 256],
    /// Per language whose own date pattern puts the month first: what in an article shows a
    /// day-first locale (English: prices in pounds or euros), so that a date that reads both
    /// ways ("02/12/2026") is read day first there.
    pub day_first_locale: HashMap<String, Regex>,
}

impl DatelineRules {
    /// Whether `lower` (lowercase) is a month name. A passage fingerprint asks this of every
    /// word, and few words have the first byte and length of a month name: the table of those
    /// shapes answers for the rest without hashing them (the lookup was 10 instructions per
    /// byte of warm input).
    pub fn is_month(&self, lower: &str) -> bool {
        let Some(&first) = lower.as_bytes().first() else {
            return false;
        };
        self.month_shapes[first as usize] & 1 << lower.len().min(31) != 0
            && self.months.contains_key(lower)
    }
}

/// [`DatelineRules::month_shapes`] of these month names.
fn month_shapes<'a>(names: impl Iterator<Item = &'a String>) -> [u32; 256] {
    let mut shapes = [0u32; 256];
    for name in names {
        if let Some(&first) = name.as_bytes().first() {
            shapes[first as usize] |= 1 << name.len().min(31);
        }
    }
    shapes
}

/// What kind of title a word is ([`RuleSet::title_kind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TitleKind {
    /// Always stands before what it names: "Dr", "Nr".
    Title,
    /// Stands before a number, and is also a word: "No", "Art".
    BeforeNumber,
}

/// One language's abbreviations that never end a sentence.
#[derive(Clone, Debug, Default)]
struct Titles {
    words: HashSet<String>,
    /// Endings of compound abbreviations ("str" for "Hauptstr. 7"), given in `titles` with a
    /// leading hyphen.
    endings: Vec<String>,
    /// Abbreviations of a number that are also words ("No", "Art"): titles before a number
    /// only, given in `number_titles`. A handful, looked up after every period: a list is
    /// faster to search than a hash set.
    before_numbers: Vec<String>,
}

/// Everything the engine loads: cue rules, weights, dateline patterns, abbreviations.
#[derive(Clone, Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    /// Category hints of every language: a passage in one language may sell in another.
    hints: Vec<CategoryHint>,
    /// The literal gate of all hints ([`crate::gate`]), which tells which of them may match a
    /// sentence ([`RuleSet::hints_matching`]); built on first use.
    hint_gate: OnceLock<LiteralGate>,
    weights: Weights,
    datelines: DatelineRules,
    structure: StructureRules,
    abbreviations: HashMap<String, HashSet<String>>,
    /// The files the set was built from, kept so that fitted weights can be written back.
    sources: Vec<RuleSource>,
    /// Word rules by language and word.
    words: HashMap<String, HashMap<String, usize>>,
    starters: HashMap<String, HashSet<String>>,
    titles: HashMap<String, Titles>,
    stopwords: Stopwords,
    /// The words that tell apart languages whose stopwords overlap ([`crate::lang::Markers`]).
    markers: crate::lang::Markers,
    /// Per language (and `common` for languages without rules of their own), the checks that
    /// screen its sentences; built on first use, so a run over one language compiles only its
    /// own.
    screens: HashMap<String, OnceLock<Screen>>,
    /// What the labeller reads of each rule, in rule order ([`RuleSet::label_roles`]); built on
    /// first use, and anew for a set with other rules or weights.
    label_roles: OnceLock<Vec<RuleRoles>>,
}

/// The stopword lists of all languages in one table: a word is looked up once and tells every
/// language whose list holds it (a bit per language), so that judging a sentence's language
/// costs one lookup per word whatever the number of languages.
#[derive(Clone, Debug, Default)]
struct Stopwords {
    /// In name order; bit `i` of a word's mask stands for `languages[i]`.
    languages: Vec<String>,
    words: HashMap<String, u64>,
    /// The most characters a stopword has. Lower-casing never makes a word shorter in
    /// characters, so a longer word needs no lookup.
    longest: usize,
    /// The shapes of the stopwords ([`shape`]): a word whose shape no stopword has is none,
    /// told without hashing it. Most words looked up are not stopwords.
    shapes: Vec<u64>,
}

/// Where a word's shape stands in [`Stopwords::shapes`] (its first byte and its length in
/// bytes, up to 15) and its bit there (its last byte, modulo 64). `key` is not empty.
fn shape(key: &[u8]) -> (usize, u64) {
    let index = usize::from(key[0]) << 4 | key.len().min(15);
    (index, 1 << (key[key.len() - 1] & 63))
}

impl Stopwords {
    fn new(lists: BTreeMap<String, HashSet<String>>) -> Stopwords {
        let mut table = Stopwords::default();
        for (i, (language, words)) in lists.into_iter().take(MAX_STOPWORD_LANGUAGES).enumerate() {
            for word in words {
                table.longest = table.longest.max(word.chars().count());
                *table.words.entry(word).or_default() |= 1 << i;
            }
            table.languages.push(language);
        }
        table.shapes = vec![0; 256 << 4];
        for word in table.words.keys().filter(|w| !w.is_empty()) {
            let (index, bit) = shape(word.as_bytes());
            table.shapes[index] |= bit;
        }
        table
    }

    /// The languages (a bit each) whose lists hold `key`, a lower-cased word.
    fn get(&self, key: &str) -> Option<u64> {
        if !key.is_empty() {
            let (index, bit) = shape(key.as_bytes());
            if self
                .shapes
                .get(index)
                .is_some_and(|&shapes| shapes & bit == 0)
            {
                return None;
            }
        }
        self.words.get(key).copied()
    }
}

/// Calls `found` with where every maximal run of alphabetic characters of `text` starts, the
/// run and its length in characters: `text.split(|c: char| !c.is_alphabetic())` without the
/// empty pieces, but ASCII bytes are told without decoding them.
pub(crate) fn for_each_alphabetic_word(text: &str, mut found: impl FnMut(usize, &str, usize)) {
    let bytes = text.as_bytes();
    let (mut start, mut chars, mut at) = (0, 0, 0);
    while at < bytes.len() {
        let (alphabetic, len) = if bytes[at].is_ascii() {
            (bytes[at].is_ascii_alphabetic(), 1)
        } else {
            let c = text[at..].chars().next().expect("a character starts here");
            (letters::is_alphabetic(c), c.len_utf8())
        };
        if alphabetic {
            if chars == 0 {
                start = at;
            }
            chars += 1;
            at += len;
            // The ASCII letters that follow, without the tests above for each.
            while at < bytes.len() && bytes[at].is_ascii_alphabetic() {
                chars += 1;
                at += 1;
            }
            continue;
        } else if chars > 0 {
            found(start, &text[start..at], chars);
            chars = 0;
        }
        at += len;
    }
    if chars > 0 {
        found(start, &text[start..], chars);
    }
}

/// Which of a language's pattern rules may match a sentence: the rules of the language and the
/// common ones, and a gate over their literals (see [`crate::gate`]) that rules out most of them
/// in one pass over the sentence.
#[derive(Clone, Debug)]
struct Screen {
    /// Rule indices, in rule order.
    rules: Vec<usize>,
    /// Which of `rules` can match at all, from their literals (in the order of `rules`).
    gate: LiteralGate,
}

impl Screen {
    fn new(rules: &[Rule], language: &str) -> Screen {
        let indices: Vec<usize> = (0..rules.len())
            .filter(|&i| {
                let r = &rules[i];
                r.word.is_none() && (r.language == "common" || r.language == language)
            })
            .collect();
        let gate =
            LiteralGate::from_literals(indices.iter().map(|&i| rules[i].pattern.gate_literals()));
        Screen {
            rules: indices,
            gate,
        }
    }
}

/// What tells a heading from other short lines.
#[derive(Clone, Debug)]
pub struct StructureRules {
    /// Bylines and credits: short lines that are never headings.
    pub not_headings: Regex,
    /// The first person singular ("ich", "je", "I", "yo"): an interview's answers use it, an
    /// explainer's answers to its own questions do not (`features::interview_turns`).
    pub first_person: Regex,
    pub heading_max_words: usize,
    /// How many short unpunctuated lines in a row make a run (a product box, a teaser block).
    pub short_line_run: usize,
    /// Tags of news agencies ("dpa", "AFP") as they stand in brackets on a place line
    /// ("Berlin (dpa) –"): such a line marks agency copy, which is editorial whatever labels it.
    pub news_agencies: HashSet<String>,
    /// A line that marks an ad slot and says nothing else ("Advertisement", "Anzeige"): under
    /// the article's byline it stands in the body's first slot and labels no article
    /// (`class::classify`). `None` when no rules file gives one.
    pub ad_slot: Option<Regex>,
}

/// One rules file: its name (shown in errors) and its text.
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub name: String,
    pub text: String,
}

const BUILTIN: &[(&str, &str)] = &[
    ("common.toml", include_str!("../rules/common.toml")),
    ("de.toml", include_str!("../rules/de.toml")),
    ("en.toml", include_str!("../rules/en.toml")),
    ("fr.toml", include_str!("../rules/fr.toml")),
    ("es.toml", include_str!("../rules/es.toml")),
    (
        "de.advertorial.toml",
        include_str!("../rules/de.advertorial.toml"),
    ),
    (
        "en.advertorial.toml",
        include_str!("../rules/en.advertorial.toml"),
    ),
    (
        "fr.advertorial.toml",
        include_str!("../rules/fr.advertorial.toml"),
    ),
    (
        "es.advertorial.toml",
        include_str!("../rules/es.advertorial.toml"),
    ),
    (
        "de.abbreviations.txt",
        include_str!("../rules/de.abbreviations.txt"),
    ),
    (
        "en.abbreviations.txt",
        include_str!("../rules/en.abbreviations.txt"),
    ),
    (
        "es.abbreviations.txt",
        include_str!("../rules/es.abbreviations.txt"),
    ),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    language: String,
    weights: Option<WeightsFile>,
    dateline: Option<DatelineFile>,
    structure: Option<StructureFile>,
    sentences: Option<SentencesFile>,
    #[serde(default)]
    rule: Vec<RuleFile>,
    #[serde(default)]
    hint: Vec<HintFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HintFile {
    id: Spanned<String>,
    category: Spanned<String>,
    strength: f64,
    pattern: Spanned<String>,
    #[serde(rename = "match", default)]
    must_match: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeightsFile {
    bias: f64,
    switch_in_paragraph: f64,
    switch_between_paragraphs: f64,
    switch_after_heading: f64,
    paragraph_support: f64,
    glued_run_continues: f64,
    /// Optional, so that rule folders written before the absorbed-run cost existed still load.
    #[serde(default = "default_absorbed_run_ends")]
    absorbed_run_ends: f64,
    /// Optional, so that rule folders written before the repeat cue existed still load.
    #[serde(default = "default_repeated_passage")]
    repeated_passage: f64,
}

/// The repeat cue's weight in rule folders that do not give one (the built-in value).
fn default_absorbed_run_ends() -> f64 {
    0.5
}

fn default_repeated_passage() -> f64 {
    0.6
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatelineFile {
    #[serde(default)]
    prefixes: Vec<String>,
    #[serde(default)]
    weekdays: Vec<String>,
    #[serde(default)]
    dates: Vec<Spanned<String>>,
    time: Option<Spanned<String>>,
    place: Option<Spanned<String>>,
    #[serde(default)]
    relative: Vec<Spanned<String>>,
    #[serde(default)]
    months: BTreeMap<String, u32>,
    day_first_locale: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SentencesFile {
    #[serde(default)]
    starters: Vec<String>,
    #[serde(default)]
    stopwords: Vec<String>,
    #[serde(default)]
    markers: Vec<String>,
    #[serde(default)]
    neighbour_words: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
    #[serde(default)]
    number_titles: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StructureFile {
    not_headings: Spanned<String>,
    first_person: Spanned<String>,
    heading_max_words: usize,
    short_line_run: usize,
    #[serde(default)]
    news_agencies: Vec<String>,
    ad_slot: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: Spanned<String>,
    category: Option<Spanned<String>>,
    weight: f64,
    #[serde(rename = "where")]
    position: Option<Spanned<String>>,
    pattern: Option<Spanned<String>>,
    word: Option<String>,
    #[serde(rename = "match", default)]
    must_match: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// Weights are written with three decimals: finer steps mean nothing for a score.
fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// `id` taken for a rule or hint (`what`) of `source`, or an error at it naming the file that
/// already uses it: rules and hints share one space of ids across all files.
fn claim_id(
    seen: &mut HashMap<String, String>,
    source: &RuleSource,
    id: Spanned<String>,
    what: &str,
) -> Result<String> {
    let at = id.span().start;
    let id = id.into_inner();
    match seen.insert(id.clone(), source.name.clone()) {
        Some(other) => Err(error_at(
            source,
            at,
            format!("{what} id `{id}` is already used in {other}; ids must be unique"),
        )),
        None => Ok(id),
    }
}

/// The category a rules file names, or an error at the name listing the valid ones.
fn category_of(source: &RuleSource, name: &Spanned<String>) -> Result<Category> {
    Category::from_name(name.get_ref()).ok_or_else(|| {
        let names: Vec<_> = Category::ALL.iter().map(|c| c.name()).collect();
        error_at(
            source,
            name.span().start,
            format!(
                "unknown category `{}`; use one of {}",
                name.get_ref(),
                names.join(", ")
            ),
        )
    })
}

/// Line and column (both from 1) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

fn error_at(source: &RuleSource, offset: usize, message: impl Into<String>) -> Error {
    let (line, column) = line_col(&source.text, offset);
    Error::rules(&source.name, line, column, message)
}

impl RuleSet {
    /// The rules compiled into the binary (the `rules/` folder of the repository).
    pub fn builtin() -> RuleSet {
        let sources = BUILTIN
            .iter()
            .map(|(name, text)| RuleSource {
                name: format!("rules/{name}"),
                text: text.to_string(),
            })
            .collect();
        RuleSet::load(sources, false).expect("the built-in rules are valid (tested)")
    }

    /// Loads every `*.toml` and `*.abbreviations.txt` file of a folder, replacing the defaults.
    pub fn from_dir(dir: &Path) -> Result<RuleSet> {
        let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.map_err(|e| Error::io(dir, e))?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default();
            if name.ends_with(".toml") || name.ends_with(".abbreviations.txt") {
                paths.push(path);
            }
        }
        paths.sort();
        if paths.is_empty() {
            return Err(Error::usage(format!(
                "{}: no rules files (*.toml, *.abbreviations.txt) in this folder",
                dir.display()
            )));
        }
        let mut sources = Vec::new();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
            sources.push(RuleSource {
                name: path.display().to_string(),
                text,
            });
        }
        RuleSet::from_sources(sources)
    }

    /// Builds a rule set from named texts. Exactly one file must hold `[weights]` and the
    /// dateline `time` pattern.
    pub fn from_sources(sources: Vec<RuleSource>) -> Result<RuleSet> {
        RuleSet::load(sources, true)
    }

    /// [`RuleSet::from_sources`]; with `check_patterns` false (the built-in rules, which the
    /// tests check) the rule and hint patterns are parsed only when first used.
    fn load(sources: Vec<RuleSource>, check_patterns: bool) -> Result<RuleSet> {
        let pattern = |source: &str| {
            if check_patterns {
                Pattern::new(source)
            } else {
                Ok(Pattern::unchecked(source))
            }
        };
        let mut rules = Vec::new();
        let mut weights = None;
        let mut prefixes = Vec::new();
        let mut weekdays = Vec::new();
        let mut place: Option<(String, usize, usize)> = None;
        let mut relative = Vec::new();
        let mut structure = None;
        let mut dates: Vec<(String, String, usize, usize)> = Vec::new();
        let mut time: Option<(String, usize, usize)> = None;
        let mut months = HashMap::new();
        let mut day_first_locale = HashMap::new();
        let mut abbreviations: HashMap<String, HashSet<String>> = HashMap::new();
        let mut starters: HashMap<String, HashSet<String>> = HashMap::new();
        let mut titles: HashMap<String, Titles> = HashMap::new();
        let mut stopwords: BTreeMap<String, HashSet<String>> = BTreeMap::new();
        let mut markers: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        let mut hints = Vec::new();

        for (index, source) in sources.iter().enumerate() {
            let file_name = Path::new(&source.name)
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("");
            if let Some(lang) = file_name.strip_suffix(".abbreviations.txt") {
                let set = abbreviations.entry(lang.to_string()).or_default();
                for line in source.text.lines() {
                    let word = line.trim();
                    if !word.is_empty() && !word.starts_with('#') {
                        set.insert(word.trim_end_matches('.').to_string());
                    }
                }
                continue;
            }
            let file: RulesFile = toml::from_str(&source.text).map_err(|e| {
                let offset = e.span().map_or(0, |s| s.start);
                error_at(source, offset, e.message().trim().to_string())
            })?;
            if let Some(w) = file.weights {
                if weights.is_some() {
                    return Err(error_at(
                        source,
                        0,
                        "[weights] is given in more than one rules file",
                    ));
                }
                weights = Some(Weights {
                    bias: w.bias,
                    switch_in_paragraph: w.switch_in_paragraph,
                    switch_between_paragraphs: w.switch_between_paragraphs,
                    switch_after_heading: w.switch_after_heading,
                    paragraph_support: w.paragraph_support,
                    glued_run_continues: w.glued_run_continues,
                    absorbed_run_ends: w.absorbed_run_ends,
                    repeated_passage: w.repeated_passage,
                });
            }
            if let Some(d) = file.dateline {
                prefixes.extend(d.prefixes);
                weekdays.extend(d.weekdays);
                for date in d.dates {
                    let span = date.span();
                    dates.push((file.language.clone(), date.into_inner(), index, span.start));
                }
                if let Some(locale) = d.day_first_locale {
                    let span = locale.span();
                    let regex = Regex::new(locale.get_ref()).map_err(|e| {
                        error_at(
                            source,
                            span.start,
                            format!("invalid day_first_locale pattern: {e}"),
                        )
                    })?;
                    day_first_locale.insert(file.language.clone(), regex);
                }
                if let Some(p) = d.place {
                    let span = p.span();
                    place = Some((p.into_inner(), index, span.start));
                }
                for r in d.relative {
                    let span = r.span();
                    let regex = Regex::new(&format!("^(?:{})", r.get_ref())).map_err(|e| {
                        error_at(
                            source,
                            span.start,
                            format!("invalid relative dateline pattern: {e}"),
                        )
                    })?;
                    relative.push(regex);
                }
                if let Some(t) = d.time {
                    let span = t.span();
                    time = Some((t.into_inner(), index, span.start));
                }
                months.extend(d.months.into_iter().map(|(k, v)| (k.to_lowercase(), v)));
            }
            if let Some(st) = file.structure {
                // A pattern of `[structure]`, or an error at its place in the file.
                let compile = |field: &Spanned<String>, name: &str| {
                    Regex::new(field.get_ref()).map_err(|e| {
                        error_at(
                            source,
                            field.span().start,
                            format!("invalid {name} pattern: {e}"),
                        )
                    })
                };
                let regex = compile(&st.not_headings, "not_headings")?;
                let first_person = compile(&st.first_person, "first_person")?;
                let ad_slot = st
                    .ad_slot
                    .as_ref()
                    .map(|field| compile(field, "ad_slot"))
                    .transpose()?;
                structure = Some(StructureRules {
                    not_headings: regex,
                    first_person,
                    heading_max_words: st.heading_max_words,
                    short_line_run: st.short_line_run,
                    news_agencies: st.news_agencies.into_iter().collect(),
                    ad_slot,
                });
            }
            if let Some(sentences) = file.sentences {
                starters
                    .entry(file.language.clone())
                    .or_default()
                    .extend(sentences.starters);
                let (endings, words): (Vec<String>, Vec<String>) = sentences
                    .titles
                    .into_iter()
                    .partition(|t| t.len() > 1 && t.starts_with('-'));
                let set = titles.entry(file.language.clone()).or_default();
                set.words.extend(words);
                set.before_numbers.extend(sentences.number_titles);
                set.endings
                    .extend(endings.into_iter().map(|e| e[1..].to_string()));
                let words = stopwords.entry(file.language.clone()).or_default();
                words.extend(sentences.stopwords.into_iter().map(|w| w.to_lowercase()));
                if !sentences.markers.is_empty() || !sentences.neighbour_words.is_empty() {
                    let (own, theirs) = markers.entry(file.language.clone()).or_default();
                    own.extend(sentences.markers.iter().map(|w| w.to_lowercase()));
                    theirs.extend(sentences.neighbour_words.iter().map(|w| w.to_lowercase()));
                }
            }
            for h in file.hint {
                let id = claim_id(&mut seen_ids, source, h.id, "hint")?;
                let pattern = pattern(h.pattern.get_ref()).map_err(|e| {
                    error_at(
                        source,
                        h.pattern.span().start,
                        format!("hint `{id}`: invalid pattern: {e}"),
                    )
                })?;
                hints.push(CategoryHint {
                    id,
                    language: file.language.clone(),
                    category: category_of(source, &h.category)?,
                    strength: h.strength,
                    pattern,
                    must_match: h.must_match,
                    must_not_match: h.no_match,
                });
            }
            for r in file.rule {
                let id_span = r.id.span();
                let id = claim_id(&mut seen_ids, source, r.id, "rule")?;
                let category = match &r.category {
                    None => None,
                    Some(c) => Some(category_of(source, c)?),
                };
                let position = match r.position.as_ref().map(|p| p.get_ref().as_str()) {
                    None | Some("any") => Position::Any,
                    Some("paragraph_start") => Position::ParagraphStart,
                    Some("paragraph_opener") => Position::ParagraphOpener,
                    Some("paragraph_end") => Position::ParagraphEnd,
                    Some("standalone") => Position::Standalone,
                    Some("short_line_run") => Position::ShortLineRun,
                    Some("own_typography") => Position::OwnTypography,
                    Some("language_switch") => Position::LanguageSwitch,
                    Some("interview_answer") => Position::InterviewAnswer,
                    Some("interview_question") => Position::InterviewQuestion,
                    Some("article_topic") => Position::ArticleTopic,
                    Some(other) => {
                        return Err(error_at(
                            source,
                            r.position.as_ref().map_or(0, |p| p.span().start),
                            format!("unknown `where = \"{other}\"`; use any, paragraph_start, paragraph_opener, paragraph_end, standalone, short_line_run, own_typography, language_switch, interview_answer, interview_question or article_topic"),
                        ))
                    }
                };
                let (pattern, word) = match (&r.pattern, &r.word) {
                    (Some(p), None) => {
                        let pattern = pattern(p.get_ref()).map_err(|e| {
                            error_at(source, p.span().start, format!("rule `{id}`: invalid pattern: {e}"))
                        })?;
                        (pattern, None)
                    }
                    (None, Some(w)) if !w.is_empty() && w.chars().all(char::is_alphanumeric) => {
                        let word = w.to_lowercase();
                        let pattern = Pattern::new(&format!(r"(?i)\b{}\b", regex::escape(&word))).expect("an escaped word");
                        (pattern, Some(word))
                    }
                    _ => {
                        return Err(error_at(
                            source,
                            id_span.start,
                            format!("rule `{id}`: give either `pattern` (a regex) or `word` (one word of letters and digits)"),
                        ))
                    }
                };
                rules.push(Rule {
                    id,
                    language: file.language.clone(),
                    category,
                    weight: r.weight,
                    position,
                    pattern,
                    word,
                    must_match: r.must_match,
                    must_not_match: r.no_match,
                });
            }
        }

        let first = sources.first().map(|s| s.name.as_str()).unwrap_or("rules");
        let structure = structure.ok_or_else(|| {
            Error::rules(
                first,
                1,
                1,
                "no file gives [structure] (not_headings, heading_max_words)",
            )
        })?;
        let weights = weights.ok_or_else(|| Error::rules(first, 1, 1, "no file gives [weights] (bias, switch_in_paragraph, switch_between_paragraphs, switch_after_heading, paragraph_support, glued_run_continues)"))?;
        let (time, time_file, time_offset) =
            time.ok_or_else(|| Error::rules(first, 1, 1, "no file gives [dateline] time"))?;
        let alternation = |words: &[String]| {
            words
                .iter()
                .map(|p| regex::escape(p))
                .collect::<Vec<_>>()
                .join("|")
        };
        let prefix_alt = alternation(&prefixes);
        let weekday_alt = alternation(&weekdays);
        let place = match place {
            Some((p, file, offset)) => {
                // Checked here, compiled as part of each dateline pattern.
                regex_syntax::parse(&p).map_err(|e| {
                    error_at(
                        &sources[file],
                        offset,
                        format!("invalid place pattern: {e}"),
                    )
                })?;
                format!("(?:{p})?")
            }
            None => String::new(),
        };
        let mut patterns = Vec::new();
        // A language's own forms first: "03/12/2025" is read month first in English before the
        // common day-first form is tried.
        dates.sort_by_key(|(language, ..)| language == "common");
        for (language, date, file, offset) in dates {
            let lead =
                format!(r"^(?:(?i:{prefix_alt})(?:\s+(?i:am|on|le|el|vom))?\s*:?\s*)?{place}");
            let weekday = format!(r"(?:(?i:{weekday_alt})\.?,?\s+)?");
            // The time follows the date ("06.02.2026 - 08:41") or, in some styles, leads it
            // ("14:06, Thu, Jan 16, 2025").
            for full in [
                format!(r"{lead}{weekday}(?:{date}){time}"),
                format!(r"{lead}{time}[\s,]*{weekday}(?:{date})"),
            ] {
                let pattern = DatelinePattern::new(full).map_err(|e| {
                    let (f, o) = if regex_syntax::parse(&time).is_err() {
                        (time_file, time_offset)
                    } else {
                        (file, offset)
                    };
                    error_at(&sources[f], o, format!("invalid dateline pattern: {e}"))
                })?;
                patterns.push((language.clone(), pattern));
            }
        }
        let mut set = RuleSet {
            rules,
            hints,
            hint_gate: OnceLock::new(),
            weights,
            datelines: DatelineRules {
                patterns,
                relative,
                month_shapes: month_shapes(months.keys()),
                months,
                day_first_locale,
            },
            structure,
            abbreviations,
            sources: sources.clone(),
            words: HashMap::new(),
            starters,
            titles,
            stopwords: Stopwords::new(stopwords),
            markers: crate::lang::Markers::new(markers)
                .map_err(|message| Error::rules(first, 1, 1, message))?,
            screens: HashMap::new(),
            label_roles: OnceLock::new(),
        };
        set.index_words();
        set.screens = set
            .stopwords
            .languages
            .iter()
            .map(String::as_str)
            .chain(set.rules.iter().map(|r| r.language.as_str()))
            .chain(["common"])
            .collect::<HashSet<&str>>()
            .into_iter()
            .map(|language| (language.to_string(), OnceLock::new()))
            .collect();
        Ok(set)
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// What the labeller reads of each rule, in the order of [`RuleSet::rules`]
    /// ([`RuleRoles`]).
    pub fn label_roles(&self) -> &[RuleRoles] {
        self.label_roles
            .get_or_init(|| self.rules.iter().map(RuleRoles::of).collect())
    }

    /// The category hints of every language ([`CategoryHint`]).
    pub fn hints(&self) -> &[CategoryHint] {
        &self.hints
    }

    /// Calls `found` with each hint that matches `sentence`, in their order; `buffers` is room
    /// reused from sentence to sentence ([`MatchBuffers`]).
    ///
    /// A hint runs only if the literal gate of all hints finds one of its literals in the
    /// sentence (one Aho-Corasick pass for all hints; a hint without usable literals always
    /// runs). The gate only ever skips hints that cannot match. A hint whose literals start
    /// its matches (29 of the 31) runs only where they stand ([`Pattern::count_gated`]): its
    /// search over the whole sentence needed a reverse automaton to find where a match starts,
    /// which built states on ad sentence after ad sentence (9 instructions per warm byte, and
    /// 0.1 G over the first 300 articles of `PROFILE_ARTICLES=1200 benches/throughput.sh`). (One lazy DFA of all hints without their word boundaries did
    /// the same more tightly, but building its states cost 0.2 G instructions in every process.)
    pub fn hints_matching(
        &self,
        sentence: &str,
        buffers: &mut MatchBuffers,
        mut found: impl FnMut(&CategoryHint),
    ) {
        let gate = self.hint_gate.get_or_init(|| {
            LiteralGate::from_literals(self.hints.iter().map(|h| h.pattern.gate_literals()))
        });
        let MatchBuffers {
            lowercase,
            may_match,
            starts,
        } = buffers;
        let places = gate.candidates_at(sentence, None, lowercase, may_match, starts);
        for (at, (hint, &may_match)) in self.hints.iter().zip(may_match.iter()).enumerate() {
            if may_match
                && hint
                    .pattern
                    .count_gated(sentence, 1, (gate, at), (places, starts))
                    > 0
            {
                found(hint);
            }
        }
    }

    /// Whether `line` is an ad label and nothing else ("Anzeige", "- Sponsored -"): a pattern
    /// rule of the sponsored_label category, with a positive weight, matches it whole.
    pub fn is_label(&self, line: &str) -> bool {
        let line = line.trim();
        self.rules.iter().any(|r| {
            r.speaks_for(Category::SponsoredLabel) && r.word.is_none() && r.pattern.is_match(line)
        })
    }

    pub fn weights(&self) -> Weights {
        self.weights
    }

    fn index_words(&mut self) {
        self.words.clear();
        for (i, rule) in self.rules.iter().enumerate() {
            if let Some(word) = &rule.word {
                self.words
                    .entry(rule.language.clone())
                    .or_default()
                    .insert(word.clone(), i);
            }
        }
    }

    /// The word rule for `word` (lowercase) in `language`, if there is one.
    pub fn word_rule(&self, language: &str, word: &str) -> Option<usize> {
        self.words.get(language)?.get(word).copied()
    }

    /// The pattern rules of `language` (and the common ones) that apply where `sentence` stands
    /// (`applies_at` their position) and may match it, in rule order. A rule listed here still
    /// has to match ([`Pattern::count_matches`]): this only skips the ones whose literals the
    /// sentence lacks.
    pub fn candidate_rules<'a>(
        &'a self,
        language: &str,
        sentence: &'a str,
        applies_at: impl Fn(Position) -> bool + 'a,
    ) -> impl Iterator<Item = usize> + 'a {
        let screen = self.screen(language);
        let mut may_match = Vec::new();
        screen
            .gate
            .candidates(sentence, &mut String::new(), &mut may_match);
        screen
            .rules
            .iter()
            .zip(may_match)
            .filter(move |&(&i, may_match)| may_match && applies_at(self.rules[i].position))
            .map(|(&i, _)| i)
    }

    /// The screen of `language`'s rules (with the common ones), or of the common rules alone for
    /// a language without rules of its own; built on first use.
    fn screen(&self, language: &str) -> &Screen {
        let (language, screen) = self
            .screens
            .get_key_value(language)
            .or_else(|| self.screens.get_key_value("common"))
            .expect("a screen for the common rules");
        screen.get_or_init(|| Screen::new(&self.rules, language))
    }

    /// Calls `found` with each pattern rule of `language` (and the common ones) that applies
    /// where `sentence` stands (`applies_at` its position) and matches it, in rule order, and
    /// how many matches it has (up to `limit`): [`RuleSet::candidate_rules`] and
    /// [`Pattern::count_matches`], but a rule whose gate literals start its matches runs only
    /// where they stand in the sentence ([`Pattern::count_matches_from`]), not over all of it.
    /// `lowercase` is the sentence lower-cased in place (every character to its one lowercase
    /// character of as many bytes), when the caller has it: the gate then searches it instead
    /// of lower-casing a copy of its own ([`LiteralGate::candidates_at`]).
    pub fn matching_rules(
        &self,
        language: &str,
        (sentence, lowercase_given): (&str, Option<&str>),
        limit: usize,
        applies_at: impl Fn(Position) -> bool,
        buffers: &mut MatchBuffers,
        mut found: impl FnMut(usize, usize),
    ) {
        let screen = self.screen(language);
        let MatchBuffers {
            lowercase,
            may_match,
            starts,
        } = buffers;
        let places =
            screen
                .gate
                .candidates_at(sentence, lowercase_given, lowercase, may_match, starts);
        for (at, (&r, &may_match)) in screen.rules.iter().zip(may_match.iter()).enumerate() {
            let rule = &self.rules[r];
            if !may_match || !applies_at(rule.position) {
                continue;
            }
            let matches =
                rule.pattern
                    .count_gated(sentence, limit, (&screen.gate, at), (places, starts));
            if matches > 0 {
                found(r, matches);
            }
        }
    }

    /// Whether any word rules are loaded (a learned lexicon).
    pub fn has_word_rules(&self) -> bool {
        !self.words.is_empty()
    }

    /// The same rules plus word rules `(language, word, weight)`, each written to
    /// `<language>.learned.toml` by [`RuleSet::write_to`]. A word that already has a rule in its
    /// language is left out.
    pub fn with_words(&self, words: &[(String, String, f64)]) -> RuleSet {
        let mut out = self.clone();
        for (language, word, weight) in words {
            if out.word_rule(language, word).is_some() {
                continue;
            }
            let pattern = Pattern::new(&format!(r"(?i)\b{}\b", regex::escape(word)))
                .expect("an escaped word");
            out.rules.push(Rule {
                id: format!("{language}.word.{word}"),
                language: language.clone(),
                category: None,
                weight: *weight,
                position: Position::Any,
                pattern,
                word: Some(word.clone()),
                must_match: vec![word.clone()],
                must_not_match: Vec::new(),
            });
        }
        out.index_words();
        out.label_roles = OnceLock::new();
        out
    }

    /// The same rules with other weights: one per rule (in the order of [`RuleSet::rules`]) and
    /// the labeller's. This is what `klartext train` produces.
    pub fn with_weights(&self, rule_weights: &[f64], weights: Weights) -> RuleSet {
        let mut out = self.clone();
        for (rule, &w) in out.rules.iter_mut().zip(rule_weights) {
            rule.weight = w;
        }
        out.weights = weights;
        out.label_roles = OnceLock::new();
        out
    }

    pub fn datelines(&self) -> &DatelineRules {
        &self.datelines
    }

    pub fn structure(&self) -> &StructureRules {
        &self.structure
    }

    /// Whether `word` (without its final period) is an abbreviation that always stands before
    /// what it names ("Dr", "Nr", "Mr") and so never ends a sentence, or a compound that ends
    /// in one after a lowercase letter ("Hauptstr" for "-str").
    pub fn is_title(&self, language: &str, word: &str) -> bool {
        self.title_kind(language, word) == Some(TitleKind::Title)
    }

    /// Whether `word` (without its final period) is a title ([`RuleSet::is_title`]) or a
    /// number title ([`RuleSet::is_number_title`]), in one lookup.
    pub fn title_kind(&self, language: &str, word: &str) -> Option<TitleKind> {
        let set = self.titles.get(language)?;
        if set.before_numbers.iter().any(|w| w == word) {
            return Some(TitleKind::BeforeNumber);
        }
        let title = set.words.contains(word)
            || set.endings.iter().any(|e| {
                word.len() > e.len()
                    && word.ends_with(e.as_str())
                    && word[..word.len() - e.len()].ends_with(char::is_lowercase)
            });
        title.then_some(TitleKind::Title)
    }

    /// Whether `word` (without its final period) abbreviates a word that goes before a number
    /// and is also a word of its own ("No. 5" but "No. I don't think so"; "Art. 5 GG" but "eine
    /// neue Art. Sie lebt …"): a title when a number follows, a word otherwise.
    pub fn is_number_title(&self, language: &str, word: &str) -> bool {
        self.title_kind(language, word) == Some(TitleKind::BeforeNumber)
    }

    /// Whether `word` (without its final period) is an abbreviation in `language` that may
    /// also end a sentence ("usw", "Inc"): it does when a typical sentence opener follows.
    pub fn is_abbreviation(&self, language: &str, word: &str) -> bool {
        self.abbreviations
            .get(language)
            .is_some_and(|set| set.contains(word))
    }

    /// Whether `word` typically opens a sentence in `language` (after a number with a period).
    pub fn is_sentence_starter(&self, language: &str, word: &str) -> bool {
        self.starters
            .get(language)
            .is_some_and(|set| set.contains(word))
    }

    /// The language of a block (among those with stopword lists): another language than the
    /// article's when the block uses at least two more of its stopwords, else the article's.
    pub fn block_language<'a>(&'a self, block: &str, article: &'a str) -> &'a str {
        self.block_language_of(block, &self.block_stopwords(block), article)
    }

    /// [`RuleSet::block_language`] from the block's stopwords, found once for the block and its
    /// sentences ([`RuleSet::sentence_language_in`]).
    pub fn block_language_of<'a>(
        &'a self,
        block: &str,
        stopwords: &BlockStopwords,
        article: &'a str,
    ) -> &'a str {
        // The word count is not part of a verdict.
        let hits = self.tally(0, stopwords.found.iter().map(|f| f.2));
        self.language_verdict(block, &hits, article)
            .0
            .unwrap_or(article)
    }

    /// The stopwords of `block`, for [`RuleSet::block_language_of`] and
    /// [`RuleSet::sentence_language_in`].
    pub fn block_stopwords(&self, block: &str) -> BlockStopwords {
        let mut stopwords = BlockStopwords::default();
        self.scan_stopwords(block, |start, word, mask| {
            stopwords.found.push((start, start + word.len(), mask))
        });
        stopwords
    }

    /// [`RuleSet::sentence_language`] of the sentence at `range` of `block`, whose stopwords
    /// are `stopwords`: counted from those that stand within the range, unless the range cuts
    /// a word in two (then its own words differ from the block's, and are read again).
    pub fn sentence_language_in<'a>(
        &'a self,
        block: &str,
        stopwords: &BlockStopwords,
        range: std::ops::Range<usize>,
        block_language: &'a str,
        article: &'a str,
    ) -> &'a str {
        let cuts_word = |at: usize| {
            let before = block[..at].chars().next_back();
            let after = block[at..].chars().next();
            before.is_some_and(char::is_alphabetic) && after.is_some_and(char::is_alphabetic)
        };
        let sentence = &block[range.clone()];
        if cuts_word(range.start) || cuts_word(range.end) {
            return self.sentence_language(sentence, block_language, article);
        }
        let first = stopwords.found.partition_point(|f| f.0 < range.start);
        let end = stopwords.found.partition_point(|f| f.1 <= range.end);
        let within = stopwords.found[first..end.max(first)].iter();
        // The word count is not part of a verdict.
        let hits = self.tally(0, within.map(|f| f.2));
        self.sentence_verdict(sentence, &hits, block_language, article)
    }

    /// The language of one sentence of a block whose language is `block_language` (see
    /// [`RuleSet::block_language`]): another language than the article's when the sentence
    /// uses at least two more of its stopwords; the article's when it uses at least two of the
    /// article's and no other wins; otherwise its block's. A short pasted-in line ("Jetzt
    /// gratis herunterladen!" in an English article) has too few stopwords of its own; its
    /// paragraph has enough.
    pub fn sentence_language<'a>(
        &'a self,
        sentence: &str,
        block_language: &'a str,
        article: &'a str,
    ) -> &'a str {
        self.sentence_verdict(
            sentence,
            &self.stopword_hits(sentence),
            block_language,
            article,
        )
    }

    fn sentence_verdict<'a>(
        &'a self,
        sentence: &str,
        hits: &StopwordHits,
        block_language: &'a str,
        article: &'a str,
    ) -> &'a str {
        match self.language_verdict(sentence, hits, article) {
            (Some(switched), _) => switched,
            (None, own) if own >= 2 => article,
            (None, _) => block_language,
        }
    }

    /// The language among those with stopword lists whose stopwords `text` uses most, if that
    /// beats the article's language by two words (else `None`), and how many stopwords of the
    /// article's language `text` has. Languages whose lists overlap ("de", "la", "en", "que" are
    /// French and Spanish) often tie; a tie goes to the language with more stopwords found in
    /// no other list, and a tie in those too to the one whatlang finds closer (the first in
    /// name order if it knows neither).
    fn language_verdict<'a>(
        &'a self,
        text: &str,
        hits: &StopwordHits,
        article: &str,
    ) -> (Option<&'a str>, usize) {
        let languages = &self.stopwords.languages;
        if languages.len() < 2 {
            return (None, 0);
        }
        let StopwordHits { counts, unique, .. } = hits;
        let own = languages
            .iter()
            .position(|l| l == article)
            .map_or(0, |i| counts[i]);
        let key = |i: usize| (counts[i], unique[i]);
        let Some(best) = (0..languages.len()).max_by_key(|&i| key(i)) else {
            return (None, own);
        };
        if counts[best] < own + 2 || languages[best] == article {
            return (None, own);
        }
        let tied: Vec<usize> = (0..languages.len())
            .filter(|&i| key(i) == key(best))
            .collect();
        let best = match tied[..] {
            [one] => one,
            _ => {
                let codes: Vec<&str> = tied.iter().map(|&i| languages[i].as_str()).collect();
                tied[crate::lang::closest(text, &codes).unwrap_or(0)]
            }
        };
        (Some(languages[best].as_str()), own)
    }

    /// How many words `text` has, and how many of them are stopwords of each language with a
    /// stopword list (in name order).
    pub fn stopword_counts(&self, text: &str) -> (usize, Vec<usize>) {
        let hits = self.stopword_hits(text);
        let languages = self.stopwords.languages.len();
        (hits.words, hits.counts[..languages].to_vec())
    }

    /// Whether `word`, one lowercase word, is a stopword of any language.
    pub fn is_stopword(&self, word: &str) -> bool {
        self.stopwords.get(word).is_some()
    }

    /// The most characters a stopword of any language has: a word with more, lower-cased or
    /// not, is none, and needs no lookup.
    pub fn longest_stopword(&self) -> usize {
        self.stopwords.longest
    }

    fn stopword_hits(&self, text: &str) -> StopwordHits {
        let mut hits = StopwordHits::new(0);
        let languages = self.stopwords.languages.len();
        hits.words = self.scan_stopwords(text, |_, _, mask| hits.add(mask, languages));
        hits
    }

    /// Counts per language of `words` words whose stopwords have these language masks.
    fn tally(&self, words: usize, masks: impl Iterator<Item = u64>) -> StopwordHits {
        let mut hits = StopwordHits::new(words);
        let languages = self.stopwords.languages.len();
        for mask in masks {
            hits.add(mask, languages);
        }
        hits
    }

    /// Calls `found` with where each stopword of `text` starts, the word and its languages (a
    /// bit each); returns how many words `text` has.
    fn scan_stopwords(&self, text: &str, mut found: impl FnMut(usize, &str, u64)) -> usize {
        let mut words = 0;
        let mut lowercase = String::new();
        for_each_alphabetic_word(text, |start, word, chars| {
            words += 1;
            if let Some(mask) = self.stopword_mask(word, chars, &mut lowercase) {
                found(start, word, mask);
            }
        });
        words
    }

    /// [`RuleSet::stopword_mask`] of a word of `chars` letters already lower-cased.
    pub fn lowercase_stopword_mask(&self, lower: &str, chars: usize) -> Option<u64> {
        if chars > self.stopwords.longest {
            return None;
        }
        self.stopwords.get(lower)
    }

    /// The languages (a bit each) whose stopwords hold `word`, one word of `chars` letters as
    /// it stands in the text, lower-cased (into `lowercase` if need be) when it has uppercase
    /// letters; `None` for no stopword.
    pub fn stopword_mask(&self, word: &str, chars: usize, lowercase: &mut String) -> Option<u64> {
        if chars > self.stopwords.longest {
            return None;
        }
        self.stopwords.get(letters::lowercase_word(word, lowercase))
    }

    /// The languages with stopword lists, in name order.
    pub fn stopword_languages(&self) -> &[String] {
        &self.stopwords.languages
    }

    /// The words that tell apart languages whose stopwords overlap (the rules files'
    /// `markers` and `neighbour_words`).
    pub fn language_markers(&self) -> &crate::lang::Markers {
        &self.markers
    }

    /// Writes the rule files into `dir` with this set's weights in place of the ones they were
    /// read with; comments and everything else stay as they were. `dir` must be new or empty, so
    /// nothing is overwritten.
    pub fn write_to(&self, dir: &Path) -> Result<()> {
        if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
            return Err(Error::usage(format!(
                "{}: the folder is not empty; name a new folder for the fitted rules",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        let weights: HashMap<&str, f64> = self
            .rules
            .iter()
            .map(|r| (r.id.as_str(), r.weight))
            .collect();
        for source in &self.sources {
            let name = Path::new(&source.name).file_name().unwrap_or_default();
            let path = dir.join(name);
            let text = if source.name.ends_with(".toml") {
                let mut doc: toml_edit::DocumentMut = source
                    .text
                    .parse()
                    .map_err(|e| Error::rules(&source.name, 1, 1, format!("{e}")))?;
                if let Some(table) = doc.get_mut("weights").and_then(|t| t.as_table_like_mut()) {
                    let w = self.weights;
                    for (key, value) in [
                        ("bias", w.bias),
                        ("switch_in_paragraph", w.switch_in_paragraph),
                        ("switch_between_paragraphs", w.switch_between_paragraphs),
                        ("switch_after_heading", w.switch_after_heading),
                        ("paragraph_support", w.paragraph_support),
                        ("glued_run_continues", w.glued_run_continues),
                        ("absorbed_run_ends", w.absorbed_run_ends),
                        ("repeated_passage", w.repeated_passage),
                    ] {
                        table.insert(key, toml_edit::value(round3(value)));
                    }
                }
                if let Some(rules) = doc.get_mut("rule").and_then(|r| r.as_array_of_tables_mut()) {
                    for rule in rules.iter_mut() {
                        let id = rule
                            .get("id")
                            .and_then(|v| v.as_str())
                            .unwrap_or_default()
                            .to_string();
                        if let Some(&w) = weights.get(id.as_str()) {
                            rule.insert("weight", toml_edit::value(round3(w)));
                        }
                    }
                }
                doc.to_string()
            } else {
                source.text.clone()
            };
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        }
        // Word rules that no source file holds (learned by `klartext train`) go to
        // `<language>.learned.toml`, beside what such a file already held.
        let mut written: HashSet<String> = HashSet::new();
        for source in &self.sources {
            if let Ok(file) = toml::from_str::<toml::Table>(&source.text) {
                if let Some(rules) = file.get("rule").and_then(|r| r.as_array()) {
                    written.extend(
                        rules
                            .iter()
                            .filter_map(|r| r.get("id")?.as_str().map(str::to_string)),
                    );
                }
            }
        }
        let mut learned: BTreeMap<&str, String> = BTreeMap::new();
        for rule in self
            .rules
            .iter()
            .filter(|r| r.word.is_some() && !written.contains(&r.id))
        {
            let text = learned.entry(rule.language.as_str()).or_default();
            text.push_str(&format!(
                "\n[[rule]]\nid = {}\nweight = {}\nword = {}\nmatch = [{}]\n",
                toml::Value::String(rule.id.clone()),
                round3(rule.weight),
                toml::Value::String(rule.word.clone().unwrap_or_default()),
                toml::Value::String(rule.word.clone().unwrap_or_default()),
            ));
        }
        for (language, rules) in learned {
            let path = dir.join(format!("{language}.learned.toml"));
            let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                format!(
                    "# Words learned by `klartext train`: each marks promotional sentences in {language}.\n\nlanguage = \"{language}\"\n"
                )
            });
            text.push_str(&rules);
            std::fs::write(&path, text).map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    }

    /// Runs every rule's and hint's example sentences; returns one line per failure,
    /// `<id>: <what>`.
    pub fn check_examples(&self) -> Vec<String> {
        let rules = self.rules.iter().flat_map(|rule| {
            rule.check_examples()
                .into_iter()
                .map(move |failure| format!("{}: {failure}", rule.id))
        });
        let hints = self.hints.iter().flat_map(|hint| {
            hint.check_examples()
                .into_iter()
                .map(move |failure| format!("{}: {failure}", hint.id))
        });
        rules.chain(hints).collect()
    }
}

impl Rule {
    /// Whether a cue of this rule speaks for an ad of `category`: the rule has that category
    /// and a positive weight (a negative weight is editorial evidence, whatever its category).
    pub fn speaks_for(&self, category: Category) -> bool {
        self.weight > 0.0 && self.category == Some(category)
    }

    /// Runs this rule's example sentences against its pattern; returns what went wrong, one
    /// entry per sentence (`should match: …`, `should not match: …`), or that the rule carries
    /// no example at all (its evidence is what keeps it honest).
    pub fn check_examples(&self) -> Vec<String> {
        examples_failures(&self.pattern, &self.must_match, &self.must_not_match)
    }
}

impl CategoryHint {
    /// Runs this hint's example sentences against its pattern, as [`Rule::check_examples`].
    pub fn check_examples(&self) -> Vec<String> {
        examples_failures(&self.pattern, &self.must_match, &self.must_not_match)
    }
}

/// What goes wrong when `pattern` meets the sentences it must and must not match, one entry per
/// sentence; a pattern with no example at all is a failure too (its evidence keeps it honest).
fn examples_failures(pattern: &Pattern, must: &[String], must_not: &[String]) -> Vec<String> {
    let mut failures = Vec::new();
    if must.is_empty() && must_not.is_empty() {
        failures.push("carries no example sentences (add `match` and `no_match`)".to_string());
    }
    for s in must {
        if !pattern.regex().is_match(s) {
            failures.push(format!("should match: {s}"));
        }
    }
    for s in must_not {
        if pattern.regex().is_match(s) {
            failures.push(format!("should not match: {s}"));
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_common(extra: &str) -> Result<RuleSet> {
        RuleSet::from_sources(vec![
            RuleSource {
                name: "common.toml".into(),
                text: BUILTIN[0].1.to_string(),
            },
            RuleSource {
                name: "x.toml".into(),
                text: extra.to_string(),
            },
        ])
    }

    #[test]
    fn dateline_groups_over_ascii_are_those_of_the_pattern() {
        let rules = RuleSet::builtin();
        let lines = [
            "07.12.2026, 10:15 Uhr Berlin hat",
            "Updated Dec 7, 2026 at 3:20 PM ET",
            "Hamburg, 09.09.2025 Der Senat",
            "Valencia | 6 de diciembre de 2026 Las",
            "12/03/2026 07:45hMás de la mitad",
            "5 Dec 2026 10:20hs über",
            "Le 7 décembre 2026 à 11h20",
        ];
        let groups = |caps: Option<regex::Captures<'_>>| {
            caps.map(|c| c.iter().map(|m| m.map(|m| m.range())).collect::<Vec<_>>())
        };
        for (_, pattern) in &rules.datelines().patterns {
            for line in lines {
                assert_eq!(
                    groups(pattern.captures(line)),
                    groups(pattern.regex().captures(line)),
                    "{line}"
                );
            }
        }
    }

    #[test]
    fn builtin_rules_load_and_pass_their_examples() {
        let rules = RuleSet::builtin();
        assert!(rules.rules().len() > 20);
        assert_eq!(rules.check_examples(), Vec::<String>::new());
    }

    #[test]
    fn a_pattern_that_needs_its_word_boundary_to_parse_still_screens() {
        // `\b+` is a valid (repeated) boundary; dropped, the `+` would repeat nothing.
        let rules = with_common(
            "language = \"xx\"\n[[rule]]\nid = \"xx.a\"\nweight = 3.0\npattern = '\\b+Gratisreport'\n",
        )
        .unwrap();
        let rule = rules.rules().iter().position(|r| r.id == "xx.a").unwrap();
        let text = "Titel\nDie Stadt baut.\nHolen Sie den Gratisreport.\n";
        let structure = crate::structure::parse(text, "xx", &rules);
        let sentences = crate::sentences::segment(text, &structure, "xx", &rules);
        let features = crate::features::extract(text, &structure, &sentences, "xx", &rules);
        let fired: Vec<bool> = features
            .iter()
            .map(|f| f.cues.iter().any(|c| c.rule == rule))
            .collect();
        assert_eq!(fired, [false, true]);
    }

    #[test]
    fn unicode_word_boundaries_are_dropped_and_other_assertions_kept() {
        let widened = |pattern: &str| {
            let hir = regex_syntax::parse(pattern).unwrap();
            builder()
                .build_from_hir(&without_word_boundaries(&hir))
                .unwrap()
        };
        assert!(widened(r"(?i)\bfür\b").is_match("XFÜRX"));
        assert!(widened(r"\Bx").is_match(" x"));
        assert!(widened(r"\b{start}x\b{end}").is_match("axa"));
        // ASCII boundaries and anchors stay: a DFA runs them.
        assert!(!widened(r"(?-u:\b)x").is_match("ax"));
        assert!(!widened(r"^x$").is_match(" x"));
    }

    /// [`Pattern::count_matches`] counts what `find_iter` finds: on every rule's examples, and
    /// on those glued to letters, umlauts, digits and marks, where word boundaries decide. (The
    /// corpus, run through `filter` twenty times, gives byte-identical output.)
    #[test]
    fn counting_matches_agrees_with_find_iter() {
        let rules = RuleSet::builtin();
        let mut texts: Vec<String> = Vec::new();
        let examples = rules
            .rules()
            .iter()
            .flat_map(|r| r.must_match.iter().chain(&r.must_not_match));
        texts.extend(examples.flat_map(|t| {
            [
                t.clone(),
                format!("ä{t}ä"),
                format!("x{t}1"),
                t.replace(' ', "é"),
                t.replace(' ', "\u{301} "),
                format!("{t} {t} {t} {t}"),
            ]
        }));
        // Patterns without Unicode word boundaries run as they are, unless anchored at the
        // start of the text.
        let mut patterns: Vec<Pattern> = rules
            .rules()
            .iter()
            .map(|r| r.pattern.clone())
            .filter(|p| {
                p.widened().is_some()
                    || p.hir().properties().look_set_prefix().contains(Look::Start)
            })
            .collect();
        for extra in [
            r"\bab\b",
            r"(?i)\b(?:ab|abc)\b",
            r"\bä\w*\b",
            r"x\b+y",
            r"\Bb",
            r"\b",
            r"^",
            r"^\w+",
            r"(?i)^\W*(?:ab|abc)\b",
            r"(?m)^ab",
        ] {
            patterns.push(Pattern::new(extra).unwrap());
        }
        for pattern in &patterns {
            for text in &texts {
                assert_eq!(
                    pattern.count_matches(text, 3),
                    pattern.regex().find_iter(text).take(3).count(),
                    "{} on {text:?}",
                    pattern.as_str()
                );
            }
        }
    }

    /// `matching_rules` finds what running every rule of the language over the whole sentence
    /// finds, with the same number of matches: on every example of every rule, in upper and
    /// lower case, with umlauts, with a character whose lower case is longer than itself
    /// (then the places of the gate's literals are not used), twice over.
    #[test]
    fn matching_rules_find_what_every_rule_finds() {
        let rules = RuleSet::builtin();
        let examples: Vec<&String> = rules
            .rules()
            .iter()
            .flat_map(|r| r.must_match.iter().chain(&r.must_not_match))
            .collect();
        let texts: Vec<String> = examples
            .iter()
            .flat_map(|t| {
                [
                    t.to_string(),
                    t.to_uppercase(),
                    t.to_lowercase(),
                    t.replace('a', "ä"),
                    format!("İ {t}"),
                    format!("{t} {t}"),
                    // Every gate literal of the first word inside a word.
                    format!("ab{t} x{t}"),
                ]
            })
            .collect();
        for language in ["de", "en", "fr", "es", "it"] {
            for text in &texts {
                let mut found = Vec::new();
                let buffers = &mut MatchBuffers::default();
                let add = |r, n| found.push((r, n));
                rules.matching_rules(language, (text, None), 3, |_| true, buffers, add);
                let expected: Vec<(usize, usize)> = rules
                    .rules()
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| {
                        // Italian has no rules of its own: the common ones.
                        r.word.is_none() && (r.language == "common" || r.language == language)
                    })
                    .map(|(i, r)| (i, r.pattern.regex().find_iter(text).take(3).count()))
                    .filter(|&(_, n)| n > 0)
                    .collect();
                assert_eq!(found, expected, "{language}: {text:?}");
            }
        }
    }

    /// The screen only skips rules that cannot match: every sentence a rule must match gets
    /// through it, in the rule's language.
    #[test]
    fn the_screen_lets_through_every_example_its_rule_matches() {
        let rules = RuleSet::builtin();
        for (i, rule) in rules.rules().iter().enumerate() {
            if rule.word.is_some() {
                continue;
            }
            let language = if rule.language == "common" {
                "de"
            } else {
                &rule.language
            };
            for sentence in &rule.must_match {
                assert!(
                    rules
                        .candidate_rules(language, sentence, |_| true)
                        .any(|r| r == i),
                    "{} screened out {sentence:?}",
                    rule.id
                );
            }
        }
    }

    #[test]
    fn a_short_line_takes_the_language_of_its_paragraph() {
        let rules = RuleSet::builtin();
        let block =
            "In unserem kostenlosen Sonderreport verraten die Analysten, welche Aktien sie \
                     für das Jahr favorisieren. Jetzt gratis herunterladen!";
        let line = "Jetzt gratis herunterladen!";
        let block_language = rules.block_language(block, "en");
        assert_eq!(block_language, "de");
        assert_eq!(rules.sentence_language(line, block_language, "en"), "de");
        // Alone, the line says too little to leave the article's language.
        let alone = rules.block_language(line, "en");
        assert_eq!(rules.sentence_language(line, alone, "en"), "en");
        // A sentence that is clearly in the article's language keeps it in a foreign block.
        let english = "It is one of the best of the year.";
        assert_eq!(rules.sentence_language(english, block_language, "en"), "en");
    }

    /// A sentence's language from its block's stopwords is the one it has alone, for every
    /// stretch of a block, those that cut a word included.
    #[test]
    fn a_sentence_of_a_block_gets_the_language_it_has_alone() {
        let rules = RuleSet::builtin();
        let blocks = [
            "Die Stadt baut. Jetzt gratis herunterladen! Never miss a goal: stream every match of the season on the app.",
            "Descarga gratis la app y recibe alertas. Recevez nos alertes et les prévisions de la semaine.",
            "„Wir sind da“, sagte er. It is one of the best of the year, and the best is yet to come.",
        ];
        for block in blocks {
            let stopwords = rules.block_stopwords(block);
            let bounds: Vec<usize> = block
                .char_indices()
                .map(|(i, _)| i)
                .chain([block.len()])
                .collect();
            for article in ["de", "en", "es", "fr"] {
                let block_language = rules.block_language_of(block, &stopwords, article);
                assert_eq!(block_language, rules.block_language(block, article));
                for (i, &start) in bounds.iter().enumerate().step_by(3) {
                    for &end in bounds[i..].iter().step_by(2) {
                        assert_eq!(
                            rules.sentence_language_in(
                                block,
                                &stopwords,
                                start..end,
                                block_language,
                                article
                            ),
                            rules.sentence_language(&block[start..end], block_language, article),
                            "{article}: {:?}",
                            &block[start..end]
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_spanish_and_a_french_line_whose_stopwords_tie_get_their_own_languages() {
        let rules = RuleSet::builtin();
        let spanish = "Descarga gratis la app y recibe alertas de tormentas en español";
        let french = "Recevez nos alertes et les prévisions de la semaine en direct";
        let languages = rules.stopword_languages();
        let count = |text: &str, language: &str| {
            let i = languages.iter().position(|l| l == language).unwrap();
            rules.stopword_counts(text).1[i]
        };
        for line in [spanish, french] {
            // The shared stopwords ("la", "de", "en", "y", "les") leave French and Spanish even.
            assert_eq!(count(line, "es"), count(line, "fr"), "{line}");
            assert!(count(line, "es") >= count(line, "en") + 2, "{line}");
        }
        assert_eq!(rules.sentence_language(spanish, "en", "en"), "es");
        assert_eq!(rules.sentence_language(french, "en", "en"), "fr");
        assert_eq!(rules.block_language(spanish, "en"), "es");
        assert_eq!(rules.block_language(french, "en"), "fr");
    }

    #[test]
    fn invalid_regex_names_file_line_and_column() {
        let err = with_common(
            "language = \"xx\"\n\n[[rule]]\nid = \"a\"\nweight = 1.0\npattern = '(unclosed'\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.toml:6:11:"), "{text}");
        assert!(text.contains("invalid pattern"), "{text}");
    }

    #[test]
    fn a_pattern_is_checked_at_load_and_compiled_on_first_use() {
        let rules = with_common(
            "language = \"xx\"\n[[rule]]\nid = \"xx.a\"\nweight = 1.0\npattern = '(?i)\\bgratis\\w*'\n",
        )
        .unwrap();
        let rule = rules.rules().iter().find(|r| r.id == "xx.a").unwrap();
        assert!(rule.pattern.compiled.get().is_none());
        assert!(rule
            .pattern
            .regex()
            .is_match("Jetzt GRATISbroschüre sichern"));
        // A valid pattern over the default size limit of the regex crate still works.
        assert!(Regex::new(r"\w{500}").is_err());
        let big = Pattern::new(r"\w{500}").unwrap();
        assert!(big.regex().is_match(&"ä".repeat(500)));
    }

    #[test]
    fn invalid_toml_names_the_line() {
        let err = with_common("language = \"xx\"\n[[rule]]\nid = \n").unwrap_err();
        assert!(err.to_string().starts_with("x.toml:3:"), "{err}");
    }

    #[test]
    fn unknown_category_and_duplicate_id_are_refused() {
        let err = with_common("language = \"xx\"\n[[rule]]\nid = \"a\"\ncategory = \"spam\"\nweight = 1.0\npattern = 'a'\n")
            .unwrap_err();
        assert!(err.to_string().contains("unknown category `spam`"), "{err}");
        let err = with_common(
            "language = \"xx\"\n[[rule]]\nid = \"form.url\"\nweight = 1.0\npattern = 'a'\n",
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("x.toml:3:6:"), "{err}");
    }

    #[test]
    fn a_hint_names_the_category_of_an_ad_and_removes_nothing_more() {
        let text = "Titel\n\nDer Rat tagte am Montag. Er beschloss den Haushalt.\n\nImmer wissen, was los ist: Jetzt die kostenlose Kurier-Anwendung für iOS und Android laden\n";
        let with = crate::article::clean(text, &RuleSet::builtin());
        let without_hints = {
            let mut rules = RuleSet::builtin();
            rules.hints.clear();
            crate::article::clean(text, &rules)
        };
        let spans = |c: &crate::article::CleanArticle| -> Vec<crate::structure::Span> {
            c.ads.iter().map(|a| a.span).collect()
        };
        assert_eq!(spans(&with), spans(&without_hints));
        assert_eq!(with.ads.len(), 1, "{:?}", with.ads);
        assert_eq!(with.ads[0].category, Category::App);
        assert_eq!(without_hints.ads[0].category, Category::Other);
    }

    #[test]
    fn a_hint_needs_a_known_category_a_valid_pattern_and_a_fresh_id() {
        let hint = |category: &str, pattern: &str, id: &str| {
            with_common(&format!("language = \"xx\"\n[[hint]]\nid = \"{id}\"\ncategory = \"{category}\"\nstrength = 0.4\npattern = '{pattern}'\nmatch = [\"x\"]\n"))
        };
        let err = hint("spam", "x", "h").unwrap_err();
        assert!(err.to_string().contains("unknown category `spam`"), "{err}");
        let err = hint("app", "(x", "h").unwrap_err();
        assert!(
            err.to_string().contains("hint `h`: invalid pattern"),
            "{err}"
        );
        let err = hint("app", "x", "form.url").unwrap_err();
        assert!(err.to_string().contains("already used"), "{err}");
        let rules = hint("app", "y", "h").unwrap();
        assert_eq!(
            rules.check_examples(),
            vec!["h: should match: x".to_string()]
        );
    }
}
