// The live leaderboard page: a snapshot from /api/entries, then every change from /api/watch
// (server-sent events). Everything is drawn here, in plain DOM and SVG; nothing is downloaded.
'use strict';

// The learning rules of mixrule-core's Rule enum, in its order; colours from the Okabe-Ito
// palette, which stays distinguishable for colour-blind readers.
const RULES = [
  { name: 'bp', colour: '#0072B2', text: '#fff', title: 'backpropagation' },
  { name: 'fa', colour: '#E69F00', text: '#1d2430', title: 'feedback alignment' },
  { name: 'usf', colour: '#009E73', text: '#fff', title: 'uniform sign-concordant feedback' },
  { name: 'brsf', colour: '#CC79A7', text: '#1d2430', title: 'batchwise random-magnitude sign-concordant feedback' },
  { name: 'frsf', colour: '#56B4E9', text: '#1d2430', title: 'fixed random-magnitude sign-concordant feedback' },
  { name: 'dfa', colour: '#D55E00', text: '#fff', title: 'direct feedback alignment' },
  { name: 'hebbian', colour: '#F0E442', text: '#1d2430', title: 'SoftHebb (local, unsupervised)' },
];
const RULE = Object.fromEntries(RULES.map(r => [r.name, r]));
const NO_RULE = { name: '', colour: '#d0d5dd', text: '#1d2430' };
// What ranks and what the scatter plots by default: validation metrics, because a ranking chooses networks
// and selection never sees the test split (SCIENCE.md). Test accuracy stays a report column.
const ACCURACY = 'valid_accuracy';
const REPORT_ACCURACY = 'test_accuracy';
// The robust-accuracy metric shown by default: the first of these (measured on a validation subset) the dataset has.
const ROBUST_PREFERENCE = ['valid_apgd_accuracy', 'valid_robust_accuracy', 'valid_worst_case_accuracy', 'valid_pgd_accuracy',
  'valid_fgsm_accuracy'];
const ROWS = 200;          // rows drawn; the rest stay loaded for the scatter and the experiments
const SNAPSHOT = 2000;     // entries loaded per dataset (the API allows up to 5000)

const $ = id => document.getElementById(id);
const params = new URLSearchParams(location.search);
const state = {
  dataset: params.get('dataset') || '',
  metric: params.get('metric') || ACCURACY,
  robust: params.get('robust') || '',
  experiment: params.get('experiment') || '',
  entries: new Map(),      // genome_id -> entry of the current dataset
  known: new Set(),        // metric names seen on this dataset
  total: 0,
  front: [],
  selected: params.get('genome') || '',
  fresh: new Map(),        // genome_id -> time of its last live update
  version: 0,              // bumped whenever entries or the front change: the scatter redraws only then
  progress: null,          // /api/progress: best so far per experiment
  progressVersion: 0,
};
let drawnScatter = '';
let drawnProgress = '';
let source = null;
let renderQueued = false;
let frontTimer = null;

// ------------------------------------------------------------------ data

async function getJson(url) {
  const response = await fetch(url);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message || response.statusText);
  return body;
}

function query(extra) {
  const q = new URLSearchParams({ dataset: state.dataset, ...extra });
  if (state.experiment) q.set('experiment', state.experiment);
  return q.toString();
}

async function start() {
  const datasets = await getJson('api/datasets').catch(() => []);
  if (!state.dataset) state.dataset = datasets.includes('fashion-mnist') ? 'fashion-mnist' : (datasets[0] || 'fashion-mnist');
  fillSelect($('dataset'), [...new Set([...datasets, state.dataset])], state.dataset);
  $('legend').innerHTML = RULES.map(r => chip(r.name, r.title)).join('')
    + `<li><span class="chip" style="background:${NO_RULE.colour}">no weights</span></li>`;
  $('dataset').onchange = e => { state.dataset = e.target.value; state.experiment = ''; state.selected = ''; reset(); };
  $('metric').onchange = e => { state.metric = e.target.value; reset(); };
  $('robust').onchange = e => { state.robust = e.target.value; render(); refreshFront(); };
  $('experiment').onchange = e => { state.experiment = e.target.value; reset(); };
  reset();
}

/** Drops what was loaded and starts again: snapshot plus live stream. */
function reset() {
  state.entries.clear();
  state.known.clear();
  state.front = [];
  state.progress = null;
  state.progressVersion++;
  state.total = 0;
  connect();
  loadSnapshot();
  render();
}

