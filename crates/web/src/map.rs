//! The activity's track as an SVG drawn on the server: Web Mercator, the
//! line coloured by grade, heart rate or pace in a few steps, start and end
//! marked, and a mark at each whole kilometre (or every 5, 10… so a long
//! ride keeps a readable number of them). Nothing is fetched: no tiles
//! unless the athlete names a tile server (`cairn serve --tiles`,
//! [`crate::tiles`]).

use cairn_core::load::grade::grade_series;
use cairn_core::streams::{Streams, VIEW_POINTS};
use maud::{html, Markup, PreEscaped};

/// Drawing size in SVG units; the page scales it to its width.
const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 420.0;
const MARGIN: f64 = 16.0;

/// A point closer than this to the last one drawn is left out: the line
/// looks the same, and the SVG is a fraction of the size.
const MIN_STEP_PX: f64 = 1.0;

/// Shortest stretch a grade colour is read over. Grade between two reduced
/// points is noise (each carries its bucket's lowest or highest altitude,
/// so neighbours alternate between steep climb and descent); over 100 m or
/// a few points, whichever is longer, it is the hill the line shows.
const GRADE_WINDOW_M: f64 = 100.0;

/// What the line's colour says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Colour {
    Grade,
    HeartRate,
    Pace,
}

impl Colour {
    /// From the query's word; `None` for an unknown one.
    pub fn from_word(word: &str) -> Option<Colour> {
        match word {
            "grade" => Some(Colour::Grade),
            "hr" | "heart_rate" => Some(Colour::HeartRate),
            "pace" | "speed" => Some(Colour::Pace),
            _ => None,
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Colour::Grade => "grade",
            Colour::HeartRate => "hr",
            Colour::Pace => "pace",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Colour::Grade => "grade",
            Colour::HeartRate => "heart rate",
            Colour::Pace => "speed",
        }
    }
}

/// Low to high, colour-blind safe (viridis-like).
const STEPS: [&str; 6] = [
    "#440154", "#414487", "#2a788e", "#22a884", "#7ad151", "#fde725",
];
/// Grade steps: descents blue, flat grey, climbs warm.
const GRADE_STEPS: [(f64, &str); 6] = [
    (-0.08, "#2166ac"),
    (-0.02, "#67a9cf"),
    (0.02, "#999999"),
    (0.08, "#f4a582"),
    (0.15, "#d6604d"),
    (f64::INFINITY, "#b2182b"),
];

