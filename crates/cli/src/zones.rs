//! Zones on screen: the ranges of each scheme and the time spent in them.

use crate::units::{clock, Units};
use cairn_core::metrics::zones::{TimeInZones, ZoneScheme};
use comfy_table::Table;

use cairn_app::profile::zone_range_text as range_text;

/// A first column, then Z1 … Z`width`.
fn zone_columns(first: &str, width: usize) -> Vec<String> {
    std::iter::once(first.to_string())
        .chain((1..=width).map(|z| format!("Z{z}")))
        .collect()
}

/// The zones in force, per group of sports ("on foot", "bike"): one row per
/// scheme, one column per zone; where each comes from in lines below (a
/// column of sources would double the table's width).
pub fn schemes_table(groups: &[(&str, Vec<ZoneScheme>)], units: Units) -> String {
    let width = groups
        .iter()
        .flat_map(|(_, g)| g.iter().map(|s| s.zone_count()))
        .max()
        .unwrap_or(5);
    let mut t = crate::output::table();
    t.set_header(zone_columns("zones", width));
    let mut sources = Vec::new();
    for (group, schemes) in groups {
        for s in schemes {
            let mut row = vec![format!("{}, {group}", s.signal.label())];
            row.extend((0..width).map(|i| {
                if i < s.zone_count() {
                    range_text(s, i, units)
                } else {
                    String::new()
                }
            }));
            sources.push(format!("  {}, {group}: {}", s.signal.label(), s.source));
            t.add_row(row);
        }
    }
    format!("{t}\n{}", sources.join("\n"))
}

/// Time in each zone, with its share of the scheme's total.
pub fn time_table(list: &[TimeInZones]) -> Table {
    let width = list
        .iter()
        .map(|z| z.scheme.zone_count())
        .max()
        .unwrap_or(5);
    let mut t = crate::output::table();
    t.set_header(zone_columns("time in zones", width));
    for z in list {
        let total = z.total_s().max(1.0);
        let mut row = vec![z.scheme.signal.label().to_string()];
        row.extend((0..width).map(|i| match z.seconds.get(i) {
            Some(s) if *s > 0.0 => format!("{} {:.0}%", clock(*s), 100.0 * s / total),
            Some(_) => "-".into(),
            None => String::new(),
        }));
        t.add_row(row);
    }
    t
}
