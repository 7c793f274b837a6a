// A reader of just enough of OTLP's protobuf (opentelemetry/proto/collector/trace/v1) for the tracing
// tests' collector stub to see what an app exported with the default http/protobuf protocol.

type FieldValue = Buffer | bigint;
type Message = Map<number, FieldValue[]>;

/** Splits one protobuf message into its fields: length-delimited ones as bytes, varints and fixed ones as numbers. */
function fields(bytes: Buffer): Message {
  const message: Message = new Map();
  let offset = 0;
  const varint = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  while (offset < bytes.length) {
    const tag = varint();
    const field = Number(tag >> 3n);
    let value: FieldValue;
    switch (Number(tag & 7n)) {
      case 0:
        value = varint();
        break;
      case 1:
        value = bytes.readBigUInt64LE(offset);
        offset += 8;
        break;
      case 2: {
        const length = Number(varint());
        value = bytes.subarray(offset, offset + length);
        offset += length;
        break;
      }
      case 5:
        value = BigInt(bytes.readUInt32LE(offset));
        offset += 4;
        break;
      default:
        throw new Error(`unsupported wire type in field ${field}`);
    }
    message.set(field, [...(message.get(field) ?? []), value]);
  }
  return message;
}

const messages = (message: Message, field: number): Message[] =>
  (message.get(field) ?? []).filter((value): value is Buffer => Buffer.isBuffer(value)).map(fields);
const EMPTY: Message = new Map();
const bytesOf = (message: Message, field: number): Buffer => {
  const value = message.get(field)?.[0];
  return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
};

/** KeyValue list → plain object; AnyValue's string (1), bool (2) and int (3) values are kept. */
function attributes(keyValues: Message[]): Record<string, unknown> {
  const entries = keyValues.map((keyValue) => {
    const anyValue = messages(keyValue, 2)[0] ?? EMPTY;
    const [kind, values] = [...anyValue][0] ?? [0, []];
    const raw = values[0];
    const value =
      kind === 1 && Buffer.isBuffer(raw) ? raw.toString() : kind === 2 ? raw === 1n : typeof raw === 'bigint' ? Number(raw) : undefined;
    return [bytesOf(keyValue, 1).toString(), value] as const;
  });
  return Object.fromEntries(entries);
}

/** An ExportTraceServiceRequest in the shape of OTLP/JSON's, so one collector reads both protocols. */
export function decodeOtlpTraces(body: Buffer): Record<string, unknown> {
  const request = fields(body);
  const keyValues = (list: Message[]) => Object.entries(attributes(list)).map(([key, value]) => ({ key, value: { value } }));
  return {
    resourceSpans: messages(request, 1).map((resourceSpans) => ({
      resource: { attributes: keyValues(messages(messages(resourceSpans, 1)[0] ?? EMPTY, 1)) },
      scopeSpans: messages(resourceSpans, 2).map((scopeSpans) => ({
        scope: { name: bytesOf(messages(scopeSpans, 1)[0] ?? EMPTY, 1).toString() },
        spans: messages(scopeSpans, 2).map((span) => ({
          traceId: bytesOf(span, 1).toString('hex'),
          spanId: bytesOf(span, 2).toString('hex'),
          parentSpanId: bytesOf(span, 4).toString('hex'),
          name: bytesOf(span, 5).toString(),
          attributes: keyValues(messages(span, 9)),
        })),
      })),
    })),
  };
}
