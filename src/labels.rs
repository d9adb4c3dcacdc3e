//! Labels: editorial or promo for every sentence, decided over the whole article, and the ad
//! spans they form.
//!
//! An insert is a contiguous run of sentences, so the labels are decoded jointly with a
//! Viterbi over editorial and promo (the promo label in three states, see `PROMO`): each
//! sentence adds its promo score minus the bias to the promo states, and every change of label
//! costs something, much more inside a block than between blocks. That is
//! how a neutral sentence that opens an ad paragraph ("Seit August 2024 gelten neue Regeln …")
//! goes with its paragraph, while one promo cue in the middle of an editorial paragraph does not
//! flip it. Ties go to editorial: removing editorial text is worse than missing an ad.

use crate::features::SentenceFeatures;
use crate::rules::{Category, MatchBuffers, Position, RuleSet, Weights};
use crate::sentences::{alone_in_block, block_end, block_start, Sentence};
use crate::structure::{Span, Structure};

/// What a sentence is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Label {
    Editorial,
    Promo,
}

/// One promotional passage: contiguous promo sentences, possibly over several blocks.
#[derive(Clone, Debug, PartialEq)]
pub struct AdSpan {
    /// From the start of its first sentence to the end of its last (bytes of the article text).
    pub span: Span,
    /// Indices of its sentences.
    pub sentences: std::ops::Range<usize>,
    pub category: Category,
    /// Confidence from 0 to 1: the logistic of the run's summed margin over the bias.
    pub score: f64,
    /// Ids of the rules with positive weight that fired in it, in order of first firing.
    pub rules: Vec<String>,
}

/// Scores closer than this are a tie. Sums of the same costs taken in another order differ in
/// their last bits; without a tolerance, rounding instead of the rule "ties keep the label, and
/// go to editorial" would decide them, and a change far away in the article could flip a label.
const TIE: f64 = 1e-9;

/// Decoder states. A promo run that begins inside a block (a pitch glued into an editorial
/// paragraph) is `Glued`; one that begins at a block start is `Promo`. Only `Promo` runs continue
/// freely into the next block: a run that starts mid-paragraph and carries on past it is far
/// more likely an advertorial whose neutral opening sentences belong to it. `Absorbed` is a
/// `Promo` run that has taken in, in its current block, an on-topic sentence without promo
/// evidence of its own (see [`Context::absorbable`]); it pays `absorbed_run_ends` when it ends
/// before the next block, and nothing when it goes on into it.
const EDITORIAL: usize = 0;
const PROMO: usize = 1;
const GLUED: usize = 2;
const ABSORBED: usize = 3;
const STATES: usize = 4;

/// What the decoder knows about each sentence besides its score, gathered for one article
/// ([`Context::new`]).
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// `binds_to_next[b]`: block `b` introduces block `b + 1` (a heading before its paragraph),
    /// so a label change between them costs `switch_after_heading`.
    pub binds_to_next: Vec<bool>,
    /// Per sentence: it shares the article's vocabulary ([`crate::features::SentenceFeatures::on_topic`]).
    pub on_topic: Vec<bool>,
    /// Per sentence: it opens a block that starts a new insert ([`opens_new_insert`]).
    pub opens_insert: Vec<bool>,
    /// Per sentence: a rule that speaks against promo fired in it (a cue of negative weight:
    /// reported speech, a public body as the provider), whatever its score adds up to.
    pub editorial_evidence: Vec<bool>,
    /// Per sentence: the longest content word it shares with the block after its own
    /// ([`crate::features::SentenceFeatures::echo_below`]).
    pub echo_below: Vec<usize>,
    /// Per sentence: it shares with the block after its own a word that no other block uses
    /// ([`crate::features::SentenceFeatures::echo_below_only`]).
    pub echo_below_only: Vec<bool>,
    /// Per sentence: such a word is a name in it
    /// ([`crate::features::SentenceFeatures::names_below_only`]).
    pub names_below_only: Vec<bool>,
    /// Per sentence: the last sentence of its paragraph that names again a name it brings in
    /// ([`crate::features::SentenceFeatures::named_again_at`]).
    pub named_again_at: Vec<Option<usize>>,
    /// Per sentence: it holds quoted speech
    /// ([`crate::features::SentenceFeatures::quotes_speech`]).
    pub quotes_speech: Vec<bool>,
    /// Per sentence: it fires an opener cue ([`has_opener_cue`]).
    pub opener_cue: Vec<bool>,
    /// Per sentence: it is a line that is an ad label and nothing else (a block of one sentence
    /// with a strong standalone label cue).
    pub label_line: Vec<bool>,
    /// Per sentence: the publisher offers its own things in it, or tells the reader what they
    /// want (a cue of the `publisher_offer`, `publisher_event`, `reader_offer` or `hook.desire`
    /// families).
    pub publisher_voice: Vec<bool>,
    /// Per sentence: the publisher appeals to its readers for support in it (a
    /// `<lang>.publisher_appeal` cue: "Lokaljournalismus kostet Geld", "Il vit grâce à ses
    /// lecteurs").
    pub appeals: Vec<bool>,
    /// Per sentence: it is a call to action (it fires a `<lang>.cta.*` cue: "Download the free
    /// report today", "Jetzt Depot eröffnen").
    pub call_to_action: Vec<bool>,
    /// Per sentence: it is a shop's button ("Zum Angebot", "View deal at …": a
    /// `<lang>.cta.shop_button` cue).
    pub shop_button: Vec<bool>,
    /// Per sentence: it hands over from a problem to the offer that answers it (it fires a
    /// `<lang>.advertorial.handover` cue: "Genau hier setzt … an", "Pour vous accompagner").
    pub hands_over: Vec<bool>,
    /// Per sentence: it poses the reader's problem that an offer will answer (a
    /// `<lang>.advertorial.reader_problem` cue: "Viele Privatanleger fragen sich …", "Many
    /// homeowners wonder …").
    pub poses_problem: Vec<bool>,
    /// Per sentence: the liveblog entry it belongs to, as the index of the entry's first
    /// sentence ([`liveblog_entries`]); `None` outside entries and in any other article.
    pub entry: Vec<Option<usize>>,
    /// Per sentence: it opens a block that may as well go on with the paragraph above
    /// ([`crate::structure::Block::may_continue`]: in text hard-wrapped without blank lines,
    /// only a sentence that ends a full line parts them).
    pub continues_above: Vec<bool>,
    /// Per sentence: a third party offers the publication's readers something in it (a
    /// `<lang>.reader_offer.partner` cue: "Our partner … is offering readers 25% off",
    /// "Hydrelle propose à nos lecteurs 20 % de remise").
    pub offers_readers: Vec<bool>,
    /// Per sentence: it states an offer's terms (a `<lang>.offer.terms` cue: "à partir de 389
    /// euros par personne", "Renseignements et réservations auprès de l'agence"), where a
    /// labelled insert's body ends ([`label_scopes`]).
    pub states_terms: Vec<bool>,
    /// Per sentence: a rule that speaks against promo fired in it, other than the cue of a
    /// sentence that sums the story up (`context.article_topic`): reported speech, advice, a
    /// public provider. A related story's headline sums the story up as well.
    pub reports: Vec<bool>,
    /// Per sentence: it is an offer's risk note (a `<lang>.trading.risk_note` cue: "ein
    /// Totalverlust ist möglich"), the fine print that goes under a trading pitch.
    pub fine_print: Vec<bool>,
    /// Per sentence: it names an offer (a cue with a category: a broker, a newsletter, a
    /// price off) or calls to action.
    pub names_offer: Vec<bool>,
    /// Per sentence: it is a hook, a question that tells the reader what they want or opens a
    /// paragraph to be answered (`<lang>.hook.desire`, `form.hook_question`: "Fancy a flutter
    /// on the next derby?").
    pub hook: Vec<bool>,
    /// Per sentence: it is in another language than the article (`context.language_switch`).
    pub switches_language: Vec<bool>,
    /// Per sentence: every cue for promo that fired in it (if any) states a product's facts (an
    /// app, a subscription, what is free, a price: [`states_product_facts`]); none addresses the
    /// reader (see [`business_reports`]).
    pub states_facts_only: Vec<bool>,
    /// Per sentence: it names an app or a subscription as such ([`names_app_or_subscription`]).
    pub names_business: Vec<bool>,
    /// Per sentence: it fires a related-link cue ("Mehr zum Thema", "Read more", "Más sobre
    /// …:").
    pub related: Vec<bool>,
    /// Per sentence: it is the one sentence of a block that reads as a headline
    /// ([`crate::structure::Block::headline`]).
    pub headline: Vec<bool>,
}

impl Context {
    /// Gathers the facts of an article's sentences the decoder weighs besides their scores.
    pub fn new(
        structure: &Structure,
        sentences: &[Sentence],
        features: &[SentenceFeatures],
        rules: &RuleSet,
    ) -> Context {
        let each = |fact: fn(&SentenceFeatures) -> bool| features.iter().map(fact).collect();
        // Per sentence: the roles of all its cues' rules together.
        let roles = rules.label_roles();
        let fired: Vec<RuleRoles> = features
            .iter()
            .map(|f| {
                f.cues
                    .iter()
                    .fold(RuleRoles::NONE, |all, cue| all | roles[cue.rule])
            })
            .collect();
        // Per sentence: it fires a cue of a rule that has `role`.
        let fires = |role: RuleRoles| -> Vec<bool> {
            fired.iter().map(|&all| all.contains(role)).collect()
        };
        let label_line = bare_label_lines(sentences, features, rules);
        // A related-link line ("Read more: …") is an insert of its own too, not the heading of
        // the paragraph under it.
        let related = fires(RuleRoles::RELATED);
        let unbound: Vec<bool> = label_line
            .iter()
            .zip(&related)
            .map(|(&label, &related)| label || related)
            .collect();
        Context {
            binds_to_next: label_lines_unbound(structure.heading_binds(), sentences, &unbound),
            on_topic: each(|f| f.on_topic),
            opens_insert: opens_new_insert(sentences, features, rules),
            editorial_evidence: fires(RuleRoles::EDITORIAL_EVIDENCE),
            echo_below: features.iter().map(|f| f.echo_below).collect(),
            echo_below_only: each(|f| f.echo_below_only),
            names_below_only: each(|f| f.names_below_only),
            named_again_at: features.iter().map(|f| f.named_again_at).collect(),
            quotes_speech: each(|f| f.quotes_speech),
            opener_cue: features.iter().map(|f| has_opener_cue(f, rules)).collect(),
            label_line,
            publisher_voice: fires(RuleRoles::PUBLISHER_VOICE),
            appeals: fires(RuleRoles::APPEALS),
            call_to_action: fires(RuleRoles::CALL_TO_ACTION),
            shop_button: fires(RuleRoles::SHOP_BUTTON),
            hands_over: fires(RuleRoles::HANDS_OVER),
            poses_problem: fires(RuleRoles::POSES_PROBLEM),
            fine_print: fires(RuleRoles::FINE_PRINT),
            names_offer: fires(RuleRoles::NAMES_OFFER),
            hook: fires(RuleRoles::HOOK),
            switches_language: fires(RuleRoles::SWITCHES_LANGUAGE),
            states_facts_only: fired
                .iter()
                .map(|all| !all.contains(RuleRoles::BEYOND_FACTS))
                .collect(),
            names_business: fires(RuleRoles::NAMES_BUSINESS),
            entry: liveblog_entries(structure, sentences),
            continues_above: sentences
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    (i == 0 || sentences[i - 1].block != s.block)
                        && structure.blocks[s.block].may_continue
                })
                .collect(),
            offers_readers: fires(RuleRoles::OFFERS_READERS),
            states_terms: fires(RuleRoles::STATES_TERMS),
            reports: fires(RuleRoles::REPORTS),
            headline: sentences
                .iter()
                .enumerate()
                .map(|(i, s)| structure.blocks[s.block].headline && alone_in_block(sentences, i))
                .collect(),
            related,
        }
    }
}

/// The fewest sentences of news before a promo run that keep a liveblog entry the desk's own
/// ([`whole_entries`]).
const ENTRY_NEWS_MIN_SENTENCES: usize = 3;

/// Per sentence: the liveblog entry it belongs to (the index of the entry's first sentence),
/// from the entries of [`Structure::entries`].
fn liveblog_entries(structure: &Structure, sentences: &[Sentence]) -> Vec<Option<usize>> {
    let mut first_sentence = vec![usize::MAX; structure.blocks.len()];
    for (i, sentence) in sentences.iter().enumerate().rev() {
        first_sentence[sentence.block] = i;
    }
    sentences
        .iter()
        .map(|s| structure.entries[s.block].map(|b| first_sentence[b]))
        .collect()
}

/// A liveblog entry is one post: the desk writes it whole, as news or as an insert, and an
/// insert there opens like the entries around it ("09:41 Lots of runners are asking about
/// recovery." before "Our partner … is offering readers 25% off"). So an entry in which the
/// decoder found a promo run goes whole, unless a sentence before the run quotes someone or
/// speaks against promo: that entry is the desk's news with a pitch glued to its end ("… „Wir
/// haben genug Feldbetten …“, sagt …" before "Über jede neue Entwicklung informieren wir Sie
/// auch per Push-Nachricht …"), and only the run goes. So is an entry that tells
/// [`ENTRY_NEWS_MIN_SENTENCES`] sentences or more before its run, its timestamp line aside: an
/// insert's set-up is short ("Lots of runners are asking about recovery."), the desk's news
/// under "14:35 Uhr – Feuerwehr Bremen: Mehr als 300 Einsätze" takes three sentences before the
/// app's push alerts are glued to it.
fn whole_entries(labels: &mut [Label], sentences: &[Sentence], context: &Context) {
    let mut i = 0;
    while i < labels.len() {
        let Some(entry) = context.entry.get(i).copied().flatten() else {
            i += 1;
            continue;
        };
        let end = (i..labels.len())
            .find(|&j| context.entry.get(j).copied().flatten() != Some(entry))
            .unwrap_or(labels.len());
        if let Some(run) = (i..end).find(|&j| labels[j] == Label::Promo) {
            let reports =
                (i..run).any(|j| context.quotes_speech[j] || context.editorial_evidence[j]);
            // The entry's timestamp line, a block of its own, is no sentence of its news.
            let told = (i..run)
                .filter(|&j| {
                    !(sentences[j].block == sentences[i].block && alone_in_block(sentences, j))
                })
                .count();
            if !reports && told < ENTRY_NEWS_MIN_SENTENCES {
                labels[i..end].fill(Label::Promo);
            }
        }
        i = end;
    }
}

impl Context {
    /// Whether block `block` introduces the block after it ([`Context::binds_to_next`]); a
    /// block past the list (a test's context may list none) binds nothing.
    fn binds(&self, block: usize) -> bool {
        self.binds_to_next.get(block).copied().unwrap_or(false)
    }

    /// Whether a promo run that takes sentence `i` absorbs it: a sentence about the story (on
    /// topic), not promo on its own, in a block where at most one other sentence is (so no
    /// `paragraph_support` vouches for it). An ad paragraph's neutral opener is followed by a
    /// pitch that goes on (several pitching sentences, or a call to action in the next block);
    /// a story sentence before one pitch glued to the end of its paragraph is not an opener.
    /// A sentence in which the publisher offers its own things (`publisher_voice`: "Club de
    /// Suscriptores: acompaña a la curadora …") is no story sentence, though it names the
    /// story's people.
    fn absorbable(&self, i: usize, score: f64, support: f64, bias: f64) -> bool {
        self.on_topic[i] && !self.publisher_voice[i] && support == 0.0 && score <= bias
    }
}

