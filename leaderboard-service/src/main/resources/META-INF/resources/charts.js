// Search progress and the training of one entry, drawn in plain SVG: best so far over time per experiment
// (/api/progress), the selected entry's learning curve (its "epochs") and each layer's angle to the true gradient
// (its "layer_alignment"). Loaded before app.js, whose helpers (esc, fmt, RULE, NO_RULE, ticks) these call when drawing.
'use strict';

// one colour per experiment line, in the order the experiments are listed (not the rules' colours: lines are experiments)
const EXPERIMENT_COLOURS = ['#2e5aac', '#b42318', '#027a48', '#7a5af8', '#b54708', '#1d2430', '#c11574', '#667085'];
const MAX_EXPERIMENT_LINES = EXPERIMENT_COLOURS.length;

/** Axis range of values padded by a twentieth of their spread (at least 0.02), clamped to [lo, hi] when given. */
function paddedDomain(values, lo = -Infinity, hi = Infinity) {
  let min = Math.min(...values), max = Math.max(...values);
  const pad = Math.max((max - min) / 20, 0.02);
  return [Math.max(lo, min - pad), Math.min(hi, max + pad)];
}

/** About five round ticks across [lo, hi]. */
function niceTicks([lo, hi]) {
  const raw = (hi - lo) / 5, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map(k => k * mag).find(s => s >= raw);
  const out = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + 1e-9; t += step) out.push(Number(t.toFixed(10)));
  return out;
}

/** Grid lines and tick labels of one axis. */
function axis(ticksOf, scale, along, from, to, label) {
  return ticksOf.map(t => along === 'x'
    ? `<g class="axis"><line x1="${scale(t)}" x2="${scale(t)}" y1="${from}" y2="${to}"/><text x="${scale(t)}" y="${to + 15}" text-anchor="middle">${label(t)}</text></g>`
    : `<g class="axis"><line x1="${from}" x2="${to}" y1="${scale(t)}" y2="${scale(t)}"/><text x="${from - 6}" y="${scale(t) + 4}" text-anchor="end">${label(t)}</text></g>`).join('');
}

// ------------------------------------------------------------------ best so far per experiment

/**
 * Steps of the best value so far, one line per experiment (the best MAX_EXPERIMENT_LINES), against the time since
 * the experiment's first proposal; a circle where a new best arrived (click: select that genome).
 */
function renderProgress(progress, selected) {
  const svg = $('progress');
  const W = 840, H = 250, L = 56, R = 16, T = 12, B = 40;
  const metric = progress ? progress.metric : ACCURACY;
  $('progress-title').textContent = `Best ${metric} so far`;
  const series = (progress ? progress.experiments : []).filter(s => s.steps.length)
    .sort((a, b) => best(b) - best(a)).slice(0, MAX_EXPERIMENT_LINES);
  $('progress-note').textContent = progress && progress.experiments.length > series.length
    ? `the ${series.length} best of ${progress.experiments.length} experiments` : '';
  if (!series.length) {
    svg.innerHTML = `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="label">waiting for the first ${esc(metric)}</text>`;
    $('progress-legend').innerHTML = '';
    return;
  }
  const start = s => s.started_at_ms || s.steps[0].at_ms;
  const spanMs = Math.max(60_000, ...series.map(s => s.last_at_ms - start(s)));
  const hours = spanMs > 3 * 3_600_000;
  const unit = hours ? 3_600_000 : 60_000;
  const xs = [0, spanMs / unit];
  const ys = paddedDomain(series.flatMap(s => s.steps.map(p => p.best)));
  const sx = v => L + (v - xs[0]) / (xs[1] - xs[0]) * (W - L - R);
  const sy = v => H - B - (v - ys[0]) / (ys[1] - ys[0]) * (H - T - B);
  let out = axis(niceTicks(xs), sx, 'x', T, H - B, t => t) + axis(niceTicks(ys), sy, 'y', L, W - R, t => t.toFixed(3));
  out += `<text class="label" x="${(L + W - R) / 2}" y="${H - 5}" text-anchor="middle">${hours ? 'hours' : 'minutes'} since the experiment's first proposal</text>`;
  out += `<text class="label" transform="translate(13 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">${esc(metric)}</text>`;
  series.forEach((s, i) => {
    const colour = EXPERIMENT_COLOURS[i];
    const x = p => sx((p - start(s)) / unit);
    let d = '';
    s.steps.forEach((p, k) => { d += k === 0 ? `M${x(p.at_ms)},${sy(p.best)}` : `H${x(p.at_ms)}V${sy(p.best)}`; });
    d += `H${x(Math.max(s.last_at_ms, s.steps[s.steps.length - 1].at_ms))}`;
    out += `<path class="series" data-experiment="${esc(s.experiment_id)}" d="${d}" stroke="${colour}"/>`;
    for (const p of s.steps) {
      out += `<circle class="step${p.genome_id === selected ? ' selected' : ''}" data-id="${esc(p.genome_id)}" data-best="${p.best}" cx="${x(p.at_ms).toFixed(1)}" cy="${sy(p.best).toFixed(1)}" r="${p.genome_id === selected ? 6 : 4}" fill="${colour}"><title>${esc(s.experiment_id)}: ${esc(p.genome_id)} ${fmt(p.best, 4)} after ${fmt((p.at_ms - start(s)) / unit, 1)} ${hours ? 'h' : 'min'}</title></circle>`;
    }
  });
  svg.innerHTML = out;
  $('progress-legend').innerHTML = series.map((s, i) => `<li><span class="swatch" style="background:${EXPERIMENT_COLOURS[i]}"></span>${esc(s.experiment_id || '(none)')}
    <span class="hint">${fmt(best(s), 4)} · ${s.entries} entries</span></li>`).join('');
}

