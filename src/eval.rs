//! Evaluation against an annotated folder (the format of `corpus/README.md`).
//!
//! Every figure is counted in non-whitespace characters, so that where a passage's surrounding
//! spaces and line breaks fall never moves a number:
//!
//! - **ads caught**: a gold passage is caught when at least 90% of its characters are removed;
//! - **char precision / recall / F1** of the removed characters against the gold passages;
//! - **editorial retained**: the share of gold editorial characters (everything but the ads and
//!   the dateline) that the clean text keeps;
//! - **no-promo articles cut**: articles without any gold ad from which anything was removed;
//! - **category right**: of the ads caught, the share whose category is the gold one (the category
//!   of the removed span that covers most of the ad), which is what `klartext count` reports per
//!   category.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::article;
use crate::error::{Error, Result};
use crate::rules::{Category, RuleSet};
use crate::structure::Span;

/// Share of a gold passage's characters that must be removed for it to count as caught.
pub const CAUGHT_SHARE: f64 = 0.9;

/// One annotated article.
#[derive(Clone, Debug)]
pub struct GoldArticle {
    /// The article path relative to the annotated folder, `/`-separated.
    pub id: String,
    pub text: String,
    pub annotation: Annotation,
    /// Byte spans of the gold ads in `text`, in the order of `annotation.ad`.
    pub ad_spans: Vec<Span>,
    /// Byte span of the dateline, if annotated.
    pub dateline_span: Option<Span>,
}

/// The contents of a `<slug>.gold.toml` file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Annotation {
    pub language: String,
    pub title: String,
    pub dateline: Option<String>,
    pub datetime: Option<String>,
    #[serde(default)]
    pub headings: Vec<String>,
    #[serde(default)]
    pub ad: Vec<GoldAd>,
}

/// One annotated promotional passage.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldAd {
    pub category: Category,
    pub text: String,
}

/// The only place `needle` occurs in `text`, or an error naming the annotation file.
fn locate(text: &str, needle: &str, file: &Path, what: &str) -> Result<Span> {
    let mut found = text.match_indices(needle);
    match (found.next(), found.next()) {
        (Some((start, _)), None) => Ok(Span::new(start, start + needle.len())),
        (None, _) => Err(Error::usage(format!(
            "{}: {what} is not in the article",
            file.display()
        ))),
        (Some(_), Some(_)) => Err(Error::usage(format!(
            "{}: {what} occurs more than once in the article",
            file.display()
        ))),
    }
}

/// Loads every `<slug>.gold.toml` under `dir` with its `<slug>.txt`, sorted by path.
pub fn load(dir: &Path) -> Result<Vec<GoldArticle>> {
    let mut paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|e| e.ok())
        .map(|e| e.into_path())
        .filter(|p| p.to_string_lossy().ends_with(".gold.toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Error::usage(format!(
            "{}: no annotated articles (*.gold.toml) here",
            dir.display()
        )));
    }
    let mut articles = Vec::new();
    for gold in paths {
        let name = gold.to_string_lossy();
        let article = PathBuf::from(format!("{}.txt", &name[..name.len() - ".gold.toml".len()]));
        let source = std::fs::read_to_string(&gold).map_err(|e| Error::io(&gold, e))?;
        let annotation: Annotation = toml::from_str(&source).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            let line = source[..offset.min(source.len())].matches('\n').count() + 1;
            Error::usage(format!("{}:{line}: {}", gold.display(), e.message().trim()))
        })?;
        let text = std::fs::read_to_string(&article).map_err(|e| Error::io(&article, e))?;
        let ad_spans = annotation
            .ad
            .iter()
            .enumerate()
            .map(|(i, ad)| locate(&text, &ad.text, &gold, &format!("ad {}", i + 1)))
            .collect::<Result<Vec<_>>>()?;
        let dateline_span = match &annotation.dateline {
            Some(d) => Some(locate(&text, d, &gold, "the dateline")?),
            None => None,
        };
        let rel = article.strip_prefix(dir).unwrap_or(&article);
        let id = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        articles.push(GoldArticle {
            id,
            text,
            annotation,
            ad_spans,
            dateline_span,
        });
    }
    Ok(articles)
}

