// The batched packet construction (one call into WebAssembly per push, objects built in
// JavaScript from records): the topic table, payload views and copies, and packets split over
// chunks.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as vcd from "vcd-mqtt";
import { concat } from "./bytes.mjs";

// 300 PUBLISH packets over 150 distinct topics (more than the 64-entry topic table, so ids
// are reassigned in the middle of one push), with acks, a CONNECT and a SUBSCRIBE between them.
function mixed() {
  const parts = [vcd.encodeConnect({ clientId: "c" })];
  for (let i = 0; i < 300; i++) {
    const topic = `vcd/topic/${i % 150}/\u00e9\u{1F600}`;
    parts.push(vcd.encodePublish({ topic, qos: (i % 3), packetId: i % 3 ? i + 1 : undefined, payload: `payload ${i}`, retain: i % 5 === 0, dup: i % 7 === 1 && i % 3 !== 0 }));
    if (i % 40 === 0) parts.push(vcd.encodePuback(i + 1), vcd.encodeSubscribe({ packetId: i + 1, subscriptions: [`s/${i}`] }));
  }
  return parts;
}

test("one push of many packets over more topics than the topic table holds", () => {
  const parts = mixed();
  const expected = parts.map((p) => vcd.decodePacket(p).packet);
  const got = new vcd.StreamDecoder().push(concat(parts));
  assert.equal(got.length, expected.length);
  assert.deepEqual(got, expected);
  assert.equal(got[1].topic, "vcd/topic/0/\u00e9\u{1F600}");
});

test("packets split over chunks (bytes from the decoder's buffer) decode the same", () => {
  const parts = mixed();
  const expected = parts.map((p) => vcd.decodePacket(p).packet);
  const all = concat(parts);
  for (const size of [1, 5, 13, 100, 1000]) {
    const decoder = new vcd.StreamDecoder();
    const got = [];
    for (let i = 0; i < all.length; i += size) got.push(...decoder.push(all.subarray(i, i + size)));
    assert.deepEqual(got, expected, `chunk size ${size}`);
  }
});

test("decodePacket and stream decoders share the topic table consistently", () => {
  const a = new vcd.StreamDecoder();
  const b = new vcd.StreamDecoder();
  for (let i = 0; i < 500; i++) {
    const topic = `t/${(i * 7) % 97}`;
    const bytes = vcd.encodePublish({ topic, payload: String(i) });
    const [p] = (i % 3 === 0 ? a : b).push(bytes);
    assert.equal(p.topic, topic);
    assert.equal(vcd.decodePacket(vcd.encodePublish({ topic: `x/${i % 90}` })).packet.topic, `x/${i % 90}`);
  }
});

test("push payloads from a Node Buffer are plain Uint8Array views on it, or copies with copyPayloads", () => {
  const bytes = Buffer.from(concat([vcd.encodePublish({ topic: "a", payload: "one" }), vcd.encodePublish({ topic: "a", payload: "two!" })]));
  const views = new vcd.StreamDecoder().push(bytes);
  const copies = new vcd.StreamDecoder({ copyPayloads: true }).push(bytes);
  for (const [i, text] of ["one", "two!"].entries()) {
    for (const packet of [views[i], copies[i]]) {
      assert.equal(Object.getPrototypeOf(packet.payload), Uint8Array.prototype);
      assert.equal(new TextDecoder().decode(packet.payload), text);
    }
    assert.equal(views[i].payload.buffer, bytes.buffer, "view on the Buffer's memory");
    assert.equal(copies[i].payload.buffer.byteLength, text.length, "own buffer");
  }
  bytes.fill(0);
  assert.equal(new TextDecoder().decode(copies[0].payload), "one");
  assert.equal(views[0].payload[0], 0, "a view shows the change");
});

test("a topic starting with U+FEFF is kept, also when split over chunks", () => {
  const bytes = vcd.encodePublish({ topic: "\uFEFFbom", payload: "x" });
  const decoder = new vcd.StreamDecoder();
  const got = [];
  for (const b of bytes) got.push(...decoder.push(Uint8Array.of(b)));
  assert.equal(got[0].topic, "\uFEFFbom");
  assert.equal(new vcd.StreamDecoder().push(bytes)[0].topic, "\uFEFFbom");
});

test("errors keep the packets decoded from the same chunk, topics included", () => {
  const chunk = concat([
    vcd.encodePublish({ topic: "before/err", payload: "1" }),
    Uint8Array.of(0x40, 0x02, 0x00, 0x00),
    vcd.encodePublish({ topic: "after/err", qos: 1, packetId: 3, payload: "2" }),
  ]);
  let err;
  try {
    new vcd.StreamDecoder().push(chunk);
  } catch (e) {
    err = e;
  }
  assert.equal(err?.code, "MQTT_DECODE");
  assert.equal(err.rule, "ZeroPacketId");
  assert.equal(err.offset, 2);
  assert.equal(err.packetLength, 4);
  assert.deepEqual(err.packets.map((p) => [p.topic, p.packetId, new TextDecoder().decode(p.payload)]), [
    ["before/err", null, "1"],
    ["after/err", 3, "2"],
  ]);
});

