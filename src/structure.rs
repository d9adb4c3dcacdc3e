//! Structure: the title, the dateline, and the blocks (headings and paragraphs) of an article.
//!
//! Every non-empty line is one block and blank lines carry no meaning, except in a hard-wrapped
//! article (paragraphs broken into lines of a fixed width, with or without blank lines between
//! them), where the lines of one paragraph are one block ([`hard_wrap`]). The first block is
//! the title.
//! A dateline is looked for at the start of the first few blocks after it, either filling a line
//! of its own or glued to the first word of a paragraph (`06.02.2026 - 08:41:11Amazon stellt …`,
//! as scrapers leave it); it is cut out of the block and parsed into ISO 8601 when it can be.

use crate::rules::RuleSet;

/// A byte range of the article text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn of(self, text: &str) -> &str {
        &text[self.start..self.end]
    }
}

/// What a block is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    Title,
    /// A short line without final punctuation followed by more text.
    Heading,
    Paragraph,
}

/// One line of the article (or one paragraph of a hard-wrapped one): its kind and its trimmed
/// span.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
    /// It stands under a full line that ends a sentence, in text hard-wrapped without blank
    /// lines: it may as well go on with the paragraph above as open a new one
    /// ([`LineBreak::SentenceEnd`]), so a liveblog entry above goes on into it.
    pub may_continue: bool,
    /// It reads as a headline: one line's worth of words (`heading_max_words`), no sentence
    /// inside, no final punctuation but a question mark, and no byline or credit
    /// (`not_headings`). A heading, a list item and the headline of a linked story all look
    /// so, wherever they stand ([`parse`]).
    pub headline: bool,
}

/// A dateline found in the article: where it was, its raw text and, when the date is valid, its
/// ISO 8601 form (`2026-02-06`, `2026-02-06T08:41` or `2026-02-06T08:41:11`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dateline {
    pub span: Span,
    pub text: String,
    pub datetime: Option<String>,
}

/// The structure of one article. `blocks` no longer contain the dateline.
#[derive(Clone, Debug, Default)]
pub struct Structure {
    pub blocks: Vec<Block>,
    pub dateline: Option<Dateline>,
    /// Per block: the liveblog entry it belongs to, as the index of the entry's first block;
    /// `None` outside entries and in any other article (see [`liveblog_entries`]).
    pub entries: Vec<Option<usize>>,
    /// Per block: how many bytes at its start the time of a liveblog entry takes, with the
    /// separators after it ("10:40 ", "14:45 Uhr – "); 0 outside entries. What follows is how
    /// the entry opens, and the cues that look at a paragraph's opening words look there.
    pub stamps: Vec<usize>,
}

impl Structure {
    /// For every block, whether it is a heading that introduces the paragraph right after it:
    /// parting the two costs the decoder `switch_after_heading`. A heading that pitches on its
    /// own is bound too: one that pitches strongly enough still pays that cost and goes alone,
    /// while one that merely names an offer ("Kostenlose Checkliste zum Herunterladen" over a
    /// consumer paragraph) stays with the editorial paragraph it announces.
    pub fn heading_binds(&self) -> Vec<bool> {
        self.blocks
            .iter()
            .enumerate()
            .map(|(i, b)| {
                // A line above the dateline heads nothing after it: the dateline parts the
                // page's header (a kicker, a pasted offer) from the story.
                b.kind == BlockKind::Heading
                    && self.blocks.get(i + 1).is_some_and(|n| {
                        n.kind == BlockKind::Paragraph
                            && !self.dateline.as_ref().is_some_and(|d| {
                                b.span.end <= d.span.start && d.span.end <= n.span.start
                            })
                    })
                    // A block that opens a liveblog entry with its time is headed by that time,
                    // not by the line above it (a prompt pasted between two entries).
                    && self.entries.get(i + 1).copied().flatten() != Some(i + 1)
            })
            .collect()
    }
}

/// How many blocks after the title may hold the dateline (a byline may stand before it).
/// Blocks of at most [`DATELINE_SHORT_BLOCK_WORDS`] words (a kicker, a short byline, a photo
/// credit) and bylines and credit lines of any length (`not_headings`) do not count, up to
/// [`DATELINE_MAX_BLOCKS`] blocks in all.
const DATELINE_SEARCH_BLOCKS: usize = 3;
const DATELINE_SHORT_BLOCK_WORDS: usize = 4;
const DATELINE_MAX_BLOCKS: usize = 6;

/// The most words of a kicker line ([`parse`]).
const KICKER_MAX_WORDS: usize = 3;

/// Whether a line has letters and all of them are capitals.
fn is_upper_case(line: &str) -> bool {
    line.chars().any(char::is_alphabetic)
        && line
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase)
}

/// Characters that end a sentence or a line of dialogue: a line ending in one is not a heading.
const FINAL_PUNCTUATION: &[char] = &['.', '!', '?', ':', ';', '…', '"', '“', '”', '»', '«', '\''];

