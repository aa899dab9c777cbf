// Gathers what a report shows: each TRO re-hashed (library verify), SHACL, conformance, lineage; or a directory's audit.
import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { type AuditOptions, auditAnswer, auditDirectory } from '../audit/index.js';
import { checkConformanceFile } from '../conformance/index.js';
import { isPeTraceError } from '../errors.js';
import type { LoadOptions } from '../query/index.js';
import { shaclValidateFile } from '../shacl/index.js';
import { type TroModel, loadTroFile } from '../tro/index.js';
import { type CitationFacts, citationFacts, citationText } from '../cite/index.js';
import { summarizeTro } from '../summary/index.js';
import { type ArtifactStatus, type LocationMapping, checkMappingsUsed, checkSkipIds, verifyTro } from '../verify/index.js';
import { type RecordTro, lineageFromPaths, lineageFromRecord } from './lineage.js';
import type { ArtifactVerdict, CitationView, RecordView, ReportModel, RulesDataBadge, SignatureView } from './model.js';
import { dirname } from 'node:path';

/** What the caller supplies: the library reads no clock, environment or keys of its own. */
export interface ReportOptions {
  /** `pe-trace 0.1.0`. */
  readonly generator: string;
  /** Fetch https artifacts to re-hash them (default false: they are reported "not fetched"). */
  readonly fetchHttps?: boolean;
  /** Artifact short ids not re-hashed (reported "skipped"). */
  readonly skip?: readonly string[];
  /** `--map LOCATION=PATH`: downloaded copies checked in place of those locations (as `verify --map`). */
  readonly maps?: readonly LocationMapping[];
  /** The verdict time to print (absent: none, and the bytes depend on the input only). */
  readonly reportTime?: string;
  /** The signature beside a TRO (the attest library checks it). Absent: "none beside the TRO" is not claimed, the row says "not checked". */
  readonly signature?: (troPath: string, troBytes: Uint8Array) => Promise<SignatureView>;
}

const VERDICT: Readonly<Record<ArtifactStatus, ArtifactVerdict>> = {
  ok: 'ok',
  mismatch: 'mismatch',
  unfetchable: 'not fetched',
  'not-fetched': 'not fetched',
  skipped: 'skipped',
  unverifiable: 'unverifiable',
};

/** The file name a run record keeps its TRO under (policyengine.py's run-record layout). */
const TRO_SUFFIX = '.trace.tro.jsonld';

async function recordView(path: string, label: string, options: ReportOptions, seen: { locations: string[]; ids: string[] }): Promise<{ view: RecordView; tro?: RecordTro; bundleTro?: RecordTro }> {
  const { bytes, json, model } = await loadTroFile(path, { label });
  for (const a of model.arrangements) for (const l of a.locations) seen.locations.push(l.location, ...(l.others ?? []));
  seen.ids.push(...model.artifacts.map((a) => a.shortId));
  const report = await verifyTro(model, { baseDir: dirname(path), fetchHttps: options.fetchHttps ?? false, skip: options.skip ?? [], maps: options.maps ?? [] });
  const names = new Map(model.artifacts.map((a) => [a.shortId, a.name]));
  const shacl = await shaclValidateFile(path, { label }).catch((e: unknown) => {
    if (isPeTraceError(e)) return undefined;
    throw e;
  });
  const conformance = await checkConformanceFile(path);
  const fingerprint = model.fingerprint?.value ?? report.fingerprint.computed;
  const bundleTro = localBundleTro(model, dirname(path));
  const bundle = bundleTro === undefined ? undefined : await lineageTro(bundleTro, bundleTro);
  const summary = summarizeTro(json, model, { fileName: basename(path), ...(bundle === undefined ? {} : { bundle: summarizeTro(bundle.json, bundle.model, { fileName: basename(bundleTro ?? '') }) }) });
  const facts = model.fingerprint === undefined ? undefined : citationFacts(summary);
  const citation: CitationView | undefined = facts === undefined ? undefined : { text: citationText(facts), key: facts.fingerprint };
  const badge: RulesDataBadge | undefined = facts === undefined ? undefined : badgeOf(facts);
  const signature: SignatureView = options.signature === undefined ? { state: 'absent' } : await options.signature(path, bytes);
  const view: RecordView = {
    label,
    ...(model.name === undefined ? {} : { name: model.name }),
    dialect: report.dialect,
    verified: report.verified,
    fingerprint: { claimed: report.fingerprint.claimed, computed: report.fingerprint.computed, status: report.fingerprint.status },
    artifacts: report.artifacts.map((a) => {
      const name = names.get(a.id);
      return {
        id: a.id,
        ...(name === undefined ? {} : { name }),
        location: a.location,
        verdict: VERDICT[a.status],
        expected: a.expected,
        ...(a.actual === undefined ? {} : { actual: a.actual }),
        ...(a.detail === undefined ? {} : { detail: a.detail }),
      };
    }),
    signature,
    ...(citation === undefined ? {} : { citation }),
    ...(badge === undefined ? {} : { badge }),
    ...(shacl === undefined
      ? {}
      : {
          shacl: {
            conforms: shacl.conforms,
            profile: shacl.profile,
            findings: shacl.results.map((r) => ({
              severity: r.severity.replace(/^.*#/, ''),
              focus: r.display.focus,
              ...(r.display.path === undefined ? {} : { path: r.display.path }),
              message: r.messages.join(' ') || r.display.component,
            })),
          },
        }),
    conformance: {
      traceVersion: conformance.traceVersion,
      tierMet: conformance.tierMet,
      tiers: conformance.tiers.map((t) => ({ id: t.id, met: t.met, assessed: t.assessed })),
      unmet: conformance.tiers.flatMap((t) =>
        t.expectations.filter((e) => e.status === 'unmet').map((e) => ({ tier: t.id, expectation: e.id, findings: e.findings.map((f) => `${f.pointer === '' ? '(document)' : f.pointer}: ${f.message}`) })),
      ),
    },
  };
  return { view, tro: { json, fingerprint, ...(model.name === undefined ? {} : { name: model.name }) }, ...(bundle === undefined ? {} : { bundleTro: bundle }) };
}

/** The rules-vs-data badge: the citation facts' model side, data side and bundle. */
function badgeOf(f: CitationFacts): RulesDataBadge | undefined {
  const b: RulesDataBadge = {
    ...(f.modelPackage === undefined ? {} : { modelPackage: f.modelPackage }),
    ...(f.modelVersion === undefined ? {} : { modelVersion: f.modelVersion }),
    ...(f.dataPackage === undefined ? {} : { dataPackage: f.dataPackage }),
    ...(f.dataVersion === undefined ? {} : { dataVersion: f.dataVersion }),
    ...(f.dataBuild === undefined ? {} : { dataBuild: f.dataBuild }),
    ...(f.dataset === undefined ? {} : { dataset: f.dataset }),
    ...(f.bundleId === undefined ? {} : { bundleId: f.bundleId }),
  };
  return Object.keys(b).length === 0 ? undefined : b;
}

/**
 * The bundle TRO a run TRO binds, when its location is a plain relative file beside the run (as in a run record):
 * read for the lineage only, so a single run TRO still shows its bundle's release manifest and build.
 */
function localBundleTro(model: TroModel, dir: string): string | undefined {
  const artifact = model.artifacts.find((a) => a.shortId === 'bundle_tro');
  if (artifact === undefined) return undefined;
  const loc = model.arrangements.flatMap((a) => a.locations).find((l) => l.artifactId === artifact.id)?.location;
  if (loc === undefined || !/^[A-Za-z0-9._-][A-Za-z0-9._/-]*$/.test(loc) || loc.split('/').includes('..')) return undefined;
  return join(dir, loc);
}

async function lineageTro(path: string, label: string): Promise<(RecordTro & { readonly model: TroModel }) | undefined> {
  try {
    // Only a regular file: a FIFO or device named like the bundle TRO would block the reader.
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) return undefined;
    const { json, model } = await loadTroFile(path, { label });
    const fingerprint = model.fingerprint?.value;
    return fingerprint === undefined ? undefined : { json, model, fingerprint, ...(model.name === undefined ? {} : { name: model.name }) };
  } catch (e) {
    if (isPeTraceError(e)) return undefined;
    throw e;
  }
}

