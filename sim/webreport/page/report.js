// The run report's script: replays the run interval by interval on the diagram's cards, plots a
// component's signals when its card is clicked, and fills the summary, the bill and the events. Every
// colour and fact comes computed in the page's data (sim/webreport/report_data.hpp); this only shows them.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const times = data.times_s;
  const count = times.length;
  const svg = document.querySelector("#diagram svg");
  const NS = svg.namespaceURI;  // the SVG namespace, taken from the page rather than written here
  const components = new Map(data.components.map((c) => [c.id, c]));
  const slider = document.getElementById("slider");
  const clock = document.getElementById("clock");
  let current = 0;
  let timer = null;
  let plotted = null;

  const startOf = (i) => (i === 0 ? 0 : times[i - 1]);
  const number = (v) => {
    if (v === null || v === undefined || Number.isNaN(v)) return "–";
    const a = Math.abs(v);
    if (a >= 1e6 || (a > 0 && a < 1e-3)) return v.toPrecision(3);
    if (Number.isInteger(v)) return String(v);
    return v.toFixed(a >= 100 ? 0 : a >= 10 ? 1 : 2);
  };
  // The interval a time falls in, as report_data.hpp's interval_of: the first whose end is not before it.
  const intervalOf = (t) => {
    let low = 0, high = Math.max(0, count - 1);
    while (low < high) {
      const middle = (low + high) >> 1;
      if (times[middle] < t) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const html = (tag, attributes, text) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const vector = (tag, attributes, text) => {
    const node = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attributes || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  const componentOf = (name) => name.split("@")[0];  // a fleet drawn per zone: id@zone

  // The cells of the cards that show the selected interval, and a ring per card for its faults.
  const cells = new Map();
  for (const group of svg.querySelectorAll('g[id^="a_state:"]')) {
    const id = componentOf(group.id.slice("a_state:".length));
    if (!cells.has(id)) cells.set(id, []);
    cells.get(id).push({ fill: group.querySelector("polygon"), texts: Array.from(group.querySelectorAll("text")) });
  }
  const rings = new Map();
  for (const node of svg.querySelectorAll('g.node[id^="component:"]')) {
    const id = componentOf(node.id.slice("component:".length));
    const box = node.getBBox();
    const ring = vector("rect", { x: box.x - 3, y: box.y - 3, width: box.width + 6, height: box.height + 6, rx: 4,
      fill: "none", stroke: "#D0021B", "stroke-width": 4, class: "fault-ring" });
    ring.style.display = "none";
    node.appendChild(ring);
    if (!rings.has(id)) rings.set(id, []);
    rings.get(id).push(ring);
    node.addEventListener("click", (event) => {
      event.preventDefault();  // the live cell is a link only so that Graphviz names it
      if (components.has(id)) showPlots(id);
    });
  }

  // The strip under the slider: fault windows, scaling activities, the selected interval.
  const stripWidth = 1000;
  const x = (t) => (data.duration_s > 0 ? (t / data.duration_s) * stripWidth : 0);
  const strip = vector("svg", { viewBox: `0 0 ${stripWidth} 36`, preserveAspectRatio: "none", id: "strip-svg" });
  for (const fault of data.faults) {
    const width = fault.instant ? 3 : Math.max(3, x(fault.end_s) - x(fault.start_s));
    const mark = vector("rect", { x: x(fault.start_s), y: 0, width, height: 18, fill: "#c62828", opacity: fault.instant ? 0.9 : 0.45 });
    mark.appendChild(vector("title", {}, `${fault.label}: ${number(fault.start_s)}${fault.instant ? "" : "–" + number(fault.end_s)} s`));
    strip.appendChild(mark);
  }
  for (const scaling of data.scaling) {
    const tick = vector("rect", { x: x(scaling.time_s) - 1, y: 18, width: 3, height: 18, fill: "#1565c0" });
    tick.appendChild(vector("title", {}, `${scaling.component} ${scaling.mark} at ${number(scaling.time_s)} s`));
    strip.appendChild(tick);
  }
  const cursor = vector("rect", { y: 0, height: 36, fill: "#000", opacity: 0.18 });
  strip.appendChild(cursor);
  strip.addEventListener("click", (event) => {
    const bounds = strip.getBoundingClientRect();
    show(intervalOf(((event.clientX - bounds.left) / bounds.width) * data.duration_s));
  });
  document.getElementById("strip").appendChild(strip);

  function show(i) {
    current = Math.max(0, Math.min(count - 1, i));
    slider.value = current;
    clock.textContent = count ? `${number(startOf(current))}–${number(times[current])} s of ${number(data.duration_s)} s` : "no intervals";
    for (const c of count ? data.components : []) {
      for (const cell of cells.get(c.id) || []) {
        cell.fill.setAttribute("fill", c.colours[current]);
        cell.texts.forEach((text, k) => { text.textContent = c.facts[current][k] || ""; });
      }
      for (const ring of rings.get(c.id) || []) ring.style.display = c.flagged[current] ? "" : "none";
    }
    cursor.setAttribute("x", x(startOf(current)));
    cursor.setAttribute("width", Math.max(2, x(times[current]) - x(startOf(current))));
    if (plotted) drawCursors();
    if (document.getElementById("event-near").checked) listEvents();
  }

  // Plots of every declared signal of one component.
  const plotWidth = 320, plotHeight = 130, left = 38, bottom = 18;
  function drawCursors() {
    for (const line of document.querySelectorAll(".plot-cursor")) {
      const at = left + ((times[current] || 0) / (data.duration_s || 1)) * (plotWidth - left - 4);
      line.setAttribute("x1", at);
      line.setAttribute("x2", at);
    }
  }
  function plot(component, signal) {
    const frame = html("div", { class: "plot" });
    frame.appendChild(html("h3", { title: signal.meaning }, `${signal.name} (${signal.unit}, ${signal.kind})`));
    const chart = vector("svg", { viewBox: `0 0 ${plotWidth} ${plotHeight}`, class: "signal-plot", "data-signal": signal.name });
    const values = signal.values.map((v) => (v === null ? 0 : v));
    const peak = values.reduce((a, b) => Math.max(a, b), 0);
    const top = peak > 0 ? peak : 1;  // a signal that stays at 0 is drawn on a scale of 1
    const px = (t) => left + (t / (data.duration_s || 1)) * (plotWidth - left - 4);
    const py = (v) => plotHeight - bottom - (v / top) * (plotHeight - bottom - 8);
    for (const fault of data.faults) {
      const own = fault.target === component.id;
      const width = fault.instant ? 2 : Math.max(2, px(fault.end_s) - px(fault.start_s));
      chart.appendChild(vector("rect", { x: px(fault.start_s), y: 4, width, height: plotHeight - bottom - 4, fill: "#c62828",
        opacity: own ? 0.3 : 0.1, class: "fault-window" }));
    }
    chart.appendChild(vector("line", { x1: left, y1: py(0), x2: plotWidth - 4, y2: py(0), stroke: "#999" }));
    chart.appendChild(vector("line", { x1: left, y1: 4, x2: left, y2: py(0), stroke: "#999" }));
    chart.appendChild(vector("text", { x: left - 4, y: 12, "text-anchor": "end", "font-size": 10 }, number(top)));
    chart.appendChild(vector("text", { x: left - 4, y: py(0), "text-anchor": "end", "font-size": 10 }, "0"));
    chart.appendChild(vector("text", { x: plotWidth - 4, y: plotHeight - 4, "text-anchor": "end", "font-size": 10 }, `${number(data.duration_s)} s`));
    const points = times.map((t, i) => `${px(t).toFixed(1)},${py(values[i]).toFixed(1)}`).join(" ");
    chart.appendChild(vector("polyline", { points, fill: "none", stroke: "#1f4e79", "stroke-width": 1.5 }));
    chart.appendChild(vector("line", { class: "plot-cursor", y1: 4, y2: py(0), stroke: "#000", "stroke-dasharray": "3 2" }));
    frame.appendChild(chart);
    return frame;
  }
  function showPlots(id) {
    const component = components.get(id);
    plotted = id;
    const grid = document.getElementById("plot-grid");
    grid.replaceChildren(...component.signals.map((signal) => plot(component, signal)));
    document.getElementById("plots-title").textContent = `${id} · ${component.type}${component.label ? " · " + component.label : ""}`;
    const section = document.getElementById("plots");
    section.hidden = false;
    drawCursors();
    section.scrollIntoView({ block: "nearest" });
  }
  document.getElementById("close-plots").addEventListener("click", () => {
    document.getElementById("plots").hidden = true;
    plotted = null;
  });

  // Summary and bill: tables of the summary's figures.
  function table(head, rows) {
    const t = html("table");
    const header = html("tr");
    head.forEach((h) => header.appendChild(html("th", {}, h)));
    t.appendChild(header);
    for (const row of rows) {
      const tr = html("tr");
      row.forEach((cell) => tr.appendChild(html("td", {}, typeof cell === "number" ? number(cell) : cell === undefined ? "–" : String(cell))));
      t.appendChild(tr);
    }
    return t;
  }
  const summary = data.summary;
  const latency = (entry, key) => (entry.latency_ms ? entry.latency_ms[key] : undefined);
  const rows = [];
  for (const [id, entry] of Object.entries(summary.clients || {}))
    rows.push([id, "client", entry.sent, entry.completed, entry.rejected, entry.failed, entry.timed_out, entry.throughput_per_s,
      latency(entry, "p50"), latency(entry, "p99"), undefined]);
  for (const [id, entry] of Object.entries(summary.components || {}))
    rows.push([id, entry.type, entry.arrivals, entry.completed, entry.rejected, entry.failed, entry.timed_out, entry.throughput_per_s,
      latency(entry, "p50"), latency(entry, "p99"), entry.utilization === null || entry.utilization === undefined ? undefined
        : number(100 * entry.utilization) + "%"]);
  const summaryBox = document.getElementById("summary");
  summaryBox.appendChild(table(["component", "type", "arrivals (sent)", "completed", "rejected", "failed", "timed out", "per s",
    "p50 ms", "p99 ms", "busy"], rows));
  if (summary.jobs) {
    const jobs = Object.entries(summary.jobs).filter(([, v]) => typeof v === "number");
    summaryBox.appendChild(html("h3", {}, "Jobs"));
    summaryBox.appendChild(table(jobs.map(([k]) => k.replace(/_/g, " ")), [jobs.map(([, v]) => v)]));
  }
  const cost = summary.cost_usd;
  const billBox = document.getElementById("bill");
  if (cost) {
    billBox.appendChild(html("p", {}, `$${number(cost.total)} for the run, $${number(cost.per_hour)} per hour` +
      (cost.prices ? ` (prices ${cost.prices.region}, as of ${cost.prices.as_of})` : "")));
    billBox.appendChild(table(["component", "USD"], Object.entries(cost.by_component || {}).map(([id, usd]) => [id, usd.toFixed(4)])));
    billBox.appendChild(html("h3", {}, "Items"));
    const price = (v) => (typeof v === "number" ? v.toPrecision(3) : "–");  // unit prices are fractions of a cent
    billBox.appendChild(table(["component", "item", "quantity", "unit price (USD)", "USD"],
      (cost.lines || []).map((l) => [l.component, l.item, l.quantity, price(l.unit_price), l.usd.toFixed(4)])));
  } else {
    billBox.textContent = "The summary has no bill.";
  }

  // Events, filtered by component (what the line is from or names) and kind.
  const events = data.events;
  const componentFilter = document.getElementById("event-component");
  const kindFilter = document.getElementById("event-kind");
  componentFilter.appendChild(html("option", { value: "" }, "all"));
  events.components.forEach((id, i) => componentFilter.appendChild(html("option", { value: String(i) }, id)));
  kindFilter.appendChild(html("option", { value: "" }, "all"));
  events.kinds.forEach((kind, i) => kindFilter.appendChild(html("option", { value: String(i) }, kind.replace("_", " "))));
  const shownEvents = 500;
  function listEvents() {
    const who = componentFilter.value === "" ? -1 : Number(componentFilter.value);
    const kind = kindFilter.value === "" ? -1 : Number(kindFilter.value);
    const near = document.getElementById("event-near").checked;
    const matching = events.rows.filter((row) => (who < 0 || row[4].includes(who)) && (kind < 0 || row[2] === kind) &&
      (!near || intervalOf(row[0]) === current));
    const body = document.querySelector("#events tbody");
    body.replaceChildren(...matching.slice(0, shownEvents).map((row) => {
      const tr = html("tr", { class: "kind-" + events.kinds[row[2]] });
      [number(row[0]), row[1], events.kinds[row[2]].replace("_", " "), row[3]].forEach((cell) => tr.appendChild(html("td", {}, cell)));
      tr.addEventListener("click", () => show(intervalOf(row[0])));
      return tr;
    }));
    document.getElementById("event-count").textContent =
      `${matching.length} matching event${matching.length === 1 ? "" : "s"}` +
      (matching.length > shownEvents ? `, the first ${shownEvents} shown` : "") +
      `. The run logged ${events.seen}; the page keeps every fault, health, scaling and other notable one` +
      (events.left_out ? ` and leaves out ${events.left_out} routine ones (messages, polls) past the first few per component and interval: all are in events.log.` : ".");
  }
  for (const control of [componentFilter, kindFilter, document.getElementById("event-near")]) control.addEventListener("change", listEvents);

  document.getElementById("about").textContent = [data.description, data.seed === null ? "" : `seed ${data.seed}`,
    `${number(data.duration_s)} s simulated, ${count} intervals`].filter(Boolean).join(" · ");
  slider.max = Math.max(0, count - 1);
  slider.addEventListener("input", () => show(Number(slider.value)));
  const play = document.getElementById("play");
  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "▶ play";
  }
  play.addEventListener("click", () => {
    if (timer) return stop();
    if (current >= count - 1) show(0);
    play.textContent = "❚❚ pause";
    // Four steps a second; a long run takes bigger steps, so that playing it lasts about a minute.
    const step = Math.max(1, Math.round(count / 240));
    timer = setInterval(() => (current >= count - 1 ? stop() : show(current + step)), 250);
  });

  // #t=600 selects the interval holding 600 s; #component=api opens its plots.
  function fromLocation() {
    const parameters = new URLSearchParams(location.hash.slice(1));
    if (parameters.has("t")) show(intervalOf(Number(parameters.get("t"))));
    if (parameters.has("component") && components.has(parameters.get("component"))) showPlots(parameters.get("component"));
  }
  window.addEventListener("hashchange", fromLocation);
  show(0);
  listEvents();
  fromLocation();
})();