/// Splits an article into title, dateline and blocks.
pub fn parse(text: &str, language: &str, rules: &RuleSet) -> Structure {
    let lines = lines(text);
    let wrap = hard_wrap(text, &lines);
    let mut blocks: Vec<Block> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let line_break = wrap.filter(|_| i > 1).map_or(LineBreak::Parts, |w| {
            w.line_break(text, lines[i - 1], *line)
        });
        match blocks.last_mut() {
            Some(last) if line_break == LineBreak::Joins => last.span.end = line.span.end,
            _ => blocks.push(Block {
                kind: BlockKind::Paragraph,
                span: line.span,
                may_continue: line_break == LineBreak::SentenceEnd,
                headline: false,
            }),
        }
    }
    if let Some(first) = blocks.first_mut() {
        first.kind = BlockKind::Title;
    }

    let mut dateline = None;
    let mut counted = 0;
    for index in 1..blocks.len().min(DATELINE_MAX_BLOCKS + 1) {
        if counted == DATELINE_SEARCH_BLOCKS {
            break;
        }
        let block = blocks[index].span.of(text);
        // Separators ("Guía | Comer y beber") are no words, and a byline or credit line is
        // the header's as much as a kicker is.
        let long = block
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .nth(DATELINE_SHORT_BLOCK_WORDS)
            .is_some();
        if long && !rules.structure().not_headings.is_match(block) {
            counted += 1;
        }
        if let Some((found, rest)) = find_dateline(text, blocks[index].span, language, rules) {
            dateline = Some(found);
            match rest {
                Some(rest) => blocks[index].span = rest,
                None => {
                    blocks.remove(index);
                }
            }
            break;
        }
        if let Some((found, byline)) =
            dateline_after_byline(text, blocks[index].span, language, rules)
        {
            dateline = Some(found);
            blocks[index].span = byline;
            break;
        }
    }

    let structure = rules.structure();
    let count = blocks.len();
    for (i, block) in blocks.iter_mut().enumerate().skip(1) {
        let line = block.span.of(text);
        // Words are counted only as far as a heading may have them: a paragraph is not read to
        // its end.
        let max = structure.heading_max_words;
        let words = line.split_whitespace().take(max + 1).count();
        // A kicker over the story ("REPORTAGE", "MONEY MATTERS" right under the title) names
        // its section; it heads nothing.
        let kicker = i == 1 && words <= KICKER_MAX_WORDS && is_upper_case(line);
        let reads_short =
            words <= max && line.chars().any(char::is_alphabetic) && !has_inner_sentence_end(line);
        block.headline = reads_short
            && (!line.ends_with(FINAL_PUNCTUATION) || line.ends_with('?') || is_quoted_line(line))
            && !structure.not_headings.is_match(line);
        let is_heading = i + 1 < count
            && !kicker
            && reads_short
            && (!line.ends_with(FINAL_PUNCTUATION) || is_quoted_line(line))
            && !structure.not_headings.is_match(line);
        if is_heading {
            block.kind = BlockKind::Heading;
        }
    }
    list_items_are_no_headings(text, &mut blocks);
    let (entries, stamps) = liveblog_entries(text, &blocks);
    Structure {
        blocks,
        dateline,
        entries,
        stamps,
    }
}

/// The list marker a line opens with ("- ", "• ", "› "), if any.
fn list_marker(line: &str) -> Option<char> {
    let mut chars = line.chars();
    let marker = chars.next()?;
    ("-–—•*›►▸·".contains(marker) && chars.next().is_some_and(char::is_whitespace))
        .then_some(marker)
}

/// Whether block `b` opens with the same list marker as the block above it: it goes on a list.
pub(crate) fn continues_list(text: &str, blocks: &[Block], b: usize) -> bool {
    b > 0
        && list_marker(blocks[b].span.of(text))
            .is_some_and(|marker| list_marker(blocks[b - 1].span.of(text)) == Some(marker))
}

/// Two or more lines in a row that open with the same list marker are the items of a list (a
/// list of related links, a product's features), not headings: the last of them does not head
/// the paragraph under the list, and none is a subheading of the article.
fn list_items_are_no_headings(text: &str, blocks: &mut [Block]) {
    let continues: Vec<bool> = (0..blocks.len())
        .map(|b| continues_list(text, blocks, b))
        .collect();
    for (b, block) in blocks.iter_mut().enumerate() {
        let in_list = continues[b] || continues.get(b + 1).copied().unwrap_or(false);
        if in_list && block.kind == BlockKind::Heading {
            block.kind = BlockKind::Paragraph;
        }
    }
}

/// How many blocks must open with a time of day for an article to be a liveblog: one or two
/// are a schedule or a story that begins with the hour.
const LIVEBLOG_MIN_ENTRIES: usize = 3;

/// Where a block that opens with a time of day ends its time: `HH:MM`, `HH.MM` or `HHhMM`,
/// then "Uhr", "am" or "pm" or not, then the end of the line, a separator or a space and no
/// lower-case word (not a number: "10.000 Menschen", "3:1 gewann"; not a time inside a
/// sentence: "21:00 horas, y …").
fn time_stamp_end(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let hours = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=2).contains(&hours) || !matches!(bytes.get(hours), Some(b':' | b'.' | b'h')) {
        return None;
    }
    let rest = &bytes[hours + 1..];
    if rest.len() < 2 || !rest[0].is_ascii_digit() || !rest[1].is_ascii_digit() {
        return None;
    }
    let mut end = hours + 3;
    if rest
        .get(2)
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b',' | b':'))
    {
        return None;
    }
    for suffix in [" Uhr", "am", "pm", " a.m.", " p.m."] {
        if line[end..].starts_with(suffix) {
            end += suffix.len();
            break;
        }
    }
    // A lower-case word right after the time goes on with a sentence that a hard wrap broke
    // before it ("… hasta las\n21:00 horas, y aviso naranja …"); an entry opens with its
    // headline or a separator.
    let mut after = line[end..].chars();
    if after.next() == Some(' ') && after.next().is_some_and(char::is_lowercase) {
        return None;
    }
    Some(end)
}

/// Per block: the liveblog entry it belongs to (the index of the entry's first block). An
/// entry opens with the time of day: a block that starts with it ("09:41 Lots of runners …",
/// "20h39 – Publi-information", "16:30 Uhr – Anzeige: …") or is nothing else ("09:41" above
/// the entry's paragraph). The paragraph under a time line, or under a heading that opens with
/// the time ("20h39 – Publi-information" over the offer), belongs to its entry. An article is
/// a liveblog when at least [`LIVEBLOG_MIN_ENTRIES`] blocks open with the time. Returned with
/// the entries: per block, the bytes its time and the separators after it take
/// ([`Structure::stamps`]).
fn liveblog_entries(text: &str, blocks: &[Block]) -> (Vec<Option<usize>>, Vec<usize>) {
    let stamps: Vec<Option<usize>> = blocks
        .iter()
        .map(|b| {
            let line = b.span.of(text);
            if b.kind == BlockKind::Title {
                None
            } else {
                time_stamp_end(line).map(|end| line.len() - end)
            }
        })
        .collect();
    let mut entries = vec![None; blocks.len()];
    let mut stamp_lengths = vec![0; blocks.len()];
    if stamps.iter().flatten().count() < LIVEBLOG_MIN_ENTRIES {
        return (entries, stamp_lengths);
    }
    for (b, after) in stamps.iter().enumerate() {
        let Some(after) = *after else { continue };
        entries[b] = Some(b);
        let line = blocks[b].span.of(text);
        let opening = line[line.len() - after..].trim_start_matches(is_separator);
        stamp_lengths[b] = line.len() - opening.len();
        let heads_next = (after == 0 || blocks[b].kind == BlockKind::Heading)
            && blocks
                .get(b + 1)
                .is_some_and(|next| next.kind == BlockKind::Paragraph && stamps[b + 1].is_none());
        if heads_next {
            entries[b + 1] = Some(b);
        }
    }
    for b in 1..blocks.len() {
        if entries[b].is_none() && blocks[b].may_continue && blocks[b].kind == BlockKind::Paragraph
        {
            entries[b] = entries[b - 1];
        }
    }
    (entries, stamp_lengths)
}

