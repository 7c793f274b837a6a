import type { AttributeValue, Attributes, HrTime, Link } from '@opentelemetry/api';
import type { tracing } from '@opentelemetry/sdk-node';

type ReadableSpan = tracing.ReadableSpan;
type TimedEvent = tracing.TimedEvent;
type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

const LENGTH_DELIMITED = 2;
const VARINT = 0;
const FIXED64 = 1;
const FIXED32 = 5;
const SPAN_FLAGS_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_IS_REMOTE = 0x200;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
// Attribute keys come from a small vocabulary: each is encoded once. Bounded, whatever a caller sends.
const KEY_CACHE_LIMIT = 1024;

/**
 * An OTLP ExportTraceServiceRequest in protobuf, byte for byte what @opentelemetry/otlp-transformer's
 * ProtobufTraceSerializer writes (its field order, its explicit zero counts), in one pass instead of a
 * sizing pass and a writing pass: length prefixes are reserved at their likely width and moved only
 * when wrong, ids are written from hex in place, attribute keys are encoded once. About a fifth of
 * its CPU per span, and the export runs for every span a traced request makes (bench/RESULTS.md).
 */
export function encodeTraceExportRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const writer = new SpanWriter(spans.length * 384 + 256);
  for (const [resource, scopes] of groupByResourceAndScope(spans)) {
    writer.tag(1, LENGTH_DELIMITED);
    writer.resourceSpans(resource, scopes);
  }
  return writer.finish();
}

function groupByResourceAndScope(spans: readonly ReadableSpan[]): Map<Resource, Map<Scope, ReadableSpan[]>> {
  const byResource = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = byResource.get(span.resource);
    if (!byScope) byResource.set(span.resource, (byScope = new Map<Scope, ReadableSpan[]>()));
    let records = byScope.get(span.instrumentationScope);
    if (!records) byScope.set(span.instrumentationScope, (records = []));
    records.push(span);
  }
  return byResource;
}

const encodedKeys = new Map<string, Buffer>();

class SpanWriter {
  private buffer: Buffer;
  private pos = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  resourceSpans(resource: Resource, scopes: Map<Scope, ReadableSpan[]>): void {
    const start = this.open(3);
    this.tag(1, LENGTH_DELIMITED);
    const resourceStart = this.open(2);
    this.attributes(resource.attributes, 1);
    this.tag(2, VARINT);
    this.varint(0);
    this.close(resourceStart, 2);
    for (const [scope, spans] of scopes) {
      this.tag(2, LENGTH_DELIMITED);
      this.scopeSpans(scope, spans);
    }
    if (resource.schemaUrl) this.stringField(3, resource.schemaUrl);
    this.close(start, 3);
  }

  private scopeSpans(scope: Scope, spans: readonly ReadableSpan[]): void {
    const start = this.open(3);
    this.tag(1, LENGTH_DELIMITED);
    const scopeStart = this.open(1);
    this.stringField(1, scope.name);
    if (scope.version) this.stringField(2, scope.version);
    const { attributes, droppedAttributesCount } = scope as Scope & { attributes?: Attributes; droppedAttributesCount?: number };
    if (attributes) this.attributes(attributes, 3);
    if (droppedAttributesCount) {
      this.tag(4, VARINT);
      this.varint(droppedAttributesCount);
    }
    this.close(scopeStart, 1);
    for (const span of spans) {
      this.tag(2, LENGTH_DELIMITED);
      this.span(span);
    }
    if (scope.schemaUrl) this.stringField(3, scope.schemaUrl);
    this.close(start, 3);
  }

