import { parseIpAddress } from '../geo/ip-address.js';

// A minimal MaxMind DB writer for tests (https://maxmind.github.io/MaxMind-DB/): an IPv6
// search tree (IPv4 under ::/96, as in GeoLite2), 32-bit records, and a data section of maps,
// strings, doubles and unsigned ints. Enough to build a GeoLite2-City-shaped fixture without
// shipping MaxMind's licensed data.

type Value = string | number | { readonly [key: string]: Value } | readonly Value[];
type Slot = { readonly node: number } | { readonly data: number } | null;

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex');

export function writeCityMmdb(
  networks: readonly { readonly cidr: string; readonly record: Value }[],
  databaseType = 'GeoLite2-City',
): Buffer {
  const data: Buffer[] = [];
  let dataLength = 0;
  const nodes: [Slot, Slot][] = [[null, null]];
  for (const { cidr, record } of networks) {
    const offset = dataLength;
    const encoded = encode(record);
    data.push(encoded);
    dataLength += encoded.length;
    const bits = prefixBits(cidr);
    let node = 0;
    bits.forEach((bit, depth) => {
      const slots = nodes[node] as [Slot, Slot];
      if (depth === bits.length - 1) {
        slots[bit] = { data: offset };
        return;
      }
      const next = slots[bit];
      if (next && 'node' in next) {
        node = next.node;
      } else {
        nodes.push([null, null]);
        node = nodes.length - 1;
        slots[bit] = { node };
      }
    });
  }
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 8);
  nodes.forEach((slots, index) => {
    slots.forEach((slot, side) => {
      const value = slot === null ? nodeCount : 'node' in slot ? slot.node : nodeCount + 16 + slot.data;
      tree.writeUInt32BE(value, index * 8 + side * 4);
    });
  });
  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000,
    database_type: databaseType,
    description: { en: 'test fixture' },
    ip_version: 6,
    languages: ['en'],
    node_count: nodeCount,
    record_size: 32,
  });
  return Buffer.concat([tree, Buffer.alloc(16), ...data, METADATA_MARKER, metadata]);
}

function prefixBits(cidr: string): (0 | 1)[] {
  const [text = '', lengthText = ''] = cidr.split('/');
  const ip = parseIpAddress(text);
  if (!ip) throw new TypeError(`bad network ${cidr}`);
  const bytes = ip.family === 4 ? Buffer.concat([Buffer.alloc(12), Buffer.from(ip.address.split('.').map(Number))]) : ipv6Bytes(ip.address);
  const length = Number(lengthText) + (ip.family === 4 ? 96 : 0);
  return Array.from({ length }, (_, i) => (((bytes[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) as 0 | 1);
}

function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (part: string | undefined): string[] => (part ? part.split(':') : []);
  const known = [...groups(head), ...groups(tail)];
  const all = tail === undefined ? known : [...groups(head), ...Array<string>(8 - known.length).fill('0'), ...groups(tail)];
  return Buffer.from(all.map((group) => group.padStart(4, '0')).join(''), 'hex');
}

function encode(value: Value): Buffer {
  if (typeof value === 'string') return withControl(2, Buffer.from(value, 'utf8'), Buffer.byteLength(value));
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) {
      const bytes = Buffer.alloc(4);
      bytes.writeUInt32BE(value);
      const minimal = bytes.subarray(bytes.findIndex((b) => b !== 0) === -1 ? 4 : bytes.findIndex((b) => b !== 0));
      return withControl(6, minimal, minimal.length);
    }
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value);
    return withControl(3, bytes, 8);
  }
  if (Array.isArray(value)) return withControl(11, Buffer.concat(value.map(encode)), value.length);
  const entries = Object.entries(value as Record<string, Value>);
  return withControl(7, Buffer.concat(entries.flatMap(([key, item]) => [encode(key), encode(item)])), entries.length);
}

function withControl(type: number, payload: Buffer, size: number): Buffer {
  if (size >= 29) throw new RangeError('the test writer only encodes sizes below 29');
  // Types above 7 are "extended": type bits 0 and the type - 7 in the next byte.
  const head = type <= 7 ? [(type << 5) | size] : [size, type - 7];
  return Buffer.concat([Buffer.from(head), payload]);
}
