// The altitude and heat page's courses: haemoglobin mass above sea level
// and heat acclimatisation, each over the days from its first exposure.

const root = document.getElementById("environment");
if (root) {
  draw(root).catch((e) => {
    const p = document.createElement("p");
    p.textContent = "The charts could not be drawn: " + e.message;
    root.prepend(p);
  });
}

async function get(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error("the server answered " + r.status);
  return r.json();
}

function course(el, pairs, label, colour, scale) {
  if (!el || pairs.length === 0) return;
  const x = pairs.map(([day]) => Date.parse(day + "T00:00:00Z") / 1000);
  const y = pairs.map(([, v]) => v * scale);
  new uPlot(
    {
      width: el.clientWidth || 800,
      height: 200,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
      scales: { x: { time: true } },
      series: [{}, { label, stroke: colour, width: 2, value: (u, v) => (v == null ? "-" : v.toFixed(1) + " %") }],
      axes: [{}, { size: 50, values: (u, t) => t.map((v) => v + " %") }],
    },
    [x, y],
    el,
  );
}

async function draw(root) {
  const [alt, heat] = await Promise.all([get(root.dataset.altitude), get(root.dataset.heat)]);
  course(document.getElementById("hbmass"), alt.hbmass, "haemoglobin mass above sea level", "#8250df", 1);
  course(document.getElementById("acclimatisation"), heat.acclimatisation, "heat acclimatisation", "#d4582a", 100);
}
