// Node tests of the PACKED `vcd-mqtt` package (installed from its tarball into a fresh project
// outside the repository by wasm/scripts/test.sh): every encoder against hand-checked bytes,
// decoding of every packet type, round trips, and every error path of the packet API.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as vcd from "vcd-mqtt";

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const bin = (h) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));
const utf8 = (s) => new TextEncoder().encode(s);

/** Asserts that `fn` throws a VcdMqttError with the given properties. */
function throwsVcd(fn, expected) {
  let caught;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  assert.ok(caught, "expected an error");
  assert.ok(caught instanceof Error, "a real Error");
  assert.equal(caught.name, "VcdMqttError");
  assert.equal(typeof caught.message, "string");
  assert.ok(caught.message.length > 0);
  for (const [k, v] of Object.entries(expected)) {
    assert.deepEqual(caught[k], v, `error.${k} (message: ${caught.message})`);
  }
  return caught;
}

// ------------------------------------------------------------------ encoders, known bytes

const KNOWN = [
  ["PINGREQ", () => vcd.encodePingreq(), "c000"],
  ["DISCONNECT", () => vcd.encodeDisconnect(), "e000"],
  ["PUBACK", () => vcd.encodePuback(1), "40020001"],
  ["PUBREC", () => vcd.encodePubrec(0x1234), "50021234"],
  ["PUBREL (flags 0010)", () => vcd.encodePubrel(0xffff), "6202ffff"],
  ["PUBCOMP", () => vcd.encodePubcomp(258), "70020102"],
  [
    "CONNECT minimal",
    () => vcd.encodeConnect({ clientId: "vcd", keepAlive: 60, cleanSession: true }),
    "100f 00044d515454 04 02 003c 0003766364",
  ],
  [
    "CONNECT defaults (empty client id, clean session, keep alive 60)",
    () => vcd.encodeConnect({}),
    "100c 00044d515454 04 02 003c 0000",
  ],
  [
    "CONNECT with will, user name and password",
    () =>
      vcd.encodeConnect({
        clientId: "c1",
        keepAlive: 30,
        cleanSession: true,
        username: "u",
        password: "p",
        will: { topic: "w", message: "bye", qos: 1, retain: true },
      }),
    "101c 00044d515454 04 ee 001e 00026331 000177 0003627965 000175 000170",
  ],
  [
    "CONNECT password as bytes, clean session 0",
    () =>
      vcd.encodeConnect({
        clientId: "x",
        cleanSession: false,
        keepAlive: 0,
        username: "acme/sizer/1.2.3",
        password: new Uint8Array([0, 255]),
      }),
    "1023 00044d515454 04 c0 0000 000178 0010" + hex(utf8("acme/sizer/1.2.3")) + " 000200ff",
  ],
  [
    "SUBSCRIBE two filters",
    () =>
      vcd.encodeSubscribe({
        packetId: 10,
        subscriptions: [
          { topicFilter: "a/b", qos: 1 },
          { topicFilter: "c/#", qos: 0 },
        ],
      }),
    "820e 000a 0003612f62 01 0003632f23 00",
  ],
  [
    "SUBSCRIBE bare string filter is QoS 0",
    () => vcd.encodeSubscribe({ packetId: 1, subscriptions: ["+"] }),
    "8206 0001 00012b 00",
  ],
  [
    "UNSUBSCRIBE",
    () => vcd.encodeUnsubscribe({ packetId: 11, topicFilters: ["a/b", "#"] }),
    "a20a 000b 0003612f62 000123",
  ],
  ["PUBLISH QoS 0", () => vcd.encodePublish({ topic: "t", payload: "hi" }), "3005 000174 6869"],
  ["PUBLISH QoS 0 empty payload", () => vcd.encodePublish({ topic: "t" }), "3003 000174"],
  [
    "PUBLISH QoS 1 dup retain",
    () =>
      vcd.encodePublish({
        topic: "a/b",
        qos: 1,
        packetId: 7,
        dup: true,
        retain: true,
        payload: new Uint8Array([1, 2, 3]),
      }),
    "3b0a 0003612f62 0007 010203",
  ],
  [
    "PUBLISH QoS 2 multi-byte UTF-8 topic",
    () => vcd.encodePublish({ topic: "ü/€", qos: 2, packetId: 0x0102, payload: "" }),
    "340a 0006" + hex(utf8("ü/€")) + "0102",
  ],
  [
    "PUBLISH 200-byte payload (two-byte remaining length)",
    () => vcd.encodePublish({ topic: "t", payload: new Uint8Array(200).fill(0x41) }),
    "30cb01 000174" + "41".repeat(200),
  ],
  ["encodePacket CONNACK", () => vcd.encodePacket({ type: "connack", sessionPresent: true, returnCode: 0 }), "20020100"],
  ["encodePacket CONNACK refused", () => vcd.encodePacket({ type: "connack", returnCode: 5 }), "20020005"],
  ["encodePacket SUBACK", () => vcd.encodePacket({ type: "suback", packetId: 10, returnCodes: [1, 128, 2] }), "9005000a018002"],
  ["encodePacket UNSUBACK", () => vcd.encodePacket({ type: "unsuback", packetId: 11 }), "b002000b"],
  ["encodePacket PINGRESP", () => vcd.encodePacket({ type: "pingresp" }), "d000"],
];

