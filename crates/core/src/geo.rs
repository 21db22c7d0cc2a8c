//! Great-circle distance on a sphere.

/// Mean Earth radius (IUGG R1) in metres, the radius the corpus oracle uses.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Haversine distance in metres between two WGS84 positions given in degrees.
///
/// The spherical model errs by at most about 0.5 % against the ellipsoid, well
/// inside GPS noise for activity tracks.
pub fn haversine_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
}

/// Whether a position is usable: finite, inside the valid ranges, and not the
/// exact (0, 0) that devices write before they have a fix.
pub fn is_valid_position(lat: f64, lon: f64) -> bool {
    lat.is_finite()
        && lon.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lon)
        && !(lat == 0.0 && lon == 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_degree_of_latitude_is_about_111_km() {
        let d = haversine_m(45.0, 7.0, 46.0, 7.0);
        assert!((d - 111_195.0).abs() < 5.0, "{d}");
    }

    #[test]
    fn zero_zero_is_not_a_position() {
        assert!(!is_valid_position(0.0, 0.0));
        assert!(is_valid_position(0.0, 0.1));
        assert!(!is_valid_position(91.0, 0.0));
    }
}
