// The status page: the overview (#/) and one subchain's page
// (#/subchain/<id>), read from the dashboard's JSON and read again whenever
// the server says a block brought statuscollect events.
//
// Chain ids, names and the rest come from the chain, where anyone may put
// quotes and brackets in them: every string goes into the markup through
// esc(), and nothing from the chain is ever put into script text (no inline
// handlers; the rows' clicks are handled below, by one listener).
"use strict";

const view = document.getElementById("view");
let data = null; // what the current view shows, with the time it was read
let readAt = 0;

const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const slug = (s) => String(s).replace(/ /g, "-");
const badge = (s) => `<span class="badge ${esc(slug(s))}">${esc(s)}</span>`;

function duration(sec) {
  const neg = sec < 0, s = Math.abs(Math.round(sec));
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const txt = d ? `${d}d ${h}h` : h ? `${h}h ${m}m` : m ? `${m}m ${r}s` : `${r}s`;
  return neg ? `${txt} overdue` : txt;
}
const elapsed = () => (Date.now() - readAt) / 1000;
// Ages are taken on the main chain's clock (its block time when read, plus
// the time since), so a browser whose clock is off still reads them right.
const ago = (t) => (t ? `${duration((Date.parse(data.as_of) - Date.parse(t)) / 1000 + elapsed())} ago` : "never");
function countdown(sec) {
  const left = sec - elapsed();
  return `<span class="${left < 0 ? "bad" : ""}">${duration(left)}</span>`;
}
function link(l) {
  if (!l.client_id) return `<span class="muted">no client</span>`;
  const exp = l.expires_in == null ? "" : ` · trust ${l.expires_in - elapsed() > 0 ? "expires in " + duration(l.expires_in - elapsed()) : "expired"}`;
  const cls = l.status === "active" ? "" : "bad";
  return `<span class="${cls}">${esc(l.status || "unknown")}</span> <span class="muted">${esc(l.channel_id || "no channel")}${exp}</span>`;
}

function renderOverview() {
  const o = data;
  const rows = o.subchains.map((s) => `
    <tr class="row" data-chain="${esc(s.chain_id)}">
      <td><b>${esc(s.chain_id)}</b><br><span class="muted">${esc(s.name)} · ${esc(s.kind)}</span></td>
      <td class="liveness">${badge(s.liveness)}</td>
      <td class="due">${s.liveness === "retired" ? "" : countdown(s.seconds_until_due)}</td>
      <td class="num height">${s.height}</td>
      <td class="num">${esc(s.tps)}</td>
      <td class="num orgs">${s.orgs}</td>
      <td class="num nodes">${s.nodes}</td>
      <td class="num contracts">${s.contracts}</td>
      <td class="last">${ago(s.last_report)}<br><span class="muted">${esc(s.last_source)}</span></td>
      <td>${link(s.link)}</td>
      <td class="num disputes ${s.open_disputes ? "warn" : ""}">${s.open_disputes}${s.open_disputes_capped ? "+" : ""}</td>
    </tr>`).join("");
  view.innerHTML = `
    <h1>Subchains</h1>
    <table id="subchains">
      <thead><tr><th>Subchain</th><th>Liveness</th><th>Next report due</th><th class="num">Height</th><th class="num">TPS</th>
      <th class="num">Orgs</th><th class="num">Nodes</th><th class="num">Contracts</th><th>Last report</th><th>Link</th>
      <th class="num">Open disputes</th></tr></thead>
      <tbody>${rows || `<tr><td colspan="11" class="muted">No subchain is registered.</td></tr>`}</tbody>
    </table>${o.more ? `<p class="muted">More subchains than one page shows.</p>` : ""}`;
}

function list(xs) {
  return xs && xs.length ? xs.map((x) => `<code>${esc(x)}</code>`).join(", ") : "";
}

