#!/usr/bin/env python3
"""Record a real MQTT 3.1.1 session between a VCD-style extension and mosquitto.

The capture bundled with ``cargo run --example inspect`` (``session.mqttcap``) is made by this
script from real software only: the mosquitto broker (Debian package ``mosquitto``), the
``mosquitto_pub`` / ``mosquitto_sub`` clients (Debian package ``mosquitto-clients``) playing
Cloud Director, and the ``paho-mqtt`` Python library playing the extension service. None of the
bytes come from this project's encoder.

Set-up (all on 127.0.0.1, free ports chosen at run time)::

    paho-mqtt "extension"  <->  recording proxy (this script)  <->  mosquitto
                                                                      ^    ^
                                      mosquitto_pub ("Cloud Director") |    | mosquitto_sub (checks the reply)

Session, as seen through the proxy:
  CONNECT (MQTT 3.1.1, clean session, user ``vmware/echo/0.0.1``, password, keep alive 2 s)
  CONNACK, SUBSCRIBE ``topic/extension/vmware/echo/0.0.1/ext`` QoS 1, SUBACK,
  PUBLISH QoS 1 (the sample object-extension BEHAVIOR_INVOCATION, sent by ``mosquitto_pub``),
  PUBACK, PUBLISH QoS 1 of the BEHAVIOR_RESPONSE reply to ``topic/extension/vmware/echo/0.0.1/vcd``,
  PUBACK, PINGREQ, PINGRESP (keep alive expiring), DISCONNECT.

Capture format (see README.md): repeated records of
``[direction: 1 byte, b'C' client->broker or b'S' broker->client][u32 big-endian length][bytes]``,
one record per TCP read as it arrived at the proxy.

Usage::

    apt-get install -y mosquitto mosquitto-clients && pip install paho-mqtt
    python3 schema/examples/capture/record.py            # re-record session.mqttcap (+ broker log)
    python3 schema/examples/capture/record.py --check    # only decode/verify the existing capture
    python3 schema/examples/capture/record.py --out /tmp/x.mqttcap --sample path/to/invocation.json

Recording also decodes the capture with the small independent MQTT parser below, checks that
every required packet type is present with the expected fields, and checks that ``mosquitto_sub``
received the reply; it exits non-zero otherwise. mosquitto is always stopped on exit.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SAMPLE = (HERE / "../../../../shared/vcd/samples/object-extension-invocation.json").resolve()

VENDOR, NAME, VERSION = "vmware", "echo", "0.0.1"
EXT_USER = f"{VENDOR}/{NAME}/{VERSION}"
# Stand-in for an extension token (POST /cloudapi/1.0.0/tokens, type=EXTENSION).
EXT_PASSWORD = "ext-token-3f6c1e0a-echo-0.0.1"
EXT_CLIENT_ID = "vmware-echo-0.0.1-ext"
VCD_USER = "vcd-cell"
VCD_PASSWORD = "vcd-cell-secret"
MONITOR_TOPIC = f"topic/extension/{VENDOR}/{NAME}/{VERSION}/ext"
RESPOND_TOPIC = f"topic/extension/{VENDOR}/{NAME}/{VERSION}/vcd"
KEEP_ALIVE = 2  # seconds: short, so that a real PINGREQ/PINGRESP happens in the session

DIR_CLIENT = 0x43  # 'C': client -> broker
DIR_SERVER = 0x53  # 'S': broker -> client

PACKET_NAMES = {
    1: "CONNECT", 2: "CONNACK", 3: "PUBLISH", 4: "PUBACK", 5: "PUBREC", 6: "PUBREL",
    7: "PUBCOMP", 8: "SUBSCRIBE", 9: "SUBACK", 10: "UNSUBSCRIBE", 11: "UNSUBACK",
    12: "PINGREQ", 13: "PINGRESP", 14: "DISCONNECT",
}


class CaptureError(Exception):
    """The capture is missing something or holds a malformed packet."""


# --------------------------------------------------------------------------------------------
# Capture file


def read_capture(data: bytes) -> list[tuple[int, bytes]]:
    """Split a capture file into (direction, chunk) records."""
    records = []
    pos = 0
    while pos < len(data):
        if len(data) - pos < 5:
            raise CaptureError(f"truncated record header at byte {pos}")
        direction = data[pos]
        if direction not in (DIR_CLIENT, DIR_SERVER):
            raise CaptureError(f"bad direction byte {direction:#04x} at byte {pos}")
        (length,) = struct.unpack_from(">I", data, pos + 1)
        pos += 5
        if len(data) - pos < length:
            raise CaptureError(f"record at byte {pos - 5} needs {length} bytes, has {len(data) - pos}")
        records.append((direction, data[pos:pos + length]))
        pos += length
    return records


class Recorder:
    """Thread-safe append-only list of (direction, chunk) in arrival order."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.records: list[tuple[int, bytes]] = []

    def add(self, direction: int, chunk: bytes) -> None:
        with self.lock:
            self.records.append((direction, bytes(chunk)))

    def to_bytes(self) -> bytes:
        with self.lock:
            return b"".join(
                bytes([d]) + struct.pack(">I", len(c)) + c for d, c in self.records
            )


