// RFC 3161 timestamps: the request (imprint = sha256 of the signature bytes), an http(s) POST to a TSA, and
// verification of a token's CMS signature, imprint and certificate chain against the TSA certificates given.
import { X509Certificate, createHash, randomBytes, verify as cryptoVerify } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { PeTraceError } from '../errors.js';
import { type DerNode, DerError, derChild, derChildren, derEncode, derEncodeOid, derEncodeUnsigned, derGeneralizedTime, derOid, readDerOne } from './der.js';

const OID_SHA256 = '2.16.840.1.101.3.4.2.1';
const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_TST_INFO = '1.2.840.113549.1.9.16.1.4';
const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
const OID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';
/** CMS digest algorithm OIDs we accept, by node:crypto name. */
const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Largest TSA response read (a token with a short chain is a few KiB). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

const IMPRINT_OIDS = { sha256: OID_SHA256, sha512: '2.16.840.1.101.3.4.2.3' } as const;
export type ImprintHash = keyof typeof IMPRINT_OIDS;

/** A DER TimeStampReq for hash(data) (sha256 by default), with a random nonce and certReq TRUE (the TSA embeds its certificate). */
export function buildTimestampRequest(data: Uint8Array, hash: ImprintHash = 'sha256'): Uint8Array {
  const imprint = derEncode(
    0x30,
    derEncode(0x30, derEncodeOid(IMPRINT_OIDS[hash]), Uint8Array.of(0x05, 0x00)),
    derEncode(0x04, createHash(hash).update(data).digest()),
  );
  return derEncode(0x30, Uint8Array.of(0x02, 0x01, 0x01), imprint, derEncodeUnsigned(randomBytes(8)), Uint8Array.of(0x01, 0x01, 0xff));
}

/**
 * POSTs a request for sha256(signature) to a TSA URL (http:// or https://) and returns its whole TimeStampResp (DER),
 * refused unless granted: Sigstore bundles store the response, not the bare token.
 */
export async function requestTimestamp(url: string, signature: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
  const reply = await requestTimestampReply(url, signature, 'sha256', options);
  tokenFromResponse(reply, url);
  return reply;
}

