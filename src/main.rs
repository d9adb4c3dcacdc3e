//! The `klartext` command: a thin layer over the library. Exit codes are decided here only:
//! 0 everything was cleaned, 1 some input could not be cleaned (see the manifest), 2 the command
//! could not run (bad flags, missing inputs, broken rules, an unusable output folder).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use klartext::batch::{self, WalkOptions};
use klartext::RuleSet;

#[derive(Parser)]
#[command(
    name = "klartext",
    version,
    about = "Turns scraped news articles into clean editorial text: inline ads, lead magnets, broker and newsletter pitches, \"Anzeige\" notes and \"Lesen Sie auch\" lines are found sentence by sentence and removed.",
    after_help = "Example:\n  klartext clean articles/ --out clean/\n\nRun `klartext help clean` for the outputs and exit codes."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
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
    /// Count the ads in files and folders of articles, per article and category; writes nothing.
    #[command(
        after_help = "Example:\n  klartext count corpus --ext txt\n  klartext count articles/ --format csv > ads.csv"
    )]
    Count(CountArgs),
    /// Show how one article is read: every sentence with its label, score and the cues that fired.
    #[command(after_help = "Example:\n  klartext explain ../shared/seed/amazon-ki-wettlauf.txt")]
    Explain(ExplainArgs),
}

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
of editorial characters kept, and the number of articles without ads that lost any text. The
misses and false cuts follow with their text. Characters are counted without white space.

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
    /// Use the rules in this folder instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
}

const TRAIN_HELP: &str = "\
Learns word rules (words in the ads of at least three articles) and fits the weight of every
rule and the bias on an annotated folder (corpus/README.md), starting from the current rules, and
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
}

const FILTER_HELP: &str = "\
Reads JSON objects, one per line, from the files or from stdin, and writes one line per input
line to stdout, in order, in bounded memory. Every key stays in its place; the text is replaced
by the clean text and the metadata (language, title, dateline, headings, counts, ads with
character offsets, category, score and rules) goes under metadata.klartext, or into top-level
klartext_* keys with --flat. A line that is not an object with a string text comes out with an
`error` field and is reported on stderr; the exit code stays 0 unless --strict. A closed stdout
(`| head`) ends the run quietly. Needs no shell and no environment, so it works as the command of
Spark's RDD.pipe or Hadoop streaming.

Example:
  klartext filter < shard.jsonl > clean.jsonl
  klartext filter --text-key content --keep-original raw --flat < shard.jsonl";

#[derive(clap::Args)]
struct FilterArgs {
    /// JSONL files (default: stdin).
    files: Vec<PathBuf>,
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
    /// Exit 1 when any line is bad (they are still written, with an `error` field).
    #[arg(long)]
    strict: bool,
    /// Use the rules in this folder instead of the built-in ones.
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
    #[command(flatten)]
    walk: WalkArgs,
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
}

const CLEAN_HELP: &str = "\
For every article, mirroring its path below the input folder (a file given directly lands at the
top of DIR), klartext writes:
  DIR/<rel>.txt        the clean text: title, then headings and paragraphs, one per line
  DIR/<rel>.json       metadata: language, title, dateline, headings, counts, and every ad span
                       with character offsets, category, score and the rules that fired
  DIR/manifest.jsonl   one line per input: id, language, ads, sentences, status

Example:
  klartext clean ../shared/seed --out /tmp/clean
  cat /tmp/clean/amazon-ki-wettlauf.txt

Nothing is overwritten unless --force: a DIR holding an earlier run is refused (exit 2), and
--skip-existing keeps what is there and cleans only the missing articles. Two runs cannot write
into one DIR at once. Every file is written to a temporary file and then renamed.

Exit codes: 0 all articles cleaned; 1 some could not be (their manifest line says why);
2 nothing ran (bad flags, missing input, broken rules, --out inside an input folder, an earlier
run in DIR without --force or --skip-existing, another run writing to DIR).";

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
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
    /// Overwrite the outputs of an earlier run in DIR.
    #[arg(long, conflicts_with = "skip_existing")]
    force: bool,
    /// Keep the outputs of an earlier run in DIR and clean only what is missing (resumes a
    /// killed run).
    #[arg(long)]
    skip_existing: bool,
}

/// A failure that stops the command before or while it runs: exit code 2.
struct Fatal(String);

impl From<klartext::Error> for Fatal {
    fn from(e: klartext::Error) -> Self {
        Fatal(e.to_string())
    }
}

