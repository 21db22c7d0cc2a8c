//! Shared printing helpers for the command modules.

use anyhow::Result;
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use std::process::ExitCode;

/// `println!` that returns the error instead of panicking, so `cairn … | head`
/// ends quietly when the pipe closes. Through anstream: colour reaches a
/// terminal only, never a pipe or a file, and never with `NO_COLOR` set.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(anstream::stdout().lock(), $($arg)*)?
    };
}

/// Something to act on: a warning, a failure's count.
pub const WARN: anstyle::Style = anstyle::AnsiColor::Yellow.on_default().bold();
/// Something won: a record.
pub const GOOD: anstyle::Style = anstyle::AnsiColor::Green.on_default().bold();
/// Something that went wrong.
pub const BAD: anstyle::Style = anstyle::AnsiColor::Red.on_default().bold();

/// `text` in `style`; the escape codes are dropped on the way out unless
/// the output is a terminal that takes colour.
pub fn paint(style: anstyle::Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// A table that fits the terminal: on a terminal (or with `COLUMNS` set)
/// wide columns wrap to its width; piped output keeps whole lines.
pub fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_BORDERS_ONLY);
    t.set_content_arrangement(comfy_table::ContentArrangement::Dynamic);
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<u16>().ok())
        .filter(|c| *c >= 40)
    {
        t.set_width(columns);
    }
    t
}

/// Prints a value as JSON (rounded like every `--json`).
pub fn json_out(v: &impl serde::Serialize) -> Result<ExitCode> {
    crate::commands::print_json(v)?;
    Ok(ExitCode::SUCCESS)
}
