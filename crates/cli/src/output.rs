//! Shared printing helpers for the command modules.

use anyhow::Result;
use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};
use std::process::ExitCode;

/// `println!` that returns the error instead of panicking, so `cairn … | head`
/// ends quietly when the pipe closes.
macro_rules! outln {
    ($($arg:tt)*) => {
        writeln!(std::io::stdout().lock(), $($arg)*)?
    };
}

pub fn table() -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_BORDERS_ONLY);
    t
}

/// Prints a value as JSON (rounded like every `--json`).
pub fn json_out(v: &impl serde::Serialize) -> Result<ExitCode> {
    crate::commands::print_json(&serde_json::to_value(v)?)?;
    Ok(ExitCode::SUCCESS)
}
