//! Compliance (planned against done) and adaptation: the plan's coming
//! weeks rewritten from what was done, how it felt and the load warnings.
//! Every change names its rule and its evidence; sessions the athlete edited
//! are never touched; an event already acted on is not acted on again.

use super::generate::{quality_duration, support_the_key_session};
use super::rules::{check_all, Rule, SPIKE_RATIO, TAPER_SHARE};
use super::session::{duration_text, Change, Kind, Plan, PlannedSession, Progression, Week};
use super::zones::Zone;
use crate::load::session::day_text;
use crate::model::Sport;
use serde::{Deserialize, Serialize};

/// A recorded activity, as adaptation sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DoneSession {
    pub activity_id: i64,
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub sport: Sport,
    pub duration_s: f64,
    /// Aerobic load on cairn's common scale, when known.
    pub load: Option<f64>,
}

/// How the athlete felt on a day (1–5 each; sleep 5 = slept well).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Feel {
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    pub fatigue: Option<u8>,
    pub soreness: Option<u8>,
    pub sleep: Option<u8>,
    pub ill: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Done,
    Partial,
    Missed,
    Upcoming,
    Rest,
}

impl Status {
    pub fn id(self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Partial => "partial",
            Status::Missed => "missed",
            Status::Upcoming => "upcoming",
            Status::Rest => "rest",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionCompliance {
    #[serde(with = "crate::time::json::day")]
    pub day: i32,
    /// Index of the session in its week.
    pub index: usize,
    pub status: Status,
    pub planned_s: f64,
    pub planned_load: f64,
    pub actual_s: f64,
    pub actual_load: Option<f64>,
    pub activities: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekCompliance {
    pub number: u32,
    pub planned_load: f64,
    /// Planned load of the days already past.
    pub planned_load_so_far: f64,
    pub actual_load: f64,
    pub sessions: Vec<SessionCompliance>,
    /// Activities on plan days that matched no session.
    pub extra: Vec<i64>,
}

impl WeekCompliance {
    /// Share of the past sessions done (partial counts half).
    pub fn session_compliance(&self) -> Option<f64> {
        let past: Vec<_> = self
            .sessions
            .iter()
            .filter(|s| matches!(s.status, Status::Done | Status::Partial | Status::Missed))
            .collect();
        if past.is_empty() {
            return None;
        }
        let score: f64 = past
            .iter()
            .map(|s| match s.status {
                Status::Done => 1.0,
                Status::Partial => 0.5,
                _ => 0.0,
            })
            .sum();
        Some(score / past.len() as f64)
    }
}

/// A session counts as done at 80 % of its planned time.
pub const DONE_SHARE: f64 = 0.8;

fn counts(s: &PlannedSession) -> bool {
    !matches!(s.kind, Kind::Rest | Kind::Goal | Kind::Mobility)
}

/// Planned against done, week by week. Activities match a session of the
/// same sport family on the same day.
pub fn compliance(plan: &Plan, done: &[DoneSession], today: i32) -> Vec<WeekCompliance> {
    plan.weeks
        .iter()
        .map(|w| {
            let mut used = vec![false; done.len()];
            let mut sessions = Vec::new();
            for (index, s) in w.sessions.iter().enumerate() {
                if !counts(s) {
                    sessions.push(SessionCompliance {
                        day: s.day,
                        index,
                        status: Status::Rest,
                        planned_s: 0.0,
                        planned_load: 0.0,
                        actual_s: 0.0,
                        actual_load: None,
                        activities: Vec::new(),
                    });
                    continue;
                }
                let mut actual_s = 0.0;
                let mut actual_load: Option<f64> = None;
                let mut activities = Vec::new();
                for (i, d) in done.iter().enumerate() {
                    if !used[i] && d.day == s.day && s.mode.matches(d.sport) {
                        used[i] = true;
                        actual_s += d.duration_s;
                        if let Some(l) = d.load {
                            *actual_load.get_or_insert(0.0) += l;
                        }
                        activities.push(d.activity_id);
                    }
                }
                let status = if !activities.is_empty() {
                    if actual_s >= DONE_SHARE * s.duration_s {
                        Status::Done
                    } else {
                        Status::Partial
                    }
                } else if s.day >= today {
                    Status::Upcoming
                } else {
                    Status::Missed
                };
                sessions.push(SessionCompliance {
                    day: s.day,
                    index,
                    status,
                    planned_s: s.duration_s,
                    planned_load: s.load,
                    actual_s,
                    actual_load,
                    activities,
                });
            }
            let in_week = |d: &DoneSession| d.day >= w.start_day && d.day < w.start_day + 7;
            let extra = done
                .iter()
                .enumerate()
                .filter(|(i, d)| !used[*i] && in_week(d))
                .map(|(_, d)| d.activity_id)
                .collect();
            WeekCompliance {
                number: w.number,
                planned_load: w.load(),
                // `+ 0.0`: an empty f64 sum is -0, shown as "-0".
                planned_load_so_far: w
                    .sessions
                    .iter()
                    .filter(|s| s.day < today)
                    .map(|s| s.load)
                    .sum::<f64>()
                    + 0.0,
                actual_load: done
                    .iter()
                    .filter(|d| in_week(d))
                    .filter_map(|d| d.load)
                    .sum::<f64>()
                    + 0.0,
                sessions,
                extra,
            }
        })
        .collect()
}

/// What adaptation reads besides the plan.
#[derive(Debug, Clone, Copy)]
pub struct Signals<'a> {
    pub today: i32,
    pub done: &'a [DoneSession],
    pub feel: &'a [Feel],
    /// Load warnings of the last seven days, in words.
    pub warnings: &'a [String],
}

/// A long session this much above its planned load was "harder than
/// planned" (seeds/003 "particularly hard"; the threshold is cairn's).
pub const HARDER_RATIO: f64 = 1.2;
/// Fatigue scores at or above this are "high"; three such days in a week
/// are persistent (seeds/002).
pub const HIGH_FATIGUE: u8 = 4;
pub const PERSISTENT_DAYS: usize = 3;

/// Rewrites the coming weeks. Returns the new plan and the changes made.
pub fn adapt(plan: &Plan, signals: &Signals) -> (Plan, Vec<Change>) {
    let mut a = Adapter {
        plan: plan.clone(),
        today: signals.today,
        changes: Vec::new(),
    };
    // Each step is kept only if the plan still keeps every rule it kept
    // before; otherwise it is undone and the athlete is told why.
    type Step = fn(&mut Adapter, &Signals);
    let steps: [(Rule, Step); 5] = [
        (Rule::ReflowKeySession, |a, s| {
            let status = compliance(&a.plan, s.done, s.today);
            a.reflow_missed_key(&status);
        }),
        (Rule::ScaleBackAfterHardLong, |a, s| {
            let status = compliance(&a.plan, s.done, s.today);
            a.scale_back_after_hard_long(&status, s);
        }),
        (Rule::IllnessHold, |a, s| a.hold_after_illness(s)),
        (Rule::FatigueCut, |a, s| a.cut_after_fatigue(s)),
        (Rule::WarningHold, |a, s| a.hold_after_warning(s)),
    ];
    let before = check_all(plan).len();
    for (rule, step) in steps {
        let (saved, saved_changes) = (a.plan.clone(), a.changes.len());
        step(&mut a, signals);
        a.keep_caps();
        let broken = check_all(&a.plan);
        if broken.len() > before {
            let handled = a.plan.handled.clone();
            a.plan = saved;
            a.plan.handled = handled;
            a.changes.truncate(saved_changes);
            let day = a.next_week().map_or(a.today, |w| a.plan.weeks[w].start_day);
            a.note(
                day,
                rule,
                "—".into(),
                "not applied".into(),
                format!(
                    "it would break {}: {}",
                    broken[0].rule.id(),
                    broken[0].message
                ),
            );
        }
    }
    let changes = compact(a.changes);
    a.plan.changes.extend(changes.iter().cloned());
    (a.plan, changes)
}

/// One line per session and rule: a session shortened twice for the same
/// reason shows its first and last length. In day order.
fn compact(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::with_capacity(changes.len());
    for c in changes {
        match out
            .iter_mut()
            .find(|o| o.day == c.day && o.rule == c.rule && o.after == c.before)
        {
            Some(o) => o.after = c.after,
            None => out.push(c),
        }
    }
    out.sort_by_key(|c| c.day);
    out
}

struct Adapter {
    plan: Plan,
    today: i32,
    changes: Vec<Change>,
}

impl Adapter {
    fn handled(&mut self, key: String) -> bool {
        if self.plan.handled.contains(&key) {
            return true;
        }
        self.plan.handled.push(key);
        false
    }

    fn note(&mut self, day: i32, rule: Rule, before: String, after: String, reason: String) {
        self.changes.push(Change {
            made_on: self.today,
            day,
            rule,
            before,
            after,
            reason,
        });
    }

    /// The first week that starts today or later.
    fn next_week(&self) -> Option<usize> {
        self.plan
            .weeks
            .iter()
            .position(|w| w.start_day >= self.today)
    }

    fn describe(s: &PlannedSession) -> String {
        if s.kind == Kind::Rest {
            return "rest".into();
        }
        format!("{} {}", s.summary(), duration_text(s.duration_s))
    }

    /// A missed key session moves to a free later day of its week, if one
    /// keeps the rules; otherwise the next long session does not grow.
    fn reflow_missed_key(&mut self, status: &[WeekCompliance]) {
        let mut missed: Vec<(usize, i32)> = Vec::new();
        for (wi, wc) in status.iter().enumerate() {
            for sc in &wc.sessions {
                let s = &self.plan.weeks[wi].sessions[sc.index];
                if sc.status == Status::Missed && s.key && s.counts() && s.day >= self.today - 7 {
                    missed.push((wi, sc.day));
                }
            }
        }
        for (wi, missed_day) in missed {
            {
                if self.handled(format!("missed:{missed_day}")) {
                    continue;
                }
                let week = &self.plan.weeks[wi];
                let end = week.start_day + 7;
                let hard_on = |d: i32| {
                    week.sessions
                        .iter()
                        .any(|x| x.day == d && x.kind.is_hard() && x.day != missed_day)
                };
                let candidate = (self.today.max(week.start_day)..end).find(|d| {
                    *d != self.plan.goal.day - 1
                        && *d < self.plan.goal.day
                        && !hard_on(*d - 1)
                        && !hard_on(*d)
                        && !hard_on(*d + 1)
                        && !self.plan.sessions().any(|x| x.day == *d + 1 && x.kind.is_hard())
                        // A free day: only rest or recovery planned, and not the athlete's.
                        && week.sessions.iter().filter(|x| x.day == *d).all(|x| x.kind.is_restful() && !x.edited)
                        // The week keeps a rest or recovery day besides d.
                        && (week.start_day..end).any(|r| {
                            r != *d && week.sessions.iter().filter(|x| x.day == r && x.day != missed_day).all(|x| x.kind.is_restful())
                        })
                });
                let Some(session) = self.plan.weeks[wi]
                    .sessions
                    .iter()
                    .find(|x| x.day == missed_day && x.key)
                    .cloned()
                else {
                    continue;
                };
                match candidate {
                    Some(d) => {
                        let week = &mut self.plan.weeks[wi];
                        let dropped: Vec<String> = week
                            .sessions
                            .iter()
                            .filter(|x| x.day == d && x.kind != Kind::Rest)
                            .map(Self::describe)
                            .collect();
                        week.sessions.retain(|x| x.day != d);
                        // The missed session stays as planned, marked as moved.
                        if let Some(orig) = week
                            .sessions
                            .iter_mut()
                            .find(|x| x.day == missed_day && x.key)
                        {
                            orig.key = false;
                            orig.moved_to = Some(d);
                        }
                        let mut moved = session.clone();
                        moved.day = d;
                        moved.rule = Rule::ReflowKeySession;
                        moved.reason = format!(
                            "moved from {} (missed): {}",
                            day_text(missed_day),
                            session.reason
                        );
                        week.sessions.push(moved);
                        week.sessions.sort_by_key(|x| x.day);
                        let before = if dropped.is_empty() {
                            "rest".to_string()
                        } else {
                            dropped.join(" + ")
                        };
                        self.note(
                            d,
                            Rule::ReflowKeySession,
                            before,
                            Self::describe(&session),
                            format!("the key session of {} was missed; {} is free and keeps the hard days apart", day_text(missed_day), day_text(d)),
                        );
                    }
                    None => {
                        let Some(next) = self.plan.weeks.get_mut(wi + 1) else {
                            continue;
                        };
                        if let Some(long) = next
                            .sessions
                            .iter_mut()
                            .find(|x| x.kind == Kind::Long && !x.edited)
                        {
                            if long.duration_s > session.duration_s {
                                let before = Self::describe(long);
                                long.duration_s = session.duration_s;
                                long.finish(&self.plan.zones);
                                let (day, after) = (long.day, Self::describe(long));
                                self.note(
                                    day,
                                    Rule::ReflowKeySession,
                                    before,
                                    after,
                                    format!("the key session of {} was missed and no day of that week could take it: the next long session holds at its length", day_text(missed_day)),
                                );
                                self.support(wi + 1);
                            }
                        }
                    }
                }
            }
        }
    }

    /// seeds/003: a long session much harder than planned scales back the
    /// next hard session within six days.
    fn scale_back_after_hard_long(&mut self, status: &[WeekCompliance], signals: &Signals) {
        for (wi, wc) in status.iter().enumerate() {
            for sc in &wc.sessions {
                let s = &self.plan.weeks[wi].sessions[sc.index];
                if s.kind != Kind::Long || s.day >= self.today || s.day < self.today - 7 {
                    continue;
                }
                if !matches!(sc.status, Status::Done | Status::Partial) {
                    continue;
                }
                let long_day = s.day;
                let ratio = sc.actual_load.filter(|_| s.load > 0.0).map(|l| l / s.load);
                let felt = signals.feel.iter().find(|f| {
                    (f.day == long_day || f.day == long_day + 1)
                        && (f.fatigue.unwrap_or(0) >= HIGH_FATIGUE
                            || f.soreness.unwrap_or(0) >= HIGH_FATIGUE)
                });
                let why = match (ratio, felt) {
                    (Some(r), _) if r >= HARDER_RATIO => format!(
                        "the long session of {} was {:.0} % harder than planned (load {:.0} against {:.0})",
                        day_text(long_day),
                        (r - 1.0) * 100.0,
                        sc.actual_load.unwrap_or(0.0),
                        s.load
                    ),
                    (_, Some(f)) => format!(
                        "the long session of {} left fatigue {} and soreness {} (of 5)",
                        day_text(long_day),
                        f.fatigue.unwrap_or(0),
                        f.soreness.unwrap_or(0)
                    ),
                    _ => continue,
                };
                if self.handled(format!("hard-long:{long_day}")) {
                    continue;
                }
                let today = self.today;
                let target = self
                    .plan
                    .weeks
                    .iter_mut()
                    .flat_map(|w| w.sessions.iter_mut())
                    .find(|x| {
                        x.day > long_day
                            && x.day <= long_day + 6
                            && x.day >= today
                            && x.kind.is_quality()
                    });
                let Some(t) = target else { continue };
                if t.edited {
                    continue;
                }
                let before = Self::describe(t);
                match t.reps.as_mut() {
                    Some(r) if r.count > 3 => {
                        r.count = ((r.count as f64) * 0.6).ceil().max(3.0) as u32;
                        let reps = *r;
                        t.duration_s = quality_duration(&reps);
                    }
                    _ => {
                        t.reps = None;
                        t.kind = Kind::Easy;
                        t.zone = Zone::Z2;
                        t.duration_s = t.duration_s.min(45.0 * 60.0);
                    }
                }
                t.rule = Rule::ScaleBackAfterHardLong;
                t.reason = format!("scaled back: {why}");
                t.finish(&self.plan.zones);
                let (day, after) = (t.day, Self::describe(t));
                self.note(day, Rule::ScaleBackAfterHardLong, before, after, why);
                if let Some(wi) = self
                    .plan
                    .weeks
                    .iter()
                    .position(|w| day >= w.start_day && day < w.start_day + 7)
                {
                    self.support(wi);
                }
            }
        }
    }

    fn recent_feel<'a>(&self, signals: &'a Signals) -> Vec<&'a Feel> {
        signals
            .feel
            .iter()
            .filter(|f| f.day >= self.today - 7 && f.day < self.today)
            .collect()
    }