/** The whole TimeStampResp (what tro-utils stores as `.tsr`) for hash(data); its status is checked by the caller. */
export async function requestTimestampReply(url: string, data: Uint8Array, hash: ImprintHash, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PeTraceError('USAGE', `--tsa ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new PeTraceError('USAGE', `--tsa ${JSON.stringify(url)}: only http:// and https:// TSAs are supported`);
  return post(parsed, buildTimestampRequest(data, hash), options.timeoutMs ?? 30_000);
}

function post(url: URL, body: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const fail = (why: string): PeTraceError => new PeTraceError('TSA_FAILED', `timestamp authority ${url.origin}: ${why}`);
  return new Promise((resolve, reject) => {
    const req = send(url, { method: 'POST', headers: { 'content-type': 'application/timestamp-query', 'content-length': body.length }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      res.on('data', (c: Buffer) => {
        total += c.length;
        if (total > MAX_RESPONSE_BYTES) {
          req.destroy();
          reject(fail('reply is over 1 MiB'));
        } else chunks.push(c);
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(fail(`HTTP ${res.statusCode ?? '?'}`));
        else resolve(new Uint8Array(Buffer.concat(chunks)));
      });
      res.on('error', (e) => reject(fail(e.message)));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => reject(fail(e.message)));
    req.end(body);
  });
}

/** The TimeStampToken of a TimeStampResp whose status is granted (0) or grantedWithMods (1). */
export function tokenFromResponse(reply: Uint8Array, url: string): Uint8Array {
  const origin = ((): string => {
    try {
      return new URL(url).origin;
    } catch {
      return '';
    }
  })();
  try {
    const resp = readDerOne(reply);
    const [statusInfo, token] = derChildren(resp);
    const status = statusInfo === undefined ? undefined : derChildren(statusInfo)[0];
    const code = status?.tag === 0x02 ? status.content.reduce((n, b) => n * 256 + b, 0) : -1;
    if (code !== 0 && code !== 1) throw new PeTraceError('TSA_FAILED', `timestamp authority ${origin} refused the request (status ${code})`);
    if (token === undefined) throw new DerError('granted reply without a token');
    return new Uint8Array(token.raw);
  } catch (e) {
    if (e instanceof PeTraceError) throw e;
    throw new PeTraceError('TSA_FAILED', `timestamp authority ${origin} sent an unreadable reply: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export interface VerifiedTimestamp {
  /** The TSA's genTime: the trusted signing time. */
  readonly time: Date;
  /** Subject of the TSA certificate that signed the token. */
  readonly tsa: string;
}

interface ParsedToken {
  readonly tstInfo: Uint8Array;
  readonly imprintAlgorithm: string;
  readonly imprint: Uint8Array;
  readonly genTime: Date;
  readonly certificates: readonly X509Certificate[];
  readonly signerSerial: string;
  /** DER of the SignerInfo's issuer Name. */
  readonly signerIssuer: Uint8Array;
  readonly digestAlgorithm: string;
  readonly signedAttrs: Uint8Array;
  readonly contentTypeAttr: string;
  readonly messageDigestAttr: Uint8Array;
  readonly signature: Uint8Array;
}

/** DER of a certificate's issuer Name (TBSCertificate: [0] version?, serial, signature algorithm, issuer). */
function issuerDer(cert: X509Certificate): Uint8Array | undefined {
  try {
    const tbs = derChildren(derChild(readDerOne(cert.raw), 0, 0x30));
    const start = tbs[0]?.tag === 0xa0 ? 1 : 0;
    return tbs[start + 2]?.raw;
  } catch {
    return undefined;
  }
}

/** A serial number as comparable text: uppercase hex without leading zero digits (node writes `0A…`, DER may pad `00`). */
function normalSerial(hex: string): string {
  return hex.toUpperCase().replace(/^0+(?=.)/, '');
}

function hexOfInteger(node: DerNode): string {
  return normalSerial(Buffer.from(node.content).toString('hex'));
}

function parseToken(token: Uint8Array): ParsedToken {
  const contentInfo = readDerOne(token);
  if (derOid(derChild(contentInfo, 0, 0x06)) !== OID_SIGNED_DATA) throw new DerError('not a CMS SignedData');
  const signedData = derChild(derChild(contentInfo, 1, 0xa0), 0, 0x30);
  const parts = derChildren(signedData);
  const encap = parts[2];
  if (encap === undefined || encap.tag !== 0x30) throw new DerError('no encapsulated content');
  if (derOid(derChild(encap, 0, 0x06)) !== OID_TST_INFO) throw new DerError('encapsulated content is not a TSTInfo');
  const tstInfo = derChild(derChild(encap, 1, 0xa0), 0, 0x04).content;
  const tst = derChildren(readDerOne(tstInfo));
  const messageImprint = tst[2];
  const genTimeNode = tst[4];
  if (messageImprint === undefined || genTimeNode === undefined) throw new DerError('TSTInfo is incomplete');
  const imprintAlgorithm = derOid(derChild(derChild(messageImprint, 0, 0x30), 0, 0x06));
  const imprint = derChild(messageImprint, 1, 0x04).content;
  const certificates: X509Certificate[] = [];
  let signerInfos: DerNode | undefined;
  for (const p of parts.slice(3)) {
    if (p.tag === 0xa0) for (const c of derChildren(p)) if (c.tag === 0x30) certificates.push(new X509Certificate(Buffer.from(c.raw)));
    if (p.tag === 0x31) signerInfos = p;
  }
  const signerInfo = signerInfos === undefined ? undefined : derChildren(signerInfos)[0];
  if (signerInfo === undefined) throw new DerError('no SignerInfo');
  const si = derChildren(signerInfo);
  const sid = si[1];
  if (sid === undefined || sid.tag !== 0x30) throw new DerError('only issuerAndSerialNumber signer ids are supported');
  const signerSerial = hexOfInteger(derChild(sid, 1, 0x02));
  const signerIssuer = derChild(sid, 0, 0x30).raw;
  const digestAlgorithm = DIGESTS[derOid(derChild(derChild(signerInfo, 2, 0x30), 0, 0x06))];
  if (digestAlgorithm === undefined) throw new DerError('unsupported CMS digest algorithm');
  const attrs = si[3];
  if (attrs === undefined || attrs.tag !== 0xa0) throw new DerError('no signed attributes');
  let contentTypeAttr = '';
  let messageDigestAttr: Uint8Array = new Uint8Array(0);
  for (const attr of derChildren(attrs)) {
    const oid = derOid(derChild(attr, 0, 0x06));
    const value = derChildren(derChild(attr, 1, 0x31))[0];
    if (oid === OID_CONTENT_TYPE && value !== undefined) contentTypeAttr = derOid(value);
    if (oid === OID_MESSAGE_DIGEST && value?.tag === 0x04) messageDigestAttr = value.content;
  }
  // The signature covers the signed attributes re-tagged as a SET OF (RFC 5652 §5.4).
  const signedAttrs = Buffer.concat([Uint8Array.of(0x31), attrs.raw.subarray(1)]);
  const signature = derChild(signerInfo, 5, 0x04).content;
  return {
    tstInfo, imprintAlgorithm, imprint, genTime: derGeneralizedTime(genTimeNode), certificates, signerSerial, signerIssuer,
    digestAlgorithm, signedAttrs, contentTypeAttr, messageDigestAttr, signature,
  };
}

/**
 * Whether `cert` chains to one of the trusted certificates within 8 links: each issuer is a CA certificate that
 * issued and signed the one below and was valid at `time` (a trusted certificate itself ends the chain).
 */
function chainsToTrusted(cert: X509Certificate, trusted: readonly X509Certificate[], pool: readonly X509Certificate[], time: Date): boolean {
  const validAt = (c: X509Certificate): boolean => time >= new Date(c.validFrom) && time <= new Date(c.validTo);
  let current = cert;
  for (let depth = 0; depth < 8; depth++) {
    if (trusted.some((t) => t.fingerprint256 === current.fingerprint256)) return true;
    const below = current;
    const issuer = [...trusted, ...pool].find((c) => c.fingerprint256 !== below.fingerprint256 && c.ca && validAt(c) && below.checkIssued(c) && below.verify(c.publicKey));
    if (issuer === undefined) return false;
    current = issuer;
  }
  return false;
}

/**
 * Verifies one RFC 3161 token over `signature`: the imprint is sha256(signature), the CMS signature is by the
 * certificate named in the SignerInfo, that certificate is a time-stamping certificate valid at genTime and
 * chains to one of `trusted` (the TSA certificate and/or its CA). Raises TIMESTAMP_INVALID or TIMESTAMP_UNTRUSTED.
 */
export function verifyTimestampToken(token: Uint8Array, signature: Uint8Array, trusted: readonly X509Certificate[], label: string): VerifiedTimestamp {
  const invalid = (why: string): PeTraceError => new PeTraceError('TIMESTAMP_INVALID', `RFC 3161 timestamp: ${why}`, { location: { file: label } });
  let t: ParsedToken;
  try {
    t = parseToken(token);
  } catch (e) {
    throw invalid(`unreadable token (${e instanceof Error ? e.message : String(e)})`);
  }
  if (t.imprintAlgorithm !== OID_SHA256) throw invalid('message imprint is not sha256');
  if (!Buffer.from(t.imprint).equals(createHash('sha256').update(signature).digest())) throw invalid('message imprint is not the sha256 of this signature');
  if (t.contentTypeAttr !== OID_TST_INFO) throw invalid('signed content type is not TSTInfo');
  if (!Buffer.from(t.messageDigestAttr).equals(createHash(t.digestAlgorithm).update(t.tstInfo).digest())) throw invalid('message digest attribute does not match the TSTInfo');
  const pool = [...t.certificates];
  // The SignerInfo names its certificate by issuer and serial; of the certificates matching, the one whose key verifies wins.
  const issuedBy = (c: X509Certificate): boolean => {
    const der = issuerDer(c);
    return der !== undefined && Buffer.from(der).equals(t.signerIssuer);
  };
  const candidates = [...pool, ...trusted].filter((c) => normalSerial(c.serialNumber) === t.signerSerial && issuedBy(c));
  if (candidates.length === 0) throw invalid('the signing TSA certificate is neither in the token nor given with --tsa-cert');
  const signer = candidates.find((c) => {
    try {
      return cryptoVerify(t.digestAlgorithm, t.signedAttrs, c.publicKey, t.signature);
    } catch {
      return false;
    }
  });
  if (signer === undefined) throw invalid('CMS signature does not verify');
  if (!(signer.keyUsage ?? []).includes(OID_KP_TIME_STAMPING)) throw invalid('the signing certificate is not a time-stamping certificate');
  if (t.genTime < new Date(signer.validFrom) || t.genTime > new Date(signer.validTo)) throw invalid('genTime is outside the TSA certificate\'s validity');
  if (!chainsToTrusted(signer, trusted, pool, t.genTime)) {
    throw new PeTraceError('TIMESTAMP_UNTRUSTED', `RFC 3161 timestamp by ${JSON.stringify(signer.subject.replace(/\n/g, ', '))} does not chain to a --tsa-cert certificate`, { location: { file: label } });
  }
  return { time: t.genTime, tsa: signer.subject.replace(/\n/g, ', ') };
}

/**
 * Verifies a stored RFC 3161 TimeStampResp (what a Sigstore bundle's `signedTimestamp` holds, and a tro-utils `.tsr`):
 * its status must be granted, then its token is checked as verifyTimestampToken does.
 */
export function verifyTimestampResponse(reply: Uint8Array, signature: Uint8Array, trusted: readonly X509Certificate[], label: string): VerifiedTimestamp {
  let token: Uint8Array;
  try {
    token = tokenFromResponse(reply, '');
  } catch (e) {
    const why = e instanceof PeTraceError ? e.detail.replace(/^timestamp authority\s*:?\s*/, '') : String(e);
    throw new PeTraceError('TIMESTAMP_INVALID', `RFC 3161 timestamp: not a granted TimeStampResp (${why})`, { location: { file: label } });
  }
  return verifyTimestampToken(token, signature, trusted, label);
}

/** Every certificate in PEM text (a file may hold the TSA certificate and its chain). */
export function parseCertificates(pem: string, label: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new PeTraceError('KEY_INVALID', 'no PEM certificate found', { location: { file: label } });
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw new PeTraceError('KEY_INVALID', 'a PEM certificate cannot be read', { location: { file: label } });
    }
  });
}

/** A TimeStampResp's genTime without any trust decision (to report what a TSA answered while signing). */
export function timestampGenTime(reply: Uint8Array): Date {
  try {
    return parseToken(tokenFromResponse(reply, '')).genTime;
  } catch (e) {
    throw new PeTraceError('TSA_FAILED', `timestamp token unreadable: ${e instanceof Error ? e.message : String(e)}`);
  }
}