  private span(span: ReadableSpan): void {
    const start = this.open(2);
    const context = span.spanContext();
    this.idField(1, context.traceId);
    this.idField(2, context.spanId);
    const traceState = context.traceState?.serialize();
    if (traceState) this.stringField(3, traceState);
    const parent = span.parentSpanContext;
    if (parent?.spanId) this.idField(4, parent.spanId);
    this.stringField(5, span.name);
    // SpanKind is numbered from INTERNAL = 0 in the API, from UNSPECIFIED = 0 on the wire.
    if (span.kind != null) {
      this.tag(6, VARINT);
      this.varint(span.kind + 1);
    }
    this.tag(7, FIXED64);
    this.hrTime(span.startTime);
    this.tag(8, FIXED64);
    this.hrTime(span.endTime);
    if (span.attributes) this.attributes(span.attributes, 9);
    this.tag(10, VARINT);
    this.varint(span.droppedAttributesCount);
    for (const event of span.events) {
      this.tag(11, LENGTH_DELIMITED);
      this.event(event);
    }
    this.tag(12, VARINT);
    this.varint(span.droppedEventsCount);
    for (const link of span.links) {
      this.tag(13, LENGTH_DELIMITED);
      this.link(link);
    }
    this.tag(14, VARINT);
    this.varint(span.droppedLinksCount);
    this.tag(15, LENGTH_DELIMITED);
    const statusStart = this.open(1);
    if (span.status.message) this.stringField(2, span.status.message);
    this.tag(3, VARINT);
    this.varint(span.status.code);
    this.close(statusStart, 1);
    this.tag(16, FIXED32);
    this.fixed32(spanFlags(context.traceFlags, parent?.isRemote));
    this.close(start, 2);
  }

  private event(event: TimedEvent): void {
    const start = this.open(1);
    this.tag(1, FIXED64);
    this.hrTime(event.time);
    this.stringField(2, event.name);
    if (event.attributes) this.attributes(event.attributes, 3);
    this.tag(4, VARINT);
    this.varint(event.droppedAttributesCount || 0);
    this.close(start, 1);
  }

  private link(link: Link & { droppedAttributesCount?: number }): void {
    const start = this.open(1);
    const context = link.context;
    this.idField(1, context.traceId);
    this.idField(2, context.spanId);
    const traceState = context.traceState?.serialize();
    if (traceState) this.stringField(3, traceState);
    if (link.attributes) this.attributes(link.attributes, 4);
    this.tag(5, VARINT);
    this.varint(link.droppedAttributesCount || 0);
    this.tag(6, FIXED32);
    this.fixed32(spanFlags(context.traceFlags, context.isRemote));
    this.close(start, 1);
  }

  private attributes(attributes: Attributes, field: number): void {
    for (const key in attributes) {
      if (!Object.prototype.hasOwnProperty.call(attributes, key)) continue;
      this.tag(field, LENGTH_DELIMITED);
      const start = this.open(1);
      this.key(key);
      this.tag(2, LENGTH_DELIMITED);
      const valueStart = this.open(1);
      this.anyValue(attributes[key]);
      this.close(valueStart, 1);
      this.close(start, 1);
    }
  }

  /** KeyValue.key: field 1, from the cache when the key was seen before. */
  private key(key: string): void {
    let encoded = encodedKeys.get(key);
    if (!encoded) {
      const keyWriter = new SpanWriter(key.length * 3 + 8);
      keyWriter.stringField(1, key);
      encoded = Buffer.from(keyWriter.finish());
      if (encodedKeys.size < KEY_CACHE_LIMIT) encodedKeys.set(key, encoded);
    }
    this.ensure(encoded.length);
    encoded.copy(this.buffer, this.pos);
    this.pos += encoded.length;
  }