# --------------------------------------------------------------------------------------------
# Independent MQTT 3.1.1 decoder (only what is needed to verify the capture)


def _utf8(body: bytes, pos: int) -> tuple[str, int]:
    if pos + 2 > len(body):
        raise CaptureError("string length past end of packet")
    (n,) = struct.unpack_from(">H", body, pos)
    if pos + 2 + n > len(body):
        raise CaptureError("string past end of packet")
    return body[pos + 2:pos + 2 + n].decode("utf-8"), pos + 2 + n


def _binary(body: bytes, pos: int) -> tuple[bytes, int]:
    (n,) = struct.unpack_from(">H", body, pos)
    return body[pos + 2:pos + 2 + n], pos + 2 + n


def parse_packet(first: int, body: bytes) -> dict:
    """Decode one packet (fixed header byte + body) into a dict of its fields."""
    ptype, flags = first >> 4, first & 0x0F
    name = PACKET_NAMES.get(ptype)
    if name is None:
        raise CaptureError(f"reserved packet type {ptype}")
    p: dict = {"type": name, "flags": flags, "len": len(body)}
    if name == "CONNECT":
        proto, pos = _utf8(body, 0)
        level, cflags = body[pos], body[pos + 1]
        (keep_alive,) = struct.unpack_from(">H", body, pos + 2)
        pos += 4
        client_id, pos = _utf8(body, pos)
        p.update(protocol=proto, level=level, connect_flags=cflags, keep_alive=keep_alive,
                 clean_session=bool(cflags & 0x02), client_id=client_id)
        if cflags & 0x04:
            p["will_topic"], pos = _utf8(body, pos)
            p["will_message"], pos = _binary(body, pos)
        if cflags & 0x80:
            p["username"], pos = _utf8(body, pos)
        if cflags & 0x40:
            p["password"], pos = _binary(body, pos)
        if pos != len(body):
            raise CaptureError("trailing bytes in CONNECT")
    elif name == "CONNACK":
        p.update(session_present=bool(body[0] & 1), return_code=body[1])
    elif name == "PUBLISH":
        qos = (flags >> 1) & 3
        topic, pos = _utf8(body, 0)
        p.update(dup=bool(flags & 8), qos=qos, retain=bool(flags & 1), topic=topic)
        if qos:
            (p["packet_id"],) = struct.unpack_from(">H", body, pos)
            pos += 2
        p["payload"] = body[pos:]
    elif name in ("PUBACK", "PUBREC", "PUBREL", "PUBCOMP", "UNSUBACK"):
        (p["packet_id"],) = struct.unpack_from(">H", body, 0)
    elif name == "SUBSCRIBE":
        (p["packet_id"],) = struct.unpack_from(">H", body, 0)
        pos, subs = 2, []
        while pos < len(body):
            flt, pos = _utf8(body, pos)
            subs.append((flt, body[pos]))
            pos += 1
        p["subscriptions"] = subs
    elif name == "SUBACK":
        (p["packet_id"],) = struct.unpack_from(">H", body, 0)
        p["return_codes"] = list(body[2:])
    elif name == "UNSUBSCRIBE":
        (p["packet_id"],) = struct.unpack_from(">H", body, 0)
    return p


def decode_stream(chunks: list[bytes]) -> list[tuple[int, dict]]:
    """Reassemble one direction's chunks and decode every packet: [(stream offset, packet)]."""
    data = b"".join(chunks)
    out, pos = [], 0
    while pos < len(data):
        start = pos
        first = data[pos]
        pos += 1
        mult, length = 1, 0
        for i in range(4):
            if pos >= len(data):
                raise CaptureError(f"truncated fixed header at stream offset {start}")
            b = data[pos]
            pos += 1
            length += (b & 0x7F) * mult
            mult *= 128
            if not b & 0x80:
                break
            if i == 3:
                raise CaptureError(f"remaining length over 4 bytes at stream offset {start}")
        if pos + length > len(data):
            raise CaptureError(f"truncated packet at stream offset {start}")
        out.append((start, parse_packet(first, data[pos:pos + length])))
        pos += length
    return out


