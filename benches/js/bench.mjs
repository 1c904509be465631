// Node benchmarks of the vcd-mqtt npm package against mqtt-packet 9.0.2 (the parser inside
// MQTT.js), run by benches/run.sh, which turns the JSON this writes into benches/README.md.
//
//   node bench.mjs [results.json]
//
// Environment: VCD_MQTT_PKG = folder of the built npm package (default ../../wasm/pkg; its
// package.json, node/ and web/ are used), BENCH_ROUNDS (default 9), BENCH_PACKETS (100000).
//
// 1. Decode BENCH_PACKETS copies of the 245-byte QoS 1 PUBLISH (38-byte topic, 200-byte
//    payload), in the same process and interleaved round by round: as one buffer, and one
//    packet per chunk. Every library's output is checked (count, topic, QoS, packet id, payload
//    bytes) before anything is timed; a library that fails is reported, not timed. vcd-mqtt's
//    StreamDecoder is timed in both payload modes: views on the chunk (its default, like
//    mqtt-packet's Buffer slices) and `copyPayloads: true` (each payload its own ArrayBuffer),
//    returning arrays; and with the onPacket callback (packets handed over one by one, as
//    mqtt-packet's `packet` event does).
// 2. The VCD message unwrap (object-extension invocation sample down to its innermost payload):
//    each of the package's typed routes (decodeMessage, decodeObjectExtension) its own row,
//    against JSON.parse layer by layer, interleaved round by round.
// 3. Bundle sizes: mqtt-packet bundled for browsers with esbuild (minified, gzipped) beside the
//    package's web build (wasm + JS glue), raw and gzipped.

import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";
import { gzipSync, constants as zlibConstants } from "node:zlib";
import { runInNewContext } from "node:vm";
import { performance } from "node:perf_hooks";

import * as esbuild from "esbuild";
import mqttPacket from "mqtt-packet";

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const OUT = resolve(process.argv[2] ?? join(HERE, "results.json"));
const PKG = resolve(process.env.VCD_MQTT_PKG ?? join(HERE, "../../wasm/pkg"));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PACKETS = Number(process.env.BENCH_PACKETS ?? 100000);
const SAMPLE = join(HERE, "../data/object-extension-invocation.json");
const UNWRAP_ITERATIONS = Number(process.env.BENCH_UNWRAP ?? 20000);

const results = {
  node: process.version,
  v8: process.versions.v8,
  packages: {},
  packet: {},
  decode: [],
  unwrap: [],
  bundle: [],
  notes: [],
};

// ---------------------------------------------------------------- the packet (same as Rust)
const TOPIC = "topic/extension/vmware/tests/1.0.0/ext";
const PATTERN =
  '{"eventId":"5a7b3c1e-2f44-4d1a-9e0b-77c2a1d4e9f0","type":"com/vmware/vcloud/event/vm/create","timestamp":"2026-11-26T12:00:00.000Z","operationSuccess":true,"user":"urn:vcloud:user:c24078ed-fc83-4474-9130-503a51b6bd94","org":"urn:vcloud:org:a93c9db9-7471-3192-8d09-a8f7eeda85f9"}';
const PAYLOAD = Buffer.from(PATTERN.repeat(2).slice(0, 200), "latin1");
const PACKET_ID = 0x1234;

function encodeReference() {
  const topic = Buffer.from(TOPIC, "utf8");
  const remaining = 2 + topic.length + 2 + PAYLOAD.length;
  const header = [0x32];
  let len = remaining;
  do {
    let byte = len % 128;
    len = Math.floor(len / 128);
    if (len > 0) byte |= 0x80;
    header.push(byte);
  } while (len > 0);
  const out = Buffer.alloc(header.length + remaining);
  let o = 0;
  for (const b of header) out[o++] = b;
  out.writeUInt16BE(topic.length, o);
  o += 2;
  o += topic.copy(out, o);
  out.writeUInt16BE(PACKET_ID, o);
  o += 2;
  PAYLOAD.copy(out, o);
  return out;
}

const PACKET = encodeReference();
if (TOPIC.length !== 38 || PAYLOAD.length !== 200 || PACKET.length !== 245) {
  throw new Error(`fixture sizes: topic ${TOPIC.length}, payload ${PAYLOAD.length}, packet ${PACKET.length}`);
}
if (process.env.BENCH_PACKET_HEX && process.env.BENCH_PACKET_HEX !== PACKET.toString("hex")) {
  throw new Error("the packet differs from the Rust fixture (BENCH_PACKET_HEX)");
}
const ONE_BUFFER = Buffer.concat(Array.from({ length: PACKETS }, () => PACKET));
const CHUNKS = Array.from({ length: PACKETS }, (_, i) => ONE_BUFFER.subarray(i * PACKET.length, (i + 1) * PACKET.length));
results.packet = { bytes: PACKET.length, topic_bytes: 38, payload_bytes: 200, qos: 1, count: PACKETS, one_buffer_bytes: ONE_BUFFER.length };

