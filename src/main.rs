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
    /// Show how one article is read: every sentence with its label, score and the cues that fired.
    #[command(after_help = "Example:\n  klartext explain ../shared/seed/amazon-ki-wettlauf.txt")]
    Explain(ExplainArgs),
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

Exit codes: 0 all articles cleaned; 1 some could not be (their manifest line says why);
2 nothing ran (bad flags, missing input, broken rules, --out inside an input folder).";

#[derive(clap::Args)]
struct CleanArgs {
    /// Article files and folders (folders are walked recursively, hidden entries skipped).
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,
    /// Output folder; created if missing. Must not be, or lie inside, an input folder.
    #[arg(long, short, value_name = "DIR")]
    out: PathBuf,
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
    /// Use the rules in this folder (*.toml, *.abbreviations.txt) instead of the built-in ones.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Worker threads (default: one per core). The output is the same for any number.
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
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
    let options = WalkOptions {
        extensions: args.ext,
        follow_links: args.follow,
    };
    let jobs = batch::discover(&args.inputs, &args.out, &options);
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
    let outcomes = batch::run(&jobs, &args.out, &rules, &|| bar.inc(1))?;
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