for (const [name, make, expected] of KNOWN) {
  test(`encode ${name}`, () => {
    const bytes = make();
    assert.ok(bytes instanceof Uint8Array);
    assert.equal(hex(bytes), expected.replace(/\s+/g, ""));
  });
}

test("every packet encodes, decodes to the documented shape, and encodes back to the same bytes", () => {
  for (const [name, make] of KNOWN) {
    const bytes = make();
    const { packet, length } = vcd.decodePacket(bytes);
    assert.equal(length, bytes.length, name);
    assert.equal(hex(vcd.encodePacket(packet)), hex(bytes), name);
  }
});

// ------------------------------------------------------------------ decoding, shapes

test("decodePacket CONNECT", () => {
  const { packet } = vcd.decodePacket(bin("101c 00044d515454 04 ee 001e 00026331 000177 0003627965 000175 000170"));
  assert.deepEqual(packet, {
    type: "connect",
    clientId: "c1",
    cleanSession: true,
    keepAlive: 30,
    will: { topic: "w", message: utf8("bye"), qos: 1, retain: true },
    username: "u",
    password: utf8("p"),
  });
});

test("decodePacket CONNECT without will and credentials", () => {
  const { packet } = vcd.decodePacket(bin("100c 00044d515454 04 02 003c 0000"));
  assert.deepEqual(packet, {
    type: "connect",
    clientId: "",
    cleanSession: true,
    keepAlive: 60,
    will: null,
    username: null,
    password: null,
  });
});

test("decodePacket CONNACK", () => {
  assert.deepEqual(vcd.decodePacket(bin("20020100")).packet, {
    type: "connack",
    sessionPresent: true,
    returnCode: 0,
    returnCodeName: "accepted",
  });
  assert.equal(vcd.decodePacket(bin("20020004")).packet.returnCodeName, "badUserNameOrPassword");
});

test("decodePacket PUBLISH QoS 1: payload is a view on the input, trailing bytes untouched", () => {
  const input = bin("3b0a 0003612f62 0007 010203 c000");
  const { packet, length } = vcd.decodePacket(input);
  assert.equal(length, 12);
  assert.deepEqual(packet, {
    type: "publish",
    dup: true,
    qos: 1,
    retain: true,
    topic: "a/b",
    packetId: 7,
    payload: new Uint8Array([1, 2, 3]),
  });
  assert.equal(packet.payload.buffer, input.buffer, "the caller's memory, not a copy");
  assert.equal(packet.payload.byteOffset, input.byteOffset + 9);
  input[10] = 9;
  assert.deepEqual([...packet.payload], [1, 9, 3]);
});

