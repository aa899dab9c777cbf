// A minimal DER reader and writer: just enough ASN.1 to build an RFC 3161 request and read a timestamp token.

/** One decoded DER element: its tag byte, the full encoding and the contents. */
export interface DerNode {
  readonly tag: number;
  /** The whole element (tag, length, contents): what a signature over an element covers. */
  readonly raw: Uint8Array;
  readonly content: Uint8Array;
}

/** Thrown by the reader on malformed input; callers turn it into their own coded error. */
export class DerError extends Error {}

/** Reads the element starting at `offset`; returns it and the offset after it. */
export function readDer(buf: Uint8Array, offset = 0): { node: DerNode; next: number } {
  if (offset + 2 > buf.length) throw new DerError('truncated DER element');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte DER tags are not supported');
  let len = buf[offset + 1]!;
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('unsupported DER length');
    if (pos + n > buf.length) throw new DerError('truncated DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i]!;
    pos += n;
  }
  const end = pos + len;
  if (end > buf.length) throw new DerError('DER element runs past its container');
  return { node: { tag, raw: buf.subarray(offset, end), content: buf.subarray(pos, end) }, next: end };
}

/** The whole buffer as exactly one element (no trailing bytes). */
export function readDerOne(buf: Uint8Array): DerNode {
  const { node, next } = readDer(buf, 0);
  if (next !== buf.length) throw new DerError('trailing bytes after DER element');
  return node;
}

/** The children of a constructed element. */
export function derChildren(node: DerNode): DerNode[] {
  const out: DerNode[] = [];
  let pos = 0;
  while (pos < node.content.length) {
    const { node: child, next } = readDer(node.content, pos);
    out.push(child);
    pos = next;
  }
  return out;
}

/** The child at `index`, required to carry `tag`. */
export function derChild(node: DerNode, index: number, tag: number): DerNode {
  const child = derChildren(node)[index];
  if (child === undefined || child.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)} at position ${index}`);
  return child;
}

/** Dotted text of an OBJECT IDENTIFIER's contents. */
export function derOid(node: DerNode): string {
  if (node.tag !== 0x06 || node.content.length === 0) throw new DerError('expected an OBJECT IDENTIFIER');
  const c = node.content;
  const parts: number[] = [];
  let value = 0;
  for (const byte of c) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** A GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z) as a Date. */
export function derGeneralizedTime(node: DerNode): Date {
  if (node.tag !== 0x18) throw new DerError('expected a GeneralizedTime');
  const text = Buffer.from(node.content).toString('latin1');
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text);
  if (!m) throw new DerError(`unsupported GeneralizedTime ${JSON.stringify(text)}`);
  const ms = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
}

function encodeLength(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** Encodes one element from its tag and contents. */
export function derEncode(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(contents);
  return Buffer.concat([Uint8Array.of(tag), encodeLength(body.length), body]);
}

/** A DER OBJECT IDENTIFIER from dotted text. */
export function derEncodeOid(oid: string): Uint8Array {
  const parts = oid.split('.').map(Number);
  const bytes: number[] = [(parts[0] ?? 0) * 40 + (parts[1] ?? 0)];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let v = Math.floor(part / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return derEncode(0x06, Uint8Array.from(bytes));
}

/** A non-negative DER INTEGER from big-endian magnitude bytes. */
export function derEncodeUnsigned(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start++;
  const trimmed = magnitude.subarray(start);
  const needsPad = (trimmed[0] ?? 0) & 0x80;
  return derEncode(0x02, needsPad ? Buffer.concat([Uint8Array.of(0), trimmed]) : trimmed);
}
