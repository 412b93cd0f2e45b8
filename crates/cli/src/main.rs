//! The `arrow` command: a thin shell over `arrow-engine` and `arrow-server`.

mod args;
mod bench;
mod commands;
mod embed;
mod eval_search;
mod export;
mod progress;

use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

// mimalloc rather than glibc malloc: see the workspace manifest.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = args::Args::parse();
    if !matches!(args.command, args::Command::Serve { .. } | args::Command::Demo { .. } | args::Command::Batch { .. }) {
        die_quietly_on_closed_pipe();
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("ARROW_LOG").unwrap_or_else(|_| "warn,arrow=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match commands::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            if is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "arrow: {}", message(&err));
            if err.downcast_ref::<commands::Usage>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// `arrow person ID | head` closes the pipe early: like other Unix tools, the command then ends quietly. Rust
/// ignores SIGPIPE, so `println!` panics instead; this hook turns that one panic into a quiet exit. Not for the
/// server, nor for batch stages, whose caller should hear of a pipe that closed too soon.
fn die_quietly_on_closed_pipe() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let message = payload.downcast_ref::<String>().map(String::as_str).or(payload.downcast_ref::<&str>().copied());
        if message.is_some_and(|m| m.starts_with("failed printing to stdout") && m.contains("Broken pipe")) {
            std::process::exit(0);
        }
        default(info);
    }));
}

/// The error and its causes, each cause once: most of Arrow's errors already say their cause ("FILE: No such
/// file or directory"), which the chain would repeat.
fn message(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        let c = cause.to_string();
        if !out.contains(&c) {
            out.push_str(": ");
            out.push_str(&c);
        }
    }
    out
}

/// `arrow search ... | head` closes the pipe early; that is not a failure.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain()
        .any(|e| e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
