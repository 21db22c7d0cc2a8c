//! GPX 1.1 and TCX writers: what a phone app or handheld GPS would export.

use crate::model::{Activity, ChannelKind};
use crate::time::rfc3339;
use std::fmt::Write;

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// GPX 1.1 with Garmin's TrackPointExtension (hr, cad, atemp).
pub fn gpx(a: &Activity) -> String {
    let s = &a.samples;
    let mut out = String::with_capacity(64 + s.len() * 160);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"{}\" xmlns=\"http://www.topografix.com/GPX/1/1\" xmlns:gpxtpx=\"http://www.garmin.com/xmlschemas/TrackPointExtension/v1\">\n<trk>",
        escape(a.device.as_deref().unwrap_or("cairn"))
    );
    let _ = writeln!(
        out,
        "<name>{}</name><type>{}</type><trkseg>",
        escape(a.name.as_deref().unwrap_or("Activity")),
        a.sport.id()
    );
    for i in 0..s.len() {
        let Some((lat, lon)) = s.position(i) else {
            continue;
        };
        let _ = write!(out, "<trkpt lat=\"{lat:.7}\" lon=\"{lon:.7}\">");
        if let Some(e) = s.value(ChannelKind::Altitude, i) {
            let _ = write!(out, "<ele>{e:.1}</ele>");
        }
        let _ = write!(out, "<time>{}</time>", rfc3339(s.time_ms[i]));
        let hr = s.value(ChannelKind::HeartRate, i);
        let cad = s.value(ChannelKind::Cadence, i);
        let temp = s.value(ChannelKind::Temperature, i);
        if hr.is_some() || cad.is_some() || temp.is_some() {
            out.push_str("<extensions><gpxtpx:TrackPointExtension>");
            if let Some(t) = temp {
                let _ = write!(out, "<gpxtpx:atemp>{t:.0}</gpxtpx:atemp>");
            }
            if let Some(h) = hr {
                let _ = write!(out, "<gpxtpx:hr>{h:.0}</gpxtpx:hr>");
            }
            if let Some(c) = cad {
                let _ = write!(out, "<gpxtpx:cad>{c:.0}</gpxtpx:cad>");
            }
            out.push_str("</gpxtpx:TrackPointExtension></extensions>");
        }
        out.push_str("</trkpt>\n");
    }
    out.push_str("</trkseg></trk>\n</gpx>\n");
    out
}

