//! TCX (Garmin Training Center XML): activities (several per file), laps,
//! trackpoints with HR, cadence and the ActivityExtension speed and watts;
//! courses become courses.

use super::xml::{self, Tag};
use super::{DecodeError, DecodedFile};
use crate::geo;
use crate::model::{Activity, ChannelKind, Course, DeclaredTotals, Flag, Lap, SourceFormat, Sport};
use crate::time::parse_instant_ms;

const OTHER: Tag = 0;
const ACTIVITY: Tag = 1;
const LAP: Tag = 2;
const TRACKPOINT: Tag = 3;
const TIME: Tag = 4;
const LAT: Tag = 5;
const LON: Tag = 6;
const ALT: Tag = 7;
const DIST: Tag = 8;
const HR: Tag = 9;
const VALUE: Tag = 10;
const CADENCE: Tag = 11;
const SPEED: Tag = 12;
const WATTS: Tag = 13;
const COURSE: Tag = 14;
const NAME: Tag = 15;
const TOTAL_TIME: Tag = 16;
const CALORIES: Tag = 17;
const AVG_HR: Tag = 18;
const MAX_HR: Tag = 19;
const MAX_SPEED: Tag = 20;
const CREATOR: Tag = 21;
const RUN_CADENCE: Tag = 22;
const TRACK: Tag = 23;
const ID: Tag = 24;
const NOTES: Tag = 25;

fn classify(name: &str) -> Tag {
    match name {
        "Activity" => ACTIVITY,
        "Lap" => LAP,
        "Trackpoint" => TRACKPOINT,
        "Time" => TIME,
        "LatitudeDegrees" => LAT,
        "LongitudeDegrees" => LON,
        "AltitudeMeters" => ALT,
        "DistanceMeters" => DIST,
        "HeartRateBpm" => HR,
        "Value" => VALUE,
        "Cadence" => CADENCE,
        "Speed" => SPEED,
        "Watts" => WATTS,
        "Course" => COURSE,
        "Name" => NAME,
        "TotalTimeSeconds" => TOTAL_TIME,
        "Calories" => CALORIES,
        "AverageHeartRateBpm" => AVG_HR,
        "MaximumHeartRateBpm" => MAX_HR,
        "MaximumSpeed" => MAX_SPEED,
        "Creator" => CREATOR,
        "RunCadence" => RUN_CADENCE,
        "Track" => TRACK,
        "Id" => ID,
        "Notes" => NOTES,
        _ => OTHER,
    }
}

#[derive(Default)]
struct Point {
    time: Option<(i64, bool)>,
    lat: Option<f64>,
    lon: Option<f64>,
    alt: Option<f64>,
    dist: Option<f64>,
    hr: Option<f64>,
    cad: Option<f64>,
    speed: Option<f64>,
    watts: Option<f64>,
}

#[derive(Default)]
struct Parsed {
    course: bool,
    sport: Option<String>,
    name: Option<String>,
    notes: Option<String>,
    creator: Option<String>,
    laps: Vec<Lap>,
    points: Vec<Point>,
}

#[derive(Default)]
struct Reader {
    done: Vec<Parsed>,
    current: Option<Parsed>,
    point: Point,
}

