//! The `klartext` command: a thin layer over the library. Exit codes are decided here only:
//! 0 everything was cleaned, 1 some input could not be cleaned (see the manifest), 2 the command
//! could not run (bad flags, missing inputs, broken rules, an unusable output folder), 130 it
//! was interrupted (Ctrl-C).

use std::io::IsTerminal;
use std::mem::ManuallyDrop;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use klartext::batch::{self, WalkOptions};
use klartext::RuleSet;

#[derive(Parser)]
#[command(
    name = "klartext",
    version,
    about = "Turns scraped news articles into clean editorial text: inline ads, lead magnets, broker and newsletter pitches, \"Anzeige\" notes and \"Lesen Sie auch\" lines are found sentence by sentence and removed.",
    after_help = "Example:\n  klartext clean corpus --ext txt --out clean/ --report report.html\n  klartext explain corpus/de/amazon-ki-wettlauf.txt\n  klartext --generate complete-bash > /etc/bash_completion.d/klartext\n\nRun `klartext help clean` for the outputs and exit codes.",
    args_conflicts_with_subcommands = true,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Print a man page or a shell completion script to stdout instead of running a command.
    #[arg(long, value_enum, value_name = "WHAT")]
    generate: Option<Generate>,
}

/// What `--generate` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Generate {
    /// One man page (roff) for klartext and all its commands: `klartext --generate man > klartext.1`.
    Man,
    CompleteBash,
    CompleteZsh,
    CompleteFish,
}

#[derive(Subcommand)]
enum Command {
    /// Clean files and folders of articles; write clean text, metadata and a manifest.
    #[command(after_help = CLEAN_HELP)]
    Clean(CleanArgs),
    /// Split text into sentences: JSONL in (`text`, optional `lang`), JSONL out with `sentences` added.
    #[command(after_help = SENTENCES_HELP)]
    Sentences(SentencesArgs),
    /// Measure klartext on an annotated folder (corpus/README.md): ads caught, editorial kept.
    #[command(after_help = EVAL_HELP)]
    Eval(EvalArgs),
    /// Fit the rules' weights on an annotated folder and write the fitted rules for --rules.
    #[command(after_help = TRAIN_HELP)]
    Train(TrainArgs),
    /// Clean a JSONL stream: one line out per line in, text replaced, metadata added.
    #[command(after_help = FILTER_HELP)]
    Filter(FilterArgs),
    /// Write the passage fingerprints of JSONL records, for an engine to count across a corpus.
    #[command(after_help = FINGERPRINTS_HELP)]
    Fingerprints(FingerprintsArgs),
    /// Count the ads in files and folders of articles, per article and category; writes nothing.
    #[command(
        after_help = "Example:\n  klartext count corpus --ext txt\n  klartext count articles/ --format csv > ads.csv"
    )]
    Count(CountArgs),
    /// Show how one article is read: every sentence with its label, score and the cues that fired.
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// List the rules or run the example sentences kept in the rule files.
    #[command(
        subcommand,
        after_help = "Example:\n  klartext rules list\n  klartext rules test --rules my-rules"
    )]
    Rules(RulesCommand),
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Print every rule with its language, category, weight and where in a block it applies,
    /// then every category hint ([[hint]]: words that only name an ad's category) with its
    /// strength.
    #[command(
        after_help = "Example:\n  klartext rules list\n  klartext rules list --rules my-rules | grep trading"
    )]
    List(RulesArgs),
    /// Run every rule's and category hint's example sentences (`match` and `no_match` in the
    /// rule files) and print pass or fail for each; exit 1 when any fails.
    #[command(after_help = RULES_TEST_HELP)]
    Test(RulesTestArgs),
}

#[derive(clap::Args)]
struct RulesArgs {
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

const RULES_TEST_HELP: &str = "\
Each rule in rules/*.toml carries sentences its pattern must match (`match`) and must not match
(`no_match`). This runs them all and prints one line per rule, `ok` or `FAIL` with the sentences
that went wrong, then a total. Exit codes: 0 all pass, 1 some fail, 2 the rules do not load.

Example:
  klartext rules test
  klartext rules test --rules my-rules --failed";

#[derive(clap::Args)]
struct RulesTestArgs {
    #[command(flatten)]
    rules: RulesArgs,
    /// Print only the rules that fail (and the total).
    #[arg(long)]
    failed: bool,
    #[command(flatten)]
    color: ColorArgs,
}

/// When to colour the output.
#[derive(clap::Args)]
struct ColorArgs {
    /// Colour the output: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    color: clap::ColorChoice,
}

impl ColorArgs {
    /// Stdout, with styles passed through or stripped as chosen.
    fn stdout(&self) -> anstream::AutoStream<std::io::Stdout> {
        let choice = match self.color {
            clap::ColorChoice::Auto => anstream::ColorChoice::Auto,
            clap::ColorChoice::Always => anstream::ColorChoice::Always,
            clap::ColorChoice::Never => anstream::ColorChoice::Never,
        };
        anstream::AutoStream::new(std::io::stdout(), choice)
    }
}

const EXPLAIN_HELP: &str = "\
Prints the language, title and dateline, the ads found and the share of text removed, then every
block and sentence: `AD` (removed) or `ok` (kept), the margin the decoder weighed (above 0 leans
promo), the cues that fired with their weighted contribution, and what the decoder knows of the
sentence's context (on the story's topic, quotes speech, the publisher's voice, names an offer,
shares a word only with the block below). Each removed passage is
announced with its number, category and score, and coloured by category on a terminal.

Example:
  klartext explain corpus/de/amazon-ki-wettlauf.txt
  klartext explain article.txt --color always | less -R";

const SENTENCES_HELP: &str = "\
Reads JSON objects, one per line, from the files or from stdin; writes each object with every key
kept and `sentences` added: the sentence strings of `text`, in order, each a trimmed substring.
The language comes from --lang, else the object's `lang`, else detection. A line that is not an
object with a string `text` is reported on stderr with its file and line and written out with an
`error` field (an object keeps its keys; anything else comes as `{\"input\": line, \"error\": …}`);
the exit code is then 1.

