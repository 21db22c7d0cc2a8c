//! A plan as an iCalendar file (RFC 5545): one all-day event per session,
//! so any calendar shows the week. Lines end in CRLF and fold at 75 octets;
//! text escapes backslash, semicolon, comma and newline.

use crate::plan::session::{duration_text, Kind, Plan};

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line, folded at 75 octets without splitting a character.
fn line(out: &mut String, text: &str) {
    let mut width = 0;
    for c in text.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

fn date(day: i32) -> String {
    crate::load::session::day_text(day).replace('-', "")
}

/// The plan's sessions as a calendar. `uid_base` makes the event ids
/// unique to this plan, so re-importing replaces rather than duplicates.
pub fn plan_calendar(plan: &Plan, uid_base: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//cairn//training plan//EN");
    line(&mut out, "CALSCALE:GREGORIAN");
    let stamp = format!("{}T000000Z", date(plan.created_day));
    for (i, s) in plan.sessions().filter(|s| s.kind != Kind::Rest).enumerate() {
        let mut summary = match s.kind {
            Kind::Goal => s.reason.clone(),
            _ => format!("{} {}", s.summary(), duration_text(s.duration_s)),
        };
        if s.key {
            summary.push_str(" (key)");
        }
        let mut description = s.reason.clone();
        if let Some(hr) = s.heart_rate {
            description.push_str(&format!(
                "\nZone {}: {} bpm",
                s.zone.number(),
                match hr.low_bpm {
                    Some(lo) => format!("{lo:.0}–{:.0}", hr.high_bpm),
                    None => format!("≤ {:.0}", hr.high_bpm),
                }
            ));
        }
        if let Some(p) = s.pack_kg {
            description.push_str(&format!("\nPack {p:.0} kg"));
        }
        description.push_str(&format!("\nRule: {}", s.rule.id()));
        line(&mut out, "BEGIN:VEVENT");
        line(&mut out, &format!("UID:{uid_base}-{}-{i}@cairn", s.day));
        line(&mut out, &format!("DTSTAMP:{stamp}"));
        line(&mut out, &format!("DTSTART;VALUE=DATE:{}", date(s.day)));
        line(&mut out, &format!("DTEND;VALUE=DATE:{}", date(s.day + 1)));
        line(&mut out, &format!("SUMMARY:{}", escape(&summary)));
        line(&mut out, &format!("DESCRIPTION:{}", escape(&description)));
        line(&mut out, "END:VEVENT");
    }
    line(&mut out, "END:VCALENDAR");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        line(&mut out, &format!("SUMMARY:{}", "é".repeat(60)));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l}");
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("SUMMARY:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\ne"), "a\\, b\\; c\\\\d\\ne");
    }
}
