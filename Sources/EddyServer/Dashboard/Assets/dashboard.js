"use strict";
const palette = ["#4f7cff", "#19b394", "#f0a020", "#e5484d", "#8a63d2", "#2bb0d8", "#d45d9b", "#7a8699"];
const fmt = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });
const fmt2 = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });
const state = { pipelines: [], current: null, source: null, history: { rate: [], lag: [] }, fetched: {}, picked: {}, drawn: {} };

function esc(value) {
  return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
}
function num(value) { const n = Number(value); return Number.isFinite(n) ? n : 0; }
function $(id) { return document.getElementById(id); }
// A server exposed beyond loopback needs its access token: open the page as /?token=TOKEN and every call
// carries it (a header for fetch, a parameter for EventSource, which cannot set headers).
const token = new URLSearchParams(location.search).get("token");
function withToken(url) {
  return token ? url + (url.includes("?") ? "&" : "?") + "token=" + encodeURIComponent(token) : url;
}
async function getJSON(url) {
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const response = await fetch(url, { cache: "no-store", headers });
  if (!response.ok) throw new Error(url + ": " + response.status);
  return response.json();
}

// The recent dead letters grouped by reason, most recent group first: 20 identical lines become one with
// a count, and each group shows its latest bad value.
function groupedDeadLetters(letters) {
  const groups = new Map();
  for (const letter of letters) {
    const group = groups.get(letter.reason) || { count: 0, latest: letter };
    group.count += 1;
    group.latest = letter;
    groups.delete(letter.reason);
    groups.set(letter.reason, group);
  }
  return [...groups.values()].reverse();
}
function truncate(text, length) {
  const value = String(text ?? "");
  return value.length > length ? value.slice(0, length) + "…" : value;
}

function setLive(mode, text) {
  const live = $("live");
  live.className = "live " + mode;
  $("live-text").textContent = text;
}

// ---------- layout ----------

// Each panel is declared by the app that owns the table (GET /api/pipelines → panels); a table no panel
// names is shown as a plain table, so a new app appears without touching this file.
function panelsOf(pipeline) {
  const declared = pipeline.panels || [];
  const named = new Set(declared.map(p => p.table));
  const plain = pipeline.tables.filter(t => !named.has(t.name))
    .map(t => ({ pipeline: pipeline.name, table: t.name, title: t.name, chart: { kind: "table" }, limit: 12, wide: true, numberStyle: "number" }));
  return declared.concat(plain).map((panel, index) => ({ ...panel, id: "p" + index }));
}

function renderShell(pipeline) {
  const cards = [];
  state.drawn = {};
  for (const panel of panelsOf(pipeline)) {
    const body = ["bars", "compare"].includes(panel.chart.kind) ? "bars" : panel.chart.kind === "timeSeries" ? "chart" : "scroll";
    const box = panel.chart.kind === "timeSeries" ? "" : ` class="${body}"`;
    const preview = panel.chart.kind === "files" ? `<div class="scroll preview" id="${esc(panel.id)}-preview"><p class="muted">Click a file name to preview its schema and first rows.</p></div>` : "";
    const pick = panel.pick ? ` <select class="pick" id="${esc(panel.id)}-pick" data-pick="${esc(panel.pick)}" aria-label="${esc(panel.pick)}"></select>` : "";
    cards.push(`<section class="card${panel.wide ? " wide" : ""}${panel.chart.kind === "timeSeries" ? " chart" : ""}"><h3>${esc(panel.title)}${pick}</h3><div${box} id="${esc(panel.id)}"></div>${preview}</section>`);
  }
  cards.push(`<section class="card wide"><h3>Dead letters <span id="dlq-count" class="muted"></span></h3><div class="scroll" id="dlq"></div></section>`);
  cards.push(`<section class="card wide"><h3>Source partitions</h3><div class="scroll" id="partitions"></div></section>`);
  $("app").innerHTML = `
    <h2>${esc(pipeline.name)} <span class="state" id="state"></span></h2>
    <div class="stats">
      <div class="stat"><div class="label">Records / s</div><div class="value" id="s-rate">–</div><svg id="spark-rate" viewBox="0 0 100 30" preserveAspectRatio="none"></svg></div>
      <div class="stat"><div class="label">Lag (records)</div><div class="value" id="s-lag">–</div><svg id="spark-lag" viewBox="0 0 100 30" preserveAspectRatio="none"></svg></div>
      <div class="stat"><div class="label">Records in</div><div class="value" id="s-in">–</div></div>
      <div class="stat"><div class="label">Dead letters</div><div class="value" id="s-dlq">–</div></div>
      <div class="stat"><div class="label">Late records</div><div class="value" id="s-late">–</div></div>
      <div class="stat"><div class="label">Last batch</div><div class="value" id="s-batch">–</div></div>
      <div class="stat"><div class="label">Checkpoint age</div><div class="value" id="s-ckpt">–</div></div>
    </div>
    <div class="grid">${cards.join("")}</div>`;
}

