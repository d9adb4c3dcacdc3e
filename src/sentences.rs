//! Sentences: boundaries inside one block.
//!
//! A boundary candidate is a run of final punctuation (`.`, `!`, `?`, `…`) followed by closing
//! quotes or brackets and then white space. The candidate is kept unless what stands around it
//! says otherwise: a lowercase word after it, an abbreviation or initial before a period (the
//! lists are data in `rules/<lang>.abbreviations.txt`), or, in languages that write ordinals with a
//! period (German), a small number before a period that is followed by a month or a noun.
//! Only those places are inspected, so the splitter runs in one pass over the bytes.

use crate::rules::{RuleSet, TitleKind};
use crate::structure::{BlockKind, Span, Structure};

/// One sentence of the article body and the block it stands in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`Structure::blocks`].
    pub block: usize,
}

/// The index of the first sentence of the block that sentence `at` stands in.
pub fn block_start(sentences: &[Sentence], at: usize) -> usize {
    let block = sentences[at].block;
    (0..at)
        .rev()
        .take_while(|&k| sentences[k].block == block)
        .last()
        .unwrap_or(at)
}

/// Whether sentence `at` is the only sentence of its block (a label line, a heading, a list
/// item): its neighbours, if any, stand in other blocks.
pub fn alone_in_block(sentences: &[Sentence], at: usize) -> bool {
    let block = sentences[at].block;
    (at == 0 || sentences[at - 1].block != block)
        && sentences.get(at + 1).is_none_or(|next| next.block != block)
}

/// The index after the last sentence of the block that sentence `start` stands in.
pub fn block_end(sentences: &[Sentence], start: usize) -> usize {
    let block = sentences[start].block;
    (start..sentences.len())
        .find(|&k| sentences[k].block != block)
        .unwrap_or(sentences.len())
}

/// Every sentence of every block but the title, in order.
pub fn segment(
    text: &str,
    structure: &Structure,
    language: &str,
    rules: &RuleSet,
) -> Vec<Sentence> {
    let mut out = Vec::new();
    // Room reused from block to block (two allocations a block went to them).
    let (mut cuts, mut spans) = (Vec::new(), Vec::new());
    for (index, block) in structure.blocks.iter().enumerate() {
        if block.kind == BlockKind::Title {
            continue;
        }
        spans.clear();
        split_into(text, block.span, language, rules, &mut cuts, &mut spans);
        out.extend(spans.iter().map(|&span| Sentence { span, block: index }));
    }
    out
}

/// Languages that write ordinal numbers with a period ("am 1. August", "2. Bundesliga").
const ORDINAL_DOT_LANGUAGES: &[&str] = &[
    "de", "da", "no", "nb", "fi", "cs", "sk", "pl", "hu", "et", "lv", "sl", "hr", "sr", "is",
];

/// Quotes and brackets that may close a sentence after its final punctuation.
fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '“' | '’' | '‘' | '»' | '«' | ')' | ']' | '›' | '‹'
    )
}

fn is_terminator(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Opening quotes and brackets that may stand before the first word of a sentence or token.
fn is_opening(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '„'
            | '“'
            | '‚'
            | '‘'
            | '»'
            | '«'
            | '('
            | '['
            | '›'
            | '‹'
            | '¿'
            | '¡'
            | '`'
    )
}

/// A line at least this long that ends in a lowercase word or a comma and is followed by a
/// capitalised line is taken as hard-wrapped (German nouns start in uppercase), not as a heading.
const WRAPPED_LINE_MIN_CHARS: usize = 50;

/// Splits free text (not a structured article) into sentence spans. A line break ends a
/// sentence (headings and list items carry no period) unless the text is wrapped: the next line
/// starts in lowercase, or a long line without final punctuation runs on into the next.
pub fn split_text(text: &str, language: &str, rules: &RuleSet) -> Vec<Span> {
    let mut out = Vec::new();
    let mut segment: Option<Span> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        let start = offset + (line.len() - line.trim_start().len());
        offset += line.len();
        if trimmed.is_empty() {
            if let Some(done) = segment.take() {
                out.extend(split(text, done, language, rules));
            }
            continue;
        }
        let span = Span::new(start, start + trimmed.len());
        segment = match segment {
            Some(open) if continues(open.of(text), trimmed) => {
                Some(Span::new(open.start, span.end))
            }
            Some(done) => {
                out.extend(split(text, done, language, rules));
                Some(span)
            }
            None => Some(span),
        };
    }
    if let Some(done) = segment {
        out.extend(split(text, done, language, rules));
    }
    out
}

/// Whether `next` continues the sentence that `previous` (the text so far) leaves open.
fn continues(previous: &str, next: &str) -> bool {
    if next.starts_with(char::is_lowercase) {
        return true;
    }
    let last_line = previous.rsplit('\n').next().unwrap_or(previous);
    last_line.chars().count() >= WRAPPED_LINE_MIN_CHARS
        && (last_line.ends_with(',')
            || last_line.split_whitespace().last().is_some_and(|w| {
                w.starts_with(char::is_lowercase) && w.ends_with(char::is_alphabetic)
            }))
        && next.starts_with(char::is_alphabetic)
}

/// Splits the text of `block` into trimmed sentence spans, in order.
pub fn split(text: &str, block: Span, language: &str, rules: &RuleSet) -> Vec<Span> {
    let mut sentences = Vec::new();
    split_into(
        text,
        block,
        language,
        rules,
        &mut Vec::new(),
        &mut sentences,
    );
    sentences
}

