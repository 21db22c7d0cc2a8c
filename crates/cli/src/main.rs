//! The `cairn` command line.

mod commands;
mod units;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use units::Units;

/// cairn: training log, load model and planner for runners, hikers and cyclists.
#[derive(Parser, Debug)]
#[command(
    name = "cairn",
    version,
    about = "cairn: training log, load model and planner for athletes who run, hike and ride",
    after_help = "Data lives in --data-dir, $CAIRN_DATA_DIR, or the platform data directory (~/.local/share/cairn on Linux)."
)]
pub struct Cli {
    /// Where cairn keeps its database and original files.
    #[arg(long, global = true, env = "CAIRN_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Units for display (JSON output is always SI).
    #[arg(long, global = true, value_enum, default_value = "metric")]
    units: Units,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Import FIT, GPX and TCX files (also .gz), folders and .zip exports (Garmin, Strava).
    Import {
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// List activities.
    Activities {
        /// Only this sport (run, trail_run, hike, ride, …).
        #[arg(long)]
        sport: Option<String>,
        /// From this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// To this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one activity: summary, laps and splits.
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Correct an activity (the file's own values are kept).
    Edit {
        id: i64,
        /// The right sport, e.g. hike.
        #[arg(long)]
        sport: String,
    },
    /// Make this copy the one that counts, among probable duplicates.
    Primary { id: i64 },
    /// List planned routes (GPX routes, TCX courses).
    Courses {
        #[arg(long)]
        json: bool,
    },
}

fn data_dir(cli: &Cli) -> PathBuf {
    cli.data_dir
        .clone()
        .or_else(|| dirs::data_dir().map(|d| d.join("cairn")))
        .unwrap_or_else(|| PathBuf::from(".cairn"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(&cli) {
        Ok(code) => code,
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("cairn: {e:#}");
            match e.downcast_ref::<cairn_app::AppError>() {
                Some(cairn_app::AppError::Invalid(_))
                | Some(cairn_app::AppError::Store(cairn_store::StoreError::NoSuchActivity(_))) => {
                    ExitCode::from(2)
                }
                _ => ExitCode::from(1),
            }
        }
    }
}