// ---------- charts ----------

function bars(container, rows, label, value, opts = {}) {
  const el = $(container);
  if (!el) return;
  const max = Math.max(1, ...rows.map(r => num(value(r))));
  el.innerHTML = rows.map(r => {
    const v = num(value(r));
    const width = Math.max(0, Math.min(100, (v / max) * 100));
    const shown = opts.money ? fmt2.format(v) : fmt.format(v);
    return `<div class="bar-row" data-label="${esc(label(r))}"><span class="name" title="${esc(label(r))}">${esc(label(r))}</span>` +
      `<div class="bar-track"><div class="bar-fill ${opts.cls || ""}" data-value="${v}" style="width:${width.toFixed(2)}%"></div></div>` +
      `<span class="num">${shown}</span></div>`;
  }).join("") || `<p class="muted">No rows yet.</p>`;
}

function sparkline(id, points, color) {
  const svg = $(id);
  if (!svg || points.length === 0) return;
  const max = Math.max(1, ...points);
  const step = points.length > 1 ? 100 / (points.length - 1) : 100;
  const coords = points.map((p, i) => `${(i * step).toFixed(2)},${(28 - (p / max) * 26).toFixed(2)}`).join(" ");
  svg.innerHTML = `<polyline fill="none" stroke="${color}" stroke-width="1.6" vector-effect="non-scaling-stroke" points="${coords}"/>`;
}

function timeSeries(container, rows, time, series, column) {
  const el = $(container);
  if (!el) return;
  // The x axis is a time, or a number such as a training iteration (sorted as numbers, labelled whole).
  const numericX = rows.length > 0 && rows.every(r => typeof r[time] === "number");
  const times = [...new Set(rows.map(r => r[time]))].sort(numericX ? (a, b) => a - b : undefined);
  const areas = [...new Set(rows.map(r => r[series]))].sort();
  if (times.length === 0) { el.innerHTML = `<p class="muted">No rows yet.</p>`; return; }
  const byKey = new Map(rows.map(r => [r[time] + "|" + r[series], num(r[column])]));
  const W = 1000, H = 240, left = 64, right = 40, bottom = 22, top = 8;
  // Grid lines at round values: the step is 1, 2, 2.5 or 5 times a power of ten.
  const peak = Math.max(1, ...rows.map(r => num(r[column])));
  const magnitude = Math.pow(10, Math.floor(Math.log10(peak / 4)));
  const step = [1, 2, 2.5, 5, 10].map(m => m * magnitude).find(s => s * 4 >= peak);
  const max = step * 4;
  const x = i => left + (times.length === 1 ? (W - left) / 2 : (i / (times.length - 1)) * (W - left - right));
  const y = v => top + (H - top - bottom) * (1 - v / max);
  let svg = `<svg viewBox="0 0 ${W} ${H}" preserveAspectRatio="none">`;
  for (let g = 0; g <= 4; g++) {
    const v = (max / 4) * g, yy = y(v).toFixed(1);
    svg += `<line x1="${left}" x2="${W}" y1="${yy}" y2="${yy}" stroke="#e3e7f0"/><text x="${left - 6}" y="${yy}" font-size="11" fill="#6b7489" text-anchor="end" dominant-baseline="middle">${compact.format(v)}</text>`;
  }
  const labelEvery = Math.max(1, Math.ceil(times.length / 8));
  times.forEach((t, i) => {
    if (i % labelEvery === 0) svg += `<text x="${x(i).toFixed(1)}" y="${H - 6}" font-size="11" fill="#6b7489" text-anchor="middle">${esc(numericX ? String(t) : String(t).slice(11, 19))}</text>`;
  });
  areas.forEach((area, a) => {
    const color = palette[a % palette.length];
    const pts = times.map((t, i) => `${x(i).toFixed(1)},${y(byKey.get(t + "|" + area) || 0).toFixed(1)}`).join(" ");
    svg += `<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`;
    const last = byKey.get(times[times.length - 1] + "|" + area) || 0;
    svg += `<circle cx="${x(times.length - 1).toFixed(1)}" cy="${y(last).toFixed(1)}" r="3" fill="${color}" data-series="${esc(area)}" data-value="${last}"/>`;
  });
  svg += `</svg>`;
  const legend = areas.map((area, a) => `<span><i style="background:${palette[a % palette.length]}"></i>${esc(area)}</span>`).join("");
  el.innerHTML = svg + `<div class="legend">${legend}</div>`;
}