/// [`split`], appending the spans to `sentences`; `cuts` is room for where the block is cut,
/// which a caller may reuse from block to block.
fn split_into(
    text: &str,
    block: Span,
    language: &str,
    rules: &RuleSet,
    cuts: &mut Vec<usize>,
    sentences: &mut Vec<Span>,
) {
    let line = block.of(text);
    let list = ListItems::find(line, ORDINAL_DOT_LANGUAGES.contains(&language));
    cuts.clear();
    cuts.extend_from_slice(&list.starts);
    let mut last_cut = 0;
    let bytes = line.as_bytes();
    let mut next_at = 0;
    // Only the bytes that can start a terminator are looked at: ASCII ".!?" and 0xE2, the lead
    // byte of "…" and the other terminators in the U+20xx block.
    // Next candidates, found with vectorised byte searches and kept until passed.
    let mut ascii_at = memchr::memchr3(b'.', b'!', b'?', bytes);
    let mut lead_at = memchr::memchr(0xE2, bytes);
    loop {
        if ascii_at.is_some_and(|a| a < next_at) {
            ascii_at = memchr::memchr3(b'.', b'!', b'?', &bytes[next_at..]).map(|a| a + next_at);
        }
        if lead_at.is_some_and(|l| l < next_at) {
            lead_at = memchr::memchr(0xE2, &bytes[next_at..]).map(|l| l + next_at);
        }
        let i = match (ascii_at, lead_at) {
            (Some(a), Some(l)) => a.min(l),
            (Some(a), None) => a,
            (None, Some(l)) => l,
            (None, None) => break,
        };
        let c = line[i..].chars().next().expect("a char starts here");
        next_at = i + c.len_utf8();
        if !is_terminator(c) || list.marker_dots.contains(&i) {
            continue;
        }
        // The whole run of final punctuation and closing quotes is decided at once.
        let mut end = next_at;
        let mut only_period = c == '.';
        for d in line[end..].chars() {
            if is_terminator(d) {
                only_period &= d == '.';
            } else if !is_closing(d) {
                break;
            }
            end += d.len_utf8();
        }
        next_at = end;
        if !only_period_run(&line[i..end]) {
            // fall through: "?", "!", "?!", "…" and mixed runs are decided below
        } else if end - i > 1 && line[..i].ends_with(['[', '(']) {
            continue; // an omission mark: "[...]", "(...)"
        }
        if c == '.' && end == i + 1 && line[end..].starts_with(" .") {
            // A spaced ellipsis ". . ." or ". . . .".
            let mut dots = 1;
            while line[end..].starts_with(" .") {
                end += 2;
                dots += 1;
            }
            end += line[end..].len() - line[end..].trim_start_matches(is_closing).len();
            next_at = end;
            let rest = line[end..].trim_start();
            let attached = line[..i].ends_with(|p: char| !p.is_whitespace());
            if rest.is_empty() {
                continue;
            }
            if dots < 4 {
                // Three dots leave something out inside the sentence ("weakened . . . was"),
                // unless a capitalised word follows ("the region . . . This operation"); "I"
                // alone says nothing ("the thing is . . . I didn't mean it").
                let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
                if word.starts_with(char::is_uppercase)
                    && word.chars().nth(1).is_some()
                    && !is_lead_in(&line[last_cut..i])
                {
                    cuts.push(end);
                    last_cut = end;
                }
                continue;
            }
            if attached {
                // "word. . . . Next": the period ends the sentence, the ellipsis opens the next.
                cuts.push(i + 1);
                last_cut = i + 1;
            } else if !rest.starts_with(char::is_lowercase) {
                cuts.push(end);
                last_cut = end;
            }
            continue;
        }
        // A closing quote or an emoticon standing alone after the run belongs to it.
        let mut run_end = end;
        let after = &line[end..];
        let rest = after.trim_start();
        if rest.len() != after.len() {
            if let Some(close) = detached_close(line, i, rest) {
                end = close;
                run_end = end;
            } else if let Some(close) = emoticon_after(line, rest) {
                end = close;
            }
            next_at = end;
        }
        let after = &line[end..];
        let rest = after.trim_start();
        if rest.is_empty() || rest.len() == after.len() {
            continue; // end of block, or no space after the punctuation ("3.5", "z.B.")
        }
        let run = &line[i..run_end];
        let ellipsis = (run.starts_with("..") || run.contains('…')) && !run.contains(['?', '!']);
        let quoted = run.contains(is_closing);
        let candidate = Candidate {
            period: only_period && !ellipsis,
            ellipsis,
            quoted,
            exclamation: !run.contains('?'),
        };
        if is_boundary(&line[last_cut..i], candidate, rest, language, rules) {
            cuts.push(end);
            last_cut = end;
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut from = 0;
    let mut headings = Vec::new();
    for &cut in cuts.iter().chain(std::iter::once(&line.len())) {
        // Only a sentence that opens with a quote ('"', '`', or the lead byte of "„", "“",
        // "»", "«") can be a quoted heading.
        let first = bytes[from..cut].iter().find(|b| !b.is_ascii_whitespace());
        if matches!(first, Some(b'"' | b'`' | 0xC2 | 0xE2)) {
            headings.extend(quoted_heading(&line[from..cut], language, rules).map(|e| from + e));
        }
        from = cut;
    }
    if !headings.is_empty() {
        cuts.extend(headings);
        cuts.sort_unstable();
    }
    let mut from = 0;
    for &cut in cuts.iter().chain(std::iter::once(&line.len())) {
        push_trimmed(sentences, block.start, line, from, cut);
        from = cut;
    }
}

/// Where the sentence that ends with the punctuation starting at `at` ends when a quote stands
/// alone after it (`rest`, a suffix of `line`, is the text after the white space): a quote that closes the quotation an earlier one opened ("… by the phrase. '
/// And on April 3 …", where "' A radical cleric …" opened the block; "„Das ist gut. “ Dann …")
/// belongs to the sentence before; one that opens a quotation belongs to the sentence after.
/// Straight quotes look the same both ways, so their number before says which: odd, it closes
/// (for "'" only quotes standing alone are counted, as apostrophes are attached to words). "“",
/// "»" and "«" close where more of their openers ("„", "«", "»") than of themselves stand before
/// (German „…“ and »…«, French «…»), and open otherwise (English “…”); "”" and the typewriter
/// "''" always close.
fn detached_close(line: &str, at: usize, rest: &str) -> Option<usize> {
    if !rest.starts_with(['"', '\'', '”', '“', '»', '«']) {
        return None;
    }
    let quote = if rest.starts_with("''") {
        "''"
    } else {
        let first = rest.chars().next().expect("starts with a quote");
        &rest[..first.len_utf8()]
    };
    let tail = &rest[quote.len()..];
    if !tail.is_empty() && !tail.starts_with(char::is_whitespace) {
        return None;
    }
    let before = &line[..at];
    let unmatched =
        |open: char, close: char| before.matches(open).count() > before.matches(close).count();
    let closes = match quote {
        "''" | "”" => true,
        "\"" => before.matches('"').count() % 2 == 1,
        "'" => before.split_whitespace().filter(|t| *t == "'").count() % 2 == 1,
        "“" => unmatched('„', '“'),
        "»" => unmatched('«', '»'),
        _ => unmatched('»', '«'),
    };
    closes.then(|| line.len() - tail.len())
}

/// Where an emoticon that stands alone after a run of final punctuation ends (`rest`, a suffix
/// of `line`, is the text after the white space): it closes the sentence before it, as a closing
/// quote does ("Great!! :) Will come back", "I love her. :)").
fn emoticon_after(line: &str, rest: &str) -> Option<usize> {
    if !rest.starts_with([':', ';', '=', '<']) {
        return None;
    }
    let token = rest.split_whitespace().next()?;
    is_emoticon(token).then(|| line.len() - rest.len() + token.len())
}

/// A smiley of eyes, an optional nose and a mouth (":)", ";-)", ":-D", "=(", ":P") or a heart
/// ("<3").
fn is_emoticon(token: &str) -> bool {
    if token == "<3" {
        return true;
    }
    let Some(face) = token.strip_prefix([':', ';', '=']) else {
        return false;
    };
    let mouth = face.strip_prefix(['-', '\'']).unwrap_or(face);
    (1..=3).contains(&mouth.len())
        && mouth.bytes().all(|b| {
            matches!(
                b,
                b')' | b'(' | b'D' | b'P' | b'p' | b'O' | b'o' | b'/' | b'|' | b']' | b'[' | b'*'
            )
        })
}

/// Where a sentence that is one quotation without final punctuation ends: a quoted title or
/// heading run into the text ("\"Öffentlich rechtlicher Betrieb\" Ihr findet hier …"). The
/// quotation must hold no final punctuation and no comma before its close ("\"We staged this
/// fair,\" Shojai said" goes on), and a sentence opener must follow; "I" alone says nothing,
/// as it is capitalised everywhere.
fn quoted_heading(segment: &str, language: &str, rules: &RuleSet) -> Option<usize> {
    let text = segment.trim_start();
    let open = text.chars().next()?;
    let (open_len, closes): (usize, &[&str]) = match open {
        '`' if text.starts_with("``") => (2, &["''"]),
        '"' => (1, &["\""]),
        '„' => (open.len_utf8(), &["“", "”"]),
        '“' => (open.len_utf8(), &["”"]),
        '»' => (open.len_utf8(), &["«"]),
        '«' => (open.len_utf8(), &["»"]),
        _ => return None,
    };
    // One pass up to the first close, comma or final punctuation: quoted speech usually has a
    // comma or a period early, and the scan stops there.
    let inner = &text[open_len..];
    let bytes = inner.as_bytes();
    let mut end = None;
    for (k, &b) in bytes.iter().enumerate() {
        match b {
            b'.' | b'!' | b'?' | b',' => return None,
            b'"' | b'\'' | 0xC2 | 0xE2 => {
                if let Some(close) = closes.iter().find(|c| inner[k..].starts_with(**c)) {
                    end = Some((k, close.len()));
                    break;
                }
                if b == 0xE2 && inner[k..].starts_with(is_terminator) {
                    return None;
                }
            }
            _ => {}
        }
    }
    let (at, close) = end?;
    if inner[..at].trim().is_empty() {
        return None;
    }
    let end = open_len + at + close;
    let after = &text[end..];
    let rest = after.trim_start();
    if rest.len() == after.len() {
        return None;
    }
    let next_word = &rest[..rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len())];
    let lead = segment.len() - text.len();
    (next_word.chars().nth(1).is_some()
        && next_word.starts_with(char::is_uppercase)
        && rules.is_sentence_starter(language, next_word))
    .then_some(lead + end)
}

/// Inline enumerations: "1.) The first item 2.) The second item", "• 9. … • 10. …",
/// "a. … b. … c. …". A marker at the very start of a segment is always one; elsewhere markers
/// count only as a consecutive sequence of at least two, each followed by a capitalised word,
/// whose first marker opens a sentence (after final punctuation, a colon or a bullet): "Step 1.
/// Open the box. Step 2. Close it" and "at 10. Then 11. Then noon" number no list. In
/// languages that write ordinals with a period, a bare number with a period inside a segment is
/// an ordinal, not a marker: "Der 1. FC Köln steigt in die 2. Bundesliga ab".
#[derive(Debug, Default)]
struct ListItems {
    /// Byte offsets where a new item begins (its bullet or number), the first excluded.
    starts: Vec<usize>,
    /// Byte offsets of the periods that belong to markers ("1." in "1. The"): never boundaries.
    marker_dots: Vec<usize>,
}

/// One marker: where it starts, its ordinal, where its period is (if any), and whether it
/// stands where a sentence may begin (the segment's start, a bullet, or after final punctuation
/// or a colon).
struct Marker {
    start: usize,
    ordinal: u32,
    dot: Option<usize>,
    opens: bool,
}

impl ListItems {
    fn find(line: &str, ordinal_dots: bool) -> ListItems {
        if !Self::may_have_markers(line) {
            return ListItems::default();
        }
        let markers = Self::markers(line, ordinal_dots);
        let mut items = ListItems::default();
        if let Some(first) = markers.first().filter(|m| m.start == 0) {
            items.marker_dots.extend(first.dot);
        }
        let mut k = 0;
        while k < markers.len() {
            let mut run = k + 1;
            while run < markers.len() && markers[run].ordinal == markers[run - 1].ordinal + 1 {
                run += 1;
            }
            if run - k >= 2 && markers[k].opens {
                for (n, m) in markers[k..run].iter().enumerate() {
                    items.marker_dots.extend(m.dot);
                    if n > 0 || m.start > 0 {
                        items.starts.push(m.start);
                    }
                }
            }
            k = run;
        }
        items.starts.retain(|&s| s > 0);
        items
    }

    /// A cheap byte scan: a marker needs a digit or a lone lowercase letter right before a
    /// period or a closing parenthesis. Most lines have none, and skip the token walk. The
    /// periods and parentheses are found with memchr (a test of every byte was 4 instructions
    /// per byte of warm input).
    fn may_have_markers(line: &str) -> bool {
        let bytes = line.as_bytes();
        let Some(after_first) = bytes.get(1..) else {
            return false;
        };
        memchr::memchr2_iter(b'.', b')', after_first).any(|k| {
            let i = k + 1;
            bytes[i - 1].is_ascii_digit()
                || (bytes[i - 1].is_ascii_lowercase()
                    && (i == 1 || bytes[i - 2].is_ascii_whitespace()))
        })
    }

    fn markers(line: &str, ordinal_dots: bool) -> Vec<Marker> {
        let bytes = line.as_bytes();
        let mut out = Vec::new();
        let mut word_start = 0;
        for (i, c) in line
            .char_indices()
            .chain(std::iter::once((line.len(), ' ')))
        {
            if !c.is_whitespace() {
                continue;
            }
            let token = &line[word_start..i];
            let at = word_start;
            word_start = i + c.len_utf8();
            if token.is_empty() || (at > 0 && !line[..at].ends_with(char::is_whitespace)) {
                continue;
            }
            let body = token.trim_start_matches(['•', '⁃', '▪', '◦', '-', '–', '*']);
            let offset = at + token.len() - body.len();
            let (core, dot) = if let Some(core) = body.strip_suffix(".)") {
                (core, Some(offset + core.len()))
            } else if let Some(core) = body.strip_suffix(')') {
                (core, None)
            } else if let Some(core) = body.strip_suffix('.') {
                (core, Some(offset + core.len()))
            } else {
                continue;
            };
            let ordinal = if !core.is_empty()
                && core.len() <= 3
                && core.bytes().all(|b| b.is_ascii_digit())
            {
                core.parse().unwrap_or(0)
            } else if core.len() == 1 && bytes[offset].is_ascii_lowercase() {
                u32::from(bytes[offset] - b'a') + 1
            } else {
                continue;
            };
            let next = line[i..].trim_start();
            if !next.starts_with(char::is_uppercase) {
                continue;
            }
            // A bare bullet before the number belongs to the item: "• 9. The first item".
            let start = if body.len() == token.len() {
                bullet_before(line, at).unwrap_or(at)
            } else {
                at
            };
            let ordinal_number = ordinal_dots
                && start == at
                && body.ends_with('.')
                && !body.ends_with(".)")
                && core.bytes().all(|b| b.is_ascii_digit());
            if ordinal_number && at > 0 {
                continue;
            }
            let opens = start != at
                || body.len() != token.len()
                || line[..start].trim_end().is_empty()
                || line[..start]
                    .trim_end()
                    .trim_end_matches(is_closing)
                    .ends_with(|c: char| is_terminator(c) || c == ':' || c == ';');
            out.push(Marker {
                start,
                ordinal,
                dot,
                opens,
            });
        }
        out
    }
}

/// The offset of a lone bullet ("•") standing right before the token at `at`, if any.
fn bullet_before(line: &str, at: usize) -> Option<usize> {
    let before = line[..at].trim_end();
    let bullet = before
        .chars()
        .last()
        .filter(|c| matches!(c, '•' | '⁃' | '▪' | '◦' | '*'))?;
    let start = before.len() - bullet.len_utf8();
    (start == 0 || line[..start].ends_with(char::is_whitespace)).then_some(start)
}

fn push_trimmed(out: &mut Vec<Span>, base: usize, line: &str, start: usize, end: usize) {
    let piece = &line[start..end];
    let lead = piece.len() - piece.trim_start().len();
    let trimmed = piece.trim();
    if !trimmed.is_empty() {
        out.push(Span::new(
            base + start + lead,
            base + start + lead + trimmed.len(),
        ));
    }
}

/// Whether a run of final punctuation is periods only (with closing quotes or brackets).
fn only_period_run(run: &str) -> bool {
    run.chars().all(|c| c == '.' || is_closing(c))
}

/// What a boundary candidate's punctuation is.
#[derive(Clone, Copy)]
struct Candidate {
    /// A single period (no "?", "!", ellipsis).
    period: bool,
    /// "..." or "…".
    ellipsis: bool,
    /// No question mark in the run.
    exclamation: bool,
    /// The run closes a quotation or a parenthesis ("?“", ".\"", "!)").
    quoted: bool,
}

/// Decides a candidate: `before` is the sentence so far (up to the punctuation), `rest` the text
/// after the white space.
fn is_boundary(
    before: &str,
    candidate: Candidate,
    rest: &str,
    language: &str,
    rules: &RuleSet,
) -> bool {
    if !candidate.period && candidate.quoted && reported_reply(rest) {
        return false;
    }
    let rest = rest.trim_start_matches(is_opening);
    let Some(next) = rest.chars().next() else {
        return true;
    };
    let mut tokens = before.split_whitespace().rev();
    let word = tokens.next().unwrap_or("").trim_start_matches(is_opening);
    let next_token = rest.split_whitespace().next().unwrap_or("");
    if !next_token.contains(char::is_alphanumeric) && !next_token.starts_with(is_opening) {
        // A separator ("***", "--", "====", "[...]") or a dash that opens a new turn stands on
        // its own; an emoticon closes the sentence before it: "I love her. :)". A dash after an
        // abbreviation joins a range ("Mo. - Fr.", "Jan. – März").
        if matches!(next_token, "-" | "–" | "—") && word.len() > 1 {
            let stem = word.trim_end_matches('.');
            if rules.is_abbreviation(language, stem) || rules.is_title(language, stem) {
                return false;
            }
        }
        return is_separator(next_token);
    }
    if ["http://", "https://", "www."]
        .iter()
        .any(|scheme| next_token.starts_with(scheme))
    {
        return true; // a link after the punctuation stands on its own: "… pretty cool... http://…"
    }
    if next.is_lowercase() {
        // Edited text starts sentences in uppercase, but mail and web text often does not. A
        // lowercase word still follows a sentence end after "?" or "!" outside quotes ("“Why?”
        // he asked" goes on), and after a period that closes an ordinary word (not an
        // abbreviation, which is what a period before lowercase usually marks).
        if candidate.ellipsis || candidate.quoted || before.ends_with(',') {
            // A mark after a comma belongs to a quotation closed before the comma
            // ("Wehrpflicht'',? fragte der Vorsitzende"): the reporting clause goes on.
            return false;
        }
        if !candidate.period {
            // "Yahoo! in the accounting department": a capitalised name may carry a "!"; a
            // capitalised word alone before it is an exclamation ("Wow! that was close"), and
            // so is a word in capitals ("I LOVE IT! they were so nice").
            return !(candidate.exclamation
                && word.starts_with(char::is_uppercase)
                && word.contains(char::is_lowercase)
                && before.split_whitespace().nth(1).is_some());
        }
        let capitalised: String = word
            .chars()
            .take(1)
            .flat_map(char::to_uppercase)
            .chain(word.chars().skip(1))
            .collect();
        let ordinal_dots = ORDINAL_DOT_LANGUAGES.contains(&language);
        let ordinal = ordinal_dots && (is_roman_numeral(word) || is_day_month(word));
        // Where ordinals take no period, a number of any length ends the sentence: "my son is
        // 6. he loves it".
        let number = !ordinal_dots && word.ends_with(|c: char| c.is_ascii_digit());
        return (is_ordinary_word(word) || is_address(word) || number)
            && !ordinal
            && ![word, capitalised.as_str()].iter().any(|w| {
                rules.is_title(language, w)
                    || rules.is_number_title(language, w)
                    || rules.is_abbreviation(language, w)
            });
    }
    if !candidate.period {
        // "okay.... I have a dog", "Nice people... I hear": an ellipsis after a lead-in of one
        // or two words is a hesitation inside the sentence, not its end, and so is one after up
        // to four words when the speaker goes on with "I" ("In a few words ... I'm pleasantly
        // surprised"; a longer sentence before it ends: "… more than an hour... I …").
        let first_person = rest.split(|c: char| !c.is_alphanumeric()).next() == Some("I");
        return !(candidate.ellipsis
            && (is_lead_in(before)
                || (first_person
                    && before
                        .split_whitespace()
                        .nth(HESITATION_MAX_WORDS)
                        .is_none())));
    }
    if word.is_empty() {
        return true;
    }
    if before.trim() == word && word.len() <= 3 && word.bytes().all(|b| b.is_ascii_digit()) {
        return false; // "4. Die gängige Auffassung …": a numbered point, not a sentence
    }
    let next_word = &rest[..rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len())];
    // A title ("Mr.", "Dr.") opens a name, and names open sentences. Decided only where needed:
    // the lookups cost more than the rest of the scan.
    let starter = || {
        rules.is_sentence_starter(language, next_word)
            || (rest[next_word.len()..].starts_with('.') && rules.is_title(language, next_word))
    };
    match rules.title_kind(language, word) {
        Some(TitleKind::Title) => return false, // "Dr. Weber", "Nr. 5": before what they name
        Some(TitleKind::BeforeNumber) => {
            // "No. 5", "Art. 5 GG", "Art. II": it names the number; before anything else it is
            // a word of its own: "No. I don't think so", "Das ist eine neue Art. Sie lebt …".
            return !(next.is_ascii_digit() || next == '#' || is_roman_numeral(next_word));
        }
        None => {}
    }
    if word.len() > 1 && before.split_whitespace().nth(1).is_none() {
        // A sentence's first word, capitalised: "Ca. 50 Menschen kamen", "Vgl. Kapitel 3",
        // "Approx. 50 people stayed" are no one-word sentences.
        let mut chars = word.chars();
        let lower: String = chars
            .next()
            .into_iter()
            .flat_map(char::to_lowercase)
            .chain(chars)
            .collect();
        if lower != word
            && (rules.is_title(language, &lower)
                || rules.is_number_title(language, &lower)
                || rules.is_abbreviation(language, &lower))
        {
            return false;
        }
    }
    // A compound of abbreviations ("Dipl.-Ing.", "Univ.-Prof.", "Reg.-Bez."): its last part
    // decides, and it is an abbreviation even when that part is in no list.
    let hyphen = memchr::memrchr(b'-', word.as_bytes()).filter(|&at| word[..at].ends_with('.'));
    let (word, compound) = match hyphen.map(|at| &word[at + 1..]) {
        Some(last) if is_abbreviation_part(last) => (last, true),
        _ => (word, false),
    };
    if compound && rules.is_title(language, word) {
        return false; // "Univ.-Prof. Dr. Meier"
    }
    if compound || rules.is_abbreviation(language, word) || is_dotted_abbreviation(word) {
        // "… & Co. It closed", "He's from L.A. He likes it"; but a title after three words or
        // fewer ending in an abbreviation does not open a sentence: "At 5 a.m. Mr. Smith went
        // …", and one word ending in an abbreviation is no sentence.
        let words = before.split_whitespace().count();
        return words > 1
            && if rules.is_sentence_starter(language, next_word) {
                true
            } else {
                words > 3 && starter()
            };
    }
    let mut letters = word.chars();
    if let (Some(letter), None) = (letters.next(), letters.next()) {
        if letter.is_alphabetic() {
            // "z. B.", "J. R. Smith": part of a chain of one-letter abbreviations or initials;
            // "you and I. Did you …": a one-letter word ending a sentence.
            let previous = tokens.next().unwrap_or("");
            let chained = previous.len() <= 3
                && previous.ends_with('.')
                && previous.chars().filter(|c| c.is_alphabetic()).count() == 1;
            return letter.is_uppercase() && !chained && starter();
        }
    }
    let number = word.trim_start_matches(['-', '–']);
    let ordinal =
        !number.is_empty() && number.len() <= 3 && number.bytes().all(|b| b.is_ascii_digit());
    if (ordinal || is_roman_numeral(word) || is_day_month(word))
        && ORDINAL_DOT_LANGUAGES.contains(&language)
    {
        // "am 1. August", "die 2. Bundesliga", "der 100. Geburtstag", "1. -3. Jahrhundert", "im
        // 19. Jh.", "Benedikt XVI. Papst", "am 24.12. Heiligabend": an ordinal. Only a word
        // that typically opens a sentence makes it a boundary ("… in Runde 3. Die anderen …");
        // a title does not, as most of them stand after ordinals as well.
        return rules.is_sentence_starter(language, next_word);
    }
    true
}