function best(series) {
  return series.steps.length ? series.steps[series.steps.length - 1].best : -Infinity;
}

// ------------------------------------------------------------------ the selected entry's training

function renderTraining(entry) {
  $('training-id').textContent = entry ? entry.genome_id : '–';
  renderCurves(entry);
  renderAlignment(entry);
}

/** Validation and training accuracy per epoch (left axis) and the training loss (right axis). */
function renderCurves(entry) {
  const svg = $('curves');
  const W = 560, H = 210, L = 48, R = 48, T = 12, B = 38;
  const epochs = entry ? entry.epochs || [] : [];
  if (!epochs.length) {
    svg.innerHTML = `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" class="label">${entry
      ? 'no learning curve stored for this entry' : 'click a row or a point to see how it trained'}</text>`;
    return;
  }
  const n = epochs.length;
  const xs = n === 1 ? [0.5, 1.5] : [1, n];
  const accuracies = epochs.flatMap(e => [e.valid_accuracy, e.train_accuracy]);
  const ya = paddedDomain(accuracies, 0, 1), yl = paddedDomain(epochs.map(e => e.train_loss), 0);
  const sx = v => L + (v - xs[0]) / (xs[1] - xs[0]) * (W - L - R);
  const sa = v => H - B - (v - ya[0]) / (ya[1] - ya[0]) * (H - T - B);
  const sl = v => H - B - (v - yl[0]) / (yl[1] - yl[0]) * (H - T - B);
  const epochTicks = niceTicks(xs).filter(t => Number.isInteger(t) && t >= 1 && t <= n);
  let out = axis(epochTicks, sx, 'x', T, H - B, t => t) + axis(niceTicks(ya), sa, 'y', L, W - R, t => t.toFixed(2));
  out += niceTicks(yl).map(t => `<text class="loss-tick" x="${W - R + 6}" y="${sl(t) + 4}">${t.toFixed(2)}</text>`).join('');
  out += `<text class="label" x="${(L + W - R) / 2}" y="${H - 5}" text-anchor="middle">epoch</text>`;
  out += `<text class="label" transform="translate(12 ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">accuracy</text>`;
  out += `<text class="label loss" transform="translate(${W - 4} ${(T + H - B) / 2}) rotate(-90)" text-anchor="middle">train loss</text>`;
  const line = (key, scale, cls) => {
    const pts = epochs.map(e => `${sx(e.epoch).toFixed(1)},${scale(e[key]).toFixed(1)}`);
    return `<polyline class="curve ${cls}" data-metric="${key}" points="${pts.join(' ')}"/>`
      + epochs.map(e => `<circle class="curve-point ${cls}" data-metric="${key}" cx="${sx(e.epoch).toFixed(1)}" cy="${scale(e[key]).toFixed(1)}" r="3.5"><title>epoch ${e.epoch}: ${key} ${fmt(e[key], 4)}</title></circle>`).join('');
  };
  out += line('train_loss', sl, 'loss') + line('train_accuracy', sa, 'train') + line('valid_accuracy', sa, 'valid');
  if (n === 1) out += `<text class="label" x="${(L + W - R) / 2}" y="${T + 14}" text-anchor="middle">one epoch: a curve needs more (demo --epochs N)</text>`;
  svg.innerHTML = out;
}

