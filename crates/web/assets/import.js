// The import page: each dropped or chosen file is sent as it is to
// POST /api/v1/imports, one after another, and its job polled until done.

const form = document.getElementById("upload");
const input = document.getElementById("files");
const list = document.getElementById("jobs");

function line(text, cls) {
  const p = document.createElement("p");
  p.className = "job" + (cls ? " " + cls : "");
  p.textContent = text;
  list.prepend(p);
  return p;
}

function progressText(j) {
  const files = j.files_total > 0 ? `${j.files_done}/${j.files_total} files` : "reading";
  const rate = j.samples_per_s > 0 ? ` · ${Math.round(j.samples_per_s).toLocaleString()} samples/s` : "";
  return `${j.file}: ${j.state} · ${files} · ${j.activities} activities${rate}`;
}

function finished(p, j) {
  const r = j.report;
  if (j.state === "failed" || !r) {
    p.textContent = `${j.file}: failed: ${j.error || "unknown error"}`;
    p.classList.add("failed");
    return;
  }
  const n = (count, one, many) => `${count} ${count === 1 ? one : many}`;
  p.textContent =
    `${j.file}: imported ${n(r.activities_imported, "activity", "activities")} from ${n(r.files_imported, "file", "files")}` +
    ` in ${r.elapsed_s.toFixed(1)} s` +
    (r.already_imported > 0 ? `; ${r.already_imported} already in the archive` : "");
  const extra = document.createElement("ul");
  for (const id of r.activity_ids) {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "/activity/" + id;
    a.textContent = "activity " + id;
    li.appendChild(a);
    extra.appendChild(li);
  }
  for (const rec of r.records) {
    const li = document.createElement("li");
    li.textContent = `Record: ${rec.sport} ${rec.effort}, activity ${rec.activity_id}`;
    extra.appendChild(li);
  }
  for (const f of r.failed) {
    const li = document.createElement("li");
    li.className = "failed";
    li.textContent = `${f.source}: ${f.message}`;
    extra.appendChild(li);
  }
  p.appendChild(extra);
}

async function send(file) {
  const p = line(`${file.name}: sending ${(file.size / 1e6).toFixed(1)} MB…`);
  const res = await fetch("/api/v1/imports?name=" + encodeURIComponent(file.name), {
    method: "POST",
    headers: { "Content-Type": "application/octet-stream" },
    body: file,
  });
  const answer = await res.json();
  if (!res.ok) {
    p.textContent = `${file.name}: refused: ${answer.detail}`;
    p.classList.add("failed");
    return;
  }
  let j = answer;
  while (j.state === "queued" || j.state === "importing") {
    p.textContent = progressText(j);
    await new Promise((r) => setTimeout(r, 300));
    const poll = await fetch("/api/v1/imports/" + j.id);
    j = await poll.json();
  }
  finished(p, j);
}

async function sendAll(files) {
  for (const f of files) {
    try {
      await send(f);
    } catch (e) {
      line(`${f.name}: ${e.message}`, "failed");
    }
  }
}

// Every file inside a dropped folder, however deep.
async function filesOf(entry) {
  if (entry.isFile) {
    return [await new Promise((ok, fail) => entry.file(ok, fail))];
  }
  const reader = entry.createReader();
  const out = [];
  for (;;) {
    const batch = await new Promise((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) break;
    for (const e of batch) out.push(...(await filesOf(e)));
  }
  return out;
}

async function dropped(transfer) {
  const entries = [...transfer.items]
    .map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null))
    .filter((e) => e);
  if (entries.length === 0) return [...transfer.files];
  const out = [];
  for (const e of entries) out.push(...(await filesOf(e)));
  return out;
}

const folder = document.getElementById("folder");

if (form && input && list) {
  input.addEventListener("change", () => sendAll([...input.files]));
  if (folder) folder.addEventListener("change", () => sendAll([...folder.files]));
  form.addEventListener("dragover", (e) => {
    e.preventDefault();
    form.classList.add("over");
  });
  form.addEventListener("dragleave", () => form.classList.remove("over"));
  form.addEventListener("drop", async (e) => {
    e.preventDefault();
    form.classList.remove("over");
    sendAll(await dropped(e.dataTransfer));
  });
}
