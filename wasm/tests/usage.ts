// Compiled with `tsc --noEmit --strict` against the PACKED package (wasm/scripts/test.sh): every
// exported function and returned shape is used with its declared types; nothing is `any`.
import init, {
  StreamDecoder,
  buildApiResponse,
  buildBehaviorResponse,
  buildObjectExtensionReply,
  decodeMessage,
  decodeObjectExtension,
  decodePacket,
  encodeConnect,
  encodeDisconnect,
  encodePacket,
  encodePingreq,
  encodePuback,
  encodePubcomp,
  encodePublish,
  encodePubrec,
  encodePubrel,
  encodeSubscribe,
  encodeUnsubscribe,
  extensionService,
  notificationUserName,
  version,
  websocketUrl,
} from "vcd-mqtt";
import type {
  DecodedPacket,
  ExtensionServiceInfo,
  JsonValue,
  MessageBody,
  ObjectExtension,
  ObjectExtensionRequest,
  Packet,
  PublishPacket,
  QoS,
  TaskUpdate,
  VcdMessage,
  VcdMqttError,
} from "vcd-mqtt";

// A type-level check that a type is not `any`.
type IsAny<T> = 0 extends 1 & T ? true : false;
const notAny = <T>(_v: T, ok: IsAny<T> extends false ? true : never): void => void ok;