Example:
  echo '{\"text\": \"Er kam am 1. August. Dann ging er.\"}' | klartext sentences
  {\"text\":\"Er kam am 1. August. Dann ging er.\",\"sentences\":[\"Er kam am 1. August.\",\"Dann ging er.\"]}";

#[derive(clap::Args)]
struct SentencesArgs {
    /// JSONL files (default: stdin).
    files: Vec<PathBuf>,
    /// Write `{start, end, text}` objects (character offsets into `text`) instead of strings.
    #[arg(long)]
    offsets: bool,
    /// Use this language (ISO 639-1) for every record.
    #[arg(long, value_name = "CODE")]
    lang: Option<String>,
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

const EVAL_HELP: &str = "\
Runs the pipeline on every annotated article (<slug>.txt beside <slug>.gold.toml) and reports,
overall, per language and per category: ads caught (a gold passage counts when at least 90% of
its characters are removed), character precision, recall and F1 of what was removed, the share
of editorial characters kept, the number of articles without ads that lost any text, and of the
ads caught the share given their gold category (what `count` counts by). The misses, the caught
ads with the wrong category and the false cuts follow with their text. Characters are counted
without white space. --json prints ads_caught_ratio, editorial_retained_ratio, char_precision,
char_recall, char_f1, articles, no_promo_articles_cut and category_right_ratio.

Example:
  klartext eval corpus
  klartext eval corpus --json";

#[derive(clap::Args)]
struct EvalArgs {
    /// The annotated folder.
    dir: PathBuf,
    /// Print one JSON object with the headline figures instead of the table.
    #[arg(long)]
    json: bool,
    /// Cross-validate: fit the weights on all folds but one, score the one held out, for each
    /// of K folds; report held-out figures only.
    #[arg(long, value_name = "K")]
    folds: Option<usize>,
    /// Gradient steps of the fit per fold (with --folds).
    #[arg(long, value_name = "N", default_value_t = 200)]
    iterations: usize,
    /// With --folds: learn word rules in each fold's fit, as `train --learn-words` does.
    #[arg(long, requires = "folds")]
    learn_words: bool,
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

const TRAIN_HELP: &str = "\
Fits the weight of every rule and the bias (and, with --learn-words, learns word rules) on an
annotated folder (corpus/README.md), starting from the current rules, and
writes the rule files with the fitted weights into OUT, a new folder. Pass it to clean, eval or explain with --rules.
To see how well fitted weights generalise, use `klartext eval DIR --folds 5`.

Example:
  klartext train my-annotated-articles --out my-rules
  klartext clean scraped/ --rules my-rules --out clean/";

#[derive(clap::Args)]
struct TrainArgs {
    /// The annotated folder.
    dir: PathBuf,
    /// Where to write the fitted rules (a new or empty folder).
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    /// Start from the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Gradient steps of the fit.
    #[arg(long, value_name = "N", default_value_t = 200)]
    iterations: usize,
    /// Also learn word rules: words that stand in the ads of at least five articles and rarely
    /// in their editorial text. Off by default; on the bundled corpus they lower held-out
    /// figures (README, "Measuring detection"), but a large folder of one publisher's inserts
    /// may gain from them: compare with `eval DIR --folds 5 [--learn-words]`.
    #[arg(long)]
    learn_words: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

const FILTER_HELP: &str = "\
Reads JSON objects, one per line, from the files or from stdin, and writes one line per input
line to stdout, in order, in bounded memory. Every key stays in its place; the text is replaced
by the clean text and the metadata (language, title, dateline, headings, counts, ads with
character offsets, category, score and rules) goes under metadata.klartext, or into top-level
klartext_* keys with --flat. A line that is not an object with a string text comes out with an
`error` field and is reported on stderr; the exit code stays 0 unless --strict. A closed stdout
(`| head`) ends the run quietly. Needs no shell, so it works as the command of Spark's RDD.pipe
or Hadoop streaming. It runs on one thread per core, or on RAYON_NUM_THREADS threads when that
environment variable is set (filter has no -j).

Passages that recur in at least --repeats-min records of a window of --repeat-window lines count
as a cue: with a weak promotional cue of their own they are ads, without any they are listed as
boilerplate. With --known-repeats, counts made over the whole corpus are used instead.

Example:
  klartext filter < shard.jsonl > clean.jsonl
  klartext filter --text-key content --keep-original raw --flat < shard.jsonl
  klartext filter --known-repeats repeats.jsonl shard.jsonl.gz > clean.jsonl";

#[derive(clap::Args)]
struct FilterArgs {
    /// JSONL files, plain, .gz or .zst (default: stdin).
    files: Vec<PathBuf>,
    /// Print nothing but errors (no progress).
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    record: RecordArgs,
    /// Also write a dolma attributes file per input file (same name and compression) into this
    /// folder; needs files, not stdin.
    #[arg(long, value_name = "DIR")]
    dolma_attributes: Option<PathBuf>,
    #[command(flatten)]
    repeats: RepeatArgs,
    /// Count recurring passages within windows of this many consecutive lines (ignored with
    /// --known-repeats or --no-repeats).
    #[arg(long, value_name = "LINES", default_value_t = 2048, value_parser = clap::value_parser!(u64).range(1..))]
    repeat_window: u64,
    /// Exit 1 when any line is bad (they are still written, with an `error` field).
    #[arg(long)]
    strict: bool,
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

/// How JSONL records are read and written (shared by `filter` and `clean --jsonl`).
#[derive(clap::Args)]
struct RecordArgs {
    /// The key holding the article text.
    #[arg(long, value_name = "KEY", default_value = "text")]
    text_key: String,
    /// The key holding the record id (used as the metadata id).
    #[arg(long, value_name = "KEY", default_value = "id")]
    id_key: String,
    /// Keep the original text under this key.
    #[arg(long, value_name = "KEY")]
    keep_original: Option<String>,
    /// Write the metadata as top-level klartext_* keys (for NeMo Curator) instead of metadata.klartext.
    #[arg(long)]
    flat: bool,
}

impl From<RecordArgs> for klartext::records::FilterOptions {
    fn from(args: RecordArgs) -> Self {
        klartext::records::FilterOptions {
            text_key: args.text_key,
            id_key: args.id_key,
            keep_original: args.keep_original,
            flat: args.flat,
        }
    }
}

/// How passages that recur across a batch are used (shared by `clean`, `filter` and `count`).
#[derive(clap::Args)]
struct RepeatArgs {
    /// Clean every article alone: do not look for passages that recur across the batch.
    #[arg(long)]
    no_repeats: bool,
    /// A passage recurs when it stands in at least N articles of the batch.
    #[arg(long, value_name = "N", default_value_t = klartext::repeats::DEFAULT_MIN_ARTICLES, value_parser = clap::value_parser!(u32).range(2..))]
    repeats_min: u32,
    /// Use passage counts made elsewhere (JSON lines {"passage": …, "articles": N}: the output of
    /// `klartext fingerprints` counted by an engine) instead of counting within this run.
    #[arg(long, value_name = "FILE", conflicts_with = "no_repeats")]
    known_repeats: Option<PathBuf>,
    /// Remove recurring passages without promotional cues (boilerplate: agency footers,
    /// disclaimers) from the clean text; by default they are listed in the metadata and kept.
    #[arg(long, conflicts_with = "no_repeats")]
    strip_boilerplate: bool,
}

impl RepeatArgs {
    /// The batch's passage counts: none with --no-repeats, read from --known-repeats, or
    /// counted by `count` (the first pass over the batch).
    fn counts(
        &self,
        count: impl FnOnce() -> klartext::repeats::PassageCounts,
    ) -> Result<Option<klartext::repeats::PassageCounts>, Fatal> {
        if self.no_repeats {
            return Ok(None);
        }
        if let Some(file) = &self.known_repeats {
            return Ok(Some(klartext::repeats::PassageCounts::read_known(
                file,
                self.repeats_min,
            )?));
        }
        let counts = count();
        if counts.load() > 1.0 {
            eprintln!(
                "klartext: warning: this batch has more passages than the in-memory repeat counter holds exactly ({:.1} per counter); some rare passages may count as recurring. Count them with `klartext fingerprints` and an engine, and pass --known-repeats",
                counts.load()
            );
        }
        Ok(Some(counts.keep_recurring(self.repeats_min)))
    }

    fn repeats<'a>(
        &self,
        counts: &'a Option<klartext::repeats::PassageCounts>,
    ) -> Option<klartext::repeats::Repeats<'a>> {
        counts.as_ref().map(|counts| klartext::repeats::Repeats {
            counts,
            min_articles: self.repeats_min,
            strip_boilerplate: self.strip_boilerplate,
        })
    }
}

const FINGERPRINTS_HELP: &str = "\
Reads JSON objects, one per line, from the files (plain, .gz or .zst) or from stdin, and writes
one line per input line: {\"id\": <the record's id>, \"passages\": [<fingerprint>, ...]}, the
distinct fingerprints (16 hex digits) of the record's sentences, as `clean` and `filter` compute
them. Count in how many records each fingerprint stands with any engine, keep those in at least
--repeats-min records, write them as JSON lines {\"passage\": <fingerprint>, \"articles\": N} and
pass that file to clean or filter with --known-repeats. Bad lines come out with an `error` field
and are reported on stderr; the exit code stays 0 unless --strict, as for `filter`.

Example:
  klartext fingerprints shard-*.jsonl.gz > fingerprints.jsonl
  # count with Spark, or for a small corpus with jq:
  jq -c '.passages[]' fingerprints.jsonl | sort | uniq -c | awk '$1 >= 5 {print \"{\\\"passage\\\": \" $2 \", \\\"articles\\\": \" $1 \"}\"}' > repeats.jsonl
  klartext clean --jsonl shards/ --out clean/ --known-repeats repeats.jsonl";

#[derive(clap::Args)]
struct FingerprintsArgs {
    /// JSONL files, plain, .gz or .zst (default: stdin).
    files: Vec<PathBuf>,
    /// Print nothing but errors (no progress).
    #[arg(long, short)]
    quiet: bool,
    /// The key holding the article text.
    #[arg(long, value_name = "KEY", default_value = "text")]
    text_key: String,
    /// The key holding the record id.
    #[arg(long, value_name = "KEY", default_value = "id")]
    id_key: String,
    /// Exit 1 when any line is bad (they are still written, with an `error` field).
    #[arg(long)]
    strict: bool,
    /// Use the rules in this folder instead of the built-in ones (sentence splitting and month
    /// names must match those of the run that uses the counts).
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

/// How folders are walked (shared by `clean` and `count`).
#[derive(clap::Args)]
struct WalkArgs {
    /// File endings read from folders, comma-separated.
    #[arg(
        long,
        value_name = "EXT,...",
        value_delimiter = ',',
        default_value = "txt,md"
    )]
    ext: Vec<String>,
    /// Follow symbolic links inside input folders.
    #[arg(long)]
    follow: bool,
}

impl From<WalkArgs> for WalkOptions {
    fn from(args: WalkArgs) -> WalkOptions {
        WalkOptions {
            extensions: args.ext,
            follow_links: args.follow,
        }
    }
}

#[derive(clap::Args)]
struct CountArgs {
    /// Article files and folders (walked as by `clean`).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// table, csv or json (formats documented in `klartext::output::CountFormat`).
    #[arg(long, value_enum, default_value = "table")]
    format: klartext::output::CountFormat,
    /// Print nothing but errors and the counts (no progress).
    #[arg(long, short)]
    quiet: bool,
    #[command(flatten)]
    walk: WalkArgs,
    #[command(flatten)]
    repeats: RepeatArgs,
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// The article file.
    file: PathBuf,
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    #[command(flatten)]
    color: ColorArgs,
}

const CLEAN_HELP: &str = "\
For every article, mirroring its path below the input folder (a file given directly lands at the
top of DIR), klartext writes:
  DIR/<rel>.txt        the clean text: title, then headings and paragraphs, one per line
  DIR/<rel>.json       metadata: language, title, dateline, headings, counts, and every ad span
                       with character offsets, category, score and the rules that fired
  DIR/manifest.jsonl   one line per input: id, language, ads, sentences, status

With --report FILE.html it also writes one self-contained HTML page for the whole run: a summary
(articles, ads, share of text removed, ads per category and language, the rules that fired
most), a sortable table of the articles, and every article in full with the removed passages
struck through and coloured by category, their reasons on hover. It must not be an input or lie
inside an input folder, and an existing file is kept unless --force.

Example:
  klartext clean corpus/de --out /tmp/clean --report /tmp/clean-report.html
  cat /tmp/clean/amazon-ki-wettlauf.txt
  klartext clean --jsonl shards/ --out clean/ --shard 1/4 --dolma-attributes attributes/klartext

With --jsonl, the inputs are JSONL shards (.jsonl, .jsonl.gz, .jsonl.zst): each gives one output
shard of the same name and compression, with the same rows in order, cleaned as by `filter`.

The inputs form one batch: passages that recur in at least --repeats-min of its articles are a
cue (a weak promotional cue plus recurrence makes an ad; recurrence without cues is boilerplate,
listed in the metadata and kept unless --strip-boilerplate). Every input is read once to count
them before cleaning starts (with --shard, all inputs, so that every part cleans alike);
--known-repeats uses counts made elsewhere instead, --no-repeats cleans each article alone.

Nothing is overwritten unless --force: a DIR holding an earlier run is refused (exit 2), and
--skip-existing keeps what is there and cleans only the missing articles. Two runs cannot write
into one DIR at once. Every file is written to a temporary file and then renamed.

Exit codes: 0 all articles cleaned; 1 some could not be (their manifest line says why);
2 nothing ran (bad flags, missing input, broken rules, --out inside an input folder, an earlier
run in DIR without --force or --skip-existing, another run writing to DIR); 130 interrupted.

Ctrl-C stops the run after the articles in flight (at most 2,048): they are written and listed
in the manifest, and the same command with --skip-existing cleans the rest. A second Ctrl-C
stops at once.";

#[derive(clap::Args)]
struct CleanArgs {
    /// Article files and folders (folders are walked recursively, hidden entries skipped).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output folder; created if missing. Must not be, or lie inside, an input folder.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
    #[command(flatten)]
    walk: WalkArgs,
    /// Use the rules in this folder (*.toml, *.abbreviations.txt) instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Also write an HTML review report of the run to this file (see above).
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
    /// Worker threads (0 counts as 1; default: RAYON_NUM_THREADS when set, else one per core).
    /// The output is the same for any number.
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Print nothing but errors (no progress, no summary).
    #[arg(long, short)]
    quiet: bool,
    /// Overwrite the outputs of an earlier run in DIR (and an existing --report file).
    #[arg(long, conflicts_with = "skip_existing")]
    force: bool,
    /// Keep the outputs of an earlier run in DIR and clean only what is missing (resumes a
    /// killed run).
    #[arg(long)]
    skip_existing: bool,
    /// The inputs are JSONL shards (.jsonl, .jsonl.gz, .jsonl.zst, or folders holding them):
    /// write one cleaned shard per input, same name, compression and rows.
    #[arg(long)]
    jsonl: bool,
    /// With --jsonl: clean only every N-th shard of the sorted inputs, starting at the K-th.
    #[arg(long, value_name = "K/N", requires = "jsonl")]
    shard: Option<klartext::shards::ShardSpec>,
    /// With --jsonl: also write a dolma attributes file per shard (same name) into this folder.
    #[arg(long, value_name = "DIR", requires = "jsonl")]
    dolma_attributes: Option<PathBuf>,
    /// With --jsonl: how records are read and written, as by `filter`.
    #[command(flatten)]
    record: RecordArgs,
    #[command(flatten)]
    repeats: RepeatArgs,
}

/// The recurring passages of the readable articles among `jobs`, counted in a sketch: the first
/// pass of `clean` and `count` over files. The paths are taken a chunk at a time, so that a
/// walk over millions of files is never held in memory.
fn passages_in_files(
    jobs: impl Iterator<Item = batch::Job>,
    rules: &RuleSet,
) -> klartext::repeats::PassageCounts {
    let mut counts = klartext::repeats::PassageCounts::sketch();
    let mut paths = jobs.filter(|j| j.error.is_none()).map(|j| j.path);
    loop {
        let chunk: Vec<PathBuf> = paths.by_ref().take(batch::JOBS_PER_CHUNK).collect();
        if chunk.is_empty() {
            return counts;
        }
        let chunk: Vec<&std::path::Path> = chunk.iter().map(PathBuf::as_path).collect();
        klartext::repeats::count_files(&chunk, rules, &mut counts);
    }
}

/// A failure that stops the command before or while it runs: exit code 2.
struct Fatal(String);

impl From<klartext::Error> for Fatal {
    fn from(e: klartext::Error) -> Self {
        Fatal(e.to_string())
    }
}

/// The rules of a run. They live until the process exits: freeing them (their compiled
/// automata are many small allocations) cost some 47 M instructions at the end of every run,
/// 2% of a `filter` over the corpus, for memory that the exit gives back anyway.
fn load_rules(dir: &Option<PathBuf>) -> Result<ManuallyDrop<RuleSet>, Fatal> {
    Ok(ManuallyDrop::new(match dir {
        Some(dir) => RuleSet::from_dir(dir)?,
        None => RuleSet::builtin(),
    }))
}

/// A progress bar on stderr with `template` (indicatif's syntax) when stderr is a terminal and
/// the run is not `--quiet`; a hidden one otherwise, so that logs and pipes stay clean.
fn progress(len: Option<u64>, template: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match len {
        Some(len) => ProgressBar::new(len),
        None => ProgressBar::new_spinner(),
    };
    let style = ProgressStyle::with_template(template)
        .expect("valid progress template")
        .with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1}/s", state.per_sec());
            },
        );
    bar.set_style(style);
    bar
}

