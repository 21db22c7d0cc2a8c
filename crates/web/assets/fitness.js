// The fitness page's charts: for each load (aerobic, mechanical) its daily
// load as bars, fitness, fatigue and form as lines, overall or for one
// sport family; the aerobic chart continues past today with the active
// plan's planned load (dashed). Replaces the server's SVG, which stays for
// browsers without script.

const root = document.getElementById("fitness");
if (root) {
  draw(root).catch((e) => {
    const p = document.createElement("p");
    p.textContent = "The charts could not be drawn: " + e.message;
    root.prepend(p);
  });
}

const DAY_S = 86400;

function dayNumber(text) {
  return Date.parse(text + "T00:00:00Z") / 1000 / DAY_S;
}

async function draw(root) {
  const res = await fetch(root.dataset.src);
  if (!res.ok) throw new Error("the server answered " + res.status);
  const series = await res.json();
  let planned = [];
  if (root.dataset.planned) {
    const p = await fetch(root.dataset.planned);
    if (p.ok) planned = await p.json();
  }
  for (const holder of root.querySelectorAll(".fitness-chart")) {
    const dimension = holder.dataset.dimension;
    const sports = series.filter((s) => s.dimension === dimension);
    const pick = document.createElement("select");
    pick.setAttribute("aria-label", dimension + " load of");
    for (const s of sports) {
      const o = document.createElement("option");
      o.value = s.sport || "";
      o.textContent = s.sport ? s.sport : "all sports";
      pick.appendChild(o);
    }
    const area = document.createElement("div");
    area.className = "chart";
    let chart = null;
    const redraw = () => {
      if (chart) chart.destroy();
      const s = sports.find((x) => (x.sport || "") === pick.value);
      chart = plot(area, s, dimension === "aerobic" && !s.sport ? planned : []);
    };
    pick.addEventListener("change", redraw);
    holder.replaceChildren(pick, area);
    redraw();
    window.addEventListener("resize", () => chart && chart.setSize({ width: area.clientWidth, height: chart.height }));
  }
}

function plot(area, s, planned) {
  const points = s.points;
  const all = points.concat(planned);
  const x = all.map((p) => dayNumber(p.day) * DAY_S);
  const n = points.length;
  const past = (f) => all.map((p, i) => (i < n ? f(p) : null));
  // The plan's line starts at today's value so the two lines meet.
  const ahead = (f) => all.map((p, i) => (i >= n - 1 ? f(p) : null));
  const data = [
    x,
    past((p) => p.load),
    past((p) => p.fitness),
    past((p) => p.fatigue),
    past((p) => p.form),
    ahead((p) => p.fitness),
  ];
  const unit = s.unit ? " " + s.unit : "";
  const num = (v) => (v == null ? "-" : v.toFixed(0) + unit);
  const opts = {
    width: area.clientWidth || 800,
    height: 260,
    cursor: { sync: { key: "fitness" } },
    // Days are calendar days: shown as they are, in no time zone.
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
    scales: { x: { time: true }, form: { auto: true } },
    series: [
      {},
      { label: "daily load", stroke: "#c9d1d9", fill: "#c9d1d9", paths: uPlot.paths.bars({ size: [0.9, 6] }), value: (u, v) => num(v) },
      { label: "fitness (42 d)", stroke: "#1d5c8f", width: 2, value: (u, v) => num(v) },
      { label: "fatigue (7 d)", stroke: "#d4582a", width: 1.5, value: (u, v) => num(v) },
      { label: "form", stroke: "#3f9142", width: 1.5, scale: "form", value: (u, v) => (v == null ? "-" : (v >= 0 ? "+" : "") + v.toFixed(0)) },
      { label: "fitness as planned", stroke: "#1d5c8f", width: 2, dash: [6, 4], value: (u, v) => num(v) },
    ],
    axes: [{}, { size: 50, label: "load, fitness, fatigue" }, { scale: "form", side: 1, grid: { show: false }, size: 50, label: "form" }],
  };
  if (planned.length === 0) {
    opts.series.pop();
    data.pop();
  }
  return new uPlot(opts, data, area);
}
