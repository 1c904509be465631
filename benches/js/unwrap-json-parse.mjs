// The baseline of the VCD unwrap rows (bench.mjs, message-bench.mjs): the object-extension
// invocation taken apart with TextDecoder + JSON.parse, layer by layer (message, its payload
// string, the invocation's arguments, the envelope's payload string), as a plugin would by hand.
const utf8 = new TextDecoder();

/** Bytes of a VCD message to `{ payloadType, phase, payload }` of its HalfDuplexEnvelope. */
export function unwrapJsonParse(bytes) {
  const message = JSON.parse(utf8.decode(bytes));
  const payload = typeof message.payload === "string" ? message.payload : message.headers?.payload;
  if (typeof payload !== "string") throw new Error("message.payload: not a string");
  const invocation = JSON.parse(payload);
  let envelope = invocation.arguments;
  if (typeof envelope === "string") envelope = JSON.parse(envelope);
  if (envelope === null || typeof envelope !== "object") throw new Error("message.payload.arguments: not an object");
  if (typeof envelope.payload !== "string") throw new Error("message.payload.arguments.payload: not a string");
  return { payloadType: envelope.payloadType, phase: envelope.phase, payload: JSON.parse(envelope.payload) };
}
