//! The `yourchoice` binary: resolve the command line, run the command, print
//! any error once, map the outcome to an exit code (0 reconciled, 1
//! rejected, 2 failure).

use std::process::ExitCode;

fn main() -> ExitCode {
    match yourchoice::cli::parse().and_then(|config| yourchoice::cmd::run(&config)) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            let broken_pipe = err
                .chain()
                .filter_map(|e| e.downcast_ref::<std::io::Error>())
                .any(|e| e.kind() == std::io::ErrorKind::BrokenPipe);
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            // Every message in plain words: no operating-system error code.
            eprintln!("yourchoice: {}", yourchoice::base::io_words::chain_text(&err));
            ExitCode::from(2)
        }
    }
}