/// Whether `rest`, the text after a quoted question or exclamation, is a reply quoted in turn
/// and then reported, with the comma after its closing quote (German style): "Thomas sagte:
/// ,,Wann kommst zu mir?” ,,Das weiß ich noch nicht“, antwortete Susi …". The exchange and its
/// reporting clause make one sentence, as pySBD's German rules have it. The reply must hold no
/// final punctuation, and a lowercase word must follow the comma; English puts the comma inside
/// the quotation ("\"Are you coming?\" \"No,\" she said"), which this leaves alone.
fn reported_reply(rest: &str) -> bool {
    let Some(reply) = [",,", "„", "\"", "“", "»", "«"]
        .iter()
        .find_map(|open| rest.strip_prefix(open))
    else {
        return false;
    };
    let Some(close) = reply.find(['“', '”', '"', '«', '»']) else {
        return false;
    };
    if reply[..close].contains(is_terminator) {
        return false;
    }
    let after = reply[close..].trim_start_matches(is_closing);
    after
        .strip_prefix(", ")
        .is_some_and(|clause| clause.starts_with(char::is_lowercase))
}

/// The part of a compound abbreviation after its hyphen: a short capitalised word ("Ing" in
/// "Dipl.-Ing", not "based" in "U.S.-based").
fn is_abbreviation_part(part: &str) -> bool {
    part.starts_with(char::is_uppercase)
        && part.chars().count() <= 6
        && part.chars().all(char::is_alphabetic)
}

