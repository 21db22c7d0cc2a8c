// cairn's activity charts: one uPlot chart per series, stacked, against
// distance or time, with one cursor for all of them and the map's marker.
// The series come from /api/v1/activities/{id}/streams, reduced on the
// server so that each bucket's minimum and maximum survive.

const root = document.getElementById("charts");
if (root) {
  load(root).catch((e) => {
    root.textContent = "The charts could not be drawn: " + e.message;
  });
}

function clock(s) {
  if (s == null) return "-";
  s = Math.round(s);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h > 0 ? 2 : 1, "0");
  return (h > 0 ? h + ":" : "") + mm + ":" + String(sec).padStart(2, "0");
}

function fixed(digits, unit) {
  return (v) => (v == null ? "-" : v.toFixed(digits) + " " + unit);
}

// The page's units (`--units`): lengths, heights and their names.
function unitsOf(el) {
  const imperial = el.dataset.units === "imperial";
  return {
    length: imperial ? 1609.344 : 1000,
    lengthName: imperial ? "mi" : "km",
    height: imperial ? 3.280839895 : 1,
    heightName: imperial ? "ft" : "m",
    speedName: imperial ? "mph" : "km/h",
  };
}

// Which series to draw: key in the JSON, label, how a value is turned into
// what is plotted, how it is printed, colour, whether up is smaller.
function seriesFor(onFoot, u) {
  const pace = (v) => (v == null || v < 0.3 ? null : u.length / v);
  const perLength = (v) => (v == null ? "-" : clock(v) + " /" + u.lengthName);
  return [
    ["altitude_m", "altitude", (v) => (v == null ? null : v * u.height), fixed(0, u.heightName), "#6e7781", false],
    onFoot
      ? ["speed_mps", "pace", pace, perLength, "#d4582a", true]
      : ["speed_mps", "speed", (v) => (v == null ? null : (v * 3600) / u.length), fixed(1, u.speedName), "#2a7fd4", false],
    onFoot ? ["grade_adjusted_speed_mps", "grade-adjusted pace", pace, perLength, "#b7791f", true] : null,
    ["heart_rate_bpm", "heart rate", (v) => v, fixed(0, "bpm"), "#c0392b", false],
    ["power_w", "power", (v) => v, fixed(0, "W"), "#8250df", false],
    ["cadence_rpm", "cadence", (v) => v, fixed(0, "rpm"), "#1a7f37", false],
    ["vertical_mps", "vertical speed", (v) => (v == null ? null : v * 3600 * u.height), fixed(0, u.heightName + "/h"), "#0969da", false],
  ].filter((s) => s !== null);
}

async function load(root) {
  const res = await fetch(root.dataset.src);
  if (!res.ok) throw new Error("the server answered " + res.status);
  const s = await res.json();
  const onFoot = root.dataset.foot === "true";
  let axis = s.distance_m ? "distance" : "time";
  const bar = document.querySelector(".charts-bar");
  let charts = [];
  const redraw = () => {
    charts.forEach((c) => c.destroy());
    root.replaceChildren();
    charts = draw(root, s, onFoot, axis);
    if (bar) {
      bar.querySelectorAll("button").forEach((b) => {
        b.setAttribute("aria-pressed", String(b.dataset.axis === axis));
      });
    }
  };
  if (bar) {
    bar.querySelectorAll("button").forEach((b) => {
      if (b.dataset.axis === "distance" && !s.distance_m) b.disabled = true;
      b.addEventListener("click", () => {
        axis = b.dataset.axis;
        redraw();
      });
    });
  }
  redraw();
  window.addEventListener("resize", () => {
    charts.forEach((c) => c.setSize({ width: root.clientWidth, height: c.height }));
  });
}

