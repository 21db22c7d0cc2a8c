//! End-to-end: stays, weather, heat, altitude, adjustments, curves,
//! comparisons and route predictions on real corpus files, and bad input.

mod common;

use common::{corpus, json, refused, run};

#[test]
fn stays_weather_heat_and_altitude() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run(d, &["import", corpus.join("fit").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    // Stays: one logged; overlaps, reversed dates and absurd altitudes refused.
    let (code, out, err) = run(
        d,
        &[
            "stay",
            "add",
            "--from",
            "2026-06-02",
            "--to",
            "2026-06-16",
            "--altitude",
            "2335",
            "--sleep-altitude",
            "3400",
            "--note",
            "Arequipa",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("15 days"), "{out}");
    refused(
        d,
        &[
            "stay",
            "add",
            "--from",
            "2026-06-10",
            "--to",
            "2026-06-20",
            "--altitude",
            "2000",
        ],
        "overlaps stay 1",
    );
    refused(
        d,
        &[
            "stay",
            "add",
            "--from",
            "2026-07-10",
            "--to",
            "2026-07-01",
            "--altitude",
            "2000",
        ],
        "ends",
    );
    refused(
        d,
        &[
            "stay",
            "add",
            "--from",
            "2026-08-01",
            "--to",
            "2026-08-02",
            "--altitude",
            "12000",
        ],
        "altitude",
    );
    refused(d, &["stay", "remove", "9"], "no stay 9");
    assert_eq!(
        json(d, &["stay", "list", "--json"])
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Altitude: the stay's days are 24 h, 8 of them at the sleeping altitude;
    // the Suunto trail run (968 → 2,782 m) is exposure on its day.
    let alt = json(d, &["altitude", "--json"]);
    let days = alt["days"].as_array().unwrap();
    let june3 = days
        .iter()
        .find(|x| x["day"] == "2026-06-03")
        .expect("2026-06-03");
    let seconds: f64 = june3["band_s"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_f64().unwrap())
        .sum();
    assert!((seconds - 86_400.0).abs() < 1e-3);
    assert!((june3["dose_km_h"].as_f64().unwrap() - (16.0 * 2.335 + 8.0 * 3.4)).abs() < 1e-3);
    let suunto = days
        .iter()
        .find(|x| x["day"] == "2019-09-14")
        .expect("2019-09-14");
    assert!(suunto["high_s"].as_f64().unwrap() > 1800.0, "{suunto}");
    assert!((suunto["max_altitude_m"].as_f64().unwrap() - 2782.2).abs() < 1e-6);
    let peak = alt["hbmass"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[1].as_f64().unwrap())
        .fold(0.0, f64::max);
    // 15 days × 24 h at ≥ 2000 m = 360 h → +3.96 %.
    assert!((peak - 3.96).abs() < 0.01, "{peak}");

    // Weather: every row checked before any is kept; bad rows name the line.
    let bad = d.join("bad.csv");
    std::fs::write(
        &bad,
        "date,place,temp_c,dew_point_c\n2019-09-14,Alps,31,20\n2019-09-15,Alps,75,10\n",
    )
    .unwrap();
    refused(
        d,
        &["weather", "import", bad.to_str().unwrap()],
        "line 3: temperature 75",
    );
    let heat = json(d, &["heat", "--json", "--days", "100000"]);
    assert!(heat["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["source"] != "weather"));
    let good = d.join("weather.csv");
    std::fs::write(
        &good,
        "date,place,temp_c,humidity_pct\n2019-09-14,Alps,31,55\n2031-01-01,Home,10,80\n",
    )
    .unwrap();
    let (code, out, err) = run(d, &["weather", "import", good.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("2 weather rows") && out.contains("2031-01-01"),
        "{out}"
    );
    // The JSON lists what the text does: the last 30 days unless asked.
    let recent = json(d, &["heat", "--json"]);
    assert!(recent["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["day"].as_str().unwrap() > "2019-12-31"));
    assert!(recent["acclimatisation_today"].is_number());
    let heat = json(d, &["heat", "--json", "--days", "100000"]);
    let hot = heat["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["day"] == "2019-09-14")
        .unwrap();
    assert_eq!(hot["source"], "weather");
    assert_eq!(hot["in_heat"], true);
    assert!(heat["acclimatisation"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[1].as_f64().unwrap() > 0.2));

    // A logged temperature wins over weather and the device; nonsense is refused.
    let id = hot["id"].as_i64().unwrap().to_string();
    refused(d, &["edit", &id, "--temp", "75"], "outside");
    refused(
        d,
        &["edit", &id, "--temp", "20", "--dew-point", "25"],
        "above the air temperature",
    );
    let (code, _, err) = run(d, &["edit", &id, "--temp", "12", "--dew-point", "5"]);
    assert_eq!(code, 0, "{err}");
    let heat = json(d, &["heat", "--json", "--days", "100000"]);
    let s = heat["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["day"] == "2019-09-14")
        .unwrap();
    assert_eq!(
        (s["source"].as_str(), s["in_heat"].as_bool()),
        (Some("logged"), Some(false))
    );
}

#[test]
fn adjust_for_altitude_and_heat() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let args = [
        "adjust",
        "--time",
        "1:52:00",
        "--distance",
        "half",
        "--altitude",
        "1800",
        "--temp",
        "26",
        "--dew-point",
        "18",
        "--json",
    ];
    let r = json(d, &args);
    let alt = r["altitude_time_s"].as_f64().unwrap();
    assert!(alt > 6720.0 * 1.06 && alt < 6720.0 * 1.0945, "{alt}");
    assert!((r["low_s"].as_f64().unwrap() / alt - 1.03).abs() < 1e-9);
    assert!((r["high_s"].as_f64().unwrap() / alt - 1.045).abs() < 1e-9);
    let (code, out, _) = run(d, &["adjust", "--pace", "5:20/km", "--altitude", "1800"]);
    assert_eq!(code, 0);
    assert!(out.contains("at 1800 m"), "{out}");
    refused(d, &["adjust", "--pace", "5:20"], "pace like 5:20/km");
    refused(
        d,
        &["adjust", "--time", "1:52:00"],
        "--time needs --distance",
    );
    refused(
        d,
        &["adjust", "--pace", "5:20/km", "--temp", "70"],
        "outside −60…60",
    );
    refused(
        d,
        &[
            "adjust",
            "--pace",
            "5:20/km",
            "--temp",
            "20",
            "--humidity",
            "140",
        ],
        "humidity",
    );
}

#[test]
fn curves_comparisons_and_route_predictions() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (code, _, err) = run(d, &["import", corpus.join("fit").to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    // Curves: each point names its activity; vertical starts at 5 minutes.
    let power = json(d, &["curve", "--kind", "power", "--json"]);
    let points = power.as_array().unwrap();
    assert!(points.len() > 10);
    assert!(points.iter().all(|p| p["activity_id"].as_i64().is_some()));
    let vertical = json(d, &["curve", "--kind", "vertical", "--json"]);
    assert!(vertical
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["duration_s"].as_u64().unwrap() >= 300));
    let svg = d.join("curve.svg");
    let (code, _, err) = run(
        d,
        &["curve", "--kind", "hr", "--svg", svg.to_str().unwrap()],
    );
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let none = json(
        d,
        &["curve", "--kind", "pace", "--from", "2030-01-01", "--json"],
    );
    assert!(none.as_array().unwrap().is_empty());
    refused(
        d,
        &["curve", "--kind", "speed"],
        "one of power, pace, gap, hr, vertical",
    );

    // Comparisons say plainly when there is too little data.
    let (code, out, err) = run(
        d,
        &[
            "compare",
            "--sport",
            "run",
            "--a",
            "2015-01-01..2018-12-31",
            "--b",
            "2019-01-01..2024-12-31",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("do not differ by more than their session-to-session spread"),
        "{out}"
    );
    let (code, out, err) = run(
        d,
        &[
            "compare",
            "--sport",
            "run",
            "--a",
            "2015-01-01..2018-12-31",
            "--b",
            "2025-01-01..2025-12-31",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("cannot support a conclusion"), "{out}");
    refused(
        d,
        &[
            "compare",
            "--a",
            "2019-01-01",
            "--b",
            "2020-01-01..2020-02-01",
        ],
        "FROM..TO",
    );

    // Routes: splits that add up, next to Tobler and Naismith.
    let route = corpus.join("gpx/Mojstrovka.gpx");
    let r = json(
        d,
        &[
            "predict",
            route.to_str().unwrap(),
            "--pack",
            "8kg",
            "--json",
        ],
    );
    let legs = r["legs"].as_array().unwrap();
    let sum = |k: &str| legs.iter().map(|l| l[k].as_f64().unwrap()).sum::<f64>();
    assert!((sum("tobler_s") - r["tobler_s"].as_f64().unwrap()).abs() < 1e-3);
    assert!((sum("naismith_s") - r["naismith_s"].as_f64().unwrap()).abs() < 1e-3);
    assert!(r["ascent_m"].as_f64().unwrap() > 300.0, "{}", r["ascent_m"]);
    // The corpus's one long walk (20 km, 500 m of ascent) is enough for a model.
    assert_eq!(r["hikes_used"], 1);
    assert!(
        r["model"]["segments"].as_u64().unwrap() >= 50,
        "{}",
        r["model"]
    );
    assert!((sum("personal_s") - r["personal_s"].as_f64().unwrap()).abs() < 1e-3);
    refused(
        d,
        &["predict", route.to_str().unwrap(), "--pack", "70kg"],
        "outside 0–60 kg",
    );
    let flat = corpus.join("gpx/route.gpx");
    refused(d, &["predict", flat.to_str().unwrap()], "elevation");
}
