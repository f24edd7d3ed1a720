//! The integration tests, one binary (one link of the library instead of
//! twenty): each module is what was once its own test file, named for what
//! it covers. Run one with `cargo test --test it MODULE::` (for example
//! `cargo test --test it ledger::`).

mod common;
mod fuzz_support;

mod check_template;
mod council;
mod council_example;
mod council_strict;
mod decisions_workbook;
mod engine_oracle;
mod engine_properties;
mod engine_shapes;
mod fill;
mod finding_codes;
mod fuzz_engine;
mod fuzz_reader;
mod golden;
mod hostile;
mod inputs_kept;
mod ledger;
mod ledger_sequences;
mod letters;
mod paid;

mod misreads;
mod monitor;
mod prints;
mod profiles;
mod programs;
mod readme;
mod report;
mod settings_change;
mod settings_words;
mod shared_fixtures;
mod spot_check;
mod users_see;
mod visits_read;
mod widths;
mod worked_example;
