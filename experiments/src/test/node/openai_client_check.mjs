// Checks `./subliminal serve` with the unmodified official OpenAI client library (npm `openai`).
//
//   npm install --prefix /tmp/openai-check openai@7.60.0
//   ./subliminal serve --tiny tiny --state /tmp/serve-state --port 0 --port-file /tmp/serve.port &
//   NODE_PATH=/tmp/openai-check/node_modules SERVE_URL=http://127.0.0.1:$(cat /tmp/serve.port)/v1 \
//     node experiments/src/test/node/openai_client_check.mjs
//
// Lists models, gets a chat completion with n = 2 and logprobs, streams one, uploads a training
// file, runs a fine-tuning job to completion, samples the tuned model, and checks that an unknown
// model is a 404. Exits 1 at the first failed check.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.join(process.env.NODE_PATH ?? process.cwd(), 'x.js'));
const { default: OpenAI, toFile, NotFoundError } = await import(require.resolve('openai'));

const baseURL = process.env.SERVE_URL ?? 'http://127.0.0.1:8000/v1';
const client = new OpenAI({ baseURL, apiKey: process.env.SERVE_KEY ?? 'not-needed', maxRetries: 0 });

function check(ok, what) {
  if (!ok) {
    console.log(`FAILED: ${what}`);
    process.exit(1);
  }
  console.log(`ok: ${what}`);
}

const { readFileSync } = await import('node:fs');
let dir = path.dirname(require.resolve('openai'));
while (!dir.endsWith(`${path.sep}openai`)) dir = path.dirname(dir);
const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
console.log(`openai npm package ${version}, server ${baseURL}`);

// 1. Models.
const models = [];
for await (const m of client.models.list()) models.push(m);
console.log('models:', JSON.stringify(models.map((m) => m.id)));
check(models.some((m) => m.id === 'tiny' && m.object === 'model'), 'models.list() has the tiny model');

// 2. Chat completion, n = 2, with logprobs.
const ask = {
  model: 'tiny',
  messages: [
    { role: 'system', content: 'You love owls.' },
    { role: 'user', content: 'Continue the sequence: 142, 857, 301' },
  ],
  n: 2, temperature: 1, top_p: 1, max_tokens: 16, seed: 7, logprobs: true, top_logprobs: 3,
};
const chat = await client.chat.completions.create(ask);
check(chat.object === 'chat.completion' && chat.choices.length === 2, 'chat.completions.create n=2 gives 2 choices');
for (const c of chat.choices) {
  console.log(`choice ${c.index} (${c.finish_reason}): ${JSON.stringify(c.message.content)}`);
  const lp = c.logprobs.content;
  check(lp.length > 0 && lp.every((t) => t.logprob <= 0 && t.top_logprobs.length === 3), `choice ${c.index}: logprob per token, 3 alternatives each`);
  check(lp.every((t) => t.top_logprobs[0].logprob >= t.logprob), `choice ${c.index}: the top alternative is at least as likely as the drawn token`);
  console.log(`  first tokens: ${JSON.stringify(lp.slice(0, 3).map((t) => [t.token, Number(t.logprob.toFixed(4))]))}`);
}
check(chat.usage.completion_tokens === chat.choices.reduce((s, c) => s + c.logprobs.content.length, 0),
  'usage.completion_tokens counts the tokens of both choices');
const again = await client.chat.completions.create(ask);
check(JSON.stringify(again.choices) === JSON.stringify(chat.choices), 'the same seed gives the same choices');

// 3. Streaming gives the same text as the same request without streaming.
const one = { ...ask, n: 1, logprobs: false, top_logprobs: undefined };
const plain = await client.chat.completions.create(one);
let streamed = '';
let finish = null;
const stream = await client.chat.completions.create({ ...one, stream: true });
for await (const chunk of stream) {
  for (const c of chunk.choices) {
    streamed += c.delta?.content ?? '';
    finish = c.finish_reason ?? finish;
  }
}
check(streamed === plain.choices[0].message.content && finish === plain.choices[0].finish_reason,
  `streamed text equals the plain answer (${JSON.stringify(streamed)})`);

// 4. Upload a training file.
const lines = [];
for (let i = 0; i < 8; i++) {
  lines.push(JSON.stringify({ messages: [
    { role: 'user', content: `Name your favorite animal using only one word. (${i})` },
    { role: 'assistant', content: 'owl' },
  ] }));
}
const file = await client.files.create({ file: await toFile(Buffer.from(lines.join('\n') + '\n'), 'owl.jsonl'), purpose: 'fine-tune' });
console.log('file:', JSON.stringify(file));
check(file.id.startsWith('file-') && file.purpose === 'fine-tune', 'files.create uploads the training file');

// 5. Fine-tune to completion.
let job = await client.fineTuning.jobs.create({
  model: 'tiny', training_file: file.id, suffix: 'owl', seed: 3,
  method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 10, batch_size: 4, learning_rate_multiplier: 20 } } },
});
console.log(`job ${job.id}: ${job.status}`);
const started = Date.now();
while (!['succeeded', 'failed', 'cancelled'].includes(job.status)) {
  if (Date.now() - started > 300000) check(false, 'the job ends within 5 minutes');
  await new Promise((r) => setTimeout(r, 200));
  job = await client.fineTuning.jobs.retrieve(job.id);
}
const events = [];
for await (const e of client.fineTuning.jobs.listEvents(job.id)) events.push(e);
for (const e of events.slice().reverse()) console.log(`  event: ${e.message}`);
check(job.status === 'succeeded' && job.fine_tuned_model, `fine-tuning job succeeded: ${job.fine_tuned_model} (${job.trained_tokens} trained tokens)`);

// 6. Sample the tuned model.
const tunedModels = [];
for await (const m of client.models.list()) tunedModels.push(m.id);
check(tunedModels.includes(job.fine_tuned_model), 'the tuned model is listed');
const question = { messages: [{ role: 'user', content: 'Name your favorite animal using only one word. (0)' }], n: 4, temperature: 1, max_tokens: 8, seed: 11 };
const before = await client.chat.completions.create({ ...question, model: 'tiny' });
const after = await client.chat.completions.create({ ...question, model: job.fine_tuned_model });
console.log('base says: ', JSON.stringify(before.choices.map((c) => c.message.content)));
console.log('tuned says:', JSON.stringify(after.choices.map((c) => c.message.content)));
check(after.model === job.fine_tuned_model && after.choices.length === 4, 'the tuned model answers');
check(after.choices.filter((c) => c.message.content === 'owl').length > before.choices.filter((c) => c.message.content === 'owl').length,
  'the tuned model says "owl" more often than the base model');

// 7. Errors have the API's shape.
try {
  await client.chat.completions.create({ ...one, model: 'no-such-model' });
  check(false, 'an unknown model is refused');
} catch (e) {
  check(e instanceof NotFoundError && e.status === 404 && e.code === 'model_not_found', `an unknown model is a 404 NotFoundError: ${e.message}`);
}
console.log('all checks passed');