/// TCX with one lap per activity lap and the ActivityExtension speed and watts.
pub fn tcx(a: &Activity) -> String {
    let s = &a.samples;
    let sport = if a.sport.is_running() {
        "Running"
    } else if a.sport.is_cycling() {
        "Biking"
    } else {
        "Other"
    };
    let mut out = String::with_capacity(64 + s.len() * 220);
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TrainingCenterDatabase xmlns=\"http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2\" xmlns:ns3=\"http://www.garmin.com/xmlschemas/ActivityExtension/v2\">\n<Activities><Activity Sport=\"{sport}\"><Id>{}</Id>\n",
        rfc3339(a.start_ms)
    );
    let bounds: Vec<i64> = a
        .laps
        .iter()
        .map(|l| l.start_ms)
        .chain(std::iter::once(i64::MAX))
        .collect();
    let laps = if a.laps.is_empty() {
        vec![a.start_ms, i64::MAX]
    } else {
        bounds
    };
    let mut i = 0;
    for w in laps.windows(2) {
        let (start, end) = (w[0], w[1]);
        let first = i;
        while i < s.len() && s.time_ms[i] < end {
            i += 1;
        }
        let slice = first..i;
        if slice.is_empty() {
            continue;
        }
        let dist = |k: usize| s.value(ChannelKind::Distance, k).unwrap_or(0.0);
        let lap_distance = dist(i - 1) - if first > 0 { dist(first - 1) } else { 0.0 };
        let lap_time = (s.time_ms[i - 1] - s.time_ms[first]) as f64 / 1000.0 + 1.0;
        let _ = writeln!(
            out,
            "<Lap StartTime=\"{}\"><TotalTimeSeconds>{lap_time:.1}</TotalTimeSeconds><DistanceMeters>{lap_distance:.2}</DistanceMeters><Intensity>Active</Intensity><TriggerMethod>Distance</TriggerMethod><Track>",
            rfc3339(start)
        );
        for k in slice {
            let _ = write!(out, "<Trackpoint><Time>{}</Time>", rfc3339(s.time_ms[k]));
            if let Some((lat, lon)) = s.position(k) {
                let _ = write!(out, "<Position><LatitudeDegrees>{lat:.7}</LatitudeDegrees><LongitudeDegrees>{lon:.7}</LongitudeDegrees></Position>");
            }
            if let Some(e) = s.value(ChannelKind::Altitude, k) {
                let _ = write!(out, "<AltitudeMeters>{e:.1}</AltitudeMeters>");
            }
            let _ = write!(out, "<DistanceMeters>{:.2}</DistanceMeters>", dist(k));
            if let Some(h) = s.value(ChannelKind::HeartRate, k) {
                let _ = write!(out, "<HeartRateBpm><Value>{h:.0}</Value></HeartRateBpm>");
            }
            if let Some(c) = s.value(ChannelKind::Cadence, k) {
                let _ = write!(out, "<Cadence>{c:.0}</Cadence>");
            }
            let speed = s.value(ChannelKind::Speed, k);
            let watts = s.value(ChannelKind::Power, k);
            if speed.is_some() || watts.is_some() {
                out.push_str("<Extensions><ns3:TPX>");
                if let Some(v) = speed {
                    let _ = write!(out, "<ns3:Speed>{v:.3}</ns3:Speed>");
                }
                if let Some(w) = watts {
                    let _ = write!(out, "<ns3:Watts>{w:.0}</ns3:Watts>");
                }
                out.push_str("</ns3:TPX></Extensions>");
            }
            out.push_str("</Trackpoint>\n");
        }
        out.push_str("</Track></Lap>\n");
    }
    let _ = write!(
        out,
        "<Creator><Name>{}</Name></Creator></Activity></Activities>\n</TrainingCenterDatabase>\n",
        escape(a.device.as_deref().unwrap_or("cairn"))
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, Format};
    use crate::model::{Lap, SourceFormat, Sport};

    fn sample() -> Activity {
        let mut a = Activity::new(SourceFormat::Gpx, Sport::Hike, 1_750_000_000_000);
        a.name = Some("Col & lake".into());
        for i in 0..120 {
            a.samples.push_time(1_750_000_000_000 + i * 1000);
            a.samples
                .set_last(ChannelKind::Latitude, 46.0 + i as f64 * 1e-5);
            a.samples.set_last(ChannelKind::Longitude, 7.0);
            a.samples
                .set_last(ChannelKind::Altitude, 1000.0 + i as f64 * 0.2);
            a.samples.set_last(ChannelKind::Distance, i as f64 * 1.11);
            a.samples.set_last(ChannelKind::HeartRate, 120.0);
            a.samples.set_last(ChannelKind::Cadence, 55.0);
        }
        a.laps = vec![
            Lap {
                start_ms: a.start_ms,
                ..Lap::default()
            },
            Lap {
                start_ms: a.start_ms + 60_000,
                ..Lap::default()
            },
        ];
        a
    }

    #[test]
    fn gpx_round_trips_through_cairns_reader() {
        let a = sample();
        let back = decode(Format::Gpx, gpx(&a).as_bytes()).unwrap();
        let b = &back.activities[0];
        assert_eq!(b.sport, Sport::Hike);
        assert_eq!(b.name.as_deref(), Some("Col & lake"));
        assert_eq!(b.samples.time_ms, a.samples.time_ms);
        assert_eq!(b.samples.value(ChannelKind::HeartRate, 5), Some(120.0));
        assert_eq!(b.samples.value(ChannelKind::Cadence, 5), Some(55.0));
    }

    #[test]
    fn tcx_round_trips_through_cairns_reader() {
        let mut a = sample();
        a.sport = Sport::Run;
        let back = decode(Format::Tcx, tcx(&a).as_bytes()).unwrap();
        let b = &back.activities[0];
        assert_eq!(b.sport, Sport::Run);
        assert_eq!(b.laps.len(), 2);
        assert_eq!(b.samples.len(), 120);
        assert_eq!(
            b.samples.value(ChannelKind::Distance, 119),
            Some(119.0 * 1.11)
        );
    }
}
