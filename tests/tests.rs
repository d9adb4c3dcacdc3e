//! Integration tests: one binary, one module per area, the temp-folder harness in `util`.

mod util;

mod cli;
mod corpus;
mod hostile;
mod jsonl;
mod properties;
mod report;
mod review;
mod sbd;
mod snapshots;
