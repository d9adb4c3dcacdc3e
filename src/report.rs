//! The HTML review report of a `clean` run (`klartext clean … --report FILE.html`).
//!
//! A tool that deletes text is trusted only when people can see what it deleted and why. The
//! report is one self-contained page (no external scripts, fonts, styles or images) that shows:
//!
//! - a summary: articles, ads, the share of text removed, the article classes, bars of the ads
//!   per category and per language, and the rules that fired in the most ads;
//! - a table of the articles with their language, class, ad count, share removed and status,
//!   sortable by every column and filterable by a search box;
//! - every article in full, its removed passages struck through and coloured by category, with
//!   the reasons (category, score, rules) on hover.
//!
//! The page stays usable on 10,000 articles because only one page of the table (and the
//! articles of that page) is in the document at a time: the article data is embedded once as
//! JSON in a `<script type="application/json">` element and a small inline script renders the
//! current page from it. The summary is plain HTML and needs no script.
//!
//! The report is built from what the run wrote: each article's metadata (`<rel>.json`, see
//! [`crate::output`]) and its input text, so it shows exactly what the outputs say — including
//! outputs kept from an earlier run with `--skip-existing`.
//!
//! # The page's address
//!
//! The part after `#` sets the view, `&`-separated: `q=TEXT` filters, `sort=KEY` or `sort=-KEY`
//! sorts (`index`, `id`, `language`, `class`, `ads`, `removed`, `status`), `size=N` sets the
//! page size, `page=N` the page (from 1), `id=ID` shows one article. `selftest=ID` runs the
//! page's self-check (used by the Chromium test in `tests/report.rs`): it sorts the table by
//! clicking its headers, shows article `ID`, and writes what it saw (the milliseconds from
//! navigation until the first page was rendered; the column values after each sort; every
//! highlighted passage with its text, title and computed style) as JSON into
//! `<pre id="selftest-result">`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::batch::{self, Job, Outcome};
use crate::error::{Error, Result};
use crate::rules::{Category, RuleSet};

/// The class of an article whose metadata gives none: `clean` without ads, else
/// `contains_promo`. The one place where the report derives a class; a `class` field in the
/// metadata takes precedence.
pub fn derived_class(ads: usize) -> &'static str {
    if ads == 0 {
        "clean"
    } else {
        "contains_promo"
    }
}

/// One removed passage as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportAd {
    /// Offsets in UTF-16 code units into the article text (what JavaScript strings index by),
    /// end exclusive.
    pub start: usize,
    pub end: usize,
    pub category: String,
    pub score: f64,
    pub rules: Vec<String>,
}

/// One article of the run as the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportArticle {
    pub id: String,
    pub language: Option<String>,
    /// `clean`, `contains_promo`, or whatever class the metadata gives.
    pub class: String,
    /// `None` when the article was cleaned; else why it was not (its manifest status).
    pub error: Option<String>,
    pub chars_in: usize,
    pub chars_out: usize,
    /// The input text (empty when the article could not be cleaned).
    pub text: String,
    /// The removed passages, in order, not overlapping.
    pub ads: Vec<ReportAd>,
}

/// The part of an article's metadata file the report reads (see [`crate::output`]).
#[derive(Deserialize)]
struct MetadataFile {
    language: Option<String>,
    #[serde(default)]
    class: Option<String>,
    counts: CountsFile,
    ads: Vec<AdFile>,
}

#[derive(Deserialize)]
struct CountsFile {
    chars_in: usize,
    chars_out: usize,
}

#[derive(Deserialize)]
struct AdFile {
    start: usize,
    end: usize,
    category: String,
    score: f64,
    rules: Vec<String>,
}

/// UTF-16 offsets of ascending character (Unicode scalar) offsets into `text`; an offset past
/// the end maps to the end.
fn utf16_offsets(text: &str, char_offsets: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(char_offsets.len());
    let mut chars = text.chars();
    let (mut at_char, mut at_utf16) = (0, 0);
    for &target in char_offsets {
        while at_char < target {
            match chars.next() {
                Some(c) => at_utf16 += c.len_utf16(),
                None => break,
            }
            at_char += 1;
        }
        out.push(at_utf16);
    }
    out
}

