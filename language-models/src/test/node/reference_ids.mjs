// Reference ids of any tokenizer.json on the fixture corpus, for checking a real tokenizer by hand
// (the file itself is too large to commit). With @huggingface/tokenizers installed (package.json):
//
//   node reference_ids.mjs path/to/tokenizer.json \
//       ../resources/dev/subliminal/lm/tokenizer/fixtures.json.gz /tmp/ids.json
//
// then compare with the Java tokenizer:
//   java -cp ... dev.subliminal.lm.bench.RealTokenizerCheck path/to/tokenizer.json /tmp/ids.json
import fs from "node:fs";
import zlib from "node:zlib";
import { Tokenizer } from "@huggingface/tokenizers";

const [file, fixtures, out] = process.argv.slice(2);
const tok = new Tokenizer(JSON.parse(fs.readFileSync(file, "utf8")), {});
const cases = JSON.parse(zlib.gunzipSync(fs.readFileSync(fixtures)).toString("utf8")).cases;
fs.writeFileSync(out, JSON.stringify(cases.map((c) => ({
  text: c.text, ids: Array.from(tok.encode(c.text, { add_special_tokens: false }).ids) }))));
console.log(`${cases.length} texts encoded with ${file}`);
