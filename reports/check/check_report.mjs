// Opens a report's index.html in headless Chromium through the DevTools protocol and fails (exit 1)
// on any console error, uncaught exception, failed request or image that did not load.
// Usage: node --experimental-websocket check_report.mjs DEBUG_PORT FILE_URL
const [port, url] = process.argv.slice(2);
const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
const page = targets.find(t => t.type === 'page');
const ws = new WebSocket(page.webSocketDebuggerUrl);
await new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = fail; });
let id = 0;
const pending = new Map();
const problems = [];
let loaded;
const loadedPromise = new Promise(ok => { loaded = ok; });
ws.onmessage = event => {
  const m = JSON.parse(event.data);
  if (m.id && pending.has(m.id)) { pending.get(m.id)(m); pending.delete(m.id); return; }
  if (m.method === 'Runtime.consoleAPICalled' && ['error', 'warning', 'assert'].includes(m.params.type)) {
    problems.push(`console ${m.params.type}: ${m.params.args.map(a => a.value ?? a.description).join(' ')}`);
  } else if (m.method === 'Runtime.exceptionThrown') {
    problems.push(`exception: ${m.params.exceptionDetails.text}`);
  } else if (m.method === 'Log.entryAdded' && ['error', 'warning'].includes(m.params.entry.level)) {
    problems.push(`log ${m.params.entry.level}: ${m.params.entry.text} ${m.params.entry.url ?? ''}`);
  } else if (m.method === 'Network.loadingFailed') {
    problems.push(`request failed: ${m.params.errorText}`);
  } else if (m.method === 'Page.loadEventFired') {
    loaded();
  }
};
const send = (method, params = {}) => new Promise(ok => {
  const n = ++id;
  pending.set(n, ok);
  ws.send(JSON.stringify({ id: n, method, params }));
});
for (const domain of ['Runtime', 'Log', 'Network', 'Page']) await send(`${domain}.enable`);
await send('Page.navigate', { url });
await Promise.race([loadedPromise, new Promise((_, fail) => setTimeout(() => fail(new Error('no load event in 60 s')), 60000))]);
const r = await send('Runtime.evaluate', { returnByValue: true, expression: `JSON.stringify({
  images: document.images.length,
  broken: [...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.alt),
  external: [...document.querySelectorAll('[src]')].map(e => e.getAttribute('src')).filter(s => !s.startsWith('data:')),
  tables: document.querySelectorAll('table').length,
  title: document.title })` });
const page0 = JSON.parse(r.result.result.value);
ws.close();
for (const alt of page0.broken) problems.push(`image not loaded: ${alt}`);
for (const src of page0.external) problems.push(`image not inlined: ${src}`);
if (page0.images === 0) problems.push('no image in the page');
console.log(`${url}: "${page0.title}", ${page0.tables} tables, ${page0.images} images, ${page0.broken.length} not loaded, `
  + `${problems.length} problems`);
problems.forEach(p => console.log(`  ${p}`));
process.exit(problems.length === 0 ? 0 : 1);
