// VCD messages through the packed package: every sample in shared/vcd/samples decodes with its
// fields asserted, builders produce messages that decode back, helpers, and every error path.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import * as vcd from "vcd-mqtt";

const SAMPLES = process.env.VCD_SAMPLES_DIR;
assert.ok(SAMPLES, "VCD_SAMPLES_DIR must point at shared/vcd/samples");
const sample = (name) => readFileSync(join(SAMPLES, name));
const text = (b) => new TextDecoder().decode(b);

function throwsVcd(fn, expected) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught instanceof Error, "expected a thrown Error");
  assert.equal(caught.name, "VcdMqttError");
  for (const [k, v] of Object.entries(expected)) assert.deepEqual(caught[k], v, `error.${k} (${caught.message})`);
  return caught;
}

const EXPECTED_KIND = {
  "api-request.json": ["API_REQUEST", "apiRequest"],
  "api-response.json": ["API_RESPONSE", "apiResponse"],
  "behavior-invocation.json": ["BEHAVIOR_INVOCATION", "behaviorInvocation"],
  "behavior-response-plain.json": ["BEHAVIOR_RESPONSE", "behaviorResponse"],
  "behavior-response-task.json": ["BEHAVIOR_RESPONSE", "behaviorResponse"],
  "event-json.json": ["EVENT", "notification"],
  "event-xml.json": ["EVENT", "notification"],
  "object-extension-invocation.json": ["BEHAVIOR_INVOCATION", "behaviorInvocation"],
  "object-extension-response.json": ["BEHAVIOR_RESPONSE", "behaviorResponse"],
  "unknown-type.json": ["SOMETHING_NEW", "unknown"],
};

test("every sample decodes (bytes and string give the same result) with the expected kind", () => {
  const files = readdirSync(SAMPLES).filter((f) => f.endsWith(".json")).sort();
  assert.ok(files.length >= 10, `samples found: ${files.length}`);
  for (const f of files) {
    const bytes = sample(f);
    const m = vcd.decodeMessage(bytes);
    assert.deepEqual(vcd.decodeMessage(text(bytes)), m, f);
    const expected = EXPECTED_KIND[f];
    assert.ok(expected, `a new sample ${f}: add its expectations`);
    assert.equal(m.type, expected[0], f);
    assert.equal(m.body.kind, expected[1], f);
    assert.equal(m.known, expected[1] !== "unknown", f);
  }
});