// ---------------------------------------------------------------- libraries
const mqttPacketVersion = JSON.parse(readFileSync(require.resolve("mqtt-packet/package.json"), "utf8")).version;
results.packages["mqtt-packet"] = mqttPacketVersion;
results.packages.esbuild = esbuild.version;

let vcd = null;
let vcdError = null;
const pkgJson = join(PKG, "package.json");
if (!existsSync(pkgJson)) {
  vcdError = `the vcd-mqtt package is not built (no ${pkgJson}; run wasm/scripts/build.sh)`;
} else {
  try {
    results.packages["vcd-mqtt"] = JSON.parse(readFileSync(pkgJson, "utf8")).version;
    vcd = await import(pathToFileURL(join(PKG, "node/index.mjs")).href);
  } catch (e) {
    vcdError = `the vcd-mqtt package did not load: ${e.message}`;
  }
}
if (vcdError) results.notes.push(vcdError);

// ---------------------------------------------------------------- decode variants
// Each variant decodes all PACKETS packets and returns what it saw, so it can be checked
// (first run) and so no work is optimised away (later runs).
function checkPacket(p, qosOf, idOf, payloadOf) {
  if (p.topic !== TOPIC) return `topic ${JSON.stringify(p.topic)}`;
  if (qosOf(p) !== 1) return `qos ${qosOf(p)}`;
  if (idOf(p) !== PACKET_ID) return `packet id ${idOf(p)}`;
  const payload = payloadOf(p);
  if (payload.length !== PAYLOAD.length || !Buffer.from(payload.buffer, payload.byteOffset, payload.length).equals(PAYLOAD))
    return `payload of ${payload.length} bytes differs`;
  return null;
}

const ours = (p) => checkPacket(p, (x) => x.qos, (x) => x.packetId, (x) => x.payload);
const theirs = (p) => checkPacket(p, (x) => x.qos, (x) => x.messageId, (x) => x.payload);

