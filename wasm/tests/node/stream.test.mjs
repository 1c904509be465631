// The streaming decoder of the packed package: one byte at a time, several packets per chunk,
// packets split anywhere, bad packets skipped, the buffer bound.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as vcd from "vcd-mqtt";
import { concat } from "./bytes.mjs";

const bin = (h) => new Uint8Array(Buffer.from(h.replace(/\s+/g, ""), "hex"));

function stream() {
  const big = new Uint8Array(70000);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
  return [
    vcd.encodeConnect({ clientId: "ui-plugin", username: "admin@System", password: "jwt" }),
    vcd.encodePacket({ type: "connack", returnCode: 0 }),
    vcd.encodeSubscribe({ packetId: 1, subscriptions: [{ topicFilter: "publish/+/ext", qos: 1 }] }),
    vcd.encodePacket({ type: "suback", packetId: 1, returnCodes: [1] }),
    vcd.encodePublish({ topic: "t/1", qos: 1, packetId: 2, payload: "first" }),
    vcd.encodePuback(2),
    vcd.encodePublish({ topic: "t/big", payload: big }),
    vcd.encodePublish({ topic: "t/2", qos: 2, packetId: 3, payload: "" }),
    vcd.encodePubrec(3),
    vcd.encodePubrel(3),
    vcd.encodePubcomp(3),
    vcd.encodeUnsubscribe({ packetId: 4, topicFilters: ["t/#"] }),
    vcd.encodePacket({ type: "unsuback", packetId: 4 }),
    vcd.encodePingreq(),
    vcd.encodePacket({ type: "pingresp" }),
    vcd.encodeDisconnect(),
  ];
}

test("one byte at a time gives exactly the packets of the one-shot decode", () => {
  const parts = stream();
  const expected = parts.map((p) => vcd.decodePacket(p).packet);
  const all = concat(parts);
  const ends = [];
  parts.reduce((at, p) => (ends.push(at + p.length), at + p.length), 0);
  const decoder = new vcd.StreamDecoder();
  const got = [];
  let boundary = 0;
  for (let i = 0; i < all.length; i++) {
    const out = decoder.push(all.subarray(i, i + 1));
    got.push(...out);
    if (ends.includes(i + 1)) {
      boundary = i + 1;
      assert.equal(out.length, 1, `a packet completes exactly at byte ${i + 1}`);
    } else {
      assert.equal(out.length, 0, `no packet completes at byte ${i + 1}`);
    }
    assert.equal(decoder.buffered, i + 1 - boundary, "holds exactly the partial packet");
  }
  assert.equal(got.length, expected.length);
  assert.deepEqual(got, expected);
  assert.equal(decoder.buffered, 0);
});

test("the whole stream as one chunk, and split at every 1..97-byte boundary", () => {
  const parts = stream();
  const expected = parts.map((p) => vcd.decodePacket(p).packet);
  const all = concat(parts);
  assert.deepEqual(new vcd.StreamDecoder().push(all), expected);
  for (const size of [2, 3, 7, 64, 97, 1460, 4096]) {
    const decoder = new vcd.StreamDecoder();
    const got = [];
    for (let i = 0; i < all.length; i += size) got.push(...decoder.push(all.subarray(i, i + size)));
    assert.deepEqual(got, expected, `chunk size ${size}`);
  }
});

test("payloads are views on the caller's chunk by default: no copy, same buffer", () => {
  const decoder = new vcd.StreamDecoder();
  const chunk = concat([vcd.encodePingreq(), vcd.encodePublish({ topic: "a", payload: "view me" })]);
  const [, p] = decoder.push(chunk);
  assert.equal(p.payload.buffer, chunk.buffer, "shares the chunk's ArrayBuffer");
  assert.equal(p.payload.byteOffset, chunk.byteOffset + chunk.length - 7);
  assert.equal(p.payload.length, 7);
  assert.equal(Object.getPrototypeOf(p.payload), Uint8Array.prototype);
  // A view: later pushes leave it alone, a change to the caller's chunk shows through.
  decoder.push(vcd.encodePublish({ topic: "a", payload: "other data" }));
  assert.equal(new TextDecoder().decode(p.payload), "view me");
  chunk[chunk.length - 1] = 0x45;
  assert.equal(new TextDecoder().decode(p.payload), "view mE");
});

test("copyPayloads: true gives every payload its own buffer the caller may keep", () => {
  const decoder = new vcd.StreamDecoder({ copyPayloads: true });
  const chunk = vcd.encodePublish({ topic: "a", payload: "keep me" });
  const [first] = decoder.push(chunk);
  assert.notEqual(first.payload.buffer, chunk.buffer);
  assert.equal(first.payload.buffer.byteLength, 7, "own buffer");
  chunk.fill(0);
  decoder.push(vcd.encodePublish({ topic: "a", payload: "other data" }));
  assert.equal(new TextDecoder().decode(first.payload), "keep me");
});