/// The most likely label sequence.
pub fn decode(
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    weights: Weights,
) -> Vec<Label> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let closing = closing_lines(scores, sentences, context, weights.bias);
    let support = support(scores, sentences, context, &closing, weights.bias);
    let emission = emissions_from(scores, &support, weights);
    let absorbable: Vec<bool> = support
        .iter()
        .zip(scores)
        .enumerate()
        .map(|(i, (k, score))| context.absorbable(i, *score, *k, weights.bias))
        .collect();
    let absorbed = weights.absorbed_run_ends;
    const NEVER: f64 = f64::NEG_INFINITY;
    // back[i][s]: the state at i-1 on the best path that is in state s at i.
    let mut back = vec![[0u8; STATES]; n];
    let mut best = [0.0, NEVER, NEVER, NEVER];
    // cut[s]: how many sentences the best path in state s labels promo. Between paths of equal
    // score the one that cuts fewer sentences wins, wherever in the article they part.
    let mut cut = [0usize; STATES];
    let first = if absorbable[0] { ABSORBED } else { PROMO };
    best[first] = emission[0];
    cut[first] = 1;
    for i in 1..n {
        let (previous, block) = (sentences[i - 1].block, sentences[i].block);
        let inside = block == previous;
        // A closing line ends the pitch above it; it does not introduce the paragraph below.
        // A block in which the publisher speaks for itself (offers its own things, appeals for
        // support) is an insert pasted under the heading, not the heading's own paragraph,
        // which comes after it: no binding holds the two together. A call to action alone
        // does not tell: a heading may open an advertorial's paragraph that ends in one.
        let pasted_under = || (i..block_end(sentences, i)).any(|j| context.publisher_voice[j]);
        let between = if context.binds(previous)
            && block == previous + 1
            && closing[i - 1] == 0
            && !pasted_under()
        {
            weights.switch_after_heading
        } else {
            weights.switch_between_paragraphs
        };
        // cost[from][to] of the step from sentence i-1 to sentence i.
        let mut cost = if inside {
            let s = weights.switch_in_paragraph;
            [
                [0.0, NEVER, -s, NEVER],
                [-s, 0.0, NEVER, 0.0],
                [-s, NEVER, 0.0, NEVER],
                // An absorbed run stays absorbed to the end of its block.
                [-s - absorbed, NEVER, NEVER, 0.0],
            ]
        } else {
            // A glued run that reaches a block opening a new insert hands over to it without
            // a label change: the glued pitch and the next insert are two ads back to back,
            // not one advertorial whose opening the glued run should have taken.
            let glued_on = if context.opens_insert[i] {
                0.0
            } else {
                -(between + weights.glued_run_continues)
            };
            // A closing line is the button that ends its insert: a run that goes on past it
            // into a block that does not open with a pitch of its own pays as one that ends
            // and starts again would, so a story paragraph between the button and the next
            // insert does not bridge the two.
            let on = if closing[i - 1] > 0 && emission[i] <= 0.0 {
                -between
            } else {
                0.0
            };
            [
                [0.0, -between, NEVER, -between],
                [-between, on, NEVER, on],
                [-between, glued_on, NEVER, glued_on],
                [-between - absorbed, on, NEVER, on],
            ]
        };
        // A promo run that takes an absorbable sentence is absorbed; at a block start one that
        // does not is plain promo again (its run went on past the block it absorbed in).
        // A glued pitch names its offer or calls to action: a sentence on the story's topic
        // with only the reader's words ("you", "free", "want") is the story's own advice, and
        // no glued run starts at it.
        if inside && context.on_topic[i] && !context.names_offer[i] && !context.publisher_voice[i] {
            cost[EDITORIAL][GLUED] = NEVER;
        }
        let closed = if absorbable[i] { PROMO } else { ABSORBED };
        for (from, row) in cost.iter_mut().enumerate() {
            if !(inside && from == ABSORBED) {
                row[closed] = NEVER;
            }
        }
        let emit = [0.0, emission[i], emission[i], emission[i]];
        let mut next = [NEVER; STATES];
        let mut next_cut = [usize::MAX; STATES];
        for to in 0..STATES {
            // Candidates in the order stay, then the others: on a tie the path that cuts fewer
            // sentences wins, and between those the label does not change.
            let mut order = [to, (to + 1) % STATES, (to + 2) % STATES, (to + 3) % STATES];
            order[1..].sort_unstable();
            for from in order {
                let score = best[from] + cost[from][to];
                if better(score, cut[from], next[to], next_cut[to]) {
                    next[to] = score;
                    next_cut[to] = cut[from];
                    back[i][to] = from as u8;
                }
            }
            next[to] += emit[to];
            next_cut[to] = next_cut[to].saturating_add(usize::from(to != EDITORIAL));
        }
        best = next;
        cut = next_cut;
    }
    best[ABSORBED] -= absorbed;
    // A glued run that reaches the article's end on a sentence that is not promo by itself
    // pays to leave as it would have inside its paragraph: no further block makes it pay, and
    // a free end would let the editorial sentences after a pitch glued into the last
    // paragraph go with it. One that ends on its pitch owes nothing.
    if emission[n - 1] <= 0.0 {
        best[GLUED] -= weights.switch_in_paragraph;
    }
    let mut state = EDITORIAL;
    for s in [PROMO, GLUED, ABSORBED] {
        if better(best[s], cut[s], best[state], cut[state]) {
            state = s;
        }
    }
    let mut labels = vec![Label::Editorial; n];
    for i in (0..n).rev() {
        labels[i] = if state == EDITORIAL {
            Label::Editorial
        } else {
            Label::Promo
        };
        state = back[i][state] as usize;
    }
    whole_entries(&mut labels, sentences, context);
    introduced_offers(&mut labels, scores, sentences, context, weights.bias);
    set_ups_of_closing_pitches(&mut labels, scores, sentences, context, weights.bias);
    business_reports(&mut labels, context);
    headings_over_kept_text(&mut labels, scores, sentences, context);
    // After the headings: the last headline of a list heads the story's next paragraph, and
    // is no heading of the story's for all that.
    related_lists(&mut labels, sentences, context);
    labels
}

/// The most sentences of the paragraph that introduces the company of an offer to readers.
const INTRODUCTION_MAX_SENTENCES: usize = 3;

/// A soft advertorial inside a news story introduces a company late, in one paragraph of its
/// own ("L'entreprise jurassienne Hydrelle, qui fabrique …", "Manchester-based app Farecut
/// says …"), lets it make its own claims, and ends in the company's offer to the paper's
/// readers in the next ("Hydrelle propose à nos lecteurs 20 % de remise …"). A story does not
/// hand its readers a third party's discount, so a paragraph with a pitching sentence of that
/// kind goes whole, and with it the paragraph right above when that one names something that
/// only these two paragraphs speak of (the company) in a sentence, by a name, or by any word
/// when it reports nobody (a verb the two happen to share, "caused", took a court report's
/// paragraph, "Mr Tolley … told the court …", above a surveyor's offer), has at most
/// [`INTRODUCTION_MAX_SENTENCES`] sentences, quotes nobody and opens no insert of its own, is
/// not the body of a heading that stays ([`under_kept_heading`]), and is not another liveblog
/// entry (each entry is a post of its own: the one above an offer
/// entry is the desk's news, though it names the same people).
fn introduced_offers(
    labels: &mut [Label],
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    bias: f64,
) {
    let mut start = 0;
    let mut above: Option<usize> = None;
    while start < sentences.len() {
        let end = block_end(sentences, start);
        // The offer closes its paragraph, or only sentences that lean promo follow (its terms,
        // "21+. Gambling problem?"): a story paragraph that goes on after an offer glued into
        // it ("Coupez toujours en biais …" after a partner's pruning shears) is the story's.
        let offers = (start..end).any(|j| {
            context.offers_readers[j] && scores[j] > bias && (j + 1..end).all(|k| scores[k] > 0.0)
        });
        if offers {
            labels[start..end].fill(Label::Promo);
            if let Some(a) = above.filter(|&a| {
                sentences[a].block + 1 == sentences[start].block
                    && start - a <= INTRODUCTION_MAX_SENTENCES
                    && context.entry.get(a) == context.entry.get(start)
                    && !under_kept_heading(a, labels, sentences, context)
                    && ((a..start).any(|j| context.names_below_only[j])
                        || ((a..start).any(|j| context.echo_below_only[j])
                            && (a..start).all(|j| !context.editorial_evidence[j])))
                    && (a..start).all(|j| !context.quotes_speech[j] && !context.opener_cue[j])
            }) {
                labels[a..start].fill(Label::Promo);
            }
        }
        above = Some(start);
        start = end;
    }
}

/// The most sentences of a paragraph's set-up that a pitch closing the paragraph takes along.
const CLOSING_PITCH_SET_UP_MAX_SENTENCES: usize = 3;

/// The most sentences of a paragraph's set-up that a pitch closing the paragraph takes along
/// when the set-up brought in the seller the pitch names.
const SELLER_SET_UP_MAX_SENTENCES: usize = 5;

/// A soft advertorial often shares its paragraph with its set-up: one to three sentences that
/// read like the story ("Die Energiewende verschiebt auch an den Finanzmärkten die
/// Gewichte."), then the pitch that closes the paragraph ("Bei der Zürcher Neobank Valoria
/// handeln Sie …", "Jetzt Depot eröffnen"). A promo run that starts inside a paragraph, goes
/// on for two or more sentences to its end, opens by naming an offer and ends on a sentence
/// that pitches on its own is such a pitch, and the sentences before it are its set-up: they
/// go too, unless one of them pitches on its own (scores above `bias`: a hook, "¿Crees que el
/// Almenara logrará la permanencia?", that the decoder left out of the run), quotes anyone,
/// speaks against promo (scores below 0, or fires a cue of negative weight at all: reported
/// speech, advice) or opens an insert of its own, or there are more than
/// [`CLOSING_PITCH_SET_UP_MAX_SENTENCES`]. A run that opens with a hook, with an insert's own
/// opener (a label, "Gewinnspiel:", "PS:") or only in the publisher's voice ("Want our Fed
/// Watch briefing before every meeting?") is an insert glued under the story's last line,
/// which stays; so is a run that ends on a story sentence the decoder took along after a glued
/// pitch. A single glued sentence is left to the decoder. In text hard-wrapped without blank
/// lines a paragraph may stand in several blocks ([`paragraph_end`]); it is taken whole.
///
/// A paragraph that brings a seller in and ends on its pitch is the seller's from its first
/// sentence, however short the pitch ("Die Haustechnik Brandl GmbH aus Regensburg bietet …"
/// before "Jetzt Termin vereinbaren unter brandl-haustechnik.de"): when a sentence before the
/// run brings in a name that the run names again and no other block uses
/// ([`Context::named_again_at`]), up to [`SELLER_SET_UP_MAX_SENTENCES`] sentences before the
/// run go with it, none of them quoting anyone, speaking against promo or opening an insert.
fn set_ups_of_closing_pitches(
    labels: &mut [Label],
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    bias: f64,
) {
    let mut start = 0;
    while start < sentences.len() {
        let end = paragraph_end(sentences, context, start);
        let run = (start..end)
            .rev()
            .take_while(|&j| labels[j] == Label::Promo)
            .last()
            .unwrap_or(end);
        let set_up = start..run;
        let brings_seller_in = set_up.len() <= SELLER_SET_UP_MAX_SENTENCES
            && set_up
                .clone()
                .any(|k| context.named_again_at[k].is_some_and(|i| i >= run))
            && set_up
                .clone()
                .all(|j| scores[j] >= 0.0 && !context.quotes_speech[j]);
        let plain_set_up = end - run >= 2
            && context.names_offer[run]
            && is_plain_set_up(
                set_up.clone(),
                CLOSING_PITCH_SET_UP_MAX_SENTENCES,
                scores,
                context,
                bias,
            );
        // A liveblog entry that tells three sentences of news before the pitch glued to its end
        // keeps them, as [`whole_entries`] does.
        let entry_news = context.entry.get(start).copied().flatten().is_some()
            && set_up.len() >= ENTRY_NEWS_MIN_SENTENCES;
        let takes_set_up = run > start
            && run < end
            && !entry_news
            && !context.hook[run]
            && !context.opener_cue[run]
            && scores[end - 1] > bias
            && (plain_set_up || brings_seller_in)
            && set_up
                .clone()
                .all(|j| !context.editorial_evidence[j] && !context.opener_cue[j]);
        if takes_set_up {
            labels[start..run].fill(Label::Promo);
        }
        start = end;
    }
}

/// The most headlines of a related-link list.
const RELATED_LIST_MAX_ITEMS: usize = 6;

/// The longest related-link line, in bytes, that heads a list rather than naming its one
/// linked story itself ("More from our oceans desk:" against "Lesen Sie auch: Wie man
/// unseriöse Anlagetipps im Netz erkennt").
const RELATED_LIST_OPENER_MAX_BYTES: usize = 32;

/// A related-link line that stands alone and names no story itself (at most
/// [`RELATED_LIST_OPENER_MAX_BYTES`]: "Mehr zum Thema", "More from our arts desk:",
/// "Related:") heads a list of the linked stories' headlines, one per line: short lines
/// without a final period ("Oyster reefs return to the Dornoch Firth", "Taquillas
/// inteligentes: ¿el fin del segundo intento de entrega?"). Under a line that went as promo,
/// the headline lines right under it go too, up to [`RELATED_LIST_MAX_ITEMS`], none of them
/// quoting anyone or speaking against promo ([`Context::reports`]: a linked headline may sum
/// the story up, "Limoges : les commerçants réclament des bus gratuits" under a ticker on the
/// city's buses), and none a heading of the story: a
/// headline on the story's topic that heads a paragraph ("Drei Kräne, sechs Gleise" over the
/// port's cranes) ends the list. One that heads a paragraph off the topic is the list's last
/// item over the story's next paragraph, and one over a further headline is an item.
fn related_lists(labels: &mut [Label], sentences: &[Sentence], context: &Context) {
    for line in 0..labels.len() {
        if labels[line] != Label::Promo
            || !context.related[line]
            || sentences[line].span.end - sentences[line].span.start > RELATED_LIST_OPENER_MAX_BYTES
            || !alone_in_block(sentences, line)
        {
            continue;
        }
        for item in (line + 1..labels.len()).take(RELATED_LIST_MAX_ITEMS) {
            let heads_story = context.binds(sentences[item].block)
                && context.on_topic[item]
                && !context.headline.get(item + 1).copied().unwrap_or(false);
            let is_item = context.headline[item]
                && !context.quotes_speech[item]
                && !context.reports[item]
                && !heads_story;
            if !is_item {
                break;
            }
            labels[item] = Label::Promo;
        }
    }
}

/// The index after the last sentence of the paragraph that sentence `start` stands in: its
/// block, and in text hard-wrapped without blank lines the blocks after it that may continue
/// it ([`Context::continues_above`]).
fn paragraph_end(sentences: &[Sentence], context: &Context, start: usize) -> usize {
    let mut end = block_end(sentences, start);
    while end < sentences.len() && context.continues_above[end] {
        end = block_end(sentences, end);
    }
    end
}

/// A heading that does not pitch (no cue for promo: "Unterkünfte") but went with the insert
/// right under it (a product box between a subheading and its paragraph) stays when text of its
/// section stays: the heading titles the story's paragraphs after the box, and a reader of the
/// clean text would find them under the previous heading.
fn headings_over_kept_text(
    labels: &mut [Label],
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
) {
    for h in 0..labels.len() {
        let end = block_end(sentences, h);
        if labels[h] != Label::Promo
            || scores[h] > 0.0
            || end != h + 1
            || !context.binds(sentences[h].block)
        {
            continue;
        }
        let section_keeps_text = (end..labels.len())
            .take_while(|&j| !context.binds(sentences[j].block))
            .any(|j| labels[j] == Label::Editorial);
        if section_keeps_text {
            labels[h] = Label::Editorial;
        }
    }
}

/// Whether the block that sentence `a` opens stands under a heading that introduces it and
/// stays: that block is the body of the heading's section, not the set-up of an insert below
/// it (taking it would leave the heading over nothing).
fn under_kept_heading(
    a: usize,
    labels: &[Label],
    sentences: &[Sentence],
    context: &Context,
) -> bool {
    a > 0
        && sentences[a - 1].block + 1 == sentences[a].block
        && context.binds(sentences[a - 1].block)
        && labels[a - 1] == Label::Editorial
}

/// Whether a path scoring `score` and cutting `cut` sentences beats the best so far: a higher
/// score beyond [`TIE`], or a tie that cuts fewer sentences. Removing editorial text is worse
/// than missing an ad, so of two equally likely readings the one that keeps more text wins.
fn better(score: f64, cut: usize, best: f64, best_cut: usize) -> bool {
    score > best + TIE || (score >= best - TIE && cut < best_cut)
}