def describe(p: dict) -> str:
    keys = [k for k in p if k not in ("type", "payload", "password", "len")]
    parts = [f"{k}={p[k]!r}" for k in keys]
    if "payload" in p:
        parts.append(f"payload={len(p['payload'])} bytes")
    if "password" in p:
        parts.append(f"password={len(p['password'])} bytes")
    return f"{p['type']:<11} " + " ".join(parts)


def verify(capture: bytes, sample: bytes | None, verbose: bool = True) -> None:
    """Decode a capture and check that it holds the whole required session."""
    records = read_capture(capture)
    by_dir = {DIR_CLIENT: [], DIR_SERVER: []}
    for d, c in records:
        by_dir[d].append(c)
    client = decode_stream(by_dir[DIR_CLIENT])
    server = decode_stream(by_dir[DIR_SERVER])
    if verbose:
        print(f"{len(records)} records, {len(capture)} bytes")
        for label, pkts in (("C->S", client), ("S->C", server)):
            for off, p in pkts:
                print(f"  {label} @{off:<5} {describe(p)}")

    def only(pkts, name):
        found = [p for _, p in pkts if p["type"] == name]
        if not found:
            raise CaptureError(f"no {name} in the capture")
        return found

    connect = only(client, "CONNECT")[0]
    if (connect["protocol"], connect["level"]) != ("MQTT", 4):
        raise CaptureError("CONNECT is not MQTT 3.1.1")
    if not connect["clean_session"] or connect.get("username") != EXT_USER:
        raise CaptureError("CONNECT lacks clean session / extension user name")
    if only(server, "CONNACK")[0]["return_code"] != 0:
        raise CaptureError("CONNACK refused the connection")
    sub = only(client, "SUBSCRIBE")[0]
    if sub["subscriptions"] != [(MONITOR_TOPIC, 1)]:
        raise CaptureError(f"unexpected SUBSCRIBE {sub['subscriptions']}")
    if only(server, "SUBACK")[0]["return_codes"] != [1]:
        raise CaptureError("SUBACK did not grant QoS 1")
    inv = [p for _, p in server if p["type"] == "PUBLISH" and p["topic"] == MONITOR_TOPIC]
    if len(inv) != 1 or inv[0]["qos"] != 1:
        raise CaptureError("missing the QoS 1 invocation PUBLISH")
    if sample is not None and inv[0]["payload"] != sample:
        raise CaptureError("the invocation PUBLISH payload differs from the sample file")
    if inv[0]["packet_id"] not in [p["packet_id"] for _, p in client if p["type"] == "PUBACK"]:
        raise CaptureError("the invocation PUBLISH was not PUBACKed")
    reply = [p for _, p in client if p["type"] == "PUBLISH" and p["topic"] == RESPOND_TOPIC]
    if len(reply) != 1 or reply[0]["qos"] != 1:
        raise CaptureError("missing the QoS 1 reply PUBLISH")
    if json.loads(reply[0]["payload"])["type"] != "BEHAVIOR_RESPONSE":
        raise CaptureError("the reply is not a BEHAVIOR_RESPONSE")
    if reply[0]["packet_id"] not in [p["packet_id"] for _, p in server if p["type"] == "PUBACK"]:
        raise CaptureError("the reply PUBLISH was not PUBACKed")
    only(client, "PINGREQ")
    only(server, "PINGRESP")
    if client[-1][1]["type"] != "DISCONNECT":
        raise CaptureError("the session does not end with DISCONNECT")
    if verbose:
        print("capture OK: CONNECT CONNACK SUBSCRIBE SUBACK PUBLISH(invocation) PUBACK "
              "PUBLISH(reply) PUBACK PINGREQ PINGRESP DISCONNECT all present")


# --------------------------------------------------------------------------------------------
# The reply an echo extension sends