test("sample object-extension-invocation: every layer down to the Echo payload", () => {
  const m = vcd.decodeMessage(sample("object-extension-invocation.json"));
  assert.equal(m.body.kind, "behaviorInvocation");
  if (m.body.kind !== "behaviorInvocation") return;
  assert.equal(m.body.headers.taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
  assert.equal(m.body.headers.context?.orgId, "urn:vcloud:org:a93c9db9-7471-3192-8d09-a8f7eeda85f9");
  assert.equal(m.body.arguments.typeId, "urn:vcloud:interface:vmware:BEHAVIOR_ECHO:1.0.0");
  assert.equal(m.body.arguments._execution_properties?.serviceId, "urn:vcloud:extension-api:vmware:echo:0.0.1");
  assert.equal(m.body.arguments._execution_properties?.invocation_timeout, 300);
  assert.equal(m.body.arguments._execution_properties?.actAsToken, false);
  assert.equal(m.body.arguments._metadata?.executionType, "MQTT");
  assert.equal(m.body.arguments._metadata?.invocationId, "298c37ce-4854-4576-a3aa-903a92d0904f");
  const ext = m.body.objectExtension;
  assert.ok(ext);
  assert.deepEqual(ext.envelope, {
    envelopeType: "HalfDuplexEnvelope",
    clientRequestId: "obj-ext-test",
    namespace: "BEHAVIOR_ECHO",
    payloadType: "Echo",
    phase: "urn:extensionPoint:vm:create",
    payload: '{"message": "Hello World!"}',
    correlationId: "16e8a458-ec93-4285-888e-293c94b5e004",
    expectedResponsePayloadType: "Echo",
  });
  assert.deepEqual(ext.payload, { payloadType: "Echo", typed: true, value: { message: "Hello World!" } });
});

test("sample behavior-invocation: plain behavior, no object extension, rights kept", () => {
  const m = vcd.decodeMessage(sample("behavior-invocation.json"));
  assert.equal(m.body.kind, "behaviorInvocation");
  if (m.body.kind !== "behaviorInvocation") return;
  assert.equal(m.body.objectExtension, null);
  assert.deepEqual(m.body.headers.context?.rights, ["urn:vcloud:right:1", "urn:vcloud:right:2"]);
  assert.deepEqual(m.body.arguments.arguments, { size: "large", count: 3 });
  assert.equal(m.body.arguments.additionalArguments, null);
  assert.deepEqual(m.body.arguments.entity, { name: "vm-sizer-1", spec: { cpus: 2, memoryMb: 4096 } });
  assert.equal(m.body.arguments._metadata?.requestId, "d0f7a1c2-5b0e-4a55-9e61-0b1f2c3d4e5f");
});

test("sample behavior responses: text, task update, object-extension reply", () => {
  const plain = vcd.decodeMessage(sample("behavior-response-plain.json")).body;
  assert.equal(plain.kind, "behaviorResponse");
  if (plain.kind !== "behaviorResponse") return;
  assert.deepEqual(plain.content, { kind: "text", text: "resized to large" });
  assert.equal(plain.headers.contentType, "plain/text");
  assert.equal(plain.objectExtension, null);

  const task = vcd.decodeMessage(sample("behavior-response-task.json")).body;
  assert.ok(task.kind === "behaviorResponse" && task.content.kind === "taskUpdate");
  if (task.kind !== "behaviorResponse" || task.content.kind !== "taskUpdate") return;
  assert.deepEqual(task.content.taskUpdate, {
    status: "error",
    operation: "resize",
    details: "not enough capacity",
    error: { majorErrorCode: 409, minorErrorCode: "NO_CAPACITY", message: "No host can fit 3 large VMs" },
  });

  const reply = vcd.decodeMessage(sample("object-extension-response.json")).body;
  assert.equal(reply.kind, "behaviorResponse");
  if (reply.kind !== "behaviorResponse") return;
  assert.equal(reply.objectExtension?.envelope.envelopeType, "HalfDuplexEnvelope");
  assert.deepEqual(reply.objectExtension?.payload, { payloadType: "Echo", typed: true, value: { message: "Hello back" } });
});

test("sample API request: base64 httpRequest decoded down to the body bytes", () => {
  const m = vcd.decodeMessage(sample("api-request.json"));
  assert.equal(m.body.kind, "apiRequest");
  if (m.body.kind !== "apiRequest") return;
  assert.equal(m.body.bytesForm, "base64");
  assert.equal(m.body.linkApiBaseUrl, "https://vcd.example.com/ext-api");
  assert.equal(m.body.headers.requestId, "21c9ed76-036d-45c4-a122-ca2f623dca2a");
  assert.equal(m.body.headers.context?.rights, null);
  const msg = m.body.request.message;
  assert.equal(msg.method, "POST");
  assert.equal(msg.requestUri, "/ext-api/acme/sizer/recommend");
  assert.equal(msg.queryString, "dryRun=true");
  assert.equal(msg.remotePort, 51544);
  assert.equal(msg.headers?.["Content-Type"], "application/json");
  assert.ok(msg.body instanceof Uint8Array);
  assert.equal(text(msg.body), '{"vms":3}');
  assert.equal(m.body.request.securityContext?.user, "urn:vcloud:user:44");
});

test("API request with httpRequest as an array of numbers", () => {
  const doc = JSON.parse(text(sample("api-request.json")));
  doc.httpRequest = [...Buffer.from(doc.httpRequest, "base64")];
  const m = vcd.decodeMessage(JSON.stringify(doc));
  assert.ok(m.body.kind === "apiRequest");
  if (m.body.kind !== "apiRequest") return;
  assert.equal(m.body.bytesForm, "array");
  assert.equal(text(m.body.request.message.body ?? new Uint8Array()), '{"vms":3}');
});

test("sample API response: body bytes", () => {
  const m = vcd.decodeMessage(sample("api-response.json"));
  assert.ok(m.body.kind === "apiResponse");
  if (m.body.kind !== "apiResponse") return;
  assert.equal(m.body.response.statusCode, 200);
  assert.equal(m.body.headers.requestId, "21c9ed76-036d-45c4-a122-ca2f623dca2a");
  assert.equal(text(m.body.response.body ?? new Uint8Array()), '{"recommended":"large"}');
});

test("sample notifications: JSON and XML forms give the same Notification shape", () => {
  const json = vcd.decodeMessage(sample("event-json.json")).body;
  assert.ok(json.kind === "notification");
  if (json.kind !== "notification") return;
  assert.equal(json.format, "json");
  assert.deepEqual(json.notification, {
    eventId: "a1440dd8-60ae-46c7-b216-44693bc00c90",
    type: "com/vmware/vcloud/event/vapp/create",
    timestamp: "2026-06-18T14:33:27.787+03:00",
    operationSuccess: true,
    user: "urn:vcloud:user:44",
    org: "urn:vcloud:org:70",
    entity: "urn:vcloud:vapp:26",
    task: "urn:vcloud:task:34",
    taskOwner: "urn:vcloud:vapp:26",
  });
  const xml = vcd.decodeMessage(sample("event-xml.json")).body;
  assert.ok(xml.kind === "notification");
  if (xml.kind !== "notification") return;
  assert.equal(xml.format, "xml");
  assert.equal(xml.notification.type, "com/vmware/vcloud/event/blockingtask/create");
  assert.equal(xml.notification.operationSuccess, true);
  assert.equal(xml.notification.entityResolver, "https://vcd.example.com/api/entity/");
  assert.equal(xml.notification.entity, "urn:vcloud:blockingTask:25");
  assert.equal(xml.notification.taskOwner, "urn:vcloud:vapp:26");
  assert.equal(xml.notification.entityLinks?.length, 5);
  assert.deepEqual(xml.notification.entityLinks?.[1], { rel: "down", type: "vcloud:user", name: "admin", id: "urn:vcloud:user:44" });
});

test("sample unknown type: not an error, raw members kept", () => {
  const m = vcd.decodeMessage(sample("unknown-type.json"));
  assert.deepEqual(m, { type: "SOMETHING_NEW", known: false, headers: { x: 1 }, payload: "opaque", body: { kind: "unknown" } });
});

test("decodeMessage key order and the payload member (the result is one JSON text parsed in JS)", () => {
  // Keys in the order of the typed models, `payload` in place whether given or not.
  const keys = (o) => Object.keys(o).join(",");
  const m = vcd.decodeMessage(sample("object-extension-invocation.json"));
  assert.equal(keys(m), "type,known,headers,payload,body");
  assert.equal(m.payload, JSON.parse(text(sample("object-extension-invocation.json"))).payload);
  assert.equal(keys(m.body), "kind,headers,arguments,objectExtension");
  assert.equal(keys(m.body.arguments), "typeId,arguments,_execution_properties,_metadata");
  assert.equal(keys(m.body.objectExtension.envelope), "envelopeType,clientRequestId,namespace,payloadType,phase,payload,correlationId,expectedResponsePayloadType");
  assert.equal(keys(m.body.objectExtension.payload), "payloadType,typed,value");
  for (const [doc, payload] of [
    [{ type: "SOMETHING_NEW" }, null],
    [{ type: "SOMETHING_NEW", payload: 7 }, null],
    [{ type: "SOMETHING_NEW", payload: "" }, ""],
    [{ type: "SOMETHING_NEW", payload: 'a "quoted" \\ \u0000 \u2028 é 🙂 line\nbreak' }, 'a "quoted" \\ \u0000 \u2028 é 🙂 line\nbreak'],
  ]) {
    const r = vcd.decodeMessage(JSON.stringify(doc));
    assert.equal(keys(r), "type,known,headers,payload,body");
    assert.equal(r.payload, payload);
    assert.equal(r.headers, null);
  }
  const req = vcd.decodeMessage(sample("api-request.json"));
  assert.ok(req.body.kind === "apiRequest");
  if (req.body.kind !== "apiRequest") return;
  assert.equal(keys(req.body), "kind,headers,request,bytesForm,linkApiBaseUrl");
  assert.ok(req.body.request.message.body instanceof Uint8Array);
  const resp = vcd.decodeMessage(sample("api-response.json"));
  assert.ok(resp.body.kind === "apiResponse");
  if (resp.body.kind !== "apiResponse") return;
  assert.equal(keys(resp.body), "kind,headers,response,responseForm");
  assert.ok(resp.body.response.body instanceof Uint8Array);
  const text_ = vcd.decodeMessage(sample("behavior-response-plain.json")).body;
  assert.equal(keys(text_), "kind,headers,content,objectExtension");
  assert.equal(keys(vcd.decodeMessage(sample("event-json.json")).body), "kind,format,headers,notification");
});

// ------------------------------------------------------------------ builders

const INVOCATION = sample("object-extension-invocation.json");

test("buildObjectExtensionReply wraps the payload in every layer and decodes back", () => {
  const bytes = vcd.buildObjectExtensionReply(INVOCATION, { payloadType: "Echo", value: { message: "Hello back" } });
  assert.ok(bytes instanceof Uint8Array);
  const m = vcd.decodeMessage(bytes);
  assert.equal(m.type, "BEHAVIOR_RESPONSE");
  assert.ok(m.body.kind === "behaviorResponse");
  if (m.body.kind !== "behaviorResponse") return;
  assert.equal(m.body.headers.taskId, "7ce94181-6b78-4147-b7fe-b21558790500");
  const env = m.body.objectExtension?.envelope;
  assert.equal(env?.envelopeType, "HalfDuplexEnvelope");
  if (env?.envelopeType !== "HalfDuplexEnvelope") return;
  assert.equal(env.correlationId, "16e8a458-ec93-4285-888e-293c94b5e004");
  assert.equal(env.phase, "urn:extensionPoint:vm:create");
  assert.equal(env.payloadType, "Echo");
  assert.deepEqual(m.body.objectExtension?.payload, { payloadType: "Echo", typed: true, value: { message: "Hello back" } });
});

test("buildObjectExtensionReply with ExtensionErrorMessage and with an untyped payload", () => {
  const err = vcd.decodeMessage(
    vcd.buildObjectExtensionReply(INVOCATION, {
      payloadType: "ExtensionErrorMessage",
      value: { message: "no capacity", majorErrorCode: 500, minorErrorCode: "NO_HOST" },
    }),
  );
  assert.ok(err.body.kind === "behaviorResponse");
  if (err.body.kind !== "behaviorResponse") return;
  assert.deepEqual(err.body.objectExtension?.payload.value, { message: "no capacity", majorErrorCode: 500, minorErrorCode: "NO_HOST" });
  const other = vcd.decodeMessage(vcd.buildObjectExtensionReply(INVOCATION, { payloadType: "VmCustomizationResponse", value: { a: [1, 2] } }));
  assert.ok(other.body.kind === "behaviorResponse");
  if (other.body.kind !== "behaviorResponse") return;
  assert.deepEqual(other.body.objectExtension?.payload, { payloadType: "VmCustomizationResponse", typed: false, value: { a: [1, 2] } });
});

test("buildBehaviorResponse: text and task update, ids copied from the invocation", () => {
  const inv = sample("behavior-invocation.json");
  const t = vcd.decodeMessage(vcd.buildBehaviorResponse(inv, { text: "resized" }));
  assert.ok(t.body.kind === "behaviorResponse");
  if (t.body.kind !== "behaviorResponse") return;
  assert.deepEqual(t.body.content, { kind: "text", text: "resized" });
  assert.equal(t.body.headers.taskId, "c359ea34-2db6-419f-bad6-468a9704d49e");
  assert.equal(t.body.headers.entityId, "urn:vcloud:entity:acme:sizerType:1.0.0:3542f778-37e3-4ce9-b244-41ccc36e27c3");
  assert.equal(t.body.headers.contentType, "plain/text");

  const update = { status: "running", operation: "resize", progress: 40, details: "placing" };
  const u = vcd.decodeMessage(vcd.buildBehaviorResponse(text(inv), { taskUpdate: update }));
  assert.ok(u.body.kind === "behaviorResponse" && u.body.content.kind === "taskUpdate");
  if (u.body.kind !== "behaviorResponse" || u.body.content.kind !== "taskUpdate") return;
  assert.deepEqual(u.body.content.taskUpdate, update);
  assert.equal(u.body.headers.contentType, "application/vnd.vmware.vcloud.task+json");
});

test("buildApiResponse copies the request id and encodes the body as the request did", () => {
  const req = sample("api-request.json");
  const r = vcd.decodeMessage(vcd.buildApiResponse(req, { statusCode: 201, headers: { "Content-Type": "text/plain" }, body: "made" }));
  assert.ok(r.body.kind === "apiResponse");
  if (r.body.kind !== "apiResponse") return;
  assert.equal(r.body.headers.requestId, "21c9ed76-036d-45c4-a122-ca2f623dca2a");
  assert.equal(r.body.response.statusCode, 201);
  assert.deepEqual(r.body.response.headers, { "Content-Type": "text/plain" });
  assert.equal(text(r.body.response.body ?? new Uint8Array()), "made");
  const raw = JSON.parse(text(vcd.buildApiResponse(req, { statusCode: 204, body: new Uint8Array([104, 105]) })));
  assert.equal(raw.httpResponse.body, "aGk=", "base64 like the request");
});

// ------------------------------------------------------------------ topics and user names

test("extensionService from parts and from its URN", () => {
  const expected = {
    vendor: "vmware",
    name: "echo",
    version: "0.0.1",
    urn: "urn:vcloud:extension-api:vmware:echo:0.0.1",
    monitorTopic: "topic/extension/vmware/echo/0.0.1/ext",
    respondTopic: "topic/extension/vmware/echo/0.0.1/vcd",
    userName: "vmware/echo/0.0.1",
  };
  assert.deepEqual(vcd.extensionService({ vendor: "vmware", name: "echo", version: "0.0.1" }), expected);
  assert.deepEqual(vcd.extensionService("urn:vcloud:extension-api:vmware:echo:0.0.1"), expected);
});

test("notificationUserName and websocketUrl", () => {
  assert.equal(vcd.notificationUserName("admin", "System"), "admin@System");
  assert.equal(vcd.websocketUrl("vcd.example.com"), "wss://vcd.example.com/messaging/mqtt");
});

test("topic and user-name errors are VCD_TOPIC with the offending part", () => {
  for (const bad of [
    { vendor: "a/b", name: "n", version: "1" },
    { vendor: "v", name: "n+", version: "1" },
    { vendor: "v", name: "n", version: "#" },
    { vendor: "", name: "n", version: "1" },
  ]) {
    throwsVcd(() => vcd.extensionService(bad), { code: "VCD_TOPIC", rule: "Topic", layer: "topic" });
  }
  const e = throwsVcd(() => vcd.extensionService({ vendor: "a/b", name: "n", version: "1" }), { code: "VCD_TOPIC" });
  assert.match(e.path, /vendor/);
  throwsVcd(() => vcd.extensionService("urn:nope"), { code: "VCD_TOPIC" });
  throwsVcd(() => vcd.notificationUserName("ad@min", "System"), { code: "VCD_TOPIC" });
  throwsVcd(() => vcd.websocketUrl("https://vcd.example.com/x"), { code: "VCD_TOPIC" });
  throwsVcd(() => vcd.extensionService({ vendor: "v" }), { code: "INVALID_ARGUMENT", path: "service.name" });
});

// ------------------------------------------------------------------ message error paths

function withArguments(edit) {
  const doc = JSON.parse(text(INVOCATION));
  const args = JSON.parse(doc.payload);
  edit(args);
  doc.payload = JSON.stringify(args);
  return JSON.stringify(doc);
}

test("decodeMessage errors name the layer and the JSON path", () => {
  throwsVcd(() => vcd.decodeMessage("{not json"), { code: "VCD_MESSAGE", rule: "Envelope", layer: "envelope" });
  throwsVcd(() => vcd.decodeMessage("[]"), { code: "VCD_MESSAGE", rule: "Envelope" });
  throwsVcd(() => vcd.decodeMessage(new Uint8Array([0xff, 0xfe])), { code: "VCD_MESSAGE", rule: "Envelope" });
  throwsVcd(
    () => vcd.decodeMessage(withArguments((a) => (a.arguments.payload = 5))),
    { code: "VCD_MESSAGE", rule: "ObjectExtensionEnvelope", layer: "object-extension envelope", path: "payload.arguments.payload" },
  );
  throwsVcd(
    () => vcd.decodeMessage(withArguments((a) => (a.arguments.payload = '{"msg": 1}'))),
    { code: "VCD_MESSAGE", rule: "ObjectExtensionPayload", layer: "object-extension payload", path: "payload.message" },
  );
  const e = throwsVcd(
    () => vcd.decodeMessage(JSON.stringify({ type: "BEHAVIOR_INVOCATION", headers: {}, payload: "{oops" })),
    { code: "VCD_MESSAGE", rule: "InvocationArguments" },
  );
  assert.match(e.path, /^payload/);
  throwsVcd(
    () => vcd.decodeMessage(JSON.stringify({ type: "BEHAVIOR_RESPONSE", headers: { contentType: "application/vnd.vmware.vcloud.task+json" }, payload: '{"status": "walking"}' })),
    { code: "VCD_MESSAGE", rule: "TaskUpdate", layer: "task update" },
  );
  throwsVcd(() => vcd.decodeMessage(JSON.stringify({ type: "API_REQUEST", headers: {}, httpRequest: "!!!" })), {
    code: "VCD_MESSAGE",
    rule: "ApiRequest",
  });
  throwsVcd(() => vcd.decodeMessage(JSON.stringify({ type: "EVENT", headers: { contentType: "application/xml" }, payload: "<a><b></a>" })), {
    code: "VCD_MESSAGE",
    rule: "NotificationXml",
  });
  throwsVcd(() => vcd.decodeMessage(42), { code: "INVALID_ARGUMENT", path: "payload" });
});

test("builder errors", () => {
  throwsVcd(() => vcd.buildBehaviorResponse(INVOCATION, { taskUpdate: { status: "running", progress: 101 } }), {
    code: "VCD_MESSAGE",
    rule: "TaskUpdate",
    path: "taskUpdate.progress",
  });
  throwsVcd(() => vcd.buildBehaviorResponse(INVOCATION, { taskUpdate: { status: "walking" } }), {
    code: "VCD_MESSAGE",
    path: "taskUpdate.status",
  });
  throwsVcd(() => vcd.buildBehaviorResponse(INVOCATION, {}), { code: "INVALID_ARGUMENT", path: "response" });
  throwsVcd(() => vcd.buildBehaviorResponse(INVOCATION, { text: "a", taskUpdate: { status: "success" } }), {
    code: "INVALID_ARGUMENT",
    path: "response",
  });
  throwsVcd(() => vcd.buildObjectExtensionReply(INVOCATION, { payloadType: "Echo", value: { mess: 1 } }), {
    code: "VCD_MESSAGE",
    rule: "ObjectExtensionPayload",
    path: "message",
  });
  throwsVcd(() => vcd.buildObjectExtensionReply(sample("behavior-invocation.json"), { payloadType: "Echo", value: { message: "x" } }), {
    code: "VCD_MESSAGE",
    rule: "ObjectExtensionEnvelope",
    path: "payload.arguments.envelopeType",
  });
  throwsVcd(() => vcd.buildObjectExtensionReply(INVOCATION, { payloadType: "Echo" }), { code: "INVALID_ARGUMENT", path: "payload.value" });
  throwsVcd(() => vcd.buildApiResponse(INVOCATION, { statusCode: 200 }), { code: "VCD_MESSAGE", rule: "ApiRequest", path: "httpRequest" });
  throwsVcd(() => vcd.buildApiResponse(sample("api-request.json"), { statusCode: 70000 }), {
    code: "INVALID_ARGUMENT",
    path: "response.statusCode",
  });
  throwsVcd(() => vcd.buildApiResponse(sample("api-request.json"), { statusCode: 200, headers: { a: 1 } }), {
    code: "INVALID_ARGUMENT",
    path: "response.headers.a",
  });
});
