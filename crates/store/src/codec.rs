//! Sample channels as compressed blobs: one blob per channel per activity, so a
//! new channel needs no migration (DESIGN-NOTES: avoid a column per channel).
//!
//! Layout: `u32` sample count, `u32` present count, then, when some samples
//! are gaps, a presence bitmap of `ceil(count / 8)` bytes, then the present
//! values compressed with pco (lossless; ECOSYSTEM.md §1.16 measured 5.4×
//! on real records, the best ratio of the codecs tried).

use crate::StoreError;
use cairn_core::derived::PageData;
use cairn_core::streams::Streams;

/// pco level: 4 compresses nearly as well as the default 8 and about twice as fast,
/// which keeps compression off the bulk-import critical path.
const LEVEL: usize = 4;

fn config() -> pco::ChunkConfig {
    pco::ChunkConfig::default().with_compression_level(LEVEL)
}

pub fn encode_times(times: &[i64]) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(16 + times.len() / 4);
    out.extend_from_slice(&(times.len() as u32).to_le_bytes());
    if !times.is_empty() {
        out.extend(
            pco::standalone::simple_compress(times, &config())
                .map_err(|e| StoreError::Codec(e.to_string()))?,
        );
    }
    Ok(out)
}

pub fn decode_times(blob: &[u8]) -> Result<Vec<i64>, StoreError> {
    let n = read_u32(blob, 0)? as usize;
    if n == 0 {
        return Ok(Vec::new());
    }
    let v: Vec<i64> = pco::standalone::simple_decompress(&blob[4..])
        .map_err(|e| StoreError::Codec(e.to_string()))?;
    if v.len() != n {
        return Err(StoreError::Codec(format!(
            "time blob holds {} values, header says {n}",
            v.len()
        )));
    }
    Ok(v)
}

pub fn encode_channel(values: &[Option<f64>]) -> Result<Vec<u8>, StoreError> {
    let present: Vec<f64> = values.iter().flatten().copied().collect();
    let mut out = Vec::with_capacity(16 + present.len() * 2);
    out.extend_from_slice(&(values.len() as u32).to_le_bytes());
    out.extend_from_slice(&(present.len() as u32).to_le_bytes());
    if present.len() != values.len() {
        let mut bitmap = vec![0u8; values.len().div_ceil(8)];
        for (i, v) in values.iter().enumerate() {
            if v.is_some() {
                bitmap[i / 8] |= 1 << (i % 8);
            }
        }
        out.extend(bitmap);
    }
    if !present.is_empty() {
        out.extend(
            pco::standalone::simple_compress(&present, &config())
                .map_err(|e| StoreError::Codec(e.to_string()))?,
        );
    }
    Ok(out)
}

pub fn decode_channel(blob: &[u8]) -> Result<Vec<Option<f64>>, StoreError> {
    let n = read_u32(blob, 0)? as usize;
    let present = read_u32(blob, 4)? as usize;
    let mut pos = 8;
    let bitmap = if present != n {
        let len = n.div_ceil(8);
        let b = blob
            .get(pos..pos + len)
            .ok_or_else(|| StoreError::Codec("channel blob too short for its bitmap".into()))?;
        pos += len;
        Some(b)
    } else {
        None
    };
    let values: Vec<f64> = if present == 0 {
        Vec::new()
    } else {
        pco::standalone::simple_decompress(&blob[pos..])
            .map_err(|e| StoreError::Codec(e.to_string()))?
    };
    if values.len() != present {
        return Err(StoreError::Codec(format!(
            "channel blob holds {} values, header says {present}",
            values.len()
        )));
    }
    let mut it = values.into_iter();
    Ok((0..n)
        .map(|i| match bitmap {
            Some(b) if b[i / 8] & (1 << (i % 8)) == 0 => None,
            _ => it.next(),
        })
        .collect())
}

/// Rebuilds samples from their stored blobs (`time_ms` plus channels).
pub fn decode_samples(
    blobs: &[(String, Vec<u8>)],
) -> Result<cairn_core::model::Samples, StoreError> {
    let mut samples = cairn_core::model::Samples::default();
    if let Some((_, blob)) = blobs.iter().find(|(c, _)| c == "time_ms") {
        samples.time_ms = decode_times(blob)?;
    }
    for (name, blob) in blobs {
        if let Some(kind) = cairn_core::model::ChannelKind::from_id(name) {
            let values = decode_channel(blob)?;
            if values.len() != samples.len() {
                return Err(StoreError::Codec(format!(
                    "channel {name} has {} samples, times have {}",
                    values.len(),
                    samples.len()
                )));
            }
            samples.set_channel(kind, Some(values));
        }
    }
    Ok(samples)
}

/// What [`PageData`] keeps besides its series.
#[derive(serde::Serialize, serde::Deserialize)]
struct PageMeta {
    recorded_seconds: usize,
    splits: Vec<(f64, Vec<cairn_core::metrics::splits::Split>)>,
}