async function main(): Promise<void> {
  await init(); // browsers: loads the .wasm next to the module; Node: already loaded, a no-op.
  const s: string = version();

  const service: ExtensionServiceInfo = extensionService("urn:vcloud:extension-api:vmware:echo:0.0.1");
  const same: ExtensionServiceInfo = extensionService({ vendor: "vmware", name: "echo", version: "0.0.1" });
  const url: string = websocketUrl("vcd.example.com");
  const user: string = notificationUserName("admin", "System");

  const connect: Uint8Array = encodeConnect({
    clientId: "ui-plugin",
    username: service.userName,
    password: "token",
    keepAlive: 30,
    cleanSession: true,
    will: { topic: service.respondTopic, message: new Uint8Array([1]), qos: 1, retain: false },
  });
  const sub: Uint8Array = encodeSubscribe({ packetId: 1, subscriptions: [{ topicFilter: service.monitorTopic, qos: 1 }, "x/#"] });
  const unsub: Uint8Array = encodeUnsubscribe({ packetId: 2, topicFilters: [service.monitorTopic] });
  const pub: Uint8Array = encodePublish({ topic: same.respondTopic, qos: 1, packetId: 3, payload: "hi", retain: false, dup: false });
  const acks: Uint8Array[] = [encodePuback(3), encodePubrec(4), encodePubrel(4), encodePubcomp(4), encodePingreq(), encodeDisconnect()];
  const any14: Uint8Array = encodePacket({ type: "suback", packetId: 1, returnCodes: [0, 128] });

  const decoded: DecodedPacket = decodePacket(pub, { maxPacketSize: 1 << 20, role: "server", strictRemainingLength: false });
  notAny(decoded.packet, true);
  const length: number = decoded.length;
  const packet: Packet = decoded.packet;
  switch (packet.type) {
    case "publish": {
      const p: PublishPacket = packet;
      const payload: Uint8Array = p.payload;
      const id: number | null = p.packetId;
      const q: QoS = p.qos;
      const topic: string = p.topic;
      void [payload, id, q, topic];
      break;
    }
    case "connect": {
      const pw: Uint8Array | null = packet.password;
      const willQos: QoS | undefined = packet.will?.qos;
      void [pw, willQos, packet.username, packet.clientId, packet.keepAlive, packet.cleanSession];
      break;
    }
    case "connack": {
      const code: 0 | 1 | 2 | 3 | 4 | 5 = packet.returnCode;
      void [code, packet.returnCodeName, packet.sessionPresent];
      break;
    }
    case "subscribe":
      for (const sub of packet.subscriptions) void [sub.topicFilter, sub.qos];
      break;
    case "suback":
      for (const rc of packet.returnCodes) {
        const r: 0 | 1 | 2 | 128 = rc;
        void r;
      }
      break;
    case "unsubscribe":
      void packet.topicFilters.map((f: string) => f.length);
      break;
    case "puback":
    case "pubrec":
    case "pubrel":
    case "pubcomp":
    case "unsuback": {
      const id: number = packet.packetId;
      void id;
      break;
    }
    case "pingreq":
    case "pingresp":
    case "disconnect":
      break;
    default: {
      const never: never = packet;
      void never;
    }
  }

  const decoder = new StreamDecoder({ maxPacketSize: 65536 });
  const packets: Packet[] = decoder.push(connect);
  const buffered: number = decoder.buffered;
  const max: number = decoder.maxPacketSize;
  decoder.reset();
  decoder.free();
  new StreamDecoder().push(sub);
  // The callback form: each packet handed over in order, the count returned.
  const handed: number = new StreamDecoder().push(sub, (p: Packet) => {
    if (p.type === "publish") {
      const topic: string = p.topic;
      void topic;
    }
  });
  void handed;
  // Payloads as copies with their own buffer instead of views on the chunk; arrays of bytes.
  const copies: Packet[] = new StreamDecoder({ copyPayloads: true }).push([0xc0, 0x00]);
  const copied: DecodedPacket = decodePacket(pub, { copyPayloads: true });
  void [copies, copied];

  try {
    decodePacket(new Uint8Array([0x60, 0x02, 0x00, 0x01]));
  } catch (e) {
    const err = e as VcdMqttError;
    const code: "MQTT_DECODE" | "MQTT_INCOMPLETE" | "MQTT_ENCODE" | "VCD_MESSAGE" | "VCD_TOPIC" | "INVALID_ARGUMENT" = err.code;
    const offset: number | undefined = err.offset;
    const statement: string | null | undefined = err.statementId;
    const packetLength: number | null | undefined = err.packetLength;
    const more: Packet[] | undefined = err.packets;
    void [code, offset, statement, packetLength, more, err.rule, err.path, err.layer, err.needed, err.message];
  }

  const message: VcdMessage = decodeMessage(new Uint8Array());
  const body: MessageBody = message.body;
  notAny(body, true);
  if (body.kind === "behaviorInvocation") {
    const ext: ObjectExtension | null = body.objectExtension;
    if (!ext) return;
    if (ext.payload.typed && ext.payload.payloadType === "Echo") {
      const m: string = ext.payload.value.message;
      void m;
    }
    if (ext.envelope.envelopeType === "HalfDuplexEnvelope") {
      const c: string | undefined = ext.envelope.correlationId;
      void c;
    }
    const taskId: string | undefined = body.headers.taskId;
    const timeout: number | undefined = body.arguments._execution_properties?.invocation_timeout;
    void [taskId, timeout];
  } else if (body.kind === "behaviorResponse") {
    if (body.content.kind === "taskUpdate") {
      const update: TaskUpdate = body.content.taskUpdate;
      const progress: number | undefined = update.progress;
      void progress;
    } else {
      const t: string = body.content.text;
      void t;
    }
  } else if (body.kind === "apiRequest") {
    const b: Uint8Array | undefined = body.request.message.body;
    const h: string | undefined = body.request.message.headers?.["Accept"];
    void [b, h, body.bytesForm, body.linkApiBaseUrl];
  } else if (body.kind === "apiResponse") {
    const status: number = body.response.statusCode;
    void status;
  } else if (body.kind === "notification") {
    const f: "json" | "xml" = body.format;
    const t: string | undefined = body.notification.type;
    void [f, t, body.notification.entityLinks?.[0]?.rel];
  } else {
    const k: "unknown" = body.kind;
    void k;
  }
  const headers: JsonValue | null = message.headers;

  const reply: Uint8Array = buildObjectExtensionReply(new Uint8Array(), { payloadType: "Echo", value: { message: "Hello back" } });

  const request: ObjectExtensionRequest = decodeObjectExtension("{}");
  notAny(request, true);
  const requestExt: ObjectExtension = request;
  const ids: [string | null, string | null] = [request.taskId, request.entityId];
  if (request.payload.typed && request.payload.payloadType === "Echo") {
    const m: string = request.payload.value.message;
    void m;
  }
  const phase: string = request.envelope.phase;
  const answer: Uint8Array = buildObjectExtensionReply(request, { payloadType: "Echo", value: { message: "Hello back" } });
  void [requestExt, ids, phase, answer];
  const text: Uint8Array = buildBehaviorResponse("{}", { text: "done" });
  const update: Uint8Array = buildBehaviorResponse("{}", { taskUpdate: { status: "running", progress: 50 } });
  const api: Uint8Array = buildApiResponse("{}", { statusCode: 200, headers: { "Content-Type": "text/plain" }, body: "ok" });

  void [s, url, user, unsub, acks, any14, length, packets, buffered, max, headers, reply, text, update, api];
}

void main;

// Wrong uses must not compile:
// @ts-expect-error qos 3 is not a QoS
encodePublish({ topic: "t", qos: 3 });
// @ts-expect-error topic is required
encodePublish({ payload: "x" });
// @ts-expect-error copyPayloads is a boolean
new StreamDecoder({ copyPayloads: "yes" });
// @ts-expect-error a behavior response needs text or taskUpdate
buildBehaviorResponse("{}", {});
// @ts-expect-error unknown task status
buildBehaviorResponse("{}", { taskUpdate: { status: "walking" } });
// @ts-expect-error decodeObjectExtension takes the message bytes or text
decodeObjectExtension({ type: "BEHAVIOR_INVOCATION" });
// @ts-expect-error the reply builder takes a decodeObjectExtension result, not any object
buildObjectExtensionReply({ taskId: "t" }, { payloadType: "Echo", value: { message: "m" } });