impl ReportArticle {
    /// The article from its metadata file and input text. Ads that do not fit the text (an
    /// input changed since its outputs were kept) are dropped rather than shown wrongly.
    fn from_outputs(id: &str, metadata: &[u8], text: String) -> Result<ReportArticle> {
        let meta: MetadataFile = serde_json::from_slice(metadata)
            .map_err(|e| Error::usage(format!("{id}: unreadable metadata: {e}")))?;
        let chars = text.chars().count();
        let mut ads = Vec::new();
        let mut last_end = 0;
        for ad in meta.ads {
            if ad.start < last_end || ad.end < ad.start || ad.end > chars {
                continue;
            }
            last_end = ad.end;
            let offsets = utf16_offsets(&text, &[ad.start, ad.end]);
            ads.push(ReportAd {
                start: offsets[0],
                end: offsets[1],
                category: ad.category,
                score: ad.score,
                rules: ad.rules,
            });
        }
        Ok(ReportArticle {
            id: id.to_string(),
            language: meta.language,
            class: meta
                .class
                .unwrap_or_else(|| derived_class(ads.len()).to_string()),
            error: None,
            chars_in: meta.counts.chars_in,
            chars_out: meta.counts.chars_out,
            text,
            ads,
        })
    }

    fn failed(id: &str, reason: String) -> ReportArticle {
        ReportArticle {
            id: id.to_string(),
            language: None,
            class: "error".to_string(),
            error: Some(reason),
            chars_in: 0,
            chars_out: 0,
            text: String::new(),
            ads: Vec::new(),
        }
    }
}

/// Reads back what the run wrote for every job (its metadata and its input text), in job order,
/// in parallel, calling `tick` after each: `run` holds every job of [`batch::run`] with its
/// outcome.
///
/// This is the one part of `clean` whose memory grows with the number of articles: the page
/// embeds every article's text (a report is meant for reviewing up to some 10,000 articles).
pub fn collect(run: &[(Job, Outcome)], tick: &(dyn Fn() + Sync)) -> Vec<ReportArticle> {
    run.par_iter()
        .map(|(job, outcome)| {
            let article = if outcome.ok {
                let json = batch::output_path(&job.out_stem, "json");
                std::fs::read(&json)
                    .map_err(|e| Error::io(&json, e))
                    .and_then(|metadata| {
                        ReportArticle::from_outputs(
                            &job.id,
                            &metadata,
                            batch::read_article(&job.path)?,
                        )
                    })
                    .unwrap_or_else(|e| ReportArticle::failed(&job.id, e.to_string()))
            } else {
                ReportArticle::failed(&job.id, outcome.manifest.status.clone())
            };
            tick();
            article
        })
        .collect()
}

/// Checks, before the run starts, that the report may be written to `report`: it is not an
/// input file, not inside an input folder, not one of the run's own outputs, and does not exist
/// unless `force`.
pub fn check_target(
    report: &Path,
    inputs: &[PathBuf],
    jobs: impl IntoIterator<Item = Job>,
    out: &Path,
    force: bool,
) -> Result<()> {
    let real = batch::resolve(report);
    let shown = report.display();
    if report.is_dir() {
        return Err(Error::usage(format!(
            "--report {shown} is a folder; name an .html file"
        )));
    }
    for input in inputs {
        let input_real = batch::resolve(input);
        if real == input_real {
            return Err(Error::usage(format!(
                "--report {shown} is an input; choose another file name"
            )));
        }
        if input.is_dir() && real.starts_with(&input_real) {
            return Err(Error::usage(format!(
                "--report {shown} is inside the input folder {}; choose a place outside it",
                input.display()
            )));
        }
    }
    let out_real = batch::resolve(out);
    if let Ok(rel) = real.strip_prefix(&out_real) {
        let is_output = rel == Path::new("manifest.jsonl")
            || jobs.into_iter().any(|job| {
                job.out_stem.strip_prefix(out).is_ok_and(|stem| {
                    rel == batch::output_path(stem, "txt")
                        || rel == batch::output_path(stem, "json")
                })
            });
        if is_output {
            return Err(Error::usage(format!(
                "--report {shown} is one of the run's own outputs; choose another file name"
            )));
        }
    }
    if !force && report.exists() {
        return Err(Error::usage(format!(
            "--report {shown} exists; pass --force to overwrite it or choose another file name"
        )));
    }
    Ok(())
}

/// Writes `html` to `path` through a temporary file and a rename; an existing file is replaced
/// only with `force` (a file that appeared since [`check_target`] is not overwritten either).
pub fn write(path: &Path, html: &str, force: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut file = crate::batch::output_temp_file(dir, crate::batch::TEMP_PREFIX)
        .map_err(|e| Error::io(dir, e))?;
    file.write_all(html.as_bytes())
        .map_err(|e| Error::io(path, e))?;
    if force {
        file.persist(path).map_err(|e| Error::io(path, e.error))?;
    } else {
        file.persist_noclobber(path).map_err(|e| {
            Error::usage(format!(
                "--report {}: {}; pass --force to overwrite it",
                path.display(),
                e.error
            ))
        })?;
    }
    Ok(())
}