/// [`progress`] with a length that is counted (by `count`) only when the bar is shown.
fn progress_counted(count: impl FnOnce() -> u64, template: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    progress(Some(count()), template, quiet)
}

/// The template of a progress bar over articles.
const ARTICLES_BAR: &str = "{msg}{bar:40} {pos}/{len} articles, {rate}, ETA {eta}";

/// Runs `clean`; returns whether every input was cleaned.
fn clean(args: CleanArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .map_err(|e| Fatal(format!("cannot start {n} threads: {e}")))?;
    }
    batch::check_paths(&args.inputs, &args.out)?;
    if args.jsonl {
        return clean_shards(args, &rules);
    }
    let options = WalkOptions::from(args.walk);
    // The inputs are walked anew for each pass (a walk is cheap beside reading the files), so
    // that no list of every file is kept: see `batch::discover`.
    let jobs = || batch::discover(&args.inputs, &args.out, &options).claiming_outputs();
    if let Some(report) = &args.report {
        let outputs = batch::discover(&args.inputs, &args.out, &options);
        klartext::report::check_target(report, &args.inputs, outputs, &args.out, args.force)?;
    }
    let bar = progress_counted(
        || batch::discover(&args.inputs, &args.out, &options).count() as u64,
        ARTICLES_BAR,
        args.quiet,
    );
    let existing = existing(args.force, args.skip_existing);
    let counts = args.repeats.counts(|| passages_in_files(jobs(), &rules))?;
    let repeats = args.repeats.repeats(&counts);
    // The report shows every article in full, so it needs them all (see `klartext::report`);
    // without it, what the run keeps of an article is added to the totals.
    let mut for_report: Vec<(batch::Job, batch::Outcome)> = Vec::new();
    let totals = interrupt::gracefully(|| {
        batch::run(
            jobs(),
            &args.out,
            &rules,
            repeats.as_ref(),
            existing,
            &|| bar.inc(1),
            &mut |job, outcome| {
                if !outcome.ok {
                    bar.suspend(|| {
                        eprintln!(
                            "klartext: {}: {}",
                            outcome.manifest.id, outcome.manifest.status
                        )
                    });
                }
                if args.report.is_some() {
                    for_report.push((job.clone(), outcome.clone()));
                }
                if interrupt::requested() {
                    std::ops::ControlFlow::Break(())
                } else {
                    std::ops::ControlFlow::Continue(())
                }
            },
        )
    })?;
    bar.finish_and_clear();
    if totals.stopped_early {
        eprintln!(
            "klartext: interrupted after {} articles ({} ads found, {} errors), each written to {} and listed in its manifest.jsonl; run the same command with --skip-existing to clean the rest",
            totals.articles,
            totals.ads,
            totals.errors,
            args.out.display()
        );
        return Ok(totals.errors == 0);
    }
    if let Some(report) = &args.report {
        let bar = progress(Some(for_report.len() as u64), ARTICLES_BAR, args.quiet);
        bar.set_message("report: ");
        let articles = klartext::report::collect(&for_report, &|| bar.inc(1));
        bar.finish_and_clear();
        let inputs: Vec<String> = args
            .inputs
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        let html = klartext::report::render(&articles, &inputs.join(" "), &rules);
        klartext::report::write(report, &html, args.force)?;
    }

    if !args.quiet {
        let removed = if totals.chars_in == 0 {
            0.0
        } else {
            100.0 * (1.0 - totals.chars_out as f64 / totals.chars_in as f64)
        };
        eprintln!(
            "klartext: {} articles, {} ads found, {:.1}% of text removed, {} errors; output in {}{}",
            totals.articles,
            totals.ads,
            removed,
            totals.errors,
            args.out.display(),
            args.report.as_ref().map_or(String::new(), |r| format!(", report in {}", r.display()))
        );
    }
    Ok(totals.errors == 0)
}

