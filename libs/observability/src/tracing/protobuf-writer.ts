export const VARINT = 0;
export const FIXED64 = 1;
export const LENGTH_DELIMITED = 2;
export const FIXED32 = 5;

/**
 * Protobuf wire-format primitives into one growing buffer, in one pass: a nested message's length prefix
 * is reserved at its likely width (`open`) and its body moved only when the width was wrong (`close`),
 * so no sizing pass is needed. Varints are canonical (minimal), as every encoder writes them.
 */
export class ProtobufWriter {
  private buffer: Buffer;
  private pos = 0;

  constructor(size: number) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  finish(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** An int64 or uint64 varint: negative numbers in ten bytes, two's complement, as protobuf writes them. */
  varint(value: number): void {
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

  fixed32(value: number): void {
    this.ensure(4);
    this.buffer.writeUInt32LE(value >>> 0, this.pos);
    this.pos += 4;
  }

  fixed64(low: number, high: number): void {
    this.ensure(8);
    this.buffer.writeUInt32LE(low >>> 0, this.pos);
    this.buffer.writeUInt32LE(high >>> 0, this.pos + 4);
    this.pos += 8;
  }

  double(value: number): void {
    this.ensure(8);
    this.buffer.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * A length-delimited string field. A value that is not a string (a span named with a number) is written
   * empty, as the reference serializer writes it; for null or undefined the reference throws and loses the batch.
   */
  stringField(field: number, text: string): void {
    this.tag(field, LENGTH_DELIMITED);
    if (typeof text !== 'string') {
      this.varint(0);
      return;
    }
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

  /** A length-delimited bytes field written from hex (a span or trace id), one byte per pair of digits. */
  hexField(field: number, hex: string): void {
    const length = hex.length >>> 1;
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
    this.ensure(length);
    const buffer = this.buffer;
    let pos = this.pos;
    for (let i = 0; i < length; i++) buffer[pos++] = (hexDigit(hex.charCodeAt(2 * i)) << 4) | hexDigit(hex.charCodeAt(2 * i + 1));
    this.pos = pos;
  }

  /** Bytes already encoded (a cached field), as they are. */
  raw(encoded: Uint8Array): void {
    this.ensure(encoded.length);
    this.buffer.set(encoded, this.pos);
    this.pos += encoded.length;
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.ensure(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  /** Reserves `width` bytes for a length prefix; returns where the message's prefix starts. */
  open(width: number): number {
    this.ensure(width);
    const start = this.pos;
    this.pos += width;
    return start;
  }

  /** Writes the length of the message opened at `start`, moving its body when the reserve was the wrong width. */
  close(start: number, width: number): void {
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

function varintSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x4000) return 2;
  if (value < 0x200000) return 3;
  if (value < 0x10000000) return 4;
  return 5;
}

/** A hex digit's value as the reference's hexToBinary reads it (0-9, a-f, anything else as A-F). */
function hexDigit(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return code - 55;
}