/// What the summary counts, computed once from the articles.
struct Summary {
    articles: usize,
    errors: usize,
    ads: usize,
    chars_in: usize,
    chars_out: usize,
    classes: BTreeMap<String, usize>,
    by_category: BTreeMap<String, usize>,
    /// Per language: articles and ads.
    by_language: BTreeMap<String, (usize, usize)>,
    /// Per rule id: the number of ads it fired in.
    by_rule: BTreeMap<String, usize>,
}

impl Summary {
    fn of(articles: &[ReportArticle]) -> Summary {
        let mut s = Summary {
            articles: articles.len(),
            errors: 0,
            ads: 0,
            chars_in: 0,
            chars_out: 0,
            classes: BTreeMap::new(),
            by_category: BTreeMap::new(),
            by_language: BTreeMap::new(),
            by_rule: BTreeMap::new(),
        };
        for a in articles {
            if a.error.is_some() {
                s.errors += 1;
                continue;
            }
            s.ads += a.ads.len();
            s.chars_in += a.chars_in;
            s.chars_out += a.chars_out;
            *s.classes.entry(a.class.clone()).or_default() += 1;
            let language = s
                .by_language
                .entry(a.language.clone().unwrap_or_else(|| "und".into()))
                .or_default();
            language.0 += 1;
            language.1 += a.ads.len();
            for ad in &a.ads {
                *s.by_category.entry(ad.category.clone()).or_default() += 1;
                for rule in &ad.rules {
                    *s.by_rule.entry(rule.clone()).or_default() += 1;
                }
            }
        }
        s
    }

    fn removed_percent(&self) -> f64 {
        if self.chars_in == 0 {
            0.0
        } else {
            100.0 * (1.0 - self.chars_out as f64 / self.chars_in as f64)
        }
    }
}

/// Escapes text for HTML element content and quoted attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The colour of a category: a strong one for the strike-through, the border and the bars, and
/// a light one behind the struck text. Kept apart enough to tell the frequent ones apart.
fn category_colors(category: Category) -> (&'static str, &'static str) {
    match category {
        Category::LeadMagnet => ("#a21caf", "#fae8ff"),
        Category::Trading => ("#b45309", "#fef3c7"),
        Category::Newsletter => ("#1d4ed8", "#dbeafe"),
        Category::Event => ("#0e7490", "#cffafe"),
        Category::Subscription => ("#4338ca", "#e0e7ff"),
        Category::Affiliate => ("#4d7c0f", "#ecfccb"),
        Category::App => ("#0f766e", "#ccfbf1"),
        Category::Social => ("#be185d", "#fce7f3"),
        Category::SponsoredLabel => ("#b91c1c", "#fee2e2"),
        Category::RelatedLink => ("#15803d", "#dcfce7"),
        Category::Other => ("#4b5563", "#e5e7eb"),
    }
}

/// One horizontal bar chart (CSS bars): a label, a bar as long as its share of the largest
/// value, and the value. `class_of` gives each bar's colour class.
fn bar_chart(
    out: &mut String,
    title: &str,
    rows: &[(String, usize, String)],
    class_of: &dyn Fn(&str) -> String,
) {
    let max = rows.iter().map(|r| r.1).max().unwrap_or(0).max(1);
    let _ = write!(
        out,
        "<figure class=\"chart\"><figcaption>{}</figcaption>",
        escape(title)
    );
    if rows.is_empty() {
        out.push_str("<p class=\"muted\">none</p>");
    }
    for (label, value, note) in rows {
        let _ = write!(
            out,
            "<div class=\"bar\"><span class=\"bar-label\">{}</span><span class=\"track\"><span class=\"fill {}\" style=\"width:{:.1}%\"></span></span><span class=\"bar-value\">{value}{}</span></div>",
            escape(label),
            class_of(label),
            100.0 * *value as f64 / max as f64,
            escape(note),
        );
    }
    out.push_str("</figure>");
}

/// The article data embedded in the page, with category and rule names stored once.
#[derive(Serialize)]
struct PageData<'a> {
    categories: Vec<&'a str>,
    rules: Vec<&'a str>,
    articles: Vec<PageArticle<'a>>,
}