/// Runs `clean --jsonl`; returns whether every shard was cleaned.
fn clean_shards(args: CleanArgs, rules: &RuleSet) -> Result<bool, Fatal> {
    use klartext::shards::{self, ShardRun, ShardSpec};
    let shards = shards::discover(&args.inputs)?;
    if let Some(dir) = &args.dolma_attributes {
        batch::check_paths(&args.inputs, dir)?;
    }
    let options = klartext::records::FilterOptions::from(args.record);
    let counts = args
        .repeats
        .counts(|| shards::count_passages(&shards, &options.text_key, rules))?;
    let mut filter = klartext::records::Filter::new(&options, rules);
    if let Some(counts) = &counts {
        filter = filter.with_repeats(
            klartext::records::RepeatSource::Fixed(counts),
            args.repeats.repeats_min,
            args.repeats.strip_boilerplate,
        );
    }
    if args.dolma_attributes.is_some() {
        filter = filter.with_dolma_attributes();
    }
    let run = ShardRun {
        out: &args.out,
        spec: args.shard.unwrap_or(ShardSpec::ALL),
        existing: existing(args.force, args.skip_existing),
        filter: &filter,
        dolma: args.dolma_attributes.as_deref(),
    };
    let lines = shards::run(&shards, &run, &mut |message| {
        eprintln!("klartext: {message}")
    })?;
    let failed = lines.iter().filter(|l| !l.ok()).count();
    if !args.quiet {
        let count = |f: fn(&shards::ShardManifestLine) -> Option<usize>| -> usize {
            lines.iter().filter_map(f).sum()
        };
        eprintln!(
            "klartext: {} shards ({} records, {} bad lines), {} ads found, {} errors; output in {}",
            lines.len(),
            count(|l| l.lines),
            count(|l| l.bad_lines),
            count(|l| l.ads),
            failed,
            args.out.display()
        );
    }
    Ok(failed == 0)
}