test("decodePacket with copyPayloads: the payload is a copy the caller keeps", () => {
  const input = bin("3b0a 0003612f62 0007 010203 c000");
  const { packet } = vcd.decodePacket(input, { copyPayloads: true });
  input.fill(0);
  assert.deepEqual([...packet.payload], [1, 2, 3]);
  assert.equal(packet.payload.buffer.byteLength, 3, "own buffer, not WebAssembly memory");
  // A plain array has no buffer to share: always a copy.
  const fromArray = vcd.decodePacket([...bin("3005 000174 6869")]).packet;
  assert.equal(fromArray.payload.buffer.byteLength, 2);
  throwsVcd(() => vcd.decodePacket(input, { copyPayloads: "yes" }), { code: "INVALID_ARGUMENT", path: "options.copyPayloads" });
});

test("decodePacket PUBLISH QoS 0 has packetId null", () => {
  const { packet } = vcd.decodePacket(bin("3005 000174 6869"));
  assert.equal(packet.packetId, null);
  assert.equal(packet.qos, 0);
  assert.equal(new TextDecoder().decode(packet.payload), "hi");
});

test("decodePacket keeps U+FEFF as-is in a topic", () => {
  const topic = "\uFEFFa";
  const { packet } = vcd.decodePacket(vcd.encodePublish({ topic }));
  assert.equal(packet.topic, topic);
});

test("decodePacket SUBSCRIBE, SUBACK, UNSUBSCRIBE, acks and empty packets", () => {
  assert.deepEqual(vcd.decodePacket(bin("820e 000a 0003612f62 01 0003632f23 00")).packet, {
    type: "subscribe",
    packetId: 10,
    subscriptions: [
      { topicFilter: "a/b", qos: 1 },
      { topicFilter: "c/#", qos: 0 },
    ],
  });
  assert.deepEqual(vcd.decodePacket(bin("9005000a018002")).packet, {
    type: "suback",
    packetId: 10,
    returnCodes: [1, 128, 2],
  });
  assert.deepEqual(vcd.decodePacket(bin("a20a 000b 0003612f62 000123")).packet, {
    type: "unsubscribe",
    packetId: 11,
    topicFilters: ["a/b", "#"],
  });
  for (const [h, type] of [
    ["40020001", "puback"],
    ["50020001", "pubrec"],
    ["62020001", "pubrel"],
    ["70020001", "pubcomp"],
    ["b0020001", "unsuback"],
  ]) {
    assert.deepEqual(vcd.decodePacket(bin(h)).packet, { type, packetId: 1 });
  }
  for (const [h, type] of [
    ["c000", "pingreq"],
    ["d000", "pingresp"],
    ["e000", "disconnect"],
  ]) {
    assert.deepEqual(vcd.decodePacket(bin(h)).packet, { type });
  }
});

test("decodePacket accepts a non-minimal remaining length unless strict", () => {
  const bytes = bin("c08000");
  assert.deepEqual(vcd.decodePacket(bytes), { packet: { type: "pingreq" }, length: 3 });
  throwsVcd(() => vcd.decodePacket(bytes, { strictRemainingLength: true }), {
    code: "MQTT_DECODE",
    rule: "NonMinimalRemainingLength",
    statementId: null,
    packetLength: 3,
  });
});

test("the maximum remaining length is decoded as incomplete with the exact bytes missing", () => {
  const header = bin("30 ffffff7f");
  throwsVcd(() => vcd.decodePacket(header), { code: "MQTT_INCOMPLETE", needed: 268435455 });
});

test("version() is the crate version", () => {
  assert.match(vcd.version(), /^\d+\.\d+\.\d+/);
});

// ------------------------------------------------------------------ decode error paths

test("decode: reserved packet type 0", () => {
  throwsVcd(() => vcd.decodePacket(bin("0000")), {
    code: "MQTT_DECODE",
    rule: "ReservedPacketType",
    offset: 0,
  });
});

test("decode: reserved packet type 15", () => {
  throwsVcd(() => vcd.decodePacket(bin("f000")), { code: "MQTT_DECODE", rule: "ReservedPacketType" });
});

test("decode: PUBREL with flags 0000 names MQTT-3.6.1-1", () => {
  const e = throwsVcd(() => vcd.decodePacket(bin("60020001")), {
    code: "MQTT_DECODE",
    rule: "InvalidFlags",
    statementId: "MQTT-3.6.1-1",
    offset: 0,
  });
  assert.ok(e.packetLength === null || e.packetLength === 4, `packetLength ${e.packetLength}`);
});