function connect() {
  if (source) source.close();
  source = new EventSource('api/watch?' + new URLSearchParams({ dataset: state.dataset }));
  let lost = false;
  source.onopen = () => {
    setLive(true);
    if (lost) loadSnapshot(); // whatever changed while we were away
  };
  source.onerror = () => { lost = true; setLive(false); }; // EventSource reconnects by itself
  source.onmessage = event => {
    const entry = JSON.parse(event.data);
    if (state.experiment && entry.experiment_id !== state.experiment) return;
    state.fresh.set(entry.genome_id, Date.now());
    upsert(entry);
    scheduleRender();
    scheduleFront();
  };
}

async function loadSnapshot() {
  try {
    const page = await getJson('api/entries?' + query({ metric: state.metric, limit: SNAPSHOT }));
    page.metrics.forEach(m => state.known.add(m));
    page.entries.forEach(upsert);
    state.total = page.total;
    setStatus();
    scheduleRender();
    refreshFront();
    refreshProgress();
  } catch (e) {
    setStatus('could not load entries: ' + e.message);
  }
}

/** Keeps the newer of two versions of an entry (a snapshot and a live update may cross). */
function upsert(entry) {
  const old = state.entries.get(entry.genome_id);
  if (!old || old.updated_at_ms <= entry.updated_at_ms) state.entries.set(entry.genome_id, entry);
  state.version++;
  Object.keys(entry.metrics).forEach(m => state.known.add(m));
}

/** The front and the progress are asked again half a second after the last of a burst of changes. */
function scheduleFront() {
  clearTimeout(frontTimer);
  frontTimer = setTimeout(() => { refreshFront(); refreshProgress(); }, 500);
}

async function refreshProgress() {
  if (!state.known.has(ACCURACY)) return;
  try {
    state.progress = await getJson('api/progress?' + query({ metric: ACCURACY }));
  } catch (e) {
    state.progress = null;
  }
  state.progressVersion++;
  scheduleRender();
}

async function refreshFront() {
  const robust = robustMetric();
  if (!state.known.has(ACCURACY) || !robust) { state.front = []; scheduleRender(); return; }
  try {
    const f = await getJson('api/pareto?' + query({ x: ACCURACY, y: robust }));
    if (f.y !== robustMetric()) return; // the choice changed while we waited
    state.front = f.front;
    state.version++;
    $('front-note').textContent = f.scanned < f.total ? `(among the best ${f.scanned} of ${f.total} by ${ACCURACY})` : '';
    scheduleRender();
  } catch (e) {
    state.front = [];
  }
}

function robustMetric() {
  if (state.robust && state.known.has(state.robust)) return state.robust;
  return ROBUST_PREFERENCE.find(m => state.known.has(m)) || '';
}

// ------------------------------------------------------------------ rendering

/** At most about five redraws a second, however fast changes arrive. */
function scheduleRender() {
  if (!renderQueued) {
    renderQueued = true;
    setTimeout(() => requestAnimationFrame(() => { renderQueued = false; render(); }), 200);
  }
}

function render() {
  const robust = robustMetric();
  const metrics = [...state.known].sort();
  fillSelect($('metric'), metrics.includes(state.metric) ? metrics : [state.metric, ...metrics], state.metric);
  fillSelect($('robust'), robust ? metrics : [''], robust);
  const experiments = [...new Set([...state.entries.values()].map(e => e.experiment_id).filter(Boolean))].sort();
  fillSelect($('experiment'), ['', ...new Set([...experiments, state.experiment].filter(Boolean))], state.experiment, v => v || 'all');
  const ranked = rank();
  renderTable(ranked, robust);
  renderScatter(robust);
  renderExperiments();
  const selected = state.entries.get(state.selected) || state.front.find(e => e.genome_id === state.selected);
  renderGenome(selected);
  const progressKey = `${state.progressVersion}|${state.selected}`;
  if (progressKey !== drawnProgress) {
    drawnProgress = progressKey;
    renderProgress(state.progress, state.selected);
  }
  renderTraining(selected);
  setStatus();
  const q = new URLSearchParams({ dataset: state.dataset, metric: state.metric });
  if (state.robust) q.set('robust', state.robust);
  if (state.experiment) q.set('experiment', state.experiment);
  if (state.selected) q.set('genome', state.selected);
  history.replaceState(null, '', '?' + q);
}

