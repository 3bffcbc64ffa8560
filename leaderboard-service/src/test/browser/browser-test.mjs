// Drives the leaderboard page in headless Chromium; started by LeaderboardPageTest, which publishes
// results onto Kafka once this script prints "LOADED".
//   node browser-test.mjs <page-url> <screenshot.png> <entries-expected> <nb201-genome-id> <epochs-per-entry>
// Screenshots: the page (<screenshot.png>), and its progress and training panels beside it (-progress, -training).
// Exit 0 when every check held; otherwise the failed check on stderr and a screenshot beside the asked one.
import { chromium } from 'playwright-core';

const [url, screenshot, expectedText, nb201Id, epochsText] = process.argv.slice(2);
const expected = Number(expectedText);
const epochs = Number(epochsText);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 120_000; // per step: a loaded CI machine joined the consumer group in 30 s once

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const browser = await chromium.launch({
  executablePath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
const errors = [];
page.on('pageerror', e => errors.push(e.message));
page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
try {
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  // a value only this load of the page has: if anything reloaded the page, it is gone
  await page.evaluate(() => { window.__loadedOnce = true; });
  await page.waitForFunction(() => document.querySelector('#status-text')?.textContent.startsWith('live'), null, { timeout: TIMEOUT });
  console.log('LOADED');

  // entries appear without reload, ranked, with rule chips
  await page.waitForFunction(n => document.querySelectorAll('#entries tbody tr').length >= n, expected, { timeout: TIMEOUT });
  // every row trained (rule chips, a valid accuracy) and evaluated (a test accuracy): the topics may deliver either first
  await page.waitForFunction(() => [...document.querySelectorAll('#entries tbody tr')]
    .every(tr => tr.cells[4].textContent !== '–' && tr.cells[5].textContent !== '–' && tr.querySelector('.chip')), null, { timeout: TIMEOUT });
  console.log(`entries shown after ${Date.now() - started} ms`);
  const rows = await page.$$eval('#entries tbody tr', trs => trs.map(tr => ({
    id: tr.dataset.id, rank: tr.cells[0].textContent, acc: Number(tr.cells[4].textContent),
    chips: [...tr.querySelectorAll('.chip')].map(c => c.dataset.rule),
  })));
  check(rows.length === expected, `expected ${expected} rows, saw ${rows.length}`);
  check(rows[0].rank === '1', `first row has rank ${rows[0].rank}`);
  check(rows.every((r, i) => i === 0 || rows[i - 1].acc >= r.acc), 'rows are not in descending valid accuracy (the default ranking)');
  check(rows.every(r => r.chips.length > 0), 'a row has no rule chips');

  // the scatter: a point per entry with both metrics, and the Pareto front ringed
  await page.waitForFunction(n => document.querySelectorAll('#scatter circle.point').length >= n
      && document.querySelectorAll('#scatter circle.front').length > 0, expected, { timeout: TIMEOUT });
  const front = await page.$$eval('#scatter circle.front', cs => cs.map(c => c.dataset.id));
  const frontLine = await page.$('#scatter path.front-line');
  check(frontLine !== null, 'no Pareto front line');
  console.log(`scatter: ${await page.$$eval('#scatter circle.point', c => c.length)} points, front of ${front.length}`);

  // the genome view: click the best row; its layers are drawn in the colours of their rules
  await page.click(`#entries tbody tr[data-id="${rows[0].id}"]`);
  await page.waitForFunction(id => document.querySelector('#genome-id').textContent === id, rows[0].id, { timeout: TIMEOUT });
  const legend = await page.$$eval('#legend .chip[data-rule]', cs => Object.fromEntries(cs.map(c => [c.dataset.rule, getComputedStyle(c).backgroundColor])));
  check(Object.keys(legend).join(',') === 'bp,fa,usf,brsf,frsf,dfa,hebbian', `legend shows ${Object.keys(legend)}`);
  const layers = await page.$$eval('#genome g.layer[data-rule] rect', rs => rs.map(r => ({ rule: r.parentNode.dataset.rule, fill: getComputedStyle(r).fill })));
  check(layers.length > 0, 'the genome view drew no layer with a rule');
  for (const l of layers) {
    check(legend[l.rule] === l.fill, `a ${l.rule} layer is filled ${l.fill}, its legend colour is ${legend[l.rule]}`);
  }
  const drawn = [...new Set(layers.map(l => l.rule))].sort().join(',');
  check(drawn === [...rows[0].chips].sort().join(','), `genome view rules ${drawn} differ from the row's chips ${rows[0].chips}`);
  check((await page.$$('#genome g.layer')).length > layers.length, 'no pooling or input box drawn');
  console.log(`genome view: ${layers.length} layers with rules ${drawn}`);

  // an NB-201 genome draws its cell: six edges, conv edges in their rule's colour
  if (nb201Id) {
    await page.click(`#entries tbody tr[data-id="${nb201Id}"]`);
    await page.waitForFunction(() => document.querySelectorAll('#genome g.edge').length === 6, null, { timeout: TIMEOUT });
    const edges = await page.$$eval('#genome g.edge[data-rule] path', ps => ps.map(p => ({ rule: p.parentNode.dataset.rule, stroke: getComputedStyle(p).stroke })));
    for (const e of edges) check(legend[e.rule] === e.stroke, `a ${e.rule} edge is drawn ${e.stroke}`);
    console.log(`cell view: 6 edges, ${edges.length} with a rule`);
  }

  // search progress: one best-so-far line per experiment, its steps only ever rising, a step per new best
  await page.waitForFunction(() => document.querySelectorAll('#progress path.series').length === 2, null, { timeout: TIMEOUT });
  const series = await page.$$eval('#progress path.series', ps => ps.map(p => p.dataset.experiment));
  check(series.sort().join(',') === 'evolution-1,random-1', `progress lines for ${series}`);
  for (const experiment of series) {
    const bests = await page.$$eval('#progress circle.step', (cs, colour) => cs.filter(c => c.getAttribute('fill') === colour)
      .map(c => Number(c.dataset.best)), await page.$eval(`#progress path.series[data-experiment="${experiment}"]`, p => p.getAttribute('stroke')));
    check(bests.length > 0 && bests.every((b, i) => i === 0 || b > bests[i - 1]), `${experiment}: best so far does not rise: ${bests}`);
  }
  const overall = Math.max(...rows.map(r => r.acc));
  const top = await page.$$eval('#progress circle.step', cs => Math.max(...cs.map(c => Number(c.dataset.best))));
  check(Math.abs(top - overall) < 1e-3, `the best step ${top} is not the best valid accuracy ${overall}`);
  console.log(`progress: ${series.length} experiments, ${await page.$$eval('#progress circle.step', c => c.length)} steps`);

  // the selected entry's training: its learning curve, one point per epoch, and an angle bar per layer in its rule's colour
  await page.click(`#entries tbody tr[data-id="${rows[0].id}"]`);
  await page.waitForFunction(id => document.querySelector('#training-id').textContent === id
      && document.querySelectorAll('#curves circle.curve-point.valid').length > 0, rows[0].id, { timeout: TIMEOUT });
  const valid = await page.$$eval('#curves circle.curve-point.valid', cs => cs.length);
  check(valid === epochs, `learning curve has ${valid} points, the entry ${epochs} epochs`);
  check((await page.$$('#curves polyline.curve')).length === 3, 'valid, train and loss curves');
  const bars = await page.$$eval('#alignment rect.angle', rs => rs.map(r => ({ rule: r.parentNode.dataset.rule, fill: getComputedStyle(r).fill,
    angle: Number(r.dataset.angle) })));
  check(bars.length > 0, 'no alignment bar drawn');
  for (const b of bars) check(legend[b.rule] === b.fill, `a ${b.rule} angle bar is filled ${b.fill}, its legend colour is ${legend[b.rule]}`);
  console.log(`training view: ${valid} epochs, ${bars.length} layers with angles ${bars.map(b => b.angle.toFixed(1)).join(', ')}`);
  await (await page.$('#progress-panel')).screenshot({ path: screenshot.replace(/\.png$/, '-progress.png') });
  await (await page.$('#training-panel')).screenshot({ path: screenshot.replace(/\.png$/, '-training.png') });

  // a progress step selects its genome
  const step = await page.$eval('#progress circle.step:last-of-type', c => c.dataset.id);
  await page.dispatchEvent(`#progress circle.step[data-id="${step}"]`, 'click');
  await page.waitForFunction(id => document.querySelector('#genome-id').textContent === id, step, { timeout: TIMEOUT });

  // a scatter point selects its genome too
  await page.dispatchEvent(`#scatter circle.point[data-id="${front[0]}"]`, 'click'); // points may overlap
  await page.waitForFunction(id => document.querySelector('#genome-id').textContent === id, front[0], { timeout: TIMEOUT });

  check(await page.evaluate(() => window.__loadedOnce === true), 'the page was reloaded');
  check(errors.length === 0, `errors in the page: ${errors.join('; ')}`);
  await page.click(`#entries tbody tr[data-id="${rows[0].id}"]`);
  await page.waitForTimeout(300);
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`OK in ${Date.now() - started} ms`);
} catch (e) {
  console.error(`FAILED: ${e.message}`);
  if (errors.length) console.error(`errors in the page: ${errors.join('; ')}`);
  await page.screenshot({ path: screenshot.replace(/\.png$/, '-failed.png'), fullPage: true }).catch(() => {});
  process.exitCode = 1;
} finally {
  await browser.close();
}
