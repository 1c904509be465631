// Node benchmarks of the vcd-mqtt npm package against mqtt-packet 9.0.2 (the parser inside
// MQTT.js), run by benches/run.sh, which turns the JSON this writes into benches/README.md.
//
//   node --expose-gc bench.mjs [results.json]
//
// Environment: VCD_MQTT_PKG = folder of the built npm package (default ../../wasm/pkg; its
// package.json, node/ and web/ are used), BENCH_ROUNDS (default 9), BENCH_PACKETS (100000).
//
// Method: each vcd-mqtt row runs in its own child process (this script with `--child`, same
// Node flags), interleaved round by round with mqtt-packet (or JSON.parse) IN THAT SAME child,
// and its ratio is taken against the mqtt-packet median of that child. So a row measures an
// application that uses one API: no other row's 100k-object arrays or copied payloads change
// V8's heap and GC state under it (in one shared process they did, e.g. onPacket read 3.3x
// mqtt-packet there and 6x alone). mqtt-packet's (JSON.parse's) own row is the median of its
// medians over those children. Each child checks its libraries' output before it times them;
// the first two rounds are warm-up, the row is the median of the BENCH_ROUNDS after them.
//
// 1. Decode BENCH_PACKETS copies of the 245-byte QoS 1 PUBLISH (38-byte topic, 200-byte
//    payload): as one buffer, and one packet per chunk. Every library's output is checked
//    (count, topic, QoS, packet id, payload bytes) before anything is timed; a library that
//    fails is reported, not timed. vcd-mqtt's StreamDecoder is timed in both payload modes:
//    views on the chunk (its default, like mqtt-packet's Buffer slices) and
//    `copyPayloads: true` (each payload its own ArrayBuffer), returning arrays; and with the
//    onPacket callback (packets handed over one by one, as mqtt-packet's `packet` event does).
// 2. The VCD message unwrap (object-extension invocation sample down to its innermost payload):
//    each of the package's typed routes (decodeMessage, decodeObjectExtension) its own row,
//    against JSON.parse layer by layer; same isolation (one child per typed route).
// 3. Bundle sizes: mqtt-packet bundled for browsers with esbuild (minified, gzipped) beside the
//    package's web build (wasm + JS glue), raw and gzipped.

