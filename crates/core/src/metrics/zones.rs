//! Time in zones: the seconds of the [`crate::timeline::Timeline`] spent between each pair of
//! zone boundaries (heart rate, power or speed), so the answer does not
//! depend on how often the device recorded.

/// Seconds in each zone of a 1-Hz series. `upper_edges` are the zones' upper
/// boundaries in increasing order; a value above the last edge falls in an
/// extra top zone, so there are `upper_edges.len() + 1` zones. A value on an
/// edge belongs to the zone below it. Seconds without a value count nowhere.
pub fn time_in_zones(per_second: &[Option<f64>], upper_edges: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; upper_edges.len() + 1];
    for v in per_second.iter().flatten() {
        let zone = upper_edges.partition_point(|edge| edge < v);
        out[zone] += 1.0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_belong_to_the_zone_below() {
        let hr = [Some(120.0), Some(140.0), Some(141.0), None, Some(200.0)];
        assert_eq!(time_in_zones(&hr, &[140.0, 150.0]), vec![2.0, 1.0, 1.0]);
    }
}