/// What the decoder adds for labelling each sentence promo: its margin (score minus bias), raised by `paragraph_support` for every
/// further sentence of its block beyond the first that is promo on its own (at most three). An
/// insert that pitches in several sentences carries its neutral opener along; a single pitch
/// glued to an editorial paragraph does not carry its neighbours.
pub fn emissions(
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    weights: Weights,
) -> Vec<f64> {
    let closing = closing_lines(scores, sentences, context, weights.bias);
    emissions_from(
        scores,
        &support(scores, sentences, context, &closing, weights.bias),
        weights,
    )
}

/// [`emissions`] from each sentence's [`support`].
fn emissions_from(scores: &[f64], support: &[f64], weights: Weights) -> Vec<f64> {
    support
        .iter()
        .zip(scores)
        .map(|(k, score)| score - weights.bias + weights.paragraph_support * k)
        .collect()
}

/// For each sentence, how many further sentences of its block beyond the first are promo on
/// their own (score above `bias`), at most three: the multiplier of `paragraph_support`. A
/// closing line right after the block ([`closing_lines`]) counts as one or two of them, and a
/// lead-in block ([`is_lead_in`]) gets one, two when the block below pitches twice on its own
/// (or once, under a closing line that names it) and shares with the lead-in a word no other
/// block uses. A heading off the article's topic (see
/// [`Context::on_topic`]), neutral and bound to a paragraph that a closing line names by a word
/// of their own, counts as one more neutral sentence of that paragraph. A short paragraph that
/// poses the reader's problem or hands over, right above one that pitches, is that pitch's
/// set-up: the pitch vouches for it, and it for the pitch's paragraph (`poses_above`).
fn support(
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    closing: &[usize],
    bias: f64,
) -> Vec<f64> {
    // The pitches of the block [start, end): its own promo sentences, and the closing line
    // under it.
    // A sentence in which the publisher offers its own event, newsletter or forum pitches even
    // below the bias: the family is weak so that it never cuts a sentence alone, but it speaks
    // for the paragraph it stands in.
    let pitching = |j: usize| scores[j] > bias || (context.publisher_voice[j] && scores[j] > 0.0);
    // A paragraph every sentence of which leans promo (a cue for it fired, whatever the sum)
    // and that ends in a call to action that pitches is one pitch from its first sentence to
    // its button ("… policy covers robotic milking systems … while your system is repaired.
    // Members … get 10% off … Get a quote in five minutes at …"): each sentence counts as
    // pitching. A story's paragraph has a sentence without any such cue, or one against promo.
    let leans_to_its_call = |start: usize, end: usize| {
        end - start >= 2
            && context.call_to_action[end - 1]
            && scores[end - 1] > bias
            && (start..end).all(|j| scores[j] > 0.0 && !context.editorial_evidence[j])
    };
    let pitches = |start: usize, end: usize| {
        (
            if leans_to_its_call(start, end) {
                end - start
            } else {
                (start..end).filter(|&j| pitching(j)).count()
            },
            if end < sentences.len() {
                closing[end]
            } else {
                0
            },
        )
    };
    let mut out = vec![0.0; scores.len()];
    let mut start = 0;
    // The block above posed the problem that this block's pitch answers (`poses_above`).
    let mut posed = false;
    while start < sentences.len() {
        let end = block_end(sentences, start);
        let (own, closed) = pitches(start, end);
        let leans = leans_to_its_call(start, end);
        let below = if end < sentences.len() {
            pitches(end, block_end(sentences, end))
        } else {
            (0, 0)
        };
        // The publisher's appeal speaks of the publication: the story's paragraph above it is
        // no set-up, though it shares a word with it ("le travail fait en régie" over "Ce
        // travail est gratuit pour tous, mais il ne l'est pas pour nous").
        // Nor is a paragraph in the article's language the set-up of a pitch in another ("Parenting
        // in France? Get our weekly English-language newsletter …" under a French paragraph
        // that shares a word with its link).
        let lead_in = end < sentences.len()
            && is_lead_in(start..end, below, scores, context, bias)
            && !(end..block_end(sentences, end)).any(|j| context.appeals[j])
            && (!context.switches_language[end] || context.switches_language[end - 1]);
        // A lead-in to a paragraph that pitches twice on its own (or once, under a closing line
        // that names it), sharing with it a word that no other block uses, is that insert's own
        // set-up: two pitching neighbours.
        let lead_in = if lead_in {
            1 + usize::from(
                (below.0 >= 2 || (below.0 >= 1 && below.1 == 2))
                    && (start..end).any(|j| context.echo_below_only[j]),
            )
        } else {
            0
        };
        // A short neutral paragraph that pitches nothing itself, over a one-line call to
        // action that names what no other block speaks of, is that call's set-up: one more
        // pitching neighbour, as a lead-in gets. Over a pitch that only states its offer (a
        // product line in a review) it stays.
        let set_up = usize::from(
            own == 0
                && closed == 2
                && context.call_to_action[end]
                && is_plain_set_up(start..end, LEAD_IN_MAX_SENTENCES, scores, context, bias),
        );
        // A short neutral paragraph right above one that opens by handing over to an offer
        // ("Genau hier setzt … an", "Pour vous accompagner") and pitches at least twice in all
        // is the problem that the hand-over points back to: the whole pitch vouches for it.
        // The hand-over pitches itself, or the sentence after it in its paragraph does ("For
        // them, a lifetime mortgage can be the answer. The specialist broker … compares …";
        // in hard-wrapped text that sentence may open a block that continues the paragraph).
        let handed_over = end < sentences.len()
            && context.hands_over[end]
            && {
                let paragraph = paragraph_end(sentences, context, end);
                let (own, closed) = pitches(end, paragraph);
                (pitching(end) || (end + 1 < paragraph && pitching(end + 1))) && own + closed >= 2
            }
            && !context.opener_cue[end]
            && is_set_up_above_hand_over(start..end, scores, context, bias);
        // A short paragraph that turns the story to the reader's problem ("… y cada vez más
        // pequeños ahorradores se plantean …", "Many homeowners wonder …"), or hands over
        // from it to an offer that the paragraph only introduces ("Genau an dieser Stelle
        // setzt auch eine Übersicht an, …"), right above one that pitches is the bridge a
        // soft advertorial opens with: the problem it poses is
        // the one the pitch below answers, so the whole pitch vouches for it, as for the
        // set-up above a hand-over, and the bridge vouches for each sentence of the pitch's
        // paragraph as one pitching neighbour: a set-up goes only with its pitch. The pitch
        // need pitch only once: the bridge is the evidence a lead-in's shared word would give.
        let poses_above = end < sentences.len()
            && below.0 >= 1
            && !context.opener_cue[end]
            && (start..end).any(|j| context.poses_problem[j] || context.hands_over[j])
            && is_set_up_above_hand_over(start..end, scores, context, bias);
        // Story sentences that open the block, two or more of them on the story's topic and
        // without any promotional cue, are the story's own paragraph with a pitch glued to its
        // end: the pitch does not vouch for them. An ad paragraph's neutral opener is one
        // sentence, off the story's topic, or already leans promo (a problem, a free guide).
        let story_opening = (start..end)
            .take_while(|&j| context.on_topic[j] && scores[j] <= 0.0 && !context.publisher_voice[j])
            .count();
        let glued_tail =
            story_opening >= STORY_OPENING_MIN_SENTENCES && story_opening < end - start;
        // The same inside one paragraph: the plain sentences before a hand-over that pitches
        // and goes on pitching to the block's end are the problem it points back to. The
        // publisher bringing in its own offer ("Our free guide …") hands over as well, when
        // the set-up already leans promo (a price, a problem) and is not a story opening.
        // A sentence that poses the reader's problem right before the pitch ("Viele
        // Privatanleger fragen sich deshalb, ob …" before "Mit dem Depot von …") hands over
        // as well: it turns what was set out into the question the pitch answers.
        let handed_over_inside = (start + 1..end)
            .find(|&h| pitching(h) || (context.poses_problem[h] && h + 1 < end && pitching(h + 1)))
            .filter(|&h| {
                (context.hands_over[h]
                    || (context.poses_problem[h] && !glued_tail)
                    || (context.publisher_voice[h]
                        && !glued_tail
                        && (start..h).any(|j| scores[j] > 0.0)))
                    && (h..end).filter(|&j| pitching(j)).count() + closed >= 2
                    && !context.opener_cue[h]
                    && is_plain_set_up(
                        start..h,
                        HANDOVER_SET_UP_MAX_SENTENCES,
                        scores,
                        context,
                        bias,
                    )
            });
        for (i, k) in out.iter_mut().enumerate().take(end).skip(start) {
            if handed_over_inside.is_some_and(|h| i < h) {
                *k = 3.0;
                continue;
            }
            let in_story = glued_tail && i < start + story_opening;
            let others = if in_story {
                closed
            } else {
                own - usize::from(pitching(i) || leans) + closed
            };
            *k = if handed_over || poses_above {
                3.0
            } else {
                (others.saturating_sub(1) + lead_in + set_up + usize::from(posed)).min(3) as f64
            };
        }
        posed = poses_above;
        // A hook right before a sentence that pitches on its own is that pitch's opening: the
        // pitch vouches for it ("Fancy a flutter on the next derby? New customers at … get …").
        for i in start..end.saturating_sub(1) {
            if context.hook[i] && scores[i + 1] > bias {
                out[i] = out[i].max(1.0);
            }
        }
        // A heading off the article's topic over a paragraph that its call to action names
        // (a closing line that names what no other block does) is that insert's heading: it
        // counts as one more neutral sentence of the paragraph.
        if end < sentences.len()
            && context.binds(sentences[start].block)
            && (start..end).all(|j| {
                !context.on_topic[j]
                    && (0.0..=bias).contains(&scores[j])
                    && !context.quotes_speech[j]
            })
        {
            let next_end = block_end(sentences, end);
            let (own, closed) = pitches(end, next_end);
            if closed == 2 {
                for k in out.iter_mut().take(end).skip(start) {
                    *k = (own + closed).saturating_sub(1).min(3) as f64;
                }
            }
        }
        // A risk note in a block of its own (with at most one more sentence: "CFDs sind
        // komplexe Instrumente … 74 Prozent der Kleinanlegerkonten verlieren Geld …") right
        // under a block that pitches is that offer's fine print: the pitch above vouches for
        // each of its sentences as a pitching neighbour.
        if end - start <= FINE_PRINT_MAX_SENTENCES
            && (start..end).any(|j| context.fine_print[j])
            && start > 0
        {
            let above = block_start(sentences, start - 1);
            if pitches(above, start).0 >= 1 {
                for k in &mut out[start..end] {
                    *k = k.max(1.0);
                }
            }
        }
        start = end;
    }
    for (k, _) in out
        .iter_mut()
        .zip(label_scopes(scores, sentences, context, bias))
        .filter(|(_, scoped)| *scoped)
    {
        *k = (*k + LABEL_VOUCHES).min(3.0);
    }
    for (i, others) in boxed_pitches(scores, sentences, context, closing, bias) {
        out[i] = out[i].max(others.min(3) as f64);
    }
    out
}

/// The fewest story sentences opening a block before its first pitch that make the pitch a
/// glued one rather than the block's own.
const STORY_OPENING_MIN_SENTENCES: usize = 2;

/// The most sentences of a risk note's block: the note and the one that completes it.
const FINE_PRINT_MAX_SENTENCES: usize = 2;

/// The most heading lines stacked over a box ("ÉVÉNEMENT" over the event's title).
const BOX_MAX_HEADINGS: usize = 2;

/// The most blocks a box may have under its heading, its closing line included.
const BOX_MAX_BLOCKS: usize = 4;

/// The most sentences of a block in a box: a box is set in short paragraphs.
const BOX_MAX_SENTENCES: usize = 2;

/// Whether a rule is of the families in which the publisher offers its own things to the
/// reader (`<lang>.publisher_offer` with its podcast episodes and media, `.publisher_event`,
/// `.publisher_note` and `.reader_offer` in the rules files)
/// or tells the reader what they want (`<lang>.hook.desire`): "our Future Grid Summit", "Notre
/// rédaction organise …", "Abonnenten erhalten …", "Sie wollen …?", or appeals for support
/// ([`appeals_for_support`]). A bare "we" or "our"
/// (`<lang>.publisher`) is also the voice of a review ("the best we tested", "our verdict")
/// and does not count.
fn speaks_as_publisher(rule: &crate::rules::Rule) -> bool {
    matches!(
        positive_family(rule),
        Some(
            "publisher_offer"
                | "publisher_offer.episode"
                | "publisher_offer.media"
                | "publisher_event"
                | "publisher_note"
                | "reader_offer"
                | "hook.desire"
        )
    ) || appeals_for_support(rule)
}

/// Whether a rule is of the families in which the publisher appeals to its readers for support
/// (`<lang>.publisher_appeal` and `.publisher_appeal.value`: "Lokaljournalismus kostet Geld",
/// "If you value our reporting"); an appeal is the publisher's voice too.
fn appeals_for_support(rule: &crate::rules::Rule) -> bool {
    matches!(
        positive_family(rule),
        Some("publisher_appeal" | "publisher_appeal.value")
    )
}

/// Whether a rule is a call to action: a `<lang>.cta.*` family.
fn calls_to_action(rule: &crate::rules::Rule) -> bool {
    positive_family(rule).is_some_and(|family| family.starts_with("cta."))
}

/// Whether a rule is a hand-over from problem to offer: the `<lang>.advertorial.handover`
/// family.
fn hands_over(rule: &crate::rules::Rule) -> bool {
    positive_family(rule) == Some("advertorial.handover")
}

/// Whether a rule poses the reader's problem: the `<lang>.advertorial.reader_problem` family.
fn poses_problem(rule: &crate::rules::Rule) -> bool {
    positive_family(rule) == Some("advertorial.reader_problem")
}

/// Whether a rule, if it speaks for promo, only states a product's facts: it names an app or a
/// subscription ([`names_app_or_subscription`]), says what is free, how urgent or for whom an
/// offer is, or gives its terms or a price, or is a fact of the sentence's context. None of
/// them addresses the reader: no "you", no call to action, no publisher, no link.
fn states_product_facts(rule: &crate::rules::Rule) -> bool {
    rule.weight <= 0.0
        || names_app_or_subscription(rule)
        || rule.id.starts_with("price.")
        || rule.id.starts_with("context.")
        || matches!(
            positive_family(rule),
            Some(
                "offer.free"
                    | "offer.urgency"
                    | "offer.benefit"
                    | "offer.introductory"
                    | "offer.terms"
            )
        )
}

/// Whether a rule names an app or a subscription as such (`<lang>.app`, `<lang>.app.download`,
/// `<lang>.subscription`, or a price per month or week: `price.per_period`, "Tallyo Plus will
/// cost £4.99 a month"), not as the reader's call to download or subscribe.
fn names_app_or_subscription(rule: &crate::rules::Rule) -> bool {
    matches!(
        positive_family(rule),
        Some("app" | "app.download" | "subscription" | "per_period")
    )
}

/// A promo run that tells of an app or a subscription business and never addresses the
/// reader is a report on that business, and stays: every sentence of it states facts only
/// ([`Context::states_facts_only`]), at least one names the app or the subscription
/// ([`Context::names_business`]). An app sells itself with "download", "you", a store's link, and a
/// subscription with "subscribe" or the publisher's voice; "La aplicación se descarga gratis
/// … hay que suscribirse: 7,99 euros al mes", in a report on the app's million subscribers,
/// tells the reader what it costs. The whole run must: a run that goes on into the next
/// insert (a start-up's "subscription … starts at €15 a month" above a broker's set-up) stays
/// promo.
fn business_reports(labels: &mut [Label], context: &Context) {
    let mut start = 0;
    while start < labels.len() {
        if labels[start] != Label::Promo {
            start += 1;
            continue;
        }
        let end = (start..labels.len())
            .find(|&j| labels[j] != Label::Promo)
            .unwrap_or(labels.len());
        let run = start..end;
        if run.clone().all(|j| context.states_facts_only[j])
            && run.clone().any(|j| context.names_business[j])
        {
            labels[run].fill(Label::Editorial);
        }
        start = end;
    }
}

/// Whether a rule is of the risk-note family (`<lang>.trading.risk_note`).
fn is_fine_print(rule: &crate::rules::Rule) -> bool {
    positive_family(rule) == Some("trading.risk_note")
}

/// The family of a rule that speaks for promo: its id without the language ("cta.now" of
/// "de.cta.now"); none for editorial evidence.
fn positive_family(rule: &crate::rules::Rule) -> Option<&str> {
    if rule.weight > 0.0 {
        rule.id.split_once('.').map(|(_, family)| family)
    } else {
        None
    }
}

