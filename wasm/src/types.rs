//! TypeScript declarations of every object shape the bindings accept or return, and the
//! extern types that give the generated `.d.ts` these precise types.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_PACKETS: &str = r#"
/** MQTT quality of service level. */
export type QoS = 0 | 1 | 2;

/** Options of `decodePacket` and `new StreamDecoder`. */
export interface DecodeOptions {
  /** Largest accepted packet in bytes, fixed header included (default 268435460). */
  maxPacketSize?: number;
  /** Reject non-minimal remaining-length encodings (default false; MQTT 3.1.1 allows them). */
  strictRemainingLength?: boolean;
  /** The role of the receiver: reject packets that may not travel towards it. */
  role?: "client" | "server";
  /** Reject U+0001..U+001F and U+007F..U+009F in strings (MQTT 1.5.3 SHOULD NOT). */
  rejectControlCharacters?: boolean;
  /**
   * Default false: a PUBLISH payload that lies wholly inside the bytes passed in is a view on
   * them (same `buffer`, no copy). True: every payload is a copy with its own `ArrayBuffer`.
   */
  copyPayloads?: boolean;
}

/** The will message of a CONNECT. */
export interface LastWill {
  topic: string;
  message: Uint8Array;
  qos: QoS;
  retain: boolean;
}

export interface ConnectPacket {
  type: "connect";
  clientId: string;
  cleanSession: boolean;
  keepAlive: number;
  will: LastWill | null;
  username: string | null;
  password: Uint8Array | null;
}

export type ConnectReturnCodeName =
  | "accepted"
  | "unacceptableProtocolVersion"
  | "identifierRejected"
  | "serverUnavailable"
  | "badUserNameOrPassword"
  | "notAuthorized";

export interface ConnackPacket {
  type: "connack";
  sessionPresent: boolean;
  /** 0 (accepted) to 5. */
  returnCode: 0 | 1 | 2 | 3 | 4 | 5;
  returnCodeName: ConnectReturnCodeName;
}

export interface PublishPacket {
  type: "publish";
  dup: boolean;
  qos: QoS;
  retain: boolean;
  topic: string;
  /** `null` for QoS 0, 1..65535 otherwise. */
  packetId: number | null;
  /**
   * The payload. By default, when the packet lay wholly inside the `Uint8Array` (or Node
   * `Buffer`) passed to `decodePacket` / `StreamDecoder.push`, a view on
   * that caller's memory: `payload.buffer === chunk.buffer`, no copy, and it shows any later
   * change to those bytes (do not reuse the chunk while the payload is in use). A packet split
   * over chunks, a plain-array input, or the option `copyPayloads: true` give a copy with its
   * own `ArrayBuffer`. Never a view on the decoder's or WebAssembly's memory.
   */
  payload: Uint8Array;
}

export interface PubackPacket { type: "puback"; packetId: number; }
export interface PubrecPacket { type: "pubrec"; packetId: number; }
export interface PubrelPacket { type: "pubrel"; packetId: number; }
export interface PubcompPacket { type: "pubcomp"; packetId: number; }
export interface UnsubackPacket { type: "unsuback"; packetId: number; }

export interface Subscription {
  topicFilter: string;
  qos: QoS;
}

export interface SubscribePacket {
  type: "subscribe";
  packetId: number;
  subscriptions: Subscription[];
}

/** A SUBACK return code: the granted QoS, or 128 (0x80) for failure. */
export type SubackReturnCode = QoS | 128;

export interface SubackPacket {
  type: "suback";
  packetId: number;
  returnCodes: SubackReturnCode[];
}

export interface UnsubscribePacket {
  type: "unsubscribe";
  packetId: number;
  topicFilters: string[];
}

export interface PingreqPacket { type: "pingreq"; }
export interface PingrespPacket { type: "pingresp"; }
export interface DisconnectPacket { type: "disconnect"; }

/** Any decoded MQTT 3.1.1 packet, discriminated by `type`. */
export type Packet =
  | ConnectPacket
  | ConnackPacket
  | PublishPacket
  | PubackPacket
  | PubrecPacket
  | PubrelPacket
  | PubcompPacket
  | SubscribePacket
  | SubackPacket
  | UnsubscribePacket
  | UnsubackPacket
  | PingreqPacket
  | PingrespPacket
  | DisconnectPacket;