/// What to do with outputs of an earlier run.
fn existing(force: bool, skip_existing: bool) -> batch::Existing {
    match (force, skip_existing) {
        (true, _) => batch::Existing::Overwrite,
        (_, true) => batch::Existing::Skip,
        _ => batch::Existing::Refuse,
    }
}

/// A named JSONL input.
type Input = (String, Box<dyn std::io::BufRead>);

/// The JSONL inputs: the files in order, or stdin when there are none. What they read is
/// counted on `bar` (bytes).
fn jsonl_inputs(files: &[PathBuf], bar: &ProgressBar) -> Result<Vec<Input>, Fatal> {
    if files.is_empty() {
        return Ok(vec![(
            "<stdin>".to_string(),
            Box::new(std::io::BufReader::new(
                bar.wrap_read(std::io::stdin().lock()),
            )),
        )]);
    }
    let mut readers: Vec<Input> = Vec::new();
    for path in files {
        let file =
            std::fs::File::open(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        readers.push((
            path.display().to_string(),
            klartext::shards::reader(path, bar.wrap_read(file))?,
        ));
    }
    Ok(readers)
}

/// A progress bar over the bytes of JSONL inputs: with a length and an ETA for files, a
/// running count for stdin.
fn bytes_progress(files: &[PathBuf], quiet: bool) -> ProgressBar {
    if files.is_empty() {
        return progress(None, "{spinner} {bytes} read, {bytes_per_sec}", quiet);
    }
    let total = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    progress(
        Some(total),
        "{bar:40} {bytes}/{total_bytes}, {bytes_per_sec}, ETA {eta}",
        quiet,
    )
}

/// Where the side lines of each input file go: a file of the same name in `side_dir`. Refuses
/// stdin (it has no name), two inputs of the same name, and files that exist.
fn side_files(files: &[PathBuf], side_dir: &std::path::Path) -> Result<Vec<PathBuf>, Fatal> {
    if files.is_empty() {
        return Err(Fatal(
            "--dolma-attributes needs the input files named: stdin has no name to give its attributes file (the spans are also in metadata.klartext.ads)".into(),
        ));
    }
    let mut targets: Vec<PathBuf> = Vec::new();
    for file in files {
        let target = side_dir.join(file.file_name().unwrap_or_default());
        if targets.contains(&target) || target.exists() {
            return Err(Fatal(format!(
                "{} exists or is named twice; remove it or rename an input",
                target.display()
            )));
        }
        targets.push(target);
    }
    Ok(targets)
}

/// Streams every input through `stage` to stdout; returns how many lines were bad. With
/// `side_dir`, the stage's side lines for each file go to a file of the same name in that
/// folder, written atomically when the file was read to its end.
fn run_stream(
    files: &[PathBuf],
    skip_blank: bool,
    stage: &impl klartext::records::Stage,
    bar: &ProgressBar,
    side_dir: Option<&std::path::Path>,
) -> Result<usize, Fatal> {
    use std::io::Write;
    let mut side_targets = match side_dir {
        Some(dir) => side_files(files, dir)?.into_iter().map(Some).collect(),
        None => Vec::new(),
    };
    side_targets.resize(files.len().max(1), None);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut bad = 0;
    for ((name, reader), side_target) in jsonl_inputs(files, bar)?.into_iter().zip(side_targets) {
        let mut report = |message: String| {
            bar.suspend(|| eprintln!("klartext: {message}"));
            bad += 1;
        };
        let mut side = match &side_target {
            Some(target) => Some(klartext::shards::AtomicOutput::create(target)?),
            None => None,
        };
        let side_writer = side.as_mut().map(|s| s as &mut dyn Write);
        match klartext::records::stream(
            &name,
            reader,
            &mut out,
            side_writer,
            skip_blank,
            stage,
            &mut report,
        ) {
            Ok(klartext::records::StreamEnd::Done) => {
                if let Some(side) = side {
                    side.commit()?;
                }
            }
            Ok(klartext::records::StreamEnd::Closed) => return Ok(bad),
            Err(e) => return Err(Fatal(format!("{name}: {e}"))),
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fatal(format!("writing output: {e}")))
        }
        _ => Ok(bad),
    }
}