/// Words before an ellipsis that make a lead-in ("Well...", "Nice people..."), not a sentence.
const LEAD_IN_MAX_WORDS: usize = 2;

/// Words before an ellipsis and "I" that make a hesitation ("In a few words ... I'm …").
const HESITATION_MAX_WORDS: usize = 4;

/// Whether the sentence so far is a lead-in of at most [`LEAD_IN_MAX_WORDS`] words.
fn is_lead_in(before: &str) -> bool {
    before.split_whitespace().nth(LEAD_IN_MAX_WORDS).is_none()
}

/// A token of rule or bullet characters ("***", "--", "=====", "+", "–", or the ">" that marks
/// a quoted line in mail and newsgroup posts), an omission mark
/// ("[...]") or a lone "?" or "\u{FFFD}" (a bullet or space lost to a wrong encoding: "… any
/// questions. ? Best regards."): layout between sentences, not part of the one before. `token`
/// has its opening brackets trimmed ("...]").
fn is_separator(token: &str) -> bool {
    matches!(token, "...]" | "…]" | "...)" | "…)" | "?" | "\u{FFFD}")
        || token.chars().all(|c| {
            matches!(
                c,
                '*' | '-' | '=' | '_' | '~' | '#' | '+' | '–' | '—' | '•' | '>'
            )
        })
}

