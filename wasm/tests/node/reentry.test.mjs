// JavaScript that runs while the package reads its input (an element getter of a plain array,
// a Proxy, getters overriding a Uint8Array's `length`/`buffer`/`byteOffset`, getters on the
// options object) and calls back into the package: every call gives the right result or a
// clear JavaScript error, never a WebAssembly trap or another call's packet.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as vcd from "vcd-mqtt";

const publish = (topic, payload) => vcd.encodePublish({ topic, qos: 1, packetId: 7, payload });
const OUTER = publish("outer/topic", "outer payload");
const INNER = publish("inner/topic/longer", "the inner call's payload, longer than the outer one");
const expectedOuter = () => new vcd.StreamDecoder({ copyPayloads: true }).push(OUTER)[0];
const expectedInner = () => new vcd.StreamDecoder({ copyPayloads: true }).push(INNER)[0];

// A plain array of OUTER's bytes whose element `at` runs `f` when read.
function trapped(bytes, f, at = 3) {
  const a = Array.from(bytes);
  const v = a[at];
  Object.defineProperty(a, at, { get() { f(); return v; }, enumerable: true });
  return a;
}
// OUTER as a Proxy of a plain array that runs `f` on the first element read.
function proxied(bytes, f) {
  let done = false;
  return new Proxy(Array.from(bytes), {
    get(t, k, r) {
      if (!done && k === "5") { done = true; f(); }
      return Reflect.get(t, k, r);
    },
  });
}
// OUTER as a Uint8Array whose own `name` getter runs `f` (each read).
function overridden(bytes, name, f) {
  const u = new Uint8Array(bytes);
  const real = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Uint8Array.prototype), name).get;
  Object.defineProperty(u, name, { get() { f(); return real.call(this); } });
  return u;
}
const innerDecodes = [
  ["decodePacket(Uint8Array)", () => vcd.decodePacket(new Uint8Array(INNER)).packet],
  ["decodePacket(array)", () => vcd.decodePacket(Array.from(INNER)).packet],
  ["decodePacket with options", () => vcd.decodePacket(new Uint8Array(INNER), { copyPayloads: true }).packet],
  ["another decoder", () => new vcd.StreamDecoder().push(new Uint8Array(INNER))[0]],
];
const wraps = [
  ["array element getter", (f) => trapped(OUTER, f)],
  ["Proxy", (f) => proxied(OUTER, f)],
  ["Uint8Array length getter", (f) => overridden(OUTER, "length", f)],
  ["Uint8Array buffer getter", (f) => overridden(OUTER, "buffer", f)],
  ["Uint8Array byteOffset getter", (f) => overridden(OUTER, "byteOffset", f)],
];
const same = (got, want) => assert.deepEqual({ ...got, payload: [...got.payload] }, { ...want, payload: [...want.payload] });

for (const [wrapName, wrap] of wraps) {
  for (const [innerName, inner] of innerDecodes) {
    test(`decodePacket: ${wrapName} calling ${innerName}`, () => {
      for (const options of [undefined, { copyPayloads: true }]) {
        const seen = [];
        const input = wrap(() => seen.push(inner()));
        const { packet, length } = vcd.decodePacket(input, options);
        same(packet, expectedOuter());
        assert.equal(length, OUTER.length);
        for (const p of seen) same(p, expectedInner());
        // Both states still work afterwards.
        same(vcd.decodePacket(new Uint8Array(OUTER)).packet, expectedOuter());
        same(vcd.decodePacket(new Uint8Array(INNER)).packet, expectedInner());
      }
    });

    test(`StreamDecoder.push: ${wrapName} calling ${innerName}`, () => {
      for (const each of [false, true]) {
        const decoder = new vcd.StreamDecoder();
        const seen = [];
        const input = wrap(() => seen.push(inner()));
        const got = [];
        if (each) decoder.push(input, (p) => got.push(p));
        else got.push(...decoder.push(input));
        assert.equal(got.length, 1);
        same(got[0], expectedOuter());
        for (const p of seen) same(p, expectedInner());
        same(decoder.push(new Uint8Array(INNER))[0], expectedInner());
        same(decoder.push(new Uint8Array(OUTER))[0], expectedOuter());
        decoder.free();
      }
    });
  }

  test(`StreamDecoder.push: ${wrapName} pushing into the same decoder`, () => {
    const decoder = new vcd.StreamDecoder();
    let inner;
    const input = wrap(() => {
      try {
        inner = decoder.push(new Uint8Array(INNER));
      } catch (e) {
        inner = e;
      }
    });
    const got = decoder.push(input);
    // Either order is a consistent stream (the inner chunk first, as it was pushed first).
    if (inner instanceof Error) {
      assert.match(inner.message, /StreamDecoder\.push/);
    } else if (inner !== undefined) {
      assert.equal(inner.length, 1);
      same(inner[0], expectedInner());
    }
    assert.equal(got.length, 1);
    same(got[0], expectedOuter());
    same(decoder.push(new Uint8Array(INNER))[0], expectedInner());
  });
}

test("decodePacket: option getters that call decodePacket", () => {
  const options = {};
  for (const key of ["maxPacketSize", "strictRemainingLength", "rejectControlCharacters", "role", "copyPayloads"]) {
    Object.defineProperty(options, key, { get() { vcd.decodePacket(new Uint8Array(INNER)); vcd.decodePacket(Array.from(INNER)); return undefined; } });
  }
  same(vcd.decodePacket(new Uint8Array(OUTER), options).packet, expectedOuter());
  same(vcd.decodePacket(Array.from(OUTER), options).packet, expectedOuter());
  const decoder = new vcd.StreamDecoder(options);
  same(decoder.push(new Uint8Array(OUTER))[0], expectedOuter());
});

test("an onPacket callback that grows the memory and then throws leaves the topic table whole", () => {
  const chunk = new Uint8Array([...publish("grow/a", "1"), ...publish("grow/b", "2"), ...publish("grow/c", "3")]);
  const decoder = new vcd.StreamDecoder();
  // Encoding a payload larger than the memory so far grows it (and renews no views).
  assert.throws(() => decoder.push(chunk, () => {
    vcd.encodePublish({ topic: "big", payload: new Uint8Array(8 << 20) });
    throw new Error("from onPacket");
  }), /from onPacket/);
  // The topics of the packets not delivered were learnt: known topics come out right.
  const again = decoder.push(chunk);
  assert.deepEqual(again.map((p) => p.topic), ["grow/a", "grow/b", "grow/c"]);
});