  private anyValue(value: unknown): void {
    if (typeof value === 'string') {
      this.stringField(1, value);
    } else if (typeof value === 'boolean') {
      this.tag(2, VARINT);
      this.varint(value ? 1 : 0);
    } else if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
        this.tag(3, VARINT);
        this.varint(value);
      } else {
        this.tag(4, FIXED64);
        this.ensure(8);
        this.buffer.writeDoubleLE(value, this.pos);
        this.pos += 8;
      }
    } else if (value instanceof Uint8Array) {
      this.tag(7, LENGTH_DELIMITED);
      this.varint(value.length);
      this.ensure(value.length);
      this.buffer.set(value, this.pos);
      this.pos += value.length;
    } else if (Array.isArray(value)) {
      this.tag(5, LENGTH_DELIMITED);
      const start = this.open(1);
      for (const item of value as unknown[]) {
        this.tag(1, LENGTH_DELIMITED);
        const itemStart = this.open(1);
        this.anyValue(item);
        this.close(itemStart, 1);
      }
      this.close(start, 1);
    } else if (typeof value === 'object' && value !== null) {
      this.tag(6, LENGTH_DELIMITED);
      const start = this.open(1);
      const entries = value as Record<string, AttributeValue | undefined>;
      for (const key in entries) {
        if (!Object.prototype.hasOwnProperty.call(entries, key)) continue;
        this.tag(1, LENGTH_DELIMITED);
        const entryStart = this.open(1);
        this.stringField(1, key);
        this.tag(2, LENGTH_DELIMITED);
        const valueStart = this.open(1);
        this.anyValue(entries[key]);
        this.close(valueStart, 1);
        this.close(entryStart, 1);
      }
      this.close(start, 1);
    }
    // null and undefined: an empty AnyValue, as the reference serializer writes it.
  }

  /** A span or trace id (hex in the API, bytes on the wire). */
  private idField(field: number, hex: string): void {
    const length = hex.length >>> 1;
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
    this.ensure(length);
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < hex.length; i += 2) buffer[pos++] = (hexDigit(hex.charCodeAt(i)) << 4) | hexDigit(hex.charCodeAt(i + 1));
    this.pos = pos;
  }

  private stringField(field: number, text: string): void {
    this.tag(field, LENGTH_DELIMITED);
    const length = text.length;
    // Up to 127 UTF-16 units of ASCII: a one-byte length and one byte per unit, the common case.
    if (length < 0x80) {
      this.ensure(length + 1);
      const buffer = this.buffer;
      let pos = this.pos + 1;
      let ascii = true;
      for (let i = 0; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code > 0x7f) {
          ascii = false;
          break;
        }
        buffer[pos++] = code;
      }
      if (ascii) {
        buffer[this.pos] = length;
        this.pos = pos;
        return;
      }
    }
    const bytes = Buffer.byteLength(text, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += this.buffer.write(text, this.pos, bytes, 'utf8');
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** An int64 or uint64 varint: negative numbers in ten bytes, two's complement, as protobuf writes them. */
  private varint(value: number): void {
    this.ensure(10);
    const buffer = this.buffer;
    if (value >= 0 && value <= 0xffffffff) {
      let v = value >>> 0;
      while (v > 0x7f) {
        buffer[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      buffer[this.pos++] = v;
      return;
    }
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = (value / 0x100000000) >>> 0;
    } else {
      const magnitude = Math.abs(value);
      low = ~(magnitude >>> 0) >>> 0;
      high = ~((magnitude / 0x100000000) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buffer[this.pos++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.pos++] = low & 0x7f;
  }

  private fixed32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  /** Nanoseconds since the epoch as a fixed64, from [seconds, nanoseconds], exact beyond 2^53. */
  private hrTime([seconds, nanos]: HrTime): void {
    const lowNanos = (seconds & 0xffff) * 1e9;
    const highNanos = ((seconds / 0x10000) >>> 0) * 1e9;
    const low = (lowNanos >>> 0) + ((((highNanos & 0xffff) * 0x10000) >>> 0) + nanos);
    const high = Math.floor(lowNanos / 0x100000000) + ((highNanos / 0x10000) >>> 0) + Math.floor(low / 0x100000000);
    this.ensure(8);
    this.buffer.writeUInt32LE(low >>> 0, this.pos);
    this.buffer.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  /** Reserves `width` bytes for a length prefix; returns where the message's prefix starts. */
  private open(width: number): number {
    this.ensure(width);
    const start = this.pos;
    this.pos += width;
    return start;
  }

  /** Writes the length of the message opened at `start`, moving its body when the reserve was the wrong width. */
  private close(start: number, width: number): void {
    const length = this.pos - start - width;
    const needed = varintSize(length);
    if (needed !== width) {
      this.ensure(needed - width);
      this.buffer.copyWithin(start + needed, start + width, this.pos);
      this.pos += needed - width;
    }
    let v = length;
    let pos = start;
    while (v > 0x7f) {
      this.buffer[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    this.buffer[pos] = v;
  }

  private ensure(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.pos + bytes));
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
  }
}

function spanFlags(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | SPAN_FLAGS_HAS_IS_REMOTE | (isRemote ? SPAN_FLAGS_IS_REMOTE : 0);
}

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** As the reference's hexToBinary reads a digit (0-9, a-f, else as A-F). */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}