/// How a line break of hard-wrapped text reads ([`Wrap::line_break`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum LineBreak {
    /// The next line goes on with the paragraph.
    Joins,
    /// Only the sentence that ends the full line above parts them: the next line may as well
    /// go on with the paragraph as open a new one.
    SentenceEnd,
    /// A new paragraph (or heading) begins.
    Parts,
}

/// One non-empty line of the article, trimmed, and whether a blank line stands before it.
#[derive(Clone, Copy, Debug)]
struct Line {
    span: Span,
    after_blank: bool,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut offset = 0;
    let mut after_blank = false;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            after_blank = true;
        } else {
            let start = offset + (line.len() - line.trim_start().len());
            out.push(Line {
                span: Span::new(start, start + trimmed.len()),
                after_blank,
            });
            after_blank = false;
        }
        offset += line.len();
    }
    out
}

/// Hard-wrapped text has lines of this many characters (mail, plain-text exports and wire copy
/// wrap at 60 to 100): a longer line is a paragraph of its own, and shorter lines are headings,
/// list items or boxes, not the width of a column of prose.
const WRAP_MIN_WIDTH: usize = 40;
const WRAP_MAX_WIDTH: usize = 140;
/// How far past the width a line of hard-wrapped text may run, as (lines, widths): a line
/// longer than `widths / lines` times the width is overlong. Half as long again where blank
/// lines part the paragraphs; 15% without them, where the wrapper's own limit is also taken
/// from the lines within that bound.
const WRAP_OVERLONG_WITH_BLANK_LINES: (usize, usize) = (2, 3);
const WRAP_OVERLONG_WITHOUT_BLANK_LINES: (usize, usize) = (20, 23);
/// The share of a wrapped article's inner lines (not far past its width) that its wrapper's
/// limit holds, as (lines, all lines).
const WRAP_LIMIT_SHARE: (usize, usize) = (9, 10);

/// How an article is hard-wrapped: the width its full lines come to, and whether blank lines
/// part its paragraphs.
#[derive(Clone, Copy, Debug)]
struct Wrap {
    /// The median length of a line followed by another line of its paragraph.
    width: usize,
    /// The length that nine in ten such lines not far past `width` stay within
    /// ([`WRAP_LIMIT_SHARE`]): the wrapper's own limit.
    limit: usize,
    /// Whether blank lines stand between paragraphs; without them only a line's length tells
    /// where a paragraph ends.
    blank_lines: bool,
}

/// How an article is hard-wrapped, if it is. Its lines run over several lines per paragraph:
/// at least half of the lines followed by another line of their paragraph ("inner" lines; with
/// no blank lines in the text, every line but the last) stand in paragraphs of three lines or
/// more, which a heading over its paragraph or a box of short lines does not make. The median
/// inner line is the width, between [`WRAP_MIN_WIDTH`] and [`WRAP_MAX_WIDTH`] characters (the
/// median: a wrapper that lets a long word stick out, or an editor's hand, leaves a few lines
/// longer than the rest), and hardly a line (one in ten) is half as long again (without blank
/// lines, 15% longer: one paragraph or liveblog entry per line of some 100 characters would
/// otherwise pass). And at least three line breaks, and at least half of the inner ones, fall
/// where the next word would not have fitted on the line.
fn hard_wrap(text: &str, lines: &[Line]) -> Option<Wrap> {
    let body = lines.get(1..)?;
    let mut groups: Vec<&[Line]> = Vec::new();
    let mut start = 0;
    for i in 1..=body.len() {
        if i == body.len() || body[i].after_blank {
            groups.push(&body[start..i]);
            start = i;
        }
    }
    let blank_lines = groups.len() > 1;
    let inner_in = |g: &&[Line]| g.len().saturating_sub(1);
    let inner_count: usize = groups.iter().map(inner_in).sum();
    let in_long_paragraphs: usize = groups.iter().filter(|g| g.len() >= 3).map(inner_in).sum();
    if inner_count < 3 || 2 * in_long_paragraphs < inner_count {
        return None;
    }
    let mut inner: Vec<usize> = groups
        .iter()
        .flat_map(|g| g[..g.len() - 1].iter())
        .map(|l| chars(l.span.of(text)))
        .collect();
    inner.sort_unstable();
    let width = inner[inner.len() / 2];
    let overlong_past = |bound: (usize, usize), length: usize| past_bound(bound, length, width);
    let bound = if blank_lines {
        WRAP_OVERLONG_WITH_BLANK_LINES
    } else {
        WRAP_OVERLONG_WITHOUT_BLANK_LINES
    };
    let overlong = body
        .iter()
        .filter(|l| overlong_past(bound, chars(l.span.of(text))))
        .count();
    if !(WRAP_MIN_WIDTH..=WRAP_MAX_WIDTH).contains(&width) || 10 * overlong > body.len() {
        return None;
    }
    // `inner` is sorted: the limit is the length nine in ten of the lines not far past the
    // width stay within, so that a list line or two of the page's own (a headline under
    // "More from this section") do not raise it above what the wrapper used.
    let within: Vec<usize> = inner
        .iter()
        .copied()
        .filter(|&l| !overlong_past(WRAP_OVERLONG_WITHOUT_BLANK_LINES, l))
        .collect();
    let limit = within
        .get(
            (within.len() * WRAP_LIMIT_SHARE.0)
                .div_ceil(WRAP_LIMIT_SHARE.1)
                .saturating_sub(1),
        )
        .copied()
        .unwrap_or(width);
    let wrap = Wrap {
        width,
        limit,
        blank_lines,
    };
    let wrapped = groups
        .iter()
        .flat_map(|g| g.windows(2))
        .filter(|w| wrap.fills(text, w[0], w[1]))
        .count();
    (wrapped >= 3 && 2 * wrapped >= inner_count).then_some(wrap)
}

