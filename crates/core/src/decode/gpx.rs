//! GPX 1.0 and 1.1: tracks become activities, routes and time-less tracks
//! become courses. Garmin's TrackPointExtension (hr, cad, atemp) and the
//! common power extensions are read.

use super::xml::{self, Tag};
use super::{DecodeError, DecodedFile};
use crate::geo;
use crate::model::{Activity, ChannelKind, Course, Flag, Samples, SourceFormat, Sport};
use crate::time::parse_instant_ms;

const OTHER: Tag = 0;
const GPX: Tag = 1;
const TRK: Tag = 2;
const TRKSEG: Tag = 3;
const TRKPT: Tag = 4;
const RTE: Tag = 5;
const RTEPT: Tag = 6;
const ELE: Tag = 7;
const TIME: Tag = 8;
const NAME: Tag = 9;
const TYPE: Tag = 10;
const HR: Tag = 11;
const CAD: Tag = 12;
const TEMP: Tag = 13;
const POWER: Tag = 14;
const METADATA: Tag = 15;
const EXTENSIONS: Tag = 16;
const WPT: Tag = 17;

fn classify(name: &str) -> Tag {
    match name {
        "gpx" => GPX,
        "trk" => TRK,
        "trkseg" => TRKSEG,
        "trkpt" => TRKPT,
        "rte" => RTE,
        "rtept" => RTEPT,
        "ele" => ELE,
        "time" => TIME,
        "name" => NAME,
        "type" => TYPE,
        "hr" | "heartrate" => HR,
        "cad" | "cadence" => CAD,
        "atemp" | "temp" => TEMP,
        "power" | "PowerInWatts" => POWER,
        "metadata" => METADATA,
        "extensions" => EXTENSIONS,
        "wpt" => WPT,
        _ => OTHER,
    }
}

#[derive(Default)]
struct Point {
    lat: Option<f64>,
    lon: Option<f64>,
    ele: Option<f64>,
    time_ms: Option<i64>,
    naive_time: bool,
    hr: Option<f64>,
    cad: Option<f64>,
    temp: Option<f64>,
    power: Option<f64>,
}

#[derive(Default)]
struct Track {
    name: Option<String>,
    kind: Option<String>,
    /// Points per segment.
    segments: Vec<Vec<Point>>,
}

#[derive(Default)]
struct Reader {
    creator: Option<String>,
    metadata_name: Option<String>,
    tracks: Vec<Track>,
    routes: Vec<Track>,
    point: Point,
    bad_times: usize,
}

impl xml::Handler for Reader {
    fn start(&mut self, stack: &[Tag], e: &quick_xml::events::BytesStart<'_>) {
        match stack.last().copied() {
            Some(GPX) => self.creator = xml::attribute(e, "creator"),
            Some(TRK) => self.tracks.push(Track::default()),
            Some(RTE) => {
                let mut r = Track::default();
                r.segments.push(Vec::new());
                self.routes.push(r);
            }
            Some(TRKSEG) => {
                if let Some(t) = self.tracks.last_mut() {
                    t.segments.push(Vec::new());
                }
            }
            Some(TRKPT | RTEPT) => {
                self.point = Point {
                    lat: xml::attribute(e, "lat").and_then(|v| xml::number(&v)),
                    lon: xml::attribute(e, "lon").and_then(|v| xml::number(&v)),
                    ..Point::default()
                };
            }
            _ => {}
        }
    }

    fn end(&mut self, stack: &[Tag], text: &str) {
        let Some(&tag) = stack.last() else { return };
        let parent = stack
            .len()
            .checked_sub(2)
            .map(|i| stack[i])
            .unwrap_or(OTHER);
        let in_point = stack.contains(&TRKPT) || stack.contains(&RTEPT);
        match tag {
            TRKPT => {
                let p = std::mem::take(&mut self.point);
                if let Some(t) = self.tracks.last_mut() {
                    if t.segments.is_empty() {
                        t.segments.push(Vec::new());
                    }
                    if let Some(seg) = t.segments.last_mut() {
                        seg.push(p);
                    }
                }
            }
            RTEPT => {
                let p = std::mem::take(&mut self.point);
                if let Some(seg) = self.routes.last_mut().and_then(|r| r.segments.last_mut()) {
                    seg.push(p);
                }
            }
            ELE if in_point => self.point.ele = xml::number(text),
            TIME if in_point => match parse_instant_ms(text) {
                Some((ms, naive)) => {
                    self.point.time_ms = Some(ms);
                    self.point.naive_time = naive;
                }
                None if !text.is_empty() => self.bad_times += 1,
                None => {}
            },
            HR if in_point => self.point.hr = xml::number(text),
            CAD if in_point => self.point.cad = xml::number(text),
            TEMP if in_point => self.point.temp = xml::number(text),
            POWER if in_point => self.point.power = xml::number(text),
            NAME if parent == TRK => {
                if let Some(t) = self.tracks.last_mut() {
                    t.name = Some(text.to_string()).filter(|s| !s.is_empty());
                }
            }
            NAME if parent == RTE => {
                if let Some(t) = self.routes.last_mut() {
                    t.name = Some(text.to_string()).filter(|s| !s.is_empty());
                }
            }
            NAME if parent == METADATA => {
                self.metadata_name = Some(text.to_string()).filter(|s| !s.is_empty())
            }
            TYPE if parent == TRK => {
                if let Some(t) = self.tracks.last_mut() {
                    t.kind = Some(text.to_string()).filter(|s| !s.is_empty());
                }
            }
            _ => {}
        }
    }
}