const variants = [];
// vcd-mqtt's StreamDecoder in both payload modes: views on the caller's chunk (the default,
// like mqtt-packet's Buffer slices) and copies with their own ArrayBuffer (`copyPayloads`).
const MODES = [
  { suffix: "", options: undefined, shown: "" },
  { suffix: " (copyPayloads)", options: { copyPayloads: true }, shown: "{ copyPayloads: true }" },
];
if (vcd) {
  for (const mode of MODES) {
    variants.push({
      scenario: "one buffer",
      library: `vcd-mqtt${mode.suffix}`,
      api: `new StreamDecoder(${mode.shown}).push(buffer)`,
      run(check) {
        const decoder = new vcd.StreamDecoder(mode.options);
        const packets = decoder.push(ONE_BUFFER);
        decoder.free();
        if (check) {
          if (packets.length !== PACKETS) return `${packets.length} packets`;
          for (const p of [packets[0], packets[PACKETS >> 1], packets[PACKETS - 1]]) {
            if (p.type !== "publish") return `type ${p.type}`;
            const e = ours(p);
            if (e) return e;
          }
        }
        return packets.length;
      },
    });
  }
}
// The callback form, which hands each packet over as it is built (like mqtt-packet's `packet`
// event), so none outlives its callback; the callbacks do what mqtt-packet's do.
if (vcd) {
  variants.push({
    scenario: "one buffer",
    library: "vcd-mqtt (onPacket)",
    api: "new StreamDecoder().push(buffer, onPacket)",
    run(check) {
      const decoder = new vcd.StreamDecoder();
      let n = 0;
      const seen = [];
      const handed = decoder.push(ONE_BUFFER, (p) => {
        if (check && (n === 0 || n === PACKETS >> 1 || n === PACKETS - 1)) seen.push(p);
        n++;
      });
      decoder.free();
      if (check) {
        if (n !== PACKETS || handed !== PACKETS)
          return `${n} packets handed over, push returned ${typeof handed === "number" ? handed : typeof handed}`;
        for (const p of seen) {
          if (p.type !== "publish") return `type ${p.type}`;
          const e = ours(p);
          if (e) return e;
        }
      }
      return n;
    },
  });
}
variants.push({
  scenario: "one buffer",
  library: "mqtt-packet",
  api: "parser({protocolVersion: 4}).parse(buffer)",
  run(check) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let n = 0;
    let error = null;
    const seen = [];
    parser.on("packet", (p) => {
      if (check && (n === 0 || n === PACKETS - 1)) seen.push(p);
      n++;
    });
    parser.on("error", (e) => {
      error ??= e;
    });
    parser.parse(ONE_BUFFER);
    if (check) {
      if (error) return `error: ${error.message}`;
      if (n !== PACKETS) return `${n} packets`;
      for (const p of seen) {
        if (p.cmd !== "publish") return `cmd ${p.cmd}`;
        const e = theirs(p);
        if (e) return e;
      }
    }
    return n;
  },
});
if (vcd) {
  for (const mode of MODES) {
    variants.push({
      scenario: "one packet per chunk",
      library: `vcd-mqtt${mode.suffix}`,
      api: `StreamDecoder(${mode.shown}).push(chunk) per packet`,
      run(check) {
        const decoder = new vcd.StreamDecoder(mode.options);
        let n = 0;
        let last = null;
        for (const chunk of CHUNKS) {
          const packets = decoder.push(chunk);
          n += packets.length;
          last = packets[0] ?? last;
        }
        decoder.free();
        if (check) {
          if (n !== PACKETS) return `${n} packets`;
          const e = ours(last);
          if (e) return e;
        }
        return n;
      },
    });
  }
  variants.push({
    scenario: "one packet per chunk",
    library: "vcd-mqtt (onPacket)",
    api: "StreamDecoder().push(chunk, onPacket) per packet",
    run(check) {
      const decoder = new vcd.StreamDecoder();
      let n = 0;
      let last = null;
      const onPacket = (p) => {
        n++;
        last = p;
      };
      for (const chunk of CHUNKS) decoder.push(chunk, onPacket);
      decoder.free();
      if (check) {
        if (n !== PACKETS) return `${n} packets`;
        const e = ours(last);
        if (e) return e;
      }
      return n;
    },
  });
  variants.push({
    scenario: "one packet per chunk",
    library: "vcd-mqtt (decodePacket)",
    api: "decodePacket(chunk) per packet",
    run(check) {
      let n = 0;
      let last = null;
      for (const chunk of CHUNKS) {
        const { packet, length } = vcd.decodePacket(chunk);
        if (length === PACKET.length) n++;
        last = packet;
      }
      if (check) {
        if (n !== PACKETS) return `${n} packets used ${PACKET.length} bytes`;
        const e = ours(last);
        if (e) return e;
      }
      return n;
    },
  });
}
variants.push({
  scenario: "one packet per chunk",
  library: "mqtt-packet",
  api: "parser.parse(chunk) per packet",
  run(check) {
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let n = 0;
    let last = null;
    let error = null;
    parser.on("packet", (p) => {
      n++;
      last = p;
    });
    parser.on("error", (e) => {
      error ??= e;
    });
    for (const chunk of CHUNKS) parser.parse(chunk);
    if (check) {
      if (error) return `error: ${error.message}`;
      if (n !== PACKETS) return `${n} packets`;
      const e = theirs(last);
      if (e) return e;
    }
    return n;
  },
});

if (!vcd) {
  for (const scenario of ["one buffer", "one packet per chunk"]) {
    results.decode.push({ scenario, library: "vcd-mqtt", api: "-", status: `not available: ${vcdError}` });
  }
}

// ---------------------------------------------------------------- VCD unwrap variants
const SAMPLE_BYTES = new Uint8Array(readFileSync(SAMPLE));
const EXPECTED_INNER = { message: "Hello World!" };
const utf8 = new TextDecoder();

function unwrapJsonParse(bytes) {
  const message = JSON.parse(utf8.decode(bytes));
  const payload = typeof message.payload === "string" ? message.payload : message.headers?.payload;
  if (typeof payload !== "string") throw new Error("message.payload: not a string");
  const invocation = JSON.parse(payload);
  let envelope = invocation.arguments;
  if (typeof envelope === "string") envelope = JSON.parse(envelope);
  if (envelope === null || typeof envelope !== "object") throw new Error("message.payload.arguments: not an object");
  if (typeof envelope.payload !== "string") throw new Error("message.payload.arguments.payload: not a string");
  return { payloadType: envelope.payloadType, phase: envelope.phase, payload: JSON.parse(envelope.payload) };
}

