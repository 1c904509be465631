// Completes the npm package in the folder given as argv[2] (made by build.sh from the two
// wasm-bindgen outputs web/ and node/): the Node ESM entry, package.json and README.md.
import { readFileSync, writeFileSync, copyFileSync, existsSync, rmSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = process.argv[2];
const wasmDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const rootToml = readFileSync(join(wasmDir, "..", "Cargo.toml"), "utf8");
const section = rootToml.split("[workspace.package]")[1] ?? "";
const version = /^version\s*=\s*"([^"]+)"/m.exec(section)?.[1];
const repository = /^repository\s*=\s*"([^"]+)"/m.exec(section)?.[1];
if (!version) throw new Error("no [workspace.package] version in the root Cargo.toml");

// wasm-bindgen writes a package.json only for npm dependencies; the package has none.
for (const dir of ["web", "node"]) {
  const stray = join(pkg, dir, "package.json");
  if (existsSync(stray)) rmSync(stray);
}

// The packet constructors are an inline JS snippet (ES module syntax). The nodejs glue is
// CommonJS and require()s it, so its copy under node/snippets is rewritten to CommonJS.
function* walk(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.name.endsWith(".js")) yield path;
  }
}
for (const file of walk(join(pkg, "node", "snippets"))) {
  const names = [];
  const body = readFileSync(file, "utf8").replace(/^export function (\w+)/gm, (_m, name) => {
    names.push(name);
    return `function ${name}`;
  });
  if (/^\s*(export|import)\b/m.test(body)) throw new Error(`${file}: only 'export function' is supported in snippets`);
  writeFileSync(file, `"use strict";\n${body}\nmodule.exports = { ${names.join(", ")} };\n`);
}