/**
 * One row per weight layer in network order: a bar to the angle between the update it received under its rules and
 * the true gradient in the last measured epoch, in its rule's colour; grey ticks for earlier epochs. 0° where the
 * update is exact, 90° where the layer receives no error; hebbian layers have no angle (their update is no gradient).
 */
function renderAlignment(entry) {
  const svg = $('alignment');
  const layers = entry ? entry.layer_alignment || [] : [];
  const W = 560, L = 160, R = 70, T = 12;
  if (!layers.length) {
    svg.setAttribute('viewBox', `0 0 ${W} 40`);
    svg.innerHTML = entry ? `<text x="${W / 2}" y="24" text-anchor="middle" class="label">no alignment measured for this entry</text>` : '';
    return;
  }
  const row = Math.max(7, Math.min(22, 360 / layers.length)), H = T + row * layers.length + 26;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const all = layers.flatMap(l => l.angle_degrees_by_epoch || []);
  const max = Math.max(90, ...all) > 90 ? 180 : 90;
  const sx = v => L + v / max * (W - L - R);
  let out = niceTicks([0, max]).map(t => `<g class="axis"><line x1="${sx(t)}" x2="${sx(t)}" y1="${T - 4}" y2="${H - 24}"/><text x="${sx(t)}" y="${H - 10}" text-anchor="middle">${t}°</text></g>`).join('');
  out += `<line class="right-angle" x1="${sx(90)}" x2="${sx(90)}" y1="${T - 4}" y2="${H - 24}"/>`;
  const names = layerNames(entry);
  layers.forEach((l, i) => {
    const y = T + i * row, rule = RULE[l.rule] || NO_RULE, h = Math.max(4, row - 4);
    if (row >= 11) out += `<text class="layer-name" x="${L - 8}" y="${y + row / 2 + 4}" text-anchor="end">${esc(names[i] || l.layer)} @${esc(l.rule)}<title>${esc(l.layer)}</title></text>`;
    out += `<g class="angle-row" data-layer="${esc(l.layer)}" data-rule="${esc(l.rule)}">`;
    if (l.angle_degrees == null) {
      out += `<text class="no-angle" x="${L + 4}" y="${y + row / 2 + 4}">no angle (${l.rule === 'hebbian' ? 'hebbian: no gradient' : 'not measured'})</text>`;
    } else {
      out += `<rect class="angle" data-angle="${l.angle_degrees}" x="${L}" y="${y + 2}" width="${Math.max(1.5, sx(l.angle_degrees) - L).toFixed(1)}" height="${h}" rx="2" fill="${rule.colour}"><title>${esc(l.layer)} @${esc(l.rule)}: ${fmt(l.angle_degrees, 1)}° to the true gradient in the last measured epoch${l.exact_gradient ? ' (exact by derivation)' : ''}; by epoch ${(l.angle_degrees_by_epoch || []).map(a => a.toFixed(1)).join(', ')}</title></rect>`;
      (l.angle_degrees_by_epoch || []).slice(0, -1).forEach(a => { out += `<line class="earlier" x1="${sx(a)}" x2="${sx(a)}" y1="${y + 1}" y2="${y + row - 1}"/>`; });
      const end = Math.max(...(l.angle_degrees_by_epoch || [l.angle_degrees])); // right of the bar and of every tick
      if (row >= 11) out += `<text class="angle-value" x="${sx(end) + 5}" y="${y + row / 2 + 4}">${fmt(l.angle_degrees, 1)}°${l.exact_gradient ? ' exact' : ''}</text>`;
    }
    out += '</g>';
  });
  svg.innerHTML = out;
}

/** "layers[2]" of a chain genome as "#2 conv3×3-64", so a row says what the layer is (the full name is its tooltip). */
function layerNames(entry) {
  const g = entry.genome;
  if (!g || g.space === 'nb201' || !g.layers) return [];
  return entry.layer_alignment.map(l => {
    const m = /^layers\[(\d+)]$/.exec(l.layer), layer = m && g.layers[Number(m[1])];
    if (!layer) return l.layer;
    return `#${m[1]} ` + (layer.op === 'conv' ? `conv${layer.kernel}×${layer.kernel}-${layer.width}` : `${layer.op}-${layer.width}`);
  });
}
