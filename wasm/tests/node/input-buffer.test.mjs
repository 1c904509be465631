// The input buffers in WebAssembly memory that the fast paths of `push` and `decodePacket`
// copy a Uint8Array into. JavaScript keeps such a buffer's address between calls, so the
// general path (a plain array, or `decodePacket` with options) must never move it; and one
// large chunk must not pin a buffer of its size for the rest of a decoder's life.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, * as vcd from "vcd-mqtt";
import { concat } from "./bytes.mjs";

const { memory } = await init();
const text = new TextDecoder();
const publish = (topic, payload) => vcd.encodePublish({ topic, payload, qos: 0 });
const shown = (packets) => packets.map((p) => `${p.topic}:${p.payload.length > 16 ? p.payload.length : text.decode(p.payload)}`);
// Decoders that stay alive and own allocations, so that a growing buffer cannot stay in place.
const keep = [];
function allocateAround() {
  for (let i = 0; i < 4; i++) {
    const other = new vcd.StreamDecoder();
    other.push(publish(`other/${keep.length}`, "o".repeat(200)));
    keep.push(other);
  }
}

test("a large chunk of small packets takes no WebAssembly memory of its size", () => {
  // 32 MiB of 1 KiB PUBLISH packets, decoded a window (64 KiB) at a time: only the window and
  // the records (32 bytes per packet, 1 MiB here) live in WebAssembly memory, which never
  // shrinks; before, the input buffer was sized for the whole chunk.
  const one = publish("big/chunk", "p".repeat(1000));
  const count = Math.ceil((32 << 20) / one.length);
  const chunk = new Uint8Array(count * one.length);
  for (let i = 0; i < count; i++) chunk.set(one, i * one.length);
  const before = memory.buffer.byteLength;
  const decoder = new vcd.StreamDecoder();
  let seen = 0;
  let views = 0;
  assert.equal(decoder.push(chunk, (p) => {
    seen++;
    if (p.payload.buffer === chunk.buffer && p.payload.length === 1000 && p.payload[999] === 112) views++;
  }), count);
  assert.equal(seen, count);
  assert.equal(views, count);
  const grown = memory.buffer.byteLength - before;
  assert.ok(grown < 8 << 20, `WebAssembly memory grew by ${grown} bytes for a ${chunk.length}-byte chunk`);
  // Its records (over 1 MiB) are given back at its next push: decoders in turn, each with the
  // large chunk and then a small one, all alive, reuse that memory instead of growing it.
  assert.equal(decoder.push(publish("small", "s")).length, 1);
  const after = memory.buffer.byteLength;
  const others = [];
  for (let i = 0; i < 3; i++) {
    const other = new vcd.StreamDecoder();
    assert.equal(other.push(chunk, () => {}), count);
    assert.equal(other.push(publish("small", "s")).length, 1);
    others.push(other);
  }
  assert.equal(memory.buffer.byteLength, after);
  for (const other of others) other.free();
  // A large packet inside the next large chunk makes its last window large: the buffer grows
  // (and moves) after records of earlier windows were written, which hold offsets, not addresses.
  const large = publish("big/packet", new Uint8Array(3 << 20).fill(9));
  const each = count >> 3;
  const part = chunk.subarray(0, each * one.length);
  const got = decoder.push(concat([part, large, part]));
  assert.equal(got.length, 2 * each + 1);
  assert.equal(got[each].topic, "big/packet");
  assert.ok(got[each].payload.length === 3 << 20 && got[each].payload.every((b) => b === 9));
  assert.ok(got.every((p, i) => i === each || (p.topic === "big/chunk" && p.payload.length === 1000 && p.payload[0] === 112)));
  decoder.free();
});

test("a plain-array push between Uint8Array pushes does not move the fast path's buffer", () => {
  const decoder = new vcd.StreamDecoder();
  assert.deepEqual(shown(decoder.push(publish("a/one", "first".repeat(40)))), ["a/one:200"]);
  allocateAround();
  // The general path, with a chunk larger than anything the decoder has seen.
  assert.deepEqual(shown(decoder.push(Array.from(publish("b/two", "x".repeat(5000))))), ["b/two:5000"]);
  allocateAround();
  // Copied to the address JavaScript kept: that must still be the buffer decoded.
  assert.deepEqual(shown(decoder.push(publish("c/three", "third"))), ["c/three:third"]);
  const delivered = [];
  assert.equal(decoder.push(publish("d/four", "fourth"), (p) => delivered.push(p)), 1);
  assert.deepEqual(shown(delivered), ["d/four:fourth"]);
});

test("decodePacket with options or a plain array between fast calls does not move its buffer", () => {
  assert.equal(vcd.decodePacket(publish("a/one", "first")).packet.topic, "a/one");
  allocateAround();
  assert.equal(vcd.decodePacket(Array.from(publish("b/two", "x".repeat(5000)))).packet.topic, "b/two");
  allocateAround();
  const third = vcd.decodePacket(publish("c/three", "third"));
  assert.equal(third.packet.topic, "c/three");
  assert.equal(text.decode(third.packet.payload), "third");
  allocateAround();
  const big = publish("d/four", "y".repeat(9000));
  assert.equal(vcd.decodePacket(big, { copyPayloads: true }).packet.payload.length, 9000);
  allocateAround();
  assert.equal(vcd.decodePacket(publish("e/five", "fifth")).packet.topic, "e/five");
});

test("a decoder gives a large chunk's buffer back at its next smaller chunk", () => {
  const large = publish("large", new Uint8Array(8 << 20));
  // Warm up: the allocator has room for one large buffer.
  const first = new vcd.StreamDecoder();
  first.push(large);
  first.push(vcd.encodePingreq());
  const before = memory.buffer.byteLength;
  // Decoders in turn, each with one large chunk and then a small one, all alive: each reuses
  // the memory the one before gave back instead of growing the memory by 8 MiB.
  const decoders = [first];
  for (let i = 0; i < 3; i++) {
    const decoder = new vcd.StreamDecoder();
    assert.equal(decoder.push(large)[0].payload.length, 8 << 20);
    assert.deepEqual(decoder.push(vcd.encodePingreq()), [{ type: "pingreq" }]);
    decoders.push(decoder);
  }
  assert.equal(memory.buffer.byteLength, before);
  for (const decoder of decoders) decoder.free();
});

test("a packet split over a large chunk and the smaller one that shrinks the buffer", () => {
  const parts = [publish("x/1", new Uint8Array(2 << 20).fill(7)), publish("x/2", "split here"), publish("x/3", "after")];
  const all = concat(parts);
  const cut = parts[0].length + 5;
  for (const copyPayloads of [false, true]) {
    const decoder = new vcd.StreamDecoder({ copyPayloads });
    const got = [...decoder.push(all.subarray(0, cut)), ...decoder.push(all.slice(cut))];
    assert.deepEqual(shown(got), ["x/1:2097152", "x/2:split here", "x/3:after"]);
    assert.ok(got[0].payload.every((b) => b === 7));
    // And the decoder goes on with small chunks.
    assert.deepEqual(shown(decoder.push(publish("x/4", "more"))), ["x/4:more"]);
    decoder.free();
  }
});
