//! Snapshots of what people read: `explain` on the seed article and `count` over the corpus, with
//! colour off. A change in detection or in the layout shows up here as a diff to review
//! (`INSTA_UPDATE=always cargo test snapshots`, then read the diff of `tests/snapshots/`).

use std::process::Command;

use crate::util::repo;

/// `klartext ARGS…` run in the repository with colour off; its stdout. Fails on a non-zero exit.
fn stdout_of(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_klartext"))
        .args(args)
        .current_dir(repo())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn explain_on_the_seed() {
    let account = stdout_of(&[
        "explain",
        "corpus/de/amazon-ki-wettlauf.txt",
        "--color",
        "never",
    ]);
    insta::assert_snapshot!(account);
}

#[test]
fn count_over_the_corpus() {
    insta::assert_snapshot!(stdout_of(&["count", "corpus", "--ext", "txt"]));
}

#[test]
fn count_of_the_seed_as_json() {
    insta::assert_snapshot!(stdout_of(&[
        "count",
        "corpus/de/amazon-ki-wettlauf.txt",
        "--format",
        "json"
    ]));
}