/// A word that is not shaped like an abbreviation: at least two letters with a vowel
/// ("party", "it", "didn't", "e-mail") or all in capitals (an acronym, written without a period: "a new TV. it
/// works"), a number of three or more characters, or no letters and no digits at all (an
/// emoticon such as ":-)").
fn is_ordinary_word(word: &str) -> bool {
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if word.chars().any(|c| c.is_ascii_digit()) {
        // "303-832-8160", "5th", "2019": a number too long to be an ordinal or a list marker.
        return word.chars().count() >= 3;
    }
    if letters.is_empty() {
        return !word.is_empty();
    }
    // Apostrophes and hyphens join words ("didn't", "e-mail"), periods abbreviations ("z.B").
    let joiners = word
        .trim_end_matches(is_closing)
        .chars()
        .filter(|c| matches!(c, '\'' | '’' | '-'))
        .count();
    letters.len() + joiners == word.trim_end_matches(is_closing).chars().count()
        && letters.len() >= 2
        && (letters.iter().all(|c| c.is_uppercase())
            || letters
                .iter()
                .any(|c| "aeiouyäöüéèáàíóú".contains(c.to_lowercase().next().unwrap_or(*c))))
}

/// A web or mail address or a file name ("google.com", "jane@enron.com", "TEXT.htm"): it
/// contains periods but no abbreviation, so a period after it ends the sentence even before
/// a lowercase word ("go to google.com. then click on …").
fn is_address(word: &str) -> bool {
    let Some((first, last)) = word.split_once('.').zip(word.rsplit_once('.')) else {
        return false;
    };
    let (first, last) = (first.0, last.1);
    word.contains("://")
        || word.starts_with("www.")
        || (first.chars().count() >= 2
            && (2..=4).contains(&last.len())
            && last.bytes().all(|b| b.is_ascii_lowercase())
            && !is_dotted_abbreviation(word))
}

/// A Roman numeral of two or more letters ("II", "XVI"): with a period, an ordinal in languages
/// that write ordinals so ("Wilhelm II. dankte ab").
fn is_roman_numeral(word: &str) -> bool {
    word.len() >= 2 && word.len() <= 7 && word.bytes().all(|b| b"IVXLC".contains(&b))
}