    /// After illness the next week holds: no growth and no quality session.
    fn hold_after_illness(&mut self, signals: &Signals) {
        let ill: Vec<i32> = self
            .recent_feel(signals)
            .iter()
            .filter(|f| f.ill)
            .map(|f| f.day)
            .collect();
        let Some(&last_ill) = ill.iter().max() else {
            return;
        };
        let Some(ni) = self.next_week() else { return };
        if self.handled(format!("illness:{}", self.plan.weeks[ni].start_day)) {
            return;
        }
        let reason = format!("illness logged on {}", day_text(last_ill));
        let zones = self.plan.zones;
        let mut notes = Vec::new();
        for s in self.plan.weeks[ni]
            .sessions
            .iter_mut()
            .filter(|s| s.kind.is_quality() && !s.edited)
        {
            let before = Self::describe(s);
            s.reps = None;
            s.kind = Kind::Easy;
            s.zone = Zone::Z2;
            s.duration_s = s.duration_s.min(45.0 * 60.0);
            s.rule = Rule::IllnessHold;
            s.reason = format!("easy instead of efforts: {reason}");
            s.finish(&zones);
            notes.push((s.day, before, Self::describe(s)));
        }
        for (day, before, after) in notes {
            self.note(day, Rule::IllnessHold, before, after, reason.clone());
        }
        let limit = if ni > 0 {
            self.plan.weeks[ni - 1].load()
        } else {
            self.plan.weeks[ni].load()
        };
        self.scale_week(
            ni,
            limit,
            Rule::IllnessHold,
            &format!("{reason}: no growth on the week before"),
        );
        self.mark_reduced(ni);
    }