// A nested value as text: a list joined by commas, an object's values by spaces (numbers formatted), so a
// list of {item_id, score} reads "50 4.87, 172 4.61".
function cellText(value) {
  if (Array.isArray(value)) return value.map(cellText).join(", ");
  if (value && typeof value === "object") return Object.values(value).map(v => typeof v === "number" ? fmt2.format(v) : cellText(v)).join(" ");
  return value;
}

function plainTable(container, columns, rows) {
  const el = $(container);
  if (!el) return;
  const numeric = c => ["int", "double"].includes(c.type) || c.type.startsWith("decimal");
  const head = columns.map(c => `<th class="${numeric(c) ? "num" : ""}">${esc(c.name)}</th>`).join("");
  const body = rows.slice(0, 12).map(r => "<tr>" + columns.map(c => {
    const v = r[c.name];
    return numeric(c) ? `<td class="num" data-value="${num(v)}">${fmt.format(num(v))}</td>` : `<td>${esc(cellText(v))}</td>`;
  }).join("") + "</tr>").join("");
  el.innerHTML = rows.length ? `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>` : `<p class="muted">No rows yet.</p>`;
}

// A files panel: the table, each file's name a link to its preview (schema and first rows) below it.
function fileTable(panel, columns, rows) {
  plainTable(panel.id, columns, rows);
  const el = $(panel.id);
  const index = columns.findIndex(c => c.name === panel.chart.name);
  if (!el || index < 0) return;
  el.querySelectorAll("tbody tr").forEach((tr, i) => {
    const name = rows[i][panel.chart.name];
    tr.children[index].innerHTML = `<a href="#" class="file-link" data-file="${esc(name)}">${esc(name)}</a>`;
  });
  // `?preview=NAME` on the page opens that file's preview once, without a click (links, headless checks).
  const wanted = new URLSearchParams(location.search).get("preview");
  if (wanted && !state.fetched[panel.id + ":previewed"] && rows.some(r => r[panel.chart.name] === wanted)) {
    state.fetched[panel.id + ":previewed"] = true;
    previewFile(panel, wanted).catch(err => console.warn(err));
  }
  for (const link of el.querySelectorAll("a.file-link")) {
    link.addEventListener("click", event => {
      event.preventDefault();
      previewFile(panel, link.dataset.file).catch(err => { $(panel.id + "-preview").innerHTML = `<p class="muted">${esc(err.message)}</p>`; });
    });
  }
}

async function previewFile(panel, name) {
  const data = await getJSON(panel.chart.preview.replace("{name}", encodeURIComponent(name)));
  const columns = data.schema.map(f => ({ name: f.name, type: f.type.startsWith("int") ? "int" : f.type }));
  const box = $(panel.id + "-preview");
  box.innerHTML = `<h4 id="${esc(panel.id)}-preview-title">${esc(data.name)} · ${fmt.format(data.rows)} rows</h4>` +
    `<p class="mono schema">${data.schema.map(f => esc(f.name) + " <span class=\"muted\">" + esc(f.type) + "</span>").join(", ")}</p><div id="${esc(panel.id)}-preview-rows"></div>`;
  plainTable(panel.id + "-preview-rows", columns, data.preview);
}

// ---------- updates ----------

function throttled(key, ms, fn) {
  const now = Date.now(), last = state.fetched[key] || 0;
  if (now - last < ms) {
    if (!state.fetched[key + ":pending"]) {
      state.fetched[key + ":pending"] = true;
      setTimeout(() => { state.fetched[key + ":pending"] = false; throttled(key, ms, fn); }, ms - (now - last));
    }
    return;
  }
  state.fetched[key] = now;
  fn().catch(err => console.warn(err));
}

