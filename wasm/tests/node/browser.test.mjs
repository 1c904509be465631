// Browser end-to-end test: Debian's chromium driven by playwright-core opens a page served from
// 127.0.0.1 that imports the PACKED `vcd-mqtt` ES module, talks MQTT over a WebSocket
// (subprotocol "mqtt") to a real mosquitto started here, decodes an object-extension
// BEHAVIOR_INVOCATION sent with mosquitto_pub down to its Echo payload, answers with a reply
// built by the package (checked here with mosquitto_sub), and receives a 1 MiB PUBLISH that
// spans many WebSocket frames. mosquitto, the server and the browser are always stopped.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as vcd from "vcd-mqtt";
import { serve } from "../browser/server.mjs";
import { reframingProxy } from "../browser/wsproxy.mjs";

const TESTS_DIR = process.env.WASM_TESTS_DIR;
const SAMPLES = process.env.VCD_SAMPLES_DIR;
assert.ok(TESTS_DIR && SAMPLES, "WASM_TESTS_DIR and VCD_SAMPLES_DIR must be set (wasm/scripts/test.sh)");
const { chromium } = createRequire(join(TESTS_DIR, "package.json"))("playwright-core");

const SERVICE_URN = "urn:vcloud:extension-api:vmware:echo:0.0.1";
const SERVICE = vcd.extensionService(SERVICE_URN);
const BIG_TOPIC = "e2e/big";
const REPLY_TEXT = "Hello back from the browser";
const MOSQUITTO = existsSync("/usr/sbin/mosquitto") ? "/usr/sbin/mosquitto" : "mosquitto";

