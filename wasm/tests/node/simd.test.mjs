// The package's module is built with WebAssembly SIMD (.cargo/config.toml). An engine without
// it must get an error that names what is missing, from every way of loading the package,
// rather than the engine's opaque CompileError. Node has SIMD, so these tests take it away
// by making `WebAssembly.validate` answer false, as an engine without SIMD does for the
// package's probe.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const root = dirname(require.resolve("vcd-mqtt/package.json"));
const webGlue = pathToFileURL(join(root, "web", "vcd_mqtt.js"));
const nodeGlue = join(root, "node", "vcd_mqtt.js");
const wasmBytes = readFileSync(join(root, "web", "vcd_mqtt_bg.wasm"));
const MISSING = /vcd-mqtt needs WebAssembly SIMD/;

// Runs `body` with an engine that "lacks" SIMD: validate() is false for any module that uses
// a SIMD instruction (0xFD prefix), which the probe does and the MVP probe below does not.
async function withoutSimd(body) {
  const validate = WebAssembly.validate;
  const seen = [];
  WebAssembly.validate = (bytes) => {
    seen.push(bytes);
    return !Array.prototype.includes.call(bytes, 0xfd) && validate(bytes);
  };
  try {
    await body();
  } finally {
    WebAssembly.validate = validate;
  }
  return seen;
}

test("the stub tells SIMD modules from plain ones", async () => {
  // An empty module (MVP) stays valid under the stub; the package's probe does not.
  const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
  await withoutSimd(() => {
    assert.equal(WebAssembly.validate(empty), true);
  });
});

test("initSync of the web build names the missing SIMD support", async () => {
  const web = await import(`${webGlue}?initSync`);
  const seen = await withoutSimd(() => {
    assert.throws(() => web.initSync({ module: wasmBytes }), MISSING);
  });
  assert.equal(seen.length, 1, "one probe, before compiling");
  // With SIMD (the real engine) the same call loads the module.
  web.initSync({ module: wasmBytes });
  assert.equal(web.decodePacket(new Uint8Array([0xc0, 0])).packet.type, "pingreq");
});

test("init() of the web build rejects with the same error", async () => {
  const web = await import(`${webGlue}?init`);
  await withoutSimd(async () => {
    await assert.rejects(web.default({ module_or_path: wasmBytes }), MISSING);
  });
  // A failed init can be retried once the engine can run the module.
  await web.default({ module_or_path: wasmBytes });
  assert.equal(web.encodePingreq()[0], 0xc0);
});

test("require() of the CommonJS build throws the same error", async () => {
  await withoutSimd(() => {
    assert.throws(() => require(nodeGlue), MISSING);
  });
  delete require.cache[nodeGlue];
  assert.equal(require(nodeGlue).encodePingreq()[0], 0xc0);
});