test("decode: PUBLISH with QoS 3", () => {
  throwsVcd(() => vcd.decodePacket(bin("3605 000174 0001")), {
    code: "MQTT_DECODE",
    rule: "InvalidQoS",
    statementId: "MQTT-3.3.1-4",
    offset: 0,
  });
});

test("decode: wildcard in a PUBLISH topic, with byte offset", () => {
  const e = throwsVcd(() => vcd.decodePacket(bin("3006 0003612f23 00")), {
    code: "MQTT_DECODE",
    rule: "WildcardInTopicName",
    statementId: "MQTT-3.3.2-2",
    packetLength: 8,
  });
  assert.ok(e.offset >= 2 && e.offset < 8, `offset ${e.offset} inside the topic`);
});

test("decode: packet id 0 in PUBACK", () => {
  throwsVcd(() => vcd.decodePacket(bin("40020000")), {
    code: "MQTT_DECODE",
    rule: "ZeroPacketId",
    statementId: "MQTT-2.3.1-1",
    packetLength: 4,
  });
});

test("decode: wrong protocol name and level", () => {
  throwsVcd(() => vcd.decodePacket(bin("100c 00044d515458 04 02 003c 0000")), {
    code: "MQTT_DECODE",
    rule: "InvalidProtocolName",
    statementId: "MQTT-3.1.2-1",
  });
  throwsVcd(() => vcd.decodePacket(bin("100c 00044d515454 05 02 003c 0000")), {
    code: "MQTT_DECODE",
    rule: "UnsupportedProtocolLevel",
  });
});

test("decode: SUBSCRIBE without filters", () => {
  throwsVcd(() => vcd.decodePacket(bin("8202 0001")), {
    code: "MQTT_DECODE",
    rule: "EmptySubscription",
    statementId: "MQTT-3.8.3-3",
  });
});

test("decode: remaining length over 4 bytes", () => {
  throwsVcd(() => vcd.decodePacket(bin("30 ffffffff01")), {
    code: "MQTT_DECODE",
    rule: "RemainingLengthTooLong",
    packetLength: null,
  });
});

test("decode: invalid UTF-8 in a topic", () => {
  throwsVcd(() => vcd.decodePacket(bin("3004 0002c328")), {
    code: "MQTT_DECODE",
    rule: "InvalidUtf8",
    statementId: "MQTT-1.5.3-1",
  });
});

test("decode: control characters only when asked", () => {
  const bytes = vcd.encodePublish({ topic: "a\u0001" });
  assert.equal(vcd.decodePacket(bytes).packet.topic, "a\u0001");
  throwsVcd(() => vcd.decodePacket(bytes, { rejectControlCharacters: true }), {
    code: "MQTT_DECODE",
    rule: "ControlCharacter",
  });
});

test("decode: role option rejects packets that may not travel towards the receiver", () => {
  const connack = bin("20020000");
  assert.equal(vcd.decodePacket(connack, { role: "client" }).packet.type, "connack");
  throwsVcd(() => vcd.decodePacket(connack, { role: "server" }), {
    code: "MQTT_DECODE",
    rule: "UnexpectedPacketForRole",
    statementId: "MQTT-4.8.0-1",
  });
});

test("decode: maxPacketSize gives PacketTooLarge with the packet length", () => {
  throwsVcd(() => vcd.decodePacket(bin("3005 000174 6869"), { maxPacketSize: 6 }), {
    code: "MQTT_DECODE",
    rule: "PacketTooLarge",
    packetLength: 7,
  });
});

test("decode: trailing bytes inside a packet", () => {
  throwsVcd(() => vcd.decodePacket(bin("c001 00")), { code: "MQTT_DECODE", packetLength: 3 });
});

