// Byte helpers shared by the node tests (copied next to them by wasm/scripts/test.sh).

/** The parts (Uint8Arrays) joined into one new Uint8Array. */
export function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
