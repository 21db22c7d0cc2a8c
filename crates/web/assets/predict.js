// The predictions page's route form: the chosen file is sent as it is to
// /api/v1/predict/route and the hiking times come back per leg.

const input = document.getElementById("route-file");
const pack = document.getElementById("route-pack");
const out = document.getElementById("route-result");

function clock(s) {
  if (s == null) return "-";
  s = Math.round(s);
  const h = Math.floor(s / 3600);
  const m = String(Math.floor((s % 3600) / 60)).padStart(h > 0 ? 2 : 1, "0");
  return (h > 0 ? h + ":" : "") + m + ":" + String(s % 60).padStart(2, "0");
}

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
}

async function predict() {
  const file = input.files[0];
  if (!file) return;
  const imperial = out.dataset.units === "imperial";
  const length = imperial ? 1609.344 : 1000;
  const unit = imperial ? "mi" : "km";
  const height = (m) => (imperial ? Math.round(m * 3.280839895) + " ft" : Math.round(m) + " m");
  let url = "/api/v1/predict/route?name=" + encodeURIComponent(file.name) + "&leg_m=" + length;
  if (pack.value !== "") {
    const kg = Number(pack.value) * (imperial ? 0.45359237 : 1);
    url += "&pack_kg=" + kg;
  }
  out.textContent = "Reading " + file.name + "…";
  const res = await fetch(url, { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: file });
  const r = await res.json();
  out.replaceChildren();
  if (!res.ok) {
    out.textContent = r.detail;
    out.className = "failed";
    return;
  }
  const p = document.createElement("p");
  p.textContent =
    `${r.name || file.name}: ${(r.distance_m / length).toFixed(2)} ${unit}, ↑ ${height(r.ascent_m)} ↓ ${height(r.descent_m)}. ` +
    `Your own pace: ${r.personal_s == null ? "no model yet (needs hikes)" : clock(r.personal_s)} · ` +
    `Tobler ${clock(r.tobler_s)} · Naismith ${clock(r.naismith_s)} (moving time, no breaks; ` +
    `model from ${r.hikes_used} hikes).`;
  out.appendChild(p);
  const table = document.createElement("table");
  table.className = "legs";
  const head = document.createElement("tr");
  for (const h of ["leg", "ascent", "descent", "yours", "Tobler", "Naismith"]) {
    const th = document.createElement("th");
    th.textContent = h;
    head.appendChild(th);
  }
  table.appendChild(head);
  for (const leg of r.legs) {
    const row = document.createElement("tr");
    cell(row, `${(leg.from_m / length).toFixed(1)}–${(leg.to_m / length).toFixed(1)} ${unit}`);
    cell(row, height(leg.ascent_m));
    cell(row, height(leg.descent_m));
    cell(row, clock(leg.personal_s));
    cell(row, clock(leg.tobler_s));
    cell(row, clock(leg.naismith_s));
    table.appendChild(row);
  }
  out.appendChild(table);
}

if (input && out) {
  input.addEventListener("change", () => predict().catch((e) => (out.textContent = e.message)));
}
