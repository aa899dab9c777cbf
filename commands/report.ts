// `pe-trace report (TRO | RECORD_DIR | --dir DIR) --out FILE.html`: one self-contained HTML page a referee would rather look at.
import { mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { extraThreads } from '../src/cli/threads.js';
import { EXIT, InputError, type ReportModel, type SignatureView, isPeTraceError, directoryReport, parseLocationMapping, recordReport, recordTroFiles, renderReportHtml, resolveCacheDirectory, writeFileAtomic } from '../src/index.js';

interface ReportResult {
  readonly out: string;
  readonly mode: ReportModel['mode'];
  readonly bytes: number;
  /** Per TRO: its fingerprint and whether it verified (TRO and record modes). */
  readonly records: readonly { readonly label: string; readonly fingerprint: string | null; readonly verified: boolean }[];
  /** Directory mode: reached runs and bundles, by fingerprint (or label when a manifest entry has none). */
  readonly reached?: { readonly runs: readonly string[]; readonly bundles: readonly string[] };
}

export default class Report extends BaseCommand<ReportResult> {
  static override summary = 'Write one self-contained HTML report on a TRO, a run record folder or a directory audit.';
  static override description = [
    'The page makes no network request when opened (styles and script inline, pinned by a Content-Security-Policy) and reads well on a phone and on paper. For a TRO or a run record folder it shows the verdict at report time (each artifact re-hashed: ok / mismatch / not fetched / skipped), the fingerprint, the signature beside the TRO when there is one, a citation with a copy button, the rules-vs-data badge (model package and version; data package, build and dataset; bundle), the lineage as a graph whose arrows carry their evidence, and the SHACL and TRACE conformance results (collapsed when clean). With --dir it leads with the restricted-input audit: which bundles and runs restricted inputs reach, then each path expandable to its evidence.',
    'https artifacts are not fetched unless --fetch is given (they show as "not fetched"). The same input gives the same bytes: the verdict time is printed only when --report-time asks for it. Exit 0 when the report is written (whatever the verdict), 2 on a usage error, 3 on unreadable input.',
  ].join('\n\n');
  static override examples = [
    { description: 'A run record folder', command: '<%= config.bin %> report fixtures/corpus/emitted/run-record-uk --out report.html' },
    { description: 'One TRO, re-hashing https artifacts too', command: '<%= config.bin %> report bundle.trace.tro.jsonld --fetch --out bundle.html' },
    {
      description: 'A run record whose bundle TRO also verifies offline: its bundle manifest mapped to your copy, the rest skipped',
      command:
        '<%= config.bin %> report fixtures/policyengine-py/generated/run-record --map data/bundle/manifest.json=fixtures/policyengine-py/shipped/manifest.json --skip dataset --skip model_wheel --skip data_release_manifest --out record.html',
    },
    { description: 'The restricted-input audit of a corpus', command: '<%= config.bin %> report --dir fixtures/corpus --out audit.html' },
    { description: 'Stamp the verdict time (the bytes then differ from run to run)', command: '<%= config.bin %> report run.trace.tro.jsonld --report-time now --out r.html' },
  ];
  static override args = { target: Args.string({ description: 'a TRO file, or a run record folder (its *.trace.tro.jsonld files are reported)', required: false }) };
  static override flags = {
    out: Flags.string({ description: 'the HTML file to write (atomically; parent folders are created)', required: true }),
    dir: Flags.string({ description: 'report the restricted-input audit of this directory instead of one record' }),
    fetch: Flags.boolean({ description: 'fetch https artifacts to re-hash them (default: reported "not fetched")', default: false }),
    skip: Flags.string({ description: 'artifact short id not re-hashed (repeatable; reported "skipped")', multiple: true }),
    map: Flags.string({ description: 'LOCATION=PATH: re-hash the local copy PATH for that artifact location (a LOCATION ending in / maps a prefix to a folder), as verify --map; repeatable', multiple: true }),
    'report-time': Flags.string({ description: 'print the verdict time in the page: an ISO 8601 instant, or "now"' }),
    cache: Flags.string({ description: 'with --dir: cache directory for facts and audits ("auto": $XDG_CACHE_HOME/pe-trace)' }),
    keychain: Flags.string({ description: 'keychain file to check a signature beside the TRO (TRO.sigstore.json) against' }),
    root: Flags.string({ description: 'trusted root KEYID of the keychain (64 hex digits); with --keychain', exclusive: ['root-dns'] }),
    'root-dns': Flags.string({ description: 'read the trusted root KEYID from the DNS TXT record _pe-trace-root.DOMAIN; with --keychain' }),
    'tsa-cert': Flags.string({ description: 'PEM certificate(s) of a trusted timestamp authority (repeatable)', multiple: true }),
  };

  protected async exec(): Promise<Outcome<ReportResult>> {
    const { args, flags } = await this.parse(Report);
    if ((args.target === undefined) === (flags.dir === undefined)) throw new InputError('USAGE', 'give either a TRO or run record folder, or --dir DIR (one of them)');
    const reportTime = parseReportTime(flags['report-time']);
    const options = {
      generator: `pe-trace ${this.config.version}`,
      fetchHttps: flags.fetch,
      skip: flags.skip ?? [],
      maps: (flags.map ?? []).map(parseLocationMapping),
      ...(reportTime === undefined ? {} : { reportTime }),
      signature: (troPath: string, troBytes: Uint8Array) =>
        signatureBeside(troPath, troBytes, { keychain: flags.keychain, root: flags.root, rootDns: flags['root-dns'], tsaCert: flags['tsa-cert'] ?? [] }, reportTime),
    };
    let model: ReportModel;
    if (flags.dir !== undefined) {
      const cacheDir = resolveCacheDirectory(flags.cache, { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() });
      model = await directoryReport(flags.dir, displayPath(flags.dir), { ...options, load: { workers: extraThreads(), ...(cacheDir === undefined ? {} : { cacheDir }) } });
    } else {
      const target = args.target as string;
      const shown = displayPath(target);
      const info = await stat(target).catch(() => undefined);
      if (info === undefined) throw new InputError('INPUT_UNREADABLE', 'no such file or folder', { location: { file: shown } });
      if (info.isDirectory()) {
        const files = recordTroFiles(target);
        if (files.length === 0) throw new InputError('INPUT_UNREADABLE', 'no *.trace.tro.jsonld file in this folder (is it a run record?)', { location: { file: shown } });
        model = await recordReport(shown, 'record', files.map((f) => ({ path: join(target, f), label: displayPath(join(target, f)) })), options);
      } else if (!info.isFile()) {
        // A FIFO or a device would block the reader or never end.
        throw new InputError('INPUT_UNREADABLE', 'not a regular file or a folder', { location: { file: shown } });
      } else {
        model = await recordReport(shown, 'tro', [{ path: target, label: shown }], options);
      }
    }
    const html = Buffer.from(renderReportHtml(model), 'utf8');
    await mkdir(dirname(flags.out), { recursive: true }).catch(() => undefined);
    await writeFileAtomic(flags.out, html, { label: displayPath(flags.out) });
    const result: ReportResult = {
      out: displayPath(flags.out),
      mode: model.mode,
      bytes: html.length,
      records: model.records.map((r) => ({ label: r.label, fingerprint: r.fingerprint.claimed, verified: r.verified })),
      ...(model.audit === undefined ? {} : { reached: { runs: model.audit.answer.runs.map((n) => n.fingerprint ?? n.label), bundles: model.audit.answer.bundles.map((n) => n.fingerprint ?? n.label) } }),
    };
    const verdict =
      model.audit !== undefined
        ? `${model.audit.answer.runs.length} run(s) and ${model.audit.answer.bundles.length} bundle(s) reached by restricted inputs`
        : model.records.map((r) => `${r.label}: ${r.verified ? 'verified' : 'NOT verified'}`).join('; ');
    return { result, status: EXIT.OK, text: [`wrote ${result.out} (${html.length} bytes): ${verdict}`] };
  }
}

/** The signature `pe-trace sign` writes beside a TRO (TRO.sigstore.json), checked with the attest library when a trust anchor is given. */
async function signatureBeside(
  troPath: string,
  troBytes: Uint8Array,
  f: { keychain: string | undefined; root: string | undefined; rootDns: string | undefined; tsaCert: readonly string[] },
  reportTime: string | undefined,
): Promise<SignatureView> {
  const beside = `${troPath}.sigstore.json`;
  const found = await stat(beside).catch(() => undefined);
  if (found === undefined || !found.isFile()) return { state: 'absent' };
  const file = displayPath(beside);
  if (f.keychain === undefined || (f.root === undefined && f.rootDns === undefined)) return { state: 'not-checked', file, reason: 'give --keychain FILE and --root KEYID to check it' };
  const { checkSignatureFiles } = await import('../src/attest/verify-files.js');
  // Without a trusted timestamp the key is checked against the verdict time: the one given, else the clock.
  const now = reportTime === undefined ? new Date() : new Date(reportTime);
  try {
    const { report } = await checkSignatureFiles(troBytes, displayPath(troPath), { signature: beside, keychain: f.keychain, root: f.root, rootDns: f.rootDns, dnsServer: [], tsaCert: f.tsaCert }, now);
    return {
      state: 'verified',
      file,
      keyid: report.keyid,
      keyName: report.keyName,
      // A clock reading is not data: without a timestamp the page says so instead of printing the time.
      signingTime: report.timeSource === 'rfc3161' ? (report.signingTime ?? '') : 'no trusted timestamp',
      timeSource: report.timeSource === 'rfc3161' ? `RFC 3161, ${report.tsa ?? 'TSA'}` : 'key checked at report time',
      keyStatus: report.revokedLater === null ? `listed in keychain version ${report.keychainVersion}, root ${report.root.slice(0, 12)}…` : `revoked later, at ${report.revokedLater.at} (${report.revokedLater.reason})`,
    };
  } catch (e) {
    if (isPeTraceError(e) && e.exitCode === EXIT.VERIFICATION_FAILED) return { state: 'failed', file, message: e.message };
    throw e;
  }
}

function parseReportTime(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value === 'now') return new Date().toISOString();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InputError('USAGE', `--report-time "${value}": expected an ISO 8601 instant (2026-07-01T12:00:00Z) or "now"`);
  }
  return value;
}
