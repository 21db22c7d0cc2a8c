//! What a human can do: efforts beyond these are measurement errors or a
//! wrong sport label, never records.
//!
//! Running: the men's outdoor world records ratified by World Athletics
//! (400 m 43.03 van Niekerk 2016; 1000 m 2:11.96 Ngeny 1999; mile 3:43.13
//! El Guerrouj 1999; 3000 m 7:20.67 Komen 1996; 5000 m 12:35.36 and
//! 10,000 m 26:11.00 Cheptegei 2020; half marathon 56:42 Kiplimo 2025;
//! marathon 2:00:35 Kiptum 2023; 24 h 319.6 km Sorokin 2022), and 12.5 m/s
//! for the shortest windows (Bolt's measured peak over 10 m splits, 12.4 m/s,
//! Berlin 2009). Speeds between the record durations are interpolated on a
//! log-log scale, which is how the record curve bends (Riegel 1981).
//!
//! Cycling power: no table of human limits is published; cairn's bounds sit
//! above the highest values reported for elite track sprinters (peak power
//! near 2,500 W) and hour-record riders (about 7 W/kg for an hour, so under
//! 600 W), and are its own choice.

/// (distance m, record time s) of the running records above.
pub const RUNNING_RECORDS: [(f64, f64); 9] = [
    (400.0, 43.03),
    (1000.0, 131.96),
    (1609.344, 223.13),
    (3000.0, 440.67),
    (5000.0, 755.36),
    (10_000.0, 1571.0),
    (21_097.5, 3402.0),
    (42_195.0, 7235.0),
    (319_614.0, 86_400.0),
];

/// Fastest a person runs over any window this short or shorter (m/s).
pub const PEAK_RUNNING_SPEED_MPS: f64 = 12.5;

/// (duration s, watts) above which a mean power is not human.
pub const POWER_LIMITS: [(f64, f64); 10] = [
    (5.0, 2600.0),
    (15.0, 2100.0),
    (30.0, 1600.0),
    (60.0, 1100.0),
    (300.0, 700.0),
    (600.0, 620.0),
    (1200.0, 580.0),
    (1800.0, 560.0),
    (3600.0, 540.0),
    (5400.0, 520.0),
];

/// Log-log interpolation in a table of (x, y) sorted by x, clamped at its ends.
fn loglog(table: &[(f64, f64)], x: f64) -> f64 {
    let (first, last) = (table[0], table[table.len() - 1]);
    if x <= first.0 {
        return first.1;
    }
    if x >= last.0 {
        return last.1;
    }
    let i = table.partition_point(|p| p.0 <= x);
    let ((x0, y0), (x1, y1)) = (table[i - 1], table[i]);
    let f = (x.ln() - x0.ln()) / (x1.ln() - x0.ln());
    (y0.ln() + f * (y1.ln() - y0.ln())).exp()
}

/// The world-record time for a running distance (s), interpolated between records.
pub fn record_time_s(distance_m: f64) -> f64 {
    if distance_m < RUNNING_RECORDS[0].0 {
        return distance_m / PEAK_RUNNING_SPEED_MPS;
    }
    loglog(&RUNNING_RECORDS, distance_m)
}

/// The fastest mean running speed a person has held for `duration_s` (m/s).
pub fn max_running_speed_mps(duration_s: f64) -> f64 {
    let by_duration: Vec<(f64, f64)> = RUNNING_RECORDS.iter().map(|(d, t)| (*t, d / t)).collect();
    let first = by_duration[0];
    if duration_s <= first.0 {
        // Between the sprint peak and the 400 m record.
        let peak_until = 10.0;
        if duration_s <= peak_until {
            return PEAK_RUNNING_SPEED_MPS;
        }
        return loglog(&[(peak_until, PEAK_RUNNING_SPEED_MPS), first], duration_s);
    }
    loglog(&by_duration, duration_s)
}

/// The highest mean power a person could hold for `duration_s` (W).
pub fn max_power_w(duration_s: f64) -> f64 {
    loglog(&POWER_LIMITS, duration_s)
}

/// Why a running effort cannot be true, if it cannot.
pub fn impossible_run(distance_m: f64, seconds: f64) -> Option<String> {
    let record = record_time_s(distance_m);
    (seconds < record).then(|| {
        format!(
            "{} in {} is faster than the world record ({}): a GPS error or not a run",
            distance_text(distance_m),
            clock(seconds),
            clock(record)
        )
    })
}

/// Why a mean power cannot be true, if it cannot.
pub fn impossible_power(duration_s: f64, watts: f64) -> Option<String> {
    let limit = max_power_w(duration_s);
    (watts > limit).then(|| {
        format!(
            "{watts:.0} W for {} is above what a person can hold ({limit:.0} W): a power-meter error",
            clock(duration_s)
        )
    })
}

fn distance_text(m: f64) -> String {
    if (m - 1609.344).abs() < 1e-6 {
        "a mile".into()
    } else if m < 1000.0 {
        format!("{m:.0} m")
    } else {
        format!("{:.1} km", m / 1000.0)
    }
}

/// h:mm:ss or m:ss.
fn clock(s: f64) -> String {
    let total = s.round() as i64;
    let (h, m, sec) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{sec:02}")
    } else {
        format!("{m}:{sec:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_the_limit() {
        assert!((record_time_s(5000.0) - 755.36).abs() < 1e-9);
        assert!(impossible_run(400.0, 37.0).is_some());
        assert!(impossible_run(1609.344, 192.0).is_some());
        assert!(impossible_run(1609.344, 224.0).is_none());
        // Between records the curve is smooth: 2 km lies between 1 mile and 3 km pace.
        let v = 2000.0 / record_time_s(2000.0);
        assert!(v < 1609.344 / 223.13 && v > 3000.0 / 440.67);
    }

    #[test]
    fn speed_limit_falls_with_duration() {
        let mut last = f64::INFINITY;
        for d in [1.0, 5.0, 10.0, 20.0, 43.03, 60.0, 600.0, 3600.0, 86_400.0] {
            let v = max_running_speed_mps(d);
            assert!(v <= last, "{d}");
            last = v;
        }
        assert_eq!(max_running_speed_mps(1.0), 12.5);
    }

    #[test]
    fn power_limits() {
        assert!(impossible_power(5.0, 3000.0).is_some());
        assert!(impossible_power(1200.0, 400.0).is_none());
        assert!(impossible_power(3600.0, 600.0).is_some());
    }
}
