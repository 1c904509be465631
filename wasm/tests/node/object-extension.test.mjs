// decodeObjectExtension through the packed package: the same envelope and payload as
// decodeMessage's body.objectExtension for every object-extension invocation (the samples and
// variants of them), the same errors for malformed layers, a precise error for any other
// message, and its result fed straight into buildObjectExtensionReply.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as vcd from "vcd-mqtt";

const SAMPLES = process.env.VCD_SAMPLES_DIR;
assert.ok(SAMPLES, "VCD_SAMPLES_DIR must point at shared/vcd/samples");
const sample = (name) => readFileSync(join(SAMPLES, name));
const text = (b) => new TextDecoder().decode(b);
const samples = () =>
  readdirSync(SAMPLES)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => [f, sample(f)]);
const INVOCATION = sample("object-extension-invocation.json");

function caught(fn) {
  try {
    fn();
  } catch (e) {
    assert.equal(e.name, "VcdMqttError", e.message);
    return e;
  }
  assert.fail("expected a thrown VcdMqttError");
}

const errorFields = (e) => ({ code: e.code, rule: e.rule, layer: e.layer, path: e.path, message: e.message });

/** The invocation sample with its headers, arguments and envelope edited. */
function variant({ headers = (h) => h, args = (a) => a, envelope = (e) => e, envelopeAsString = false } = {}) {
  const doc = JSON.parse(text(INVOCATION));
  doc.headers = headers(doc.headers);
  const a = args(JSON.parse(doc.payload));
  const env = envelope(a.arguments);
  a.arguments = envelopeAsString ? JSON.stringify(env) : env;
  doc.payload = JSON.stringify(a);
  return JSON.stringify(doc);
}

/** decodeObjectExtension's result must equal what decodeMessage gives for the same message. */
function sameAsDecodeMessage(input, label) {
  const m = vcd.decodeMessage(input);
  assert.equal(m.body.kind, "behaviorInvocation", label);
  if (m.body.kind !== "behaviorInvocation") return null;
  const ext = m.body.objectExtension;
  assert.ok(ext, `${label}: decodeMessage found no object extension`);
  const r = vcd.decodeObjectExtension(input);
  assert.deepEqual(r.envelope, ext.envelope, `${label}: envelope`);
  assert.deepEqual(r.payload, ext.payload, `${label}: payload`);
  assert.equal(r.taskId, m.body.headers.taskId ?? m.body.arguments._metadata?.taskId ?? null, `${label}: taskId`);
  assert.equal(r.entityId, m.body.headers.entityId ?? null, `${label}: entityId`);
  assert.deepEqual(Object.keys(r), ["taskId", "entityId", "envelope", "payload"], label);
  return r;
}