// Side-by-side bars per row: one group per `label`, a bar for each column of `values`.
function compareBars(container, rows, label, values) {
  const el = $(container);
  if (!el) return;
  const max = Math.max(1e-9, ...rows.flatMap(r => values.map(v => Math.abs(num(r[v])))));
  const legend = `<div class="legend">` + values.map((v, i) => `<span><i style="background:${palette[i % palette.length]}"></i>${esc(v)}</span>`).join("") + `</div>`;
  el.innerHTML = rows.length ? legend + rows.map(r => `<div class="compare-row" data-label="${esc(r[label])}"><span class="name" title="${esc(r[label])}">${esc(r[label])}</span><div class="compare-bars">` +
    values.map((v, i) => `<div class="bar-track"><div class="bar-fill" data-column="${esc(v)}" data-value="${num(r[v])}" style="width:${(Math.abs(num(r[v])) / max * 100).toFixed(2)}%;background:${palette[i % palette.length]}"></div></div>`).join("") +
    `</div><span class="num">${values.map(v => fmt2.format(num(r[v]))).join(" / ")}</span></div>`).join("") : `<p class="muted">No rows yet.</p>`;
}

// Panels with a `pick` column: fill their select with the values seen, keep the viewer's choice (shared by
// panels picking the same column), and draw only the rows with the picked value.
function pickRows(panel, rows) {
  if (!panel.pick) return rows;
  const select = $(panel.id + "-pick");
  const values = [...new Set(rows.map(r => String(r[panel.pick])))].sort();
  let picked = state.picked[panel.pick];
  if (!values.includes(picked)) picked = values[0];
  if (picked !== undefined) state.picked[panel.pick] = picked;
  if (select) {
    select.innerHTML = values.map(v => `<option${v === picked ? " selected" : ""}>${esc(v)}</option>`).join("");
    select.onchange = () => {
      state.picked[panel.pick] = select.value;
      for (const draw of Object.values(state.drawn)) draw();
    };
  }
  return rows.filter(r => String(r[panel.pick]) === picked);
}

function onTable(pipeline, event) {
  const base = `/api/pipelines/${encodeURIComponent(pipeline.name)}/tables/${encodeURIComponent(event.table)}`;
  for (const panel of panelsOf(pipeline).filter(p => p.table === event.table)) {
    throttled(panel.id, 1000, async () => {
      const chart = panel.chart;
      const orderBy = chart.kind === "bars" ? chart.value : chart.kind === "timeSeries" ? chart.time : chart.orderBy;
      const data = await getJSON(base + "?limit=" + panel.limit + (orderBy ? "&desc=true&orderBy=" + encodeURIComponent(orderBy) : ""));
      if (panel.pick) {
        const all = data.rows;
        state.drawn[panel.id] = () => {
          const rows = pickRows(panel, all);
          if (chart.kind === "compare") compareBars(panel.id, rows, chart.label, chart.values);
          else if (chart.kind === "bars") bars(panel.id, rows, r => r[chart.label], r => r[chart.value], { cls: panel.accent || "" });
          else plainTable(panel.id, data.columns, rows);
        };
        state.drawn[panel.id]();
      } else if (chart.kind === "bars") {
        bars(panel.id, data.rows, r => r[chart.label], r => r[chart.value], { money: panel.numberStyle === "money", cls: panel.accent || "" });
      } else if (chart.kind === "timeSeries") {
        timeSeries(panel.id, data.rows, chart.time, chart.series, chart.value);
      } else if (chart.kind === "files") {
        fileTable(panel, data.columns, data.rows);
      } else {
        plainTable(panel.id, data.columns, data.rows);
      }
    });
  }
}

