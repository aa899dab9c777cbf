// `pe-trace verify TRO…`: rehash every artifact and recompute each composition fingerprint (exit 0 verified, 5 not).
import { stat } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { ttyProgress } from '../src/cli/progress.js';
// Deliberately not the public barrel: verify is the command whose wall time is compared with `openssl dgst`, and
// importing only the areas it uses loads ~40 ms of modules instead of the whole library's ~150 ms.
import { EXIT, type ExitCode, PeTraceError } from '../src/errors.js';
import type { SignatureReport } from '../src/attest/verify-signature.js';
import { readDocumentFile } from '../src/io/read-file.js';
import {
  DEFAULT_HTTPS_DEADLINE_MS,
  DEFAULT_HTTPS_TIMEOUT_MS,
  type VerifyReport,
  type VerifyRunReport,
  formatVerifyRunText,
  formatVerifyText,
  verifyOptionsFromFlags,
  verifyRun,
} from '../src/verify/index.js';

type VerifyResult = (VerifyReport & { signature?: SignatureReport }) | VerifyRunReport;

export default class Verify extends BaseCommand<VerifyResult> {
  static override summary = 'Verify TROs: rehash every artifact and recompute the composition fingerprint, offline unless --fetch.';
  static override description = [
    'Relative locations resolve against --base-dir (default: the TRO file\'s folder) and may not leave it, symlinks',
    'included. Without --fetch nothing is fetched: an https:// artifact is reported "not fetched" (not a',
    'mismatch) and the TRO is not fully verified (exit 5, verdict "incomplete"). With --fetch only https:// locations',
    'are fetched (inactivity --timeout, total --deadline, --max-bytes cap); http://, file://, hf:// and every other scheme',
    'are unfetchable. --map LOCATION=PATH checks a copy you downloaded instead (LOCATION exact, or a prefix ending in /',
    'whose remainder is looked up under PATH); --payload-dir DIR checks a build TRO\'s urn:pop:payload:NAME:HASH',
    'locations against DIR/NAME.json. Every location an artifact has must hold the claimed bytes; a location that is',
    'not valid Unicode is refused. The fingerprint is recomputed with the document\'s dialect (pe-0.1: "\\n"-joined;',
    'trov-0.1: concatenated). One TRO prints policyengine.py\'s lines; several TROs or folders (every *.tro.jsonld',
    'under them) print one verdict line per TRO and a summary, and exit with the worst: 3 if one is unreadable, 5 if',
    'one failed or is incomplete, else 0. --recursive also verifies the bundle TRO a run record pins (its local copy;',
    'its pe:bundleTroUrl only with --fetch). A --skip id or --map location that matches nothing is a usage error.',
    'With --signature (a bundle from `pe-trace sign`), --keychain and a trust anchor (--root KEYID or --root-dns DOMAIN),',
    'the signature of the one TRO given is checked first: keychain chain and root, key listed, DSSE signature, signed',
    'subject = these bytes, RFC 3161 timestamp against --tsa-cert (else the key is checked against the current time), key',
    'window and revocation. Any failure exits 5 with its code (SIGNATURE_*, TIMESTAMP_*, KEYCHAIN_BROKEN, ROOT_MISMATCH,',
    'ROOT_DNS_FAILED).',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> verify run-record/run.trace.tro.jsonld',
    '<%= config.bin %> verify data/bundle/us.trace.tro.jsonld --base-dir . --skip dataset --skip model_wheel --skip data_release_manifest',
    '<%= config.bin %> verify us.trace.tro.jsonld --map data/bundle/manifest.json=./manifest.json --map https://huggingface.co/policyengine/policyengine-us-data/resolve/1.56.16/=./downloads/',
    '<%= config.bin %> verify build/trace.tro.jsonld --payload-dir build/payloads',
    '<%= config.bin %> verify runs/ --recursive --json',
    '<%= config.bin %> verify us.trace.tro.jsonld --fetch --timeout 30 --deadline 600',
    '<%= config.bin %> verify run.trace.tro.jsonld --signature run.trace.tro.jsonld.sigstore.json --keychain keychain.json --root 5d1f…a0 --tsa-cert tsa-chain.pem',
  ];
  static override strict = false;
  static override args = { tro: Args.string({ description: 'TRO JSON-LD file, or a folder of *.tro.jsonld files (several allowed)', required: true }) };
  static override flags = {
    'base-dir': Flags.string({ description: 'folder relative artifact locations resolve against (default: each TRO\'s folder)' }),
    skip: Flags.string({ description: 'short artifact id to skip (repeatable), e.g. dataset; must match an artifact', multiple: true, default: [] }),
    fetch: Flags.boolean({ description: 'fetch https:// artifacts (and, with --recursive, a pe:bundleTroUrl); off by default', default: false }),
    'no-fetch': Flags.boolean({ description: 'accepted for compatibility; fetching is already off unless --fetch', default: false, hidden: true }),
    map: Flags.string({ description: 'LOCATION=PATH: check the local copy PATH for that artifact location (LOCATION ending in / maps a prefix to a folder); repeatable', multiple: true, default: [] }),
    'payload-dir': Flags.string({ description: 'folder of payload preimages NAME.json for urn:pop:payload:NAME:HASH locations (what emit build --payload-dir writes)' }),
    'skip-remote': Flags.boolean({ description: 'skip (and say so) every artifact whose locations are all remote (https, hf, urn:… not fetched or mapped) instead of naming each with --skip; missing local files still fail', default: false }),
    recursive: Flags.boolean({ description: 'also verify the bundle TRO a run record or simulation TRO pins', default: false }),
    timeout: Flags.integer({ description: 'https inactivity timeout in seconds', default: DEFAULT_HTTPS_TIMEOUT_MS / 1000, min: 1 }),
    deadline: Flags.integer({ description: 'total seconds one https artifact may take, however steadily it trickles in (two hours by default)', default: DEFAULT_HTTPS_DEADLINE_MS / 1000, min: 1 }),
    'max-bytes': Flags.integer({ description: 'largest https artifact accepted, in bytes', min: 1 }),
    ca: Flags.string({ description: 'PEM file (at most 1 MiB) of an extra CA trusted for https artifacts' }),
    // --- signature verification (issue 12; logic in src/attest/) ---
    signature: Flags.string({ description: 'Sigstore bundle made by `pe-trace sign` (e.g. TRO.sigstore.json); checked before the composition (one TRO only)' }),
    keychain: Flags.string({ description: 'keychain file the signing key must be listed in (with --signature)' }),
    root: Flags.string({ description: 'trusted root KEYID of the keychain (64 hex digits)', exclusive: ['root-dns'] }),
    'root-dns': Flags.string({ description: 'read the trusted root KEYID from the DNS TXT record _pe-trace-root.DOMAIN ("keyid=<hex>")' }),
    'dns-server': Flags.string({ description: 'DNS resolver for --root-dns, IP[:PORT] (repeatable; default: the system\'s)', multiple: true, default: [] }),
    'tsa-cert': Flags.string({ description: 'PEM certificate(s) of a trusted timestamp authority and its chain (repeatable)', multiple: true, default: [] }),
  };