/// What [`Context::new`] reads of a rule whose cue fires: one bit per fact, so that it looks a
/// cue's facts up instead of taking the rule's id apart again for every cue of every article
/// (the families are string comparisons). Computed once per rule set, for each rule
/// ([`RuleSet::label_roles`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleRoles(u32);

impl RuleRoles {
    const NONE: RuleRoles = RuleRoles(0);
    /// A related-link cue ([`Context::related`]).
    const RELATED: RuleRoles = RuleRoles(1);
    /// A cue of negative weight ([`Context::editorial_evidence`]).
    const EDITORIAL_EVIDENCE: RuleRoles = RuleRoles(1 << 1);
    /// [`speaks_as_publisher`].
    const PUBLISHER_VOICE: RuleRoles = RuleRoles(1 << 2);
    /// [`appeals_for_support`].
    const APPEALS: RuleRoles = RuleRoles(1 << 3);
    /// [`calls_to_action`].
    const CALL_TO_ACTION: RuleRoles = RuleRoles(1 << 4);
    /// The `<lang>.cta.shop_button` family ([`Context::shop_button`]).
    const SHOP_BUTTON: RuleRoles = RuleRoles(1 << 5);
    /// [`hands_over`].
    const HANDS_OVER: RuleRoles = RuleRoles(1 << 6);
    /// [`poses_problem`].
    const POSES_PROBLEM: RuleRoles = RuleRoles(1 << 7);
    /// [`is_fine_print`].
    const FINE_PRINT: RuleRoles = RuleRoles(1 << 8);
    /// A cue for promo with a category, or a call to action ([`Context::names_offer`]).
    const NAMES_OFFER: RuleRoles = RuleRoles(1 << 9);
    /// The `<lang>.hook.desire` and `form.hook_question` families ([`Context::hook`]).
    const HOOK: RuleRoles = RuleRoles(1 << 10);
    /// `context.language_switch` ([`Context::switches_language`]).
    const SWITCHES_LANGUAGE: RuleRoles = RuleRoles(1 << 11);
    /// More than a product's facts: not [`states_product_facts`] (a sentence states facts only
    /// when none of its cues has this role: [`Context::states_facts_only`]).
    const BEYOND_FACTS: RuleRoles = RuleRoles(1 << 12);
    /// [`names_app_or_subscription`].
    const NAMES_BUSINESS: RuleRoles = RuleRoles(1 << 13);
    /// The `<lang>.reader_offer.partner` family ([`Context::offers_readers`]).
    const OFFERS_READERS: RuleRoles = RuleRoles(1 << 14);
    /// The `<lang>.offer.terms` family ([`Context::states_terms`]).
    const STATES_TERMS: RuleRoles = RuleRoles(1 << 15);
    /// A cue of negative weight other than the one that finds a sentence summing the story up
    /// ([`Context::reports`]).
    const REPORTS: RuleRoles = RuleRoles(1 << 16);

    /// The roles of `rule`.
    pub fn of(rule: &crate::rules::Rule) -> RuleRoles {
        let family = positive_family(rule);
        [
            (Self::RELATED, rule.speaks_for(Category::RelatedLink)),
            (Self::EDITORIAL_EVIDENCE, rule.weight < 0.0),
            (Self::PUBLISHER_VOICE, speaks_as_publisher(rule)),
            (Self::APPEALS, appeals_for_support(rule)),
            (Self::CALL_TO_ACTION, calls_to_action(rule)),
            (Self::SHOP_BUTTON, family == Some("cta.shop_button")),
            (Self::HANDS_OVER, hands_over(rule)),
            (Self::POSES_PROBLEM, poses_problem(rule)),
            (Self::FINE_PRINT, is_fine_print(rule)),
            (
                Self::NAMES_OFFER,
                rule.weight > 0.0 && (rule.category.is_some() || calls_to_action(rule)),
            ),
            (
                Self::HOOK,
                matches!(family, Some("hook.desire" | "hook_question")),
            ),
            (
                Self::SWITCHES_LANGUAGE,
                rule.id == "context.language_switch",
            ),
            (Self::BEYOND_FACTS, !states_product_facts(rule)),
            (Self::NAMES_BUSINESS, names_app_or_subscription(rule)),
            (Self::OFFERS_READERS, family == Some("reader_offer.partner")),
            (Self::STATES_TERMS, family == Some("offer.terms")),
            (
                Self::REPORTS,
                rule.weight < 0.0 && rule.position != Position::ArticleTopic,
            ),
        ]
        .into_iter()
        .filter(|&(_, holds)| holds)
        .fold(Self::NONE, |all, (role, _)| all | role)
    }

    /// Whether every role of `role` is among these.
    fn contains(self, role: RuleRoles) -> bool {
        self.0 & role.0 == role.0
    }
}

impl std::ops::BitOr for RuleRoles {
    type Output = RuleRoles;

    fn bitor(self, other: RuleRoles) -> RuleRoles {
        RuleRoles(self.0 | other.0)
    }
}

/// For each sentence of a box, how many of the box's other sentences pitch (are promo on their
/// own). A box is how a publisher lays out its own event, newsletter or forum between story
/// sections: a heading line ("Wirtschaftsforum Ostwürttemberg 2026", "Politics Unpacked"),
/// one to [`BOX_MAX_BLOCKS`] short blocks that pitch at least twice in all, and a last block
/// that ends in a pitch (a call to action, on its own line or glued to the paragraph), after
/// which the article goes on with a heading, another insert or its end. The heading and the
/// closing call to action make a unit of what lies between, so every pitch in it vouches for
/// every sentence (the box's form counts as the one pitching neighbour that
/// `paragraph_support` leaves out). The publisher speaks in it of its own things
/// ([`speaks_as_publisher`]), in paragraphs of at most [`BOX_MAX_SENTENCES`] sentences. A story
/// section with an insert at its end has the same form; it has longer paragraphs, quoted or
/// reported speech, editorial evidence (a score below zero) or a label or link line, and its
/// insert sells a third party's offer.
fn boxed_pitches(
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    closing: &[usize],
    bias: f64,
) -> Vec<(usize, usize)> {
    let n = scores.len();
    let is_heading = |i: usize| context.binds(sentences[i].block);
    let plain = |j: usize| scores[j] >= 0.0 && !context.quotes_speech[j];
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let first_heading =
            is_heading(start) && closing[start] == 0 && (start == 0 || !is_heading(start - 1));
        let box_start = start;
        start = block_end(sentences, start);
        if !first_heading {
            continue;
        }
        // The heading lines: one-sentence blocks that do not pitch.
        let mut at = box_start;
        let mut headings = 0;
        while at < n
            && headings < BOX_MAX_HEADINGS
            && is_heading(at)
            && block_end(sentences, at) == at + 1
            && scores[at] <= bias
            && plain(at)
        {
            at += 1;
            headings += 1;
        }
        if headings == 0 || (at < n && is_heading(at) && scores[at] <= bias) {
            continue;
        }
        // The blocks under it, up to the last that ends in a pitch. A heading in which the
        // publisher offers its own thing ("LZ-Leserreise: Adventszauber in Lübeck") pitches
        // once, as a sentence of the publisher's voice does in a paragraph (`support`).
        let heading_pitches = (box_start..at)
            .filter(|&h| context.publisher_voice[h] && scores[h] > 0.0)
            .count();
        let (mut pitches, mut end) = (heading_pitches, None);
        for _ in 0..BOX_MAX_BLOCKS {
            if at >= n || context.opener_cue[at] {
                break;
            }
            let block = at..block_end(sentences, at);
            let own = block.clone().filter(|&j| scores[j] > bias).count();
            if (is_heading(at) && own == 0)
                || block.len() > BOX_MAX_SENTENCES
                || !block.clone().all(plain)
            {
                break;
            }
            pitches += own;
            at = block.end;
            if scores[at - 1] > bias {
                end = Some((at, pitches));
            }
        }
        let Some((end, pitches)) = end else { continue };
        let section_ends = end == n || is_heading(end) || context.opens_insert[end];
        if pitches >= 2 && section_ends && (box_start..end).any(|i| context.publisher_voice[i]) {
            out.extend((box_start..end).map(|i| (i, pitches - usize::from(scores[i] > bias))));
        }
    }
    out
}

/// The most blocks a labelled insert's set-up may take between its label and its pitch.
const LABEL_SCOPE_MAX_BLOCKS: usize = 2;

/// How many pitching neighbours the label above and the pitch below count as for each sentence
/// of a labelled insert's set-up.
const LABEL_VOUCHES: f64 = 2.0;

/// Per sentence: it is part of the set-up of a labelled insert. A label line ("Contenido
/// patrocinado", "Anzeige") announces an insert, and an advertorial under it may open with
/// neutral paragraphs before it names and pitches its product ("Cada día circulan … millones de
/// mensajes fraudulentos …" over "ProtegeMóvil, la aplicación …" over "Descarga ProtegeMóvil
/// gratis …"). The blocks between the label and the first block that pitches (a sentence promo
/// on its own) are its set-up when there are at most [`LABEL_SCOPE_MAX_BLOCKS`] of them, none a
/// heading, each sharing a word of [`LEAD_IN_ECHO_MIN_CHARS`] letters or more with the block
/// below (one thread down to the pitch), none of whose sentences pitches, speaks against promo
/// or quotes anyone, and the pitching block opens no insert of its own; so are the sentences
/// of a block right under the label that ends in its pitch and quotes nobody ("Contenido
/// patrocinado" over "Con la inflación … Podés abrir tu cuenta …"). A label whose ad was
/// not scraped stands over the story: a heading, quoted or reported speech, a paragraph that
/// does not lead to the next, or the next insert's own label or link line ends the scope.
fn label_scopes(scores: &[f64], sentences: &[Sentence], context: &Context, bias: f64) -> Vec<bool> {
    let mut out = vec![false; scores.len()];
    for label in (0..scores.len()).filter(|&i| context.label_line[i]) {
        let first = block_end(sentences, label);
        let mut start = first;
        for blocks in 0..=LABEL_SCOPE_MAX_BLOCKS {
            if start >= sentences.len() || context.opener_cue[start] {
                break;
            }
            let end = block_end(sentences, start);
            if (start..end).any(|j| scores[j] > bias) {
                if blocks > 0 {
                    out[first..start].fill(true);
                } else if scores[end - 1] > bias && (start..end).all(|j| !context.quotes_speech[j])
                {
                    // The paragraph right under the label ends in its pitch: the label and the
                    // pitch frame it, so its neutral sentences are the insert's set-up too.
                    out[start..end - 1].fill(true);
                }
                break;
            }
            let leads_on = blocks < LABEL_SCOPE_MAX_BLOCKS
                && !context.binds(sentences[start].block)
                && (start..end)
                    .all(|j| (0.0..=bias).contains(&scores[j]) && !context.quotes_speech[j])
                && (start..end).any(|j| context.echo_below[j] >= LEAD_IN_ECHO_MIN_CHARS);
            if !leads_on {
                break;
            }
            start = end;
        }
    }
    for label in (0..scores.len()).filter(|&i| context.label_line[i]) {
        let first = block_end(sentences, label);
        let mut start = first;
        for _ in 0..LABEL_SCOPE_MAX_BLOCKS {
            if start >= sentences.len()
                || context.opener_cue[start]
                || context.binds(sentences[start].block)
            {
                break;
            }
            let end = block_end(sentences, start);
            if (start..end).any(|j| context.quotes_speech[j]) {
                break;
            }
            let states_terms = &context.states_terms;
            if states_terms[end - 1] || (end - 1 > start && states_terms[end - 2]) {
                out[first..end].fill(true);
                break;
            }
            if (start..end).any(|j| scores[j] > bias) {
                break;
            }
            if !(start..end).any(|j| context.echo_below[j] >= LEAD_IN_ECHO_MIN_CHARS) {
                break;
            }
            start = end;
        }
    }
    // A label under the insert it discloses ("Publi-information", "This content was paid for
    // by …" after the advertorial's paragraph). When the block below does not pitch (the story
    // goes on, or a heading, or the end), the label closes the paragraph above, if it pitches
    // and quotes nobody. Only that paragraph: taking neutral blocks above it that share a
    // word with it, as under a label above, cut a recipe paragraph over a meal-box advertorial.
    for label in (1..scores.len()).filter(|&i| context.label_line[i]) {
        let next = block_end(sentences, label);
        if next < sentences.len() && (next..block_end(sentences, next)).any(|j| scores[j] > bias) {
            continue;
        }
        let end = label;
        // The paragraph above, whole: in hard-wrapped text it may stand in several blocks.
        let mut start = block_start(sentences, end - 1);
        while start > 0 && context.continues_above[start] {
            start = block_start(sentences, start - 1);
        }
        if context.label_line[start]
            || !(start..end).any(|j| scores[j] > bias)
            || (start..end).any(|j| context.quotes_speech[j])
        {
            continue;
        }
        out[start..end].fill(true);
    }
    out
}

/// How long a word a lead-in must share with the pitch below it: a thing it speaks of ("Zecken",
/// "wallet"), not a verb both happen to use ("zeigt", "gibt").
const LEAD_IN_ECHO_MIN_CHARS: usize = 6;

/// The most sentences a lead-in may have: a set-up is short; a paragraph of three or more
/// sentences above a pitch is the story's, or an insert of its own.
const LEAD_IN_MAX_SENTENCES: usize = 2;

/// Whether `block` leads in to the block after it, whose pitches are `(own, closed)` (its own
/// promo sentences and the closing line under it): it has at most [`LEAD_IN_MAX_SENTENCES`]
/// sentences, none of which speaks against promo (scores below 0, or fires a cue of negative
/// weight at all: "Kammer bietet kostenlose Webinare an" names a public body as the provider,
/// and with weights fitted lower it scored just under the bias and led in to the chamber's
/// paragraph) or quotes anyone, and at
/// least one of which does not pitch (the reader's problem, "Viele Menschen wissen nicht, …",
/// may score as a pitch with a bias fitted low, but a line that only pitches is no set-up:
/// letting a one-line block that pitches lead in cut a chamber's free webinars, heading and
/// paragraph, from an article without ads); it shares a content word
/// of [`LEAD_IN_ECHO_MIN_CHARS`] letters or more with the next block; and that block opens no
/// insert of its own (a label, a "PS:") and pitches in a sentence of its own and at least twice
/// in all. A soft advertorial often gives its set-up a paragraph of its own ("Viele Menschen
/// wissen nicht, wie sie eine Zecke richtig entfernen …") above the paragraph that pitches the
/// answer ("… der kostenlose Ratgeber „Sicher durch die Zeckensaison“ …"). The lead-in counts as
/// one pitching neighbour, so a short set-up goes with its pitch, while a story paragraph, or
/// one with quoted or reported speech, stays.
/// A lead-in of one sentence must share with the pitch a word that no other block uses (what
/// the offer is about): a story's last sentence shares a common word with the pitch below as
/// easily ("valuing the company" over "… company data …" in a paywall pitch), and was taken.
fn is_lead_in(
    block: std::ops::Range<usize>,
    (own, closed): (usize, usize),
    scores: &[f64],
    context: &Context,
    bias: f64,
) -> bool {
    own >= 1
        && own + closed >= 2
        && !context.opener_cue[block.end]
        && block.len() <= LEAD_IN_MAX_SENTENCES
        && block.clone().all(|j| {
            scores[j] >= 0.0 && !context.quotes_speech[j] && !context.editorial_evidence[j]
        })
        && block.clone().filter(|&j| scores[j] > bias).count() < block.len().min(2)
        && block
            .clone()
            .any(|j| context.echo_below[j] >= LEAD_IN_ECHO_MIN_CHARS)
        && (block.len() > 1 || context.echo_below_only[block.start])
}

/// The most sentences of a set-up above a hand-over: the hand-over says that the offer answers
/// what was just set out, so a set-up of a hook question and two sentences goes with it
/// ("Acheter maintenant ou attendre encore un peu ? C'est la question … chaque étape compte …").
const HANDOVER_SET_UP_MAX_SENTENCES: usize = 3;