function renderDetail() {
  const d = data;
  const changes = (e) => {
    const out = [];
    if (e.orgs_joined?.length) out.push(`orgs joined: ${list(e.orgs_joined)}`);
    if (e.orgs_left?.length) out.push(`orgs left: ${list(e.orgs_left)}`);
    if (e.nodes_added?.length) out.push(`validators added: ${list(e.nodes_added)}`);
    if (e.nodes_removed?.length) out.push(`validators removed: ${list(e.nodes_removed)}`);
    if (e.new_contracts?.length) out.push(`new contracts: ${list(e.new_contracts)}`);
    if (e.proven_wrong_by) out.push(`<span class="bad">proven wrong by dispute ${e.proven_wrong_by}</span>`);
    return out.length ? `<ul class="changes">${out.map((c) => `<li>${c}</li>`).join("")}</ul>` : `<span class="muted">no change</span>`;
  };
  view.innerHTML = `
    <p><a href="#/">← all subchains</a></p>
    <h1>${esc(d.chain_id)} <span class="muted">${esc(d.name)} · ${esc(d.kind)}</span> ${badge(d.liveness)}</h1>
    <div class="cards">
      <div class="card"><b class="height">${d.height}</b><span>height</span></div>
      <div class="card"><b>${d.liveness === "retired" ? "—" : countdown(d.seconds_until_due)}</b><span>next report due</span></div>
      <div class="card"><b>${esc(d.tps)}</b><span>TPS</span></div>
      <div class="card"><b>${d.orgs}</b><span>orgs</span></div>
      <div class="card"><b>${d.nodes}</b><span>nodes</span></div>
      <div class="card"><b class="contracts">${d.contracts}</b><span>contracts</span></div>
      <div class="card"><b>${ago(d.last_report)}</b><span>last report · ${esc(d.last_source)}</span></div>
      <div class="card"><b>${d.open_disputes}</b><span>open disputes</span></div>
    </div>
    <p>Link: ${link(d.link)}</p>
    <h2>Members</h2>
    <table><thead><tr><th>Org</th><th class="num">Monitoring accounts</th><th>Reporting</th></tr></thead><tbody>
      ${(d.members || []).map((m) => `<tr><td>${esc(m.org_id)}</td><td class="num">${m.reporters}</td><td>${m.suspended ? `<span class="bad">suspended</span>` : "allowed"}</td></tr>`).join("") || `<tr><td colspan="3" class="muted">none</td></tr>`}
    </tbody></table>
    <h2>Timeline</h2>
    <table id="timeline"><thead><tr><th class="num">#</th><th class="num">Height</th><th>Recorded</th><th>Source</th><th class="num">Contracts</th><th>Changes</th></tr></thead><tbody>
      ${(d.timeline || []).map((e) => `<tr data-seq="${e.sequence}"><td class="num">${e.sequence}</td><td class="num">${e.height}</td><td>${ago(e.time)}</td><td>${esc(e.source)}</td><td class="num">${e.contracts}</td><td>${changes(e)}</td></tr>`).join("") || `<tr><td colspan="6" class="muted">no report yet</td></tr>`}
    </tbody></table>
    <h2>Contract changes</h2>
    <table id="contracts"><thead><tr><th class="num">#</th><th>Kind</th><th>Contract</th><th class="num">Code</th><th>Label</th><th class="num">Height</th><th>Source</th></tr></thead><tbody>
      ${(d.contract_changes || []).map((c) => `<tr><td class="num">${c.sequence}</td><td>${esc(c.kind)}</td><td><code>${esc(c.address)}</code></td><td class="num">${c.code_id}</td><td>${esc(c.label)}</td><td class="num">${c.height}</td><td>${esc(c.source)}</td></tr>`).join("") || `<tr><td colspan="7" class="muted">none</td></tr>`}
    </tbody></table>
    <h2>Disputes</h2>
    <table id="disputes"><thead><tr><th class="num">#</th><th class="num">Report</th><th>Outcome</th><th>Filed by</th><th>Against</th><th>Fields</th><th>Decided by</th></tr></thead><tbody>
      ${(d.disputes || []).map((x) => `<tr><td class="num">${x.id}</td><td class="num">${x.report}</td><td>${badge(x.status)}</td><td>${esc(x.filer_org || "the subchain")}</td><td>${esc(x.reported_by_org)}</td><td>${list(x.fields)}</td><td>${esc(x.resolver)}<br><span class="muted">${esc(x.reason)}</span></td></tr>`).join("") || `<tr><td colspan="7" class="muted">none</td></tr>`}
    </tbody></table>`;
}

function renderAsOf() {
  const at = data && data.as_of ? new Date(Date.parse(data.as_of) + elapsed() * 1000) : null;
  document.getElementById("asof").textContent = at ? `main chain time ${at.toISOString().replace("T", " ").slice(0, 19)} UTC` : "";
}

let render = renderOverview;
async function load() {
  const m = location.hash.match(/^#\/subchain\/(.+)$/);
  const url = m ? `api/subchains/${m[1]}` : "api/overview";
  render = m ? renderDetail : renderOverview;
  try {
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
    data = await res.json();
    readAt = Date.now();
    render();
    renderAsOf();
    document.body.dataset.loaded = String(Number(document.body.dataset.loaded || 0) + 1);
  } catch (err) {
    view.innerHTML = `<p class="bad">Could not read the main chain: ${esc(err.message)}</p>`;
  }
}

// Live updates: read again at each block with statuscollect events; the
// browser reconnects by itself after the dashboard or the node restarts, or
// the dashboard ends the stream (it does after a while).
function listen() {
  const live = document.getElementById("live");
  const es = new EventSource("api/events");
  es.onopen = () => { live.textContent = "live"; live.className = "live on"; load(); };
  es.onerror = () => {
    live.textContent = "reconnecting"; live.className = "live off";
    // The browser reconnects by itself after a lost connection, but gives up
    // on an HTTP error, such as the 503 of a dashboard with its most streams
    // open: then try again later.
    if (es.readyState === EventSource.CLOSED) setTimeout(listen, 10000);
  };
  es.addEventListener("update", () => load());
}

// A click on an overview row opens its subchain: the id comes back from the
// row's data-chain attribute as the text it was, whatever it contains.
view.addEventListener("click", (ev) => {
  const row = ev.target.closest("#subchains tr[data-chain]");
  if (row) location.hash = `#/subchain/${encodeURIComponent(row.dataset.chain)}`;
});
window.addEventListener("hashchange", load);
setInterval(() => { if (data) { render(); renderAsOf(); } }, 1000); // countdowns and ages tick between updates
load();
listen();