/// Counts behind the figures; they add up across articles.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Counts {
    pub articles: usize,
    pub no_promo_articles: usize,
    pub no_promo_articles_cut: usize,
    pub ads: usize,
    pub ads_caught: usize,
    /// Caught ads whose removed span carries the gold category.
    pub ads_caught_category_right: usize,
    /// Removed characters inside gold ads.
    pub true_removed: usize,
    /// Removed characters outside gold ads (editorial text lost).
    pub false_removed: usize,
    /// Gold ad characters kept.
    pub missed: usize,
    pub editorial: usize,
    pub editorial_kept: usize,
}

impl Counts {
    fn add(&mut self, other: &Counts) {
        self.articles += other.articles;
        self.no_promo_articles += other.no_promo_articles;
        self.no_promo_articles_cut += other.no_promo_articles_cut;
        self.ads += other.ads;
        self.ads_caught += other.ads_caught;
        self.ads_caught_category_right += other.ads_caught_category_right;
        self.true_removed += other.true_removed;
        self.false_removed += other.false_removed;
        self.missed += other.missed;
        self.editorial += other.editorial;
        self.editorial_kept += other.editorial_kept;
    }

    fn ratio(part: usize, whole: usize) -> f64 {
        if whole == 0 {
            1.0
        } else {
            part as f64 / whole as f64
        }
    }

    pub fn ads_caught_ratio(&self) -> f64 {
        Self::ratio(self.ads_caught, self.ads)
    }

    /// Of the ads caught, the share given their gold category.
    pub fn category_right_ratio(&self) -> f64 {
        Self::ratio(self.ads_caught_category_right, self.ads_caught)
    }

    pub fn editorial_retained_ratio(&self) -> f64 {
        Self::ratio(self.editorial_kept, self.editorial)
    }

    pub fn char_precision(&self) -> f64 {
        Self::ratio(self.true_removed, self.true_removed + self.false_removed)
    }

    pub fn char_recall(&self) -> f64 {
        Self::ratio(self.true_removed, self.true_removed + self.missed)
    }