import { readFileSync, writeFileSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";
import { gzipSync, constants as zlibConstants } from "node:zlib";
import { runInNewContext } from "node:vm";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";

import mqttPacket from "mqtt-packet";
import { unwrapJsonParse } from "./unwrap-json-parse.mjs";
import { PACKET, PACKET_ID, PAYLOAD, TOPIC } from "./packet.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
// `--child decode|unwrap KEY...`: time the rows KEY... (scenario|library or library|api)
// interleaved in this process and print their checks and rounds as JSON on stdout.
const CHILD = process.argv[2] === "--child" ? { kind: process.argv[3], keys: process.argv.slice(4) } : null;
const OUT = CHILD ? null : resolve(process.argv[2] ?? join(HERE, "results.json"));
const PKG = resolve(process.env.VCD_MQTT_PKG ?? join(HERE, "../../wasm/pkg"));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const PACKETS = Number(process.env.BENCH_PACKETS ?? 100000);
const SAMPLE = join(HERE, "../data/object-extension-invocation.json");
const UNWRAP_ITERATIONS = Number(process.env.BENCH_UNWRAP ?? 20000);

const results = {
  method:
    "each vcd-mqtt row in its own child process (node " + process.execArgv.join(" ") + "), interleaved round by round with mqtt-packet (JSON.parse for the unwrap) in that same process; ratios against that process's mqtt-packet median; mqtt-packet's row is the median of its medians over those processes",
  rounds: ROUNDS,
  node: process.version,
  v8: process.versions.v8,
  packages: {},
  packet: {},
  decode: [],
  unwrap: [],
  bundle: [],
  notes: [],
};

if (process.env.BENCH_PACKET_HEX && process.env.BENCH_PACKET_HEX !== PACKET.toString("hex")) {
  throw new Error("the packet differs from the Rust fixture (BENCH_PACKET_HEX)");
}
const ONE_BUFFER = Buffer.concat(Array.from({ length: PACKETS }, () => PACKET));
const CHUNKS = Array.from({ length: PACKETS }, (_, i) => ONE_BUFFER.subarray(i * PACKET.length, (i + 1) * PACKET.length));
results.packet = { bytes: PACKET.length, topic_bytes: 38, payload_bytes: 200, qos: 1, count: PACKETS, one_buffer_bytes: ONE_BUFFER.length };

// ---------------------------------------------------------------- libraries
const mqttPacketVersion = JSON.parse(readFileSync(require.resolve("mqtt-packet/package.json"), "utf8")).version;
results.packages["mqtt-packet"] = mqttPacketVersion;
// Only the parent bundles; children do not load esbuild.
const esbuild = CHILD ? null : await import("esbuild");
if (esbuild) results.packages.esbuild = esbuild.version;

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
// What a per-chunk run returns: its packet count, or (when checking) what is wrong with the
// count or with the `last` packet it saw, as `verify` (ours or theirs) judges it.
function perChunkResult(check, n, last, verify) {
  if (check) {
    if (n !== PACKETS) return `${n} packets`;
    const e = verify(last);
    if (e) return e;
  }
  return n;
}

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
        return perChunkResult(check, n, last, ours);
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
      return perChunkResult(check, n, last, ours);
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
    if (check && error) return `error: ${error.message}`;
    return perChunkResult(check, n, last, theirs);
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

const decodeKey = (v) => `${v.scenario}|${v.library}`;
const unwrapKey = (v) => `${v.library}|${v.api}`;

// Checks each row (`check(v)` returns "ok" or why not), then times the ok ones interleaved
// round by round (`once(v)` is one timed run), the first two rounds being warm-up.
function checkAndTime(rows, check, once) {
  for (const v of rows) {
    try {
      v.status = check(v);
    } catch (e) {
      v.status = `error: ${e.message}`;
    }
    v.ms = [];
  }
  const timed = rows.filter((v) => v.status === "ok");
  for (let round = 0; round < ROUNDS + 2; round++) {
    // Rotate the order every round so no library always runs first (or right after GC pressure).
    const order = timed.map((_, i) => timed[(i + round) % timed.length]);
    for (const v of order) {
      globalThis.gc?.();
      const [ms, n] = time(() => once(v));
      sink += n;
      if (round >= 2) v.ms.push(ms);
    }
  }
  return rows.map((v) => ({ status: v.status, ms: v.ms }));
}

function checkDecode(v) {
  const verdict = v.run(true);
  return typeof verdict === "string" ? `wrong result: ${verdict}` : "ok";
}

function checkUnwrap(v) {
  const inner = v.inner(v.run(SAMPLE_BYTES));
  if (!inner) return "wrong result: no object-extension payload found in the result";
  if (inner.payloadType !== "Echo") return `wrong result: payloadType ${inner.payloadType}`;
  if (JSON.stringify(inner.payload) !== JSON.stringify(EXPECTED_INNER)) return `wrong result: payload ${JSON.stringify(inner.payload)}`;
  return "ok";
}

function unwrapOnce(v) {
  let n = 0;
  for (let i = 0; i < UNWRAP_ITERATIONS; i++) n += v.run(SAMPLE_BYTES) ? 1 : 0;
  return n;
}

if (CHILD) {
  const [all, key, check, once] =
    CHILD.kind === "decode" ? [variants, decodeKey, checkDecode, (v) => v.run(false)] : [unwrapVariants, unwrapKey, checkUnwrap, unwrapOnce];
  const rows = CHILD.keys.map((k) => {
    const v = all.find((x) => key(x) === k);
    if (!v) throw new Error(`no ${CHILD.kind} row ${k}`);
    return v;
  });
  const measured = checkAndTime(rows, check, once);
  process.stdout.write(JSON.stringify({ rows: measured, sink }) + "\n");
  process.exit(0);
}

// Runs KEYS (the vcd-mqtt row first, then its peer) in a fresh child process with this
// process's Node flags; returns one {status, ms} per key.
function inChild(kind, keys) {
  const r = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--child", kind, ...keys], {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.status === 0) {
    try {
      return JSON.parse(r.stdout).rows;
    } catch (e) {
      r.stderr += `\nunreadable output: ${e.message}`;
    }
  }
  const why = `error: child process (${r.status ?? r.signal}): ${r.stderr.trim().split("\n").slice(-2).join(" ")}`;
  return keys.map(() => ({ status: why, ms: [] }));
}