impl Wrap {
    /// How the break between `line` and `next` reads. `next` continues the paragraph of
    /// `line` ([`LineBreak::Joins`]) when it stands right under it and `line` is full
    /// ([`Wrap::fills`]) and is no overlong line of its own ([`Wrap::overlong`]). Without blank
    /// lines a paragraph's last line can be full too, so there the next word must not have
    /// fitted within the wrapper's limit at all (as a wrapper that fills its lines leaves them;
    /// one character of slack, as wrappers count their limit either way), `next` must not open
    /// with a time of day (a liveblog entry), and `line` must not end a sentence: a paragraph
    /// that ends on a full line cannot be told from a sentence that ends at a line break, and
    /// splitting a paragraph at a sentence's end costs less than joining an insert to the story
    /// beside it (hard-wrapped without blank lines, the corpus keeps 99.98% of its editorial
    /// text split so, 99.79% joined). A break parted only because `line` ends a sentence is
    /// [`LineBreak::SentenceEnd`].
    fn line_break(&self, text: &str, line: Line, next: Line) -> LineBreak {
        if next.after_blank || !self.fills(text, line, next) {
            return LineBreak::Parts;
        }
        let full = self.blank_lines
            || (chars(line.span.of(text)) + 1 + chars(first_word(text, next)) >= self.limit
                && time_stamp_end(next.span.of(text)).is_none());
        if !full {
            LineBreak::Parts
        } else if !self.blank_lines && line.span.of(text).ends_with(FINAL_PUNCTUATION) {
            LineBreak::SentenceEnd
        } else if self.overlong(text, line) {
            LineBreak::Parts
        } else {
            LineBreak::Joins
        }
    }

    /// Whether `line` runs well past the wrapper's width (15% past it) and is more than one
    /// word: the wrapper did not break it, so it is a paragraph of its own (a call to action
    /// pasted on one line), not the first line of the one below.
    fn overlong(&self, text: &str, line: Line) -> bool {
        let span = line.span.of(text);
        past_bound(WRAP_OVERLONG_WITHOUT_BLANK_LINES, chars(span), self.width) && span.contains(' ')
    }