/** The packet type names. */
export type PacketType = Packet["type"];

/** Result of `decodePacket`: the packet and the number of bytes it used. */
export interface DecodedPacket {
  packet: Packet;
  length: number;
}

/** Options of `encodeConnect`. */
export interface ConnectOptions {
  /** Default "" (allowed with clean session). */
  clientId?: string;
  /** Default true (the only mode Cloud Director supports). */
  cleanSession?: boolean;
  /** Seconds, 0..65535, default 60. */
  keepAlive?: number;
  will?: {
    topic: string;
    message?: Uint8Array | string;
    qos?: QoS;
    retain?: boolean;
  } | null;
  username?: string | null;
  /** A JWT or extension token: a string (UTF-8) or raw bytes. */
  password?: Uint8Array | string | null;
}

/** Options of `encodePublish`. */
export interface PublishOptions {
  topic: string;
  payload?: Uint8Array | string;
  /** Default 0. */
  qos?: QoS;
  /** Required for QoS 1 and 2, absent for QoS 0. */
  packetId?: number | null;
  retain?: boolean;
  dup?: boolean;
}

/** Options of `encodeSubscribe`. A bare string subscribes with QoS 0. */
export interface SubscribeOptions {
  packetId: number;
  subscriptions: Array<{ topicFilter: string; qos?: QoS } | string>;
}

/** Options of `encodeUnsubscribe`. */
export interface UnsubscribeOptions {
  packetId: number;
  topicFilters: string[];
}

/** Input of `encodePacket`: any packet shape `decodePacket` returns; defaults as in the
 * dedicated encoders. */
export type PacketInput =
  | ({ type: "connect" } & ConnectOptions)
  | { type: "connack"; sessionPresent?: boolean; returnCode: number }
  | ({ type: "publish" } & PublishOptions)
  | { type: "puback" | "pubrec" | "pubrel" | "pubcomp" | "unsuback"; packetId: number }
  | ({ type: "subscribe" } & SubscribeOptions)
  | { type: "suback"; packetId: number; returnCodes: number[] }
  | ({ type: "unsubscribe" } & UnsubscribeOptions)
  | { type: "pingreq" | "pingresp" | "disconnect" };

/** Stable error codes of `VcdMqttError`. */
export type VcdMqttErrorCode =
  | "MQTT_DECODE"
  | "MQTT_INCOMPLETE"
  | "MQTT_ENCODE"
  | "VCD_MESSAGE"
  | "VCD_TOPIC"
  | "INVALID_ARGUMENT";

/** Every error the package throws: an `Error` with `name === "VcdMqttError"` and a stable
 * `code`; the other properties depend on the code. */
export interface VcdMqttError extends Error {
  name: "VcdMqttError";
  code: VcdMqttErrorCode;
  /** The broken rule (the Rust error variant, e.g. "WildcardInTopicName"): MQTT_DECODE,
   * MQTT_ENCODE, VCD_MESSAGE, VCD_TOPIC. */
  rule?: string;
  /** The MQTT 3.1.1 statement ID, e.g. "MQTT-3.3.2-2", or null for unnumbered rules:
   * MQTT_DECODE, MQTT_ENCODE. */
  statementId?: string | null;
  /** Byte offset from the start of the packet: MQTT_DECODE. */
  offset?: number;
  /** Total length of the offending packet when its fixed header was readable: MQTT_DECODE. */
  packetLength?: number | null;
  /** Bytes still missing, null while the fixed header is incomplete: MQTT_INCOMPLETE. */
  needed?: number | null;
  /** Path of the offending option (INVALID_ARGUMENT), JSON field (VCD_MESSAGE) or name part
   * (VCD_TOPIC), e.g. "options.will.qos", "payload.arguments.payload", "vendor". */
  path?: string | null;
  /** The VCD layer the error was found in, e.g. "object-extension envelope": VCD_MESSAGE, VCD_TOPIC. */
  layer?: string | null;
  /** Packets completed in the same chunk: errors thrown by `StreamDecoder.push`. */
  packets?: Packet[];
  /** Every error of the same chunk: errors thrown by `StreamDecoder.push`. */
  errors?: VcdMqttError[];
}
"#;