def build_reply(invocation: bytes) -> bytes:
    """BEHAVIOR_RESPONSE answering an object-extension invocation with an Echo HalfDuplexEnvelope."""
    message = json.loads(invocation)
    headers = message.get("headers") or {}
    args = json.loads(message["payload"])
    request = args["arguments"]
    if isinstance(request, str):  # the envelope may arrive JSON-encoded once more
        request = json.loads(request)
    echo = json.loads(request["payload"])
    envelope = {
        "clientRequestId": request.get("clientRequestId"),
        "namespace": request.get("namespace"),
        "envelopeType": "HalfDuplexEnvelope",
        "payloadType": request.get("expectedResponsePayloadType") or request["payloadType"],
        "phase": request["phase"],
        "payload": json.dumps({"message": echo["message"]}),
        "correlationId": request["correlationId"],
    }
    reply_headers = {"taskId": headers.get("taskId") or args["_metadata"]["taskId"]}
    if headers.get("entityId"):
        reply_headers["entityId"] = headers["entityId"]
    reply = {"type": "BEHAVIOR_RESPONSE", "headers": reply_headers, "payload": json.dumps(envelope)}
    return json.dumps(reply, indent=2).encode()


# --------------------------------------------------------------------------------------------
# Recording


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"mosquitto did not listen on port {port}")


class Proxy:
    """One-connection TCP proxy that records every read chunk with its direction."""

    def __init__(self, upstream_port: int, recorder: Recorder) -> None:
        self.upstream_port = upstream_port
        self.recorder = recorder
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self.done = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        client, _ = self.listener.accept()
        self.listener.close()
        broker = socket.create_connection(("127.0.0.1", self.upstream_port))
        for sock in (client, broker):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        pumps = [
            threading.Thread(target=self._pump, args=(client, broker, DIR_CLIENT), daemon=True),
            threading.Thread(target=self._pump, args=(broker, client, DIR_SERVER), daemon=True),
        ]
        for t in pumps:
            t.start()
        for t in pumps:
            t.join()
        client.close()
        broker.close()
        self.done.set()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: int) -> None:
        while True:
            try:
                chunk = src.recv(65536)
            except OSError:
                chunk = b""
            if not chunk:
                try:
                    dst.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                return
            # Logged before it is forwarded, so the record order follows causality.
            self.recorder.add(direction, chunk)
            dst.sendall(chunk)