/// Whether `block` has the form of the set-up above a hand-over: at most
/// `HANDOVER_SET_UP_MAX_SENTENCES` sentences, none speaking against promo or quoting anyone,
/// and, as in a lead-in, of two or more at most one that pitches (a hook question that a fold
/// scores above its bias: "Acheter maintenant ou attendre encore un peu ?").
fn is_set_up_above_hand_over(
    block: std::ops::Range<usize>,
    scores: &[f64],
    context: &Context,
    bias: f64,
) -> bool {
    block.len() <= HANDOVER_SET_UP_MAX_SENTENCES
        && block
            .clone()
            .all(|j| scores[j] >= 0.0 && !context.quotes_speech[j])
        && block.clone().filter(|&j| scores[j] > bias).count() < block.len().min(2)
}

/// Whether `block` has the form of an insert's set-up: at most `max_sentences` sentences,
/// none of which pitches, speaks against promo (each scores between 0 and `bias`) or quotes
/// anyone.
fn is_plain_set_up(
    block: std::ops::Range<usize>,
    max_sentences: usize,
    scores: &[f64],
    context: &Context,
    bias: f64,
) -> bool {
    block.len() <= max_sentences
        && block
            .clone()
            .all(|j| (0.0..=bias).contains(&scores[j]) && !context.quotes_speech[j])
}

/// Per sentence: how many pitching sentences it counts as for the block above it (0 for none).
/// A closing line is a block of one sentence that is promo on its own, does not open a new
/// insert and names something that a sentence of the block before it, promo on its own too,
/// named ("Jetzt Depot eröffnen →" under the paragraph that pitched the depot): it counts as
/// one. A soft advertorial sets a problem up, pitches once and ends in such a line; the line is
/// the pitch's call to action, so it vouches for the paragraph as a further pitching sentence
/// would. One that shares with any sentence of the block above a word that no other block of
/// the article uses ("Brixly-Konto in 3 Minuten eröffnen ›" under the paragraph that brought
/// in the platform Brixly) counts as two: what the line sells is what that paragraph speaks
/// of, and the rest of the article does not. A shop's button ("Zum Angebot", "View deal")
/// names nothing, but it ends the product box above it and opens nothing: it counts as one
/// under a block that pitches. A label, a related-link line or the heading of
/// the next insert, which speaks of something else, vouches for nothing above it.
fn closing_lines(
    scores: &[f64],
    sentences: &[Sentence],
    context: &Context,
    bias: f64,
) -> Vec<usize> {
    let mut out = vec![0; scores.len()];
    let (mut before, mut start) = (0, 0);
    while start < sentences.len() {
        let end = block_end(sentences, start);
        if start > 0 && end == start + 1 && scores[start] > bias && !context.opens_insert[start] {
            if (before..start).any(|j| context.echo_below_only[j]) {
                out[start] = 2;
            } else if (before..start).any(|j| {
                scores[j] > bias && (context.echo_below[j] > 0 || context.shop_button[start])
            }) {
                out[start] = 1;
            }
        }
        (before, start) = (start, end);
    }
    out
}

/// Groups promo runs into ad spans. A run is cut where a new block opens with a strong opener
/// (a label, a "PS:", a related-link line) or where two blocks sell different things. A label
/// line at which the run ends closes the insert above it ("… Zum Angebot" over "— Anzeige —",
/// a paragraph over "Publi-information"): it discloses that insert and opens none.
pub fn ad_spans(
    text: &str,
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    labels: &[Label],
    rules: &RuleSet,
) -> Vec<AdSpan> {
    let label_line = bare_label_lines(sentences, features, rules);
    let mut ads = Vec::new();
    let mut i = 0;
    while i < labels.len() {
        if labels[i] != Label::Promo {
            i += 1;
            continue;
        }
        let start = i;
        let mut end = i + 1;
        while end < labels.len() && labels[end] == Label::Promo {
            let closes_run = label_line[end] && labels.get(end + 1) != Some(&Label::Promo);
            if sentences[end].block != sentences[end - 1].block
                && !closes_run
                && (starts_new_insert(start, end, sentences, features, rules)
                    || sells_something_else(text, start, end, sentences, features, rules))
            {
                break;
            }
            end += 1;
        }
        ads.push(ad_span(text, start..end, sentences, features, rules));
        i = end;
    }
    ads
}

/// Whether the block that begins at sentence `at`, inside a promo run that began at
/// `run_start`, is a second insert pasted right under the first: it pitches on its own (a
/// sentence above the bias) in at least [`NEW_PITCH_MIN_WORDS`] words; the run above sells
/// one thing by its cues and category hints, the block another, with no cue or hint of the
/// first; and the block above shares with it no word that the rest of the article lacks. One
/// insert in two blocks speaks of one offer in both: its name stands in both (a set-up over its
/// pitch), or the second holds a cue of the first's kind (a forum over its ticket prices). That
/// is why category hints alone, as [`starts_new_insert`] explains, split too much. Only the
/// reported spans part here: the decoder's labels are already set.
fn sells_something_else(
    text: &str,
    run_start: usize,
    at: usize,
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    rules: &RuleSet,
) -> bool {
    let bias = rules.weights().bias;
    let below = at..block_end(sentences, at);
    let words = text[sentences[below.start].span.start..sentences[below.end - 1].span.end]
        .split_whitespace()
        .count();
    if words < NEW_PITCH_MIN_WORDS
        || !features[below.clone()].iter().any(|f| f.score > bias)
        || (run_start..at)
            .rev()
            .take_while(|&k| sentences[k].block == sentences[at - 1].block)
            .any(|k| features[k].echo_below_only)
    {
        return false;
    }
    let hinted_above = hints_in(text, &sentences[run_start..at], rules);
    let Some(above) = dominant_category(&features[run_start..at], rules, &hinted_above) else {
        return false;
    };
    let hinted_below = hints_in(text, &sentences[below.clone()], rules);
    let below_cues = features[below.clone()].iter().flat_map(|f| &f.cues);
    let speaks_of_above = hinted_below.iter().any(|&(c, _)| c == above)
        || below_cues
            .map(|cue| &rules.rules()[cue.rule])
            .any(|rule| rule.speaks_for(above));
    above != Category::SponsoredLabel
        && !speaks_of_above
        && dominant_category(&features[below], rules, &hinted_below)
            .is_some_and(|c| c != Category::SponsoredLabel)
}

/// The fewest words of a block that starts a second insert under a first: a pitch that says
/// what it sells, not a price, code or button line that completes the offer above ("Tickets
/// für 9 Euro, für Abonnenten kostenlos." under a reader forum, "Jetzt 89,99 € statt 139,00 €"
/// under a product name).
const NEW_PITCH_MIN_WORDS: usize = 12;

/// Per sentence: whether it is the first of a block that starts a new insert after the block
/// before it (`starts_new_insert` with the run taken from that block's start).
pub fn opens_new_insert(
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    rules: &RuleSet,
) -> Vec<bool> {
    let mut out = vec![false; sentences.len()];
    let mut start = 0;
    while start < sentences.len() {
        let end = block_end(sentences, start);
        if end < sentences.len() {
            out[end] = starts_new_insert(start, end, sentences, features, rules);
        }
        start = end;
    }
    out
}

/// `binds` (per block: it introduces the next, like a heading) with every line that is an ad
/// label and nothing else ("Sponsored", "Anzeige") or a related-link line unbound (`unbound`,
/// per sentence). Such a label is an insert of its
/// own; what stands under it goes with it only on its own promo evidence, as any paragraph
/// would (or as the set-up of the labelled insert, [`label_scopes`]). Scraped pages keep labels
/// whose ad was not scraped, above the story's next paragraph: bound like a heading, that
/// paragraph went with the label whenever another insert followed it.
fn label_lines_unbound(
    mut binds: Vec<bool>,
    sentences: &[Sentence],
    unbound: &[bool],
) -> Vec<bool> {
    for (sentence, _) in sentences.iter().zip(unbound).filter(|(_, &l)| l) {
        if let Some(b) = binds.get_mut(sentence.block) {
            *b = false;
        }
    }
    binds
}

/// Per sentence: it is a block of its own that fires a strong standalone label cue ("Anzeige",
/// "Sponsored", "Contenido patrocinado").
fn bare_label_lines(
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    rules: &RuleSet,
) -> Vec<bool> {
    let mut out = vec![false; sentences.len()];
    let mut start = 0;
    while start < sentences.len() {
        let end = block_end(sentences, start);
        out[start] = end == start + 1
            && features[start].cues.iter().any(|cue| {
                let rule = &rules.rules()[cue.rule];
                is_standalone_label(rule) && rule.weight >= 1.0
            });
        start = end;
    }
    out
}

/// Whether a rule is a label cue that stands alone on its line ("Anzeige", "Sponsored"): of
/// such a cue, with a weight of 1 or more, is a label line ([`bare_label_lines`]).
fn is_standalone_label(rule: &crate::rules::Rule) -> bool {
    rule.category == Some(Category::SponsoredLabel) && rule.position == Position::Standalone
}

/// Per sentence: whether the decoder may read its echo below
/// ([`SentenceFeatures::echo_below`]), under any weights. It reads it only
///
/// - in a lead-in ([`is_lead_in`]): a block of at most [`LEAD_IN_MAX_SENTENCES`] sentences
///   right above one that pitches;
/// - in a sentence that pitches itself, right above a closing line ([`closing_lines`]): a block
///   of one sentence that pitches;
/// - in the two blocks under a label line ([`label_scopes`]).
///
/// A sentence pitches, under whatever weights, only if it has a cue or a score (the cue of
/// recurring passages adds to the score alone), and a block only if one of its sentences
/// does; a label line is a block of one sentence with a standalone label cue
/// ([`is_standalone_label`]) of some weight. Cleaning searches the block below only for these
/// sentences ([`crate::features::EchoBelow::mark`]): the search took a tenth of a warm
/// article's instructions, and half the blocks of the corpus stand above a block without any
/// cue (or end the article).
pub fn reads_echo_below(
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    rules: &RuleSet,
) -> Vec<bool> {
    let mut blocks = Vec::new();
    let mut start = 0;
    while start < sentences.len() {
        let end = block_end(sentences, start);
        blocks.push(start..end);
        start = end;
    }
    let may_pitch = |j: usize| !features[j].cues.is_empty() || features[j].score != 0.0;
    let may_label = |block: &std::ops::Range<usize>| {
        block.len() == 1
            && features[block.start]
                .cues
                .iter()
                .any(|cue| is_standalone_label(&rules.rules()[cue.rule]))
    };
    let mut out = vec![false; sentences.len()];
    for (k, block) in blocks.iter().enumerate() {
        let labelled = blocks[k.saturating_sub(LABEL_SCOPE_MAX_BLOCKS)..k]
            .iter()
            .any(may_label);
        let below = blocks.get(k + 1).cloned().unwrap_or_default();
        let lead_in = block.len() <= LEAD_IN_MAX_SENTENCES && below.clone().any(may_pitch);
        let over_closing_line = below.len() == 1 && may_pitch(below.start);
        for j in block.clone() {
            out[j] = labelled || lead_in || (over_closing_line && may_pitch(j));
        }
    }
    out
}

/// Whether a sentence fires a strong cue that only stands at the start of a block or alone (a
/// label, a "PS:", a related-link line): it opens an insert of its own.
pub fn has_opener_cue(features: &SentenceFeatures, rules: &RuleSet) -> bool {
    features.cues.iter().any(|cue| {
        let rule = &rules.rules()[cue.rule];
        rule.weight >= 1.0
            && matches!(
                rule.position,
                Position::ParagraphStart | Position::Standalone
            )
    })
}

/// Whether the block that begins at sentence `at` opens a new insert rather than continuing the
/// one that began at `run_start`. Category hints have no say here: letting them tell what each
/// side sells split single inserts whose blocks name two kinds of offer (a reader forum's date
/// and its subscriber price) more often than it parted two inserts (17 → 19 articles off
/// their gold ad count in the corpus), and the decoder asks this too, where hints must not
/// reach.
fn starts_new_insert(
    run_start: usize,
    at: usize,
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    rules: &RuleSet,
) -> bool {
    if has_opener_cue(&features[at], rules) {
        return true;
    }
    let before = dominant_category(&features[run_start..at], rules, &[]);
    let after = dominant_category(&features[at..block_end(sentences, at)], rules, &[]);
    matches!((before, after), (Some(a), Some(b)) if a != b && a != Category::SponsoredLabel)
}

/// The category hints found in `sentences` of `text`: category and strength, once per sentence
/// a hint matches ([`RuleSet::hints_matching`]).
fn hints_in(text: &str, sentences: &[Sentence], rules: &RuleSet) -> Vec<(Category, f64)> {
    let mut found = Vec::new();
    let mut buffers = MatchBuffers::default();
    for s in sentences {
        rules.hints_matching(s.span.of(text), &mut buffers, |h| {
            found.push((h.category, h.strength))
        });
    }
    found
}

/// The category with the largest summed weight among the cues and the hints found (`hinted`),
/// labels counting only when nothing else speaks.
fn dominant_category(
    features: &[SentenceFeatures],
    rules: &RuleSet,
    hinted: &[(Category, f64)],
) -> Option<Category> {
    let mut totals: Vec<(Category, f64)> = Vec::new();
    let mut add =
        |category: Category, weight: f64| match totals.iter_mut().find(|(c, _)| *c == category) {
            Some((_, total)) => *total += weight,
            None => totals.push((category, weight)),
        };
    for f in features {
        for cue in &f.cues {
            let rule = &rules.rules()[cue.rule];
            if let (Some(category), true) = (rule.category, rule.weight > 0.0) {
                add(category, rule.weight);
            }
        }
    }
    for &(category, strength) in hinted {
        add(category, strength);
    }
    let best = |skip_label: bool| {
        totals
            .iter()
            .filter(|(c, _)| !skip_label || *c != Category::SponsoredLabel)
            .fold(None, |best: Option<(Category, f64)>, &(c, w)| match best {
                Some((_, bw)) if bw >= w => best,
                _ => Some((c, w)),
            })
            .map(|(c, _)| c)
    };
    best(true).or_else(|| best(false))
}