test("decode: incomplete inputs", () => {
  throwsVcd(() => vcd.decodePacket(new Uint8Array(0)), { code: "MQTT_INCOMPLETE", needed: null });
  throwsVcd(() => vcd.decodePacket(bin("30")), { code: "MQTT_INCOMPLETE", needed: null });
  throwsVcd(() => vcd.decodePacket(bin("3005 00")), { code: "MQTT_INCOMPLETE", needed: 4 });
});

test("decode: invalid options", () => {
  throwsVcd(() => vcd.decodePacket(bin("c000"), { role: "broker" }), {
    code: "INVALID_ARGUMENT",
    path: "options.role",
  });
  throwsVcd(() => vcd.decodePacket(bin("c000"), { maxPacketSize: 1 }), {
    code: "INVALID_ARGUMENT",
    path: "options.maxPacketSize",
  });
  throwsVcd(() => vcd.decodePacket(bin("c000"), { strictRemainingLength: "yes" }), {
    code: "INVALID_ARGUMENT",
    path: "options.strictRemainingLength",
  });
});

// ------------------------------------------------------------------ encode error paths

test("encode: wildcard in a PUBLISH topic", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "a/+" }), {
    code: "MQTT_ENCODE",
    rule: "WildcardInTopicName",
    statementId: "MQTT-3.3.2-2",
  });
});

test("encode: empty topic", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "" }), {
    code: "MQTT_ENCODE",
    rule: "EmptyTopic",
    statementId: "MQTT-4.7.3-1",
  });
});

test("encode: U+0000 in a topic", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "a\u0000" }), { code: "MQTT_ENCODE", rule: "NullCharacter" });
});

test("encode: topic over 65535 bytes", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "a".repeat(65536) }), {
    code: "MQTT_ENCODE",
    rule: "StringTooLong",
  });
});

test("encode: QoS 0 with DUP", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "t", dup: true }), {
    code: "MQTT_ENCODE",
    rule: "QoS0WithDup",
    statementId: "MQTT-3.3.1-2",
  });
});

test("encode: QoS 3", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "t", qos: 3, packetId: 1 }), {
    code: "MQTT_ENCODE",
    rule: "InvalidQoS",
  });
});

test("encode: packet id 0", () => {
  throwsVcd(() => vcd.encodePuback(0), { code: "MQTT_ENCODE", rule: "ZeroPacketId", statementId: "MQTT-2.3.1-1" });
  throwsVcd(() => vcd.encodePublish({ topic: "t", qos: 1, packetId: 0 }), { code: "MQTT_ENCODE", rule: "ZeroPacketId" });
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 0, subscriptions: ["a"] }), { code: "MQTT_ENCODE", rule: "ZeroPacketId" });
});

test("encode: packet id / QoS combinations JavaScript can express but Rust types cannot", () => {
  throwsVcd(() => vcd.encodePublish({ topic: "t", qos: 1 }), { code: "INVALID_ARGUMENT", path: "options.packetId" });
  throwsVcd(() => vcd.encodePublish({ topic: "t", qos: 0, packetId: 5 }), { code: "INVALID_ARGUMENT", path: "options.packetId" });
  throwsVcd(() => vcd.encodePubrel(65536), { code: "INVALID_ARGUMENT", path: "packetId" });
  throwsVcd(() => vcd.encodePubcomp(1.5), { code: "INVALID_ARGUMENT", path: "packetId" });
});

test("encode: password without user name", () => {
  throwsVcd(() => vcd.encodeConnect({ clientId: "c", password: "secret" }), {
    code: "MQTT_ENCODE",
    rule: "PasswordWithoutUserName",
    statementId: "MQTT-3.1.2-22",
  });
});

test("encode: empty client id without clean session", () => {
  throwsVcd(() => vcd.encodeConnect({ clientId: "", cleanSession: false }), {
    code: "MQTT_ENCODE",
    rule: "EmptyClientIdWithoutCleanSession",
    statementId: "MQTT-3.1.3-7",
  });
});

test("encode: will topic with wildcard and will QoS 3", () => {
  throwsVcd(() => vcd.encodeConnect({ will: { topic: "a/#" } }), { code: "MQTT_ENCODE", rule: "WildcardInTopicName" });
  throwsVcd(() => vcd.encodeConnect({ will: { topic: "a", qos: 3 } }), { code: "MQTT_ENCODE", rule: "InvalidWillQoS" });
});