#[wasm_bindgen(typescript_custom_section)]
const TS_MESSAGES: &str = r#"
/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** The eight documented message kinds (`type` of the envelope). */
export type MessageTypeName =
  | "EVENT"
  | "EXTERNAL_EVENT"
  | "TASK"
  | "EXTENSION_TASK"
  | "API_REQUEST"
  | "API_RESPONSE"
  | "BEHAVIOR_INVOCATION"
  | "BEHAVIOR_RESPONSE";

/** Result of `decodeMessage`: the envelope and its typed body. Unknown JSON members of every
 * layer are kept as extra properties of the objects below. */
export interface VcdMessage {
  /** The envelope `type`; an unknown name is kept as-is (`known` is false). */
  type: MessageTypeName | (string & {});
  known: boolean;
  /** The raw `headers` member (null when absent or null). */
  headers: JsonValue | null;
  /** The raw `payload` string (null when absent or not a string). */
  payload: string | null;
  /** Every layer below the envelope, typed. */
  body: MessageBody;
}

export type MessageBody =
  | BehaviorInvocationBody
  | BehaviorResponseBody
  | ApiRequestBody
  | ApiResponseBody
  | NotificationBody
  | UnknownBody;

/** A type this package does not know: skip the message. */
export interface UnknownBody { kind: "unknown"; }

// ---- BEHAVIOR_INVOCATION

export interface InvocationContext {
  userId?: string;
  orgId?: string;
  /** Only when Cloud Director's `extensibility.enableRightInfo` is on; may be null. */
  rights?: string[] | null;
}

export interface InvocationHeaders {
  taskId?: string;
  entityId?: string;
  behaviorId?: string;
  context?: InvocationContext;
  payload?: string;
}

export interface ExecutionProperties {
  serviceId?: string;
  invocation_timeout?: number;
  actAsToken?: boolean;
}

export interface InvocationMetadata {
  executionId?: string;
  invocation?: JsonValue;
  apiVersion?: string;
  behaviorId?: string;
  requestId?: string;
  executionType?: string;
  invocationId?: string;
  taskId?: string;
  actAsToken?: string;
}

export interface InvocationArguments {
  entityId?: string;
  typeId?: string;
  /** User arguments; for object extensions the envelope (see `objectExtension`). */
  arguments?: JsonValue;
  additionalArguments?: JsonValue;
  entity?: JsonValue;
  _execution_properties?: ExecutionProperties;
  _metadata?: InvocationMetadata;
}

export interface BehaviorInvocationBody {
  kind: "behaviorInvocation";
  headers: InvocationHeaders;
  arguments: InvocationArguments;
  /** The object-extension layers when `arguments.arguments` holds an envelope, else null. */
  objectExtension: ObjectExtension | null;
}

// ---- object extensions

export interface HalfDuplexEnvelope {
  envelopeType: "HalfDuplexEnvelope";
  clientRequestId?: string;
  namespace?: string;
  payloadType: string;
  phase: string;
  /** The payload document, JSON-encoded (decoded in `ObjectExtension.payload`). */
  payload: string;
  correlationId?: string;
  expectedResponsePayloadType?: string;
}

export interface ErrorMessageEnvelope {
  envelopeType: "ErrorMessageEnvelope";
  clientRequestId?: string;
  namespace?: string;
  payloadType: string;
  phase: string;
  payload: string;
  correlationIdRef: string;
}

export type ObjectExtensionEnvelope = HalfDuplexEnvelope | ErrorMessageEnvelope;

/** The echo test payload. */
export interface Echo { message: string; }

/** The payload an extension answers with to fail a blocking phase. */
export interface ExtensionErrorMessage {
  message: string;
  majorErrorCode: number;
  minorErrorCode?: string;
  vendorSpecificErrorCode?: string;
  errorStackTrace?: string;
}