/// Strava's GPX `<type>` holds its numeric activity type id (1 ride, 4 hike,
/// 9 run, 10 walk); other writers use words.
fn sport_of(kind: Option<&str>) -> Sport {
    kind.map(Sport::from_text).unwrap_or(Sport::Other)
}

pub fn decode(bytes: &[u8]) -> Result<DecodedFile, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::new("the file is empty (0 bytes)"));
    }
    let mut r = Reader::default();
    xml::walk(bytes, classify, &mut r)?;
    let mut out = DecodedFile::default();
    if r.bad_times > 0 {
        out.warnings.push(format!(
            "{} track point times could not be read and were ignored",
            r.bad_times
        ));
    }
    for route in r
        .routes
        .drain(..)
        .filter(|r| r.segments.iter().any(|s| !s.is_empty()))
    {
        out.courses.extend(to_courses(
            route,
            SourceFormat::Gpx,
            r.metadata_name.clone(),
        ));
    }
    let points: usize = r
        .tracks
        .iter()
        .flat_map(|t| &t.segments)
        .map(Vec::len)
        .sum();
    let timed = r
        .tracks
        .iter()
        .flat_map(|t| &t.segments)
        .flatten()
        .filter(|p| p.time_ms.is_some())
        .count();
    let times = r
        .tracks
        .iter()
        .flat_map(|t| &t.segments)
        .flatten()
        .filter_map(|p| p.time_ms);
    let span_ms = times.clone().max().unwrap_or(0) - times.min().unwrap_or(0);
    // Times within a few milliseconds of each other for the whole track are
    // one placeholder: no more a record of what happened than no times.
    let placeholder =
        timed >= 2 && span_ms < (timed as i64 - 1) * crate::clean::PLACEHOLDER_INTERVAL_MS;
    if points == 0 {
        // Routes only.
    } else if timed * 2 < points || placeholder {
        // Few or no times: a planned course, not something that happened.
        if placeholder {
            out.warnings.push(format!(
                "the {timed} track points' times all lie within {span_ms} ms (placeholders, not times): kept whole as a planned route (course), not as an activity; `cairn predict` times it"
            ));
        } else if timed > 0 {
            out.warnings.push(format!(
                "only {timed} of {points} track points have a time: kept whole as a planned route (course), not as an activity; `cairn predict` times it"
            ));
        }
        for track in r
            .tracks
            .drain(..)
            .filter(|t| t.segments.iter().any(|s| !s.is_empty()))
        {
            out.courses.extend(to_courses(
                track,
                SourceFormat::Gpx,
                r.metadata_name.clone(),
            ));
        }
    } else {
        // Devices split one recording into several tracks at pauses; a file's
        // tracks are one activity, each track's segments kept apart for distance.
        let mut merged = Track::default();
        for t in r.tracks.drain(..) {
            merged.name = merged.name.or(t.name);
            merged.kind = merged.kind.or(t.kind);
            merged.segments.extend(t.segments);
        }
        let mut a = to_activity(merged, r.creator.clone(), r.metadata_name.clone());
        if timed < points {
            a.notes.push(format!(
                "{} of {points} track points had no time: their times were interpolated along the distance between timed neighbours",
                points - timed
            ));
        }
        out.activities.push(a);
    }
    if out.activities.is_empty() && out.courses.is_empty() {
        return Err(DecodeError::new("GPX file holds no track or route points"));
    }
    Ok(out)
}

/// A track or route as planned routes: one per segment, since the jump
/// between segments is not travelled (a course is one line).
fn to_courses(track: Track, format: SourceFormat, fallback_name: Option<String>) -> Vec<Course> {
    let name = track.name.or(fallback_name);
    let segments: Vec<Vec<Point>> = track
        .segments
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    let parts = segments.len();
    let mut out = Vec::with_capacity(parts);
    for (k, seg) in segments.into_iter().enumerate() {
        let mut c = Course {
            format,
            name: match (&name, parts) {
                (Some(n), p) if p > 1 => Some(format!("{n} (part {} of {p})", k + 1)),
                (n, _) => n.clone(),
            },
            lat_deg: Vec::new(),
            lon_deg: Vec::new(),
            altitude_m: Vec::new(),
        };
        for p in seg {
            if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
                if geo::is_valid_position(lat, lon) {
                    c.lat_deg.push(lat);
                    c.lon_deg.push(lon);
                    c.altitude_m.push(p.ele);
                }
            }
        }
        if !c.lat_deg.is_empty() {
            out.push(c);
        }
    }
    out
}