/** Entries by the chosen metric, best first; entries still without it (not yet evaluated) last. */
function rank() {
  const m = state.metric;
  return [...state.entries.values()].sort((a, b) => {
    const x = a.metrics[m], y = b.metrics[m];
    if (x === undefined || y === undefined) return (x === undefined) - (y === undefined) || b.updated_at_ms - a.updated_at_ms;
    return y - x || a.genome_id.localeCompare(b.genome_id);
  });
}

function renderTable(ranked, robust) {
  const now = Date.now();
  $('table-title').textContent = `Top ${Math.min(ROWS, ranked.length)} of ${ranked.length} loaded by ${state.metric}`;
  $('robust-head').textContent = robust ? robust.replace(/_accuracy$/, ' acc.') : 'robust acc.';
  $('empty').hidden = ranked.length > 0;
  $('entries').tBodies[0].innerHTML = ranked.slice(0, ROWS).map((e, i) => {
    // a row updated live fades from yellow over 2.5 s; the negative delay keeps the fade going across re-renders
    const age = now - (state.fresh.get(e.genome_id) || 0);
    const fresh = age < 2500 ? ` fresh" style="animation-delay:-${age}ms` : '';
    const warn = e.unreliable ? '<span class="warn" title="an evaluator flagged this entry as unreliable">⚠</span>' : '';
    return `<tr data-id="${esc(e.genome_id)}" class="${e.genome_id === state.selected ? 'selected' : ''}${fresh}">
      <td class="num">${e.metrics[state.metric] === undefined ? '–' : i + 1}</td>
      <td class="mono">${esc(e.genome_id)}${warn}</td><td>${esc(e.dataset)}</td><td>${esc(e.experiment_id)}</td>
      ${numCell(e.metrics[ACCURACY], 4)}${numCell(e.metrics[REPORT_ACCURACY], 4)}${numCell(robust ? e.metrics[robust] : undefined, 4)}${numCell(e.metrics.bp_fraction, 2)}
      <td class="rules">${(e.rules || []).map(r => chipSpan(r, share(e, r))).join('')}</td></tr>`;
  }).join('');
}

function renderScatter(robust) {
  const svg = $('scatter');
  const key = `${state.version}|${robust}|${state.selected}`;
  if (key === drawnScatter) return;
  drawnScatter = key;
  const W = 560, H = 330, L = 52, R = 14, T = 12, B = 42;
  $('scatter-title').textContent = robust ? `${ACCURACY} vs ${robust}` : `${ACCURACY} vs robust accuracy`;
  const points = [...state.entries.values()].filter(e => e.metrics[ACCURACY] !== undefined && robust && e.metrics[robust] !== undefined);
  const front = state.front.filter(e => e.metrics[robust] !== undefined);
  if (!points.length && !front.length) {
    svg.innerHTML = `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="label">${robust
      ? 'waiting for entries with both metrics' : 'no robust-accuracy metric on this dataset yet'}</text>`;
    return;
  }
  const all = points.concat(front);
  const xs = domain(all.map(e => e.metrics[ACCURACY])), ys = domain(all.map(e => e.metrics[robust]));
  const sx = v => L + (v - xs[0]) / (xs[1] - xs[0]) * (W - L - R);
  const sy = v => H - B - (v - ys[0]) / (ys[1] - ys[0]) * (H - T - B);
  let out = '';
  for (const t of ticks(xs)) out += `<g class="axis"><line x1="${sx(t)}" x2="${sx(t)}" y1="${T}" y2="${H - B}"/><text x="${sx(t)}" y="${H - B + 15}" text-anchor="middle">${t.toFixed(2)}</text></g>`;
  for (const t of ticks(ys)) out += `<g class="axis"><line x1="${L}" x2="${W - R}" y1="${sy(t)}" y2="${sy(t)}"/><text x="${L - 6}" y="${sy(t) + 4}" text-anchor="end">${t.toFixed(2)}</text></g>`;
  out += `<text class="label" x="${(L + W - R) / 2}" y="${H - 6}" text-anchor="middle">${ACCURACY}</text>`;
  out += `<text class="label" transform="translate(13 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(robust)}</text>`;
  const frontSorted = [...front].sort((a, b) => a.metrics[ACCURACY] - b.metrics[ACCURACY]);
  if (frontSorted.length) {
    // the staircase that the front dominates: right along y, then down along x
    let d = '';
    frontSorted.forEach((e, i) => {
      const x = sx(e.metrics[ACCURACY]), y = sy(e.metrics[robust]);
      d += i === 0 ? `M${sx(xs[0])},${y}H${x}` : `V${y}H${x}`;
    });
    d += `V${sy(ys[0])}`;
    out += `<path class="front-line" d="${d}"/>`;
  }
  for (const e of points) {
    const rule = RULE[mainRule(e)] || NO_RULE;
    out += `<circle class="point" data-id="${esc(e.genome_id)}" cx="${sx(e.metrics[ACCURACY]).toFixed(1)}" cy="${sy(e.metrics[robust]).toFixed(1)}" r="4.5" fill="${rule.colour}"/>`;
  }
  for (const e of front) {
    out += `<circle class="front" data-id="${esc(e.genome_id)}" cx="${sx(e.metrics[ACCURACY]).toFixed(1)}" cy="${sy(e.metrics[robust]).toFixed(1)}" r="8"/>`;
  }
  const sel = all.find(e => e.genome_id === state.selected);
  if (sel) out += `<circle class="selected" cx="${sx(sel.metrics[ACCURACY])}" cy="${sy(sel.metrics[robust])}" r="11"/>`;
  svg.innerHTML = out;
}