    /// Whether `line` is full where `next` follows it (its length and the next word's would
    /// pass nine tenths of the width, and it fills seven tenths of the width or the next word
    /// would not have fitted at all) and `next` does not open a list item.
    fn fills(&self, text: &str, line: Line, next: Line) -> bool {
        let first_word = first_word(text, next);
        let opens_item = first_word.starts_with(['•', '-', '–', '—', '*', '·', '>'])
            || (first_word.ends_with(['.', ')'])
                && first_word[..first_word.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && first_word.len() > 1);
        let length = chars(line.span.of(text));
        let width = self.width;
        let next_word = chars(first_word);
        // A short line is full too when the next word would not have fitted within the limit
        // ("… can be booked at" over a long web address).
        !opens_item
            && 10 * (length + 1 + next_word) > 9 * width
            && (10 * length >= 7 * width || length + 1 + next_word > self.limit)
    }
}

/// Whether a line of `length` characters runs past `bound` (lines, widths: `lines` such lines
/// would be longer than `widths` lines of `width`).
fn past_bound(bound: (usize, usize), length: usize, width: usize) -> bool {
    bound.0 * length > bound.1 * width
}

fn first_word(text: &str, line: Line) -> &str {
    line.span.of(text).split_whitespace().next().unwrap_or("")
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Whether a sentence ends inside the line (". ", "! ", "? "): a heading is one sentence at most.
/// A line quoted as a whole is looked at without its quotes' contents.
fn has_inner_sentence_end(line: &str) -> bool {
    !is_quoted_line(line) && [". ", "! ", "? "].iter().any(|end| line.contains(end))
}

/// A line that is one quotation from start to end (a slogan used as a subheading).
fn is_quoted_line(line: &str) -> bool {
    line.starts_with(['„', '“', '"', '»', '«']) && line.ends_with(['“', '”', '"', '«', '»'])
}

/// Separators between a dateline and the text glued to it.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || matches!(c, '-' | '–' | '—' | '|' | ',' | ':' | '/' | '·' | '•')
}

/// The most words of a header line that may end in its dateline after a separator.
const BYLINE_MAX_WORDS: usize = 16;

/// Separators between a byline and the date it ends in.
const BYLINE_SEPARATORS: [&str; 5] = [" · ", " | ", " • ", " – ", " — "];

/// A dateline that ends a one-line header after a separator ("Medically reviewed by Dr Claire
/// Whitford, GP · Updated 7 Dec 2026", "Von Anna Berg | 07.12.2026", "Propos recueillis par
/// Antoine Guérin – Le 5 décembre 2026"): the dateline and the rest of the line before the
/// separator. Only a short line, and only a dateline that runs to the line's end or to the
/// next separator: a header of fields ("Homes & Gardens | 6 December 2026 | Words: Harriet
/// Coole") keeps its whole line, date included, as its byline.
fn dateline_after_byline(
    text: &str,
    block: Span,
    language: &str,
    rules: &RuleSet,
) -> Option<(Dateline, Span)> {
    let line = block.of(text);
    if line.contains('\n') || line.split_whitespace().nth(BYLINE_MAX_WORDS).is_some() {
        return None;
    }
    let mut fields: Vec<(usize, usize)> = BYLINE_SEPARATORS
        .iter()
        .flat_map(|sep| line.match_indices(sep).map(|(at, _)| (at, sep.len())))
        .collect();
    // The last field first: a date that ends the line leaves the rest as the byline.
    fields.sort_unstable_by(|a, b| b.cmp(a));
    fields.into_iter().find_map(|(at, separator)| {
        let tail = Span::new(block.start + at + separator, block.end);
        match find_dateline(text, tail, language, rules)? {
            (found, None) => Some((found, Span::new(block.start, block.start + at))),
            (found, Some(rest)) => {
                let between = &text[found.span.end..rest.start];
                BYLINE_SEPARATORS
                    .iter()
                    .any(|sep| between.contains(sep.trim()))
                    .then_some((found, block))
            }
        }
    })
}

/// A dateline at the start of `block`: the dateline and what is left of the block, if anything.
fn find_dateline(
    text: &str,
    block: Span,
    language: &str,
    rules: &RuleSet,
) -> Option<(Dateline, Option<Span>)> {
    let line = block.of(text);
    let datelines = rules.datelines();
    let patterns = datelines
        .patterns
        .iter()
        .filter(|(l, _)| l == "common" || l == language);
    let dated = patterns.filter_map(|(pattern_language, pattern)| {
        let caps = pattern.captures(line)?;
        // A month-first form yields a date that reads both ways to the day-first form after it
        // when the article shows a day-first locale.
        if reads_both_ways(&caps)
            && datelines
                .day_first_locale
                .get(pattern_language)
                .is_some_and(|locale| locale.is_match(text))
        {
            return None;
        }
        let datetime = iso_datetime(&caps, &datelines.months)?;
        Some((
            caps.get(0).map_or(0, |m| m.end()),
            caps.name("hour").is_some(),
            Some(datetime),
        ))
    });
    let undated = datelines
        .relative
        .iter()
        .filter_map(|r| r.find(line).map(|m| (m.end(), true, None)));
    for (end, has_time, datetime) in dated.chain(undated) {
        let raw = line[..end].trim_end_matches(is_separator);
        let rest_start =
            end + line[end..].len() - line[end..].trim_start_matches(is_separator).len();
        let next = line[end..].chars().next();
        // A date followed by a space and an ordinary word ("12. März 2025 war …") is part of a
        // sentence, not a dateline; a time, a separator, the end of the line or a glued word
        // (scrapers drop the line break) mark a dateline.
        let glued = next.is_some_and(char::is_alphabetic);
        let acceptable = has_time
            || glued
            || next.is_none()
            || rest_start > end && !line[end..rest_start].trim().is_empty();
        if !acceptable {
            continue;
        }
        // A second timestamp right after the first ("…, modifié le 3 juil. 2025 à 11:02") is
        // part of the dateline.
        let rest = Span::new(block.start + rest_start, block.end);
        if !glued && rest_start < line.len() {
            if let Some((second, rest)) = find_dateline(text, rest, language, rules) {
                let dateline = Dateline {
                    span: Span::new(block.start, second.span.end),
                    text: text[block.start..second.span.end].to_string(),
                    datetime,
                };
                return Some((dateline, rest));
            }
        }
        let dateline = Dateline {
            span: Span::new(block.start, block.start + raw.len()),
            text: raw.to_string(),
            datetime,
        };
        return Some((dateline, (rest_start < line.len()).then_some(rest)));
    }
    None
}

/// The number in group `name` of a dateline match, if the group took part.
fn group_number(caps: &regex::Captures<'_>, name: &str) -> Option<u32> {
    caps.name(name).and_then(|m| m.as_str().parse().ok())
}

/// Whether a numeric date could be read with day and month swapped ("02/12/2026").
fn reads_both_ways(caps: &regex::Captures<'_>) -> bool {
    let number = |name: &str| group_number(caps, name);
    match (number("day"), number("month")) {
        (Some(day), Some(month)) => {
            day != month && (1..=12).contains(&day) && (1..=12).contains(&month)
        }
        _ => false,
    }
}

fn iso_datetime(
    caps: &regex::Captures<'_>,
    months: &foldhash::HashMap<String, u32>,
) -> Option<String> {
    let number = |name: &str| group_number(caps, name);
    let year = match number("year")? {
        short @ 0..=99 => 2000 + short as i32,
        year => year as i32,
    };
    let month = match number("month") {
        Some(m) => m,
        None => {
            let name = caps
                .name("month_name")?
                .as_str()
                .trim_end_matches('.')
                .to_lowercase();
            *months.get(&name)?
        }
    };
    let day = number("day")?;
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let Some(mut hour) = number("hour") else {
        return Some(date.format("%Y-%m-%d").to_string());
    };
    if let Some(ampm) = caps.name("ampm") {
        let pm = ampm.as_str().starts_with(['p', 'P']);
        hour = match (pm, hour) {
            (true, h) if h < 12 => h + 12,
            (false, 12) => 0,
            (_, h) => h,
        };
    }
    let minute = number("minute")?;
    let time = match number("second") {
        Some(second) => chrono::NaiveTime::from_hms_opt(hour, minute, second)?.format("%H:%M:%S"),
        None => chrono::NaiveTime::from_hms_opt(hour, minute, 0)?.format("%H:%M"),
    };
    Some(format!("{}T{}", date.format("%Y-%m-%d"), time))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_opening_with_the_time_opens_a_liveblog_entry() {
        for (line, end) in [
            ("09:41 Lots of runners", 5),
            ("20h39 – Publi-information", 5),
            ("16:30 Uhr – Anzeige: Wer?", 9),
            ("9.41am Rain", 6),
            ("10:48", 5),
        ] {
            assert_eq!(time_stamp_end(line), Some(end), "{line}");
        }
        for line in [
            "10.000 Menschen kamen.",
            "12.03.2026 Berlin",
            "3:1 gewann Köln",
            "Um 14:30 Uhr",
            "21:00 horas, y aviso naranja en Asturias.",
        ] {
            assert_eq!(time_stamp_end(line), None, "{line}");
        }
        let entries = |text: &str| parse(text, "en", &RuleSet::builtin()).entries;
        let live = "Live\n09:00 Off they go.\nThe field is large.\n09:10 Rain.\n09:20\nA fall.\n";
        assert_eq!(
            entries(live),
            [None, Some(1), None, Some(3), Some(4), Some(4)]
        );
        let stamps = |text: &str| parse(text, "en", &RuleSet::builtin()).stamps;
        assert_eq!(stamps(live), [0, 6, 0, 6, 5, 0]);
        let labelled = "Live\n09:00 Go.\n09:10 Rain.\n14:45 Uhr – Anzeige: Tipp.\n";
        assert_eq!(stamps(labelled), [0, 6, 6, 14]);
        // Two times are a schedule, not a liveblog.
        let schedule = "Plan\n09:00 Doors open.\n10:00 Talks begin.\nThen lunch.\n";
        assert_eq!(entries(schedule), [None; 4]);
    }

    #[test]
    fn kickers_and_staff_bylines_are_no_headings() {
        let kinds = |text: &str| -> Vec<BlockKind> {
            parse(text, "en", &RuleSet::builtin())
                .blocks
                .iter()
                .map(|b| b.kind)
                .collect()
        };
        use BlockKind::*;
        let article = "Power bills are rising\nMONEY MATTERS\nStaff Reporter\nBills rose.\n\
            What to check\nThe reference price.\n";
        assert_eq!(
            kinds(article),
            [Title, Paragraph, Paragraph, Paragraph, Heading, Paragraph]
        );
        // Capitals further down are a heading.
        let later = "Power bills are rising\nBills rose.\nWHAT TO CHECK\nThe reference price.\n";
        assert_eq!(kinds(later), [Title, Paragraph, Heading, Paragraph]);
    }

    #[test]
    fn a_wrapped_liveblog_entry_goes_on_past_a_sentence_end_at_a_full_line() {
        // Hard-wrapped without blank lines, the entry of 09:41 is parted where a full line
        // ends a sentence; the part below it is still that entry, and the time is its stamp.
        let live = "Live from the harbour run\n\
            09:00 The runners are off in light rain and\n\
            the field of four thousand moves slowly\n\
            through the old town towards the harbour.\n\
            09:20 The leaders have reached the harbour\n\
            wall after a fast first five kilometres,\n\
            well ahead of last year's pace this time.\n\
            09:41 Lots of runners are asking us about\n\
            recovery after a long hard race in the rain.\n\
            Our partner Physiohub is offering readers\n\
            25 per cent off a sports massage this week\n\
            with the code RUN25 at its harbour studio.\n\
            10:05 The first finisher crosses the line in\n\
            a new course record, to loud cheers from\n\
            the crowd that lines the final straight.\n";
        let structure = parse(live, "en", &RuleSet::builtin());
        let opening: Vec<&str> = structure
            .blocks
            .iter()
            .map(|b| b.span.of(live).split_whitespace().next().unwrap())
            .collect();
        assert_eq!(opening, ["Live", "09:00", "09:20", "09:41", "Our", "10:05"]);
        assert_eq!(
            structure.entries,
            [None, Some(1), Some(2), Some(3), Some(3), Some(5)]
        );
        assert_eq!(structure.stamps, [0, 6, 6, 6, 0, 6]);
    }

    fn dateline(line: &str) -> Option<(String, Option<String>, String)> {
        let text = format!("Titel\n{line}\nMehr Text hier.\n");
        let language = if line.is_ascii() && !line.contains("Uhr") {
            "en"
        } else {
            "de"
        };
        let s = parse(&text, language, &RuleSet::builtin());
        let d = s.dateline?;
        let next = s.blocks[1].span.of(&text).to_string();
        Some((d.text, d.datetime, next))
    }

    #[test]
    fn a_date_that_reads_both_ways_follows_the_articles_locale() {
        let rules = RuleSet::builtin();
        let datetime = |date: &str, body: &str| {
            let text = format!("Title\n{date}\n{body}\n");
            parse(&text, "en", &rules).dateline.and_then(|d| d.datetime)
        };
        let us = "Fares start at $49 one way.";
        let uk = "Fares start at £49 one way.";
        assert_eq!(
            datetime("02/12/2026 09:30", us).as_deref(),
            Some("2026-02-12T09:30")
        );
        assert_eq!(
            datetime("02/12/2026 09:30", uk).as_deref(),
            Some("2026-12-02T09:30")
        );
        // Without prices, British spelling and places show the locale; American ones do not.
        for body in [
            "The chain has 64 shops across the Midlands and Wales.",
            "Prices rose by 3 per cent.",
            "The theatre reopened.",
        ] {
            assert_eq!(
                datetime("05/12/2026 08:30", body).as_deref(),
                Some("2026-12-05T08:30"),
                "{body}"
            );
        }
        for body in [
            "The center reopened after it organized a sale.",
            "Prices rose by 3 percent in Ohio.",
        ] {
            assert_eq!(
                datetime("05/12/2026 08:30", body).as_deref(),
                Some("2026-05-12T08:30"),
                "{body}"
            );
        }
        // Only one reading is a date: the locale does not matter.
        assert_eq!(datetime("12/25/2026", uk).as_deref(), Some("2026-12-25"));
        assert_eq!(datetime("25/12/2026", us).as_deref(), Some("2026-12-25"));
    }

    #[test]
    fn a_dateline_may_end_a_byline_after_a_separator() {
        let (text, datetime, next) =
            dateline("Medically reviewed by Dr Claire Whitford, GP · Updated 7 Dec 2026").unwrap();
        assert_eq!(text, "Updated 7 Dec 2026");
        assert_eq!(datetime.as_deref(), Some("2026-12-07"));
        assert_eq!(next, "Medically reviewed by Dr Claire Whitford, GP");
        // A date in a field of its own between two others: the line stays whole.
        let line = "Homes & Gardens | 6 December 2026 | Words: Harriet Coole";
        let (text, datetime, next) = dateline(line).unwrap();
        assert_eq!(text, "6 December 2026");
        assert_eq!(datetime.as_deref(), Some("2026-12-06"));
        assert_eq!(next, line);
        // Not from a date that a sentence goes on after, nor from a long paragraph.
        assert!(dateline("By Ann Lee | 7 Dec 2026 was a busy day for the council").is_none());
        let long = format!("{} · 7 Dec 2026", "word ".repeat(20).trim_end());
        assert!(dateline(&long).is_none());
    }

    #[test]
    fn datelines_in_several_formats() {
        let cases: &[(&str, &str, &str, &str)] = &[
            (
                "06.02.2026 - 08:41:11Amazon stellt bereit.",
                "06.02.2026 - 08:41:11",
                "2026-02-06T08:41:11",
                "Amazon stellt bereit.",
            ),
            (
                "26/11/2026 12:00 h.",
                "26/11/2026 12:00 h.",
                "2026-11-26T12:00",
                "Mehr Text hier.",
            ),
            (
                "12.03.2025, 14:30 Uhr",
                "12.03.2025, 14:30 Uhr",
                "2025-03-12T14:30",
                "Mehr Text hier.",
            ),
            (
                "Stand: 4. Juni 2025",
                "Stand: 4. Juni 2025",
                "2025-06-04",
                "Mehr Text hier.",
            ),
            (
                "2025-09-18 07:15",
                "2025-09-18 07:15",
                "2025-09-18T07:15",
                "Mehr Text hier.",
            ),
            (
                "March 12, 2025, 2:30 p.m. ET",
                "March 12, 2025, 2:30 p.m. ET",
                "2025-03-12T14:30",
                "Mehr Text hier.",
            ),
            (
                "Updated: 4 June 2025",
                "Updated: 4 June 2025",
                "2025-06-04",
                "Mehr Text hier.",
            ),
            (
                "Feb 5, 2026 08:41Shares fell.",
                "Feb 5, 2026 08:41",
                "2026-02-05T08:41",
                "Shares fell.",
            ),
            (
                "Sun, Sep 14, 2025 at 9:32 PM",
                "Sun, Sep 14, 2025 at 9:32 PM",
                "2025-09-14T21:32",
                "Mehr Text hier.",
            ),
            (
                "12/03/2025 09:41Firefighters came.",
                "12/03/2025 09:41",
                "2025-12-03T09:41",
                "Firefighters came.",
            ),
            (
                "15.10.2025, 08:03 UhrDer Konzern",
                "15.10.2025, 08:03 Uhr",
                "2025-10-15T08:03",
                "Der Konzern",
            ),
            (
                "16. Juni 2025 · 21:40 Uhr",
                "16. Juni 2025 · 21:40 Uhr",
                "2025-06-16T21:40",
                "Mehr Text hier.",
            ),
            (
                "Donnerstag, 4. Dezember 2025, 15.02 Uhr",
                "Donnerstag, 4. Dezember 2025, 15.02 Uhr",
                "2025-12-04T15:02",
                "Mehr Text hier.",
            ),
            (
                "Veröffentlicht: 05.12.25, 15:20",
                "Veröffentlicht: 05.12.25, 15:20",
                "2025-12-05T15:20",
                "Mehr Text hier.",
            ),
            (
                "Hamburg, 09.09.2025",
                "Hamburg, 09.09.2025",
                "2025-09-09",
                "Mehr Text hier.",
            ),
            (
                "Avignon, le 5 décembre 2026",
                "Avignon, le 5 décembre 2026",
                "2026-12-05",
                "Mehr Text hier.",
            ),
            (
                "Berlin, den 5. Mai 2026",
                "Berlin, den 5. Mai 2026",
                "2026-05-05",
                "Mehr Text hier.",
            ),
            (
                "Valencia | 06 de diciembre de 2026, 09:00",
                "Valencia | 06 de diciembre de 2026, 09:00",
                "2026-12-06T09:00",
                "Mehr Text hier.",
            ),
            (
                "Mon, 07 Dec, 2026 - 14:22",
                "Mon, 07 Dec, 2026 - 14:22",
                "2026-12-07T14:22",
                "Mehr Text hier.",
            ),
            (
                "Updated December 6, 2026 at 9:05 p.m. AST",
                "Updated December 6, 2026 at 9:05 p.m. AST",
                "2026-12-06T21:05",
                "Mehr Text hier.",
            ),
            (
                "MONTEVIDEO, 6 dic 2026 (18:45)",
                "MONTEVIDEO, 6 dic 2026 (18:45)",
                "2026-12-06T18:45",
                "Mehr Text hier.",
            ),
            (
                "Publié le 7 décembre 2026 à 6 h 15",
                "Publié le 7 décembre 2026 à 6 h 15",
                "2026-12-07T06:15",
                "Mehr Text hier.",
            ),
            (
                "Las Palmas de Gran Canaria, 17/12/2026",
                "Las Palmas de Gran Canaria, 17/12/2026",
                "2026-12-17",
                "Mehr Text hier.",
            ),
            (
                "Bogotá, 7 de diciembre de 2026 - 8:20 a. m.",
                "Bogotá, 7 de diciembre de 2026 - 8:20 a. m.",
                "2026-12-07T08:20",
                "Mehr Text hier.",
            ),
            (
                "Publiziert: 07.12.2026, 06:30 Uhr",
                "Publiziert: 07.12.2026, 06:30 Uhr",
                "2026-12-07T06:30",
                "Mehr Text hier.",
            ),
            (
                "03/12/2026 07:45hMás de la mitad",
                "03/12/2026 07:45h",
                "2026-12-03T07:45",
                "Más de la mitad",
            ),
        ];
        for (line, raw, iso, next) in cases {
            let (r, d, n) = dateline(line).unwrap_or_else(|| panic!("no dateline in {line:?}"));
            assert_eq!(
                (r.as_str(), d.as_deref(), n.as_str()),
                (*raw, Some(*iso), *next),
                "{line}"
            );
        }
    }

    /// A kicker, a byline or a photo credit of a few words may stand between the title and
    /// the dateline without using up the blocks searched; a paragraph of story does.
    #[test]
    fn short_blocks_before_the_dateline_do_not_count() {
        let rules = RuleSet::builtin();
        let found = |text: &str| parse(text, "de", &rules).dateline.map(|d| d.text);
        let short = "Titel\nKultur\nPremiere\nVon Anna Berger\nFoto: Archiv\nGraz, 6. Dezember 2026\nText.\n";
        assert_eq!(found(short).as_deref(), Some("Graz, 6. Dezember 2026"));
        let story = "Titel\nEin erster Absatz mit mehr als vier Wörtern.\nNoch ein Absatz mit vielen Wörtern.\nUnd ein dritter Absatz mit vielen Wörtern.\nGraz, 6. Dezember 2026\nText.\n";
        assert_eq!(found(story), None);
        // Before a bar, a place is one word (or words joined by "de", "am" …); two plain
        // capitalised words are a section's byline, and the date alone is the dateline.
        let section = "Titel\nCampus News | 7 December 2026\nText.\n";
        assert_eq!(found(section).as_deref(), Some("7 December 2026"));
        let interview =
            "Titel\nPropos recueillis par Antoine Guérin – Le 5 décembre 2026\nTexte.\n";
        let found_fr = |text: &str| parse(text, "fr", &rules).dateline.map(|d| d.text);
        assert_eq!(found_fr(interview).as_deref(), Some("Le 5 décembre 2026"));
        let place = "Titel\nFrankfurt am Main | 7. Dezember 2026\nText.\n";
        assert_eq!(
            found(place).as_deref(),
            Some("Frankfurt am Main | 7. Dezember 2026")
        );
    }

    #[test]
    fn relative_timestamps_are_cut_without_a_datetime() {
        let text = "Titel\nHeute, 08:12 Uhr\nMehr Text hier.\n";
        let s = parse(text, "de", &RuleSet::builtin());
        let d = s.dateline.expect("a dateline");
        assert_eq!((d.text.as_str(), d.datetime), ("Heute, 08:12 Uhr", None));
        assert_eq!(s.blocks.len(), 2);
        // Wire copy gives the day and month but no year.
        let text = "Título\nValencia, 3 dic (EFE).-Un juzgado ha anulado el acuerdo.\n";
        let s = parse(text, "es", &RuleSet::builtin());
        let d = s.dateline.expect("a dateline");
        assert_eq!(
            (d.text.as_str(), d.datetime),
            ("Valencia, 3 dic (EFE).", None)
        );
        assert!(s.blocks[1].span.of(text).starts_with("Un juzgado"));
    }

    #[test]
    fn a_date_inside_a_sentence_is_not_a_dateline() {
        assert_eq!(dateline("12. März 2025 war ein kalter Tag."), None);
        assert_eq!(dateline("31.02.2025 - 10:00 kein Datum"), None);
    }

    #[test]
    fn headings_are_short_unpunctuated_lines_before_more_text() {
        let text = "Titel\nVon Jana Krüger\nEin Absatz.\nZwischentitel hier\nNoch ein Absatz.\nLetzte Zeile";
        let s = parse(text, "de", &RuleSet::builtin());
        let kinds: Vec<_> = s.blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(
            kinds,
            [Title, Paragraph, Paragraph, Heading, Paragraph, Paragraph]
        );
    }

    #[test]
    fn a_line_above_a_liveblog_entry_does_not_head_it() {
        let text = "Liveblog: Streik bei der Bahn\n\
            15:10 Uhr – Die Züge stehen still.\n\
            Alle Updates aufs Handy: Folgen Sie uns auf WhatsApp\n\
            14:40 Uhr – Die Gewerkschaft nennt das Angebot zu niedrig.\n\
            14:05 Uhr – Der Streik hat begonnen.\n\
            Wie es weitergeht\n\
            Am Abend wird weiter verhandelt.\n";
        let s = parse(text, "de", &RuleSet::builtin());
        use BlockKind::*;
        let kinds: Vec<_> = s.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [Title, Paragraph, Heading, Paragraph, Paragraph, Heading, Paragraph]
        );
        assert_eq!(
            s.heading_binds(),
            [false, false, false, false, false, true, false],
            "the WhatsApp line binds to nothing, the subheading to its paragraph"
        );
    }

