// Same-process A/B of package builds (and mqtt-packet), for a loaded machine where separate
// processes cannot be compared: every contender is imported into THIS process and timed round
// by round, interleaved, `gc()` before each round; prints median and min ns/packet and the
// ratio of medians against mqtt-packet when it is one of the contenders.
//
//   node --expose-gc ab.mjs MODE ROUNDS CONTENDER...
//   MODE: one (decodePacket per chunk), chunk (push(chunk, onPacket)), chunkarr (push(chunk)),
//         buf (push(buffer, onPacket)), bufarr (push(buffer)), live (push(chunk, onPacket) with
//         ONE decoder / parser and ONE callback for all rounds, as on a long-lived connection:
//         in the other modes each round's new decoder and callback die at the next round's
//         `gc()`, which throws the optimized code that inlined them away every round),
//         churn (like live, but a new decoder per round, freed after it, while one other
//         decoder stays alive: connections that come and go while others stay)
//   CONTENDER: a built package folder (e.g. wasm/pkg or a copy of an older build) or
//              "mqtt-packet"; env N = packets (default 100000).
// Caveat (measured at 19:25 on a quiet machine): the position in the list matters. Of two
// identical copies of one build, the one listed right after mqtt-packet ran 8-12 % slower in
// every run, so compare a variant with a copy of the base in the same position, e.g.
// `mqtt-packet BASE BASE-COPY VARIANT`, and read VARIANT against BASE-COPY.
// The packet is the benchmarks' 245-byte QoS 1 PUBLISH (packet.mjs, shared with bench.mjs).
import { pathToFileURL } from "node:url";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { PACKET } from "./packet.mjs";
const [mode, roundsArg, ...pkgs] = process.argv.slice(2);
const ROUNDS = Number(roundsArg);
const N = Number(process.env.N ?? 100000);
const ONE = Buffer.concat(Array.from({ length: N }, () => PACKET));
const CHUNKS = Array.from({ length: N }, (_, i) => ONE.subarray(i * 245, (i + 1) * 245));
let sink = 0;
const mk = (vcd) => ({
  buf() { const d = new vcd.StreamDecoder(); let n = 0; d.push(ONE, (p) => { n++; sink ^= p.payload.length; }); d.free(); return n; },
  bufarr() { const d = new vcd.StreamDecoder(); const a = d.push(ONE); d.free(); return a.length; },
  chunk() { const d = new vcd.StreamDecoder(); let n = 0; const f = (p) => { n++; sink ^= p.payload.length; }; for (const c of CHUNKS) d.push(c, f); d.free(); return n; },
  chunkarr() { const d = new vcd.StreamDecoder(); let n = 0; for (const c of CHUNKS) n += d.push(c).length; d.free(); return n; },
  live: (() => { let d = null; let n = 0; const f = (p) => { n++; sink ^= p.payload.length; }; return () => { d ??= new vcd.StreamDecoder(); n = 0; for (const c of CHUNKS) d.push(c, f); return n; }; })(),
  churn: (() => { let other = null; let n = 0; const f = (p) => { n++; sink ^= p.payload.length; }; return () => { other ??= new vcd.StreamDecoder(); other.push(CHUNKS[0], f); const d = new vcd.StreamDecoder(); n = 0; for (const c of CHUNKS) d.push(c, f); d.free(); return n; }; })(),
  one() { let n = 0; for (const c of CHUNKS) { const { packet, length } = vcd.decodePacket(c); n += length === 245; sink ^= packet.payload.length; } return n; },
})[mode];
const mqttPacket = createRequire(import.meta.url)("mqtt-packet");
const mp = {
  buf() { const parser = mqttPacket.parser({ protocolVersion: 4 }); let n = 0; parser.on("packet", (p) => { n++; sink ^= p.payload.length; }); parser.parse(ONE); return n; },
  chunk() { const parser = mqttPacket.parser({ protocolVersion: 4 }); let n = 0; parser.on("packet", (p) => { n++; sink ^= p.payload.length; }); for (const c of CHUNKS) parser.parse(c); return n; },
};
mp.live = (() => { let parser = null; let n = 0; return () => { if (parser === null) { parser = mqttPacket.parser({ protocolVersion: 4 }); parser.on("packet", (p) => { n++; sink ^= p.payload.length; }); } n = 0; for (const c of CHUNKS) parser.parse(c); return n; }; })();
mp.churn = mp.live;
mp.one = mp.chunk; mp.bufarr = mp.buf; mp.chunkarr = mp.chunk;
const runs = [];
for (const p of pkgs) runs.push(p === "mqtt-packet" ? mp[mode] : mk(await import(pathToFileURL(join(resolve(p), "node/index.mjs")).href)));
const ms = pkgs.map(() => []);
for (let r = 0; r < ROUNDS + 2; r++) {
  for (let i = 0; i < runs.length; i++) {
    globalThis.gc?.();
    const t0 = performance.now();
    const n = runs[i]();
    const dt = performance.now() - t0;
    if (n !== N) throw new Error(`n=${n}`);
    if (r >= 2) ms[i].push(dt);
  }
}
const med = ms.map((m) => m.sort((a, b) => a - b)[m.length >> 1]);
const mpi = pkgs.indexOf("mqtt-packet");
pkgs.forEach((p, i) => { const m = ms[i]; console.log(`${mode} ${p.split("/").pop().padEnd(12)} median ${(med[i] * 1e6 / N).toFixed(1)} min ${(m[0] * 1e6 / N).toFixed(1)} ns/packet` + (mpi >= 0 && i !== mpi ? ` ratio(median) ${(med[mpi] / med[i]).toFixed(2)}x` : "")); });