function renderExperiments() {
  const by = new Map();
  for (const e of state.entries.values()) {
    const x = by.get(e.experiment_id) || { id: e.experiment_id, n: 0, best: undefined };
    x.n++;
    const a = e.metrics[ACCURACY];
    if (a !== undefined && (x.best === undefined || a > x.best)) x.best = a;
    by.set(e.experiment_id, x);
  }
  const rows = [...by.values()].sort((a, b) => (b.best ?? -1) - (a.best ?? -1));
  $('experiments').tBodies[0].innerHTML = rows.map(x => `<tr><td>${esc(x.id || '(none)')}</td><td class="num">${x.n}</td>
    ${numCell(x.best, 4)}<td class="bar"><span style="width:${((x.best || 0) * 100).toFixed(1)}%"></span></td></tr>`).join('')
    || '<tr><td colspan="4" class="hint">none yet</td></tr>';
}

// ------------------------------------------------------------------ genome view

function renderGenome(entry) {
  const svg = $('genome');
  if (!entry || !entry.genome) {
    svg.innerHTML = '';
    $('genome-id').textContent = entry ? entry.genome_id : '–';
    $('canonical').textContent = entry ? 'This entry has no genome yet (only an evaluation arrived).' : 'Click a row or a point to draw its genome.';
    return;
  }
  $('genome-id').textContent = entry.genome_id;
  $('canonical').textContent = entry.canonical + exactText(entry) + provenanceText(entry);
  const defs = '<defs><marker id="arrowhead" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0L8,4L0,8z" fill="#98a2b3"/></marker></defs>';
  svg.innerHTML = defs + (entry.genome.space === 'nb201' ? drawCell(entry.genome) : drawChain(entry.genome, entry.shapes));
}

/** Who produced the numbers: the verified signers of the training result and of each evaluation (docs/security.md). */
function provenanceText(entry) {
  const evals = (entry.evaluations || []).map(v => `${v.evaluator} v${v.version} by ${v.principal || '?'}`);
  return `  ·  trained by ${entry.training_principal || '?'}` + (evals.length ? `; evaluated: ${evals.join(', ')}` : '');
}

/** exact_gradient_fraction and each layer's angle to the true gradient (last measured epoch). */
function exactText(entry) {
  const f = (entry.metrics || {}).exact_gradient_fraction;
  if (f === undefined) return '';
  const layers = (entry.layer_alignment || []).map(l => `${l.layer} ${l.rule} ${l.angle_degrees == null ? '–' : l.angle_degrees.toFixed(1) + '°'}${l.exact_gradient ? ' (exact)' : ''}`);
  return `  ·  exact_gradient_fraction ${f.toFixed(3)}` + (layers.length ? `  ·  angle to the true gradient: ${layers.join(', ')}` : '');
}