/** The TROs of a run record folder (its top level), run TROs first, then by name. */
export function recordTroFiles(dir: string): string[] {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith(TRO_SUFFIX) && statSync(join(dir, n)).isFile())
    .sort((a, b) => Number(!a.startsWith('run.')) - Number(!b.startsWith('run.')) || (a < b ? -1 : a > b ? 1 : 0));
  return names;
}

/**
 * The report on one TRO (`files` = [it]) or a run record folder (`files` = its TROs). `labels` are the names shown
 * (paths as the user typed them). A TRO in a record folder that cannot be read is shown as unreadable; a single TRO
 * that cannot be read throws (the caller's exit 3).
 */
export async function recordReport(subject: string, mode: 'tro' | 'record', files: readonly { path: string; label: string }[], options: ReportOptions): Promise<ReportModel> {
  const records: RecordView[] = [];
  const tros: RecordTro[] = [];
  const seen = { locations: [] as string[], ids: [] as string[] };
  for (const f of files) {
    try {
      const { view, tro, bundleTro } = await recordView(f.path, f.label, options, seen);
      records.push(view);
      if (tro !== undefined) tros.push(tro);
      // A lone run TRO: its bundle's links too (a record folder reports the bundle TRO itself).
      if (mode === 'tro' && bundleTro !== undefined) tros.push(bundleTro);
    } catch (e) {
      if (mode === 'tro' || !isPeTraceError(e)) throw e;
      records.push({ label: f.label, dialect: '', verified: false, fingerprint: { claimed: null, computed: '', status: 'missing' }, artifacts: [], signature: { state: 'absent' }, unreadable: e.message });
    }
  }
  // A mistyped --map or --skip must not pass silently: each has to match a location or artifact of some TRO reported.
  checkMappingsUsed(options.maps ?? [], seen.locations);
  checkSkipIds(options.skip ?? [], seen.ids);
  return { subject, mode, records, lineage: lineageFromRecord(tros), generator: options.generator, ...(options.reportTime === undefined ? {} : { reportTime: options.reportTime }) };
}

/** The report on a directory: the restricted-input audit's answer first, then the lineage and every path's evidence. */
export async function directoryReport(dir: string, subject: string, options: ReportOptions & { readonly load?: LoadOptions & AuditOptions }): Promise<ReportModel> {
  const audit = await auditDirectory(dir, options.load ?? {});
  return {
    subject,
    mode: 'dir',
    records: [],
    lineage: lineageFromPaths(audit.paths),
    audit: {
      documents: audit.documents,
      links: audit.links,
      answer: auditAnswer(audit),
      paths: audit.paths,
      gaps: audit.gaps,
      problems: audit.problems.map((p) => p.message),
      truncated: audit.truncated,
    },
    generator: options.generator,
    ...(options.reportTime === undefined ? {} : { reportTime: options.reportTime }),
  };
}