  protected async exec(): Promise<Outcome<VerifyResult>> {
    const { argv, flags } = await this.parse(Verify);
    const paths = argv.filter((a): a is string => typeof a === 'string');
    if (flags.fetch && flags['no-fetch']) throw new PeTraceError('USAGE', '--fetch and --no-fetch contradict each other');
    // Signature check (issue 12): one library call on the exact bytes of the one TRO, before the composition check.
    const sigFlags = { signature: flags.signature, keychain: flags.keychain, root: flags.root, rootDns: flags['root-dns'], dnsServer: flags['dns-server'], tsaCert: flags['tsa-cert'] };
    const wantsSignature = Object.values(sigFlags).some((v) => (Array.isArray(v) ? v.length > 0 : v !== undefined));
    let signed: { report: SignatureReport; line: string } | undefined;
    if (wantsSignature) {
      const only = paths.length === 1 && !flags.recursive ? paths[0] : undefined;
      if (only === undefined || (await isDirectory(only))) throw new PeTraceError('USAGE', '--signature checks one TRO file: give exactly one, without --recursive');
      const shown = displayPath(only);
      const bytes = await readDocumentFile(only, { label: shown });
      signed = await (await import('../src/attest/verify-files.js')).checkSignatureFiles(bytes, shown, sigFlags, new Date());
    }
    const progress = ttyProgress(!this.wantsJson);
    const options = await verifyOptionsFromFlags(flags, {
      label: displayPath,
      ...(progress === undefined
        ? {}
        : {
            onProgress: (e) =>
              progress.update(`hashing ${e.artifact}: ${(e.bytes / 2 ** 20).toFixed(0)}${e.totalBytes === null ? '' : ` / ${(e.totalBytes / 2 ** 20).toFixed(0)}`} MiB`),
          }),
    });
    const run = await verifyRun(paths, options);
    progress?.done();
    const single = paths.length === 1 && !flags.recursive && !(await isDirectory(paths[0] ?? '')) ? run.tros[0]?.report : undefined;
    if (single !== undefined) {
      const text = formatVerifyText(single, displayPath(paths[0] ?? ''));
      const signature = signed?.report;
      return {
        result: signature === undefined ? single : { ...single, signature },
        status: single.verified ? EXIT.OK : EXIT.VERIFICATION_FAILED,
        text: signed === undefined ? text.stdout : [signed.line, ...text.stdout],
        stderr: text.stderr,
        warnings: [...(signature?.warnings ?? []), ...missingRelativeHint(single, flags['base-dir'] !== undefined)],
      };
    }
    const text = formatVerifyRunText(run);
    const status: ExitCode = run.verdict === 'unreadable' ? EXIT.BAD_INPUT : run.verified ? EXIT.OK : EXIT.VERIFICATION_FAILED;
    return { result: run, status, text: text.stdout, stderr: text.stderr };
  }
}

/**
 * A newcomer's first run on a TRO copied out of its package (policyengine.py's bundle TRO names
 * `data/bundle/manifest.json`) ends in "no such file": say where relative locations were looked for and how to point
 * elsewhere. Only when --base-dir was not given and a relative, unmapped location is missing.
 */
function missingRelativeHint(report: VerifyReport, baseDirGiven: boolean): string[] {
  if (baseDirGiven) return [];
  const missing = report.artifacts.filter((a) => a.status === 'unfetchable' && a.detail?.startsWith('no such file: ') === true && a.location !== null && !/^[a-z][a-z0-9+.-]*:/i.test(a.location) && !a.location.startsWith('/'));
  if (missing.length === 0) return [];
  const ids = missing.map((a) => a.id).join(', ');
  return [`${ids}: relative locations are looked up beside the TRO file; pass --base-dir DIR (e.g. the package root of data/bundle/…) or --map LOCATION=PATH for a copy elsewhere`];
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