function draw(root, s, onFoot, axis) {
  const units = unitsOf(root);
  const x = axis === "distance" ? s.distance_m.map((m) => m / units.length) : s.time_s;
  const xValue = axis === "distance" ? (u, v) => (v == null ? "-" : v.toFixed(2) + " " + units.lengthName) : (u, v) => clock(v);
  const map = document.querySelector("svg.map");
  const marker = map && map.querySelector("#marker");
  const moveMarker = (idx) => {
    if (!marker || idx == null || !s.lat_deg || s.lat_deg[idx] == null) return;
    const [mx, my] = mercator(s.lat_deg[idx], s.lon_deg[idx]);
    const ox = Number(map.dataset.ox);
    const oy = Number(map.dataset.oy);
    const k = Number(map.dataset.scale);
    marker.setAttribute("cx", (ox + mx * k).toFixed(1));
    marker.setAttribute("cy", (oy + my * k).toFixed(1));
  };
  const charts = [];
  for (const [key, label, f, print, colour, down] of seriesFor(onFoot, units)) {
    const raw = s[key];
    if (!raw || raw.every((v) => v == null)) continue;
    const y = raw.map((v) => (v == null ? null : f(v)));
    const div = document.createElement("div");
    div.className = "chart";
    div.dataset.series = key;
    root.appendChild(div);
    const opts = {
      width: root.clientWidth,
      height: 130,
      cursor: { sync: { key: "cairn" } },
      legend: { live: true },
      scales: { x: { time: false }, y: { dir: down ? -1 : 1 } },
      series: [
        { label: axis, value: xValue },
        { label, stroke: colour, width: 1.5, value: (u, v) => print(v), spanGaps: false },
      ],
      axes: [
        { values: (u, ticks) => ticks.map((t) => (axis === "distance" ? t + " " + units.lengthName : clock(t))) },
        { values: (u, ticks) => ticks.map((t) => (down ? clock(t) : String(Math.round(t)))), size: 60 },
      ],
      hooks: { setCursor: [(u) => moveMarker(u.cursor.idx)] },
    };
    charts.push(new uPlot(opts, [x, y], div));
  }
  if (charts.length === 0) root.textContent = "This activity recorded no series to chart.";
  return charts;
}

// Web Mercator in units of the world's width, as the server's map draws it.
function mercator(latDeg, lonDeg) {
  const lat = (Math.max(-85, Math.min(85, latDeg)) * Math.PI) / 180;
  const x = (lonDeg + 180) / 360;
  const y = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2;
  return [x, y];
}

// The activity's mean-maximal curves beside the all-time ones, one chart
// per kind, on a log-duration axis.
const curves = document.getElementById("curves");
if (curves) {
  drawCurves(curves).catch((e) => {
    curves.textContent = "The curves could not be drawn: " + e.message;
  });
}

// Where the curves' duration axis is labelled: durations athletes name.
const DURATION_TICKS = [1, 5, 15, 60, 300, 1200, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];

function duration(s) {
  if (s < 60) return s + " s";
  if (s < 3600) return Math.round(s / 60) + " min";
  return +(s / 3600).toFixed(1) + " h";
}

async function drawCurves(root) {
  const res = await fetch(root.dataset.src);
  if (!res.ok) throw new Error("the server answered " + res.status);
  const list = await res.json();
  const onFoot = root.dataset.foot === "true";
  const u = unitsOf(root);
  const pace = (v) => (v == null || v < 0.3 ? null : u.length / v);
  const perLength = (v) => (v == null ? "-" : clock(v) + " /" + u.lengthName);
  const kinds = {
    power: ["power", (v) => v, fixed(0, "W"), false],
    pace: onFoot ? ["pace", pace, perLength, true] : ["speed", (v) => (v == null ? null : (v * 3600) / u.length), fixed(1, u.speedName), false],
    gap: ["grade-adjusted pace", pace, perLength, true],
    hr: ["heart rate", (v) => v, fixed(0, "bpm"), false],
    vertical: ["vertical speed", (v) => (v == null ? null : v * u.height), fixed(0, u.heightName + "/h"), false],
  };
  for (const c of list) {
    const k = kinds[c.kind];
    if (!k || (c.kind === "gap" && !onFoot)) continue;
    const [label, f, print, down] = k;
    const div = document.createElement("div");
    div.className = "chart curve";
    div.dataset.kind = c.kind;
    root.appendChild(div);
    const opts = {
      width: root.clientWidth,
      height: 160,
      legend: { live: true },
      scales: { x: { time: false, distr: 3 }, y: { dir: down ? -1 : 1 } },
      series: [
        { label: "duration", value: (u, v) => (v == null ? "-" : duration(v)) },
        { label: label + ", this activity", stroke: "#d4582a", width: 2, value: (u, v) => print(v) },
        { label: "all-time best", stroke: "#8b949e", width: 1.5, dash: [4, 4], value: (u, v) => print(v) },
      ],
      axes: [
        {
          splits: (u, i, lo, hi) => DURATION_TICKS.filter((t) => t >= lo && t <= hi),
          values: (u, ticks) => ticks.map((t) => (t == null ? "" : duration(t))),
        },
        { values: (u, ticks) => ticks.map((t) => (t == null ? "" : down ? clock(t) : String(Math.round(t)))), size: 60 },
      ],
    };
    const x = c.durations_s;
    new uPlot(opts, [x, c.this.map((v) => (v == null ? null : f(v))), c.all_time.map((v) => (v == null ? null : f(v)))], div);
  }
  if (root.children.length === 0) root.textContent = "No curve for this activity.";
}