// The package's typed routes, each its own row: every layer of the message (decodeMessage), and
// straight to the object-extension request (decodeObjectExtension). `inner` finds
// {payloadType, phase, payload} in what the route returns.
const TYPED_ROUTES = [
  {
    name: "decodeMessage",
    inner: (r) => {
      const ext = r?.body?.objectExtension;
      return ext ? { payloadType: ext.payload.payloadType, phase: ext.envelope.phase, payload: ext.payload.value } : null;
    },
  },
  {
    name: "decodeObjectExtension",
    inner: (r) => (r?.payload ? { payloadType: r.payload.payloadType, phase: r.envelope?.phase, payload: r.payload.value } : null),
  },
];

const unwrapVariants = [];
for (const { name, inner } of TYPED_ROUTES) {
  const api = `${name}(bytes)`;
  if (!vcd) {
    results.unwrap.push({ library: "vcd-mqtt", api, status: `not available: ${vcdError}` });
  } else if (typeof vcd[name] !== "function") {
    const msg = `vcd-mqtt ${results.packages["vcd-mqtt"]} does not export ${name}`;
    results.notes.push(msg);
    results.unwrap.push({ library: "vcd-mqtt", api, status: `not available: ${msg}` });
  } else {
    const f = vcd[name];
    unwrapVariants.push({ library: "vcd-mqtt", api, run: (b) => f(b), inner });
  }
}
unwrapVariants.push({
  library: "JSON.parse",
  api: "TextDecoder + JSON.parse layer by layer (message, payload, arguments, payload)",
  run: unwrapJsonParse,
  inner: (r) => r,
});

// ---------------------------------------------------------------- timing helpers
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function time(fn) {
  const t0 = performance.now();
  const r = fn();
  return [performance.now() - t0, r];
}

let sink = 0;

// ---------------------------------------------------------------- 1. decode
for (const v of variants) {
  try {
    const verdict = v.run(true);
    v.status = typeof verdict === "string" ? `wrong result: ${verdict}` : "ok";
  } catch (e) {
    v.status = `error: ${e.message}`;
  }
  v.ms = [];
}
const timed = variants.filter((v) => v.status === "ok");
for (let round = 0; round < ROUNDS + 2; round++) {
  // Rotate the order every round so no library always runs first (or right after GC pressure).
  const order = timed.map((_, i) => timed[(i + round) % timed.length]);
  for (const v of order) {
    globalThis.gc?.();
    const [ms, n] = time(() => v.run(false));
    sink += n;
    if (round >= 2) v.ms.push(ms); // the first two rounds are warm-up
  }
}
for (const v of variants) {
  const row = { scenario: v.scenario, library: v.library, api: v.api, status: v.status };
  if (v.status === "ok") {
    row.median_ms = median(v.ms);
    row.packets_per_sec = PACKETS / (row.median_ms / 1000);
    row.rounds_ms = v.ms.map((x) => Number(x.toFixed(3)));
  }
  results.decode.push(row);
}

// ---------------------------------------------------------------- 2. VCD unwrap
for (const v of unwrapVariants) {
  try {
    const inner = v.inner(v.run(SAMPLE_BYTES));
    if (!inner) v.status = "wrong result: no object-extension payload found in the result";
    else if (inner.payloadType !== "Echo") v.status = `wrong result: payloadType ${inner.payloadType}`;
    else if (JSON.stringify(inner.payload) !== JSON.stringify(EXPECTED_INNER))
      v.status = `wrong result: payload ${JSON.stringify(inner.payload)}`;
    else v.status = "ok";
  } catch (e) {
    v.status = `error: ${e.message}`;
  }
  v.ms = [];
}
const timedUnwrap = unwrapVariants.filter((v) => v.status === "ok");
for (let round = 0; round < ROUNDS + 2; round++) {
  const order = timedUnwrap.map((_, i) => timedUnwrap[(i + round) % timedUnwrap.length]);
  for (const v of order) {
    const [ms] = time(() => {
      for (let i = 0; i < UNWRAP_ITERATIONS; i++) sink += v.run(SAMPLE_BYTES) ? 1 : 0;
    });
    if (round >= 2) v.ms.push(ms);
  }
}
for (const v of unwrapVariants) {
  const row = { library: v.library, api: v.api, status: v.status };
  if (v.status === "ok") {
    const ms = median(v.ms);
    row.median_us_per_message = (ms * 1000) / UNWRAP_ITERATIONS;
    row.messages_per_sec = UNWRAP_ITERATIONS / (ms / 1000);
  }
  results.unwrap.push(row);
}
results.unwrap_iterations = UNWRAP_ITERATIONS;