// The package's fast paths (a Uint8Array: copied by JavaScript, one call into WebAssembly)
// against the general paths (a plain array, or options: copied by a call from WebAssembly).
function outcome(f) {
  try {
    return { ok: f() };
  } catch (e) {
    return { error: { ...e, message: e.message, name: e.name } };
  }
}

test("decodePacket and push: the fast path gives what the general path gives, errors included", () => {
  const parts = mixed();
  const bad = [
    Uint8Array.of(0x40, 0x02, 0x00, 0x00),
    Uint8Array.of(0x60, 0x02, 0x00, 0x01),
    Uint8Array.of(0x30, 0x05, 0x00),
    Uint8Array.of(0x30),
    Uint8Array.of(0x30, 0xff, 0xff, 0xff, 0xff, 0x01),
    Uint8Array.of(0x82, 0x04, 0x00, 0x01, 0x00, 0x00),
    new Uint8Array(0),
  ];
  for (const bytes of [...parts, ...bad, ...parts.map((p) => p.subarray(0, p.length - 1))]) {
    const fast = outcome(() => vcd.decodePacket(bytes));
    assert.deepEqual(fast, outcome(() => vcd.decodePacket([...bytes])));
    assert.deepEqual(fast, outcome(() => vcd.decodePacket(bytes, {})));
    const stream = (chunk) => outcome(() => new vcd.StreamDecoder().push(chunk));
    assert.deepEqual(stream(bytes), stream([...bytes]));
  }
  const all = concat([...parts, bad[0], ...parts]);
  assert.deepEqual(outcome(() => new vcd.StreamDecoder().push(all)), outcome(() => new vcd.StreamDecoder().push([...all])));
});

// Chunks larger than the fast path's copy window (64 KiB) are copied and decoded a window at a
// time; the packets, errors, payload views and decoder state must be those of the general path.
test("a chunk larger than the copy window: same packets, errors and state as the general path", () => {
  const parts = mixed();
  const big = vcd.encodePublish({ topic: "big/one", qos: 1, packetId: 7, payload: new Uint8Array(100000).fill(1) });
  const bad = Uint8Array.of(0x40, 0x02, 0x00, 0x00);
  const run = () => [...parts, ...parts, ...parts];
  const all = concat([...run(), big, ...run(), bad, ...run(), big, ...run(), ...run()]);
  assert.ok(all.length > 4 * 65536);
  // Each list of chunks goes to one decoder: whole, cut inside a packet (the rest completes
  // it), after a partial packet buffered from an earlier chunk, and with the invalid packet
  // and a large PUBLISH at a window's edge.
  const feeds = [
    [all],
    [all.subarray(0, all.length - 10), all.subarray(all.length - 10)],
    [all.subarray(0, 3), all.subarray(3)],
    [all.subarray(0, 65536 * 2 + 17), all.subarray(65536 * 2 + 17)],
    [concat([...parts.slice(0, 10), big, ...run(), ...run(), ...run(), ...run(), ...run()]), all],
  ];
  const pushAll = (chunks, asArray) => {
    const d = new vcd.StreamDecoder();
    const out = chunks.map((c) => outcome(() => d.push(asArray ? [...c] : c)));
    out.push(d.buffered);
    d.free();
    return out;
  };
  for (const chunks of feeds) {
    const fast = pushAll(chunks, false);
    assert.deepEqual(fast, pushAll(chunks, true));
    // onPacket: the same packets, one by one.
    const d = new vcd.StreamDecoder();
    for (const [i, c] of chunks.entries()) {
      const seen = [];
      const result = outcome(() => d.push(c, (p) => seen.push(p)));
      const expected = fast[i].ok ?? fast[i].error.packets;
      assert.deepEqual(seen, expected);
      if (fast[i].ok) assert.deepEqual(result, { ok: expected.length });
      else assert.equal(result.error.message, fast[i].error.message);
    }
    d.free();
  }
  // Payloads of packets inside the chunk are views on it.
  const chunk = concat([...run(), big, ...run()]);
  const views = new vcd.StreamDecoder().push(chunk).filter((p) => p.type === "publish");
  assert.ok(views.length > 1000);
  assert.ok(views.every((p) => p.payload.buffer === chunk.buffer));
  assert.ok(views.some((p) => p.payload.length === 100000));
});
