// What a report shows, as plain data: verdicts, citation, rules-vs-data badge, lineage, SHACL, conformance, the audit.
import type { AuditAnswer, AuditPath, Gap } from '../audit/index.js';
import type { CitationFacts } from '../cite/index.js';

/** An artifact's verdict at report time, in the words a referee reads. */
export type ArtifactVerdict = 'ok' | 'mismatch' | 'not fetched' | 'skipped' | 'unverifiable';

export interface ArtifactRow {
  readonly id: string;
  readonly name?: string;
  readonly location: string | null;
  readonly verdict: ArtifactVerdict;
  readonly expected: string | null;
  readonly actual?: string;
  readonly detail?: string;
}

/**
 * The signature beside a TRO: none found; found but not checked (and why); verified (with the key); or failed.
 * Produced by the caller (the attest library checks it), so the renderer depends on no key material.
 */
export type SignatureView =
  | { readonly state: 'absent' }
  | { readonly state: 'not-checked'; readonly file: string; readonly reason: string }
  | { readonly state: 'verified'; readonly file: string; readonly keyid: string; readonly keyName: string; readonly signingTime: string; readonly timeSource: string; readonly keyStatus: string }
  | { readonly state: 'failed'; readonly file: string; readonly message: string };

/** "Did the rules change or the data?": the model side and the data side of a bundle or run (the citation's facts). */
export type RulesDataBadge = Pick<CitationFacts, 'modelPackage' | 'modelVersion' | 'dataPackage' | 'dataVersion' | 'dataBuild' | 'dataset' | 'bundleId'>;

export interface CitationView {
  readonly text: string;
  /** What the citation is keyed by (the composition fingerprint). */
  readonly key: string;
}

export type LineageStage = 'input' | 'build' | 'manifest' | 'bundle' | 'payload' | 'run' | 'other';

export interface LineageNode {
  readonly key: string;
  readonly stage: LineageStage;
  readonly label: string;
  /** A second line: short fingerprint or hash. */
  readonly detail?: string;
  readonly restricted: boolean;
}

export interface LineageEdge {
  readonly from: string;
  readonly to: string;
  /** How the link is established: `hash 6f113d9388d2…`, `build id …`, `URI …`, `fingerprint …`. */
  readonly evidence: readonly string[];
}

export interface LineageGraph {
  readonly nodes: readonly LineageNode[];
  readonly edges: readonly LineageEdge[];
  /** Paths (or links) left out of the drawing to keep it readable; they are listed in the text below it. */
  readonly omitted: number;
}

export interface ShaclFindingView {
  readonly severity: string;
  readonly focus: string;
  readonly path?: string;
  readonly message: string;
}

export interface ConformanceView {
  readonly traceVersion: string;
  readonly tierMet: string | null;
  readonly tiers: readonly { readonly id: string; readonly met: boolean; readonly assessed: boolean }[];
  readonly unmet: readonly { readonly tier: string; readonly expectation: string; readonly findings: readonly string[] }[];
}

/** One TRO checked for the report. */
export interface RecordView {
  readonly label: string;
  readonly name?: string;
  readonly dialect: string;
  readonly verified: boolean;
  readonly fingerprint: { readonly claimed: string | null; readonly computed: string; readonly status: string };
  readonly artifacts: readonly ArtifactRow[];
  readonly signature: SignatureView;
  readonly citation?: CitationView;
  readonly badge?: RulesDataBadge;
  readonly shacl?: { readonly conforms: boolean; readonly profile: string; readonly findings: readonly ShaclFindingView[] };
  readonly conformance?: ConformanceView;
  /** A TRO that could not be read at all: the one-line reason (the rest of the view is empty). */
  readonly unreadable?: string;
}

/** The directory audit as the report shows it: the answer, then paths (each expandable to its evidence). */
export interface AuditView {
  readonly documents: number;
  readonly links: number;
  readonly answer: AuditAnswer;
  readonly paths: readonly AuditPath[];
  readonly gaps: readonly Gap[];
  readonly problems: readonly string[];
  readonly truncated: boolean;
}

export interface ReportModel {
  /** What was reported on, as the user named it. */
  readonly subject: string;
  readonly mode: 'tro' | 'record' | 'dir';
  readonly records: readonly RecordView[];
  readonly lineage: LineageGraph;
  readonly audit?: AuditView;
  /** The verdict time, only when the caller gives one (the bytes are otherwise the same for the same input). */
  readonly reportTime?: string;
  /** `pe-trace 0.1.0`. */
  readonly generator: string;
}