test("encode: SUBSCRIBE errors", () => {
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 1, subscriptions: [] }), {
    code: "MQTT_ENCODE",
    rule: "EmptySubscription",
    statementId: "MQTT-3.8.3-3",
  });
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 1, subscriptions: ["a/#/b"] }), {
    code: "MQTT_ENCODE",
    rule: "InvalidMultiLevelWildcard",
    statementId: "MQTT-4.7.1-2",
  });
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 1, subscriptions: ["a+"] }), {
    code: "MQTT_ENCODE",
    rule: "InvalidSingleLevelWildcard",
    statementId: "MQTT-4.7.1-3",
  });
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 1, subscriptions: [{ topicFilter: "a", qos: 3 }] }), {
    code: "MQTT_ENCODE",
    rule: "InvalidSubscribeQoS",
  });
});

test("encode: UNSUBSCRIBE errors", () => {
  throwsVcd(() => vcd.encodeUnsubscribe({ packetId: 1, topicFilters: [] }), {
    code: "MQTT_ENCODE",
    rule: "EmptyUnsubscribe",
    statementId: "MQTT-3.10.3-2",
  });
  throwsVcd(() => vcd.encodeUnsubscribe({ packetId: 1, topicFilters: [""] }), { code: "MQTT_ENCODE", rule: "EmptyTopic" });
  throwsVcd(() => vcd.encodeUnsubscribe({ packetId: 1, topicFilters: ["a", 3] }), {
    code: "INVALID_ARGUMENT",
    path: "options.topicFilters[1]",
  });
});

test("encode: CONNACK and SUBACK codes", () => {
  throwsVcd(() => vcd.encodePacket({ type: "connack", returnCode: 6 }), { code: "MQTT_ENCODE", rule: "InvalidConnectReturnCode" });
  throwsVcd(() => vcd.encodePacket({ type: "connack", sessionPresent: true, returnCode: 5 }), {
    code: "MQTT_ENCODE",
    rule: "SessionPresentWithError",
  });
  throwsVcd(() => vcd.encodePacket({ type: "suback", packetId: 1, returnCodes: [3] }), {
    code: "MQTT_ENCODE",
    rule: "InvalidSubackReturnCode",
    statementId: "MQTT-3.9.3-2",
  });
});

test("encode: JavaScript values of the wrong type name their path", () => {
  throwsVcd(() => vcd.encodeConnect({ keepAlive: -1 }), { code: "INVALID_ARGUMENT", path: "options.keepAlive" });
  throwsVcd(() => vcd.encodeConnect({ keepAlive: 65536 }), { code: "INVALID_ARGUMENT", path: "options.keepAlive" });
  throwsVcd(() => vcd.encodeConnect({ clientId: 5 }), { code: "INVALID_ARGUMENT", path: "options.clientId" });
  throwsVcd(() => vcd.encodeConnect({ will: { topic: "t", retain: 1 } }), { code: "INVALID_ARGUMENT", path: "options.will.retain" });
  throwsVcd(() => vcd.encodeConnect({ password: 42, username: "u" }), { code: "INVALID_ARGUMENT", path: "options.password" });
  throwsVcd(() => vcd.encodeConnect(null), { code: "INVALID_ARGUMENT", path: "options" });
  throwsVcd(() => vcd.encodePublish({ payload: "x" }), { code: "INVALID_ARGUMENT", path: "options.topic" });
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 1, subscriptions: "a" }), { code: "INVALID_ARGUMENT", path: "options.subscriptions" });
  throwsVcd(() => vcd.encodeSubscribe({ packetId: 1, subscriptions: [{ qos: 1 }] }), {
    code: "INVALID_ARGUMENT",
    path: "options.subscriptions[0].topicFilter",
  });
  throwsVcd(() => vcd.encodePacket({ type: "publsh", topic: "t" }), { code: "INVALID_ARGUMENT", path: "packet.type" });
  throwsVcd(() => vcd.encodePacket([]), { code: "INVALID_ARGUMENT", path: "packet" });
});