// StreamDecoder.push: the generated method (one call into WebAssembly, which calls back into
// JavaScript to copy the chunk and to build the packets) becomes `__general`, the path for
// chunks that are not a Uint8Array; `push` itself is the snippet's `pushChunk` (see
// wasm/src/batch.rs), which copies the chunk, makes one call into WebAssembly and builds the
// packets itself, and takes the optional onPacket callback.
for (const [dir, load] of [
  ["web", (path) => `import { decodeOne, pushChunk } from '${path}';`],
  ["node", (path) => `const { decodeOne, pushChunk } = require(String.raw\`${path}\`);`],
]) {
  const glue = join(pkg, dir, "vcd_mqtt.js");
  let text = readFileSync(glue, "utf8");
  const snippet = [...text.matchAll(/\.\/snippets\/[^'"`]+\.js/g)]
    .map((m) => m[0])
    .find((path) => /^(export )?function pushChunk\(/m.test(readFileSync(join(pkg, dir, path), "utf8")));
  const method = "    push(chunk) {\n        const ret = wasm.streamdecoder_push(this.__wbg_ptr, chunk);\n";
  if (!snippet || text.split(method).length !== 2) throw new Error(`${glue}: StreamDecoder.push or the pushChunk snippet not found`);
  text = text.replace(
    method,
    `    push(chunk, onPacket) {
        return pushChunk(this, chunk, onPacket, __memory);
    }
    /**
     * The general path of \`push\` (chunks that are not a Uint8Array).
     * @param {Uint8Array | number[]} chunk
     * @returns {Packet[]}
     */
    __general(chunk) {
        const ret = wasm.streamdecoder_push(this.__wbg_ptr, chunk);
`,
  );
  // decodePacket likewise: the generated function becomes `__decodePacketGeneral`, and the
  // fast path's helpers (`__decode...`, not declared in the .d.ts) are no longer exported but
  // handed to the snippet's `decodeOne`.
  const decodePacket = /^(export )?function decodePacket\(bytes, options\) \{$/m;
  if (!decodePacket.test(text)) throw new Error(`${glue}: decodePacket not found`);
  text = text.replace(
    decodePacket,
    (_m, exported) => `${exported ?? ""}function decodePacket(bytes, options) {
    return decodeOne(bytes, options, DECODE_ONE);
}
function __decodePacketGeneral(bytes, options) {`,
  );
  const helpers = ["__decodeReserve", "__decodeOne", "__decodeTakeErrors", "__decodeTakeOthers", "__decodeTopics", "__memory"];
  for (const name of helpers) {
    const before = text;
    text = text.replace(new RegExp(`^export function ${name}\\(`, "m"), `function ${name}(`).replace(new RegExp(`^exports\\.${name} = ${name};\\n`, "m"), "");
    if (text === before) throw new Error(`${glue}: ${name} not found`);
  }
  text += `
const DECODE_ONE = {
    general: __decodePacketGeneral,
    reserve: __decodeReserve,
    decode: __decodeOne,
    takeErrors: __decodeTakeErrors,
    takeOthers: __decodeTakeOthers,
    topics: __decodeTopics,
    memory: __memory,
};
`;
  // The module is built with WebAssembly SIMD (.cargo/config.toml). An engine without it
  // rejects the module with an opaque CompileError ("invalid opcode"), so every way of
  // compiling it first checks for SIMD and names what is missing.
  const compiles = {
    web: ["function initSync(module) {\n    if (wasm !== undefined) return wasm;\n", "async function __wbg_init_once(module_or_path) {\n"],
    node: ["const wasmModule = new WebAssembly.Module(wasmBytes);\n"],
  }[dir];
  for (const site of compiles) {
    if (text.split(site).length !== 2) throw new Error(`${glue}: no single '${site.split("\n")[0]}' to guard with requireSimd`);
    text = text.replace(site, dir === "node" ? `requireSimd();\n${site}` : `${site}    requireSimd();\n`);
  }
  text += `
/**
 * Throws unless this engine runs WebAssembly SIMD, which the package's module is built with:
 * Node 16.4+, Chrome and Edge 91+, Firefox 89+ and Safari 16.4+ do.
 */
function requireSimd() {
    // A module whose one function returns \`i8x16.splat(i32.const 0)\`.
    const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);
    if (!WebAssembly.validate(probe)) {
        throw new Error("vcd-mqtt needs WebAssembly SIMD, which this JavaScript engine lacks (Node 16.4+, Chrome and Edge 91+, Firefox 89+ and Safari 16.4+ have it)");
    }
}
`;
  // After the first line when that is wasm-bindgen's `/* @ts-self-types=... */` directive.
  const at = text.startsWith("/* @ts-self-types") ? text.indexOf("\n") + 1 : 0;
  writeFileSync(glue, `${text.slice(0, at)}${load(snippet)}\n${text.slice(at)}`);
}

// wasm-bindgen declares `[Symbol.dispose](): void` on classes, which only compiles with the
// `esnext.disposable` lib; drop that one declaration so the types compile with any ES2020+ lib
// (the method itself is still there at run time wherever Symbol.dispose exists).
for (const dir of ["web", "node"]) {
  const dts = join(pkg, dir, "vcd_mqtt.d.ts");
  const text = readFileSync(dts, "utf8");
  writeFileSync(dts, text.replace(/^\s*\[Symbol\.dispose\]\(\): void;\n/gm, ""));
}

// Node ESM entry: the web build, instantiated synchronously from the file next to it, so
// `import { decodePacket } from "vcd-mqtt"` works in Node without `await init()` (calling
// `init()` anyway is a harmless no-op, which keeps code shared with browsers identical).
writeFileSync(
  join(pkg, "node", "index.mjs"),
  `// Node ES module entry of vcd-mqtt: the web build, initialised synchronously.
import { readFileSync } from "node:fs";
import init, { initSync } from "../web/vcd_mqtt.js";

initSync({ module: readFileSync(new URL("../web/vcd_mqtt_bg.wasm", import.meta.url)) });

export * from "../web/vcd_mqtt.js";
export default init;
`,
);

const manifest = {
  name: "vcd-mqtt",
  version,
  description:
    "MQTT 3.1.1 codec and VMware Cloud Director message models for the browser and Node (WebAssembly, from the vcd-mqtt Rust crates)",
  license: "MIT OR Apache-2.0",
  repository: repository ? { type: "git", url: `git+${repository}.git`, directory: "wasm" } : undefined,
  keywords: ["mqtt", "mqtt-3.1.1", "vmware", "cloud-director", "vcd", "websocket", "wasm"],
  type: "module",
  main: "./node/vcd_mqtt.js",
  module: "./web/vcd_mqtt.js",
  types: "./web/vcd_mqtt.d.ts",
  exports: {
    ".": {
      node: {
        types: "./web/vcd_mqtt.d.ts",
        import: "./node/index.mjs",
        require: { types: "./node/vcd_mqtt.d.ts", default: "./node/vcd_mqtt.js" },
      },
      types: "./web/vcd_mqtt.d.ts",
      import: "./web/vcd_mqtt.js",
      default: "./web/vcd_mqtt.js",
    },
    "./vcd_mqtt_bg.wasm": "./web/vcd_mqtt_bg.wasm",
    "./package.json": "./package.json",
  },
  files: ["web/", "node/", "README.md"],
  sideEffects: ["./node/index.mjs", "./node/vcd_mqtt.js"],
  engines: { node: ">=18" },
};
writeFileSync(join(pkg, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
// The nodejs glue is CommonJS; mark its folder so inside this "type": "module" package.
writeFileSync(join(pkg, "node", "package.json"), JSON.stringify({ type: "commonjs" }, null, 2) + "\n");
copyFileSync(join(wasmDir, "README.md"), join(pkg, "README.md"));
console.log(`[wasm build] package.json for vcd-mqtt ${version}`);