/** The payload types of network.xsd, decoded into their typed model. */
export type NetworkPayloadType =
  | "ResolveNetworksBackingRequest" | "ResolveNetworksBackingResponse"
  | "NetworkCreationRequest" | "NetworkCreationResponse"
  | "NetworkDeletionRequest" | "NetworkDeletionResponse"
  | "CreateTransportZoneRequest" | "CreateTransportZoneResponse"
  | "UpdateTransportZoneRequest" | "UpdateTransportZoneResponse"
  | "DeleteTransportZoneRequest" | "DeleteTransportZoneResponse"
  | "MergeTransportZonesRequest" | "MergeTransportZonesResponse";

/** The envelope's payload decoded by `payloadType`: `typed` is true when the package has a
 * model for it (validated), false for other types (raw JSON). */
export type ObjectExtensionPayload =
  | { payloadType: "Echo"; typed: true; value: Echo }
  | { payloadType: "ExtensionErrorMessage"; typed: true; value: ExtensionErrorMessage }
  | { payloadType: NetworkPayloadType; typed: true; value: JsonObject }
  | { payloadType: string; typed: false; value: JsonValue };

export interface ObjectExtension {
  envelope: ObjectExtensionEnvelope;
  payload: ObjectExtensionPayload;
}

/** Result of `decodeObjectExtension`: what answering an object-extension request needs, the
 * same values as `decodeMessage`'s `body.objectExtension` plus the invocation's ids. Pass it to
 * `buildObjectExtensionReply` as the invocation. */
export interface ObjectExtensionRequest extends ObjectExtension {
  /** `headers.taskId`, else `_metadata.taskId` of the invocation arguments. */
  taskId: string | null;
  /** `headers.entityId`. */
  entityId: string | null;
}

// ---- BEHAVIOR_RESPONSE

export interface BehaviorResponseHeaders {
  taskId?: string;
  entityId?: string;
  /** Absent or "plain/text": text; "application/vnd.vmware.vcloud.task+json": task update. */
  contentType?: string;
}

export type TaskStatus =
  | "pending" | "pre-running" | "running" | "success"
  | "aborted" | "error" | "canceled" | "expectingAction";

export interface TaskUpdate {
  status: TaskStatus;
  operation?: string;
  details?: string;
  /** 0..100. */
  progress?: number;
  result?: { resultContent?: JsonValue };
  error?: { majorErrorCode?: number; minorErrorCode?: string; message?: string };
}

export type BehaviorResponseContent =
  | { kind: "text"; text: string }
  | { kind: "taskUpdate"; taskUpdate: TaskUpdate };

export interface BehaviorResponseBody {
  kind: "behaviorResponse";
  headers: BehaviorResponseHeaders;
  content: BehaviorResponseContent;
  /** The object-extension layers when the text is a HalfDuplexEnvelope reply, else null. */
  objectExtension: ObjectExtension | null;
}

// ---- API_REQUEST / API_RESPONSE

export interface SecurityContext {
  apiAccessToken?: string;
  user?: string;
  org?: string;
  rights?: string[] | null;
  parameters?: JsonValue;
}

export interface ApiRequestHeaders {
  requestId?: string;
  context?: SecurityContext;
}

export interface HttpMessage {
  isRequest?: boolean;
  request?: boolean;
  id?: string;
  method?: string;
  requestUri?: string;
  queryString?: string;
  protocol?: string;
  scheme?: string;
  remoteAddr?: string;
  remotePort?: number;
  localAddr?: string;
  localPort?: number;
  headers?: { [name: string]: string };
  formData?: JsonValue;
  formDataEncoding?: string;
  /** The HTTP body bytes. */
  body?: Uint8Array;
  statusCode?: number;
}

export interface ApiRequestPayload {
  message: HttpMessage;
  securityContext?: SecurityContext;
  context?: JsonValue;
}

/** How a message wrote its bytes. */
export type BytesForm = "base64" | "base64Unpadded" | "array" | "signedArray";

export interface ApiRequestBody {
  kind: "apiRequest";
  headers: ApiRequestHeaders;
  /** The decoded `httpRequest` bytes. */
  request: ApiRequestPayload;
  bytesForm: BytesForm;
  linkApiBaseUrl: string | null;
}

export interface HttpResponse {
  statusCode: number;
  headers?: { [name: string]: string };
  body?: Uint8Array;
}

export interface ApiResponseBody {
  kind: "apiResponse";
  headers: { requestId?: string };
  response: HttpResponse;
  responseForm: BytesForm | null;
}

