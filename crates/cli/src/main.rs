//! The `cairn` command line.
#![recursion_limit = "256"]

#[macro_use]
mod output;
mod analysis;
mod chart;
mod commands;
mod corrections;
mod environment;
mod gear;
mod integrity;
mod plan;
mod serve_config;
mod summary;
mod sync;
mod training;
mod units;
mod zones;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;
use units::Units;

/// The version, the commit it was built from and the JSON schema's version.
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("CAIRN_COMMIT"),
    ", JSON schema ",
    "2",
    ")"
);

/// cairn: training log, load model and planner for runners, hikers and cyclists.
#[derive(Parser, Debug)]
#[command(
    name = "cairn",
    version = VERSION,
    about = "cairn: training log, load model and planner for athletes who run, hike and ride",
    after_help = "Data lives in --data-dir, $CAIRN_DATA_DIR, or the platform data directory (~/.local/share/cairn on Linux)."
)]
pub struct Cli {
    /// Where cairn keeps its database and original files.
    #[arg(long, global = true, env = "CAIRN_DATA_DIR", value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Which athlete's archive to use (one data directory can hold several).
    #[arg(long, global = true, env = "CAIRN_ATHLETE", default_value = "me")]
    athlete: String,
    /// Start a new athlete named by --athlete (without it, a name the archive does not hold is refused).
    #[arg(long, global = true)]
    create: bool,
    /// Units for display (JSON output is always SI); without it, the archive's setting (`cairn settings --units`, metric unless set).
    #[arg(long, global = true, value_enum)]
    units: Option<Units>,
    /// Treat this date (YYYY-MM-DD) as today in every command that depends on today (form, warnings, plans, predictions, the demo…).
    #[arg(long, global = true, env = "CAIRN_TODAY", value_name = "DATE")]
    today: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Generate years of realistic training as FIT, GPX and TCX files, import them and show a tour.
    Demo {
        /// Years of history, ending today.
        #[arg(long, default_value_t = 2.0)]
        years: f64,
        /// How many athletes: 1 road runner (imported as "me"), 2 adds the hiker, 3 the cyclist.
        #[arg(long, default_value_t = 1)]
        athletes: usize,
        /// Random seed: the same seed and dates give byte-identical files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Where to write the files (default: DATA_DIR/files).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Only write the files; do not import them.
        #[arg(long)]
        no_import: bool,
        /// Replace a demo archive you have added to or corrected since (it is kept otherwise).
        #[arg(long)]
        replace: bool,
        /// Then serve the dashboard on http://127.0.0.1:8080/ (Ctrl-C stops).
        #[arg(long, conflicts_with = "no_import")]
        serve: bool,
    },
    /// Import FIT, GPX and TCX files (also .gz), folders and .zip exports (Garmin, Strava).
    Import {
        /// Files, folders, .gz files and .zip exports to import.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Check the database and every original file in the archive, and say what to do.
    Verify {
        /// Print the findings as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Derive the whole database again from the archived originals (the old one is kept).
    Rebuild {
        /// Replace the database even if some originals cannot be imported
        /// (missing or damaged): their activities are then lost.
        #[arg(long)]
        accept_loss: bool,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// List activities.
    Activities {
        /// Only this sport or family: run (every run), ride (every ride), swim, hike, walk, or one sport such as trail_run.
        #[arg(long)]
        sport: Option<String>,
        /// From this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// To this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: Option<String>,
        /// Only the deleted activities (cairn restore ID brings one back).
        #[arg(long)]
        deleted: bool,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Log a session that has no file: cairn add strength --duration 40min --rpe 6; cairn add hike --duration 5h --distance 14 --ascent 1100 --pack 9
    Add {
        /// The sport, e.g. strength, hike, run, ride (cairn add --help lists them in the error if wrong).
        sport: String,
        /// How long it lasted: 40min, 1h30, 5h.
        #[arg(long)]
        duration: String,
        /// The local date, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
        /// The local start time, HH:MM (default: now minus the duration today, else 12:00).
        #[arg(long)]
        start: Option<String>,
        /// Distance: 14 (km, or mi under --units imperial), 14km, 8.7mi.
        #[arg(long)]
        distance: Option<String>,
        /// Ascent: 1100 (m, or ft under --units imperial), 1100m, 3600ft.
        #[arg(long)]
        ascent: Option<String>,
        /// Descent, as --ascent (unknown when not given).
        #[arg(long)]
        descent: Option<String>,
        /// Average heart rate, bpm.
        #[arg(long)]
        hr: Option<f64>,
        /// Effort on the CR-10 scale, 0–10.
        #[arg(long)]
        rpe: Option<f64>,
        /// Pack carried: 9 (kg, or lb under --units imperial), 9kg, 20lb.
        #[arg(long)]
        pack: Option<String>,
        /// A name for the session.
        #[arg(long)]
        name: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Delete an activity from every list and total; its original and your notes stay (cairn restore ID undoes it).
    Delete {
        /// The activity's id (`cairn activities` lists them).
        id: i64,
    },
    /// Bring a deleted activity back (cairn activities --deleted lists them).
    Restore {
        /// The deleted activity's id.
        id: i64,
    },
    /// Cut a recording that held two sessions (the watch kept recording the ride as a run): cairn split ID --at 10:32 --sport ride; --undo puts it back together.
    Split {
        /// The activity's id (any part, with --undo).
        id: i64,
        /// Local time of the cut on the activity's day, HH:MM[:SS] (or YYYY-MM-DDTHH:MM).
        #[arg(long, value_name = "TIME", conflicts_with_all = ["after", "undo"])]
        at: Option<String>,
        /// The cut as time from the start, e.g. 45min, 1h05 or 90s.
        #[arg(long, value_name = "DURATION", conflicts_with = "undo")]
        after: Option<String>,
        /// The sport of the part after the cut (default: the activity's).
        #[arg(long)]
        sport: Option<String>,
        /// Put a split recording back together.
        #[arg(long)]
        undo: bool,
    },
    /// Merge two copies of one session: KEEP counts and takes OTHER's name, note, rating and pack where it has none; OTHER is deleted (restorable).
    Merge {
        /// The copy that stays and counts.
        keep: i64,
        /// The copy that goes (cairn restore OTHER undoes the merge's deletion).
        other: i64,
    },
    /// Totals per week, month or year and sport, with fitness and form at each period's end.
    Summary {
        /// week, month or year.
        #[arg(long, default_value = "week")]
        by: String,
        /// Only this sport or family (run, ride, swim, hike, walk, trail_run, …).
        #[arg(long)]
        sport: Option<String>,
        /// First day counted (YYYY-MM-DD); default: 12 weeks or months back, or the first activity.
        #[arg(long)]
        from: Option<String>,
        /// Last day counted (YYYY-MM-DD); today by default.
        #[arg(long)]
        to: Option<String>,
        /// The first day of the week (mon … sun), remembered; Monday unless chosen.
        #[arg(long, value_name = "DAY")]
        week_start: Option<String>,
        /// Also the time in each heart-rate, power and pace zone per period.
        #[arg(long)]
        zones: bool,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// The archive's settings (units, week-start, smoothing); `cairn settings units imperial` sets one.
    Settings {
        /// The setting to change: units (metric, imperial), week-start (mon … sun), smoothing (exponential, inverse, ewma).
        #[arg(requires = "value")]
        name: Option<String>,
        /// Its new value.
        value: Option<String>,
        /// Print the settings as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// The athletes in this archive and how many activities each has.
    Athletes {
        /// Print the list as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Shell completions: cairn completions bash > /etc/bash_completion.d/cairn (bash, zsh, fish, elvish, powershell).
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// The manual page (roff): cairn man > cairn.1
    Man,
    /// Show one activity: summary, laps and splits.
    Show {
        /// The activity's id (`cairn activities` lists them).
        id: i64,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Correct an activity or log its conditions (the file's own values are kept).
    Edit {
        /// The activity's id (`cairn activities` lists them).
        id: i64,
        /// The right sport, e.g. hike.
        #[arg(long)]
        sport: Option<String>,
        /// Air temperature during the session, °C, or °F under --units imperial (replaces the device's reading).
        #[arg(long, allow_negative_numbers = true)]
        temp: Option<f64>,
        /// Dew point during the session, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        dew_point: Option<f64>,
        /// Your own name for it ("" goes back to the file's name).
        #[arg(long)]
        name: Option<String>,
        /// Your note on it ("" removes it).
        #[arg(long)]
        note: Option<String>,
    },
    /// Make this copy the one that counts, among probable duplicates.
    Primary {
        /// The activity's id (`cairn activities` lists them).
        id: i64,
    },
    /// List planned routes (GPX routes, TCX courses).
    Courses {
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Best efforts found inside activities: all time, by year and by season.
    Records {
        /// Only run (distances), ride (power) or climb (ascent, vertical, descent).
        #[arg(long)]
        sport: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Mean-maximal curve: the best power, pace, graded pace, heart rate or vertical speed for each duration.
    Curve {
        /// power, pace, gap (grade-adjusted pace), hr or vertical.
        #[arg(long, default_value = "power")]
        kind: String,
        /// run, ride, hike or all (default: ride for power, run for pace and gap, all otherwise).
        #[arg(long)]
        sport: Option<String>,
        /// From this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// To this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
        /// Also write an SVG chart to FILE.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
    },
    /// Compare two periods of one sport, with 95 % intervals and what else differed.
    Compare {
        /// run, ride or hike.
        #[arg(long, default_value = "run")]
        sport: String,
        /// First period, FROM..TO (YYYY-MM-DD..YYYY-MM-DD).
        #[arg(long)]
        a: String,
        /// Second period, FROM..TO.
        #[arg(long)]
        b: String,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Predict race times from recent best efforts, or a hiking time for a route (GPX, TCX, FIT).
    Predict {
        /// A planned route; without it, race times are predicted.
        route: Option<PathBuf>,
        /// Race distances (repeatable): 5k, 10k, half, marathon, 15km, 10mi…
        #[arg(long)]
        distance: Vec<String>,
        /// Use efforts from this many days up to --to.
        #[arg(long, default_value_t = 180)]
        days: i32,
        /// Last day of evidence (YYYY-MM-DD); today by default.
        #[arg(long)]
        to: Option<String>,
        /// Race altitude, e.g. 1800m.
        #[arg(long)]
        altitude: Option<String>,
        /// Expected race temperature, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        temp: Option<f64>,
        /// Expected dew point, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        dew_point: Option<f64>,
        /// Expected relative humidity, % (instead of the dew point).
        #[arg(long)]
        humidity: Option<f64>,
        /// Pack for the route, e.g. 10kg (default: the profile's pack_mass).
        #[arg(long)]
        pack: Option<String>,
        /// Leg length for route splits (default: 1 km, or 1 mi under imperial).
        #[arg(long)]
        leg: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Altitude exposure by day, hypoxic dose and the haemoglobin-mass course.
    Altitude {
        /// Days shown, ending today.
        #[arg(long, default_value_t = 60)]
        days: i32,
        /// Project to this date (YYYY-MM-DD), counting planned stays.
        #[arg(long)]
        until: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Sessions in heat and the heat-acclimatisation state.
    Heat {
        /// Days of sessions shown, ending today, in the text and the JSON
        /// (the course starts on the first of them).
        #[arg(long, default_value_t = cairn_app::environment::HEAT_DAYS)]
        days: i32,
        /// Project to this date (YYYY-MM-DD) without more heat.
        #[arg(long)]
        until: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Stays at altitude: most of a trip is not recorded as activities.
    Stay {
        #[command(subcommand)]
        action: StayAction,
    },
    /// Weather for sessions: a CSV of date, place, temp_c, dew_point_c or humidity_pct.
    Weather {
        #[command(subcommand)]
        action: WeatherAction,
    },
    /// What altitude and heat do to a pace or a race time.
    Adjust {
        /// A pace, e.g. 5:20/km (held for --distance, or for one hour).
        #[arg(long)]
        pace: Option<String>,
        /// A race time, e.g. 1:52:00 (with --distance).
        #[arg(long)]
        time: Option<String>,
        /// The distance the pace is held for, or the race time is for: 10k, half, 21.1km…
        #[arg(long)]
        distance: Option<String>,
        /// Where it will be run.
        #[arg(long, default_value = "0")]
        altitude: String,
        /// Air temperature there, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        temp: Option<f64>,
        /// Dew point there, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        dew_point: Option<f64>,
        /// Relative humidity there, % (instead of the dew point).
        #[arg(long)]
        humidity: Option<f64>,
        /// Where it was run (default sea level, cool).
        #[arg(long, default_value = "0")]
        from_altitude: String,
        /// Air temperature where it was run, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        from_temp: Option<f64>,
        /// Dew point where it was run, °C (°F under --units imperial).
        #[arg(long, allow_negative_numbers = true)]
        from_dew_point: Option<f64>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// The athlete's profile: thresholds dated over time, with estimates.
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
    /// Rate a session's effort on the CR-10 scale, and/or the pack carried.
    Rate {
        /// The activity's id (`cairn activities` lists them).
        id: i64,
        /// Session RPE, 0 (rest) to 10 (maximal).
        #[arg(long)]
        rpe: Option<f64>,
        /// Pack carried, e.g. 9kg.
        #[arg(long)]
        pack: Option<String>,
    },
    /// Aerobic and mechanical load of every activity, with the source used.
    Load {
        /// From this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        from: Option<String>,
        /// To this local date (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// How one activity's load was computed: source, formula, inputs, paper.
    Explain {
        /// The activity's id (`cairn activities` lists them).
        id: i64,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Fitness, fatigue and form per dimension (aerobic, mechanical) and sport.
    Form {
        /// Days to show, ending today.
        #[arg(long, default_value_t = 90)]
        days: usize,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
        /// Also write an SVG chart to FILE.
        #[arg(long, value_name = "FILE")]
        svg: Option<PathBuf>,
        /// Smoothing constant, remembered: exponential (1−e^(−1/N), default), inverse (1/N), ewma (2/(N+1)).
        #[arg(long)]
        smoothing: Option<String>,
        /// Last day shown (YYYY-MM-DD); today by default.
        #[arg(long)]
        to: Option<String>,
    },
    /// Plain-word warnings about the last week's load, with their numbers.
    Warnings {
        /// The week ending on this day (YYYY-MM-DD); today by default.
        #[arg(long)]
        to: Option<String>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Am I ready for the goal? Each demand of the active goal against the last 8 weeks, with the evidence, the gap and what the plan does about it.
    Ready {
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Goals: cairn goal add --kind trek --date 2027-04-20 [--distance --ascent --max-altitude --pack …]
    Goal {
        #[command(subcommand)]
        action: GoalAction,
    },
    /// Import what is new on a watch or bike computer plugged in as a drive (Garmin, Wahoo) and in your sync folders
    Sync {
        /// Keep watching: import each new file as it arrives, one line per activity (Ctrl-C stops).
        #[arg(long, conflicts_with_all = ["add", "remove", "list", "json"])]
        watch: bool,
        /// Sync this folder from now on, e.g. a Dropbox or Syncthing folder a phone app writes to.
        #[arg(long, value_name = "DIR", conflicts_with = "remove")]
        add: Option<PathBuf>,
        /// Stop syncing this folder (what came from it stays).
        #[arg(long, value_name = "DIR")]
        remove: Option<PathBuf>,
        /// List the devices found and the sync folders; import nothing.
        #[arg(long)]
        list: bool,
        /// Where drives are mounted (repeatable); by default /media/$USER, /run/media/$USER, /media, /mnt, /Volumes and gvfs's MTP mounts.
        #[arg(long, value_name = "DIR")]
        mounts: Vec<PathBuf>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// The web dashboard and JSON API on this machine: cairn serve [--listen 127.0.0.1:8080]
    Serve {
        /// Address to listen on (default 127.0.0.1:8080); loopback only until accounts exist (port 0 picks a free one).
        #[arg(long, env = "CAIRN_LISTEN")]
        listen: Option<String>,
        /// Draw activity maps over tiles from this server, a URL template
        /// with {z}, {x} and {y} (nothing is fetched from outside this
        /// machine without it)
        #[arg(long, env = "CAIRN_TILES", requires = "tile_attribution")]
        tiles: Option<String>,
        /// The attribution the tile server's licence asks to show, e.g. "© OpenStreetMap contributors"
        #[arg(long, env = "CAIRN_TILE_ATTRIBUTION", requires = "tiles")]
        tile_attribution: Option<String>,
        /// Serve an archive in this PostgreSQL database (postgres://user:password@host/db, or libpq's host=… dbname=…) instead of the SQLite one in the data directory; originals stay in the data directory.
        #[arg(long, env = "CAIRN_DATABASE", value_name = "URL")]
        database: Option<String>,
        /// A TOML file with data_dir, database, listen, units and [tiles] url and attribution (default: serve.toml in the platform config directory, ~/.config/cairn on Linux, when it exists); flags and CAIRN_… variables win over it.
        #[arg(long, env = "CAIRN_CONFIG", value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print the configuration in force, with where each value came from, and stop.
        #[arg(long)]
        print_config: bool,
    },
    /// Shoes and bikes: cairn gear add|list|assign|unassign|retire|default
    Gear {
        #[command(subcommand)]
        action: GearAction,
    },
    /// The training plan: show, adapt, edit, export, rules.
    Plan {
        #[command(subcommand)]
        action: PlanAction,
    },
    /// Log how a day felt: cairn log --date 2026-11-21 --fatigue 4 --soreness 3 --sleep 2 [--ill] [--note …]
    Log {
        /// The day (default: today).
        #[arg(long)]
        date: Option<String>,
        /// 1 fresh … 5 exhausted.
        #[arg(long)]
        fatigue: Option<u8>,
        /// 1 none … 5 severe.
        #[arg(long)]
        soreness: Option<u8>,
        /// 1 poor … 5 excellent.
        #[arg(long)]
        sleep: Option<u8>,
        /// Ill that day: the next week holds.
        #[arg(long)]
        ill: bool,
        /// A note for the day.
        #[arg(long)]
        note: Option<String>,
    },
    /// How long a hike on the same gradient matches a trail run's aerobic load.
    Equivalent {
        /// Duration of the run, e.g. 60min or 1h15.
        duration: String,
        /// The activity to compare (trail-run or run).
        activity: String,
        /// Gradient of the rolling course, e.g. 10%.
        #[arg(long, default_value = "10%")]
        grade: String,
        /// Pack for the hike, e.g. 10kg.
        #[arg(long, default_value = "0kg")]
        pack: String,
        /// The run's graded effort as a fraction of threshold.
        #[arg(long, default_value_t = 0.75)]
        intensity: f64,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ProfileAction {
    /// Every threshold in force today and where it comes from.
    Show {
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Set a value (max_hr, resting_hr, lthr_run, lthr_ride, ftp, threshold_pace, body_mass, sex, birth_year, pack_mass).
    Set {
        /// What to set: max_hr, resting_hr, lthr_run, lthr_ride, ftp, threshold_pace, body_mass, sex, birth_year, pack_mass.
        key: String,
        /// The value, e.g. 185, 4:30/km, 68kg, female.
        value: String,
        /// In force from this date (YYYY-MM-DD); without it, since always.
        #[arg(long)]
        from: Option<String>,
    },
    /// Your own heart-rate zones: cairn profile zones 140,147,155,163 [--bike] [--from DATE]; "friel" goes back to Friel's zones on LTHR.
    Zones {
        /// Upper edge of each zone but the top one, in bpm, increasing (or "friel").
        edges: String,
        /// For rides (without it: on foot, for runs, hikes and the rest).
        #[arg(long)]
        bike: bool,
        /// In force from this date (YYYY-MM-DD); without it, since always.
        #[arg(long)]
        from: Option<String>,
    },
}

/// `cairn goal add`: what is not given is inferred from history.
#[derive(clap::Args, Debug)]
pub struct GoalAdd {
    /// What the goal is: trek, hike, race or ride.
    #[arg(long, value_parser = ["trek", "hike", "race", "ride"])]
    kind: String,
    /// The goal's date, YYYY-MM-DD.
    #[arg(long)]
    date: String,
    /// e.g. 21.1km, half, 120km.
    #[arg(long)]
    distance: Option<String>,
    /// e.g. 1200m.
    #[arg(long)]
    ascent: Option<String>,
    /// e.g. 5400m.
    #[arg(long)]
    max_altitude: Option<String>,
    /// Pack for the long hikes, e.g. 9kg (trek and hike goals).
    #[arg(long)]
    pack: Option<String>,
    /// Days the goal lasts, e.g. 12 for a twelve-day trek (default 1).
    #[arg(long)]
    days: Option<u32>,
    /// The race time aimed at, e.g. 1:52:00 (race goals).
    #[arg(long)]
    target: Option<String>,
    /// Training days a week, 2–7 (default: from the last 8 weeks).
    #[arg(long)]
    days_per_week: Option<u8>,
    /// mon … sun (default sat).
    #[arg(long)]
    long_day: Option<String>,
    /// beginner, intermediate or advanced (default: from current fitness).
    #[arg(long, value_parser = ["beginner", "intermediate", "advanced"])]
    level: Option<String>,
    /// yes or no (default: from the runs of the last 90 days).
    #[arg(long, value_parser = ["yes", "no"])]
    runner: Option<String>,
    /// A non-runner's choice: walking, stairs and cycling instead of running.
    #[arg(long)]
    no_running: bool,
    /// Cap on week-to-week load growth, 10–30 % (default 10 %).
    #[arg(long)]
    growth_cap: Option<String>,
    /// Print the goal and its plan as JSON on stdout.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum GoalAction {
    /// Add a goal and make its plan the active one (an earlier plan is kept).
    Add(Box<GoalAdd>),
    /// Every goal and its plan, newest first.
    List {
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Set a goal aside: its plan stops being active (nothing is deleted; cairn goal activate ID brings it back).
    Remove {
        /// The goal's id (`cairn goal list` lists them).
        id: i64,
    },
    /// Make an earlier goal's plan the active one again.
    Activate {
        /// The goal's id (`cairn goal list` lists them).
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
enum GearAction {
    /// Register shoes, a bike or other gear.
    Add {
        /// What you call it, e.g. "Speedgoat 5" (a name Strava's export uses claims those sessions).
        name: String,
        /// shoes, bike or other.
        #[arg(long, value_parser = ["shoes", "bike", "other"])]
        kind: String,
        /// Sports or families it is the default for, comma-separated, e.g. run,hike.
        #[arg(long, value_name = "SPORTS")]
        default: Option<String>,
        /// Distance at which to retire it, e.g. 700km or 450mi; a warning comes at 90 %.
        #[arg(long, value_name = "DISTANCE")]
        retire_at: Option<String>,
        /// First day in use (YYYY-MM-DD): as a default it counts from then.
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// Distance it had carried before cairn's records, e.g. 120km.
        #[arg(long, value_name = "DISTANCE")]
        used: Option<String>,
    },
    /// Every piece of gear with its sessions, distance, time and ascent.
    List {
        /// Retired gear too.
        #[arg(long)]
        all: bool,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Count activities on this gear, whatever the file or the default says ("none": on no gear).
    Assign {
        /// The gear's name, or none.
        name: String,
        /// The activities' ids (`cairn activities` lists them).
        #[arg(required = true)]
        activities: Vec<i64>,
    },
    /// Forget your choice for activities: the file's gear or the default applies again.
    Unassign {
        /// The activities' ids.
        #[arg(required = true)]
        activities: Vec<i64>,
    },
    /// Retire gear: sessions after that day no longer count on it by default.
    Retire {
        /// The gear's name.
        name: String,
        /// The last day in use (YYYY-MM-DD); today by default.
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// Bring retired gear back into use.
        #[arg(long, conflicts_with = "on")]
        undo: bool,
    },
    /// Make gear the default for sports or families (none given: for none).
    Default {
        /// The gear's name.
        name: String,
        /// e.g. run trail_run, or foot.
        sports: Vec<String>,
    },
}

#[derive(Subcommand, Debug)]
enum PlanAction {
    /// The weeks, planned against done; one week in detail.
    Show {
        /// The week to show in detail (default: this week).
        #[arg(long)]
        week: Option<u32>,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Rewrite the coming weeks from what was done, the feel log and the warnings.
    Adapt {
        /// Show the changes without making them.
        #[arg(long)]
        dry_run: bool,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Change a day of the plan yourself; adaptation will never change it back.
    Edit {
        /// The day, YYYY-MM-DD.
        date: String,
        /// run, trail_run, hike, walk, stairs, ride, strength, mobility.
        #[arg(long)]
        sport: Option<String>,
        /// easy, long, recovery, tempo, intervals, hill_repeats, run_walk, strength, mobility.
        #[arg(long = "type")]
        kind: Option<String>,
        /// e.g. 45min, 1h30.
        #[arg(long)]
        duration: Option<String>,
        /// Make the day a rest day.
        #[arg(long)]
        rest: bool,
    },
    /// Write the plan as a calendar, watch workouts or Markdown.
    Export {
        /// iCalendar file for any calendar app.
        #[arg(long, value_name = "FILE")]
        ics: Option<PathBuf>,
        /// One FIT workout per coming session, for a Garmin watch.
        #[arg(long, value_name = "DIR")]
        fit_workouts: Option<PathBuf>,
        /// The whole plan for printing.
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
    },
    /// Every rule plans are built from, with its evidence.
    Rules {
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
enum StayAction {
    /// Log a stay: cairn stay add --from 2026-06-02 --to 2026-06-16 --altitude 2335 [--sleep-altitude 3400] [--note Arequipa]
    Add {
        /// First day of the stay (YYYY-MM-DD).
        #[arg(long)]
        from: String,
        /// Last day of the stay (YYYY-MM-DD), inclusive.
        #[arg(long)]
        to: String,
        /// Where the days are spent, e.g. 2335 or 2335m.
        #[arg(long)]
        altitude: String,
        /// Where the nights are spent, if different.
        #[arg(long)]
        sleep_altitude: Option<String>,
        /// A note, e.g. the place.
        #[arg(long)]
        note: Option<String>,
    },
    /// Every stay logged.
    List {
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
    /// Remove a stay.
    Remove {
        /// The stay's id (`cairn stay list` shows them).
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
enum WeatherAction {
    /// Import a weather CSV; every row is checked before any is kept.
    Import {
        /// The CSV file: date, place, temp_c, and dew_point_c or humidity_pct.
        file: PathBuf,
        /// Print the result as JSON on stdout (the schema: docs/json.md).
        #[arg(long)]
        json: bool,
    },
}

fn data_dir(cli: &Cli) -> PathBuf {
    cli.data_dir
        .clone()
        .or_else(|| dirs::data_dir().map(|d| d.join("cairn")))
        .unwrap_or_else(|| PathBuf::from(".cairn"))
}

/// The demo never writes into the real archive: without --data-dir it uses
/// its own directory beside it.
fn demo_data_dir(cli: &Cli) -> PathBuf {
    cli.data_dir
        .clone()
        .or_else(|| dirs::data_dir().map(|d| d.join("cairn-demo")))
        .unwrap_or_else(|| PathBuf::from(".cairn-demo"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(&cli) {
        Ok(code) => code,
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            anstream::eprintln!("{} {e:#}", output::paint(output::BAD, "cairn:"));
            match e.downcast_ref::<cairn_app::AppError>() {
                Some(cairn_app::AppError::Invalid(_) | cairn_app::AppError::NotFound(_))
                | Some(cairn_app::AppError::Store(
                    cairn_store::StoreError::NoSuchActivity(_)
                    | cairn_store::StoreError::GearNameTaken(_),
                )) => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_version_names_the_json_schema_in_force() {
        assert!(super::VERSION.contains(&format!("JSON schema {}", cairn_app::JSON_SCHEMA)));
    }

    #[test]
    fn every_flag_and_argument_has_help() {
        use clap::CommandFactory;
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if a.get_help().is_none() && !matches!(id, "help" | "version") {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                if sub.get_about().is_none() {
                    missing.push(format!("{path} {}", sub.get_name()));
                }
                walk(sub, &format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::Cli::command(), "cairn", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:#?}");
    }
}