// ---------------------------------------------------------------- 3. bundle sizes
const gzip = (buf) => gzipSync(buf, { level: zlibConstants.Z_BEST_COMPRESSION }).length;

async function bundle(contents, resolveDir, { shims }) {
  const r = await esbuild.build({
    stdin: { contents, resolveDir, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2020",
    write: false,
    logLevel: "silent",
    // Node globals mqtt-packet's dependencies use, provided the way MQTT.js's browser build does.
    inject: shims ? [join(HERE, "browser-shims.mjs")] : [],
    define: { global: "globalThis" },
  });
  return Buffer.from(r.outputFiles[0].contents);
}

try {
  const js = await bundle('export { parser, generate, writeToStream } from "mqtt-packet";', HERE, { shims: true });
  // Prove the browser bundle works without Node's globals: parse the packet in a bare context.
  const cjs = await esbuild.transform(js.toString("utf8"), { format: "iife", globalName: "mp" });
  // What every browser provides (and nothing Node-only such as process, Buffer or require).
  const ctx = { console, TextDecoder, TextEncoder, queueMicrotask, setTimeout, clearTimeout, AbortController, AbortSignal, EventTarget, Event };
  runInNewContext(cjs.code, ctx);
  const seen = runInNewContext(
    `(() => { const p = mp.parser({ protocolVersion: 4 }); let t = null; p.on("packet", (x) => { t = x.topic; }); p.parse(new Uint8Array(bytes)); return t; })()`,
    Object.assign(ctx, { bytes: [...PACKET] }),
  );
  results.bundle.push({
    name: "mqtt-packet",
    note: `esbuild ${esbuild.version} --bundle --minify --platform=browser (parser, generate, writeToStream), with the buffer/events/process shims browsers need; ${seen === TOPIC ? "checked: parses the packet in a context without Node globals" : "WARNING: the bundle did not parse the packet in a bare context"}`,
    files: [{ file: "mqtt-packet.min.js", raw: js.length, gzip: gzip(js) }],
    raw: js.length,
    gzip: gzip(js),
  });
} catch (e) {
  results.bundle.push({ name: "mqtt-packet", status: `error: ${e.message}` });
}

if (existsSync(join(PKG, "web/vcd_mqtt_bg.wasm"))) {
  try {
    const wasm = readFileSync(join(PKG, "web/vcd_mqtt_bg.wasm"));
    const glue = readFileSync(join(PKG, "web/vcd_mqtt.js"));
    const glueMin = await bundle(`export * from ${JSON.stringify(join(PKG, "web/vcd_mqtt.js"))}; export { default } from ${JSON.stringify(join(PKG, "web/vcd_mqtt.js"))};`, HERE, { shims: false });
    results.bundle.push({
      name: "vcd-mqtt",
      note: `web build: vcd_mqtt_bg.wasm + JS glue (vcd_mqtt.js as shipped, and minified by the same esbuild call); the totals use the minified glue`,
      files: [
        { file: "vcd_mqtt_bg.wasm", raw: wasm.length, gzip: gzip(wasm) },
        { file: "vcd_mqtt.js (as shipped)", raw: glue.length, gzip: gzip(glue) },
        { file: "vcd_mqtt.js (minified)", raw: glueMin.length, gzip: gzip(glueMin) },
      ],
      raw: wasm.length + glueMin.length,
      gzip: gzip(wasm) + gzip(glueMin),
    });
  } catch (e) {
    results.bundle.push({ name: "vcd-mqtt", status: `error: ${e.message}` });
  }
} else {
  results.bundle.push({ name: "vcd-mqtt", status: `not available: ${vcdError ?? "no web build in " + PKG}` });
}

results.sink = sink;
writeFileSync(OUT, JSON.stringify(results, null, 2) + "\n");
for (const r of results.decode)
  console.log(`${r.scenario.padEnd(22)} ${r.library.padEnd(24)} ${r.status === "ok" ? `${Math.round(r.packets_per_sec).toLocaleString("en")} packets/s` : r.status}`);
for (const r of results.unwrap)
  console.log(`unwrap ${r.api.padEnd(28).slice(0, 28)} ${r.status === "ok" ? `${r.median_us_per_message.toFixed(2)} µs/message` : r.status}`);
for (const b of results.bundle) console.log(`bundle ${b.name.padEnd(12)} ${b.raw ? `${b.raw} B raw, ${b.gzip} B gzip` : b.status}`);
console.log(`wrote ${OUT}`);