fn to_activity(track: Track, creator: Option<String>, fallback_name: Option<String>) -> Activity {
    // Distance along the track, within each segment (the jump between
    // segments is not travelled), then the times of untimed points.
    let mut along = Vec::new();
    let mut times = Vec::new();
    let mut distance = 0.0;
    for seg in &track.segments {
        let mut last_pos: Option<(f64, f64)> = None;
        for p in seg {
            let pos = p
                .lat
                .zip(p.lon)
                .filter(|(la, lo)| geo::is_valid_position(*la, *lo));
            if let (Some((la, lo)), Some((pla, plo))) = (pos, last_pos) {
                distance += geo::haversine_m(pla, plo, la, lo);
            }
            if pos.is_some() {
                last_pos = pos;
            }
            along.push(pos.map(|_| distance));
            times.push(p.time_ms);
        }
    }
    super::fill_times(&mut times, &along);
    let mut samples = Samples::default();
    let mut naive = false;
    let mut zero_positions = false;
    for (p, (t, d)) in track
        .segments
        .iter()
        .flatten()
        .zip(times.iter().zip(&along))
    {
        let Some(t) = *t else { continue };
        naive |= p.naive_time && p.time_ms.is_some();
        samples.push_time(t);
        if let (Some(lat), Some(lon)) = (p.lat, p.lon) {
            if geo::is_valid_position(lat, lon) {
                samples.set_last(ChannelKind::Latitude, lat);
                samples.set_last(ChannelKind::Longitude, lon);
                // GPX carries no distance: cairn derives it from positions
                // within each segment.
                if let Some(d) = d {
                    samples.set_last(ChannelKind::Distance, *d);
                }
            } else if lat == 0.0 && lon == 0.0 {
                zero_positions = true;
            }
        }
        for (kind, v) in [
            (ChannelKind::Altitude, p.ele),
            (ChannelKind::HeartRate, p.hr),
            (ChannelKind::Cadence, p.cad),
            (ChannelKind::Temperature, p.temp),
            (ChannelKind::Power, p.power),
        ] {
            if let Some(v) = v {
                samples.set_last(kind, v);
            }
        }
    }
    let start = samples.time_ms.iter().copied().min().unwrap_or(0);
    let mut a = Activity::new(SourceFormat::Gpx, sport_of(track.kind.as_deref()), start);
    a.original_sport = track.kind;
    a.name = track.name.or(fallback_name);
    a.device = creator;
    a.samples = samples;
    if naive {
        a.flag(Flag::NaiveTimes);
    }
    if zero_positions {
        a.flag(Flag::ZeroPositions);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_garmin_extensions() {
        let gpx = br#"<?xml version="1.0"?>
<gpx version="1.1" creator="test" xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">
<trk><name>Morning &amp; run</name><type>running</type><trkseg>
<trkpt lat="46.5" lon="7.5"><ele>1200.5</ele><time>2026-06-01T06:00:00Z</time>
<extensions><gpxtpx:TrackPointExtension><gpxtpx:hr>120</gpxtpx:hr><gpxtpx:cad>80</gpxtpx:cad><gpxtpx:atemp>14</gpxtpx:atemp></gpxtpx:TrackPointExtension><power>210</power></extensions></trkpt>
<trkpt lat="46.501" lon="7.5"><ele>1201</ele><time>2026-06-01T06:00:05Z</time></trkpt>
</trkseg></trk></gpx>"#;
        let f = decode(gpx).unwrap();
        let a = &f.activities[0];
        assert_eq!(a.name.as_deref(), Some("Morning & run"));
        assert_eq!(a.sport, Sport::Run);
        assert_eq!(a.samples.value(ChannelKind::HeartRate, 0), Some(120.0));
        assert_eq!(a.samples.value(ChannelKind::Cadence, 0), Some(80.0));
        assert_eq!(a.samples.value(ChannelKind::Temperature, 0), Some(14.0));
        assert_eq!(a.samples.value(ChannelKind::Power, 0), Some(210.0));
        assert!(a.samples.value(ChannelKind::Distance, 1).unwrap() > 100.0);
    }

    #[test]
    fn timeless_tracks_and_routes_are_courses() {
        let gpx =
            br#"<gpx><rte><name>Plan</name><rtept lat="1" lon="2"/><rtept lat="1.1" lon="2"/></rte>
<trk><trkseg><trkpt lat="1" lon="2"/></trkseg></trk></gpx>"#;
        let f = decode(gpx).unwrap();
        assert!(f.activities.is_empty());
        assert_eq!(f.courses.len(), 2);
        assert_eq!(f.courses[0].name.as_deref(), Some("Plan"));
    }

    #[test]
    fn truncated_xml_is_an_error() {
        let e = decode(b"<gpx><trk><trkseg><trkpt lat=\"1\" lon=\"2\">").unwrap_err();
        assert!(
            e.message.contains("truncated") || e.message.contains("well-formed"),
            "{e}"
        );
    }
}
