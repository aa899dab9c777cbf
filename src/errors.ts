// Typed errors with codes, and the one table that maps every code to a process exit code.

/** Process exit codes: one table for every command (see README "Exit codes"). */
export const EXIT = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  BAD_INPUT: 3,
  NOT_CONFORMING: 4,
  VERIFICATION_FAILED: 5,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Every error code the library can raise, with the exit code it maps to. */
export const ERROR_CODES = {
  /** A file could not be read (missing, a directory, permission). */
  INPUT_UNREADABLE: EXIT.BAD_INPUT,
  /** Bytes are not valid JSON (syntax, duplicate key, NaN, invalid UTF-8, limits). */
  JSON_SYNTAX: EXIT.BAD_INPUT,
  /** JSON is well-formed but exceeds a size or depth limit. */
  JSON_LIMIT: EXIT.BAD_INPUT,
  /** A value cannot be written as canonical JSON (e.g. a non-JSON type). */
  CANON_UNSUPPORTED_VALUE: EXIT.BAD_INPUT,
  /** A JSON-LD document could not be interpreted (remote context, bad @id, expansion error). */
  JSONLD_INVALID: EXIT.BAD_INPUT,
  /** A document is not a TRO of any dialect we read. */
  TRO_UNKNOWN_DIALECT: EXIT.BAD_INPUT,
  /** A document is a TRO but lacks a structure we need (no TRO node, no composition). */
  TRO_MALFORMED: EXIT.BAD_INPUT,
  /** Turtle / N-Quads could not be parsed. */
  RDF_PARSE: EXIT.BAD_INPUT,
  /** A hash algorithm we do not implement. */
  HASH_UNSUPPORTED: EXIT.BAD_INPUT,
  /** A manifest (bundle manifest, data release manifest) is valid JSON but not a valid manifest: a missing field, a wrong type, an overlay clash, a bad URI. */
  MANIFEST_INVALID: EXIT.BAD_INPUT,
  /** Certification refused: the data release does not support certifying this model version (a data verdict, like non-conformance). */
  CERTIFICATION_REFUSED: EXIT.NOT_CONFORMING,
  /** A run cannot be certified by hash (a reform carrying code such as `simulation_modifier`, or a value that is not plain JSON data); refused before anything is written. */
  UNCERTIFIABLE: EXIT.BAD_INPUT,
  /** A SPARQL query does not parse (located at file:line:column). */
  QUERY_SYNTAX: EXIT.BAD_INPUT,
  /** A SPARQL query parses but cannot be evaluated (an unsupported feature, a run-time error). */
  QUERY_FAILED: EXIT.BAD_INPUT,
  /** A SPARQL endpoint or Graph Store is unreachable or answered with an error or an unreadable body. */
  ENDPOINT_ERROR: EXIT.BAD_INPUT,
  /** A command-line usage error detected by our own code (not by oclif's parser). */
  USAGE: EXIT.USAGE,
  /** Our own shipped assets (shapes, schemas, queries) are missing or broken. */
  ASSET_BROKEN: EXIT.INTERNAL,
  /** Cannot happen. */
  INTERNAL: EXIT.INTERNAL,
  /** A TRO whose claimed fingerprint does not match its artifact hashes (or has none) is refused by a write command (convert), which would otherwise launder it. */
  TRO_UNVERIFIED: EXIT.NOT_CONFORMING,
  /** The Zenodo deposit API refused a request or could not be reached (the message names the step, the HTTP status and any draft left behind). */
  ZENODO_FAILED: EXIT.BAD_INPUT,
  /** A dataset's source repository is gated, private or not found: its bytes are never mirrored (a refusal). */
  SOURCE_NOT_PUBLIC: EXIT.NOT_CONFORMING,
  /** The source repository's openness could not be confirmed (429, 5xx, non-JSON answers): refused until a retry confirms it. */
  SOURCE_UNVERIFIABLE: EXIT.NOT_CONFORMING,
  /** Fetched bytes do not match the sha256 the manifest certifies. */
  DATASET_MISMATCH: EXIT.VERIFICATION_FAILED,
  /** A record offered to a content-addressed store does not verify, so it is not accepted. */
  RECORD_UNVERIFIED: EXIT.VERIFICATION_FAILED,
  /** A content-addressed store already holds a different record under the same composition fingerprint (nothing is overwritten). */
  STORE_CONFLICT: EXIT.NOT_CONFORMING,
  /** An input is none of the records `show`, `diff`, `cite` and `export` read: a TRO, a run record folder or a bundle manifest. */
  RECORD_UNRECOGNISED: EXIT.BAD_INPUT,
  /** A signing key or public key file is not a PKCS#8 / SPKI PEM of an Ed25519 or ECDSA P-256 key. */
  KEY_INVALID: EXIT.BAD_INPUT,
  /** A signature bundle cannot be read as a Sigstore bundle v0.3 with a DSSE in-toto envelope. */
  SIGNATURE_MALFORMED: EXIT.VERIFICATION_FAILED,
  /** The DSSE signature does not verify with the key it names (tampered envelope, wrong key). */
  SIGNATURE_INVALID: EXIT.VERIFICATION_FAILED,
  /** The signed statement's first subject does not name the exact bytes of the TRO being verified. */
  SIGNATURE_SUBJECT_MISMATCH: EXIT.VERIFICATION_FAILED,
  /** The signature's key id is not in the keychain. */
  SIGNATURE_KEY_UNKNOWN: EXIT.VERIFICATION_FAILED,
  /** The signing time is outside the key's not-before / not-after window. */
  SIGNATURE_KEY_EXPIRED: EXIT.VERIFICATION_FAILED,
  /** The key was revoked at or before the signing time (or, without a timestamp, before now). */
  SIGNATURE_KEY_REVOKED: EXIT.VERIFICATION_FAILED,
  /** An RFC 3161 timestamp does not chain to a trusted TSA certificate given with --tsa-cert. */
  TIMESTAMP_UNTRUSTED: EXIT.VERIFICATION_FAILED,
  /** An RFC 3161 timestamp is unreadable, its CMS signature fails, or its imprint is not over the signature. */
  TIMESTAMP_INVALID: EXIT.VERIFICATION_FAILED,
  /** A timestamp authority could not be reached or refused the request while signing. */
  TSA_FAILED: EXIT.BAD_INPUT,
  /** A keychain is unreadable, a hash link between versions is broken, or a version's root signature fails. */
  KEYCHAIN_BROKEN: EXIT.VERIFICATION_FAILED,
  /** The keychain's root key is not the trust anchor given (--root, or the DNS TXT record of --root-dns). */
  ROOT_MISMATCH: EXIT.VERIFICATION_FAILED,
  /** The DNS TXT record naming the root key could not be resolved or read. */
  ROOT_DNS_FAILED: EXIT.VERIFICATION_FAILED,
  /** A payload beside a record does not match the record's sha256 claim, so it is not exported (a verification failure). */
  EXPORT_MISMATCH: EXIT.VERIFICATION_FAILED,
  /** A query names a SERVICE (federation): pe-trace runs queries over local data only and never sends a request the user did not ask for. */
  QUERY_FEDERATED: EXIT.BAD_INPUT,
  /** An in-process query ran past its --timeout (the evaluation was stopped). */
  QUERY_TIMEOUT: EXIT.BAD_INPUT,
  /** An in-process query needed more memory than its bound (the evaluation was stopped; `serve` or `sync` are the way for such questions). */
  QUERY_TOO_LARGE: EXIT.BAD_INPUT,
} as const satisfies Record<string, ExitCode>;
export type ErrorCode = keyof typeof ERROR_CODES;