    pub fn char_f1(&self) -> f64 {
        let (p, r) = (self.char_precision(), self.char_recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// A gold passage that was not caught.
#[derive(Clone, Debug, Serialize)]
pub struct Miss {
    pub id: String,
    pub category: Category,
    /// Share of its characters that were removed.
    pub removed: f64,
    pub text: String,
}

/// A caught ad given another category than the gold one.
#[derive(Clone, Debug, Serialize)]
pub struct WrongCategory {
    pub id: String,
    pub gold: Category,
    pub found: Category,
    pub text: String,
}

/// Editorial text that was removed: one removed span's editorial part.
#[derive(Clone, Debug, Serialize)]
pub struct FalseCut {
    pub id: String,
    pub text: String,
}

/// Everything `klartext eval` reports.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Report {
    pub overall: Counts,
    pub by_language: BTreeMap<String, Counts>,
    /// Ads and ads caught per gold category.
    pub by_category: BTreeMap<String, (usize, usize)>,
    pub misses: Vec<Miss>,
    pub wrong_categories: Vec<WrongCategory>,
    pub false_cuts: Vec<FalseCut>,
}

fn non_whitespace(text: &str, span: Span) -> usize {
    span.of(text).chars().filter(|c| !c.is_whitespace()).count()
}

/// Non-whitespace characters of `span` that lie inside any of `inside` (sorted, disjoint).
fn overlap(text: &str, span: Span, inside: &[Span]) -> usize {
    inside
        .iter()
        .filter_map(|s| {
            let start = s.start.max(span.start);
            let end = s.end.min(span.end);
            (start < end).then(|| non_whitespace(text, Span::new(start, end)))
        })
        .sum()
}

/// Merges sorted spans that touch or overlap.
fn merged(mut spans: Vec<Span>) -> Vec<Span> {
    spans.sort();
    let mut out: Vec<Span> = Vec::new();
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Evaluates one article given the passages the pipeline removed as promotional: their byte
/// spans and categories.
pub fn score_article(article: &GoldArticle, found: &[(Span, Category)], report: &mut Report) {
    let text = &article.text;
    let removed = merged(found.iter().map(|(span, _)| *span).collect());
    let gold = merged(article.ad_spans.clone());
    let mut counts = Counts {
        articles: 1,
        ..Counts::default()
    };
    for (ad, span) in article.annotation.ad.iter().zip(&article.ad_spans) {
        let size = non_whitespace(text, *span);
        let hit = overlap(text, *span, &removed);
        let share = if size == 0 {
            1.0
        } else {
            hit as f64 / size as f64
        };
        counts.ads += 1;
        let entry = report
            .by_category
            .entry(ad.category.name().to_string())
            .or_default();
        entry.0 += 1;
        if share >= CAUGHT_SHARE {
            counts.ads_caught += 1;
            entry.1 += 1;
            let covering = found
                .iter()
                .max_by_key(|(removed, _)| overlap(text, *span, std::slice::from_ref(removed)))
                .map(|(_, category)| *category);
            match covering {
                Some(category) if category == ad.category => counts.ads_caught_category_right += 1,
                Some(category) => report.wrong_categories.push(WrongCategory {
                    id: article.id.clone(),
                    gold: ad.category,
                    found: category,
                    text: ad.text.clone(),
                }),
                None => {}
            }
        } else {
            report.misses.push(Miss {
                id: article.id.clone(),
                category: ad.category,
                removed: share,
                text: ad.text.clone(),
            });
        }
    }
    let all = Span::new(0, text.len());
    let removed_total = overlap(text, all, &removed);
    counts.true_removed = gold.iter().map(|g| overlap(text, *g, &removed)).sum();
    counts.false_removed = removed_total - counts.true_removed;
    counts.missed = overlap(text, all, &gold) - counts.true_removed;
    let dateline = article
        .dateline_span
        .map_or(0, |d| non_whitespace(text, d) - overlap(text, d, &gold));
    counts.editorial = non_whitespace(text, all) - overlap(text, all, &gold) - dateline;
    counts.editorial_kept = counts.editorial - counts.false_removed;
    if article.ad_spans.is_empty() {
        counts.no_promo_articles = 1;
        counts.no_promo_articles_cut = usize::from(counts.false_removed > 0);
    }
    for span in &removed {
        if overlap(text, *span, &gold) < non_whitespace(text, *span) {
            report.false_cuts.push(FalseCut {
                id: article.id.clone(),
                text: span.of(text).to_string(),
            });
        }
    }
    report.overall.add(&counts);
    report
        .by_language
        .entry(article.annotation.language.clone())
        .or_default()
        .add(&counts);
}

/// The passages a cleaned article lost, as [`score_article`] takes them.
fn found(cleaned: &article::CleanArticle) -> Vec<(Span, Category)> {
    cleaned
        .ads
        .iter()
        .map(|ad| (ad.span, ad.category))
        .collect()
}

/// Runs the pipeline with `rules` on every article and scores it.
pub fn evaluate(articles: &[GoldArticle], rules: &RuleSet) -> Report {
    let mut report = Report::default();
    for article in articles {
        let cleaned = article::clean(&article.text, rules);
        score_article(article, &found(&cleaned), &mut report);
    }
    report
}

/// The headline figures, as `klartext eval --json` prints them.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub ads_caught_ratio: f64,
    pub editorial_retained_ratio: f64,
    pub char_precision: f64,
    pub char_recall: f64,
    pub char_f1: f64,
    pub articles: usize,
    pub no_promo_articles_cut: usize,
    pub category_right_ratio: f64,
}

impl From<&Counts> for Summary {
    fn from(c: &Counts) -> Summary {
        Summary {
            ads_caught_ratio: c.ads_caught_ratio(),
            editorial_retained_ratio: c.editorial_retained_ratio(),
            char_precision: c.char_precision(),
            char_recall: c.char_recall(),
            char_f1: c.char_f1(),
            articles: c.articles,
            no_promo_articles_cut: c.no_promo_articles_cut,
            category_right_ratio: c.category_right_ratio(),
        }
    }
}

/// The report as a table with the misses and false cuts listed.
pub fn render(report: &Report) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let _ = writeln!(
        out,
        "{:<10} {:>8} {:>9} {:>5} {:>7} {:>7} {:>7} {:>7} {:>10} {:>12} {:>9}",
        "",
        "articles",
        "no-promo",
        "ads",
        "caught",
        "char P",
        "char R",
        "char F1",
        "editorial",
        "no-promo cut",
        "category"
    );
    let row = |out: &mut String, name: &str, c: &Counts| {
        let _ = writeln!(
            out,
            "{:<10} {:>8} {:>9} {:>5} {:>7} {:>7} {:>7} {:>7} {:>10} {:>12} {:>9}",
            name,
            c.articles,
            c.no_promo_articles,
            c.ads,
            pct(c.ads_caught_ratio()),
            pct(c.char_precision()),
            pct(c.char_recall()),
            pct(c.char_f1()),
            format!("{:.2}%", 100.0 * c.editorial_retained_ratio()),
            c.no_promo_articles_cut,
            pct(c.category_right_ratio())
        );
    };
    row(&mut out, "all", &report.overall);
    for (language, c) in &report.by_language {
        row(&mut out, language, c);
    }
    let _ = writeln!(out, "\n{:<16} {:>5} {:>7}", "category", "ads", "caught");
    for (category, (ads, caught)) in &report.by_category {
        let _ = writeln!(
            out,
            "{:<16} {:>5} {:>7}",
            category,
            ads,
            pct(Counts::ratio(*caught, *ads))
        );
    }
    let short = |t: &str| {
        let one_line = t.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 160 {
            format!("{}…", one_line.chars().take(160).collect::<String>())
        } else {
            one_line
        }
    };
    let _ = writeln!(out, "\nmisses ({}):", report.misses.len());
    for m in &report.misses {
        let _ = writeln!(
            out,
            "  {} [{}, {:.0}% removed] {}",
            m.id,
            m.category.name(),
            100.0 * m.removed,
            short(&m.text)
        );
    }
    let _ = writeln!(out, "\nwrong category ({}):", report.wrong_categories.len());
    for w in &report.wrong_categories {
        let _ = writeln!(
            out,
            "  {} [{} taken for {}] {}",
            w.id,
            w.gold.name(),
            w.found.name(),
            short(&w.text)
        );
    }
    let _ = writeln!(out, "\nfalse cuts ({}):", report.false_cuts.len());
    for f in &report.false_cuts {
        let _ = writeln!(out, "  {} {}", f.id, short(&f.text));
    }
    out
}

/// K-fold cross-validation: for each fold, the weights are fitted ([`crate::train::fit`]) on the
/// other folds and the fold is scored with them. Only held-out figures enter the report.
pub fn cross_validate(
    articles: &[GoldArticle],
    rules: &RuleSet,
    folds: usize,
    options: crate::train::FitOptions,
) -> Report {
    let mut report = Report::default();
    for fold in 0..folds {
        let training: Vec<GoldArticle> = articles
            .iter()
            .filter(|a| fold_of(&a.id, folds) != fold)
            .cloned()
            .collect();
        let fitted = crate::train::fit(&training, rules, options);
        for article in articles {
            if fold_of(&article.id, folds) == fold {
                let cleaned = article::clean(&article.text, &fitted);
                score_article(article, &found(&cleaned), &mut report);
            }
        }
    }
    report
}

/// Which of `k` folds the article with path `id` belongs to: a hash of its path (64-bit
/// FNV-1a), not its place in the sorted list, so that an article stays in its fold when others
/// join the corpus, and held-out figures before and after a corpus grows compare article by
/// article.
fn fold_of(id: &str, k: usize) -> usize {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash % k.max(1) as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::fold_of;

    #[test]
    fn folds_spread_articles_evenly_and_one_fold_holds_everything() {
        let mut sizes = [0usize; 5];
        for i in 0..1000 {
            sizes[fold_of(&format!("de/article-{i}.txt"), 5)] += 1;
        }
        assert!(sizes.iter().all(|&n| (150..=250).contains(&n)), "{sizes:?}");
        assert_eq!(fold_of("en/x.txt", 1), 0);
        assert_eq!(fold_of("en/x.txt", 0), 0);
    }
}