def record(sample_path: Path, out: Path, broker_log: Path | None) -> None:
    import paho.mqtt.client as mqtt  # imported here so --check works without paho

    for tool in ("mosquitto", "mosquitto_pub", "mosquitto_sub", "mosquitto_passwd"):
        if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} not found: apt-get install -y mosquitto mosquitto-clients")
    mosquitto_bin = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    sample = sample_path.read_bytes()
    work = Path(tempfile.mkdtemp(prefix="vcd-mqtt-capture-"))
    broker_port = free_port()
    passwd = work / "passwd"
    for user, pw in ((EXT_USER, EXT_PASSWORD), (VCD_USER, VCD_PASSWORD)):
        flags = ["-c"] if not passwd.exists() else []
        subprocess.run(["mosquitto_passwd", "-b", *flags, str(passwd), user, pw], check=True)
    os.chmod(passwd, 0o600)
    conf = work / "mosquitto.conf"
    lines = [
        f"listener {broker_port} 127.0.0.1",
        "allow_anonymous false",
        f"password_file {passwd}",
        "persistence false",
        "log_dest stdout",
        "log_type all",
        "log_timestamp false",
        "connection_messages true",
    ]
    if os.geteuid() == 0:
        lines.append("user root")  # keep access to the 0600 files in the temporary folder
    conf.write_text("\n".join(lines) + "\n")
    broker_out = open(work / "mosquitto.log", "wb")
    broker = subprocess.Popen([mosquitto_bin, "-c", str(conf)], stdout=broker_out,
                              stderr=subprocess.STDOUT)
    checker = None
    try:
        wait_port(broker_port)
        version = subprocess.run([mosquitto_bin, "-h"], capture_output=True, text=True).stdout
        print(version.splitlines()[0] if version else "mosquitto (version unknown)")
        print(f"paho-mqtt {getattr(mqtt, '__version__', None) or __import__('paho.mqtt').mqtt.__version__}")

        # Cloud Director's side of the respond topic: expects exactly the one reply.
        checker = subprocess.Popen(
            ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker_port), "-i", "vcd-cell-sub",
             "-u", VCD_USER, "-P", VCD_PASSWORD, "-V", "mqttv311", "-q", "1", "-C", "1",
             "-W", "30", "-t", RESPOND_TOPIC],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(0.5)  # let mosquitto_sub subscribe

        recorder = Recorder()
        proxy = Proxy(broker_port, recorder)
        connected, subscribed, received, replied, pinged = (threading.Event() for _ in range(5))
        state: dict = {}

        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=EXT_CLIENT_ID,
                             clean_session=True, protocol=mqtt.MQTTv311,
                             reconnect_on_failure=False)
        client.username_pw_set(EXT_USER, EXT_PASSWORD)

        def on_connect(c, userdata, flags, reason_code, properties):
            state["connack"] = reason_code
            connected.set()

        def on_subscribe(c, userdata, mid, reason_codes, properties):
            subscribed.set()

        def on_message(c, userdata, msg):
            state["invocation"] = msg.payload
            received.set()

        def on_publish(c, userdata, mid, reason_code, properties):
            if mid == state.get("reply_mid"):
                replied.set()

        def on_log(c, userdata, level, buf):
            if buf.startswith("Received PINGRESP"):
                pinged.set()

        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        client.on_publish = on_publish
        client.on_log = on_log

        def wait(event: threading.Event, what: str, timeout: float = 15.0) -> None:
            if not event.wait(timeout):
                raise RuntimeError(f"timed out waiting for {what}")

        client.connect("127.0.0.1", proxy.port, keepalive=KEEP_ALIVE)
        client.loop_start()
        wait(connected, "CONNACK")
        if state["connack"] != 0:
            raise RuntimeError(f"broker refused the connection: {state['connack']}")
        client.subscribe(MONITOR_TOPIC, qos=1)
        wait(subscribed, "SUBACK")

        # Cloud Director publishes the invocation (exact bytes of the sample file).
        subprocess.run(
            ["mosquitto_pub", "-h", "127.0.0.1", "-p", str(broker_port), "-i", "vcd-cell-pub",
             "-u", VCD_USER, "-P", VCD_PASSWORD, "-V", "mqttv311", "-q", "1",
             "-t", MONITOR_TOPIC, "-f", str(sample_path)], check=True)
        wait(received, "the invocation PUBLISH")
        if state["invocation"] != sample:
            raise RuntimeError("the extension received different bytes than the sample")

        time.sleep(0.2)  # PUBACK of the invocation goes out on its own
        reply = build_reply(state["invocation"])
        info = client.publish(RESPOND_TOPIC, reply, qos=1)
        state["reply_mid"] = info.mid
        if info.is_published():
            replied.set()
        wait(replied, "PUBACK of the reply")

        # Stay quiet until the keep alive expires: paho sends PINGREQ, mosquitto answers.
        wait(pinged, "PINGRESP", timeout=4 * KEEP_ALIVE + 5)
        time.sleep(0.2)
        client.disconnect()
        client.loop_stop()
        if not proxy.done.wait(10):
            raise RuntimeError("the proxied connection did not close")

        out_sub, err_sub = checker.communicate(timeout=30)
        if checker.returncode != 0 or out_sub.rstrip(b"\n") != reply:
            raise RuntimeError(f"mosquitto_sub did not get the reply: rc={checker.returncode} "
                               f"{err_sub.decode(errors='replace')}")
        print("mosquitto_sub received the reply on", RESPOND_TOPIC)

        capture = recorder.to_bytes()
        verify(capture, sample)
        out.write_bytes(capture)
        print(f"wrote {out} ({len(capture)} bytes)")
    finally:
        if checker is not None and checker.poll() is None:
            checker.kill()
            checker.wait()
        broker.terminate()
        try:
            broker.wait(10)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()
        broker_out.close()
        log = (work / "mosquitto.log").read_text(errors="replace")
        if broker_log is not None:
            # Only the lines about the proxied extension session: independent evidence of
            # every packet the broker saw and sent on that connection.
            keep = [line for line in log.splitlines() if EXT_CLIENT_ID in line]
            broker_log.write_text("\n".join(keep) + "\n")
            print(f"wrote {broker_log} ({len(keep)} lines)")
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=HERE / "session.mqttcap",
                    help="capture file to write (default: %(default)s)")
    ap.add_argument("--broker-log", type=Path, default=HERE / "session.broker.log",
                    help="where to keep mosquitto's log lines for the session")
    ap.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE,
                    help="the BEHAVIOR_INVOCATION to publish (default: %(default)s)")
    ap.add_argument("--check", action="store_true",
                    help="do not record: decode and verify the existing --out capture")
    args = ap.parse_args()
    try:
        if args.check:
            sample = args.sample.read_bytes() if args.sample.exists() else None
            verify(args.out.read_bytes(), sample)
        else:
            record(args.sample, args.out, args.broker_log)
    except CaptureError as e:
        print(f"capture check failed: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
