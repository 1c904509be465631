// Prints the size of the built package files (raw and gzip -9) as a Markdown table.
// Usage: node wasm/scripts/size.mjs [wasm/pkg]
import { readFileSync, existsSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "pkg");
const files = [
  ["web/vcd_mqtt_bg.wasm", "WebAssembly module (browsers, bundlers, Node ESM)"],
  ["web/vcd_mqtt.js", "ES module glue (browsers, bundlers)"],
  ["node/vcd_mqtt_bg.wasm", "WebAssembly module (Node CommonJS)"],
  ["node/vcd_mqtt.js", "CommonJS glue (Node require)"],
  ["web/vcd_mqtt.d.ts", "TypeScript declarations"],
];
// wasm-bindgen's inline JS snippets (the packet constructors) belong to the JS glue.
const snippets = join(pkg, "web", "snippets");
if (existsSync(snippets)) {
  for (const dir of readdirSync(snippets)) {
    for (const f of readdirSync(join(snippets, dir))) files.push([`web/snippets/${dir}/${f}`, "JS snippet imported by the glue"]);
  }
}
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log("| file | what | raw | gzip -9 |");
console.log("|---|---|---:|---:|");
for (const [file, what] of files) {
  const path = join(pkg, file);
  if (!existsSync(path)) continue;
  const data = readFileSync(path);
  console.log(`| \`${file}\` | ${what} | ${kib(data.length)} (${data.length} B) | ${kib(gzipSync(data, { level: 9 }).length)} |`);
}