/** Where in an input an error was found; rendered as `file:line:column` or `file#/json/pointer`. */
export interface Location {
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
  readonly pointer?: string;
}

export function formatLocation(loc: Location | undefined): string {
  if (loc === undefined) return '';
  let out = loc.file ?? '<input>';
  if (loc.line !== undefined) {
    out += `:${loc.line}`;
    if (loc.column !== undefined) out += `:${loc.column}`;
  }
  if (loc.pointer !== undefined) out += `#${loc.pointer}`;
  return out;
}

/** Base class of every error pe-trace raises on purpose. The message is one line and names the location. */
export class PeTraceError extends Error {
  readonly code: ErrorCode;
  readonly location: Location | undefined;
  /** The message without its location prefix (to rebuild the same error elsewhere, e.g. across threads). */
  readonly detail: string;
  constructor(code: ErrorCode, message: string, options: { location?: Location; cause?: unknown } = {}) {
    const where = formatLocation(options.location);
    super(where ? `${where}: ${message}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PeTraceError';
    this.code = code;
    this.location = options.location;
    this.detail = message;
  }
  get exitCode(): ExitCode {
    return ERROR_CODES[this.code];
  }
}

/** The user's input is unreadable or malformed (exit 3). */
export class InputError extends PeTraceError {
  constructor(code: ErrorCode, message: string, options: { location?: Location; cause?: unknown } = {}) {
    super(code, message, options);
    this.name = 'InputError';
  }
}

export function isPeTraceError(e: unknown): e is PeTraceError {
  return e instanceof PeTraceError;
}