// ---- notifications

export interface EntityLink {
  rel: string;
  type?: string;
  name?: string;
  id?: string;
}

/** A notification, from the JSON or the XML form. */
export interface Notification {
  eventId?: string;
  /** e.g. "com/vmware/vcloud/event/vapp/create". */
  type?: string;
  timestamp?: string;
  operationSuccess?: boolean;
  user?: string;
  org?: string;
  entity?: string;
  task?: string;
  taskOwner?: string;
  entityResolver?: string;
  entityLinks?: EntityLink[];
}

export interface NotificationBody {
  kind: "notification";
  format: "json" | "xml";
  headers: { contentType?: string };
  notification: Notification;
}

// ---- builders and helpers

/** A message as the PUBLISH payload carried it: bytes or text. */
export type MessageInput = Uint8Array | string;

/** `buildBehaviorResponse`: a text result, or a task update. */
export type BehaviorResponseInput =
  | { text: string; taskUpdate?: undefined }
  | { taskUpdate: TaskUpdate; text?: undefined };

/** `buildObjectExtensionReply`: the payload document and its type. */
export interface ObjectExtensionPayloadInput {
  payloadType: string;
  value: JsonValue | Echo | ExtensionErrorMessage;
}

/** `buildApiResponse`. */
export interface ApiResponseInput {
  statusCode: number;
  headers?: { [name: string]: string };
  body?: Uint8Array | string;
}

/** An extension service's identity. */
export interface ExtensionServiceInput {
  vendor: string;
  name: string;
  version: string;
}

/** Result of `extensionService`. */
export interface ExtensionServiceInfo {
  vendor: string;
  name: string;
  version: string;
  /** `urn:vcloud:extension-api:VENDOR:NAME:VERSION` */
  urn: string;
  /** Cloud Director -> extension: `topic/extension/VENDOR/NAME/VERSION/ext` */
  monitorTopic: string;
  /** extension -> Cloud Director: `topic/extension/VENDOR/NAME/VERSION/vcd` */
  respondTopic: string;
  /** The CONNECT user name: `VENDOR/NAME/VERSION` */
  userName: string;
}
"#;

#[wasm_bindgen]
extern "C" {
    /// `DecodeOptions` (TypeScript interface).
    #[wasm_bindgen(typescript_type = "DecodeOptions")]
    pub type DecodeOptionsArg;
    /// `ConnectOptions`.
    #[wasm_bindgen(typescript_type = "ConnectOptions")]
    pub type ConnectOptionsArg;
    /// `PublishOptions`.
    #[wasm_bindgen(typescript_type = "PublishOptions")]
    pub type PublishOptionsArg;
    /// `SubscribeOptions`.
    #[wasm_bindgen(typescript_type = "SubscribeOptions")]
    pub type SubscribeOptionsArg;
    /// `UnsubscribeOptions`.
    #[wasm_bindgen(typescript_type = "UnsubscribeOptions")]
    pub type UnsubscribeOptionsArg;
    /// `PacketInput`.
    #[wasm_bindgen(typescript_type = "PacketInput")]
    pub type PacketInputArg;
    /// `MessageInput`.
    #[wasm_bindgen(typescript_type = "MessageInput")]
    pub type MessageInputArg;
    /// `BehaviorResponseInput`.
    #[wasm_bindgen(typescript_type = "BehaviorResponseInput")]
    pub type BehaviorResponseInputArg;
    /// `ObjectExtensionPayloadInput`.
    #[wasm_bindgen(typescript_type = "ObjectExtensionPayloadInput")]
    pub type ObjectExtensionPayloadInputArg;
    /// `MessageInput | ObjectExtensionRequest`.
    #[wasm_bindgen(typescript_type = "MessageInput | ObjectExtensionRequest")]
    pub type ObjectExtensionInvocationArg;
    /// `ApiResponseInput`.
    #[wasm_bindgen(typescript_type = "ApiResponseInput")]
    pub type ApiResponseInputArg;
    /// `ExtensionServiceInput | string`.
    #[wasm_bindgen(typescript_type = "ExtensionServiceInput | string")]
    pub type ExtensionServiceInputArg;
}