/// Runs `sentences`; returns whether every line was a record with text.
fn sentences(args: SentencesArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let options = klartext::records::SentenceOptions {
        language: args.lang,
        offsets: args.offsets,
    };
    let bad = run_stream(
        &args.files,
        true,
        &klartext::records::EachRecord(
            |record: &mut serde_json::Map<String, serde_json::Value>| {
                klartext::records::add_sentences(record, &options, &rules)
            },
        ),
        &ProgressBar::hidden(),
        None,
    )?;
    Ok(bad == 0)
}

/// Runs `filter`; bad lines fail the run only with --strict.
fn filter(args: FilterArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let options = klartext::records::FilterOptions::from(args.record);
    let known = match (&args.repeats.known_repeats, args.repeats.no_repeats) {
        (Some(_), false) => args
            .repeats
            .counts(klartext::repeats::PassageCounts::exact)?,
        _ => None,
    };
    let source = match (&known, args.repeats.no_repeats) {
        (_, true) => klartext::records::RepeatSource::Off,
        (Some(counts), _) => klartext::records::RepeatSource::Fixed(counts),
        (None, _) => klartext::records::RepeatSource::Window(args.repeat_window as usize),
    };
    let mut filter = klartext::records::Filter::new(&options, &rules).with_repeats(
        source,
        args.repeats.repeats_min,
        args.repeats.strip_boilerplate,
    );
    if args.dolma_attributes.is_some() {
        filter = filter.with_dolma_attributes();
    }
    let bar = bytes_progress(&args.files, args.quiet);
    let bad = run_stream(
        &args.files,
        false,
        &filter,
        &bar,
        args.dolma_attributes.as_deref(),
    )?;
    bar.finish_and_clear();
    Ok(bad == 0 || !args.strict)
}

/// Runs `fingerprints`; bad lines fail the run only with --strict.
fn fingerprints(args: FingerprintsArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let options = klartext::records::FilterOptions {
        text_key: args.text_key,
        id_key: args.id_key,
        ..Default::default()
    };
    let stage =
        klartext::records::EachRecord(|record: &mut serde_json::Map<String, serde_json::Value>| {
            klartext::records::fingerprint_record(record, &options, &rules)
        });
    let bar = bytes_progress(&args.files, args.quiet);
    let bad = run_stream(&args.files, false, &stage, &bar, None)?;
    bar.finish_and_clear();
    Ok(bad == 0 || !args.strict)
}

/// Runs `count`; returns whether every input could be read.
fn count(args: CountArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    for input in &args.inputs {
        std::fs::metadata(input).map_err(|e| Fatal(format!("{}: {e}", input.display())))?;
    }
    let options = WalkOptions::from(args.walk);
    // Walked anew for each pass, so that no list of every file is kept (as in `clean`).
    let jobs = || batch::discover(&args.inputs, std::path::Path::new(""), &options);
    let passages = args.repeats.counts(|| passages_in_files(jobs(), &rules))?;
    let bar = progress_counted(|| jobs().count() as u64, ARTICLES_BAR, args.quiet);
    let stdout = std::io::stdout().lock();
    let mut printer = klartext::output::CountPrinter::new(args.format, stdout).map_err(written)?;
    let mut all_read = true;
    let counted = batch::count(
        jobs(),
        &rules,
        args.repeats.repeats(&passages).as_ref(),
        &|| bar.inc(1),
        &mut |count| {
            all_read &= count.error.is_none();
            bar.suspend(|| printer.article(count))
        },
    );
    bar.finish_and_clear();
    match counted.and_then(|()| printer.finish().map(drop)) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(all_read),
        Err(e) => Err(written(e)),
        Ok(()) => Ok(all_read),
    }
}