/** The chain as boxes left to right: height grows with the width (channels or units). */
function drawChain(g, shapes) {
  const W = 560, H = 190, mid = 88, gap = 12;
  const items = [{ title: 'input', lines: shapes ? [shapeText(shapes[0])] : [`pad ${g.input_padding}`] }];
  g.layers.forEach((l, i) => {
    const out = shapes ? shapeText(shapes[i + 1]) : '';
    if (l.op === 'conv') items.push({ title: `conv ${l.kernel}×${l.kernel}`, lines: [`${l.width} ch, p${l.padding}`, out], rule: l.rule, width: l.width, act: l.activation });
    else if (l.op === 'dense') items.push({ title: 'dense', lines: [`${l.width} units`], rule: l.rule, width: l.width, act: l.activation });
    else items.push({ title: l.op === 'maxpool' ? 'max pool' : 'avg pool', lines: [`${l.kernel}×${l.kernel}`, out], pool: true });
  });
  const bw = Math.min(92, (W - 8 - gap * (items.length - 1)) / items.length);
  let out = '';
  items.forEach((it, i) => {
    const x = 4 + i * (bw + gap);
    const h = it.pool ? 54 : it.rule ? Math.min(130, 64 + 8 * Math.log2(it.width)) : 64;
    const rule = it.rule ? RULE[it.rule] || NO_RULE : NO_RULE;
    const fill = i === 0 ? '#fff' : rule.colour;
    const ink = i === 0 ? '#1d2430' : rule.text;
    if (i > 0) out += `<line class="arrow" x1="${x - gap + 1}" y1="${mid}" x2="${x - 1}" y2="${mid}"/>`;
    out += `<g class="layer" data-op="${esc(it.title)}" ${it.rule ? `data-rule="${esc(it.rule)}"` : ''}>`;
    out += `<rect x="${x}" y="${mid - h / 2}" width="${bw}" height="${h}" rx="6" fill="${fill}" stroke="${i === 0 ? '#98a2b3' : 'none'}"/>`;
    out += `<text class="box-title" x="${x + bw / 2}" y="${mid - 8}" text-anchor="middle" fill="${ink}">${esc(it.title)}</text>`;
    it.lines.filter(Boolean).forEach((t, k) => {
      out += `<text x="${x + bw / 2}" y="${mid + 7 + 13 * k}" text-anchor="middle" fill="${ink}">${esc(t)}</text>`;
    });
    if (it.rule) out += `<text class="box-title" x="${x + bw / 2}" y="${mid + h / 2 + 15}" text-anchor="middle" fill="#1d2430">${esc(it.rule)}${it.act && it.act !== 'none' ? ' · ' + esc(it.act) : ''}</text>`;
    out += '</g>';
  });
  return out;
}

/** The NB-201 cell: nodes 0..3 on a line, the 6 edges as arcs labelled with their op. */
function drawCell(g) {
  const nodeX = [150, 250, 350, 450], y = 112;
  let out = fixedBox(6, 86, 'stem', g.stem_rule, `${g.channels} ch`)
    + fixedBox(484, 50, 'reduce', g.reduction_rule, `${g.cells_per_stage} cells/stage`)
    + fixedBox(484, 122, 'head', g.classifier_rule, 'BN + linear');
  const short = { nor_conv_3x3: 'conv3×3', nor_conv_1x1: 'conv1×1', avg_pool_3x3: 'pool3×3', skip_connect: 'skip', none: 'none' };
  g.edges.forEach((e, i) => {
    const from = e.from ?? [0, 0, 1, 0, 1, 2][i], to = e.to ?? [1, 2, 2, 3, 3, 3][i];
    const x1 = nodeX[from] + 14, x2 = nodeX[to] - 14, span = to - from;
    const lift = span === 1 ? 0 : span === 2 ? (from === 0 ? -52 : 52) : -98;
    const cy = y + lift * 1.35;
    const rule = e.rule ? RULE[e.rule] || NO_RULE : NO_RULE;
    const colour = e.op === 'none' ? '#e4e7ec' : rule.colour;
    const dash = e.op === 'none' ? 'stroke-dasharray="4 4"' : '';
    out += `<g class="edge" data-op="${esc(e.op)}" ${e.rule ? `data-rule="${esc(e.rule)}"` : ''}>`;
    out += `<path d="M${x1},${y} Q${(x1 + x2) / 2},${cy} ${x2},${y}" fill="none" stroke="${colour}" stroke-width="${e.rule ? 5 : 3}" ${dash}/>`;
    const lx = (x1 + x2) / 2, ly = y + lift * 0.7 + (span === 1 ? -8 : 4);
    out += `<text x="${lx}" y="${ly}" text-anchor="middle" fill="#1d2430">${esc(short[e.op] || e.op)}${e.rule ? ' @' + esc(e.rule) : ''}</text></g>`;
  });
  nodeX.forEach((x, i) => {
    out += `<circle cx="${x}" cy="${y}" r="14" fill="#fff" stroke="#1d2430" stroke-width="1.5"/><text x="${x}" y="${y + 4}" text-anchor="middle" class="box-title">${i}</text>`;
  });
  out += `<line class="arrow" x1="78" y1="${y}" x2="${nodeX[0] - 16}" y2="${y}"/><line class="arrow" x1="${nodeX[3] + 16}" y1="${y}" x2="482" y2="${y}"/>`;
  return out;
}

