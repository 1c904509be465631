// Focused benchmark of the VCD message unwrap alone (the "VCD unwrap" row of bench.mjs):
// `decodeMessage(bytes)` of the vcd-mqtt package against TextDecoder + JSON.parse layer by
// layer, on the object-extension invocation sample, interleaved round by round in one process.
//
//   node message-bench.mjs            (VCD_MQTT_PKG, BENCH_ROUNDS = 15, BENCH_UNWRAP = 20000)
//
// VCD_MQTT_PKG may list several package folders separated by commas (e.g. builds with different
// opt-levels): each gets its own row, all interleaved in the same run.
import { readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { unwrapJsonParse } from "./unwrap-json-parse.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const PKGS = (process.env.VCD_MQTT_PKG ?? join(HERE, "../../wasm/pkg")).split(",").map((p) => resolve(p));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const N = Number(process.env.BENCH_UNWRAP ?? 20000);
const bytes = new Uint8Array(readFileSync(join(HERE, "../data/object-extension-invocation.json")));

const variants = [];
for (const pkg of PKGS) {
  const vcd = await import(pathToFileURL(join(pkg, "node/index.mjs")).href);
  const name = PKGS.length > 1 ? `decodeMessage ${pkg}` : "decodeMessage";
  variants.push([name, () => vcd.decodeMessage(bytes)]);
}
variants.push(["JSON.parse layers", () => unwrapJsonParse(bytes)]);
const ms = variants.map(() => []);
let sink = 0;
for (let round = 0; round < ROUNDS + 2; round++) {
  for (let k = 0; k < variants.length; k++) {
    const i = (k + round) % variants.length;
    const f = variants[i][1];
    const t0 = performance.now();
    for (let j = 0; j < N; j++) sink += f() ? 1 : 0;
    if (round >= 2) ms[i].push(performance.now() - t0);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const us = variants.map((_, i) => (median(ms[i]) * 1000) / N);
const base = us[us.length - 1];
for (let i = 0; i < variants.length; i++)
  console.log(`${variants[i][0].padEnd(18)} ${us[i].toFixed(2)} µs/message  ${(us[i] / base).toFixed(2)}x JSON.parse`);
console.log(`${new Date().toISOString()} (sink ${sink})`);