test("every object-extension invocation sample: the same envelope and payload as decodeMessage", () => {
  let found = 0;
  for (const [f, bytes] of samples()) {
    const m = vcd.decodeMessage(bytes);
    if (m.body.kind !== "behaviorInvocation" || !m.body.objectExtension) continue;
    found++;
    const r = sameAsDecodeMessage(bytes, f);
    assert.deepEqual(vcd.decodeObjectExtension(text(bytes)), r, `${f}: string input`);
  }
  assert.ok(found >= 1, "no object-extension invocation among the samples");
  const r = vcd.decodeObjectExtension(INVOCATION);
  assert.equal(r.taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
  assert.equal(r.entityId, null);
  assert.equal(r.envelope.envelopeType, "HalfDuplexEnvelope");
  if (r.envelope.envelopeType === "HalfDuplexEnvelope") assert.equal(r.envelope.correlationId, "16e8a458-ec93-4285-888e-293c94b5e004");
  assert.deepEqual(r.payload, { payloadType: "Echo", typed: true, value: { message: "Hello World!" } });
});

test("variants of the invocation: the same values as decodeMessage", () => {
  const cases = {
    "envelope as a JSON-encoded string": variant({ envelopeAsString: true }),
    "entityId in the headers": variant({ headers: (h) => ({ ...h, entityId: "urn:vcloud:entity:x" }) }),
    "taskId only in _metadata": variant({ headers: ({ taskId, ...h }) => h }),
    "no headers": variant({ headers: () => undefined }),
    "ErrorMessageEnvelope": variant({
      envelope: ({ correlationId, expectedResponsePayloadType, ...e }) => ({ ...e, envelopeType: "ErrorMessageEnvelope", correlationIdRef: correlationId }),
    }),
    "untyped payloadType": variant({ envelope: (e) => ({ ...e, payloadType: "VmCustomizationRequest", payload: '{"b": [1, {"a": null}]}' }) }),
    "unknown members in every layer": variant({
      headers: (h) => ({ ...h, extra: [1] }),
      args: (a) => ({ ...a, more: { x: 1 } }),
      envelope: (e) => ({ ...e, other: "o" }),
    }),
    "Echo with unknown members": variant({ envelope: (e) => ({ ...e, payload: '{"message": "m", "z": 2}' }) }),
  };
  for (const [label, input] of Object.entries(cases)) sameAsDecodeMessage(input, label);
  assert.equal(vcd.decodeObjectExtension(cases["taskId only in _metadata"]).taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
  assert.equal(vcd.decodeObjectExtension(cases["no headers"]).taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
});

test("any other message: a precise error", () => {
  for (const [f, bytes] of samples()) {
    const m = vcd.decodeMessage(bytes);
    if (m.body.kind === "behaviorInvocation" && m.body.objectExtension) continue;
    const e = caught(() => vcd.decodeObjectExtension(bytes));
    if (m.type !== "BEHAVIOR_INVOCATION") {
      assert.deepEqual(
        { code: e.code, rule: e.rule, layer: e.layer, path: e.path },
        { code: "VCD_MESSAGE", rule: "Envelope", layer: "envelope", path: "type" },
        f,
      );
      assert.ok(e.message.includes(JSON.stringify(m.type)), `${f}: ${e.message}`);
    } else {
      assert.deepEqual(
        { code: e.code, rule: e.rule, layer: e.layer, path: e.path },
        { code: "VCD_MESSAGE", rule: "ObjectExtensionEnvelope", layer: "object-extension envelope", path: "payload.arguments.envelopeType" },
        f,
      );
    }
  }
  const e = caught(() => vcd.decodeObjectExtension(variant({ args: ({ arguments: _, ...a }) => a, envelope: () => undefined })));
  assert.equal(e.path, "payload.arguments");
  assert.equal(e.layer, "object-extension envelope");
  assert.equal(caught(() => vcd.decodeObjectExtension(42)).code, "INVALID_ARGUMENT");
});

test("malformed layers: the same error as decodeMessage", () => {
  const cases = {
    "not JSON": ["{not json", "envelope", ""],
    "not UTF-8": [new Uint8Array([0xff, 0xfe]), "envelope", null],
    "headers of the wrong type": [variant({ headers: (h) => ({ ...h, taskId: 5 }) }), "invocation headers", "headers.taskId"],
    "arguments not JSON": [JSON.stringify({ type: "BEHAVIOR_INVOCATION", headers: {}, payload: "{oops" }), "invocation arguments", null],
    "envelope payload not a string": [variant({ envelope: (e) => ({ ...e, payload: 5 }) }), "object-extension envelope", "payload.arguments.payload"],
    "envelope phase missing": [variant({ envelope: ({ phase, ...e }) => e, envelopeAsString: true }), "object-extension envelope", "payload.arguments.phase"],
    "unknown envelopeType": [variant({ envelope: (e) => ({ ...e, envelopeType: "Simplex" }) }), "object-extension envelope", "payload.arguments.envelopeType"],
    "Echo without message": [variant({ envelope: (e) => ({ ...e, payload: '{"msg": 1}' }) }), "object-extension payload", "payload.message"],
    "payload not JSON": [variant({ envelope: (e) => ({ ...e, payload: "{" }) }), "object-extension payload", null],
  };
  for (const [label, [input, layer, path]] of Object.entries(cases)) {
    const fast = caught(() => vcd.decodeObjectExtension(input));
    const full = caught(() => vcd.decodeMessage(input));
    assert.deepEqual(errorFields(fast), errorFields(full), label);
    assert.equal(fast.code, "VCD_MESSAGE", label);
    assert.equal(fast.layer, layer, label);
    if (path !== null) assert.equal(fast.path, path, label);
  }
});

test("the result feeds buildObjectExtensionReply: the same reply as from the message bytes", () => {
  const inputs = [
    INVOCATION,
    variant({ headers: ({ taskId, ...h }) => ({ ...h, entityId: "urn:vcloud:entity:x" }) }),
    variant({ envelope: ({ correlationId, expectedResponsePayloadType, ...e }) => ({ ...e, envelopeType: "ErrorMessageEnvelope", correlationIdRef: correlationId }) }),
  ];
  const payloads = [
    { payloadType: "Echo", value: { message: "Hello back" } },
    { payloadType: "ExtensionErrorMessage", value: { message: "no", majorErrorCode: 500 } },
    { payloadType: "VmCustomizationResponse", value: { a: [1, 2] } },
  ];
  for (const input of inputs) {
    const request = vcd.decodeObjectExtension(input);
    for (const p of payloads) {
      assert.deepEqual(vcd.buildObjectExtensionReply(request, p), vcd.buildObjectExtensionReply(input, p), p.payloadType);
    }
  }
  const reply = vcd.decodeMessage(vcd.buildObjectExtensionReply(vcd.decodeObjectExtension(INVOCATION), payloads[0]));
  assert.ok(reply.body.kind === "behaviorResponse");
  if (reply.body.kind !== "behaviorResponse") return;
  assert.equal(reply.body.headers.taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
  assert.deepEqual(reply.body.objectExtension?.payload.value, { message: "Hello back" });

  const request = vcd.decodeObjectExtension(INVOCATION);
  const e = caught(() => vcd.buildObjectExtensionReply({ ...request, envelope: { ...request.envelope, phase: 1 } }, payloads[0]));
  assert.deepEqual([e.code, e.layer, e.path], ["VCD_MESSAGE", "object-extension envelope", "invocation.envelope.phase"]);
  assert.deepEqual(
    [caught(() => vcd.buildObjectExtensionReply({ taskId: "t" }, payloads[0])).code, caught(() => vcd.buildObjectExtensionReply({ taskId: "t" }, payloads[0])).path],
    ["INVALID_ARGUMENT", "invocation.envelope"],
  );
  assert.equal(caught(() => vcd.buildObjectExtensionReply(42, payloads[0])).path, "invocation");
  assert.equal(caught(() => vcd.buildObjectExtensionReply({ ...request, taskId: 5 }, payloads[0])).path, "invocation.taskId");
});
