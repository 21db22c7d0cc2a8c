// The curves page: two periods' mean-maximal curves on one log-duration
// chart; a click on a point opens the activity that holds it (period A's
// where it has one, else B's).

const root = document.getElementById("curve-chart");
if (root) {
  draw(root).catch((e) => {
    root.textContent = "The chart could not be drawn: " + e.message;
  });
}

const TICKS = [1, 5, 15, 60, 300, 1200, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 24 * 3600];

function clock(s) {
  s = Math.round(s);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${r}` : `${m}:${r}`;
}

function duration(s) {
  if (s < 60) return s + " s";
  if (s < 3600) return Math.round(s / 60) + " min";
  return +(s / 3600).toFixed(1) + " h";
}

async function draw(root) {
  const [a, b] = await Promise.all(
    [root.dataset.a, root.dataset.b].map(async (url) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error("the server answered " + r.status);
      return r.json();
    }),
  );
  const imperial = root.dataset.units === "imperial";
  const length = imperial ? 1609.344 : 1000;
  const kind = root.dataset.kind;
  const onFoot = root.dataset.foot === "true";
  const isPace = (kind === "pace" || kind === "gap") && onFoot;
  const f = (v) => {
    if (v == null) return null;
    if (isPace) return v < 0.3 ? null : length / v;
    if (kind === "pace" || kind === "gap") return (v * 3600) / length;
    if (kind === "vertical") return imperial ? v * 3.280839895 : v;
    return v;
  };
  const print = (v) => {
    if (v == null) return "-";
    if (isPace) return clock(v) + (imperial ? " /mi" : " /km");
    if (kind === "pace" || kind === "gap") return v.toFixed(1) + (imperial ? " mph" : " km/h");
    if (kind === "vertical") return v.toFixed(0) + (imperial ? " ft/h" : " m/h");
    return v.toFixed(0) + (kind === "power" ? " W" : " bpm");
  };
  const durations = [...new Set(a.concat(b).map((p) => p.duration_s))].sort((x, y) => x - y);
  const at = (list) => durations.map((d) => list.find((p) => p.duration_s === d) || null);
  const pa = at(a);
  const pb = at(b);
  if (durations.length === 0) {
    root.textContent = "Neither period has data for this curve.";
    return;
  }
  const u = new uPlot(
    {
      width: root.clientWidth,
      height: 320,
      scales: { x: { time: false, distr: 3 }, y: { dir: isPace ? -1 : 1 } },
      series: [
        { label: "duration", value: (u, v) => (v == null ? "-" : duration(v)) },
        { label: "A " + root.dataset.aLabel, stroke: "#d4582a", width: 2, value: (u, v) => print(v) },
        { label: "B " + root.dataset.bLabel, stroke: "#1d5c8f", width: 2, dash: [5, 4], value: (u, v) => print(v) },
      ],
      axes: [
        { splits: (u, i, lo, hi) => TICKS.filter((t) => t >= lo && t <= hi), values: (u, t) => t.map((x) => (x == null ? "" : duration(x))) },
        { size: 64, values: (u, t) => t.map((x) => (x == null ? "" : isPace ? clock(x) : String(Math.round(x)))) },
      ],
    },
    [durations, pa.map((p) => (p ? f(p.value) : null)), pb.map((p) => (p ? f(p.value) : null))],
    root,
  );
  u.over.addEventListener("click", () => {
    const i = u.cursor.idx;
    const p = i == null ? null : pa[i] || pb[i];
    if (p) window.location.href = "/activity/" + p.activity_id;
  });
  u.over.style.cursor = "pointer";
  window.addEventListener("resize", () => u.setSize({ width: root.clientWidth, height: u.height }));
}
