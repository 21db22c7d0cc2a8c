//! The dashboard in a real browser: Debian's Chromium driven over WebDriver
//! (chromedriver, fantoccini) against the real binary serving a demo
//! archive on 127.0.0.1. Every page is visited at a desktop and a phone
//! size and saved as a screenshot under `target/browser/`; the numbers
//! shown are checked against the CLI's `--json`; the charts answer the
//! cursor; files go in through the import page; no console error and no
//! request beyond 127.0.0.1 is allowed. `scripts/browser-setup` installs
//! the browser; with CI set a missing one fails instead of skipping.

mod common;

use common::{corpus, json, run, serve, Killed};
use fantoccini::actions::InputSource;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The two screen sizes every page is looked at in.
const SIZES: [(u32, u32); 2] = [(1280, 800), (390, 844)];

/// chromedriver and chromium, or `None` (a stated skip) when missing
/// outside CI.
fn browser() -> Option<(PathBuf, PathBuf)> {
    let find = |name: &str| {
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|p| p.join(name))
                .find(|p| p.is_file())
        })
    };
    match (find("chromedriver"), find("chromium")) {
        (Some(d), Some(c)) => Some((d, c)),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but chromium or chromedriver is missing: run scripts/browser-setup")
        }
        _ => {
            eprintln!(
                "SKIPPED: chromium and chromium-driver are not installed (scripts/browser-setup)"
            );
            None
        }
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// chromedriver on a free port, once it answers.
fn driver(path: &Path) -> (Killed, String) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    (Killed(child), format!("http://127.0.0.1:{port}"))
}

/// Chromium's log of one kind (`browser`: the console; `performance`: the
/// network), read through chromedriver's log endpoint.
#[derive(Debug)]
struct Log(&'static str);

impl fantoccini::wd::WebDriverCompatibleCommand for Log {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(format!("{{\"type\":\"{}\"}}", self.0)),
        )
    }
}

async fn log(c: &Client, kind: &'static str) -> Vec<Value> {
    match c.issue_cmd(Log(kind)).await.unwrap() {
        Value::Array(entries) => entries,
        other => panic!("the {kind} log is not a list: {other}"),
    }
}

/// Fails on any console error, and on any request to a host other than the
/// server's, since the last call.
async fn nothing_wrong(c: &Client, base: &str, page: &str) {
    let errors: Vec<String> = log(c, "browser")
        .await
        .into_iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].to_string())
        .collect();
    assert!(errors.is_empty(), "{page}: console errors {errors:?}");
    for entry in log(c, "performance").await {
        let message: Value =
            serde_json::from_str(entry["message"].as_str().unwrap_or("{}")).unwrap();
        if message["message"]["method"] != "Network.requestWillBeSent" {
            continue;
        }
        let url = message["message"]["params"]["request"]["url"]
            .as_str()
            .unwrap_or("");
        assert!(
            url.starts_with(base) || url.starts_with("data:") || url.starts_with("blob:"),
            "{page}: a request left 127.0.0.1: {url}"
        );
    }
}

/// Screenshots of the current page at both sizes, back at desktop size after.
/// The page `c` shows, saved at 1280×800 by `c` and at 390×844 by
/// `phone`, a session emulating a phone's screen (a desktop window cannot
/// be made narrower than about 500 px, so a resized one would lay the page
/// out wider than a phone). On the phone nothing may run off the screen:
/// wide tables scroll inside themselves, the page does not.
async fn screenshots(c: &Client, phone: &Client, name: &str) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/browser");
    std::fs::create_dir_all(&dir).unwrap();
    let (w, h) = SIZES[0];
    let png = c.screenshot().await.unwrap();
    assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
    std::fs::write(dir.join(format!("{name}-{w}x{h}.png")), png).unwrap();
    let url = c.current_url().await.unwrap();
    // A URL differing from the phone's only by its fragment would just
    // scroll the page the phone already shows: load it afresh.
    if url.fragment().is_some() {
        phone.goto("about:blank").await.unwrap();
    }
    phone.goto(url.as_str()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(800)).await;
    let widths = phone
        .execute(
            "return [document.documentElement.clientWidth, document.documentElement.scrollWidth];",
            vec![],
        )
        .await
        .unwrap();
    let (w, h) = SIZES[1];
    assert_eq!(
        widths,
        serde_json::json!([w, w]),
        "{name}: on a {w}-px phone the page is [screen, content] wide"
    );
    let png = phone.screenshot().await.unwrap();
    std::fs::write(dir.join(format!("{name}-{w}x{h}.png")), png).unwrap();
}

