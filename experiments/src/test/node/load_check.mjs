// Load check of `./subliminal serve`: C concurrent chat requests (default 200) fired at once,
// each with its own seed; counts errors and lost requests (every seed must come back once) and
// reports latency percentiles and completion tokens per second of wall time.
//
//   SERVE_URL=http://127.0.0.1:PORT/v1 node experiments/src/test/node/load_check.mjs [C] [MAX_TOKENS]
const baseURL = process.env.SERVE_URL ?? 'http://127.0.0.1:8000/v1';
const count = Number(process.argv[2] ?? 200);
const maxTokens = Number(process.argv[3] ?? 16);

async function one(seed) {
  const t0 = performance.now();
  const r = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${process.env.SERVE_KEY ?? 'none'}` },
    body: JSON.stringify({
      model: 'tiny', n: 1, temperature: 1, max_tokens: maxTokens, seed,
      messages: [{ role: 'user', content: `Continue the sequence: ${seed}, 142, 857` }],
    }),
  });
  const body = await r.json();
  return { seed, status: r.status, ms: performance.now() - t0, body };
}

const start = performance.now();
const results = await Promise.allSettled(Array.from({ length: count }, (_, i) => one(i)));
const wall = (performance.now() - start) / 1000;
const ok = results.filter((r) => r.status === 'fulfilled' && r.value.status === 200 && r.value.body.choices?.length === 1);
const errors = results.length - ok.length;
const seen = new Set(ok.map((r) => r.value.seed));
const lost = count - seen.size;
const lat = ok.map((r) => r.value.ms).sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.ceil((p / 100) * lat.length) - 1)];
const tokens = ok.reduce((s, r) => s + r.value.body.usage.completion_tokens, 0);
console.log(JSON.stringify({
  requests: count, concurrent: count, maxTokens, errors, lost,
  p50_ms: Number(pct(50).toFixed(1)), p99_ms: Number(pct(99).toFixed(1)), max_ms: Number(lat[lat.length - 1].toFixed(1)),
  wall_s: Number(wall.toFixed(2)), completion_tokens: tokens, tokens_per_s: Number((tokens / wall).toFixed(1)),
}));
if (errors > 0 || lost > 0) process.exit(1);
