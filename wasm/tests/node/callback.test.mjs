// StreamDecoder.push(chunk, onPacket): packets handed over one by one, the same packets and
// errors as the array form, and what happens when the callback throws or re-enters.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as vcd from "vcd-mqtt";
import { concat } from "./bytes.mjs";

// 300 PUBLISH packets over 150 distinct topics (more than the 64-entry topic table), with
// acks, a CONNECT and a SUBSCRIBE (built on the Rust side) between them.
function mixed(tag = "") {
  const parts = [vcd.encodeConnect({ clientId: "c" })];
  for (let i = 0; i < 300; i++) {
    parts.push(vcd.encodePublish({ topic: `cb${tag}/${i % 150}/\u00e9`, qos: i % 3, packetId: i % 3 ? i + 1 : undefined, payload: `payload ${i}` }));
    if (i % 40 === 0) parts.push(vcd.encodePuback(i + 1), vcd.encodeSubscribe({ packetId: i + 1, subscriptions: [`s/${i}`] }));
  }
  return parts;
}

function collect(decoder, chunk) {
  const got = [];
  const n = decoder.push(chunk, (p) => got.push(p));
  assert.equal(n, got.length, "push returns the number of packets handed over");
  return got;
}

test("the callback receives the same packets, in order, as the array form", () => {
  const all = concat(mixed());
  const expected = new vcd.StreamDecoder().push(all);
  for (const copyPayloads of [false, true]) {
    for (const size of [1, 7, 100, all.length]) {
      const decoder = new vcd.StreamDecoder({ copyPayloads });
      const got = [];
      for (let i = 0; i < all.length; i += size) got.push(...collect(decoder, all.subarray(i, i + size)));
      assert.deepEqual(got, expected, `chunk size ${size}, copyPayloads ${copyPayloads}`);
    }
  }
  // A plain array takes the general path: same packets.
  assert.deepEqual(collect(new vcd.StreamDecoder(), [...all]), expected);
  assert.deepEqual(new vcd.StreamDecoder().push([...all]), expected);
});

test("decode errors: the good packets are delivered, then the first error is thrown", () => {
  const chunk = concat([
    vcd.encodePublish({ topic: "before/err", payload: "1" }),
    Uint8Array.of(0x40, 0x02, 0x00, 0x00),
    vcd.encodePublish({ topic: "after/err", qos: 1, packetId: 3, payload: "2" }),
  ]);
  for (const input of [chunk, [...chunk]]) {
    const decoder = new vcd.StreamDecoder();
    const got = [];
    assert.throws(
      () => decoder.push(input, (p) => got.push(p.topic)),
      (e) => e.code === "MQTT_DECODE" && e.rule === "ZeroPacketId" && e.packets.length === 0 && e.errors.length === 1 && e.errors[0] === e,
    );
    assert.deepEqual(got, ["before/err", "after/err"]);
    assert.equal(decoder.push(vcd.encodePingreq(), () => {}), 1, "the decoder goes on");
  }
  // An unrecoverable error poisons the decoder in both forms alike.
  const decoder = new vcd.StreamDecoder();
  assert.throws(() => decoder.push(Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01), () => {}), (e) => e.packetLength === null);
  assert.throws(() => decoder.push(vcd.encodePingreq(), () => assert.fail("no packet")), (e) => e.code === "MQTT_DECODE");
  decoder.reset();
  assert.equal(decoder.push(vcd.encodePingreq(), () => {}), 1);
});

test("an exception from the callback stops delivery and is rethrown; the decoder stays consistent", () => {
  const parts = mixed("throw");
  const all = concat(parts);
  const expected = new vcd.StreamDecoder().push(all);
  const decoder = new vcd.StreamDecoder();
  const boom = new Error("boom");
  const got = [];
  assert.throws(
    () =>
      decoder.push(all, (p) => {
        got.push(p);
        if (got.length === 3) throw boom;
      }),
    (e) => e === boom,
  );
  assert.deepEqual(got, expected.slice(0, 3), "nothing after the throwing call");
  // The topics first seen after the throw are known on both sides: the same bytes again
  // decode to the same packets.
  assert.deepEqual(collect(decoder, all), expected);
  assert.deepEqual(decoder.push(all), expected);
});

test("the callback may use other decoders and decodePacket, but not push on its own decoder", () => {
  const all = concat(mixed("outer"));
  const inner = concat(mixed("inner"));
  const expected = new vcd.StreamDecoder().push(all);
  const expectedInner = new vcd.StreamDecoder().push(inner);
  const outer = new vcd.StreamDecoder();
  const other = new vcd.StreamDecoder();
  const got = [];
  outer.push(all, (p) => {
    got.push(p);
    // Another decoder with more topics than the table holds, and the one-shot decoder.
    assert.deepEqual(other.push(inner), expectedInner);
    const one = vcd.encodePublish({ topic: `dp/${got.length}`, payload: "x" });
    assert.equal(vcd.decodePacket(one).packet.topic, `dp/${got.length}`);
    if (got.length === 1) assert.throws(() => outer.push(vcd.encodePingreq()), /own onPacket callback/);
  });
  assert.deepEqual(got, expected);
  assert.deepEqual(outer.push(vcd.encodePingreq()), [{ type: "pingreq" }], "usable again afterwards");
});

test("free() inside the callback stops delivery; a non-function callback is a TypeError", () => {
  const all = concat(mixed("free"));
  const decoder = new vcd.StreamDecoder();
  let n = 0;
  const handed = decoder.push(all, () => {
    if (++n === 2) decoder.free();
  });
  assert.equal(n, 2);
  assert.equal(handed, 2);
  assert.throws(() => new vcd.StreamDecoder().push(all, "not a function"), TypeError);
  // undefined or null: the array form.
  assert.equal(new vcd.StreamDecoder().push(vcd.encodePingreq(), undefined).length, 1);
  assert.equal(new vcd.StreamDecoder().push(vcd.encodePingreq(), null).length, 1);
});
