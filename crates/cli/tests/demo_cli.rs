//! `cairn demo` on a fresh machine: files written, imported, a tour printed;
//! a second run replaces the demo; a real archive is never overwritten.

mod common;

fn cairn(data: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    common::run(data, args)
}

#[test]
fn demo_imports_a_tour_and_never_touches_a_real_archive() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("demo");
    let (code, out, err) = cairn(&d, &["demo", "--years", "0.3", "--athletes", "3"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Imported") && out.contains("fitness"), "{out}");
    let (_, list, _) = cairn(&d, &["activities", "--json"]);
    let me: Vec<serde_json::Value> = serde_json::from_str(&list).unwrap();
    assert!(me.len() > 50, "{}", me.len());
    assert!(me.iter().all(|a| a["flags"].as_array().unwrap().is_empty()));
    let (_, hiker, _) = cairn(&d, &["--athlete", "hiker", "activities", "--json"]);
    let hiker: Vec<serde_json::Value> = serde_json::from_str(&hiker).unwrap();
    assert!(hiker.iter().any(|a| a["format"] == "gpx"));
    // Again: the previous demo is replaced, not added to.
    let (code, _, err) = cairn(&d, &["demo", "--years", "0.3"]);
    assert_eq!(code, 0, "{err}");
    let (_, list, _) = cairn(&d, &["activities", "--json"]);
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&list)
            .unwrap()
            .len(),
        me.len()
    );
    // A real archive is refused.
    let real = dir.path().join("real");
    let (code, _, _) = cairn(&real, &["profile", "set", "ftp", "250"]);
    assert_eq!(code, 0);
    let (code, _, err) = cairn(&real, &["demo", "--years", "0.2"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a demo"), "{err}");
}