fn load_rules(dir: &Option<PathBuf>) -> Result<RuleSet, Fatal> {
    Ok(match dir {
        Some(dir) => RuleSet::from_dir(dir)?,
        None => RuleSet::builtin(),
    })
}

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
    let options = WalkOptions::from(args.walk);
    let mut jobs = batch::discover(&args.inputs, &args.out, &options);
    batch::claim_outputs(&mut jobs);
    let bar = if !args.quiet && std::io::stderr().is_terminal() {
        let bar = indicatif::ProgressBar::new(jobs.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {pos}/{len} articles, {per_sec}, ETA {eta}",
            )
            .expect("valid template"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let existing = match (args.force, args.skip_existing) {
        (true, _) => batch::Existing::Overwrite,
        (_, true) => batch::Existing::Skip,
        _ => batch::Existing::Refuse,
    };
    let outcomes = batch::run(&jobs, &args.out, &rules, existing, &|| bar.inc(1))?;
    bar.finish_and_clear();

    let errors: Vec<_> = outcomes.iter().filter(|o| !o.ok).collect();
    for e in &errors {
        eprintln!("klartext: {}: {}", e.manifest.id, e.manifest.status);
    }
    if !args.quiet {
        let ads: usize = outcomes.iter().map(|o| o.manifest.ads).sum();
        let chars_in: usize = outcomes.iter().map(|o| o.chars_in).sum();
        let chars_out: usize = outcomes.iter().map(|o| o.chars_out).sum();
        let removed = if chars_in == 0 {
            0.0
        } else {
            100.0 * (1.0 - chars_out as f64 / chars_in as f64)
        };
        eprintln!(
            "klartext: {} articles, {} ads found, {:.1}% of text removed, {} errors; output in {}",
            outcomes.len(),
            ads,
            removed,
            errors.len(),
            args.out.display()
        );
    }
    Ok(errors.is_empty())
}

/// A named JSONL input.
type Input = (String, Box<dyn std::io::BufRead>);

/// The JSONL inputs: the files in order, or stdin when there are none.
fn jsonl_inputs(files: &[PathBuf]) -> Result<Vec<Input>, Fatal> {
    if files.is_empty() {
        return Ok(vec![(
            "<stdin>".to_string(),
            Box::new(std::io::stdin().lock()),
        )]);
    }
    let mut readers: Vec<Input> = Vec::new();
    for path in files {
        let file =
            std::fs::File::open(path).map_err(|e| Fatal(format!("{}: {e}", path.display())))?;
        readers.push((
            path.display().to_string(),
            Box::new(std::io::BufReader::new(file)),
        ));
    }
    Ok(readers)
}

/// Streams every input through `transform` to stdout; returns how many lines were bad.
fn run_stream(
    files: &[PathBuf],
    skip_blank: bool,
    transform: &klartext::records::Transform<'_>,
) -> Result<usize, Fatal> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut bad = 0;
    for (name, reader) in jsonl_inputs(files)? {
        let mut report = |message: String| {
            eprintln!("klartext: {message}");
            bad += 1;
        };
        match klartext::records::stream(&name, reader, &mut out, skip_blank, transform, &mut report)
        {
            Ok(klartext::records::StreamEnd::Done) => {}
            Ok(klartext::records::StreamEnd::Closed) => return Ok(bad),
            Err(e) => return Err(Fatal(format!("{e}"))),
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
    let bad = run_stream(&args.files, true, &|record| {
        klartext::records::add_sentences(record, &options, &rules)
    })?;
    Ok(bad == 0)
}

/// Runs `filter`; bad lines fail the run only with --strict.
fn filter(args: FilterArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let options = klartext::records::FilterOptions {
        text_key: args.text_key,
        id_key: args.id_key,
        keep_original: args.keep_original,
        flat: args.flat,
    };
    let bad = run_stream(&args.files, false, &|record| {
        klartext::records::clean_record(record, &options, &rules)
    })?;
    Ok(bad == 0 || !args.strict)
}

/// Runs `count`; returns whether every input could be read.
fn count(args: CountArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    for input in &args.inputs {
        std::fs::metadata(input).map_err(|e| Fatal(format!("{}: {e}", input.display())))?;
    }
    let options = WalkOptions::from(args.walk);
    let jobs = batch::discover(&args.inputs, std::path::Path::new(""), &options);
    let counts = batch::count(&jobs, &rules);
    print!("{}", klartext::output::render_counts(&counts, args.format));
    Ok(counts.iter().all(|c| c.error.is_none()))
}

/// Runs `eval`.
fn eval(args: EvalArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let articles = klartext::eval::load(&args.dir)?;
    let report = match args.folds {
        Some(k) if k >= 2 => klartext::eval::cross_validate(&articles, &rules, k, args.iterations),
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
    let fitted = klartext::train::fit(&articles, &rules, args.iterations);
    fitted.write_to(&args.out)?;
    eprintln!(
        "klartext: fitted on {} articles; rules written to {} (use --rules {})",
        articles.len(),
        args.out.display(),
        args.out.display()
    );
    Ok(true)
}

/// Runs `explain`: one line per block and sentence, marked `+` for promo, `·` for editorial.
fn explain(args: ExplainArgs) -> Result<bool, Fatal> {
    let rules = load_rules(&args.rules)?;
    let bytes =
        std::fs::read(&args.file).map_err(|e| Fatal(format!("{}: {e}", args.file.display())))?;
    let text = batch::decode(bytes).map_err(|e| Fatal(format!("{}: {e}", args.file.display())))?;
    let article = klartext::clean(&text, &rules);
    print!("{}", klartext::explain::render(&text, &article, &rules));
    Ok(true)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Clean(args) => clean(args),
        Command::Explain(args) => explain(args),
        Command::Eval(args) => eval(args),
        Command::Train(args) => train(args),
        Command::Sentences(args) => sentences(args),
        Command::Filter(args) => filter(args),
        Command::Count(args) => count(args),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(Fatal(message)) => {
            eprintln!("klartext: {message}");
            ExitCode::from(2)
        }
    }
}