    /// A loading week lowered by adaptation is a one-week dip: the weeks
    /// after resume from the last full loading week.
    fn mark_reduced(&mut self, wi: usize) {
        let day = self.plan.weeks[wi].start_day;
        let changed = self.changes.iter().any(|c| c.day >= day && c.day < day + 7);
        let w = &mut self.plan.weeks[wi];
        if changed && w.is_loading() {
            w.progression = Progression::Reduced;
        }
    }

    /// seeds/002: persistent fatigue cuts the next week's load by 5–10 %,
    /// more the higher the scores.
    fn cut_after_fatigue(&mut self, signals: &Signals) {
        let scores: Vec<u8> = self
            .recent_feel(signals)
            .iter()
            .filter_map(|f| f.fatigue)
            .collect();
        let high = scores.iter().filter(|x| **x >= HIGH_FATIGUE).count();
        if high < PERSISTENT_DAYS {
            return;
        }
        let Some(ni) = self.next_week() else { return };
        if self.handled(format!("fatigue:{}", self.plan.weeks[ni].start_day)) {
            return;
        }
        let mean = scores.iter().map(|x| *x as f64).sum::<f64>() / scores.len() as f64;
        let cut = fatigue_cut(mean);
        let target = self.plan.weeks[ni].load() * (1.0 - cut);
        let reason = format!(
            "fatigue scored {} on {high} of the last 7 days (mean {mean:.1}): next week's load cut by {:.1} %",
            HIGH_FATIGUE,
            cut * 100.0
        );
        self.scale_week(ni, target, Rule::FatigueCut, &reason);
        self.mark_reduced(ni);
    }