#[derive(Serialize)]
struct PageArticle<'a> {
    id: &'a str,
    language: Option<&'a str>,
    class: &'a str,
    error: Option<&'a str>,
    ads: usize,
    /// Share of characters removed, 0 to 1, rounded to 4 places.
    removed: f64,
    text: &'a str,
    /// `[start, end, category index, score, [rule index…]]`, offsets in UTF-16 code units.
    spans: Vec<(usize, usize, usize, f64, Vec<usize>)>,
}

/// Names stored once, each referred to by its index.
#[derive(Default)]
struct Names<'a> {
    list: Vec<&'a str>,
    index: std::collections::HashMap<&'a str, usize>,
}

impl<'a> Names<'a> {
    fn index_of(&mut self, name: &'a str) -> usize {
        *self.index.entry(name).or_insert_with(|| {
            self.list.push(name);
            self.list.len() - 1
        })
    }
}

fn page_data(articles: &[ReportArticle]) -> String {
    let mut categories = Names::default();
    let mut rules = Names::default();
    let mut page_articles = Vec::with_capacity(articles.len());
    for a in articles {
        let spans = a
            .ads
            .iter()
            .map(|ad| {
                let category = categories.index_of(&ad.category);
                let rule_indices = ad.rules.iter().map(|r| rules.index_of(r)).collect();
                (ad.start, ad.end, category, ad.score, rule_indices)
            })
            .collect();
        let removed = if a.chars_in == 0 {
            0.0
        } else {
            ((1.0 - a.chars_out as f64 / a.chars_in as f64) * 10_000.0).round() / 10_000.0
        };
        page_articles.push(PageArticle {
            id: &a.id,
            language: a.language.as_deref(),
            class: &a.class,
            error: a.error.as_deref(),
            ads: a.ads.len(),
            removed,
            text: &a.text,
            spans,
        });
    }
    let json = serde_json::to_string(&PageData {
        categories: categories.list,
        rules: rules.list,
        articles: page_articles,
    })
    .expect("report data serializes");
    // `<` only occurs inside JSON strings, where `\u003c` means the same; so no `</script>` or
    // `<!--` in an article can end the data element early.
    json.replace('<', "\\u003c")
}

/// Renders the report page. `inputs` names what was cleaned (shown in the heading); `rules`
/// gives the language, category and weight of the rules in the summary.
pub fn render(articles: &[ReportArticle], inputs: &str, rules: &RuleSet) -> String {
    let summary = Summary::of(articles);
    let mut out =
        String::with_capacity(articles.iter().map(|a| a.text.len() + 200).sum::<usize>() + 40_000);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>klartext report: {}</title>\n<style>\n{STYLE}",
        escape(inputs)
    );
    for category in Category::ALL {
        let (strong, light) = category_colors(category);
        let _ = writeln!(
            out,
            ".c-{name}{{--strong:{strong};--light:{light}}}",
            name = category.name()
        );
    }
    out.push_str("</style>\n</head>\n<body>\n");

    let _ = write!(
        out,
        "<header><h1>klartext report</h1><p class=\"muted\">{} · klartext {}</p></header>\n<main>\n",
        escape(inputs),
        env!("CARGO_PKG_VERSION")
    );

    // Summary.
    out.push_str("<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">");
    let cleaned = summary.articles - summary.errors;
    let with_ads = articles
        .iter()
        .filter(|a| a.error.is_none() && !a.ads.is_empty())
        .count();
    for (value, label) in [
        (summary.articles.to_string(), "articles".to_string()),
        (
            summary.ads.to_string(),
            format!("ads, in {with_ads} of {cleaned} cleaned articles"),
        ),
        (
            format!("{:.1}%", summary.removed_percent()),
            "of the text removed".to_string(),
        ),
        (
            summary.errors.to_string(),
            "articles not cleaned".to_string(),
        ),
    ] {
        let _ = write!(
            out,
            "<div class=\"card\"><span class=\"big\">{}</span> {}</div>",
            escape(&value),
            escape(&label)
        );
    }
    out.push_str("</div><p>Classes: ");
    let classes: Vec<String> = summary
        .classes
        .iter()
        .map(|(class, n)| {
            format!(
                "<span class=\"class class-{0}\">{0}</span> {n}",
                escape(class)
            )
        })
        .collect();
    out.push_str(&classes.join(" · "));
    out.push_str("</p><div class=\"charts\">");
    let mut by_category: Vec<(String, usize, String)> = summary
        .by_category
        .iter()
        .map(|(c, n)| (c.clone(), *n, String::new()))
        .collect();
    by_category.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    bar_chart(&mut out, "Ads per category", &by_category, &|label| {
        format!("c-{}", escape(label))
    });
    let by_language: Vec<(String, usize, String)> = summary
        .by_language
        .iter()
        .map(|(l, (articles, ads))| (l.clone(), *ads, format!(" in {articles} articles")))
        .collect();
    bar_chart(&mut out, "Ads per language", &by_language, &|_| {
        "neutral".to_string()
    });
    out.push_str("</div>");

    let mut by_rule: Vec<(&String, &usize)> = summary.by_rule.iter().collect();
    by_rule.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    out.push_str("<h3>Rules that fired in the most ads</h3><table class=\"rules\"><thead><tr><th>rule</th><th>language</th><th>category</th><th>weight</th><th>ads</th></tr></thead><tbody>");
    for (id, n) in by_rule.iter().take(15) {
        let rule = rules.rules().iter().find(|r| &r.id == *id);
        let (language, category, weight) = match rule {
            Some(r) => (
                r.language.clone(),
                r.category.map_or("—", |c| c.name()).to_string(),
                format!("{:+.2}", r.weight),
            ),
            None => ("—".into(), "—".into(), "—".into()),
        };
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{n}</td></tr>",
            escape(id),
            escape(&language),
            escape(&category),
            weight
        );
    }
    out.push_str("</tbody></table></section>\n");

    // The table and the articles, rendered by the script from the embedded data.
    out.push_str(BROWSER);
    out.push_str("<script type=\"application/json\" id=\"klartext-data\">");
    out.push_str(&page_data(articles));
    out.push_str("</script>\n<script>\n");
    out.push_str(SCRIPT);
    out.push_str("</script>\n</main>\n</body>\n</html>\n");
    out
}

