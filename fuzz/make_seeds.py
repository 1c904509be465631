#!/usr/bin/env python3
"""Writes the committed seed corpora under fuzz/corpus/<target>/seed-*.

Hand-made MQTT 3.1.1 packet vectors (assembled here, independently of the codec) and the VCD
sample messages of ../shared/vcd/samples (their content is copied into the seeds, so the corpus
does not depend on that folder at fuzzing time). Run from anywhere:

    python3 fuzz/make_seeds.py [path/to/shared/vcd/samples]

Re-running rewrites the seed-* files; other corpus files (found by fuzzing, git-ignored) stay.
"""
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SAMPLES = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", "shared", "vcd", "samples")


def varint(n):
    out = bytearray()
    while True:
        b = n % 128
        n //= 128
        if n:
            b |= 0x80
        out.append(b)
        if not n:
            return bytes(out)


def s(text):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return struct.pack(">H", len(data)) + data


def pkt(first, body):
    return bytes([first]) + varint(len(body)) + body


def connect(client_id, clean=True, keep_alive=60, will=None, user=None, password=None):
    flags = 0x02 if clean else 0
    payload = s(client_id)
    if will:
        topic, msg, qos, retain = will
        flags |= 0x04 | (qos << 3) | (0x20 if retain else 0)
        payload += s(topic) + s(msg)
    if user is not None:
        flags |= 0x80
        payload += s(user)
    if password is not None:
        flags |= 0x40
        payload += s(password)
    return pkt(0x10, s("MQTT") + bytes([4, flags]) + struct.pack(">H", keep_alive) + payload)


def publish(topic, payload, qos=0, pid=1, dup=False, retain=False):
    first = 0x30 | (0x08 if dup else 0) | (qos << 1) | (1 if retain else 0)
    body = s(topic) + (struct.pack(">H", pid) if qos else b"") + payload
    return pkt(first, body)


def subscribe(pid, pairs):
    return pkt(0x82, struct.pack(">H", pid) + b"".join(s(f) + bytes([q]) for f, q in pairs))


def unsubscribe(pid, filters):
    return pkt(0xA2, struct.pack(">H", pid) + b"".join(s(f) for f in filters))


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as f:
        return f.read()


def write(target, name, data):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "seed-" + name), "wb") as f:
        f.write(data)


invocation = sample("behavior-invocation.json")
ext = "topic/extension/acme/sizer/1.2.3/ext"
vcd = "topic/extension/acme/sizer/1.2.3/vcd"

packets = {
    "connect-min": connect(""),
    "connect-extension": connect("acme-sizer-1", user="acme/sizer/1.2.3", password=b"eyJhbGciOi.fake.token"),
    "connect-will": connect("c1", clean=False, keep_alive=0, will=("status/c1", b"gone", 1, True),
                            user="admin@System", password=b"\x00\xffjwt"),
    "connect-bom": connect("\ufeffid", will=("a/\u00e9/b", b"", 2, False)),
    "connack-ok": pkt(0x20, b"\x00\x00"),
    "connack-session": pkt(0x20, b"\x01\x00"),
    "connack-refused": pkt(0x20, b"\x00\x05"),
    "publish-qos0": publish("vcd/events", b"hello"),
    "publish-qos1": publish(ext, invocation, qos=1, pid=7),
    "publish-qos2-dup-retain": publish(vcd, sample("behavior-response-task.json"), qos=2, pid=0xFFFF,
                                       dup=True, retain=True),
    "publish-empty-payload": publish("a", b"", qos=1, pid=2),
    "publish-nonminimal": bytes([0x30, 0x87, 0x00]) + s("a/b") + b"xy",
    "puback": pkt(0x40, b"\x00\x01"),
    "pubrec": pkt(0x50, b"\x12\x34"),
    "pubrel": pkt(0x62, b"\x12\x34"),
    "pubcomp": pkt(0x70, b"\x12\x34"),
    "subscribe": subscribe(10, [(ext, 1), ("a/+/c", 0), ("#", 2), ("+", 1), ("/+", 0)]),
    "suback": pkt(0x90, b"\x00\x0a\x01\x00\x02\x80"),
    "unsubscribe": unsubscribe(11, [ext, "a/#", "+/+"]),
    "unsuback": pkt(0xB0, b"\x00\x0b"),
    "pingreq": pkt(0xC0, b""),
    "pingresp": pkt(0xD0, b""),
    "disconnect": pkt(0xE0, b""),
    # Malformed on purpose: each breaks one rule.
    "bad-reserved-type": b"\x00\x00",
    "bad-pubrel-flags": pkt(0x60, b"\x00\x01"),
    "bad-remaining-length": b"\x30\xff\xff\xff\xff\x01",
    "bad-wildcard-topic": publish("a/#", b"x"),
    "bad-protocol-name": pkt(0x10, s("MQIsdp") + b"\x03\x02\x00\x3c" + s("c")),
    "bad-empty-subscribe": pkt(0x82, b"\x00\x01"),
    "bad-zero-packet-id": pkt(0x40, b"\x00\x00"),
    "bad-utf8": pkt(0x30, b"\x00\x03\xed\xa0\x80"),
}
for name, data in packets.items():
    write("decode_packet", name, data)

# stream_decoder: byte 0 = options (bits 0-1 max size 16/128/1024/4096, bit 2 strict, bits 3-4
# role none/client/server, bit 5 control characters), byte 1 = number of chunk-size bytes.
stream_all = b"".join(packets[k] for k in ("connect-extension", "connack-ok", "subscribe", "suback",
                                           "publish-qos1", "puback", "pingreq", "pingresp"))
write("stream_decoder", "session-1byte", bytes([0x03, 1, 1]) + stream_all)
write("stream_decoder", "session-mixed", bytes([0x03, 4, 3, 0, 7, 200]) + stream_all + b"\xe0")
write("stream_decoder", "oversize-skip", bytes([0x01, 2, 5, 9]) + packets["publish-qos1"] + packets["pingreq"])
write("stream_decoder", "errors", bytes([0x12, 1, 2]) + packets["bad-pubrel-flags"] + packets["connect-min"]
      + packets["bad-zero-packet-id"] + packets["disconnect"] + packets["bad-reserved-type"] + packets["pingreq"])
write("stream_decoder", "strict-nonminimal", bytes([0x07, 0]) + packets["publish-nonminimal"] + packets["pingresp"])
write("stream_decoder", "client-role", bytes([0x0B, 1, 16]) + packets["connect-will"] + packets["suback"]
      + packets["publish-qos2-dup-retain"])

# message: the envelope decoder and every nested step.
for name in sorted(os.listdir(SAMPLES)):
    if name.endswith(".json"):
        write("message", name[:-5], sample(name))

# xml_notification: the XML payload of the event-xml sample.
xml = json.loads(sample("event-xml.json"))["payload"].encode("utf-8")
write("xml_notification", "event", xml)
write("xml_notification", "event-default-ns", xml.replace(b"vmext:", b"").replace(b"xmlns:vmext", b"xmlns"))