fn ad_span(
    text: &str,
    run: std::ops::Range<usize>,
    sentences: &[Sentence],
    features: &[SentenceFeatures],
    rules: &RuleSet,
) -> AdSpan {
    let hinted = hints_in(text, &sentences[run.clone()], rules);
    let bias = rules.weights().bias;
    let margin: f64 = features[run.clone()].iter().map(|f| f.score - bias).sum();
    let mut ids: Vec<String> = Vec::new();
    for f in &features[run.clone()] {
        for cue in &f.cues {
            let rule = &rules.rules()[cue.rule];
            if rule.weight > 0.0 && !ids.contains(&rule.id) {
                ids.push(rule.id.clone());
            }
        }
    }
    AdSpan {
        span: Span::new(
            sentences[run.start].span.start,
            sentences[run.end - 1].span.end,
        ),
        category: dominant_category(&features[run.clone()], rules, &hinted)
            .unwrap_or(Category::Other),
        score: 1.0 / (1.0 + (-margin).exp()),
        rules: ids,
        sentences: run,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sentences::sentences_in;

    /// A rule's roles follow its weight: refitted weights get a table of their own, so a call
    /// to action whose weight turns negative is editorial evidence and calls to nothing.
    #[test]
    fn rule_roles_follow_refitted_weights() {
        let rules = RuleSet::builtin();
        let cta = rules
            .rules()
            .iter()
            .position(|r| r.id == "de.cta.verb_end")
            .expect("a German call to action");
        assert!(rules.label_roles()[cta].contains(RuleRoles::CALL_TO_ACTION));
        assert!(!rules.label_roles()[cta].contains(RuleRoles::EDITORIAL_EVIDENCE));
        let flipped: Vec<f64> = rules.rules().iter().map(|r| -r.weight).collect();
        let refitted = rules.with_weights(&flipped, rules.weights());
        assert!(!refitted.label_roles()[cta].contains(RuleRoles::CALL_TO_ACTION));
        assert!(refitted.label_roles()[cta].contains(RuleRoles::EDITORIAL_EVIDENCE));
        assert!(rules.label_roles()[cta].contains(RuleRoles::CALL_TO_ACTION));
    }

    fn sentence(block: usize) -> Sentence {
        Sentence {
            span: Span::new(0, 0),
            block,
        }
    }

    fn run(scores: &[(usize, f64)]) -> Vec<Label> {
        Case {
            scores,
            ..Case::default()
        }
        .run()
    }

    /// What the decoder is told in a test: each sentence's block and score, and by sentence
    /// index the facts of its context that hold (the rest do not): sharing the article's
    /// vocabulary (`on_topic`), opening a new insert, sharing a long word with the next block
    /// (`echoed_below`), a heading bound to the next block (`binds_to_next`, by block), speaking
    /// as the publisher, sharing with the next block a word no other block uses (`only_below`),
    /// calling to action, handing over to an offer, fine print, posing the reader's problem,
    /// naming no offer (`plain`), hooks and editorial evidence.
    #[derive(Default)]
    struct Case<'a> {
        scores: &'a [(usize, f64)],
        on_topic: &'a [usize],
        opens_insert: &'a [usize],
        echoed_below: &'a [usize],
        binds_to_next: &'a [bool],
        publisher_voice: &'a [usize],
        only_below: &'a [usize],
        call_to_action: &'a [usize],
        hands_over: &'a [usize],
        fine_print: &'a [usize],
        poses_problem: &'a [usize],
        plain: &'a [usize],
        hook: &'a [usize],
        editorial_evidence: &'a [usize],
        related: &'a [usize],
        headline: &'a [usize],
        /// (a sentence that brings a name in, a later one of its block that names it again).
        named_again: &'a [(usize, usize)],
        /// Sentences whose only cue against promo finds them summing the story up.
        sums_up: &'a [usize],
    }

    impl Case<'_> {
        fn run(&self) -> Vec<Label> {
            let Case {
                scores,
                on_topic,
                opens_insert,
                echoed_below,
                binds_to_next,
                publisher_voice,
                only_below,
                call_to_action,
                hands_over,
                fine_print,
                poses_problem,
                plain,
                hook,
                editorial_evidence,
                related,
                headline,
                named_again,
                sums_up,
            } = *self;
            let sentences: Vec<_> = scores.iter().map(|&(b, _)| sentence(b)).collect();
            let scores: Vec<f64> = scores.iter().map(|&(_, score)| score).collect();
            let weights = Weights {
                bias: 0.5,
                switch_in_paragraph: 0.45,
                switch_between_paragraphs: 0.05,
                switch_after_heading: 0.8,
                paragraph_support: 0.3,
                glued_run_continues: 1.5,
                absorbed_run_ends: 0.5,
                repeated_passage: 0.6,
            };
            let flags = |at: &[usize]| {
                (0..scores.len())
                    .map(|i| at.contains(&i))
                    .collect::<Vec<_>>()
            };
            let context = Context {
                binds_to_next: binds_to_next.to_vec(),
                on_topic: flags(on_topic),
                opens_insert: flags(opens_insert),
                editorial_evidence: (0..scores.len())
                    .map(|i| editorial_evidence.contains(&i) || sums_up.contains(&i))
                    .collect(),
                reports: flags(editorial_evidence),
                echo_below: (0..scores.len())
                    .map(|i| if echoed_below.contains(&i) { 8 } else { 0 })
                    .collect::<Vec<_>>(),
                echo_below_only: flags(only_below),
                names_below_only: flags(only_below),
                named_again_at: (0..scores.len())
                    .map(|k| {
                        named_again
                            .iter()
                            .find(|&&(at, _)| at == k)
                            .map(|&(_, i)| i)
                    })
                    .collect(),
                quotes_speech: flags(&[]),
                opener_cue: flags(opens_insert),
                label_line: flags(&[]),
                publisher_voice: flags(publisher_voice),
                appeals: flags(&[]),
                call_to_action: flags(call_to_action),
                shop_button: flags(&[]),
                hands_over: flags(hands_over),
                poses_problem: flags(poses_problem),
                fine_print: flags(fine_print),
                names_offer: (0..scores.len())
                    .map(|i| !plain.contains(&i))
                    .collect::<Vec<_>>(),
                hook: flags(hook),
                switches_language: flags(&[]),
                states_facts_only: flags(&[]),
                names_business: flags(&[]),
                entry: Vec::new(),
                continues_above: flags(&[]),
                offers_readers: flags(&[]),
                states_terms: flags(&[]),
                related: flags(related),
                headline: flags(headline),
            };
            decode(&scores, &sentences, &context, weights)
        }
    }

    #[test]
    fn an_offer_to_readers_takes_the_paragraph_that_introduced_its_company() {
        use Label::{Editorial as E, Promo as P};
        // Blocks: a story paragraph, the company's introduction (two sentences, the second
        // naming it), its offer to readers (one sentence), a story paragraph.
        let blocks = [0, 1, 1, 2, 3];
        let sentences = sentences_in(&blocks);
        let scores = [0.0, 0.0, 0.1, 0.9, 0.0];
        let flags = |at: &[usize]| (0..5).map(|i| at.contains(&i)).collect::<Vec<_>>();
        // Where the introduction shares with the offer a word no other block uses, where that
        // word is a name, where it reports someone, where it quotes someone.
        let facts =
            |only_below: &[usize], named: &[usize], reports: &[usize], quoted: &[usize]| Context {
                offers_readers: flags(&[3]),
                echo_below_only: flags(only_below),
                names_below_only: flags(named),
                editorial_evidence: flags(reports),
                quotes_speech: flags(quoted),
                opener_cue: flags(&[]),
                ..Context::default()
            };
        let context = |named: &[usize], quoted: &[usize]| facts(named, named, &[], quoted);
        let decode = |context: &Context| {
            let mut labels = [E; 5];
            introduced_offers(&mut labels, &scores, &sentences, context, 0.5);
            labels
        };
        assert_eq!(decode(&context(&[2], &[])), [E, P, P, P, E]);
        // Named elsewhere too, or quoting someone: a story paragraph, which stays.
        assert_eq!(decode(&context(&[], &[])), [E, E, E, P, E]);
        assert_eq!(decode(&context(&[2], &[1])), [E, E, E, P, E]);
        // Reporting someone ("Selon son fondateur …"), it goes when it names the company, and
        // stays when it shares a mere word with the offer ("caused").
        assert_eq!(decode(&facts(&[2], &[2], &[1], &[])), [E, P, P, P, E]);
        assert_eq!(decode(&facts(&[2], &[], &[1], &[])), [E, E, E, P, E]);
        assert_eq!(decode(&facts(&[2], &[], &[], &[])), [E, P, P, P, E]);
        // In a liveblog, the paragraph above is another entry: the desk's own post.
        let entries = Context {
            entry: vec![Some(0), Some(1), Some(1), Some(3), Some(4)],
            ..context(&[2], &[])
        };
        assert_eq!(decode(&entries), [E, E, E, P, E]);
    }

    #[test]
    fn a_run_that_only_tells_of_an_app_business_stays() {
        use Label::{Editorial as E, Promo as P};
        let flags = |at: &[usize]| (0..4).map(|i| at.contains(&i)).collect::<Vec<_>>();
        // Sentences that name the app or subscription, and those that state facts only besides.
        let context = |business: &[usize], plain: &[usize]| Context {
            names_business: flags(business),
            states_facts_only: (0..4)
                .map(|i| business.contains(&i) || plain.contains(&i))
                .collect(),
            ..Context::default()
        };
        let report = |context: &Context| {
            let mut labels = [E, P, P, E];
            business_reports(&mut labels, context);
            labels
        };
        // "La aplicación se descarga gratis …" and "… 7,99 euros al mes": facts of a business.
        assert_eq!(report(&context(&[1], &[2])), [E, E, E, E]);
        // A run with a sentence that addresses the reader ("Descárgala gratis") sells.
        assert_eq!(report(&context(&[1], &[])), [E, P, P, E]);
        // Plain facts alone (a price, "free") name no business: the run stays promo.
        assert_eq!(report(&context(&[], &[1, 2])), [E, P, P, E]);
    }

    #[test]
    fn a_heading_whose_section_keeps_text_stays() {
        use Label::{Editorial as E, Promo as P};
        // Blocks: a heading, a product box, the story's paragraph, a heading, a paragraph.
        let blocks = [0, 1, 2, 3, 4];
        let sentences = sentences_in(&blocks);
        let context = Context {
            binds_to_next: vec![true, false, false, true, false],
            ..Context::default()
        };
        let keep = |scores: &[f64], labels: [Label; 5]| {
            let mut labels = labels;
            headings_over_kept_text(&mut labels, scores, &sentences, &context);
            labels
        };
        let neutral = [0.0, 0.9, 0.0, 0.0, 0.0];
        assert_eq!(keep(&neutral, [P, P, E, E, E]), [E, P, E, E, E]);
        // Its whole section went: the heading goes with it, as does one that pitches itself.
        assert_eq!(keep(&neutral, [P, P, P, E, E]), [P, P, P, E, E]);
        let pitching = [0.4, 0.9, 0.0, 0.0, 0.0];
        assert_eq!(keep(&pitching, [P, P, E, E, E]), [P, P, E, E, E]);
    }

    #[test]
    fn a_liveblog_entry_with_a_promo_run_goes_whole() {
        use Label::{Editorial as E, Promo as P};
        let context = |quoted: &[usize], reports: &[usize]| Context {
            entry: vec![Some(0), Some(0), Some(2), Some(2), Some(2), None],
            quotes_speech: (0..6).map(|i| quoted.contains(&i)).collect(),
            editorial_evidence: (0..6).map(|i| reports.contains(&i)).collect(),
            ..Context::default()
        };
        // Entry 0: two one-line blocks; entry 2: its timestamp line, then a paragraph.
        let sentences = sentences_in(&[0, 1, 2, 3, 3, 4]);
        let whole = |context: &Context| {
            let mut labels = [E, P, E, E, P, P];
            whole_entries(&mut labels, &sentences, context);
            labels
        };
        assert_eq!(whole(&context(&[], &[])), [P, P, P, P, P, P]);
        // An entry that quotes or reports someone before its run is news with a pitch glued to
        // its end: only the run goes. A quote after the run's start changes nothing.
        assert_eq!(whole(&context(&[3], &[])), [P, P, E, E, P, P]);
        assert_eq!(whole(&context(&[], &[2])), [P, P, E, E, P, P]);
        assert_eq!(whole(&context(&[1], &[])), [P, P, P, P, P, P]);
        // An entry that tells three sentences of news before its run keeps them; its
        // timestamp line is not one of them.
        let news = Context {
            entry: vec![Some(0); 5],
            quotes_speech: vec![false; 5],
            editorial_evidence: vec![false; 5],
            ..Context::default()
        };
        let told = |mut labels: [Label; 5]| {
            whole_entries(&mut labels, &sentences_in(&[0, 1, 1, 1, 1]), &news);
            labels
        };
        assert_eq!(told([E, E, E, E, P]), [E, E, E, E, P]);
        assert_eq!(told([E, E, E, P, P]), [P, P, P, P, P]);
    }

    use Label::{Editorial as E, Promo as P};

    #[test]
    fn a_neutral_opener_goes_with_its_ad_paragraph() {
        assert_eq!(
            run(&[
                (0, 0.0),
                (0, 0.0),
                (1, 0.0),
                (1, 1.0),
                (1, 0.8),
                (1, 1.5),
                (2, 0.0)
            ]),
            [E, E, P, P, P, P, E]
        );
    }

    #[test]
    fn two_story_sentences_before_a_glued_hook_and_pitch_stay() {
        // A match report's paragraph with a betting note glued to its end that opens with a
        // hook ("¿Crees que …?"): the note is an insert of its own, not the end of an
        // advertorial that the paragraph set up.
        let paragraph = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.8),
            (1, 1.5),
            (1, 0.8),
            (1, 0.8),
            (2, 0.0),
        ];
        assert_eq!(
            Case {
                scores: &paragraph,
                on_topic: &[1, 2],
                hook: &[3],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, P, P, P, E]
        );
        // Off the story's topic, or with a cue of their own, they are the insert's opening.
        assert_eq!(run(&paragraph), [E, P, P, P, P, P, P, E]);
        let mut leaning = paragraph;
        leaning[2].1 = 0.2;
        assert_eq!(
            Case {
                scores: &leaning,
                on_topic: &[1, 2],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, P, P, E]
        );
    }

    #[test]
    fn a_neutral_sentence_before_a_single_glued_pitch_stays() {
        assert_eq!(run(&[(0, 0.0), (1, 0.0), (1, 2.0), (2, 0.0)]), [E, E, P, E]);
    }

    #[test]
    fn one_cue_inside_an_editorial_paragraph_does_not_flip_it() {
        assert_eq!(run(&[(0, 0.0), (0, 0.9), (0, 0.0)]), [E, E, E]);
    }

    #[test]
    fn a_strong_sentence_glued_to_the_end_of_a_paragraph_is_cut_alone() {
        assert_eq!(run(&[(0, 0.0), (0, 0.0), (0, 2.0), (1, 0.0)]), [E, E, P, E]);
    }

    #[test]
    fn the_sentence_after_a_pitch_glued_into_the_last_paragraph_stays() {
        // Leaning promo a little (a "free" in the story) is not enough to go with the pitch
        // because the article ends after it; a pitch that ends the article is cut alone.
        assert_eq!(
            run(&[(0, 0.0), (1, 0.0), (1, 0.0), (1, 2.0), (1, 0.4)]),
            [E, E, E, P, E]
        );
        assert_eq!(run(&[(0, 0.0), (1, 0.0), (1, 0.0), (1, 2.0)]), [E, E, E, P]);
    }

    #[test]
    fn a_run_that_starts_mid_paragraph_and_goes_on_takes_the_whole_paragraph() {
        assert_eq!(
            run(&[
                (0, 0.0),
                (1, 0.0),
                (1, 0.0),
                (1, 1.2),
                (1, 0.9),
                (2, 3.0),
                (3, 0.0)
            ]),
            [E, P, P, P, P, P, E]
        );
    }

    #[test]
    fn a_bare_label_does_not_take_the_story_paragraph_under_it() {
        let rules = RuleSet::builtin();
        let story = "Rescue crews pulled four drivers from stranded cars near Millbrook, according to the county fire service.";
        let article = |under_label: &str| {
            format!(
                "Flooding closes roads across three counties\n\n\
                 Heavy rain closed dozens of roads across three counties on Tuesday, the highway agency said.\n\n\
                 Sponsored\n\n{under_label}\n\n\
                 Read more: How to prepare your home for a flood\n\n\
                 The agency expects most roads to reopen by Thursday.\n"
            )
        };
        let cleaned = crate::article::clean(&article(story), &rules).clean_text;
        assert!(cleaned.contains(story), "{cleaned}");
        assert!(!cleaned.contains("Sponsored"), "{cleaned}");
        // A pitch under the label still goes with it.
        let pitch = "Open a free account with Fenwick Invest today and trade without fees for six months. Sign up now";
        let cleaned = crate::article::clean(&article(pitch), &rules).clean_text;
        assert!(!cleaned.contains("Fenwick"), "{cleaned}");
    }

    #[test]
    fn a_label_takes_the_set_up_of_the_insert_under_it() {
        let rules = RuleSet::builtin();
        let article = |second: &str| {
            format!(
                "Police warn of fake parcel texts\n\n\
                 Police warned on Monday of a wave of fake text messages that claim a parcel is held at customs.\n\n\
                 Sponsored content\n\n\
                 Millions of scam messages reach British phones every week, and one careless tap can hand criminals your banking details.\n\n\
                 {second}\n\n\
                 Download Shieldly free and get 30 days of Premium protection.\n\n\
                 Officers said more than 2,000 people had reported the messages since October.\n"
            )
        };
        // The set-up leads to the product, which the call to action names.
        let set_up =
            "Shieldly, an app made in Leeds, checks every link in your messages before it opens.";
        let cleaned = crate::article::clean(&article(set_up), &rules).clean_text;
        assert!(!cleaned.contains("Millions of scam"), "{cleaned}");
        assert!(!cleaned.contains("Leeds"), "{cleaned}");
        assert!(cleaned.contains("Officers said"), "{cleaned}");
        // Reported speech under the label is the story's: the label's ad was not scraped.
        let story = "Banks refunded most victims, a spokesman for the industry body said.";
        let cleaned = crate::article::clean(&article(story), &rules).clean_text;
        assert!(cleaned.contains("Millions of scam"), "{cleaned}");
        assert!(cleaned.contains(story), "{cleaned}");
    }

    /// The blocks under a label line are the labelled insert's set-up when each shares a word
    /// with the block below it, whether or not that block has a cue of its own: cleaning finds
    /// the echo below of the first though the block under it has none ([`reads_echo_below`]).
    #[test]
    fn the_set_up_under_a_label_shares_a_word_with_a_block_without_cues() {
        let rules = RuleSet::builtin();
        let text = "Police warn of fake parcel texts\n\n\
                    Police warned on Monday of a wave of fake text messages that claim a parcel is held at customs.\n\n\
                    Sponsored content\n\n\
                    Millions of scam messages reach British phones every week.\n\n\
                    The messages copy the logos of couriers and link to pages that steal banking details.\n\n\
                    Download Shieldly free and get 30 days of Premium protection for your banking.\n\n\
                    Officers said more than 2,000 people had reported the messages since October.\n";
        let article = crate::article::clean(text, &rules);
        let features = &article.features;
        // "Millions of scam messages …" and the block under it fire no cue.
        assert!(features[2].cues.is_empty() && features[3].cues.is_empty());
        assert!(
            features[2].echo_below >= LEAD_IN_ECHO_MIN_CHARS,
            "{features:?}"
        );
        let scores: Vec<f64> = features.iter().map(|f| f.score).collect();
        let context = Context::new(&article.structure, &article.sentences, features, &rules);
        let margins = emissions(&scores, &article.sentences, &context, rules.weights());
        // The label and the pitch vouch for it.
        assert!(margins[2] > 0.0, "{margins:?}");
    }

    #[test]
    fn a_heading_goes_with_the_publisher_box_under_it() {
        let rules = RuleSet::builtin();
        let article = |body: &str| {
            format!(
                "Council approves new tram line\n\n\
                 The city council approved a new tram line to the airport on Tuesday, the transport department said.\n\n\
                 Meet the people who plan the city of tomorrow\n\n\
                 {body}\n\n\
                 Early-bird tickets cost £45 until April, then prices rise to £65.\n\n\
                 Book your ticket now at cityfutures.com\n\n\
                 What happens next\n\n\
                 Construction is expected to start in 2027, according to the transport department.\n"
            )
        };
        let box_body = "Transport planners will join 40 other speakers at our City Futures Forum on 3 May. Two days of talks and workshops on housing and transport.";
        let cleaned = crate::article::clean(&article(box_body), &rules).clean_text;
        assert!(!cleaned.contains("Meet the people"), "{cleaned}");
        assert!(!cleaned.contains("Transport planners"), "{cleaned}");
        assert!(cleaned.contains("What happens next"), "{cleaned}");
        // A section of the story whose paragraph quotes someone stays.
        let story = "Transport planners will present the route at a public meeting on 3 May. \"We want to hear from everyone,\" the project lead said.";
        let cleaned = crate::article::clean(&article(story), &rules).clean_text;
        assert!(cleaned.contains("Meet the people"), "{cleaned}");
        assert!(cleaned.contains("public meeting"), "{cleaned}");
    }

    #[test]
    fn a_heading_that_offers_the_publisher_s_own_trip_pitches_for_its_box() {
        let rules = RuleSet::builtin();
        let text = "Schulbusse fallen aus\n\n\
                    Im Kreis fallen seit Wochen Schulbusse aus, weil Fahrer fehlen, teilte der Kreis mit.\n\n\
                    Leserreise: Adventszauber in Lübeck\n\n\
                    Vom 12. bis 14. Dezember mit dem Reisebus, zwei Übernachtungen im Hotel an der Trave. Ab 389 Euro pro Person im Doppelzimmer.\n\n\
                    Jetzt Restplätze sichern: Telefon 05231 911-400\n\n\
                    Eltern starten Petition\n\n\
                    Eine Elterninitiative hat mehr als 1.400 Unterschriften gesammelt, sagte ihre Sprecherin.\n";
        let cleaned = crate::article::clean(text, &rules).clean_text;
        assert!(!cleaned.contains("Adventszauber"), "{cleaned}");
        assert!(!cleaned.contains("Reisebus"), "{cleaned}");
        assert!(!cleaned.contains("Restplätze"), "{cleaned}");
        assert!(cleaned.contains("Eltern starten Petition"), "{cleaned}");
        assert!(cleaned.contains("Schulbusse aus"), "{cleaned}");
    }

    #[test]
    fn the_publisher_offering_its_own_event_pitches_for_its_paragraph() {
        // A hook question and the publisher's own event, each below the bias, then a price.
        let article = [(0, 0.0), (1, 0.3), (1, 0.3), (1, 0.9), (2, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                publisher_voice: &[1, 2],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, E]
        );
        // The same weak cues of another kind leave the paragraph to the story.
        assert_eq!(run(&article), [E, E, E, E, E]);
    }

    #[test]
    fn a_shop_button_closes_the_product_box_above_it() {
        let rules = RuleSet::builtin();
        let article = |button: &str| {
            format!(
                "Schmoren im Winter: Was ein guter Topf können muss\n\n\
                 Der Winter ist Schmorzeit, sagen Köche, und der Topf entscheidet über das Ergebnis.\n\n\
                 Unser Favorit: Der Bräter „Kasserolle Pro“ hält die Wärme gleichmäßig und schließt dicht. \
                 Statt 129 Euro gerade für 89 Euro erhältlich.\n\n\
                 {button}\n\n\
                 Wer schmort, braucht vor allem Geduld, sagt der Koch Anton Maier.\n"
            )
        };
        let cleaned = crate::article::clean(&article("Zum Angebot"), &rules).clean_text;
        assert!(!cleaned.contains("Kasserolle Pro"), "{cleaned}");
        assert!(!cleaned.contains("Zum Angebot"), "{cleaned}");
        assert!(cleaned.contains("Der Winter ist Schmorzeit"), "{cleaned}");
        assert!(cleaned.contains("Wer schmort"), "{cleaned}");
        // Under a line that is no button, the box's weak first sentence stays.
        let cleaned = crate::article::clean(&article("Zubehör und Pflege"), &rules).clean_text;
        assert!(cleaned.contains("Kasserolle Pro"), "{cleaned}");
    }

    #[test]
    fn an_appeal_pasted_between_a_heading_and_its_paragraph_goes_without_the_heading() {
        let rules = RuleSet::builtin();
        let cleaned = crate::article::clean(
            "Kreistag beschließt Haushalt für 2027\n\n\
             Der Kreistag hat am Montag den Haushalt für das kommende Jahr beschlossen, teilte das Landratsamt mit.\n\n\
             Zinsen belasten den Kreis\n\n\
             Diese Berichterstattung entsteht nur, weil Leserinnen und Leser sie bezahlen. \
             Unterstützen Sie unsere Arbeit – schon ab 5 Euro im Monat.\n\n\
             Der Kreis muss im kommenden Jahr vier Millionen Euro an Zinsen zahlen, sagte der Kämmerer.\n",
            &rules,
        )
        .clean_text;
        assert!(!cleaned.contains("Berichterstattung entsteht"), "{cleaned}");
        assert!(!cleaned.contains("Spende"), "{cleaned}");
        assert!(cleaned.contains("Zinsen belasten den Kreis"), "{cleaned}");
        assert!(cleaned.contains("Der Kreis muss"), "{cleaned}");
    }

    #[test]
    fn a_call_to_action_that_names_what_only_its_paragraph_names_takes_it_and_its_heading() {
        let rules = RuleSet::builtin();
        let article = |call: &str| {
            format!(
                "Port authority approves harbour dredging\n\n\
                 The port authority approved a plan on Monday to dredge the harbour's main channel, the board said on Monday.\n\n\
                 Dredging of the channel will begin in May and take about six months, according to the port authority.\n\n\
                 Why savers are turning to fixed-rate accounts\n\n\
                 Interest rates have been falling for a year, and many households are looking for a safe return. \
                 Harbourline Bank pays 4.1% a year on its one-year fixed deposit. \
                 New customers who sign up this month get a $50 welcome bonus.\n\n\
                 {call}\n\n\
                 The dredging work on the channel is expected to cost $40 million, the port authority said.\n"
            )
        };
        // "Harbourline" stands in the paragraph and the line under it and nowhere else.
        let cleaned = crate::article::clean(
            &article("Open your Harbourline account in five minutes →"),
            &rules,
        )
        .clean_text;
        for gone in ["Why savers", "Interest rates", "Harbourline"] {
            assert!(!cleaned.contains(gone), "{gone}: {cleaned}");
        }
        assert!(cleaned.contains("The dredging work"), "{cleaned}");
        // A call to action that names nothing of it leaves the set-up and the heading.
        let cleaned =
            crate::article::clean(&article("Open your account in five minutes →"), &rules)
                .clean_text;
        assert!(cleaned.contains("Why savers"), "{cleaned}");
        assert!(cleaned.contains("Interest rates"), "{cleaned}");
        assert!(!cleaned.contains("Open your account"), "{cleaned}");
    }

    #[test]
    fn a_set_up_that_shares_a_word_of_its_own_with_a_pitch_paragraph_goes_with_it() {
        // Two neutral sentences, then a paragraph that pitches twice.
        let article = [(0, 0.0), (1, 0.0), (1, 0.0), (2, 1.0), (2, 1.0), (3, 0.0)];
        // Sharing a long word with it, the set-up is one pitching neighbour: not enough.
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, P, E]
        );
        // Sharing a word that no other block uses, it is the insert's own set-up.
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[2],
                only_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, E]
        );
        // Not when one of its sentences speaks against promo, whatever its score adds up to
        // (a public body named as the provider).
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[2],
                only_below: &[2],
                editorial_evidence: &[1],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, P, E]
        );
        // Not above a pitch that stands alone.
        let once = [(0, 0.0), (1, 0.0), (1, 0.0), (2, 2.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &once,
                echoed_below: &[2],
                only_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, E]
        );
    }

    #[test]
    fn a_short_set_up_over_a_call_to_action_that_names_it_goes_with_it() {
        // Two neutral sentences, then a one-line call to action naming what only they name
        // ("… a new report … sets out …" over "Download the free report today").
        let article = [(0, 0.0), (1, 0.0), (1, 0.0), (2, 2.0), (3, 0.0)];
        let with = |call: &[usize]| {
            Case {
                scores: &article,
                echoed_below: &[2],
                only_below: &[2],
                call_to_action: call,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[3]), [E, P, P, P, E]);
        // A pitch that only states its offer leaves the paragraph above alone.
        assert_eq!(with(&[]), [E, E, E, P, E]);
        // So does a set-up of three sentences.
        let long = [(0, 0.0), (1, 0.0), (1, 0.0), (1, 0.0), (2, 2.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &long,
                echoed_below: &[3],
                only_below: &[3],
                call_to_action: &[4],
                ..Case::default()
            }
            .run(),
            [E, E, E, E, P, E]
        );
    }

    #[test]
    fn a_paragraph_that_leans_promo_throughout_to_its_call_to_action_goes_whole() {
        // A story paragraph, then one whose three sentences each carry a weak cue for promo and
        // whose last calls to action and pitches: the three go together.
        let scores = [(0, -0.4), (1, 0.2), (1, 0.25), (1, 1.05), (2, -0.4)];
        let with = |evidence: &[usize]| {
            Case {
                scores: &scores,
                call_to_action: &[3],
                editorial_evidence: evidence,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[]), [E, P, P, P, E]);
        // A sentence that speaks against promo makes it a story's paragraph with a pitch glued
        // to its end.
        assert_eq!(with(&[1]), [E, E, E, P, E]);
        // So does a sentence without any cue for promo.
        let plain = [(0, -0.4), (1, 0.0), (1, 0.25), (1, 1.05), (2, -0.4)];
        assert_eq!(
            Case {
                scores: &plain,
                call_to_action: &[3],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, E]
        );
    }

    #[test]
    fn ties_stay_editorial() {
        assert_eq!(run(&[(0, 0.5)]), [E]);
    }

    #[test]
    fn of_two_equally_likely_runs_the_shorter_wins() {
        // Taking the opener from the block start costs what it gains: the pitch goes alone.
        assert_eq!(run(&[(0, 0.0), (1, 0.1), (1, 2.0), (2, 0.0)]), [E, E, P, E]);
        // A little more for the opener and the whole paragraph goes.
        assert_eq!(
            run(&[(0, 0.0), (1, 0.12), (1, 2.0), (2, 0.0)]),
            [E, P, P, E]
        );
    }

    #[test]
    fn a_story_sentence_before_one_pitch_at_the_end_of_its_paragraph_stays() {
        let article = [(0, 0.0), (1, 0.3), (1, 2.0), (2, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                on_topic: &[1],
                ..Case::default()
            }
            .run(),
            [E, E, P, E]
        );
        // Off the article's topic it is the pitch's opener ("ReelWire is reader-funded.").
        assert_eq!(run(&article), [E, P, P, E]);
    }

    #[test]
    fn a_story_sentence_goes_with_a_pitch_that_goes_on_into_the_next_block() {
        assert_eq!(
            Case {
                scores: &[(0, 0.0), (1, 0.3), (1, 2.0), (2, 2.0), (3, 0.0)],
                on_topic: &[1],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, E]
        );
    }

    #[test]
    fn a_glued_pitch_before_a_new_insert_leaves_the_paragraph_opening() {
        let article = [(0, 0.0), (1, 0.0), (1, 1.5), (2, 2.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                opens_insert: &[3],
                ..Case::default()
            }
            .run(),
            [E, E, P, P, E]
        );
        // The same pitch going on into a block that continues it takes the paragraph.
        assert_eq!(run(&article), [E, P, P, P, E]);
    }

    #[test]
    fn a_call_to_action_that_names_the_pitch_takes_the_pitch_paragraph_along() {
        // A paragraph that sets a problem up in two neutral sentences and pitches in its last,
        // then a one-line call to action.
        let article = [(0, 0.0), (1, 0.0), (1, 0.0), (1, 1.2), (2, 1.5), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[3],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, E]
        );
        // A line that names nothing of the pitch (the next insert's heading) vouches for
        // nothing: the paragraph stays.
        assert_eq!(run(&article), [E, E, E, E, P, E]);
    }

    #[test]
    fn a_story_paragraph_between_a_button_and_the_next_insert_stays() {
        // A product paragraph that pitches twice, its button, one story sentence, an app pitch.
        let article = [
            (0, 0.0),
            (1, 1.0),
            (1, 1.1),
            (2, 1.2),
            (3, 0.0),
            (4, 1.6),
            (5, 0.0),
        ];
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, E, P, E]
        );
        // A block that pitches right under the button goes on with the run.
        let back_to_back = [(0, 0.0), (1, 1.0), (1, 1.1), (2, 1.2), (3, 1.6), (4, 0.0)];
        assert_eq!(
            Case {
                scores: &back_to_back,
                echoed_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, E]
        );
    }

    #[test]
    fn a_closing_line_laid_out_as_a_heading_does_not_bind_to_the_paragraph_below() {
        // The call to action stands on its own line above the next editorial paragraph, so the
        // layout makes it a heading of that paragraph.
        let article = [(0, 0.0), (1, 0.0), (1, 0.0), (1, 1.2), (2, 1.2), (3, 0.0)];
        let binds = [false, false, true, false];
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[3],
                binds_to_next: &binds,
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, E]
        );
        // A line that names nothing of the pitch above is the paragraph's heading and stays
        // with it; the pitch is cut alone.
        assert_eq!(
            Case {
                scores: &article,
                binds_to_next: &binds,
                ..Case::default()
            }
            .run(),
            [E, E, E, P, E, E]
        );
    }

    #[test]
    fn a_set_up_paragraph_that_the_pitch_below_takes_up_goes_with_it() {
        // A short paragraph with a weak cue or two, then a paragraph that pitches twice.
        let article = [(0, 0.0), (1, 0.3), (1, 0.2), (2, 1.0), (2, 1.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, E]
        );
        // The pitch names nothing of it: it stays.
        assert_eq!(run(&article), [E, E, E, P, P, E]);
        // Reported speech (a score below zero) keeps it with the story.
        let reported = [(0, 0.0), (1, 0.3), (1, -0.1), (2, 1.0), (2, 1.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &reported,
                echoed_below: &[2],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, P, E]
        );
    }

    #[test]
    fn a_set_up_before_a_hand_over_in_its_own_paragraph_goes_with_it() {
        // Three neutral sentences, then one that hands over to an offer, then a further pitch.
        let article = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.9),
            (1, 1.5),
            (2, 0.0),
        ];
        // The pitch opens without naming an offer ("Genau hier setzt … an"), so only the
        // hand-over takes the set-up along (one that names an offer and closes the paragraph
        // takes it anyway: `a_closing_pitch_that_names_its_offer_takes_its_set_up`).
        let with = |hands_over: &[usize]| {
            Case {
                scores: &article,
                hands_over,
                plain: &[4],
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[4]), [E, P, P, P, P, P, E]);
        // Without the hand-over the set-up stays with the story.
        assert_eq!(with(&[]), [E, E, E, E, P, P, E]);
        // Four sentences before it, or one that speaks against promo, stay.
        let long = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.2),
            (1, 0.9),
            (1, 1.5),
        ];
        assert_eq!(
            Case {
                scores: &long,
                hands_over: &[5],
                ..Case::default()
            }
            .run(),
            [E, E, E, E, E, P, P]
        );
        let reported = [(0, 0.0), (1, -0.4), (1, 0.0), (1, 0.0), (1, 0.9), (1, 1.5)];
        assert_eq!(
            Case {
                scores: &reported,
                hands_over: &[4],
                ..Case::default()
            }
            .run(),
            [E, E, E, E, P, P]
        );
    }

    #[test]
    fn a_set_up_paragraph_goes_with_a_hand_over_that_the_next_sentence_pitches_for() {
        // A story paragraph, a set-up paragraph, then "For them, a lifetime mortgage can be
        // the answer." (a hand-over that does not pitch itself), the broker's pitch and its call.
        let article = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (2, 0.35),
            (2, 1.2),
            (2, 1.5),
            (3, 0.0),
        ];
        let with = |hands_over: &[usize]| {
            Case {
                scores: &article,
                hands_over,
                plain: &[3],
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[3]), [E, P, P, P, P, P, E]);
        assert_eq!(with(&[]), [E, E, E, P, P, P, E]);
    }

    #[test]
    fn the_headlines_under_a_related_link_line_go_with_it() {
        // A story paragraph, "More from our oceans desk:", three headlines, the story again.
        let article = [(0, 0.0), (1, 2.0), (2, 0.0), (3, 0.0), (4, 0.0), (5, 0.0)];
        let with = |related: &[usize], binds_to_next: &[bool], on_topic: &[usize]| {
            Case {
                scores: &article,
                related,
                headline: &[2, 3, 4],
                binds_to_next,
                on_topic,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[1], &[], &[]), [E, P, P, P, P, E]);
        // Without the related-link line they are the story's.
        assert_eq!(with(&[], &[], &[]), [E, P, E, E, E, E]);
        // A headline on the story's topic over its paragraph is the story's heading, and ends
        // the list; one off the topic is the list's last item.
        let heading = [false, false, false, false, true, false];
        assert_eq!(with(&[1], &heading, &[4]), [E, P, P, P, E, E]);
        assert_eq!(with(&[1], &heading, &[]), [E, P, P, P, P, E]);
        // A headline that sums the story up is still an item; one that reports someone ends
        // the list.
        let with_evidence = |sums_up: &[usize], editorial_evidence: &[usize]| {
            Case {
                scores: &article,
                related: &[1],
                headline: &[2, 3, 4],
                sums_up,
                editorial_evidence,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with_evidence(&[3], &[]), [E, P, P, P, P, E]);
        assert_eq!(with_evidence(&[], &[3]), [E, P, P, E, E, E]);
    }

    #[test]
    fn a_closing_pitch_that_names_its_offer_takes_its_set_up() {
        // Two story-like sentences, then a pitch that names its offer and a call to action,
        // closing the paragraph.
        let article = [(0, 0.0), (1, 0.0), (1, 0.0), (1, 0.9), (1, 1.5), (2, 0.0)];
        let with =
            |scores: &[(usize, f64)], on_topic: &[usize], hook: &[usize], plain: &[usize]| {
                Case {
                    scores,
                    on_topic,
                    hook,
                    plain,
                    ..Case::default()
                }
                .run()
            };
        assert_eq!(with(&article, &[1, 2], &[], &[]), [E, P, P, P, P, E]);
        // A pitch that opens with a hook, or names no offer, is glued to the story's
        // paragraph; so is one sentence alone.
        assert_eq!(with(&article, &[1, 2], &[3], &[]), [E, E, E, P, P, E]);
        assert_eq!(with(&article, &[1, 2], &[], &[3]), [E, E, E, P, P, E]);
        let single = [(0, 0.0), (1, 0.0), (1, 0.0), (1, 2.0), (2, 0.0)];
        assert_eq!(with(&single, &[1, 2], &[], &[]), [E, E, E, P, E]);
        // One that opens with an insert's own opener ("Gewinnspiel: …") is an insert of its own.
        let opened = Case {
            scores: &article,
            on_topic: &[1, 2],
            opens_insert: &[3],
            ..Case::default()
        }
        .run();
        assert_eq!(opened, [E, E, E, P, P, E]);
        // A set-up sentence that speaks against promo, or four of them, stay.
        let mut reported = article;
        reported[2].1 = -0.4;
        assert_eq!(with(&reported, &[1, 2], &[], &[]), [E, E, E, P, P, E]);
        let long = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.9),
            (1, 1.5),
        ];
        assert_eq!(with(&long, &[1, 2, 3, 4], &[], &[]), [E, E, E, E, E, P, P]);
    }

    #[test]
    fn a_paragraph_that_brings_in_the_seller_its_call_to_action_names_goes_whole() {
        // Two story-like sentences, one that brings a seller in, its price, and a call to
        // action that names the seller again (its web address), closing the paragraph.
        let article = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.25),
            (1, 1.5),
            (2, 0.0),
        ];
        let with = |scores: &[(usize, f64)], named_again: &[(usize, usize)]| {
            Case {
                scores,
                on_topic: &[1, 2],
                named_again,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&article, &[(3, 5)]), [E, P, P, P, P, P, E]);
        // Without the name, or with one named again only in the set-up, the call to action
        // is glued to a story paragraph and goes alone.
        assert_eq!(with(&article, &[]), [E, E, E, E, E, P, E]);
        assert_eq!(with(&article, &[(3, 4)]), [E, E, E, E, E, P, E]);
        // A set-up sentence that speaks against promo keeps the paragraph.
        let mut reported = article;
        reported[2].1 = -0.4;
        assert_eq!(with(&reported, &[(3, 5)]), [E, E, E, E, E, P, E]);
    }

    #[test]
    fn a_set_up_before_the_reader_s_problem_in_its_paragraph_goes_with_it() {
        // Two neutral sentences, the reader's problem (below the bias), then two pitches.
        let article = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.4),
            (1, 1.5),
            (1, 1.5),
            (2, 0.0),
        ];
        let with = |scores: &[(usize, f64)], on_topic: &[usize], problem: &[usize]| {
            Case {
                scores,
                on_topic,
                poses_problem: problem,
                // The problem names no offer ("Viele Anleger fragen sich …").
                plain: &[3],
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&article, &[], &[3]), [E, P, P, P, P, P, E]);
        assert_eq!(with(&article, &[], &[]), [E, E, E, P, P, P, E]);
        // Two plain story sentences opening the paragraph, or one that speaks against promo,
        // stay with the story; so does the set-up when the problem comes after the pitch.
        assert_eq!(with(&article, &[1, 2], &[3]), [E, E, E, P, P, P, E]);
        let mut reported = article;
        reported[1].1 = -0.4;
        assert_eq!(with(&reported, &[], &[3]), [E, E, E, P, P, P, E]);
        let mut after = article;
        after.swap(3, 4);
        assert_eq!(with(&after, &[], &[4]), with(&after, &[], &[]));
    }

    #[test]
    fn a_paragraph_that_poses_the_reader_s_problem_goes_with_the_pitch_below() {
        // A story paragraph, a short one that turns to the reader's problem, then a paragraph
        // that pitches once and states a further detail, then the story again.
        let article = [(0, 0.0), (1, 0.0), (1, 0.1), (2, 0.9), (2, 0.0), (3, 0.0)];
        let with = |scores: &[(usize, f64)], problem: &[usize]| {
            Case {
                scores,
                poses_problem: problem,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&article, &[2]), [E, P, P, P, P, E]);
        assert_eq!(with(&article, &[]), [E, E, E, E, E, E]);
        // Without a pitch below, or with a sentence that speaks against promo, it stays.
        let mut no_pitch = article;
        no_pitch[3].1 = 0.0;
        assert_eq!(with(&no_pitch, &[2]), [E, E, E, E, E, E]);
        let mut reported = article;
        reported[1].1 = -0.4;
        assert_eq!(with(&reported, &[2]), [E, E, E, E, E, E]);
    }

    #[test]
    fn a_set_up_before_the_publisher_s_own_offer_in_its_paragraph_goes_with_it() {
        // Three neutral sentences, one leaning promo, then the publisher's offer and a pitch.
        let article = [
            (0, 0.0),
            (1, 0.0),
            (1, 0.0),
            (1, 0.1),
            (1, 0.9),
            (1, 1.5),
            (2, 0.0),
        ];
        let with = |scores: &[(usize, f64)], on_topic: &[usize], voice: &[usize]| {
            Case {
                scores,
                on_topic,
                publisher_voice: voice,
                // The publisher speaks before naming its offer ("Unsere Redaktion lädt …").
                plain: &[4],
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&article, &[], &[4]), [E, P, P, P, P, P, E]);
        assert_eq!(with(&article, &[], &[]), [E, E, E, E, P, P, E]);
        // A set-up with no cue at all, or the story's own sentences opening the paragraph, stay.
        let mut plain = article;
        plain[3].1 = 0.0;
        assert_eq!(with(&plain, &[], &[4]), [E, E, E, E, P, P, E]);
        assert_eq!(with(&article, &[1, 2], &[4]), [E, E, E, E, P, P, E]);
    }

    #[test]
    fn a_glued_sentence_on_the_story_s_topic_that_names_no_offer_stays() {
        // A story paragraph whose last sentence scores as a pitch with the reader's words only
        // ("start with the free version of …").
        let article = [(0, 0.0), (1, 0.0), (1, 0.0), (1, 1.2), (2, 0.0)];
        let with = |on_topic: &[usize], plain: &[usize]| {
            Case {
                scores: &article,
                on_topic,
                plain,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[3], &[3]), [E, E, E, E, E]);
        // Off the story's topic, or naming its offer, it goes.
        assert_eq!(with(&[], &[3]), [E, E, E, P, E]);
        assert_eq!(with(&[3], &[]), [E, E, E, P, E]);
    }

    #[test]
    fn a_hook_right_before_a_glued_pitch_goes_with_it() {
        // A story paragraph, a hook question, a strong pitch, then the story goes on.
        let article = [(0, 0.0), (1, 0.0), (1, 0.3), (1, 2.0), (1, 0.0), (2, 0.0)];
        let with = |hook: &[usize]| {
            Case {
                scores: &article,
                hook,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[2]), [E, E, P, P, E, E]);
        assert_eq!(with(&[]), [E, E, E, P, E, E]);
        // A hook after the pitch is not its opening.
        let mut after = article;
        after.swap(2, 3);
        assert_eq!(
            Case {
                scores: &after,
                hook: &[3],
                ..Case::default()
            }
            .run(),
            [E, E, P, E, E, E]
        );
    }

    #[test]
    fn a_risk_note_under_a_pitch_goes_with_it() {
        // A pitch paragraph, then a risk note alone in its block, then the story.
        let article = [(0, 0.0), (1, 1.0), (1, 1.5), (2, 0.4), (3, 0.0)];
        let with = |scores: &[(usize, f64)], fine_print: &[usize]| {
            Case {
                scores,
                fine_print,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&article, &[3]), [E, P, P, P, E]);
        assert_eq!(with(&article, &[]), [E, P, P, E, E]);
        // Under a story paragraph, the same note stays.
        let story = [(0, 0.0), (1, 0.0), (1, 0.0), (2, 0.4), (3, 0.0)];
        assert_eq!(with(&story, &[3]), [E, E, E, E, E]);
        // The note may share its block with one more sentence, not two.
        let two = [(0, 0.0), (1, 1.0), (1, 1.5), (2, 0.3), (2, 0.4), (3, 0.0)];
        assert_eq!(with(&two, &[4]), [E, P, P, P, P, E]);
        assert_eq!(with(&two, &[]), [E, P, P, E, E, E]);
        let three = [
            (0, 0.0),
            (1, 1.0),
            (1, 1.5),
            (2, 0.3),
            (2, 0.0),
            (2, 0.4),
            (3, 0.0),
        ];
        assert_eq!(with(&three, &[5]), [E, P, P, E, E, E, E]);
    }

    #[test]
    fn a_set_up_above_a_hand_over_may_open_with_a_pitching_hook() {
        let article = [
            (0, 0.0),
            (1, 0.6),
            (1, 0.0),
            (1, 0.0),
            (2, 0.9),
            (2, 1.0),
            (2, 1.0),
            (3, 0.0),
        ];
        let with = |scores: &[(usize, f64)]| {
            Case {
                scores,
                hands_over: &[4],
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&article), [E, P, P, P, P, P, P, E]);
        // Two sentences that pitch are a pitch of their own, not a set-up.
        let mut twice = article;
        twice[2].1 = 0.6;
        assert_eq!(with(&twice), [E, E, E, E, P, P, P, E]);
    }

    #[test]
    fn a_short_set_up_above_a_hand_over_goes_with_it() {
        // A paragraph of three neutral sentences, then one that opens by handing over to an
        // offer and pitches twice more.
        let article = [
            (0, 0.0),
            (1, 0.2),
            (1, 0.0),
            (1, 0.0),
            (2, 0.9),
            (2, 1.0),
            (2, 1.0),
            (3, 0.0),
        ];
        let with = |hands_over: &[usize]| {
            Case {
                scores: &article,
                hands_over,
                ..Case::default()
            }
            .run()
        };
        assert_eq!(with(&[4]), [E, P, P, P, P, P, P, E]);
        // Without the hand-over the paragraph stays with the story.
        assert_eq!(with(&[]), [E, E, E, E, P, P, P, E]);
        // A story paragraph of four sentences, or one that speaks against promo (reported
        // speech), stays even above a hand-over.
        let long = [
            (0, 0.0),
            (1, 0.2),
            (1, 0.0),
            (1, 0.0),
            (1, 0.0),
            (2, 0.9),
            (2, 1.0),
            (2, 1.0),
        ];
        assert_eq!(
            Case {
                scores: &long,
                hands_over: &[5],
                ..Case::default()
            }
            .run(),
            [E, E, E, E, E, P, P, P]
        );
        let reported = [(0, 0.0), (1, 0.2), (1, -0.1), (2, 0.9), (2, 1.0), (2, 1.0)];
        assert_eq!(
            Case {
                scores: &reported,
                hands_over: &[3],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, P, P]
        );
    }

    #[test]
    fn a_publisher_offer_that_names_the_story_opens_its_paragraph() {
        // The publisher offers its own tour with the story's curator (on topic, just below the
        // bias), a neutral line, then the call to action.
        let article = [(0, 0.0), (1, 0.45), (1, 0.45), (1, 1.2), (2, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                on_topic: &[1],
                publisher_voice: &[1],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, E]
        );
        // A story sentence on the topic, in no publisher's voice, stays with the story.
        assert_eq!(
            Case {
                scores: &article,
                on_topic: &[1],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, E]
        );
    }

    #[test]
    fn a_set_up_whose_problem_sentence_pitches_still_leads_in() {
        // A two-sentence set-up whose second sentence (the reader's problem) scores above the
        // bias, over a paragraph that pitches twice and takes up its word.
        let article = [(0, 0.0), (1, 0.2), (1, 0.7), (2, 1.0), (2, 1.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &article,
                echoed_below: &[1],
                ..Case::default()
            }
            .run(),
            [E, P, P, P, P, E]
        );
        // Sharing no word with the pitch, it stays.
        assert_eq!(run(&article), [E, E, E, P, P, E]);
        // Nor does a set-up with reported speech (a score below zero) go.
        let reported = [(0, 0.0), (1, -0.1), (1, 0.7), (2, 1.0), (2, 1.0), (3, 0.0)];
        assert_eq!(
            Case {
                scores: &reported,
                echoed_below: &[1],
                ..Case::default()
            }
            .run(),
            [E, E, E, P, P, E]
        );
    }
}