/// A failure to write the output.
fn written(e: std::io::Error) -> Fatal {
    Fatal(format!("writing output: {e}"))
}

/// Runs `eval`.
fn eval(args: EvalArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let articles = klartext::eval::load(&args.dir)?;
    let report = match args.folds {
        Some(k) if k >= 2 => klartext::eval::cross_validate(
            &articles,
            &rules,
            k,
            klartext::train::FitOptions {
                iterations: args.iterations,
                learn_words: args.learn_words,
            },
        ),
        Some(k) => return Err(Fatal(format!("--folds {k}: use at least 2 folds"))),
        None => klartext::eval::evaluate(&articles, &rules),
    };
    if args.json {
        let summary = klartext::eval::Summary::from(&report.overall);
        println!(
            "{}",
            serde_json::to_string(&summary).expect("summary serializes")
        );
    } else {
        print!("{}", klartext::eval::render(&report));
    }
    Ok(true)
}

/// Runs `train`.
fn train(args: TrainArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let articles = klartext::eval::load(&args.dir)?;
    let fitted = klartext::train::fit(
        &articles,
        &rules,
        klartext::train::FitOptions {
            iterations: args.iterations,
            learn_words: args.learn_words,
        },
    );
    fitted.write_to(&args.out)?;
    if args.quiet {
        return Ok(true);
    }
    eprintln!(
        "klartext: fitted on {} articles; rules written to {} (use --rules {})",
        articles.len(),
        args.out.display(),
        args.out.display()
    );
    Ok(true)
}

/// Writes `text` to stdout through `out`; a closed stdout (`| head`) is not an error.
fn print_to(mut out: impl std::io::Write, text: &str) -> Result<(), Fatal> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Fatal(format!("writing output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Runs `explain`: one line per block and sentence, `AD` for promo, `ok` for editorial.
fn explain(args: ExplainArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let text = batch::read_article(&args.file).map_err(|e| match e.kind() {
        klartext::ErrorKind::Io { .. } => Fatal(e.to_string()),
        _ => Fatal(format!("{}: {e}", args.file.display())),
    })?;
    let article = klartext::clean(&text, &rules);
    let account = klartext::explain::render_styled(&text, &article, &rules);
    print_to(args.color.stdout(), &account)?;
    Ok(true)
}

/// Runs `rules list`: one row per rule, then one per category hint.
fn rules_list(args: RulesArgs) -> Result<bool, Fatal> {
    use std::fmt::Write;
    let rules = load_rules(&args.rules)?;
    let width = rules.rules().iter().map(|r| r.id.len()).max().unwrap_or(2);
    let mut out = format!(
        "{:<width$}  {:<8}  {:<15}  {:>6}  where\n",
        "id", "language", "category", "weight"
    );
    for rule in rules.rules() {
        let _ = writeln!(
            out,
            "{:<width$}  {:<8}  {:<15}  {:>+6.2}  {}",
            rule.id,
            rule.language,
            rule.category.map_or("-", |c| c.name()),
            rule.weight,
            rule.position.name()
        );
    }
    if !rules.hints().is_empty() {
        let width = rules.hints().iter().map(|h| h.id.len()).max().unwrap_or(4);
        let _ = writeln!(
            out,
            "\n{:<width$}  {:<8}  {:<15}  {:>8}",
            "hint", "language", "category", "strength"
        );
        for hint in rules.hints() {
            let _ = writeln!(
                out,
                "{:<width$}  {:<8}  {:<15}  {:>8.2}",
                hint.id,
                hint.language,
                hint.category.name(),
                hint.strength
            );
        }
    }
    let _ = writeln!(
        out,
        "{} rules, {} category hints",
        rules.rules().len(),
        rules.hints().len()
    );
    print_to(std::io::stdout(), &out)?;
    Ok(true)
}

/// Runs `rules test`: one line per rule and category hint, `ok` or `FAIL` with what went wrong;
/// false when any fails.
fn rules_test(args: RulesTestArgs) -> Result<bool, Fatal> {
    use std::fmt::Write;
    let rules = load_rules(&args.rules.rules)?;
    let pass = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Green.into()));
    let fail = anstyle::Style::new()
        .fg_color(Some(anstyle::AnsiColor::Red.into()))
        .bold();
    let mut out = String::new();
    let mut failed = 0;
    let checked = rules
        .rules()
        .iter()
        .map(|r| {
            (
                &r.id,
                r.must_match.len(),
                r.must_not_match.len(),
                r.check_examples(),
            )
        })
        .chain(rules.hints().iter().map(|h| {
            (
                &h.id,
                h.must_match.len(),
                h.must_not_match.len(),
                h.check_examples(),
            )
        }));
    let mut total = 0;
    for (id, must, must_not, failures) in checked {
        total += 1;
        if failures.is_empty() {
            if !args.failed {
                let _ = writeln!(
                    out,
                    "{pass}ok{pass:#}   {id} ({must} match, {must_not} no_match)"
                );
            }
            continue;
        }
        failed += 1;
        let _ = writeln!(out, "{fail}FAIL{fail:#} {id}");
        for failure in failures {
            let _ = writeln!(out, "       {failure}");
        }
    }
    let _ = writeln!(
        out,
        "{total} rules and hints: {} passed, {failed} failed",
        total - failed
    );
    print_to(args.color.stdout(), &out)?;
    Ok(failed == 0)
}