const work = mkdtempSync(join(tmpdir(), "vcd-mqtt-e2e-"));
const children = [];
let server;
let proxy;
let browser;
let page;
let tcpPort;
let wsPort;
let mosquittoLog = "";

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function waitForPort(port, ms = 10000) {
  const deadline = Date.now() + ms;
  return new Promise((ok, fail) => {
    const attempt = () => {
      const sock = connect(port, "127.0.0.1");
      sock.once("connect", () => { sock.destroy(); ok(); });
      sock.once("error", () => {
        sock.destroy();
        if (Date.now() > deadline) fail(new Error(`port ${port} did not open; mosquitto log:\n${mosquittoLog}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function start(cmd, args) {
  const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  child.output = "";
  child.stdout.on("data", (d) => (child.output += d));
  child.stderr.on("data", (d) => (child.output += d));
  child.exited = new Promise((ok) => child.once("exit", (code) => ok(code)));
  return child;
}

/** Runs a command to completion; rejects on a non-zero exit. */
async function run(cmd, args) {
  const child = start(cmd, args);
  const code = await child.exited;
  if (code !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${code}: ${child.output}`);
  return child.output;
}

async function waitFor(predicate, what, ms = 30000) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

before(async () => {
  tcpPort = await freePort();
  wsPort = await freePort();
  const conf = join(work, "mosquitto.conf");
  writeFileSync(
    conf,
    [
      "per_listener_settings false",
      "allow_anonymous true",
      "persistence false",
      `listener ${tcpPort} 127.0.0.1`,
      "protocol mqtt",
      `listener ${wsPort} 127.0.0.1`,
      "protocol websockets",
      "log_dest stdout",
      "log_type error",
      "log_type warning",
      "log_type notice",
      "log_type information",
      "",
    ].join("\n"),
  );
  const broker = start(MOSQUITTO, ["-c", conf]);
  broker.stdout.on("data", (d) => (mosquittoLog += d));
  await waitForPort(tcpPort);
  await waitForPort(wsPort);

  proxy = await reframingProxy({ targetPort: tcpPort, maxFrame: 16384 });
  server = await serve(process.cwd()); // the fresh consumer project (node_modules/vcd-mqtt)
  // A fresh, empty profile (--user-data-dir) for every run.
  browser = await chromium.launchPersistentContext(join(work, "chromium-profile"), {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = browser.pages()[0] ?? (await browser.newPage());
  page.on("console", (msg) => console.log(`[page] ${msg.text()}`));
  page.on("pageerror", (err) => console.log(`[page error] ${err.message}`));
});

after(async () => {
  // Always stop everything this test started, by handle (never by name).
  try { await page?.evaluate(() => window.e2e?.close?.()); } catch { /* page gone */ }
  try { await browser?.close(); } catch { /* already closed */ }
  try { await server?.close(); } catch { /* already closed */ }
  try { await proxy?.close(); } catch { /* already closed */ }
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  }
  await Promise.race([Promise.all(children.map((c) => c.exited)), new Promise((r) => setTimeout(r, 3000))]);
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  rmSync(work, { recursive: true, force: true });
});

test("the page imports the packed ES module from a loopback server", async () => {
  await page.goto(`${server.url}/browser/e2e.html`);
  await page.waitForFunction(() => window.e2e?.loaded === true, null, { timeout: 20000 });
  const text = await page.textContent("#log");
  assert.match(text, new RegExp(`vcd-mqtt ${vcd.version().replace(/\./g, "\\.")} loaded`));
});

test("CONNECT and SUBSCRIBE built by the package over a WebSocket with subprotocol mqtt", async () => {
  const result = await page.evaluate(
    (params) => window.e2e.run(params),
    { wsUrl: `ws://127.0.0.1:${wsPort}`, serviceUrn: SERVICE_URN, bigTopic: BIG_TOPIC, replyText: REPLY_TEXT },
  );
  assert.equal(result.protocol, "mqtt");
  assert.deepEqual(result.suback, [1, 0]);
  const state = await page.evaluate(() => window.e2e.state);
  assert.deepEqual(state.main.packets.slice(0, 2), ["connack", "suback"]);
  assert.deepEqual(state.errors, []);
});

test("an object-extension invocation from mosquitto_pub is decoded in the page and answered; mosquitto_sub sees the reply", async () => {
  // The observer subscribes first; its SUBACK is awaited before anything is published.
  // stdbuf: line-buffered stdout, so the "Subscribed" line is seen before mosquitto_sub exits.
  const sub = start("stdbuf", ["-oL", "mosquitto_sub",
    "-h", "127.0.0.1", "-p", String(tcpPort), "-t", SERVICE.respondTopic, "-q", "1",
    "-C", "1", "-W", "60", "-d", "-F", "PAYLOAD %x",
  ]);
  await waitFor(() => sub.output.includes("Subscribed (mid"), "mosquitto_sub's SUBACK");

  const invocation = join(SAMPLES, "object-extension-invocation.json");
  await run("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(tcpPort), "-t", SERVICE.monitorTopic, "-q", "1", "-f", invocation]);

  await page.waitForFunction(() => window.e2e.state.replyAcked === true, null, { timeout: 30000 });
  const state = await page.evaluate(() => window.e2e.state);
  assert.deepEqual(state.invocation, {
    type: "BEHAVIOR_INVOCATION",
    taskId: "7ce94181-6b78-4147-b7fe-b21558790500",
    envelopeType: "HalfDuplexEnvelope",
    correlationId: "16e8a458-ec93-4285-888e-293c94b5e004",
    payloadType: "Echo",
    innermost: { message: "Hello World!" },
  });

  assert.equal(await sub.exited, 0, sub.output);
  const line = sub.output.split("\n").find((l) => l.startsWith("PAYLOAD "));
  assert.ok(line, `mosquitto_sub printed no payload:\n${sub.output}`);
  const reply = Buffer.from(line.slice("PAYLOAD ".length).trim(), "hex");
  const m = vcd.decodeMessage(reply);
  assert.equal(m.type, "BEHAVIOR_RESPONSE");
  assert.ok(m.body.kind === "behaviorResponse");
  assert.equal(m.body.headers.taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
  assert.equal(m.body.objectExtension?.envelope.envelopeType, "HalfDuplexEnvelope");
  assert.equal(m.body.objectExtension?.envelope.correlationId, "16e8a458-ec93-4285-888e-293c94b5e004");
  assert.deepEqual(m.body.objectExtension?.payload, { payloadType: "Echo", typed: true, value: { message: REPLY_TEXT } });
});

function bigPayload() {
  const big = Buffer.alloc(1 << 20);
  for (let i = 0; i < big.length; i++) big[i] = (i * 131 + (i >> 11)) & 0xff;
  const file = join(work, "big.bin");
  writeFileSync(file, big);
  return { big, file, sha256: createHash("sha256").update(big).digest("hex") };
}

test("a 1 MiB PUBLISH straight from mosquitto's WebSocket listener arrives whole (length and SHA-256)", async () => {
  const { big, file, sha256 } = bigPayload();
  await run("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(tcpPort), "-t", BIG_TOPIC, "-q", "0", "-f", file]);
  await page.waitForFunction(() => window.e2e.state.big !== null, null, { timeout: 30000 });
  const state = await page.evaluate(() => window.e2e.state);
  assert.equal(state.big.length, big.length);
  assert.equal(state.big.sha256, sha256);
  assert.deepEqual(state.errors, []);
});

test("a 1 MiB PUBLISH spanning many WebSocket frames (re-framed on loopback) is reassembled in the page", async () => {
  const result = await page.evaluate(
    (params) => window.e2e.runProxied(params),
    { wsUrl: `ws://127.0.0.1:${proxy.port}`, bigTopic: BIG_TOPIC },
  );
  assert.equal(result.protocol, "mqtt");
  assert.deepEqual(result.suback, [1]);
  const { big, file, sha256 } = bigPayload();
  const framesBefore = await page.evaluate(() => window.e2e.state.proxied.frames);
  await run("mosquitto_pub", ["-h", "127.0.0.1", "-p", String(tcpPort), "-t", BIG_TOPIC, "-q", "1", "-f", file]);
  await page.waitForFunction(() => window.e2e.state.bigProxied !== null, null, { timeout: 30000 });
  const state = await page.evaluate(() => window.e2e.state);
  assert.equal(state.bigProxied.length, big.length);
  assert.equal(state.bigProxied.sha256, sha256);
  assert.equal(state.bigProxied.qos, 1);
  const frames = state.bigProxied.framesSoFar - framesBefore;
  console.log(`# 1 MiB PUBLISH arrived in ${frames} WebSocket frames through the re-framing proxy`);
  assert.ok(frames >= 64, `expected the PUBLISH to span at least 64 WebSocket frames (<= 16 KiB each), got ${frames}`);
  assert.deepEqual(state.errors, []);
});
