// Differential check of `decodeMessage` between two builds of the vcd-mqtt package (e.g. main
// and a branch that changes how the result is built): every sample in shared/vcd/samples, as
// bytes, as a string and truncated, plus thousands of mutations of them (each member, down to
// the JSON text nested in string members, removed or replaced by values of every JSON type).
// Results must be identical to the byte: JSON.stringify (so key order counts, byte bodies
// compared as arrays) and, for errors, name, code, message, rule, path, layer and own keys.
//
//   node message-diff.mjs OLD_PKG_DIR NEW_PKG_DIR   (VCD_SAMPLES_DIR, default ../../../shared/vcd/samples)
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";

const HERE = dirname(fileURLToPath(import.meta.url));
const [oldDir, newDir] = process.argv.slice(2).map((p) => resolve(p));
if (!oldDir || !newDir) throw new Error("usage: node message-diff.mjs OLD_PKG_DIR NEW_PKG_DIR");
const A = await import(pathToFileURL(join(oldDir, "node/index.mjs")).href);
const B = await import(pathToFileURL(join(newDir, "node/index.mjs")).href);
const S = resolve(process.env.VCD_SAMPLES_DIR ?? join(HERE, "../../../shared/vcd/samples"));
const repl = (k, v) => (v instanceof Uint8Array ? { u8: [...v] } : v);
function run(m, input) {
  try {
    return "OK " + JSON.stringify(m.decodeMessage(input), repl);
  } catch (e) {
    return "ERR " + JSON.stringify({ name: e.name, code: e.code, message: e.message, rule: e.rule, path: e.path, layer: e.layer, ctor: e.constructor.name, keys: Object.keys(e) });
  }
}
const values = [undefined, null, 0, 1.5, -3, 1e300, "", "x", "{}", "{\"envelopeType\":\"HalfDuplexEnvelope\"}", true, [], [1, "a"], {}, { a: 1 }];
const inputs = [];
function mutations(obj, path, out, depth) {
  if (obj === null || typeof obj !== "object" || depth > 4) return;
  for (const k of Object.keys(obj)) {
    for (const v of values) {
      const copy = structuredClone(obj);
      if (v === undefined) delete copy[k]; else copy[k] = v;
      out.push([path + "." + k, copy]);
    }
    const child = obj[k];
    if (typeof child === "string" && (child.startsWith("{") || child.startsWith("["))) {
      let parsed;
      try { parsed = JSON.parse(child); } catch { continue; }
      const sub = [];
      mutations(parsed, path + "." + k + "#", sub, depth + 1);
      for (const [p, m] of sub) { const copy = structuredClone(obj); copy[k] = JSON.stringify(m); out.push([p, copy]); }
      const copy = structuredClone(obj); copy[k] = child.slice(0, -1); out.push([path + "." + k + "#trunc", copy]);
    } else if (child && typeof child === "object") {
      const sub = [];
      mutations(child, path + "." + k, sub, depth + 1);
      for (const [p, m] of sub) { const copy = structuredClone(obj); copy[k] = m; out.push([p, copy]); }
    }
  }
}
for (const f of readdirSync(S).filter((f) => f.endsWith(".json")).sort()) {
  const bytes = readFileSync(`${S}/${f}`);
  inputs.push([f, bytes], [f + " str", bytes.toString("utf8")], [f + " trunc", bytes.subarray(0, bytes.length - 3)]);
  const out = [];
  mutations(JSON.parse(bytes), f, out, 0);
  for (const [p, m] of out) inputs.push([p, JSON.stringify(m)]);
  // An object-extension envelope as a JSON-encoded string (the other arguments form).
  const doc = JSON.parse(bytes);
  if (typeof doc.payload === "string" && doc.payload.includes("envelopeType")) {
    try { const p = JSON.parse(doc.payload); if (p.arguments && typeof p.arguments === "object") { p.arguments = JSON.stringify(p.arguments); doc.payload = JSON.stringify(p); inputs.push([f + " args-string", JSON.stringify(doc)]); } } catch {}
  }
}
inputs.push(["garbage", new Uint8Array([0xff, 0xfe])], ["num", 42], ["empty", ""], ["arr", "[]"], ["bad utf8", new Uint8Array([0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d])]);
let same = 0, diff = 0, errs = 0;
for (const [name, input] of inputs) {
  const a = run(A, input), b = run(B, input);
  if (a.startsWith("ERR")) errs++;
  if (a === b) same++;
  else { diff++; if (diff <= 10) console.log("DIFF", name, "\n old", a.slice(0, 600), "\n new", b.slice(0, 600)); }
}
console.log(`${inputs.length} inputs (${errs} errors in old), ${same} same, ${diff} different`);
process.exit(diff ? 1 : 0);