/// Web Mercator, in units of the world's width.
fn mercator(lat_deg: f64, lon_deg: f64) -> (f64, f64) {
    let lat = lat_deg.clamp(-85.0, 85.0).to_radians();
    let x = (lon_deg + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// `x,y` to a tenth of a pixel, as integers: `format!("{x:.1}")` (exact
/// decimal float formatting) was a third of the activity page's time.
fn point(out: &mut String, x: f64, y: f64) {
    fn tenths(out: &mut String, v: f64) {
        use std::fmt::Write;
        let t = (v * 10.0).round() as i64;
        let sign = if t < 0 { "-" } else { "" };
        let _ = write!(out, "{sign}{}.{}", t.abs() / 10, t.abs() % 10);
    }
    tenths(out, x);
    out.push(',');
    tenths(out, y);
}

/// The track of `s` (the page data's series, reduced to
/// [`cairn_core::streams::VIEW_POINTS`]), or `None` when
/// it has no positions. The `svg` carries what the page's script needs to
/// place the hover marker: the projection's origin and scale.
pub fn track(
    s: &Streams,
    colour: Colour,
    unit_m: f64,
    tiles: Option<&crate::Tiles>,
) -> Option<Markup> {
    let (lat, lon) = (s.lat_deg.as_ref()?, s.lon_deg.as_ref()?);
    let pts: Vec<(usize, f64, f64)> = lat
        .iter()
        .zip(lon)
        .enumerate()
        .filter_map(|(k, (y, x))| Some((k, (*y)?, (*x)?)))
        .map(|(k, y, x)| {
            let (mx, my) = mercator(y, x);
            (k, mx, my)
        })
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let (min_x, max_x) = extent(pts.iter().map(|p| p.1));
    let (min_y, max_y) = extent(pts.iter().map(|p| p.2));
    // A track that never moved is drawn as a dot in the middle.
    let scale = if (max_x - min_x).max(max_y - min_y) < 1e-12 {
        1.0
    } else {
        ((WIDTH - 2.0 * MARGIN) / (max_x - min_x).max(1e-12))
            .min((HEIGHT - 2.0 * MARGIN) / (max_y - min_y).max(1e-12))
    };
    let ox = MARGIN + ((WIDTH - 2.0 * MARGIN) - (max_x - min_x) * scale) / 2.0 - min_x * scale;
    let oy = MARGIN + ((HEIGHT - 2.0 * MARGIN) - (max_y - min_y) * scale) / 2.0 - min_y * scale;
    let at = |p: &(usize, f64, f64)| (ox + p.1 * scale, oy + p.2 * scale);

    let value = values(s, colour);
    let class_of = bins(&value, colour);
    // Consecutive points of one colour become one polyline, and a point
    // less than a pixel from the last one drawn adds nothing to it.
    let mut lines: Vec<(&str, String)> = Vec::new();
    let mut drawn = at(&pts[0]);
    for (k, w) in pts.windows(2).enumerate() {
        let c = class_of(w[1].0);
        let (x1, y1) = at(&w[1]);
        let last_point = k + 2 == pts.len();
        match lines.last_mut() {
            Some((last, path)) if *last == c => {
                if (x1 - drawn.0).hypot(y1 - drawn.1) < MIN_STEP_PX && !last_point {
                    continue;
                }
                path.push(' ');
                point(path, x1, y1);
            }
            _ => {
                let mut path = String::new();
                point(&mut path, drawn.0, drawn.1);
                path.push(' ');
                point(&mut path, x1, y1);
                lines.push((c, path));
            }
        }
        drawn = (x1, y1);
    }
    let marks = distance_marks(s, &pts, &at, unit_m);
    let underlay = tiles.map_or_else(Vec::new, |t| t.covering(ox, oy, scale, WIDTH, HEIGHT));
    let (sx, sy) = at(&pts[0]);
    let (ex, ey) = at(&pts[pts.len() - 1]);
    Some(html! {
        svg.map viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img"
            aria-label={ "the track, coloured by " (colour.label()) }
            data-ox=(format!("{ox:.4}")) data-oy=(format!("{oy:.4}")) data-scale=(format!("{scale:.4}")) {
            rect width=(WIDTH) height=(HEIGHT) fill="#f6f8fa" {}
            @for (href, x, y, side) in &underlay {
                image.tile href=(href) x=(format!("{x:.1}")) y=(format!("{y:.1}"))
                    width=(format!("{side:.1}")) height=(format!("{side:.1}")) {}
            }
            @for (c, path) in &lines {
                // Digits, dots, commas, minus signs and spaces: nothing to escape.
                polyline points=(PreEscaped(path)) stroke=(c) {}
            }
            @for (x, y, label) in &marks {
                circle.km cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="3" {}
                text.km x=(format!("{:.1}", x + 4.0)) y=(format!("{:.1}", y - 4.0)) { (label) }
            }
            circle.start cx=(format!("{sx:.1}")) cy=(format!("{sy:.1}")) r="6" { title { "start" } }
            circle.end cx=(format!("{ex:.1}")) cy=(format!("{ey:.1}")) r="6" { title { "end" } }
            circle #marker r="5" cx="-10" cy="-10" {}
        }
    })
}

fn extent(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
        (lo.min(x), hi.max(x))
    })
}

