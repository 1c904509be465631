// The benchmarks' packet, the same as the Rust fixture: a 245-byte QoS 1 PUBLISH with a 38-byte
// topic, packet id 0x1234 and a 200-byte JSON payload. Shared by bench.mjs and ab.mjs.
export const TOPIC = "topic/extension/vmware/tests/1.0.0/ext";
const PATTERN =
  '{"eventId":"5a7b3c1e-2f44-4d1a-9e0b-77c2a1d4e9f0","type":"com/vmware/vcloud/event/vm/create","timestamp":"2026-11-26T12:00:00.000Z","operationSuccess":true,"user":"urn:vcloud:user:c24078ed-fc83-4474-9130-503a51b6bd94","org":"urn:vcloud:org:a93c9db9-7471-3192-8d09-a8f7eeda85f9"}';
export const PAYLOAD = Buffer.from(PATTERN.repeat(2).slice(0, 200), "latin1");
export const PACKET_ID = 0x1234;

function encodeReference() {
  const topic = Buffer.from(TOPIC, "utf8");
  const remaining = 2 + topic.length + 2 + PAYLOAD.length;
  const header = [0x32];
  let len = remaining;
  do {
    let byte = len % 128;
    len = Math.floor(len / 128);
    if (len > 0) byte |= 0x80;
    header.push(byte);
  } while (len > 0);
  const out = Buffer.alloc(header.length + remaining);
  let o = 0;
  for (const b of header) out[o++] = b;
  out.writeUInt16BE(topic.length, o);
  o += 2;
  o += topic.copy(out, o);
  out.writeUInt16BE(PACKET_ID, o);
  o += 2;
  PAYLOAD.copy(out, o);
  return out;
}

export const PACKET = encodeReference();
if (TOPIC.length !== 38 || PAYLOAD.length !== 200 || PACKET.length !== 245) {
  throw new Error(`fixture sizes: topic ${TOPIC.length}, payload ${PAYLOAD.length}, packet ${PACKET.length}`);
}