    #[test]
    fn a_line_above_the_dateline_does_not_head_the_story() {
        let text = "Salary sacrifice cap: what it means for you\n\n\
            Free guide: The 2027 pension checklist – download now\n\n\
            Mon 7 Dec 2026 07.30 GMT\n\n\
            Millions of workers will see smaller savings from April.\n\n\
            How it works\n\n\
            Employees give up part of their salary.\n";
        let s = parse(text, "en", &RuleSet::builtin());
        use BlockKind::*;
        let kinds: Vec<_> = s.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [Title, Heading, Paragraph, Heading, Paragraph]);
        assert!(s.dateline.is_some());
        assert_eq!(
            s.heading_binds(),
            [false, false, false, true, false],
            "the offer above the dateline binds to nothing, the subheading to its paragraph"
        );
    }

    #[test]
    fn the_items_of_a_list_are_no_headings() {
        let text = "Titel\nEin Absatz.\nÀ lire aussi\n- Erster Link zu einem Text\n- Zweiter Link zu einem Text\nEin Absatz unter der Liste.\nZwischentitel hier\nNoch ein Absatz.\n";
        let s = parse(text, "de", &RuleSet::builtin());
        let kinds: Vec<_> = s.blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(
            kinds,
            [Title, Paragraph, Heading, Paragraph, Paragraph, Paragraph, Heading, Paragraph]
        );
    }

    /// The kinds and texts of the blocks of `text`, parsed as German.
    fn blocks(text: &str) -> Vec<(BlockKind, String)> {
        parse(text, "de", &RuleSet::builtin())
            .blocks
            .iter()
            .map(|b| (b.kind, b.span.of(text).to_string()))
            .collect()
    }

    #[test]
    fn a_hard_wrapped_paragraph_is_one_block() {
        let text = "Titel der Meldung\n\n\
Der Kreistag hat am Montagabend nach langer Debatte den Haushalt für\n\
das kommende Jahr beschlossen. Die Mehrheit fiel knapper aus als in\n\
den Vorjahren, weil zwei Fraktionen geschlossen dagegen stimmten.\n\n\
Neue Schulden\n\n\
Der Landrat verteidigte die neuen Kredite für den Bau der Schulen und\n\
verwies auf die gestiegenen Zinsen. Die Opposition sprach dagegen von\n\
einem Haushalt auf Pump, der die Gemeinden über Jahre belasten werde.\n";
        let found = blocks(text);
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[1].0, BlockKind::Paragraph);
        assert!(found[1].1.starts_with("Der Kreistag") && found[1].1.ends_with("stimmten."));
        assert_eq!(found[2], (BlockKind::Heading, "Neue Schulden".to_string()));
        assert!(found[3].1.ends_with("belasten werde."), "{found:?}");
        let clean = crate::article::clean(text, &RuleSet::builtin());
        assert!(
            clean
                .clean_text
                .contains("beschlossen. Die Mehrheit fiel knapper aus als in den Vorjahren"),
            "a wrapped paragraph comes out on one line: {}",
            clean.clean_text
        );
    }

    /// Without blank lines, a wrapped paragraph is still one block; a paragraph is parted where
    /// a line ends a sentence, and a line that opens with a time (a liveblog entry) or a
    /// heading starts a block of its own.
    #[test]
    fn hard_wrapped_text_without_blank_lines() {
        let text = "Titel der Meldung\n\
Der Kreistag hat am Montagabend nach langer Debatte den Haushalt für\n\
das kommende Jahr beschlossen, obwohl zwei Fraktionen dagegen stimmten\n\
und die Opposition von einem Haushalt auf Pump sprach, der die Gemeinden\n\
noch über Jahre belasten werde.\n\
Neue Schulden\n\
Der Landrat verteidigte die neuen Kredite für den Bau der Schulen und\n\
verwies auf die gestiegenen Zinsen und die Preise am Bau. Er sagte dazu,\n\
dass ohne die Kredite drei Schulen erst Jahre später saniert würden.\n\
10:15 Uhr – Die Sitzung ist unterbrochen, die Fraktionen beraten sich\n\
noch einmal, bevor am Nachmittag über die Schulen abgestimmt werden soll.\n";
        let found = blocks(text);
        let starts: Vec<String> = found
            .iter()
            .map(|b| b.1.chars().take(9).collect())
            .collect();
        assert_eq!(
            starts,
            [
                "Titel der",
                "Der Kreis",
                "Neue Schu",
                "Der Landr",
                "10:15 Uhr"
            ],
            "{found:?}"
        );
        assert_eq!(found[2].0, BlockKind::Heading);
    }

    #[test]
    fn a_box_of_short_lines_between_long_paragraphs_is_not_wrapping() {
        let paragraph = "Der Test zeigt deutliche Unterschiede zwischen den Geräten, vor allem bei der Temperatur, der Aufheizzeit und der Bedienung, die bei den günstigen Modellen oft umständlich ausfällt.";
        let text = format!(
            "Titel\n\n{paragraph}\n\nUnser Testsieger zum Bestpreis\nModell Crema One mit PID-Regelung und Mühle\nAktuell 379 Euro statt 449 Euro beim Händler\nMit dem Code SPAR20 sparen Sie weitere 20 Euro\nZum Angebot\n\n{paragraph}\n\n{paragraph}\n"
        );
        let found = blocks(&text);
        assert_eq!(
            found.len(),
            9,
            "every line of the box is a block: {found:?}"
        );
    }
}