/** A fixed (non-cell) part of the NB-201 network, coloured by its rule. */
function fixedBox(x, y, title, ruleName, sub) {
  const rule = RULE[ruleName] || NO_RULE;
  return `<g class="layer" data-op="${title}" data-rule="${esc(ruleName)}"><rect x="${x}" y="${y}" width="70" height="52" rx="6" fill="${rule.colour}"/>`
    + `<text class="box-title" x="${x + 35}" y="${y + 16}" text-anchor="middle" fill="${rule.text}">${title} @${esc(ruleName)}</text>`
    + `<text x="${x + 35}" y="${y + 32}" text-anchor="middle" fill="${rule.text}">${esc(sub)}</text></g>`;
}

// ------------------------------------------------------------------ helpers

function setLive(live) {
  $('live').classList.toggle('live', live);
  setStatus();
}

function setStatus(message) {
  const live = $('live').classList.contains('live');
  $('status-text').textContent = message
    || `${live ? 'live' : 'reconnecting…'} · ${state.entries.size} loaded${state.total > state.entries.size ? ` of ${state.total}` : ''}`;
}

function fillSelect(select, values, chosen, label = v => v) {
  const html = values.map(v => `<option value="${esc(v)}"${v === chosen ? ' selected' : ''}>${esc(label(v))}</option>`).join('');
  if (select.dataset.html !== html) { select.innerHTML = html; select.dataset.html = html; }
}

function mainRule(e) {
  const f = Object.entries(e.rule_fractions || {});
  return f.length ? f.sort((a, b) => b[1] - a[1])[0][0] : (e.rules || [])[0];
}

function share(e, r) {
  const f = (e.rule_fractions || {})[r];
  return f === undefined ? '' : `${(f * 100).toFixed(0)}% of the parameters`;
}

function chip(name, title) {
  return `<li>${chipSpan(name, title)}</li>`;
}

function chipSpan(name, title) {
  const r = RULE[name] || NO_RULE;
  return `<span class="chip" data-rule="${esc(name)}" style="background:${r.colour};color:${r.text}" title="${esc(title || '')}">${esc(name)}</span>`;
}

function numCell(v, digits) {
  return v === undefined ? '<td class="num missing">–</td>' : `<td class="num">${fmt(v, digits)}</td>`;
}

function fmt(v, digits) {
  return v === undefined ? '–' : Number(v).toFixed(digits);
}

function shapeText(s) {
  return s[1] === 1 && s[2] === 1 ? `${s[0]}` : `${s[0]}×${s[1]}×${s[2]}`;
}

/** A padded axis range in steps of 0.05, at least 0.1 wide. */
function domain(values) {
  let lo = Math.floor((Math.min(...values) - 0.01) / 0.05) * 0.05, hi = Math.ceil((Math.max(...values) + 0.01) / 0.05) * 0.05;
  if (hi - lo < 0.1) { lo -= 0.05; hi += 0.05; }
  return [Math.max(0, lo), Math.min(1, hi)];
}

function ticks([lo, hi]) {
  const step = hi - lo > 0.5 ? 0.1 : 0.05, out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9; t += step) out.push(t);
  return out;
}

function esc(s) {
  return String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// one click handler per panel, whatever rows or points are drawn
function select(id) {
  if (!id) return;
  state.selected = id;
  render();
}
$('entries').addEventListener('click', e => select(e.target.closest('tr')?.dataset.id));
$('scatter').addEventListener('click', e => select(e.target.closest('circle')?.dataset.id));
$('progress').addEventListener('click', e => select(e.target.closest('circle.step')?.dataset.id));
// a point's tooltip is made when the pointer first reaches it, not for every point on every redraw
$('scatter').addEventListener('mouseover', event => {
  const point = event.target.closest('circle.point');
  const e = point && !point.firstChild && state.entries.get(point.dataset.id);
  if (!e) return;
  const robust = robustMetric();
  const title = document.createElementNS('http://www.w3.org/2000/svg', 'title');
  title.textContent = `${e.genome_id} (${e.experiment_id}): ${ACCURACY} ${fmt(e.metrics[ACCURACY], 4)}, ${robust} ${fmt(e.metrics[robust], 4)}, rules ${e.rules.join(' ')}`;
  point.appendChild(title);
});

start();
