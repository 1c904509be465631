// A loopback WebSocket-to-TCP proxy for the browser test that RE-FRAMES the broker's bytes: it
// accepts a browser WebSocket (subprotocol "mqtt"), connects to mosquitto's plain MQTT listener
// and forwards the broker's byte stream to the browser in binary WebSocket frames of 1..maxFrame
// bytes (deterministic pseudo-random sizes). MQTT packets therefore arrive split across many
// WebSocket frames, and several packets may share one — as [MQTT-6.0.0-2] allows and as
// mosquitto itself never does for a single PUBLISH (it sends a whole packet per message).
import { createServer } from "node:http";
import { connect } from "node:net";
import { createHash } from "node:crypto";

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

function frame(opcode, payload) {
  const len = payload.length;
  let header;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

/** Starts the proxy on 127.0.0.1 (random port). Resolves to `{ port, stats, close() }`;
 * `stats.framesToClient` counts the binary frames sent to browsers. */
export function reframingProxy({ targetPort, maxFrame = 16384, seed = 12345 }) {
  const stats = { framesToClient: 0, bytesToClient: 0 };
  const sockets = new Set();
  let rng = seed >>> 0;
  const nextSize = () => {
    rng = (Math.imul(rng, 1664525) + 1013904223) >>> 0;
    return 1 + (rng % maxFrame);
  };
  const server = createServer((_req, res) => res.writeHead(426).end());
  server.on("upgrade", (req, socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    const key = req.headers["sec-websocket-key"];
    const protocols = String(req.headers["sec-websocket-protocol"] ?? "").split(",").map((s) => s.trim());
    if (!key || !protocols.includes("mqtt")) {
      socket.end("HTTP/1.1 400 Bad Request\r\n\r\n");
      return;
    }
    const accept = createHash("sha1").update(key + GUID).digest("base64");
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`,
    );
    const broker = connect(targetPort, "127.0.0.1");
    sockets.add(broker);
    broker.on("close", () => { sockets.delete(broker); socket.destroy(); });
    socket.on("close", () => broker.destroy());
    broker.on("error", () => socket.destroy());
    socket.on("error", () => broker.destroy());

    // broker -> browser: re-framed into small binary frames
    broker.on("data", (data) => {
      for (let at = 0; at < data.length; ) {
        const n = Math.min(nextSize(), data.length - at);
        socket.write(frame(0x2, data.subarray(at, at + n)));
        stats.framesToClient += 1;
        stats.bytesToClient += n;
        at += n;
      }
    });

    // browser -> broker: unmask client frames, forward binary/continuation payloads
    let buf = Buffer.alloc(0);
    socket.on("data", (data) => {
      buf = Buffer.concat([buf, data]);
      for (;;) {
        if (buf.length < 2) return;
        const opcode = buf[0] & 0x0f;
        const masked = (buf[1] & 0x80) !== 0;
        let len = buf[1] & 0x7f;
        let at = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          at = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          at = 10;
        }
        const maskAt = at;
        if (masked) at += 4;
        if (buf.length < at + len) return;
        const payload = Buffer.from(buf.subarray(at, at + len));
        if (masked) for (let i = 0; i < len; i++) payload[i] ^= buf[maskAt + (i & 3)];
        buf = buf.subarray(at + len);
        if (opcode === 0x2 || opcode === 0x0) broker.write(payload);
        else if (opcode === 0x8) { socket.end(frame(0x8, Buffer.alloc(0))); broker.end(); return; }
        else if (opcode === 0x9) socket.write(frame(0xa, payload));
      }
    });
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      ok({
        port: server.address().port,
        stats,
        close: () => new Promise((done) => {
          for (const s of sockets) s.destroy();
          server.close(() => done());
        }),
      });
    });
  });
}
