// Node globals that mqtt-packet's dependencies (bl, readable-stream) use, for its browser
// bundle: esbuild's `inject` replaces the free identifiers `process` and `Buffer` with these
// npm polyfills, as MQTT.js's own browser build does.
import process from "process/browser.js";
import { Buffer } from "buffer";

export { process, Buffer };