function onStatus(status) {
  const el = $("state");
  if (!el) return;
  el.textContent = status.state;
  el.className = "state " + status.state;
  $("s-rate").textContent = fmt.format(status.recordsPerSecond);
  $("s-lag").textContent = fmt.format(status.lag);
  $("s-in").textContent = fmt.format(status.recordsIn);
  $("s-dlq").textContent = fmt.format(status.deadLetters);
  $("s-dlq").className = "value" + (status.deadLetters > 0 ? " bad" : "");
  $("s-dlq").dataset.value = status.deadLetters;
  $("s-late").textContent = fmt.format(status.lateRecords);
  $("s-batch").textContent = status.lastBatch ? "#" + status.lastBatch.id + " · " + fmt.format(status.lastBatch.durationMillis) + " ms" : "–";
  $("s-ckpt").textContent = status.checkpointAgeSeconds == null ? "–" : fmt.format(status.checkpointAgeSeconds) + " s";
  for (const [key, value] of [["rate", status.recordsPerSecond], ["lag", status.lag]]) {
    state.history[key].push(num(value));
    if (state.history[key].length > 120) state.history[key].shift();
  }
  sparkline("spark-rate", state.history.rate, "#4f7cff");
  sparkline("spark-lag", state.history.lag, "#f0a020");
  $("dlq-count").textContent = "(" + fmt.format(status.deadLetters) + ")";
  $("dlq").innerHTML = status.recentDeadLetters.length === 0
    ? `<p class="muted">No bad records.</p>`
    : `<table><thead><tr><th>Reason</th><th class="num">Recent</th><th>Latest at</th><th>Latest value</th></tr></thead><tbody>` +
      groupedDeadLetters(status.recentDeadLetters).map(g =>
        `<tr><td title="${esc(g.latest.detail)}">${esc(g.latest.reason)}</td><td class="num">${g.count}</td>` +
        `<td>${esc(g.latest.topic)}/${g.latest.partition}@${g.latest.offset}</td>` +
        `<td class="mono">${esc(truncate(g.latest.value, 120))}</td></tr>`).join("") +
      `</tbody></table>`;
  $("partitions").innerHTML = status.partitions.length === 0 ? `<p class="muted">No partitions yet.</p>` :
    `<table><thead><tr><th>Topic</th><th class="num">Partition</th><th class="num">Position</th><th class="num">End offset</th><th class="num">Lag</th></tr></thead><tbody>` +
    status.partitions.map(p => `<tr><td>${esc(p.topic)}</td><td class="num">${p.partition}</td><td class="num">${fmt.format(p.position)}</td><td class="num">${fmt.format(p.endOffset)}</td><td class="num">${fmt.format(p.lag)}</td></tr>`).join("") +
    `</tbody></table>`;
}

function show(name) {
  const pipeline = state.pipelines.find(p => p.name === name) || state.pipelines[0];
  if (!pipeline) { $("app").innerHTML = `<p class="empty">No pipelines are running. Start some with <code>eddy serve --pipeline retail</code> or <code>eddy demo</code>.</p>`; return; }
  if (state.source) state.source.close();
  state.current = pipeline.name;
  state.history = { rate: [], lag: [] };
  state.fetched = {};
  for (const a of document.querySelectorAll("#tabs a")) a.classList.toggle("active", a.dataset.name === pipeline.name);
  renderShell(pipeline);
  onStatus(pipeline);
  // The stream ends every few minutes and EventSource reconnects; `?streamSeconds=N` on the page shortens
  // that (headless browsers with a virtual-time budget only advance time between requests).
  const seconds = Number(new URLSearchParams(location.search).get("streamSeconds")) || 300;
  const source = new EventSource(withToken(`/api/pipelines/${encodeURIComponent(pipeline.name)}/stream?seconds=${seconds}`));
  state.source = source;
  source.addEventListener("open", () => setLive("on", "live"));
  source.addEventListener("error", () => setLive("off", "reconnecting…"));
  source.addEventListener("table", e => onTable(pipeline, JSON.parse(e.data)));
  source.addEventListener("status", e => {
    const status = JSON.parse(e.data);
    // A pipeline whose tables appear later (the engine creates them on start) gets its cards then.
    if (status.tables.map(t => t.name).join() !== pipeline.tables.map(t => t.name).join()) {
      pipeline.tables = status.tables;
      renderShell(pipeline);
    }
    onStatus(status);
  });
}

async function start() {
  try {
    const data = await getJSON("/api/pipelines");
    state.pipelines = data.pipelines;
  } catch (err) {
    setLive("off", "server unreachable");
    setTimeout(start, 2000);
    return;
  }
  $("tabs").innerHTML = state.pipelines.map(p => `<a href="#${encodeURIComponent(p.name)}" data-name="${esc(p.name)}">${esc(p.name)}</a>`).join("");
  show(decodeURIComponent(location.hash.slice(1)));
}

window.addEventListener("hashchange", () => show(decodeURIComponent(location.hash.slice(1))));
start();
