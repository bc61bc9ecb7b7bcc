// Opens each report given in headless Chromium at a 1,400 × 900 window through the DevTools
// protocol, saves a full-page screenshot beside it, and fails (exit 1) when a table needs a
// horizontal scroll, the page itself scrolls sideways, an image did not load, or a figure lacks a
// caption stating n.
// Usage: node --experimental-websocket screenshot_reports.mjs DEBUG_PORT SHOTS_DIR REPORT_DIR...
import { writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';

const [port, shots, ...reports] = process.argv.slice(2);
const WIDTH = 1400;
const HEIGHT = 900;
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const ws = new WebSocket(targets.find(t => t.type === 'page').webSocketDebuggerUrl);
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
let id = 0;
const pending = new Map();
let loaded = () => {};
ws.onmessage = event => {
  const m = JSON.parse(event.data);
  if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); return; }
  if (m.method === 'Page.loadEventFired') loaded();
};
const send = (method, params = {}) => new Promise(ok => {
  const n = ++id;
  pending.set(n, ok);
  ws.send(JSON.stringify({ id: n, method, params }));
});
await send('Page.enable');
await send('Runtime.enable');
await send('Emulation.setDeviceMetricsOverride', { width: WIDTH, height: HEIGHT, deviceScaleFactor: 1, mobile: false });

let failures = 0;
const nameOf = dir => basename(dir) === 'report' ? basename(dirname(dir)) : basename(dir);
for (const dir of reports) {
  const url = `file://${dir}/index.html`;
  const loadedNow = new Promise(ok => { loaded = ok; });
  await send('Page.navigate', { url });
  await Promise.race([loadedNow, new Promise((_, fail) => setTimeout(() => fail(new Error(`no load event for ${url}`)), 60000))]);
  const r = await send('Runtime.evaluate', { returnByValue: true, expression: `JSON.stringify({
    page: { scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth },
    tables: [...document.querySelectorAll('table')].map(t => {
      const box = t.closest('.scroll') || t.parentElement;
      return { title: (t.closest('div').previousElementSibling?.textContent || '').slice(0, 60),
               width: Math.round(t.getBoundingClientRect().width), scrollWidth: box.scrollWidth, clientWidth: box.clientWidth };
    }),
    figures: [...document.querySelectorAll('figure')].map(f => ({
      alt: f.querySelector('img')?.alt || '',
      loaded: !!f.querySelector('img') && f.querySelector('img').complete && f.querySelector('img').naturalWidth > 0,
      caption: f.querySelector('figcaption')?.textContent || '' })) })` });
  const page = JSON.parse(r.result.result.value);
  const problems = [];
  if (page.page.scrollWidth > page.page.clientWidth) {
    problems.push(`the page scrolls sideways: ${page.page.scrollWidth} > ${page.page.clientWidth} px`);
  }
  for (const t of page.tables) {
    if (t.scrollWidth > t.clientWidth + 1) problems.push(`table "${t.title}" needs a horizontal scroll: ${t.scrollWidth} > ${t.clientWidth} px`);
  }
  for (const f of page.figures) {
    if (!f.loaded) problems.push(`figure "${f.alt}" did not load`);
    if (!/\bn = \d/.test(f.caption)) problems.push(`figure "${f.alt}" has no caption stating n`);
  }
  if (page.figures.length === 0) problems.push('no figure');
  const shot = await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true });
  const file = `${shots}/${nameOf(dir)}.png`;
  writeFileSync(file, Buffer.from(shot.result.data, 'base64'));
  const widest = Math.max(...page.tables.map(t => t.width));
  console.log(`${nameOf(dir)}: ${page.tables.length} tables (widest ${widest} px of ${page.page.clientWidth}), `
    + `${page.figures.length} figures with captions stating n: ${page.figures.filter(f => /\bn = \d/.test(f.caption)).length}; `
    + `${problems.length === 0 ? 'ok' : problems.length + ' problems'}; screenshot ${file}`);
  problems.forEach(p => console.log(`  ${p}`));
  failures += problems.length;
}
ws.close();
process.exit(failures === 0 ? 0 : 1);