    /// A load warning holds the next week at this week's planned load.
    fn hold_after_warning(&mut self, signals: &Signals) {
        if signals.warnings.is_empty() {
            return;
        }
        let Some(ni) = self.next_week() else { return };
        if ni == 0 || self.handled(format!("warning:{}", self.plan.weeks[ni].start_day)) {
            return;
        }
        let limit = self.plan.weeks[ni - 1].load();
        let reason = format!("load warning: {}", signals.warnings.join("; "));
        self.scale_week(ni, limit, Rule::WarningHold, &reason);
        self.mark_reduced(ni);
    }

    /// Scales the week's editable easy and long sessions so its load is at
    /// most `target`; lists each session changed.
    fn scale_week(&mut self, wi: usize, target: f64, rule: Rule, reason: &str) {
        let zones = self.plan.zones;
        let week = &self.plan.weeks[wi];
        if week.load() <= target + 1e-6 {
            return;
        }
        let can_scale = |s: &PlannedSession| scalable(s, self.today);
        let fixed: f64 = week
            .sessions
            .iter()
            .filter(|s| !can_scale(s))
            .map(|s| s.load)
            .sum();
        let original: Vec<PlannedSession> = week.sessions.clone();
        // Load is increasing in duration: bisect the common factor.
        let load_at = |f: f64| -> f64 {
            fixed
                + original
                    .iter()
                    .filter(|s| can_scale(s))
                    .map(|s| {
                        let mut c = s.clone();
                        c.duration_s = (s.duration_s * f / 60.0).round() * 60.0;
                        c.finish(&zones);
                        c.load
                    })
                    .sum::<f64>()
        };
        let (mut lo, mut hi) = (0.0, 1.0);
        for _ in 0..40 {
            let mid = (lo + hi) / 2.0;
            if load_at(mid) <= target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let factor = lo;
        let mut notes = Vec::new();
        let today = self.today;
        for s in self.plan.weeks[wi].sessions.iter_mut() {
            if !scalable(s, today) {
                continue;
            }
            let before = Self::describe(s);
            let d = (s.duration_s * factor / 60.0).round() * 60.0;
            if (d - s.duration_s).abs() < 1.0 {
                continue;
            }
            s.duration_s = d;
            s.finish(&zones);
            notes.push((s.day, before, Self::describe(s)));
        }
        for (day, before, after) in notes {
            self.note(day, rule, before, after, reason.to_string());
        }
        self.support(wi);
    }

    /// After shortening, no easy session outlasts the key session (the
    /// generator's rule, with what adaptation may not change held fixed).
    fn support(&mut self, wi: usize) {
        let zones = self.plan.zones;
        let today = self.today;
        let week = &mut self.plan.weeks[wi];
        support_the_key_session(&mut week.sessions, |s| !scalable(s, today));
        for s in week.sessions.iter_mut() {
            s.finish(&zones);
        }
    }

    /// After cuts, the later weeks keep the growth cap, the spike guard,
    /// "volume or intensity", lighter recovery weeks and the taper against
    /// the new, lower weeks.
    fn keep_caps(&mut self) {
        let cap = 1.0 + self.plan.goal.growth_cap;
        for i in 1..self.plan.weeks.len() {
            if self.plan.weeks[i].start_day + 6 < self.today {
                continue;
            }
            let reference = self.plan.weeks[..i].iter().rposition(|w| w.is_loading());
            let prev = self.plan.weeks[i - 1].load();
            let w = &self.plan.weeks[i];
            let mut limit = SPIKE_RATIO * prev;
            if let Some(r) = reference {
                let rl = self.plan.weeks[r].load();
                limit = limit.min(if w.is_loading() { cap * rl } else { rl });
            }
            if w.is_taper() {
                let peak = self
                    .plan
                    .weeks
                    .iter()
                    .filter(|w| w.is_loading())
                    .map(Week::load)
                    .fold(0.0, f64::max);
                limit = limit.min(TAPER_SHARE * peak);
            }
            if self.plan.weeks[i].load() > limit + 1e-6 {
                self.scale_week(
                    i,
                    limit,
                    Rule::LoadGrowthCap,
                    "kept within the growth cap after the change to an earlier week",
                );
            }
            if let Some(r) = reference {
                let (rv, ri) = (
                    self.plan.weeks[r].volume_s(),
                    self.plan.weeks[r].intensity(),
                );
                let w = &self.plan.weeks[i];
                let over = (w.is_loading() && w.volume_s() > rv + 1.0 && w.intensity() > ri + 1e-6)
                    || (w.is_recovery() && w.volume_s() > 0.9 * rv);
                if over {
                    let want = if w.is_recovery() { 0.9 * rv } else { rv };
                    self.scale_volume(i, want);
                }
            }
        }
    }

    /// Scales easy and long sessions until the week's volume is at most `volume_s`.
    fn scale_volume(&mut self, wi: usize, volume_s: f64) {
        let zones = self.plan.zones;
        let today = self.today;
        let week = &self.plan.weeks[wi];
        let can_scale = |s: &PlannedSession| scalable(s, today);
        let fixed: f64 = week
            .planned()
            .filter(|s| !can_scale(s))
            .map(|s| s.volume_s())
            .sum();
        let movable: f64 = week
            .planned()
            .filter(|s| can_scale(s))
            .map(|s| s.volume_s())
            .sum();
        if movable <= 0.0 {
            return;
        }
        let factor = ((volume_s - fixed) / movable).clamp(0.0, 1.0);
        let mut notes = Vec::new();
        for s in self.plan.weeks[wi].sessions.iter_mut() {
            if !scalable(s, today) {
                continue;
            }
            let before = Self::describe(s);
            s.duration_s = (s.duration_s * factor / 60.0).floor() * 60.0;
            s.finish(&zones);
            notes.push((s.day, before, Self::describe(s)));
        }
        for (day, before, after) in notes {
            if before != after {
                self.note(
                    day,
                    Rule::DistanceOrIntensity,
                    before,
                    after,
                    "volume held: this week already progresses intensity".into(),
                );
            }
        }
        self.support(wi);
    }
}

/// Sessions adaptation may shorten: coming easy, long and recovery sessions
/// that the athlete did not edit and that are not the transition's fixed runs.
fn scalable(s: &PlannedSession, today: i32) -> bool {
    !s.edited
        && s.counts()
        && s.day >= today
        && s.rule != Rule::RunnerTransition
        && matches!(s.kind, Kind::Easy | Kind::Long | Kind::Recovery)
}

/// The cut after persistent fatigue: 5 % at a mean score of 4, rising to
/// 10 % at 5 (seeds/002's 5–10 %; the mapping is cairn's).
pub fn fatigue_cut(mean_fatigue: f64) -> f64 {
    0.05 + 0.05 * (mean_fatigue - 4.0).clamp(0.0, 1.0)
}

/// The athlete's change to a day of the plan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edit {
    pub mode: Option<super::session::Mode>,
    pub kind: Option<Kind>,
    pub duration_s: Option<f64>,
    /// Make the day a rest day.
    pub rest: bool,
}