/// The series the colour is read from, per point.
fn values(s: &Streams, colour: Colour) -> Vec<Option<f64>> {
    let n = s.len();
    match colour {
        Colour::HeartRate => s.heart_rate_bpm.clone().unwrap_or_else(|| vec![None; n]),
        Colour::Pace => s.speed_mps.clone().unwrap_or_else(|| vec![None; n]),
        Colour::Grade => match (&s.distance_m, &s.altitude_m) {
            (Some(d), Some(a)) => {
                let total_m = d.last().copied().unwrap_or(0.0);
                let window_m = GRADE_WINDOW_M.max(3.0 * total_m / (VIEW_POINTS as f64 / 2.0));
                let distance: Vec<Option<f64>> = d.iter().copied().map(Some).collect();
                let grade = grade_series(&distance, a, window_m);
                (0..n)
                    .map(|k| a.get(k).copied().flatten().map(|_| grade[k]))
                    .collect()
            }
            _ => vec![None; n],
        },
    }
}

/// A point's colour: fixed grade steps, else six steps between the
/// series' 5th and 95th percentiles (so one spike does not flatten the rest).
fn bins(value: &[Option<f64>], colour: Colour) -> impl Fn(usize) -> &'static str + '_ {
    let mut sorted: Vec<f64> = value.iter().flatten().copied().collect();
    sorted.sort_by(f64::total_cmp);
    let q = |p: f64| {
        sorted
            .get(((sorted.len() as f64 - 1.0) * p).round() as usize)
            .copied()
    };
    let (lo, hi) = (q(0.05).unwrap_or(0.0), q(0.95).unwrap_or(1.0));
    move |k| match (value.get(k).copied().flatten(), colour) {
        (None, _) => "#8b949e",
        (Some(g), Colour::Grade) => GRADE_STEPS
            .iter()
            .find(|(upto, _)| g < *upto)
            .map_or("#b2182b", |s| s.1),
        (Some(v), _) => {
            let f = ((v - lo) / (hi - lo).max(1e-9)).clamp(0.0, 0.999);
            STEPS[(f * STEPS.len() as f64) as usize]
        }
    }
}

/// A mark at every whole step of distance (1, 2, 5, 10… km or miles, as
/// long as `unit_m`, so at most about 20 marks), at the first point past it.
fn distance_marks(
    s: &Streams,
    pts: &[(usize, f64, f64)],
    at: &impl Fn(&(usize, f64, f64)) -> (f64, f64),
    unit_m: f64,
) -> Vec<(f64, f64, String)> {
    let Some(d) = &s.distance_m else {
        return Vec::new();
    };
    let total_km = d.last().copied().unwrap_or(0.0) / unit_m;
    let step = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0]
        .into_iter()
        .find(|step| total_km / step <= 20.0)
        .unwrap_or(200.0);
    let mut out = Vec::new();
    let mut next = step;
    for p in pts {
        if d[p.0] / unit_m >= next && next < total_km {
            let (x, y) = at(p);
            out.push((x, y, format!("{next:.0}")));
            while d[p.0] / unit_m >= next {
                next += step;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_written_to_a_tenth_as_format_would() {
        for (x, y) in [(12.34, 0.06), (-0.44, 399.96), (0.0, -12.0), (799.95, 3.21)] {
            let mut out = String::new();
            point(&mut out, x, y);
            let (a, b) = out.split_once(',').unwrap();
            for (text, v) in [(a, x), (b, y)] {
                let back: f64 = text.parse().unwrap();
                assert!((back - v).abs() <= 0.05 + 1e-9, "{out} for {x},{y}");
                assert_eq!(text.split('.').nth(1).map(str::len), Some(1), "{out}");
            }
        }
    }

    #[test]
    fn mercator_maps_the_prime_meridian_at_the_equator_to_the_middle() {
        let (x, y) = mercator(0.0, 0.0);
        assert!((x - 0.5).abs() < 1e-12 && (y - 0.5).abs() < 1e-12);
        // North is up: a higher latitude has a smaller y.
        assert!(mercator(46.0, 7.0).1 < mercator(45.0, 7.0).1);
    }
}