/// The text of the first element `css` finds, once there is one; found
/// again if the page replaced it meanwhile (a navigation, an htmx swap).
async fn text(c: &Client, css: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = c
            .wait()
            .at_most(Duration::from_secs(10))
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"));
        match found.text().await {
            Ok(t) => return t,
            Err(e) if Instant::now() < deadline => {
                eprintln!("{css}: {e}; looking again");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("{css}: {e}"),
        }
    }
}

fn km(m: f64) -> String {
    format!("{:.2} km", m / 1000.0)
}

fn clock(s: f64) -> String {
    let s = s.round() as i64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// A zip of two simulated sessions, as an export would hold them.
fn zip_of_two(dir: &Path) -> PathBuf {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let path = dir.join("export.zip");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    for (i, day) in [20_420, 20_421].into_iter().enumerate() {
        let a = common::session_on(
            day,
            cairn_core::model::Sport::Run,
            cairn_core::sim::history::Terrain::Rolling,
            25.0,
            40 + i as u64,
        );
        z.start_file(format!("activities/{i}.fit"), SimpleFileOptions::default())
            .unwrap();
        z.write_all(&cairn_core::encode::fit::encode(&a)).unwrap();
    }
    z.finish().unwrap();
    path
}

/// Uploads `file` through the import page's file input and waits for its
/// job's last line.
async fn upload(c: &Client, base: &str, file: &Path) -> String {
    c.goto(&format!("{base}/import")).await.unwrap();
    let input = c.find(Locator::Id("files")).await.unwrap();
    // chromedriver takes only a canonical path.
    let path = file.canonicalize().unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    let name = file.file_name().unwrap().to_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let shown = c
            .find(Locator::Id("jobs"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        if shown.contains(&format!("{name}: imported"))
            || shown.contains(&format!("{name}: failed"))
        {
            return shown;
        }
        assert!(Instant::now() < deadline, "{name} never finished: {shown}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_in_chromium_shows_what_the_cli_says() {
    let Some((chromedriver, chromium)) = browser() else {
        return;
    };
    let Some(corpus) = corpus() else {
        return;
    };
    let data = tempfile::tempdir().unwrap();
    let work = tempfile::tempdir().unwrap();
    let d = data.path();
    let today = "2026-11-20";
    let (code, _, err) = run(d, &["--today", "2026-12-01", "demo", "--years", "1"]);
    assert_eq!(code, 0, "{err}");
    // The newest run, named as an attacker would name a file's activity.
    let runs = json(
        d,
        &["activities", "--sport", "run", "--to", today, "--json"],
    );
    let run_id = runs.as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap();
    let (code, _, err) = run(
        d,
        &[
            "edit",
            &run_id.to_string(),
            "--name",
            "<script>alert(1)</script>",
        ],
    );
    assert_eq!(code, 0, "{err}");
    // A goal, so there is a plan to show (and on the calendar).
    let (code, _, err) = run(
        d,
        &[
            "--today",
            "2026-11-01",
            "goal",
            "add",
            "--kind",
            "race",
            "--date",
            "2027-01-31",
            "--distance",
            "10km",
        ],
    );
    assert_eq!(code, 0, "{err}");
    let shown = json(d, &["show", &run_id.to_string(), "--json"]);
    let form = json(d, &["--today", today, "form", "--days", "1", "--json"]);
    let ready = json(d, &["--today", today, "ready", "--json"]);
    let week = json(
        d,
        &[
            "--today",
            today,
            "summary",
            "--by",
            "week",
            "--from",
            "2026-11-02",
            "--to",
            "2026-11-08",
            "--json",
        ],
    );

    let (_server, base) = serve(d, &["--today", today], &[]);
    let (_driver, webdriver) = driver(&chromedriver);
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,800", "--hide-scrollbars"],
        }),
    );
    caps.insert(
        "goog:loggingPrefs".into(),
        serde_json::json!({ "browser": "ALL", "performance": "ALL" }),
    );
    let c = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&webdriver)
        .await
        .expect("a Chromium session through chromedriver");
    let mut phone_caps = serde_json::Map::new();
    phone_caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"],
            "mobileEmulation": { "deviceMetrics": { "width": SIZES[1].0, "height": SIZES[1].1, "pixelRatio": 1.0 } },
        }),
    );
    let phone = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(phone_caps)
        .connect(&webdriver)
        .await
        .expect("a second Chromium session, as a phone");

    // Calendar: November's first full week, its totals as `summary` sums them.
    // Records: every family's table, each best linked to its activity.
    c.goto(&format!("{base}/records")).await.unwrap();
    let cell = text(&c, "table.records[data-family=run] td.all-time").await;
    assert!(!cell.is_empty());
    nothing_wrong(&c, &base, "records").await;
    screenshots(&c, &phone, "records").await;
    // Curves: this year's against last year's, on one chart.
    c.goto(&format!("{base}/curves?kind=hr&sport=all"))
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#curve-chart .u-over"))
        .await
        .expect("uPlot drew the curves");
    assert!(!text(&c, "table.curve").await.is_empty());
    nothing_wrong(&c, &base, "curves").await;
    screenshots(&c, &phone, "curves").await;
    // Compare: spring against autumn, with the verdict in words.
    c.goto(&format!(
        "{base}/compare?sport=run&a_from=2026-03-01&a_to=2026-05-31&b_from=2026-08-01&b_to=2026-10-31"
    ))
    .await
    .unwrap();
    let verdict = text(&c, ".conclusion").await;
    assert!(verdict.contains("Pace"), "{verdict}");
    nothing_wrong(&c, &base, "compare").await;
    screenshots(&c, &phone, "compare").await;
    // Altitude and heat.
    c.goto(&format!("{base}/environment")).await.unwrap();
    let page = text(&c, "#environment").await;
    assert!(page.contains("Haemoglobin mass today"), "{page}");
    nothing_wrong(&c, &base, "environment").await;
    screenshots(&c, &phone, "environment").await;
    // Predictions: the races, then a corpus GPX as a planned route.
    c.goto(&format!("{base}/predict")).await.unwrap();
    assert!(text(&c, "body").await.contains("Races"));
    let gpx = corpus.join("gpx/Mojstrovka.gpx").canonicalize().unwrap();
    c.find(Locator::Id("route-file"))
        .await
        .unwrap()
        .send_keys(gpx.to_str().unwrap())
        .await
        .unwrap();
    let legs = text(&c, "#route-result table.legs").await;
    assert!(legs.contains("Tobler"), "{legs}");
    nothing_wrong(&c, &base, "predict").await;
    screenshots(&c, &phone, "predict").await;
    // The plan: this week's sessions with the rule behind each.
    c.goto(&format!("{base}/plan")).await.unwrap();
    let sessions = text(&c, "table.sessions").await;
    assert!(sessions.contains("why"), "{sessions}");
    // Its readiness panel says what `cairn ready` says, a row per demand.
    let verdict = text(&c, "#readiness p.verdict").await;
    assert_eq!(verdict, ready["verdict"].as_str().unwrap());
    let rows = c
        .find_all(Locator::Css("table.readiness tr"))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1 + ready["demands"].as_array().unwrap().len());
    nothing_wrong(&c, &base, "plan").await;
    screenshots(&c, &phone, "plan").await;
    // The profile: every threshold with where it comes from, as the CLI.
    let profile = json(d, &["--today", today, "profile", "show", "--json"]);
    c.goto(&format!("{base}/profile")).await.unwrap();
    let table = text(&c, "table.profile").await;
    for row in profile["today"].as_array().unwrap() {
        assert!(table.contains(row["key"].as_str().unwrap()), "{table}");
    }
    nothing_wrong(&c, &base, "profile").await;
    screenshots(&c, &phone, "profile").await;
    // The log, newest first: its first row is the newest run.
    c.goto(&format!("{base}/activities?sport=run"))
        .await
        .unwrap();
    let first = text(&c, "table.log tr:nth-child(2) td:first-child").await;
    assert!(!first.is_empty());
    nothing_wrong(&c, &base, "activities").await;
    screenshots(&c, &phone, "activities").await;
    c.goto(&format!("{base}/?month=2026-11")).await.unwrap();
    let total = text(&c, "tr[data-week='2026-11-02'] td.total").await;
    let sports = week["periods"][0]["sports"].as_array().unwrap();
    let sessions: u64 = sports.iter().map(|s| s["sessions"].as_u64().unwrap()).sum();
    let distance: f64 = sports
        .iter()
        .map(|s| s["distance_m"].as_f64().unwrap())
        .sum();
    assert!(
        total.starts_with(&format!("{sessions} session")),
        "{total} vs {sessions}"
    );
    assert!(total.contains(&km(distance)), "{total} vs {}", km(distance));
    // The attack's name is text in the calendar, never a script.
    let names: Vec<String> = {
        let mut out = Vec::new();
        for e in c.find_all(Locator::Css(".session .name")).await.unwrap() {
            out.push(e.text().await.unwrap());
        }
        out
    };
    assert!(
        names.iter().any(|n| n == "<script>alert(1)</script>"),
        "{names:?}"
    );
    assert!(c.get_alert_text().await.is_err(), "a script ran");
    nothing_wrong(&c, &base, "calendar").await;
    screenshots(&c, &phone, "calendar").await;
    // Previous month swaps the calendar in place and the address follows.
    c.find(Locator::Css("a[href='/?month=2026-10']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(
            "//h2[@class='month' and text()='October 2026']",
        ))
        .await
        .expect("the calendar moved to October");
    assert!(c
        .current_url()
        .await
        .unwrap()
        .as_str()
        .ends_with("/?month=2026-10"));
    // The week view of the same week shows the same totals.
    c.goto(&format!("{base}/week?day=2026-11-04"))
        .await
        .unwrap();
    let week_total = text(&c, "tr[data-week='2026-11-02'] td.total").await;
    assert_eq!(week_total, total);
    nothing_wrong(&c, &base, "week").await;
    screenshots(&c, &phone, "week").await;
    c.goto(&format!("{base}/?month=2026-11")).await.unwrap();

    // Click through to the run.
    c.find(Locator::Css(&format!("a[href='/activity/{run_id}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = text(&c, "h2").await;
    assert_eq!(heading, "<script>alert(1)</script>");
    assert!(c.get_alert_text().await.is_err(), "a script ran");
    let numbers = text(&c, "table.numbers").await;
    let summary = &shown;
    assert!(
        numbers.contains(&km(summary["distance_m"].as_f64().unwrap())),
        "{numbers}"
    );
    assert!(
        numbers.contains(&clock(summary["moving_s"].as_f64().unwrap())),
        "{numbers}"
    );
    // The charts are drawn; the cursor over one moves the map's marker and
    // fills every chart's legend (one cursor for all).
    let chart = c
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#charts .chart .u-over"))
        .await
        .expect("uPlot drew the charts");
    let charts = c.find_all(Locator::Css("#charts .chart")).await.unwrap();
    assert!(charts.len() >= 4, "{} charts", charts.len());
    let marker_before = c
        .find(Locator::Id("marker"))
        .await
        .unwrap()
        .attr("cx")
        .await
        .unwrap();
    let hover = fantoccini::actions::MouseActions::new("mouse".into()).then(
        fantoccini::actions::PointerAction::MoveToElement {
            element: chart.clone(),
            duration: Some(Duration::from_millis(100)),
            // From the plot's centre: a third of the way in.
            x: -100.0,
            y: 0.0,
        },
    );
    c.perform_actions(hover).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let marker_after = c
        .find(Locator::Id("marker"))
        .await
        .unwrap()
        .attr("cx")
        .await
        .unwrap();
    assert_ne!(
        marker_before, marker_after,
        "the map's marker did not follow the cursor"
    );
    let legends = c
        .find_all(Locator::Css("#charts .u-legend .u-value"))
        .await
        .unwrap();
    let mut filled = 0;
    for l in &legends {
        if l.text().await.unwrap().trim() != "-" {
            filled += 1;
        }
    }
    assert!(
        filled >= charts.len(),
        "{filled} of {} legends follow the cursor",
        legends.len()
    );
    // The curves beside the all-time ones.
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#curves .chart .u-over"))
        .await
        .expect("the curves are drawn");
    // Against time as well as distance.
    c.find(Locator::Css("button[data-axis=time]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text(&c, "#charts .chart .u-over").await;
    nothing_wrong(&c, &base, "activity").await;
    screenshots(&c, &phone, "activity").await;

    // Fitness: today's fitness and form as `form` prints them.
    c.goto(&format!("{base}/fitness")).await.unwrap();
    let page = text(&c, "body").await;
    let aerobic = form
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["dimension"] == "aerobic" && s["sport"].is_null())
        .unwrap();
    let last = aerobic["points"].as_array().unwrap().last().unwrap();
    let fitness = format!("fitness {:.0}", last["fitness"].as_f64().unwrap());
    assert!(page.contains(&fitness), "{fitness} not on the fitness page");
    let form_text = format!(
        "form {}",
        cairn_app::units::signed(last["form"].as_f64().unwrap(), 0)
    );
    assert!(
        page.contains(&form_text),
        "{form_text} not on the fitness page"
    );
    c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("#fitness .fitness-chart .u-over"))
        .await
        .expect("uPlot drew the fitness charts");
    nothing_wrong(&c, &base, "fitness").await;
    screenshots(&c, &phone, "fitness").await;

    // Import: a corpus FIT file, then a zip, each appears in the list.
    let before = json(d, &["activities", "--json"]).as_array().unwrap().len();
    let fit = std::fs::read_dir(corpus.join("fit"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "fit"))
                .min()
        })
        .ok()
        .flatten()
        .expect("a FIT file in the corpus");
    let shown = upload(&c, &base, &fit).await;
    assert!(shown.contains("imported 1 activity from 1 file"), "{shown}");
    screenshots(&c, &phone, "import").await;
    let zip = zip_of_two(work.path());
    let shown = upload(&c, &base, &zip).await;
    assert!(
        shown.contains("export.zip: imported 2 activities"),
        "{shown}"
    );
    nothing_wrong(&c, &base, "import").await;

    // A threshold set on the profile page: every load is recomputed at once
    // with a progress bar, and the CLI sees the value and the new loads.
    c.goto(&format!("{base}/profile")).await.unwrap();
    c.find(Locator::Css(
        "form.profile select[name=key] option[value=lthr_run]",
    ))
    .await
    .unwrap()
    .click()
    .await
    .unwrap();
    c.find(Locator::Css("form.profile input[name=value]"))
        .await
        .unwrap()
        .send_keys("171")
        .await
        .unwrap();
    c.find(Locator::Css("form.profile button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let done = text(&c, "#recompute.done").await;
    assert!(done.contains("up to date"), "{done}");
    let profile = json(d, &["--today", today, "profile", "show", "--json"]);
    let lthr = profile["today"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "lthr_run")
        .unwrap();
    assert_eq!(lthr["value"], 171.0, "{lthr}");
    nothing_wrong(&c, &base, "profile after a change").await;
    screenshots(&c, &phone, "profile-recomputed").await;
    // The settings: weeks from Sunday, in miles, on every page after.
    for (name, value) in [("week_start", "sunday"), ("units", "imperial")] {
        c.find(Locator::Css(&format!(
            "form.settings select[name={name}] option[value={value}]"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    }
    c.find(Locator::Css("form.settings button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Saved once the archive says so (the page reloads meanwhile).
    let deadline = Instant::now() + Duration::from_secs(10);
    while json(d, &["settings", "--json"])["week_start"] != "sunday" {
        assert!(Instant::now() < deadline, "the settings were not saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    text(&c, "form.settings").await;
    nothing_wrong(&c, &base, "settings").await;
    screenshots(&c, &phone, "profile-settings").await;
    c.goto(&format!("{base}/")).await.unwrap();
    let first_day = text(&c, "table.calendar thead th").await;
    assert_eq!(first_day, "Sun");
    assert!(text(&c, "table.calendar tbody").await.contains(" mi"));
    nothing_wrong(&c, &base, "calendar from Sunday").await;
    screenshots(&c, &phone, "calendar-sunday-imperial").await;
    c.close().await.unwrap();
    phone.close().await.unwrap();
    let after = json(d, &["activities", "--json"]).as_array().unwrap().len();
    assert_eq!(after, before + 3);
}
