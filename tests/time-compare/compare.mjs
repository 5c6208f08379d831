// Dev-only comparison: chrono-node on our development corpus, scored exactly like
// src/domain/time/corpus_tests.rs (date / date+minute / wall time, in the case's zone).
// Run: npm install && npm run compare
import { readFileSync } from "node:fs";
import * as chrono from "chrono-node";

const lines = readFileSync(new URL("../data/time_phrases.jsonl", import.meta.url), "utf8")
  .split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l)).filter((c) => !c._header);

const pad = (n) => String(n).padStart(2, "0");
const score = {};
for (const c of lines) {
  process.env.TZ = c.zone; // Node re-reads TZ for Date computations.
  const [d, t] = c.ref.split("T");
  const [y, mo, da] = d.split("-").map(Number);
  const [h, mi] = t.split(":").map(Number);
  const ref = new Date(y, mo - 1, da, h, mi, 0);
  const parser = c.date_order === "dmy" ? chrono.en.GB : chrono;
  const got = parser.parseDate(c.phrase, ref, { forwardDate: true });
  let reading = null;
  if (got) {
    const date = `${got.getFullYear()}-${pad(got.getMonth() + 1)}-${pad(got.getDate())}`;
    const time = `${pad(got.getHours())}:${pad(got.getMinutes())}`;
    reading = c.kind === "date" ? date : c.kind === "datetime" ? `${date}T${time}` : time;
  }
  const s = (score[c.kind] ??= [0, 0]);
  s[1] += 1;
  if (reading === c.expected) s[0] += 1;
}
let ok = 0, all = 0;
for (const [kind, [k, n]] of Object.entries(score)) {
  console.log(`chrono-node ${kind}: ${k}/${n} = ${((100 * k) / n).toFixed(1)}%`);
  ok += k; all += n;
}
console.log(`chrono-node total: ${ok}/${all} = ${((100 * ok) / all).toFixed(1)}%`);