/// One man page for klartext and all its commands: the top level, then a section per command
/// (`KLARTEXT CLEAN`, `KLARTEXT RULES TEST`, …) with its synopsis, description, options and
/// example. clap_mangen makes one page per command, which would refer to pages that are never
/// installed; here its sections are put together, each command's headings one level down.
fn man_page() -> std::io::Result<Vec<u8>> {
    fn commands(command: &clap::Command, out: &mut Vec<clap::Command>) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            out.push(sub.clone());
            commands(sub, out);
        }
    }
    let mut top = Cli::command();
    top.build();
    let man = clap_mangen::Man::new(top.clone());
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    let mut subs = Vec::new();
    commands(&top, &mut subs);
    for sub in subs {
        let name = sub.get_bin_name().unwrap_or(sub.get_name()).to_uppercase();
        let sub_man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        sub_man.render_synopsis_section(&mut section)?;
        sub_man.render_description_section(&mut section)?;
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            sub_man.render_options_section(&mut section)?;
        }
        if sub.get_after_help().is_some() {
            sub_man.render_extra_section(&mut section)?;
        }
        out.extend_from_slice(format!(".SH \"{name}\"\n").as_bytes());
        for line in String::from_utf8_lossy(&section).lines() {
            let line = match line.strip_prefix(".SH ") {
                Some(heading) => format!(".SS {heading}"),
                None => line.to_string(),
            };
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
    man.render_extra_section(&mut out)?;
    man.render_version_section(&mut out)?;
    Ok(out)
}

/// Runs `--generate`: a man page or a completion script on stdout.
fn generate(what: Generate) -> Result<bool, Fatal> {
    let mut command = Cli::command();
    let mut out = Vec::new();
    match what {
        Generate::Man => {
            out = man_page().map_err(|e| Fatal(format!("rendering the man page: {e}")))?;
        }
        Generate::CompleteBash => clap_complete::generate(
            clap_complete::Shell::Bash,
            &mut command,
            "klartext",
            &mut out,
        ),
        Generate::CompleteZsh => clap_complete::generate(
            clap_complete::Shell::Zsh,
            &mut command,
            "klartext",
            &mut out,
        ),
        Generate::CompleteFish => clap_complete::generate(
            clap_complete::Shell::Fish,
            &mut command,
            "klartext",
            &mut out,
        ),
    }
    print_to(std::io::stdout(), &String::from_utf8_lossy(&out))?;
    Ok(true)
}

/// Ctrl-C. The first interrupt during a `clean` run over files asks it to stop after the
/// articles in flight, so that what it wrote is listed in a manifest `--skip-existing` resumes
/// from; any other interrupt (a second one, or one at any other time) ends the process at once
/// with exit code 130, as the shell's default would.
mod interrupt {
    use std::sync::atomic::{AtomicBool, Ordering};

    /// Whether an interrupt now asks the run to stop rather than ending the process.
    static GRACEFUL: AtomicBool = AtomicBool::new(false);
    static REQUESTED: AtomicBool = AtomicBool::new(false);

    /// The exit code of an interrupted run (128 + SIGINT, as shells report it).
    pub const EXIT_CODE: u8 = 130;

    pub fn install() {
        // Where no handler can be set, Ctrl-C keeps its default and ends the process.
        let _ = ctrlc::set_handler(|| {
            if GRACEFUL.load(Ordering::SeqCst) && !REQUESTED.swap(true, Ordering::SeqCst) {
                eprintln!(
                    "\nklartext: stopping after the articles in progress (Ctrl-C again to stop at once)"
                );
            } else {
                std::process::exit(EXIT_CODE.into());
            }
        });
    }

    /// Runs `f` with interrupts asking it to stop ([`requested`]) instead of ending the process.
    pub fn gracefully<T>(f: impl FnOnce() -> T) -> T {
        GRACEFUL.store(true, Ordering::SeqCst);
        let result = f();
        GRACEFUL.store(false, Ordering::SeqCst);
        result
    }

    /// Whether an interrupt asked the run to stop.
    pub fn requested() -> bool {
        REQUESTED.load(Ordering::SeqCst)
    }
}

fn main() -> ExitCode {
    interrupt::install();
    let cli = Cli::parse();
    let result = match (cli.command, cli.generate) {
        (_, Some(what)) => generate(what),
        (None, None) => unreachable!("clap shows the help when no command is given"),
        (Some(command), None) => match command {
            Command::Clean(args) => clean(args),
            Command::Explain(args) => explain(args),
            Command::Eval(args) => eval(args),
            Command::Train(args) => train(args),
            Command::Sentences(args) => sentences(args),
            Command::Filter(args) => filter(args),
            Command::Count(args) => count(args),
            Command::Fingerprints(args) => fingerprints(args),
            Command::Rules(RulesCommand::List(args)) => rules_list(args),
            Command::Rules(RulesCommand::Test(args)) => rules_test(args),
        },
    };
    match result {
        Ok(_) if interrupt::requested() => ExitCode::from(interrupt::EXIT_CODE),
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(message)) => {
            eprintln!("klartext: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command, nested ones included, with its path (`klartext rules test`).
    fn all_commands(command: &clap::Command, path: String, out: &mut Vec<(String, clap::Command)>) {
        for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
            let sub_path = format!("{path} {}", sub.get_name());
            all_commands(sub, sub_path.clone(), out);
            out.push((sub_path, sub.clone()));
        }
    }

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_help_of_a_parallel_command_without_j_says_how_its_threads_are_chosen() {
        let mut commands = Vec::new();
        all_commands(&Cli::command(), "klartext".to_string(), &mut commands);
        for (path, mut command) in commands {
            if path != "klartext filter" && command.get_arguments().all(|a| a.get_id() != "threads")
            {
                continue;
            }
            let help = command.render_long_help().to_string();
            assert!(
                help.contains("RAYON_NUM_THREADS"),
                "`{path} --help`:\n{help}"
            );
            assert!(!help.contains("no environment"), "`{path} --help`:\n{help}");
        }
    }

    #[test]
    fn every_help_has_a_worked_example_that_runs_klartext() {
        let mut commands = vec![("klartext".to_string(), Cli::command())];
        all_commands(&Cli::command(), "klartext".to_string(), &mut commands);
        assert!(commands.len() >= 10, "{}", commands.len());
        for (path, mut command) in commands {
            let help = command.render_long_help().to_string();
            let example = help
                .split_once("Example:\n")
                .unwrap_or_else(|| panic!("`{path} --help` has no example:\n{help}"))
                .1;
            // The example calls the command it documents (the top level may show any).
            let call = if path == "klartext" {
                "klartext "
            } else {
                path.as_str()
            };
            assert!(
                example.lines().any(|l| l.contains(call)),
                "the example of `{path} --help` does not run it:\n{example}"
            );
        }
    }
}