impl xml::Handler for Reader {
    fn start(&mut self, stack: &[Tag], e: &quick_xml::events::BytesStart<'_>) {
        match stack.last().copied() {
            Some(ACTIVITY) => {
                self.current = Some(Parsed {
                    sport: xml::attribute(e, "Sport"),
                    ..Parsed::default()
                });
            }
            Some(COURSE) => {
                self.current = Some(Parsed {
                    course: true,
                    ..Parsed::default()
                })
            }
            Some(LAP) => {
                if let Some(c) = self.current.as_mut() {
                    let start = xml::attribute(e, "StartTime")
                        .and_then(|t| parse_instant_ms(&t))
                        .map(|t| t.0);
                    c.laps.push(Lap {
                        start_ms: start.unwrap_or(0),
                        totals: DeclaredTotals::default(),
                    });
                }
            }
            Some(TRACKPOINT) => self.point = Point::default(),
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
        let Some(cur) = self.current.as_mut() else {
            return;
        };
        let in_point = stack.contains(&TRACKPOINT);
        let in_creator = stack.contains(&CREATOR);
        let lap = (parent == LAP || stack.get(stack.len().saturating_sub(3)) == Some(&LAP))
            .then(|| cur.laps.last_mut())
            .flatten();
        match tag {
            ACTIVITY | COURSE => {
                if let Some(done) = self.current.take() {
                    self.done.push(done);
                }
            }
            TRACKPOINT => cur.points.push(std::mem::take(&mut self.point)),
            TIME if in_point => self.point.time = parse_instant_ms(text),
            LAT if in_point => self.point.lat = xml::number(text),
            LON if in_point => self.point.lon = xml::number(text),
            ALT if in_point => self.point.alt = xml::number(text),
            DIST if in_point => self.point.dist = xml::number(text),
            VALUE if in_point && parent == HR => self.point.hr = xml::number(text),
            CADENCE | RUN_CADENCE if in_point => self.point.cad = xml::number(text),
            SPEED if in_point => self.point.speed = xml::number(text),
            WATTS if in_point => self.point.watts = xml::number(text),
            TOTAL_TIME if parent == LAP => {
                if let Some(l) = lap {
                    l.totals.timer_s = xml::number(text);
                }
            }
            DIST if parent == LAP => {
                if let Some(l) = lap {
                    l.totals.distance_m = xml::number(text);
                }
            }
            MAX_SPEED if parent == LAP => {
                if let Some(l) = lap {
                    l.totals.max_speed_mps = xml::number(text);
                }
            }
            CALORIES if parent == LAP => {
                if let Some(l) = lap {
                    l.totals.calories_kcal = xml::number(text);
                }
            }
            CADENCE if parent == LAP => {
                if let Some(l) = lap {
                    l.totals.avg_cadence = xml::number(text);
                }
            }
            VALUE if parent == AVG_HR => {
                if let Some(l) = lap {
                    l.totals.avg_hr_bpm = xml::number(text);
                }
            }
            VALUE if parent == MAX_HR => {
                if let Some(l) = lap {
                    l.totals.max_hr_bpm = xml::number(text);
                }
            }
            NAME if in_creator => cur.creator = Some(text.to_string()).filter(|s| !s.is_empty()),
            NAME if parent == COURSE => cur.name = Some(text.to_string()).filter(|s| !s.is_empty()),
            NOTES if parent == ACTIVITY => {
                cur.notes = Some(text.to_string()).filter(|s| !s.is_empty())
            }
            ID if parent == ACTIVITY && cur.name.is_none() => {}
            _ => {}
        }
    }
}

pub fn decode(bytes: &[u8]) -> Result<DecodedFile, DecodeError> {
    if bytes.is_empty() {
        return Err(DecodeError::new("the file is empty (0 bytes)"));
    }
    let mut r = Reader::default();
    xml::walk(bytes, classify, &mut r)?;
    let mut out = DecodedFile::default();
    for p in r.done {
        if p.course {
            out.courses.push(course_of(p));
            continue;
        }
        let timed = p.points.iter().filter(|q| q.time.is_some()).count();
        if timed == 0 && p.laps.is_empty() {
            out.warnings
                .push("a TCX activity with no timed trackpoints and no laps was skipped".into());
            continue;
        }
        if timed * 2 < p.points.len() && p.points.iter().any(|q| q.lat.zip(q.lon).is_some()) {
            out.warnings.push(format!(
                "only {timed} of {} trackpoints have a time: kept whole as a planned route (course), not as an activity",
                p.points.len()
            ));
            out.courses.push(course_of(p));
            continue;
        }
        let mut a = to_activity(p);
        if timed < a.samples.len() {
            a.notes.push(format!(
                "{} of {} trackpoints had no time: their times were interpolated along the distance between timed neighbours",
                a.samples.len() - timed,
                a.samples.len()
            ));
        }
        out.activities.push(a);
    }
    if out.activities.is_empty() && out.courses.is_empty() {
        return Err(DecodeError::new("TCX file holds no activity or course"));
    }
    Ok(out)
}

/// A TCX course, or an activity with too few times to be one.
fn course_of(p: Parsed) -> Course {
    let points: Vec<&Point> = p
        .points
        .iter()
        .filter(|q| q.lat.zip(q.lon).is_some())
        .collect();
    Course {
        format: SourceFormat::Tcx,
        name: p.name.clone(),
        lat_deg: points.iter().filter_map(|q| q.lat).collect(),
        lon_deg: points.iter().filter_map(|q| q.lon).collect(),
        altitude_m: points.iter().map(|q| q.alt).collect(),
    }
}

fn to_activity(p: Parsed) -> Activity {
    let mut a = Activity::new(SourceFormat::Tcx, Sport::Other, 0);
    let mut naive = false;
    let mut zero = false;
    // Every trackpoint is kept: one without a time gets one along the distance.
    let mut times: Vec<Option<i64>> = p.points.iter().map(|q| q.time.map(|t| t.0)).collect();
    let mut along = Vec::with_capacity(p.points.len());
    let mut last_pos: Option<(f64, f64)> = None;
    let mut from_positions = 0.0;
    for q in &p.points {
        let pos = q
            .lat
            .zip(q.lon)
            .filter(|(la, lo)| geo::is_valid_position(*la, *lo));
        if let (Some((la, lo)), Some((pla, plo))) = (pos, last_pos) {
            from_positions += geo::haversine_m(pla, plo, la, lo);
        }
        if pos.is_some() {
            last_pos = pos;
        }
        along.push(pos.map(|_| from_positions));
    }
    // One distance source: the device's where it wrote one.
    if p.points.iter().any(|q| q.dist.is_some()) {
        along = p.points.iter().map(|q| q.dist).collect();
    }
    super::fill_times(&mut times, &along);
    for (q, t) in p.points.iter().zip(&times) {
        let Some(t) = *t else {
            continue;
        };
        naive |= q.time.is_some_and(|(_, n)| n);
        let s = &mut a.samples;
        s.push_time(t);
        if let (Some(lat), Some(lon)) = (q.lat, q.lon) {
            if geo::is_valid_position(lat, lon) {
                s.set_last(ChannelKind::Latitude, lat);
                s.set_last(ChannelKind::Longitude, lon);
            } else if lat == 0.0 && lon == 0.0 {
                zero = true;
            }
        }
        for (kind, v) in [
            (ChannelKind::Altitude, q.alt),
            (ChannelKind::Distance, q.dist),
            (ChannelKind::HeartRate, q.hr),
            (ChannelKind::Cadence, q.cad),
            (ChannelKind::Speed, q.speed),
            (ChannelKind::Power, q.watts),
        ] {
            if let Some(v) = v {
                s.set_last(kind, v);
            }
        }
    }
    let first_sample = a.samples.time_ms.iter().copied().min();
    let first_lap = p.laps.iter().map(|l| l.start_ms).filter(|t| *t != 0).min();
    a.start_ms = match (first_lap, first_sample) {
        (Some(l), Some(s)) => l.min(s),
        (l, s) => l.or(s).unwrap_or(0),
    };
    a.sport = p
        .sport
        .as_deref()
        .map(Sport::from_text)
        .unwrap_or(Sport::Other);
    a.original_sport = p.sport;
    a.device = p.creator;
    a.name = p.notes;
    // TCX states totals per lap only; the activity's are their sums.
    let sum = |f: fn(&DeclaredTotals) -> Option<f64>| -> Option<f64> {
        let vals: Vec<f64> = p.laps.iter().filter_map(|l| f(&l.totals)).collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    };
    let max = |f: fn(&DeclaredTotals) -> Option<f64>| -> Option<f64> {
        p.laps.iter().filter_map(|l| f(&l.totals)).reduce(f64::max)
    };
    a.declared.timer_s = sum(|t| t.timer_s);
    a.declared.distance_m = sum(|t| t.distance_m);
    a.declared.calories_kcal = sum(|t| t.calories_kcal);
    a.declared.max_hr_bpm = max(|t| t.max_hr_bpm);
    a.declared.max_speed_mps = max(|t| t.max_speed_mps);
    let hr_weight: f64 = p
        .laps
        .iter()
        .filter(|l| l.totals.avg_hr_bpm.is_some())
        .filter_map(|l| l.totals.timer_s)
        .sum();
    if hr_weight > 0.0 {
        let weighted: f64 = p
            .laps
            .iter()
            .filter_map(|l| Some(l.totals.avg_hr_bpm? * l.totals.timer_s?))
            .sum();
        a.declared.avg_hr_bpm = Some(weighted / hr_weight);
    }
    a.laps = p.laps;
    if naive {
        a.flag(Flag::NaiveTimes);
    }
    if zero {
        a.flag(Flag::ZeroPositions);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_laps_and_extensions() {
        let tcx = br#"<?xml version="1.0"?>
<TrainingCenterDatabase xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2"><Activities>
<Activity Sport="Biking"><Id>2026-06-01T06:00:00Z</Id>
<Lap StartTime="2026-06-01T06:00:00Z"><TotalTimeSeconds>10</TotalTimeSeconds><DistanceMeters>50</DistanceMeters>
<Calories>5</Calories><AverageHeartRateBpm><Value>130</Value></AverageHeartRateBpm>
<Track><Trackpoint><Time>2026-06-01T06:00:00Z</Time><HeartRateBpm><Value>128</Value></HeartRateBpm>
<Extensions><ns3:TPX><ns3:Speed>5.0</ns3:Speed><ns3:Watts>200</ns3:Watts></ns3:TPX></Extensions></Trackpoint>
<Trackpoint><Time>2026-06-01T06:00:10Z</Time><DistanceMeters>50</DistanceMeters></Trackpoint></Track></Lap>
</Activity></Activities></TrainingCenterDatabase>"#;
        let f = decode(tcx).unwrap();
        let a = &f.activities[0];
        assert_eq!(a.sport, Sport::Ride);
        assert_eq!(a.samples.len(), 2);
        assert_eq!(a.samples.value(ChannelKind::Power, 0), Some(200.0));
        assert_eq!(a.samples.value(ChannelKind::Speed, 0), Some(5.0));
        assert_eq!(a.declared.timer_s, Some(10.0));
        assert_eq!(a.declared.avg_hr_bpm, Some(130.0));
        assert_eq!(a.laps.len(), 1);
    }
}