test("a payload split over chunks is a copy that never aliases the chunks or the decoder's memory", () => {
  for (const options of [undefined, { copyPayloads: true }]) {
    const decoder = new vcd.StreamDecoder(options);
    const split = vcd.encodePublish({ topic: "s/1", qos: 1, packetId: 1, payload: "split payload" });
    const whole = vcd.encodePublish({ topic: "s/2", payload: "whole" });
    const a = split.slice(0, 9);
    const b = concat([split.subarray(9), whole]);
    assert.deepEqual(decoder.push(a), []);
    const [p, q] = decoder.push(b);
    assert.equal(p.payload.buffer.byteLength, p.payload.length, "the split payload has its own buffer");
    assert.notEqual(p.payload.buffer, b.buffer);
    if (options) assert.notEqual(q.payload.buffer, b.buffer);
    else assert.equal(q.payload.buffer, b.buffer, "the packet wholly inside the chunk is a view");
    // Later pushes reuse the decoder's buffer and input memory: the split payload stays intact.
    a.fill(0);
    b.fill(0);
    for (let i = 0; i < 50; i++) {
      const next = vcd.encodePublish({ topic: "s/1", payload: new Uint8Array(300).fill(i) });
      decoder.push(next.subarray(0, 20));
      decoder.push(next.subarray(20));
    }
    assert.equal(new TextDecoder().decode(p.payload), "split payload");
  }
});

test("an array of numbers is accepted and gives copies", () => {
  const bytes = [...vcd.encodePublish({ topic: "n", payload: "num" })];
  const [p] = new vcd.StreamDecoder().push(bytes);
  assert.equal(p.payload.buffer.byteLength, 3);
  assert.equal(new TextDecoder().decode(p.payload), "num");
  assert.throws(() => new vcd.StreamDecoder().push(undefined), TypeError);
});

test("a 1 MiB PUBLISH in 1,460-byte chunks keeps its length and hash", () => {
  const payload = new Uint8Array(1 << 20);
  for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + 3) & 0xff;
  const bytes = vcd.encodePublish({ topic: "big", qos: 1, packetId: 9, payload });
  const decoder = new vcd.StreamDecoder({ maxPacketSize: 2 << 20 });
  const got = [];
  for (let i = 0; i < bytes.length; i += 1460) got.push(...decoder.push(bytes.subarray(i, i + 1460)));
  assert.equal(got.length, 1);
  assert.equal(got[0].payload.length, payload.length);
  const h = (b) => createHash("sha256").update(b).digest("hex");
  assert.equal(h(got[0].payload), h(payload));
});

test("a malformed packet throws after the chunk is decoded, with the other packets attached, and decoding goes on", () => {
  const decoder = new vcd.StreamDecoder();
  const chunk = concat([vcd.encodePingreq(), bin("40020000"), vcd.encodePuback(5)]);
  let err;
  try {
    decoder.push(chunk);
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof Error);
  assert.equal(err.code, "MQTT_DECODE");
  assert.equal(err.rule, "ZeroPacketId");
  assert.equal(err.packetLength, 4);
  assert.deepEqual(err.packets, [{ type: "pingreq" }, { type: "puback", packetId: 5 }]);
  assert.equal(err.errors.length, 1);
  assert.equal(err.errors[0].rule, "ZeroPacketId");
  assert.deepEqual(decoder.push(vcd.encodeDisconnect()), [{ type: "disconnect" }]);
});

test("an oversized packet is reported from its fixed header and skipped, even across chunks", () => {
  const decoder = new vcd.StreamDecoder({ maxPacketSize: 64 });
  assert.equal(decoder.maxPacketSize, 64);
  const big = vcd.encodePublish({ topic: "t", payload: new Uint8Array(100) });
  let err;
  try {
    decoder.push(big.subarray(0, 10));
  } catch (e) {
    err = e;
  }
  assert.equal(err?.code, "MQTT_DECODE");
  assert.equal(err.rule, "PacketTooLarge");
  assert.equal(err.packetLength, big.length);
  assert.ok(decoder.buffered <= 64);
  // The rest of the oversized packet is skipped, the next packet decodes.
  const rest = concat([big.subarray(10), vcd.encodePingreq()]);
  assert.deepEqual(decoder.push(rest), [{ type: "pingreq" }]);
});

test("an unrecoverable error poisons the decoder until reset()", () => {
  const decoder = new vcd.StreamDecoder();
  assert.throws(() => decoder.push(bin("30ffffffff01")), (e) => e.code === "MQTT_DECODE" && e.rule === "RemainingLengthTooLong" && e.packetLength === null);
  assert.throws(() => decoder.push(vcd.encodePingreq()), (e) => e.code === "MQTT_DECODE");
  decoder.reset();
  assert.equal(decoder.buffered, 0);
  assert.deepEqual(decoder.push(vcd.encodePingreq()), [{ type: "pingreq" }]);
});

test("reset() drops a partial packet", () => {
  const decoder = new vcd.StreamDecoder();
  assert.deepEqual(decoder.push(bin("3005 00")), []);
  assert.equal(decoder.buffered, 3);
  decoder.reset();
  assert.equal(decoder.buffered, 0);
  assert.deepEqual(decoder.push(vcd.encodePingreq()), [{ type: "pingreq" }]);
});

test("StreamDecoder options are validated", () => {
  assert.throws(() => new vcd.StreamDecoder({ maxPacketSize: -5 }), (e) => e.code === "INVALID_ARGUMENT" && e.path === "options.maxPacketSize");
  assert.throws(() => new vcd.StreamDecoder({ role: 3 }), (e) => e.code === "INVALID_ARGUMENT" && e.path === "options.role");
  assert.throws(() => new vcd.StreamDecoder({ copyPayloads: 1 }), (e) => e.code === "INVALID_ARGUMENT" && e.path === "options.copyPayloads");
  const strict = new vcd.StreamDecoder({ strictRemainingLength: true, role: "client" });
  assert.throws(() => strict.push(bin("c08000")), (e) => e.rule === "NonMinimalRemainingLength");
});