/// The page's styles (category colours are appended per category as `--strong`/`--light`).
const STYLE: &str = r#"
:root{color-scheme:light;--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#ffffff;--panel:#f9fafb}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:16px 24px;border-bottom:1px solid var(--line);background:var(--panel)}
header h1{margin:0;font-size:22px}
main{padding:0 24px 48px;max-width:1200px}
h2{font-size:18px;margin:24px 0 8px}
h3{font-size:15px;margin:16px 0 6px}
.muted{color:var(--muted);margin:0}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;background:var(--panel)}
.big{font-size:22px;font-weight:600}
.charts{display:flex;flex-wrap:wrap;gap:32px}
.chart{margin:0;min-width:360px;flex:1}
.chart figcaption{font-weight:600;margin-bottom:4px}
.bar{display:grid;grid-template-columns:130px 1fr 150px;align-items:center;gap:8px;font-size:13px}
.track{background:var(--panel);border:1px solid var(--line);height:14px;border-radius:3px;overflow:hidden}
.fill{display:block;height:100%;background:var(--strong,#6b7280)}
.fill.neutral{background:#64748b}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
td.num,th.num{text-align:right}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}
th[aria-sort=descending] button::after{content:" ▼"}
#articles-table{width:100%}
.controls{display:flex;flex-wrap:wrap;gap:12px;align-items:center;margin:8px 0}
.controls input[type=search]{min-width:280px;padding:3px 6px}
.class{border-radius:3px;padding:0 5px;font-size:12px;background:#e5e7eb}
.class-clean{background:#dcfce7}
.class-contains_promo{background:#fef3c7}
.class-advertorial{background:#fee2e2}
.class-error{background:#fecaca}
article.doc{border:1px solid var(--line);border-radius:6px;margin:14px 0;padding:10px 16px}
article.doc h3{margin:0 0 6px;font-size:15px}
article.doc .text{white-space:pre-wrap;overflow-wrap:anywhere}
article.doc .error{color:#b91c1c}
del.ad{text-decoration:line-through;text-decoration-color:var(--strong);text-decoration-thickness:2px;background:var(--light);border-left:3px solid var(--strong);padding:0 2px;color:#374151;cursor:help}
del.ad::before{content:attr(data-category);display:inline-block;font-size:11px;line-height:1.3;color:#fff;background:var(--strong);border-radius:3px;padding:0 4px;margin-right:4px;text-decoration:none}
.legend span{display:inline-block;margin-right:10px;font-size:12px}
.legend i{display:inline-block;width:10px;height:10px;background:var(--strong);margin-right:4px;border-radius:2px}
"#;

/// The table and article area the script fills in.
const BROWSER: &str = r#"<section id="browse"><h2>Articles</h2>
<noscript><p>The table and the articles need JavaScript; the summary above does not.</p></noscript>
<div class="controls">
<input type="search" id="filter" placeholder="filter by id, language, class, status" aria-label="filter">
<label>rows per page <select id="size"><option>10</option><option selected>25</option><option>50</option><option>100</option></select></label>
<button type="button" id="prev">‹ previous</button><span id="position"></span><button type="button" id="next">next ›</button>
</div>
<table id="articles-table"><thead><tr>
<th data-key="index" class="num" aria-sort="ascending"><button type="button">#</button></th>
<th data-key="id" aria-sort="none"><button type="button">id</button></th>
<th data-key="language" aria-sort="none"><button type="button">language</button></th>
<th data-key="class" aria-sort="none"><button type="button">class</button></th>
<th data-key="ads" class="num" aria-sort="none"><button type="button">ads</button></th>
<th data-key="removed" class="num" aria-sort="none"><button type="button">removed</button></th>
<th data-key="status" aria-sort="none"><button type="button">status</button></th>
</tr></thead><tbody id="rows"></tbody></table>
<h2>The articles of this page</h2>
<p class="muted">Removed passages are struck through and coloured by category; hover over one for its score and the rules that fired.</p>
<p class="legend" id="legend"></p>
<div id="articles"></div>
<pre id="selftest-result" hidden></pre>
</section>
"#;

/// The inline script: renders the table page and its articles from the embedded JSON.
const SCRIPT: &str = r#"'use strict';
(function () {
  const data = JSON.parse(document.getElementById('klartext-data').textContent);
  const all = data.articles;
  all.forEach(function (a, i) { a.index = i + 1; });
  const keys = {
    index: function (a) { return a.index; },
    id: function (a) { return a.id; },
    language: function (a) { return a.language || ''; },
    class: function (a) { return a.class; },
    ads: function (a) { return a.ads; },
    removed: function (a) { return a.removed; },
    status: function (a) { return a.error || 'ok'; }
  };
  const state = { key: 'index', dir: 1, filter: '', page: 0, size: 25 };
  let view = all.slice();

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }

  function refilter() {
    const q = state.filter.toLowerCase();
    view = all.filter(function (a) {
      return !q || [a.id, a.language || '', a.class, a.error || 'ok'].join(' ').toLowerCase().indexOf(q) >= 0;
    });
    const key = keys[state.key];
    view.sort(function (a, b) {
      const x = key(a), y = key(b);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir || a.index - b.index;
    });
  }

  function pages() { return Math.max(1, Math.ceil(view.length / state.size)); }

  function renderText(a) {
    const div = el('div', { class: 'text' });
    let at = 0;
    a.spans.forEach(function (span, n) {
      const category = data.categories[span[2]];
      const rules = span[4].map(function (r) { return data.rules[r]; });
      div.append(a.text.slice(at, span[0]));
      div.append(el('del', {
        class: 'ad c-' + category,
        'data-category': category,
        'data-ad': String(n + 1),
        title: category + ' · score ' + span[3].toFixed(2) + ' · rules: ' + rules.join(', ')
      }, [a.text.slice(span[0], span[1])]));
      at = span[1];
    });
    div.append(a.text.slice(at));
    return div;
  }

  function renderArticle(a) {
    const head = el('h3', {}, [
      a.index + '. ' + a.id + ' ',
      el('span', { class: 'class class-' + a.class }, [a.class]),
      ' ' + (a.language || '') + (a.error ? '' : ' · ' + a.ads + (a.ads === 1 ? ' ad' : ' ads') +
        ' · ' + (100 * a.removed).toFixed(1) + '% removed')
    ]);
    const body = a.error ? el('p', { class: 'error' }, ['not cleaned: ' + a.error]) : renderText(a);
    return el('article', { class: 'doc', id: 'article-' + a.index, 'data-id': a.id }, [head, body]);
  }

  function render() {
    state.page = Math.min(state.page, pages() - 1);
    const slice = view.slice(state.page * state.size, (state.page + 1) * state.size);
    const rows = document.getElementById('rows');
    rows.replaceChildren.apply(rows, slice.map(function (a) {
      return el('tr', { 'data-id': a.id }, [
        el('td', { class: 'num', 'data-key': 'index' }, [String(a.index)]),
        el('td', { 'data-key': 'id' }, [el('a', { href: '#id=' + encodeURIComponent(a.id) }, [a.id])]),
        el('td', { 'data-key': 'language' }, [a.language || '']),
        el('td', { 'data-key': 'class' }, [el('span', { class: 'class class-' + a.class }, [a.class])]),
        el('td', { class: 'num', 'data-key': 'ads' }, [String(a.ads)]),
        el('td', { class: 'num', 'data-key': 'removed' }, [a.error ? '' : (100 * a.removed).toFixed(1) + '%']),
        el('td', { 'data-key': 'status' }, [a.error || 'ok'])
      ]);
    }));
    const articles = document.getElementById('articles');
    articles.replaceChildren.apply(articles, slice.map(renderArticle));
    document.getElementById('position').textContent = ' page ' + (state.page + 1) + ' of ' + pages() +
      ' (' + view.length + ' of ' + all.length + ' articles) ';
    document.querySelectorAll('#articles-table th').forEach(function (th) {
      th.setAttribute('aria-sort', th.dataset.key !== state.key ? 'none' : state.dir > 0 ? 'ascending' : 'descending');
    });
  }

  function sortBy(key) {
    state.dir = state.key === key ? -state.dir : 1;
    state.key = key;
    state.page = 0;
    refilter();
    render();
  }

  function show(id) {
    state.filter = '';
    document.getElementById('filter').value = '';
    refilter();
    const at = view.findIndex(function (a) { return a.id === id; });
    if (at < 0) { return null; }
    state.page = Math.floor(at / state.size);
    render();
    const node = document.getElementById('article-' + view[at].index);
    node.scrollIntoView();
    return node;
  }

  document.querySelectorAll('#articles-table th').forEach(function (th) {
    th.querySelector('button').addEventListener('click', function () { sortBy(th.dataset.key); });
  });
  document.getElementById('filter').addEventListener('input', function (e) {
    state.filter = e.target.value; state.page = 0; refilter(); render();
  });
  document.getElementById('size').addEventListener('change', function (e) {
    state.size = Number(e.target.value); state.page = 0; render();
  });
  document.getElementById('prev').addEventListener('click', function () {
    if (state.page > 0) { state.page -= 1; render(); }
  });
  document.getElementById('next').addEventListener('click', function () {
    if (state.page + 1 < pages()) { state.page += 1; render(); }
  });
  document.getElementById('legend').replaceChildren.apply(document.getElementById('legend'),
    data.categories.map(function (c) { return el('span', { class: 'c-' + c }, [el('i'), c]); }));

  function column(key) {
    return Array.prototype.map.call(document.querySelectorAll('#rows td[data-key="' + key + '"]'),
      function (td) { return td.textContent; });
  }

  function selftest(id) {
    const header = function (key) { return document.querySelector('#articles-table th[data-key="' + key + '"] button'); };
    const result = { articles: all.length, rows: document.querySelectorAll('#rows tr').length, ready_ms: readyMs };
    header('ads').click();
    result.ads_ascending = column('ads').map(Number);
    result.sort_ads_ascending = document.querySelector('th[data-key="ads"]').getAttribute('aria-sort');
    header('ads').click();
    result.ads_descending = column('ads').map(Number);
    result.sort_ads_descending = document.querySelector('th[data-key="ads"]').getAttribute('aria-sort');
    header('id').click();
    result.id_ascending = column('id');
    header('index').click();
    const node = show(id);
    result.article = node === null ? null : {
      id: id,
      ads_in_data: all.find(function (a) { return a.id === id; }).spans.length,
      highlighted: Array.prototype.map.call(node.querySelectorAll('del.ad'), function (d) {
        const style = getComputedStyle(d);
        const box = d.getBoundingClientRect();
        return {
          text: d.textContent,
          title: d.title,
          category: d.dataset.category,
          decoration: style.textDecorationLine,
          background: style.backgroundColor,
          visible: box.width > 0 && box.height > 0
        };
      })
    };
    const out = document.getElementById('selftest-result');
    out.textContent = JSON.stringify(result);
    out.hidden = false;
  }

  const params = new URLSearchParams(location.hash.slice(1));
  if (params.has('size')) {
    state.size = Math.max(1, Math.floor(Number(params.get('size'))) || 25);
    const select = document.getElementById('size');
    const options = Array.prototype.slice.call(select.options);
    if (!options.some(function (o) { return Number(o.value) === state.size; })) {
      const after = options.find(function (o) { return Number(o.value) > state.size; }) || null;
      select.insertBefore(el('option', {}, [String(state.size)]), after);
    }
    select.value = String(state.size);
  }
  if (params.has('sort')) {
    const s = params.get('sort');
    const key = s.replace(/^-/, '');
    if (keys[key]) { state.key = key; state.dir = s[0] === '-' ? -1 : 1; }
  }
  if (params.has('q')) { state.filter = params.get('q'); document.getElementById('filter').value = state.filter; }
  if (params.has('page')) { state.page = Math.max(0, (Number(params.get('page')) || 1) - 1); }
  refilter();
  render();
  const readyMs = Math.round(performance.now());
  if (params.has('id')) { show(params.get('id')); }
  if (params.has('selftest')) { selftest(params.get('selftest')); }
  window.addEventListener('hashchange', function () {
    const p = new URLSearchParams(location.hash.slice(1));
    if (p.has('id')) { show(p.get('id')); }
  });
})();
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn article(id: &str, text: &str, metadata: serde_json::Value) -> ReportArticle {
        ReportArticle::from_outputs(id, metadata.to_string().as_bytes(), text.to_string()).unwrap()
    }

    #[test]
    fn offsets_become_utf16_and_the_class_is_derived_or_taken_from_the_metadata() {
        // "😀" is one character but two UTF-16 code units, so the ad starts at 3, not 2.
        let text = "😀 a Jetzt kaufen";
        let meta = serde_json::json!({
            "language": "de", "counts": {"chars_in": 16, "chars_out": 4},
            "ads": [{"start": 4, "end": 16, "category": "affiliate", "score": 0.9, "rules": ["x"]}]
        });
        let a = article("a.txt", text, meta.clone());
        assert_eq!((a.ads[0].start, a.ads[0].end), (5, 17));
        let utf16: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(String::from_utf16(&utf16[5..17]).unwrap(), "Jetzt kaufen");
        assert_eq!(a.class, "contains_promo");

        let mut with_class = meta;
        with_class["class"] = "advertorial".into();
        assert_eq!(article("a.txt", text, with_class).class, "advertorial");
        let none = serde_json::json!({
            "language": "de", "counts": {"chars_in": 1, "chars_out": 1}, "ads": []
        });
        assert_eq!(article("b.txt", "x", none).class, "clean");
    }

    #[test]
    fn ads_that_do_not_fit_the_text_are_dropped() {
        let meta = serde_json::json!({
            "language": "en", "counts": {"chars_in": 5, "chars_out": 5},
            "ads": [{"start": 2, "end": 50, "category": "other", "score": 0.9, "rules": []}]
        });
        assert!(article("a.txt", "hello", meta).ads.is_empty());
    }

    #[test]
    fn article_text_cannot_end_the_data_element() {
        let meta = serde_json::json!({
            "language": "en", "counts": {"chars_in": 30, "chars_out": 30}, "ads": []
        });
        let a = article("a.txt", "x </script><script>alert(1)</script> <!--", meta);
        let html = render(&[a], "in", &RuleSet::builtin());
        let start = html.find("id=\"klartext-data\">").unwrap();
        let data = &html[start..];
        let end = data.find("</script>").unwrap();
        let json = &data["id=\"klartext-data\">".len()..end];
        assert!(!json.contains('<'), "{json}");
        let parsed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(
            parsed["articles"][0]["text"],
            "x </script><script>alert(1)</script> <!--"
        );
    }

    #[test]
    fn the_summary_counts_ads_per_category_language_and_rule() {
        let meta = |ads: serde_json::Value| serde_json::json!({"language": "de", "counts": {"chars_in": 10, "chars_out": 5}, "ads": ads});
        let two = meta(serde_json::json!([
            {"start": 0, "end": 2, "category": "trading", "score": 0.8, "rules": ["de.trading", "form.url"]},
            {"start": 3, "end": 5, "category": "newsletter", "score": 0.7, "rules": ["de.trading"]}
        ]));
        let articles = vec![
            article("a.txt", "0123456789", two),
            article("b.txt", "0123456789", meta(serde_json::json!([]))),
            ReportArticle::failed("c.txt", "not text: binary file".into()),
        ];
        let s = Summary::of(&articles);
        assert_eq!((s.articles, s.errors, s.ads), (3, 1, 2));
        assert_eq!(s.by_rule["de.trading"], 2);
        assert_eq!(s.by_language["de"], (2, 2));
        assert_eq!(s.classes["clean"], 1);
        assert_eq!(s.classes["contains_promo"], 1);
        assert!((s.removed_percent() - 50.0).abs() < 1e-9);
        let html = render(&articles, "in", &RuleSet::builtin());
        assert!(html.contains("<code>de.trading</code>"), "top rules table");
        assert!(!html.contains("src=\"http") && !html.contains("href=\"http"));
    }
}