// One child per vcd-mqtt row, each with the peer row `isPeer` picks from the same group; the
// peer's own row is the median of its medians over those children (its rounds in a dedicated
// child when there is no vcd-mqtt row). `emit(v, ms, peer)` builds the JSON row.
function isolated(kind, rows, key, isPeer, groupOf, emit) {
  const out = [];
  const groups = [...new Set(rows.map(groupOf))];
  for (const g of groups) {
    const inGroup = rows.filter((v) => groupOf(v) === g);
    const peer = inGroup.find(isPeer);
    const ours = inGroup.filter((v) => !isPeer(v));
    const peerMedians = [];
    let peerStatus = null;
    const runs = ours.length ? ours.map((v) => [v, peer]) : [[null, peer]];
    for (const [v, p] of runs) {
      const measured = inChild(kind, [v, p].filter(Boolean).map(key));
      const peerRun = measured[measured.length - 1];
      const peerMs = peerRun.status === "ok" ? median(peerRun.ms) : null;
      if (peerMs !== null) peerMedians.push(peerMs);
      else peerStatus ??= peerRun.status;
      if (v) {
        const run = measured[0];
        out.push(emit(v, run.status, run.status === "ok" ? run.ms : null, peerMs, null));
      }
    }
    out.push(emit(peer, peerMedians.length ? "ok" : peerStatus, null, null, peerMedians));
  }
  return out;
}

// ---------------------------------------------------------------- 1. decode
const decodeRows = isolated(
  "decode",
  variants,
  decodeKey,
  (v) => v.library === "mqtt-packet",
  (v) => v.scenario,
  (v, status, ms, peerMs, peerMedians) => {
    const row = { scenario: v.scenario, library: v.library, api: v.api, status };
    if (status !== "ok") return row;
    if (ms) {
      row.process = "own";
      row.median_ms = median(ms);
      row.rounds_ms = ms.map((x) => Number(x.toFixed(3)));
      if (peerMs !== null) {
        row.mqtt_packet_median_ms = peerMs;
        row.mqtt_packet_packets_per_sec = PACKETS / (peerMs / 1000);
        row.ratio_vs_mqtt_packet = peerMs / row.median_ms;
      }
    } else {
      row.process = `median over ${peerMedians.length} processes`;
      row.median_ms = median(peerMedians);
      row.process_medians_ms = peerMedians.map((x) => Number(x.toFixed(3)));
    }
    row.packets_per_sec = PACKETS / (row.median_ms / 1000);
    return row;
  },
);
// Rows in the order the variants are listed (vcd-mqtt APIs, then mqtt-packet, per scenario).
for (const v of variants) results.decode.push(decodeRows.find((r) => r.scenario === v.scenario && r.library === v.library));

// ---------------------------------------------------------------- 2. VCD unwrap
const unwrapRows = isolated(
  "unwrap",
  unwrapVariants,
  unwrapKey,
  (v) => v.library === "JSON.parse",
  () => "unwrap",
  (v, status, ms, peerMs, peerMedians) => {
    const row = { library: v.library, api: v.api, status };
    if (status !== "ok") return row;
    let medianMs;
    if (ms) {
      row.process = "own";
      medianMs = median(ms);
      if (peerMs !== null) row.time_vs_json_parse = medianMs / peerMs;
    } else {
      row.process = `median over ${peerMedians.length} processes`;
      medianMs = median(peerMedians);
    }
    row.median_us_per_message = (medianMs * 1000) / UNWRAP_ITERATIONS;
    row.messages_per_sec = UNWRAP_ITERATIONS / (medianMs / 1000);
    return row;
  },
);
for (const v of unwrapVariants) results.unwrap.push(unwrapRows.find((r) => r.library === v.library && r.api === v.api));
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