/// Applies the athlete's edit to the main session of `day` (the first that
/// is not strength or mobility), marks it as the athlete's, and returns
/// the rules the plan now breaks, for the athlete to see (an edit is
/// never refused for breaking a rule).
pub fn edit(plan: &mut Plan, day: i32, e: &Edit) -> Result<Vec<super::rules::Violation>, String> {
    let zones = plan.zones;
    let week = plan
        .weeks
        .iter_mut()
        .find(|w| day >= w.start_day && day < w.start_day + 7)
        .ok_or_else(|| format!("{} is not in the plan", day_text(day)))?;
    if e.rest {
        let mut rest = week
            .sessions
            .iter()
            .find(|s| s.day == day)
            .cloned()
            .ok_or_else(|| format!("{} has no session", day_text(day)))?;
        week.sessions.retain(|s| s.day != day);
        rest.mode = super::session::Mode::Rest;
        rest.kind = Kind::Rest;
        rest.duration_s = 0.0;
        rest.reps = None;
        rest.key = false;
        rest.pack_kg = None;
        rest.rule = Rule::AthleteEdit;
        rest.reason = "your edit".into();
        rest.edited = true;
        rest.finish(&zones);
        week.sessions.push(rest);
        week.sessions.sort_by_key(|s| s.day);
    } else {
        let s = week
            .sessions
            .iter_mut()
            .filter(|s| s.day == day)
            .min_by_key(|s| matches!(s.kind, Kind::Strength | Kind::Mobility))
            .ok_or_else(|| format!("{} has no session", day_text(day)))?;
        if s.kind == Kind::Goal {
            return Err("the goal day cannot be edited; change the goal instead".into());
        }
        if let Some(m) = e.mode {
            s.mode = m;
        }
        if let Some(k) = e.kind {
            if k == Kind::Goal {
                return Err("a session cannot be made the goal".into());
            }
            s.kind = k;
            if !k.is_quality() && k != Kind::RunWalk {
                s.reps = None;
            }
            s.zone = match k {
                Kind::Recovery | Kind::Rest | Kind::Mobility | Kind::Strength => Zone::Z1,
                Kind::Tempo => Zone::Z3,
                Kind::Intervals => Zone::Z4,
                Kind::HillRepeats => Zone::Z5,
                _ => Zone::Z2,
            };
        }
        if let Some(d) = e.duration_s {
            if !(60.0..=24.0 * 3600.0).contains(&d) {
                return Err(format!(
                    "duration {} is outside 1 min – 24 h",
                    duration_text(d)
                ));
            }
            s.duration_s = d;
        }
        s.rule = Rule::AthleteEdit;
        s.reason = "your edit".into();
        s.edited = true;
        s.finish(&zones);
    }
    Ok(super::rules::check_all(plan))
}