/// A day and a month written with periods, without the year: "3.10" in "am 3.10. ist
/// Feiertag", "31.12" in "bis zum 31.12. gilt": an ordinal date in languages that write
/// ordinals with a period.
fn is_day_month(word: &str) -> bool {
    if !(3..=5).contains(&word.len()) || !word.as_bytes()[0].is_ascii_digit() {
        return false;
    }
    let Some((day, month)) = word.split_once('.') else {
        return false;
    };
    let number = |part: &str, max: u32| {
        (1..=2).contains(&part.len())
            && part.bytes().all(|b| b.is_ascii_digit())
            && part.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    number(day, 31) && number(month, 12)
}

/// Letters separated by periods, at most two letters each: "U.S", "z.B", "e.g", "Ph.D".
fn is_dotted_abbreviation(word: &str) -> bool {
    word.contains('.')
        && word.split('.').all(|part| {
            let n = part.chars().count();
            (1..=2).contains(&n) && part.chars().all(char::is_alphabetic)
        })
}

/// One sentence per entry of `blocks`, in the block it names, each with a span of its own: the
/// sentences of a test that needs only their blocks.
#[cfg(test)]
pub(crate) fn sentences_in(blocks: &[usize]) -> Vec<Sentence> {
    blocks
        .iter()
        .enumerate()
        .map(|(i, &block)| Sentence {
            span: Span::new(i, i + 1),
            block,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_alone_in_its_block_when_its_neighbours_stand_in_others() {
        let sentences = sentences_in(&[0, 1, 1, 2, 3, 3]);
        let alone: Vec<bool> = (0..sentences.len())
            .map(|i| alone_in_block(&sentences, i))
            .collect();
        assert_eq!(alone, [true, false, false, true, false, false]);
        for (i, &is_alone) in alone.iter().enumerate() {
            let by_bounds = block_start(&sentences, i) == i && block_end(&sentences, i) == i + 1;
            assert_eq!(is_alone, by_bounds, "sentence {i}");
        }
    }

    fn sentences(text: &str, language: &str) -> Vec<String> {
        let rules = RuleSet::builtin();
        split(text, Span::new(0, text.len()), language, &rules)
            .into_iter()
            .map(|s| s.of(text).to_string())
            .collect()
    }

    #[test]
    fn free_text_lines() {
        let rules = RuleSet::builtin();
        let text = "Fit in vier Wochen\n\nSchwangere Frauen sollten während der \nersten Monate Folsäure nehmen.\n• 1. Essen Sie gesund!\n• 2. Treiben Sie Sport!";
        let got: Vec<&str> = split_text(text, "de", &rules)
            .into_iter()
            .map(|s| s.of(text))
            .collect();
        assert_eq!(
            got,
            [
                "Fit in vier Wochen",
                "Schwangere Frauen sollten während der \nersten Monate Folsäure nehmen.",
                "• 1. Essen Sie gesund!",
                "• 2. Treiben Sie Sport!"
            ]
        );
    }

    #[test]
    fn table() {
        let cases: &[(&str, &str, &str, &[&str])] = &[
            (
                "plain",
                "de",
                "Das ist gut. Das auch.",
                &["Das ist gut.", "Das auch."],
            ),
            (
                "abbreviation",
                "de",
                "Er kam z. B. am Montag. Dann ging er.",
                &["Er kam z. B. am Montag.", "Dann ging er."],
            ),
            (
                "dotted",
                "de",
                "Es gibt z.B. Äpfel. Und Birnen.",
                &["Es gibt z.B. Äpfel.", "Und Birnen."],
            ),
            (
                "ordinal date",
                "de",
                "Am 1. August 2024 begann es. Dann nicht.",
                &["Am 1. August 2024 begann es.", "Dann nicht."],
            ),
            (
                "ordinal noun",
                "de",
                "Er spielt in der 2. Bundesliga. Sie nicht.",
                &["Er spielt in der 2. Bundesliga.", "Sie nicht."],
            ),
            (
                "number ends sentence",
                "de",
                "Er wurde Zweiter in Runde 3. Die anderen folgten.",
                &["Er wurde Zweiter in Runde 3.", "Die anderen folgten."],
            ),
            (
                "decimal",
                "de",
                "Der Umsatz stieg auf 35,6 Mrd. Euro. Gut.",
                &["Der Umsatz stieg auf 35,6 Mrd. Euro.", "Gut."],
            ),
            (
                "short prefix before an abbreviation",
                "en",
                "At 5 a.m. Mr. Smith went to the bank. He left the bank at 6 P.M. Dr. Jones stayed.",
                &["At 5 a.m. Mr. Smith went to the bank.", "He left the bank at 6 P.M.", "Dr. Jones stayed."],
            ),
            (
                "separator stands apart",
                "en",
                "He was replaced by Steffen W. Graae. *** It went on. [...]",
                &[
                    "He was replaced by Steffen W. Graae.",
                    "*** It went on.",
                    "[...]",
                ],
            ),
            (
                "emoticon closes the sentence before it",
                "en",
                "I love her. :) You know it. Great!! :-D will come back. It ended. :: Next.",
                &["I love her. :)", "You know it.", "Great!! :-D", "will come back.", "It ended. :: Next."],
            ),
            (
                "link after an ellipsis",
                "en",
                "They are pretty cool... http://example.com/a.html",
                &["They are pretty cool...", "http://example.com/a.html"],
            ),
            (
                "quote",
                "de",
                "„Ich habe keine Zeit.“ Wir gehen.",
                &["„Ich habe keine Zeit.“", "Wir gehen."],
            ),
            (
                "question in quote",
                "de",
                "„Warum?“, fragte sie. Er schwieg.",
                &["„Warum?“, fragte sie.", "Er schwieg."],
            ),
            (
                "cta without period",
                "de",
                "Der Leitfaden hilft. Jetzt herunterladen",
                &["Der Leitfaden hilft.", "Jetzt herunterladen"],
            ),
            (
                "initials",
                "en",
                "J. R. Smith said so. Then he left.",
                &["J. R. Smith said so.", "Then he left."],
            ),
            (
                "title",
                "en",
                "Mr. Brown arrived. Mrs. Green left.",
                &["Mr. Brown arrived.", "Mrs. Green left."],
            ),
            (
                "us",
                "en",
                "He moved to the U.S. in 1990. It rained.",
                &["He moved to the U.S. in 1990.", "It rained."],
            ),
            (
                "english number",
                "en",
                "They finished in 3. The rest followed.",
                &["They finished in 3.", "The rest followed."],
            ),
            (
                "exclamation",
                "en",
                "Wow! Great news? Yes.",
                &["Wow!", "Great news?", "Yes."],
            ),
            (
                "lowercase after",
                "en",
                "It cost approx. ten dollars.",
                &["It cost approx. ten dollars."],
            ),
            (
                "inline list",
                "en",
                "1.) The first item 2.) The second item",
                &["1.) The first item", "2.) The second item"],
            ),
            (
                "letter list",
                "en",
                "a. The first item b. The second item",
                &["a. The first item", "b. The second item"],
            ),
            (
                "numbered point",
                "de",
                "1. Dies ist eine Punkteliste.",
                &["1. Dies ist eine Punkteliste."],
            ),
            (
                "ordinal range",
                "de",
                "Funde aus dem 1. -3. Jahrhundert. Mehr nicht.",
                &["Funde aus dem 1. -3. Jahrhundert.", "Mehr nicht."],
            ),
            (
                "sentence-final abbreviation",
                "en",
                "They signed with Briggs & Co. It closed.",
                &["They signed with Briggs & Co.", "It closed."],
            ),
            (
                "title never ends",
                "en",
                "Mr. Smith met Dr. Jones.",
                &["Mr. Smith met Dr. Jones."],
            ),
            (
                "lowercase start",
                "en",
                "call them now. they are waiting.",
                &["call them now.", "they are waiting."],
            ),
            (
                "question lowercase",
                "en",
                "are you kidding? why would you?",
                &["are you kidding?", "why would you?"],
            ),
            (
                "quoted question",
                "en",
                "\"Why?\" he asked.",
                &["\"Why?\" he asked."],
            ),
            (
                "brand with bang",
                "en",
                "She works at Yahoo! in sales.",
                &["She works at Yahoo! in sales."],
            ),
            (
                "parenthesis",
                "en",
                "He teaches (He worked as an engineer.) at the school.",
                &["He teaches (He worked as an engineer.) at the school."],
            ),
            (
                "spaced ellipsis",
                "en",
                "It ended with a period . . . . Next one.",
                &["It ended with a period . . . .", "Next one."],
            ),
            (
                "omission",
                "en",
                "\"Bohr [...] used stairways [...]\" (Smith 55).",
                &["\"Bohr [...] used stairways [...]\" (Smith 55)."],
            ),
            (
                "compound street abbreviation",
                "de",
                "Er wohnt in der Hauptstr. 7 in Berlin. Dort ist es schön.",
                &["Er wohnt in der Hauptstr. 7 in Berlin.", "Dort ist es schön."],
            ),
            (
                "ordinal before an abbreviation",
                "de",
                "Das geschah im 19. Jh. Danach nicht mehr.",
                &["Das geschah im 19. Jh.", "Danach nicht mehr."],
            ),
            (
                "company abbreviation in German",
                "de",
                "Apple Inc. hat Zahlen vorgelegt. Am Di. kommt mehr.",
                &["Apple Inc. hat Zahlen vorgelegt.", "Am Di. kommt mehr."],
            ),
            (
                "street ends a sentence",
                "en",
                "I live on Main St. The house is red. She went to St. Louis. It was hot.",
                &["I live on Main St.", "The house is red.", "She went to St. Louis.", "It was hot."],
            ),
            (
                "state abbreviation",
                "en",
                "Officials in Springfield, Ill. said no. They moved to Portland, Ore. The rest stayed.",
                &["Officials in Springfield, Ill. said no.", "They moved to Portland, Ore.", "The rest stayed."],
            ),
            (
                "section before a number",
                "en",
                "Read chap. 5 and sec. 3. Then write.",
                &["Read chap. 5 and sec. 3.", "Then write."],
            ),
            (
                "imperative after a time",
                "en",
                "The meeting is at 10:00 a.m. Please be on time. We meet at 10 a.m. Monday in the hall.",
                &["The meeting is at 10:00 a.m.", "Please be on time.", "We meet at 10 a.m. Monday in the hall."],
            ),
            (
                "lost bullet",
                "en",
                "Call us with any questions. ? Best regards. ? Jeff",
                &["Call us with any questions.", "?", "Best regards.", "?", "Jeff"],
            ),
            (
                "spaced question mark",
                "en",
                "Which one should i get ? Its the same.",
                &["Which one should i get ?", "Its the same."],
            ),
            (
                "spaced ellipsis before a capital",
                "en",
                "It ruins the peace in the region . . . This will not help. The thing is . . . I didn't mean it . . . and so on.",
                &["It ruins the peace in the region . . .", "This will not help.", "The thing is . . . I didn't mean it . . . and so on."],
            ),
            (
                "ordinals are no list",
                "de",
                "Der 1. FC Köln steigt in die 2. Bundesliga ab. Platz 1. Bayern, Platz 2. Dortmund.",
                &["Der 1. FC Köln steigt in die 2. Bundesliga ab.", "Platz 1. Bayern, Platz 2. Dortmund."],
            ),
            (
                "bulleted ordinals are a list",
                "de",
                "• 1. Essen Sie gesund! • 2. Treiben Sie Sport! 3.) Schlafen Sie 4.) Trinken Sie",
                &["• 1. Essen Sie gesund!", "• 2. Treiben Sie Sport!", "3.) Schlafen Sie", "4.) Trinken Sie"],
            ),
            (
                "amount ends a sentence",
                "de",
                "Der Umsatz lag bei 5,3 Mrd. Euro. Im Vorjahr waren es 4,9 Mrd. Das ist ein Plus.",
                &["Der Umsatz lag bei 5,3 Mrd. Euro.", "Im Vorjahr waren es 4,9 Mrd.", "Das ist ein Plus."],
            ),
            (
                "regnal number",
                "de",
                "1888 bestieg Wilhelm II. den Thron. Papst Benedikt XVI. Papst Franziskus folgte. Das war 1888. Danach kam Wilhelm II. Die Zeit war vorbei.",
                &["1888 bestieg Wilhelm II. den Thron.", "Papst Benedikt XVI. Papst Franziskus folgte.", "Das war 1888.", "Danach kam Wilhelm II.", "Die Zeit war vorbei."],
            ),
            (
                "roman numeral in English",
                "en",
                "He served in World War II. The war ended.",
                &["He served in World War II.", "The war ended."],
            ),
            (
                "house number ends a sentence",
                "de",
                "Er wohnt in der Bahnhofstraße 5. Dort ist es laut. Er kam am 5. Mai und blieb bis zum 9. Juni.",
                &["Er wohnt in der Bahnhofstraße 5.", "Dort ist es laut.", "Er kam am 5. Mai und blieb bis zum 9. Juni."],
            ),
            (
                "emoticon",
                "en",
                "She is great. I love her. :)",
                &["She is great.", "I love her. :)"],
            ),
            (
                "number title before a number",
                "en",
                "Item No. 5 was sold. See fig. 3 and invoice no. 12. It helps.",
                &["Item No. 5 was sold.", "See fig. 3 and invoice no. 12.", "It helps."],
            ),
            (
                "number title as a word",
                "en",
                "No. I don't think so. I ate a fig. It was sweet. Hold on a sec. I'll check.",
                &["No.", "I don't think so.", "I ate a fig.", "It was sweet.", "Hold on a sec.", "I'll check."],
            ),
            (
                "number title in German",
                "de",
                "Nach Art. 5 GG und Art. II ist das erlaubt. Das ist eine neue Art. Sie lebt im Wald.",
                &["Nach Art. 5 GG und Art. II ist das erlaubt.", "Das ist eine neue Art.", "Sie lebt im Wald."],
            ),
            (
                "compound abbreviation",
                "de",
                "Dipl.-Ing. Müller und Univ.-Prof. Dr. Meier kamen aus dem Reg.-Bez. Köln. Er ist U.S.-Bürger. Sie nicht.",
                &["Dipl.-Ing. Müller und Univ.-Prof. Dr. Meier kamen aus dem Reg.-Bez. Köln.", "Er ist U.S.-Bürger.", "Sie nicht."],
            ),
            (
                "short sentence ending in an abbreviation",
                "en",
                "He's from L.A. He likes it. At 5 a.m. Mr. Smith left. U.S. Army officials agreed.",
                &["He's from L.A.", "He likes it.", "At 5 a.m. Mr. Smith left.", "U.S. Army officials agreed."],
            ),
            (
                "abbreviations that end German sentences",
                "de",
                "Der Zug fährt ab Köln Hbf. Er ist pünktlich. Ich danke Dir. Du bist toll. Er hat 5 Std. gewartet.",
                &["Der Zug fährt ab Köln Hbf.", "Er ist pünktlich.", "Ich danke Dir.", "Du bist toll.", "Er hat 5 Std. gewartet."],
            ),
            (
                "German titles",
                "de",
                "Sie ist Dr. rer. nat. Schulz von der Dt. Bahn. Er ist Jg. 1980. Die Gebr. Grimm schrieben.",
                &["Sie ist Dr. rer. nat. Schulz von der Dt. Bahn.", "Er ist Jg. 1980.", "Die Gebr. Grimm schrieben."],
            ),
            (
                "day and month",
                "de",
                "Am 3.10. ist Feiertag. Am 24.12. Heiligabend feiern wir. Das gilt bis zum 31.12. Danach nicht.",
                &["Am 3.10. ist Feiertag.", "Am 24.12. Heiligabend feiern wir.", "Das gilt bis zum 31.12.", "Danach nicht."],
            ),
            (
                "ordinal of three digits",
                "de",
                "Er feierte den 100. Geburtstag. Die Zahl stieg auf 120. Die Feuerwehr kam. Das war im Jahr 2000. Damals nicht.",
                &["Er feierte den 100. Geburtstag.", "Die Zahl stieg auf 120.", "Die Feuerwehr kam.", "Das war im Jahr 2000.", "Damals nicht."],
            ),
            (
                "typewriter quotes",
                "de",
                "Er kaufte Äpfel, Birnen usw. ``Das reicht'', sagte er. Sie kam am 17. ``Juni'' an.",
                &["Er kaufte Äpfel, Birnen usw.", "``Das reicht'', sagte er.", "Sie kam am 17. ``Juni'' an."],
            ),
            (
                "capitalised abbreviation opens a sentence",
                "de",
                "Es kamen viele. Ca. 50 Menschen waren da. Vgl. Kapitel 3. Ja. Nein.",
                &["Es kamen viele.", "Ca. 50 Menschen waren da.", "Vgl. Kapitel 3.", "Ja.", "Nein."],
            ),
            (
                "capitalised abbreviation opens an English sentence",
                "en",
                "Many came. Approx. 50 people stayed. Yes. Fine.",
                &["Many came.", "Approx. 50 people stayed.", "Yes.", "Fine."],
            ),
            (
                "quoted heading",
                "de",
                "\"Öffentlich rechtlicher Betrieb\" Ihr findet hier die Karte. „Gut“ sagte er. „Wir kommen“, sagte sie.",
                &["\"Öffentlich rechtlicher Betrieb\"", "Ihr findet hier die Karte.", "„Gut“ sagte er.", "„Wir kommen“, sagte sie."],
            ),
            (
                "quotation before its reporting clause",
                "en",
                "\"We staged this fair,\" Shojai said. \"Thanks\" I said. \"Jaws\" The movie opened.",
                &["\"We staged this fair,\" Shojai said.", "\"Thanks\" I said.", "\"Jaws\"", "The movie opened."],
            ),
            (
                "ellipsis after a lead-in",
                "en",
                "Okay.... I have a dog. Nice people... I hear. Well . . . We will see. It closed on Sunday... You voted.",
                &["Okay.... I have a dog.", "Nice people... I hear.", "Well . . . We will see.", "It closed on Sunday...", "You voted."],
            ),
            (
                "detached closing quote",
                "en",
                "' He spoke. He left. ' And then? \"It is over. \" he said. \" Next one. \" It ended.",
                &["' He spoke.", "He left. '", "And then?", "\"It is over. \" he said.", "\" Next one. \"", "It ended."],
            ),
            (
                "detached quote opens",
                "en",
                "He said no. \" We are done,\" she said. I can't. ' Maybe ' is all.",
                &["He said no.", "\" We are done,\" she said.", "I can't.", "' Maybe ' is all."],
            ),
            (
                "mark after a comma",
                "de",
                "``Wo ist die Rechtfertigung'',? fragte er. Er schwieg.",
                &["``Wo ist die Rechtfertigung'',? fragte er.", "Er schwieg."],
            ),
            (
                "Spanish abbreviations",
                "es",
                "La cita es el Lun. 15 de Nov. de 2014. Tiene 1 min. para responder. El corredor No. 103 llegó. Vive en los EE. UU. con la Sra. Rescia. Núm. de tel. No. Se fue.",
                &["La cita es el Lun. 15 de Nov. de 2014.", "Tiene 1 min. para responder.", "El corredor No. 103 llegó.", "Vive en los EE. UU. con la Sra. Rescia.", "Núm. de tel.", "No.", "Se fue."],
            ),
            (
                "adverb or imperative after a sentence-final abbreviation",
                "en",
                "The shop opens at 10 a.m. Usually it is full. He works for Acme Inc. Call him. Meet me at 5 p.m. Friday.",
                &["The shop opens at 10 a.m.", "Usually it is full.", "He works for Acme Inc.", "Call him.", "Meet me at 5 p.m. Friday."],
            ),
            (
                "exclamation of one word before lowercase",
                "en",
                "Wow! that was close. Thanks!! i will try. She works at Yahoo! in sales.",
                &["Wow!", "that was close.", "Thanks!!", "i will try.", "She works at Yahoo! in sales."],
            ),
            (
                "detached curly quotes",
                "de",
                "Er sagte: „Das ist gut. “ Dann ging er. Sie rief: »Komm! « Er kam. “ Neu.",
                &["Er sagte: „Das ist gut. “", "Dann ging er.", "Sie rief: »Komm! «", "Er kam.", "“ Neu."],
            ),
            (
                "detached curly quotes in English",
                "en",
                "He left. “ We stay,” she said. “We won. ” Then we left.",
                &["He left.", "“ We stay,” she said.", "“We won. ”", "Then we left."],
            ),
            (
                "range of abbreviations",
                "de",
                "Geöffnet Mo. - Fr. von 9 bis 17 Uhr. Danke. - Die Redaktion",
                &["Geöffnet Mo. - Fr. von 9 bis 17 Uhr.", "Danke.", "- Die Redaktion"],
            ),
            (
                "numbers inside sentences are no list",
                "en",
                "Step 1. Open the box. Step 2. Close it. Here: 1. Open it. 2. Close it.",
                &["Step 1.", "Open the box.", "Step 2.", "Close it.", "Here:", "1. Open it.", "2. Close it."],
            ),
            (
                "exclamation in capitals before lowercase",
                "en",
                "I LOVE IT! they were so nice. She works at Yahoo! in sales.",
                &["I LOVE IT!", "they were so nice.", "She works at Yahoo! in sales."],
            ),
            (
                "quoted line of a mail",
                "en",
                "You wrote this. > I agree with you. >> Me too.",
                &["You wrote this.", "> I agree with you.", ">> Me too."],
            ),
            (
                "address or acronym before lowercase",
                "en",
                "Go to google.com. then click. Open TEXT.htm. it helps. I bought a TV. it works. It is in the U.S. now.",
                &["Go to google.com.", "then click.", "Open TEXT.htm.", "it helps.", "I bought a TV.", "it works.", "It is in the U.S. now."],
            ),
            (
                "word with an apostrophe or a hyphen before lowercase",
                "en",
                "I really didn't. i was busy. Send an e-mail. we answer fast.",
                &["I really didn't.", "i was busy.", "Send an e-mail.", "we answer fast."],
            ),
            (
                "short number before lowercase",
                "en",
                "My son is 6. he loves it.",
                &["My son is 6.", "he loves it."],
            ),
            (
                "short number before lowercase in German",
                "de",
                "Er kam am 6. und blieb.",
                &["Er kam am 6. und blieb."],
            ),
            (
                "hesitation before I",
                "en",
                "In a few words ... I'm pleasantly surprised. We stayed for more than an hour... I loved it. Hmm... Not sure.",
                &["In a few words ... I'm pleasantly surprised.", "We stayed for more than an hour...", "I loved it.", "Hmm... Not sure."],
            ),
            (
                "company and department abbreviations end sentences",
                "en",
                "He works for Warner Bros. The studio is big. Call the Police Dept. They know. The Dept. of Labor agreed.",
                &["He works for Warner Bros.", "The studio is big.", "Call the Police Dept.", "They know.", "The Dept. of Labor agreed."],
            ),
            (
                "quoted reply reported after a quoted question",
                "de",
                "Er fragte: „Kommst du?“ „Das weiß ich nicht“, antwortete sie. „Wann?“ „Morgen.“ Sie ging. \"Are you coming?\" \"No,\" she said.",
                &["Er fragte: „Kommst du?“ „Das weiß ich nicht“, antwortete sie.", "„Wann?“", "„Morgen.“", "Sie ging.", "\"Are you coming?\"", "\"No,\" she said."],
            ),
        ];
        for (name, language, text, expected) in cases {
            assert_eq!(sentences(text, language), *expected, "case {name}");
        }
    }
}
