//! An optional map underlay: tiles from a server the athlete names, drawn
//! by cairn as `<image>` elements under its own SVG track. Without a tile
//! URL and its attribution nothing is requested from outside 127.0.0.1, and
//! the content security policy says so. With them, the policy allows images
//! from that one origin and nothing else.
//!
//! The track is already drawn in Web Mercator, the projection of slippy-map
//! tiles (zoom `z`: the world is 2^z × 2^z tiles of 256 px), so the tiles
//! are placed with the track's own origin and scale; no map library is
//! needed for a still underlay.

/// A tile server: a URL template with `{z}`, `{x}` and `{y}` and the
/// attribution its licence requires.
#[derive(Debug, Clone, PartialEq)]
pub struct Tiles {
    url: String,
    attribution: String,
    /// `scheme://host[:port]`, for the content security policy.
    origin: String,
}

/// Zoom levels tile servers commonly serve.
const MAX_ZOOM: i32 = 19;
/// Pixels on a tile's side.
const TILE_PX: f64 = 256.0;

impl Tiles {
    /// Checks the template and the attribution; the error says what to give.
    pub fn new(url: &str, attribution: &str) -> Result<Tiles, String> {
        let url = url.trim();
        let attribution = attribution.trim();
        let rest = url
            .strip_prefix("https://")
            .map(|r| ("https", r))
            .or_else(|| url.strip_prefix("http://").map(|r| ("http", r)));
        let Some((scheme, rest)) = rest else {
            return Err(format!(
                "--tiles {url}: a tile URL starts with https:// (e.g. https://tile.example.org/{{z}}/{{x}}/{{y}}.png)"
            ));
        };
        let host = rest.split('/').next().unwrap_or("");
        let host_ok = !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
        if !host_ok {
            return Err(format!("--tiles {url}: '{host}' is not a host name"));
        }
        if let Some(missing) = ["{z}", "{x}", "{y}"].into_iter().find(|p| !url.contains(p)) {
            return Err(format!(
                "--tiles {url}: the template needs {missing} (and {{z}}, {{x}}, {{y}} each)"
            ));
        }
        if attribution.is_empty() {
            return Err(
                "--tiles needs --tile-attribution: the text the tile server's licence asks to show (e.g. \"© OpenStreetMap contributors\")"
                    .into(),
            );
        }
        Ok(Tiles {
            url: url.to_string(),
            attribution: attribution.to_string(),
            origin: format!("{scheme}://{host}"),
        })
    }

    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    pub fn origin(&self) -> &str {
        &self.origin
    }

    fn url_of(&self, z: i32, x: i64, y: i64) -> String {
        self.url
            .replace("{z}", &z.to_string())
            .replace("{x}", &x.to_string())
            .replace("{y}", &y.to_string())
    }

    /// The tiles that cover a `width` × `height` drawing whose point
    /// `(ox + mx·scale, oy + my·scale)` is Web Mercator's `(mx, my)` (in
    /// units of the world's width): the zoom where a tile is about 256
    /// drawing units, and each tile's URL and rectangle `(x, y, side)`.
    pub fn covering(
        &self,
        ox: f64,
        oy: f64,
        scale: f64,
        width: f64,
        height: f64,
    ) -> Vec<(String, f64, f64, f64)> {
        if !(scale.is_finite() && scale > 0.0) {
            return Vec::new();
        }
        let z = ((scale / TILE_PX).log2().round() as i32).clamp(0, MAX_ZOOM);
        let n = 1i64 << z;
        let side = scale / n as f64;
        let range = |origin: f64, extent: f64| {
            let first = ((0.0 - origin) / side).floor() as i64;
            let last = ((extent - origin) / side).floor() as i64;
            (first.max(0), last.min(n - 1))
        };
        let (x0, x1) = range(ox, width);
        let (y0, y1) = range(oy, height);
        let mut out = Vec::new();
        for ty in y0..=y1 {
            for tx in x0..=x1 {
                out.push((
                    self.url_of(z, tx, ty),
                    ox + tx as f64 * side,
                    oy + ty as f64 * side,
                    side,
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn osm() -> Tiles {
        Tiles::new("https://tile.example.org/{z}/{x}/{y}.png", "© OSM").unwrap()
    }

    #[test]
    fn a_template_without_its_parts_or_an_attribution_is_refused_with_the_reason() {
        assert!(Tiles::new("tile.example.org/{z}/{x}/{y}.png", "a")
            .unwrap_err()
            .contains("https://"));
        assert!(Tiles::new("https://tile.example.org/{z}/{x}.png", "a")
            .unwrap_err()
            .contains("{y}"));
        assert!(Tiles::new("https://tile.example.org/{z}/{x}/{y}.png", " ")
            .unwrap_err()
            .contains("--tile-attribution"));
        assert!(Tiles::new("https://a b/{z}/{x}/{y}", "a").is_err());
        assert_eq!(osm().origin(), "https://tile.example.org");
    }

    #[test]
    fn the_tiles_cover_the_drawing_and_hold_the_points_they_are_under() {
        // A track around 46° N 7° E drawn 600 units across 5 km.
        let (mx, my) = (
            (7.0 + 180.0) / 360.0,
            (1.0 - (46f64.to_radians().tan() + 1.0 / 46f64.to_radians().cos()).ln()
                / std::f64::consts::PI)
                / 2.0,
        );
        let scale = 600.0 / (5000.0 / 40_075_016.0 / 46f64.to_radians().cos());
        let (ox, oy) = (320.0 - mx * scale, 210.0 - my * scale);
        let tiles = osm().covering(ox, oy, scale, 640.0, 420.0);
        assert!(!tiles.is_empty() && tiles.len() <= 30, "{}", tiles.len());
        let side = tiles[0].3;
        assert!((128.0..=512.0).contains(&side), "{side}");
        // The whole drawing is under some tile.
        for (px, py) in [(0.0, 0.0), (639.0, 419.0), (320.0, 210.0)] {
            assert!(tiles
                .iter()
                .any(|t| px >= t.1 && px < t.1 + t.3 && py >= t.2 && py < t.2 + t.3));
        }
        // The tile under the track's middle is the slippy-map tile of its point.
        let z = (scale / side).log2().round() as i32;
        let n = f64::from(1 << z);
        let want = osm().url_of(z, (mx * n).floor() as i64, (my * n).floor() as i64);
        let under = tiles
            .iter()
            .find(|t| 320.0 >= t.1 && 320.0 < t.1 + t.3 && 210.0 >= t.2 && 210.0 < t.2 + t.3)
            .unwrap();
        assert_eq!(under.0, want);
    }
}