/// An activity's page data as named parts: `meta` (recorded seconds and
/// splits, JSON), `time_s`, `distance_m` and each series present, as
/// channels are stored.
pub fn encode_page(mut page: PageData) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let meta = PageMeta {
        recorded_seconds: page.recorded_seconds,
        splits: std::mem::take(&mut page.splits),
    };
    let mut parts = vec![(
        "meta".to_string(),
        serde_json::to_vec(&meta).map_err(|e| StoreError::Codec(e.to_string()))?,
    )];
    let s = &page.streams;
    let plain = |v: &[f64]| v.iter().copied().map(Some).collect::<Vec<_>>();
    parts.push(("time_s".into(), encode_channel(&plain(&s.time_s))?));
    if let Some(d) = &s.distance_m {
        parts.push(("distance_m".into(), encode_channel(&plain(d))?));
    }
    for (name, series) in page.streams.series_mut() {
        if let Some(v) = series {
            parts.push((name.to_string(), encode_channel(v)?));
        }
    }
    Ok(parts)
}

/// [`encode_page`] read back; an error names the part that does not read.
pub fn decode_page(parts: &[(String, Vec<u8>)]) -> Result<PageData, StoreError> {
    let part = |name: &str| parts.iter().find(|(n, _)| n == name).map(|(_, b)| b);
    let meta: PageMeta = serde_json::from_slice(
        part("meta").ok_or_else(|| StoreError::Codec("page data without its meta part".into()))?,
    )
    .map_err(|e| StoreError::Codec(format!("page data meta: {e}")))?;
    let plain = |blob: &[u8], name: &str| -> Result<Vec<f64>, StoreError> {
        decode_channel(blob)?
            .into_iter()
            .map(|v| v.ok_or_else(|| StoreError::Codec(format!("page data {name} has a gap"))))
            .collect()
    };
    let time_s = plain(
        part("time_s").ok_or_else(|| StoreError::Codec("page data without time_s".into()))?,
        "time_s",
    )?;
    let mut streams = Streams {
        distance_m: part("distance_m")
            .map(|b| plain(b, "distance_m"))
            .transpose()?,
        time_s,
        ..Streams::default()
    };
    let n = streams.len();
    for (name, series) in streams.series_mut() {
        if let Some(blob) = part(name) {
            let v = decode_channel(blob)?;
            if v.len() != n {
                return Err(StoreError::Codec(format!(
                    "page data {name} has {} points, time_s has {n}",
                    v.len()
                )));
            }
            *series = Some(v);
        }
    }
    if streams.distance_m.as_ref().is_some_and(|d| d.len() != n) {
        return Err(StoreError::Codec(
            "page data distance_m and time_s differ in length".into(),
        ));
    }
    Ok(PageData {
        recorded_seconds: meta.recorded_seconds,
        streams,
        splits: meta.splits,
    })
}

fn read_u32(blob: &[u8], at: usize) -> Result<u32, StoreError> {
    let b = blob
        .get(at..at + 4)
        .ok_or_else(|| StoreError::Codec("blob too short".into()))?;
    Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// A curve as little-endian f32 values, NaN where there is no value: a
/// curve is read often and whole, so it stays uncompressed.
pub fn encode_curve(values: &[Option<f64>]) -> Vec<u8> {
    values
        .iter()
        .flat_map(|v| (v.unwrap_or(f64::NAN) as f32).to_le_bytes())
        .collect()
}

pub fn decode_curve(data: &[u8]) -> Vec<Option<f64>> {
    data.chunks_exact(4)
        .map(|c| {
            let v = f32::from_le_bytes([c[0], c[1], c[2], c[3]]) as f64;
            v.is_finite().then_some(v)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels_round_trip_with_gaps() {
        let v = vec![
            Some(1.5),
            None,
            Some(-3.25),
            None,
            None,
            Some(1e-7),
            Some(46.123456789),
        ];
        assert_eq!(decode_channel(&encode_channel(&v).unwrap()).unwrap(), v);
        let full: Vec<Option<f64>> = (0..1000).map(|i| Some(i as f64 * 0.1)).collect();
        assert_eq!(
            decode_channel(&encode_channel(&full).unwrap()).unwrap(),
            full
        );
        assert_eq!(
            decode_channel(&encode_channel(&[None, None]).unwrap()).unwrap(),
            vec![None, None]
        );
        assert_eq!(
            decode_channel(&encode_channel(&[]).unwrap()).unwrap(),
            Vec::<Option<f64>>::new()
        );
    }

    #[test]
    fn times_round_trip() {
        let t: Vec<i64> = (0..5000).map(|i| 1_700_000_000_000 + i * 1000).collect();
        let blob = encode_times(&t).unwrap();
        assert!(blob.len() < 200, "{}", blob.len());
        assert_eq!(decode_times(&blob).unwrap(), t);
    }
}
