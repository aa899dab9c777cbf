// The restricted-input audit: every path from restricted content to a bundle or run, with evidence, and the gaps.
import { compareCodePoints } from '../json/canonical.js';
import { answerOverDirectory } from '../query/answers.js';
import type { Corpus, LoadOptions, LoadProblem } from '../query/corpus.js';
import { CONSUMER_ROLES, type EntityType, type SignalKind } from '../query/facts.js';
import { type Evidence, type Flow, type FlowGroup, buildFlow, evidenceOf, where } from '../query/flow.js';
import { type Gap, TERMINAL, findGaps } from './gaps.js';

export type { Gap, GapKind } from './gaps.js';

/** One restriction signal, with where it is stated. */
export interface SignalEvidence {
  readonly kind: SignalKind;
  readonly value: string;
  readonly at: string;
}

/** Restricted content: one sha256 (or, lacking one, one artifact), with everything said about it. */
export interface RestrictedInput {
  /** `sha256:<hex>`, or `artifact:<iri>` when no document gives it a hash. */
  readonly id: string;
  readonly sha256?: string;
  /** Names the documents give it (`accounts.tab`, `dataset`, `populace_uk_2023`). */
  readonly names: readonly string[];
  readonly signals: readonly SignalEvidence[];
  readonly externalIds: readonly string[];
  /** Every place the content is listed: `role at path#pointer`. */
  readonly occurrences: readonly string[];
  readonly pathCount: number;
  /** The furthest node types its paths reach (empty: it reaches no bundle or run). */
  readonly reaches: readonly EntityType[];
}

export interface PathStep {
  readonly type: EntityType;
  readonly label: string;
  readonly buildIds: readonly string[];
  readonly fingerprint?: string;
  readonly documents: readonly string[];
  /** How this step is reached from the previous one (the input, for the first step). */
  readonly evidence: readonly Evidence[];
}

export interface AuditPath {
  readonly input: string;
  readonly inputName: string;
  readonly steps: readonly PathStep[];
  /** `input → build X → release manifest Y → bundle Z → run W`, for reading and diffing. */
  readonly summary: string;
}

export interface RestrictedInputsAudit {
  readonly documents: number;
  readonly links: number;
  readonly inputs: readonly RestrictedInput[];
  readonly paths: readonly AuditPath[];
  readonly gaps: readonly Gap[];
  readonly problems: readonly LoadProblem[];
  /** True when a path limit cut enumeration short (the counts say how many were kept). */
  readonly truncated: boolean;
}

/** Paths enumerated per restricted input unless the caller sets a limit. */
const DEFAULT_MAX_PATHS = 1000;

export interface AuditOptions {
  /** Most paths enumerated per input (default 1000). */
  readonly maxPathsPerInput?: number;
}

/** Runs the audit over a loaded corpus (pure: no I/O). */
export function auditRestrictedInputs(corpus: Corpus, options: AuditOptions = {}): RestrictedInputsAudit {
  const maxPaths = options.maxPathsPerInput ?? DEFAULT_MAX_PATHS;
  const flow = buildFlow(corpus);
  const inputs = collectInputs(corpus, flow);
  const paths: AuditPath[] = [];
  const summaries: RestrictedInput[] = [];
  let truncated = false;
  // A step depends only on its chain link, and a group's sort key only on the group: both are shared by every
  // input's paths (at 10,000 documents the same few thousand steps recur in 21,000 paths).
  const steps = new Map<ChainLink, PathStep>();
  const step = (l: ChainLink): PathStep => {
    let s = steps.get(l);
    if (s === undefined) {
      s = stepOf(l);
      steps.set(l, s);
    }
    return s;
  };
  const sortKeys = new Map<string, string>();
  const sortKey = (key: string): string => {
    let k = sortKeys.get(key);
    if (k === undefined) {
      k = groupSortKey(flow, key);
      sortKeys.set(key, k);
    }
    return k;
  };
  for (const input of inputs) {
    const found: AuditPath[] = [];
    const reaches = new Set<EntityType>();
    for (const entry of startingPoints(flow, input.entries)) {
      const group = flow.groups.get(entry.group);
      if (group === undefined) continue;
      walk(flow, sortKey, [{ group, evidence: [entry.evidence] }], new Set([group.key]), (chain) => {
        const last = chain[chain.length - 1]?.group;
        if (last === undefined || !TERMINAL.has(last.type)) return true;
        if (found.length >= maxPaths) {
          truncated = true;
          return false;
        }
        reaches.add(last.type);
        found.push(toPath(input, chain.map(step)));
        return true;
      });
    }
    paths.push(...found);
    summaries.push({
      id: input.id,
      ...(input.sha256 === undefined ? {} : { sha256: input.sha256 }),
      names: input.names,
      signals: input.signals,
      externalIds: input.externalIds,
      occurrences: input.occurrences,
      pathCount: found.length,
      reaches: [...reaches].sort(compareCodePoints),
    });
  }
  paths.sort((a, b) => compareCodePoints(a.summary, b.summary) || compareCodePoints(a.input, b.input));
  return {
    documents: corpus.documents.length,
    links: corpus.links.length,
    inputs: summaries,
    paths,
    gaps: findGaps(corpus, flow, inputs),
    problems: corpus.problems,
    truncated,
  };
}

interface InputEntry {
  readonly group: string;
  readonly evidence: Evidence;
}

interface CollectedInput {
  readonly id: string;
  readonly sha256?: string;
  readonly names: string[];
  readonly signals: SignalEvidence[];
  readonly externalIds: string[];
  readonly occurrences: string[];
  /** Flow groups that consume the content, with the declaring evidence. */
  readonly entries: InputEntry[];
  readonly consumed: boolean;
  readonly hasHash: boolean;
}

/** Restricted content: every artifact any signal marks, merged by sha256 across documents. */
function collectInputs(corpus: Corpus, flow: Flow): CollectedInput[] {
  const byHash = new Map<string, { artifact: string; doc: (typeof corpus.documents)[number] }[]>();
  for (const doc of corpus.documents) {
    for (const a of doc.artifacts) {
      for (const h of a.sha256) {
        const list = byHash.get(h.value);
        if (list === undefined) byHash.set(h.value, [{ artifact: a.iri, doc }]);
        else list.push({ artifact: a.iri, doc });
      }
    }
  }
  const declaredFor = new Map<string, (typeof corpus.links)[number]>();
  for (const l of corpus.links) if (l.method === 'declared' && !declaredFor.has(l.target.node)) declaredFor.set(l.target.node, l);
  const out = new Map<string, CollectedInput>();
  for (const doc of corpus.documents) {
    for (const s of doc.facts.signals) {
      const info = flow.artifacts.get(s.artifact);
      if (info === undefined) continue;
      const sha = info.artifact.sha256[0]?.value;
      const id = sha === undefined ? `artifact:${s.artifact}` : `sha256:${sha}`;
      let input = out.get(id);
      if (input === undefined) {
        input = { id, ...(sha === undefined ? {} : { sha256: sha }), names: [], signals: [], externalIds: [], occurrences: [], entries: [], consumed: false, hasHash: sha !== undefined };
        out.set(id, input);
      }
      input.signals.push({ kind: s.kind, value: s.value, at: where(doc, s.pointer) });
    }
  }
  const result: CollectedInput[] = [];
  for (const input of out.values()) {
    const holders = input.sha256 === undefined ? [{ artifact: input.id.slice('artifact:'.length), doc: undefined }] : (byHash.get(input.sha256) ?? []);
    const entries: InputEntry[] = [];
    let consumed = false;
    for (const h of holders) {
      const info = flow.artifacts.get(h.artifact);
      if (info === undefined) continue;
      const a = info.artifact;
      const name = a.name ?? a.key;
      if (!input.names.includes(name)) input.names.push(name);
      for (const x of a.externalIds) if (!input.externalIds.includes(x.value)) input.externalIds.push(x.value);
      input.occurrences.push(`${a.role} at ${where(info.doc, a.pointer)}`);
      const group = flow.groupOf.get(a.entity);
      if (!CONSUMER_ROLES.has(a.role) || group === undefined) continue;
      consumed = true;
      const owner = flow.entities.get(a.entity);
      const declared = declaredFor.get(a.iri);
      entries.push({
        group,
        evidence:
          declared !== undefined
            ? evidenceOf(declared, new Map([[info.doc.graph, info.doc]]))
            : { method: 'declared', relation: a.role === 'input' ? 'consumed' : 'pins', value: a.key, from: owner === undefined ? info.doc.path : where(info.doc, owner.entity.pointer), to: where(info.doc, a.pointer) },
      });
    }
    input.signals.sort((x, y) => compareCodePoints(x.at, y.at));
    input.occurrences.sort(compareCodePoints);
    result.push({ ...input, entries, consumed });
  }
  return result.sort((a, b) => compareCodePoints(a.names[0] ?? '', b.names[0] ?? '') || compareCodePoints(a.id, b.id));
}

/** Entry points not downstream of another entry point (their paths are sub-paths of the upstream one's). */
function startingPoints(flow: Flow, entries: readonly InputEntry[]): InputEntry[] {
  const groups = new Set(entries.map((e) => e.group));
  const below = new Set<string>();
  for (const start of groups) {
    const stack = [...(flow.edges.get(start)?.keys() ?? [])];
    while (stack.length > 0) {
      const k = stack.pop() as string;
      if (below.has(k)) continue;
      below.add(k);
      stack.push(...(flow.edges.get(k)?.keys() ?? []));
    }
  }
  const kept = entries.filter((e) => !below.has(e.group));
  return kept.length > 0 ? kept : [...entries];
}

interface ChainLink {
  readonly group: FlowGroup;
  readonly evidence: readonly Evidence[];
}

const chainLinks = new WeakMap<readonly Evidence[], ChainLink>();

/** One ChainLink object per flow edge (its evidence array), so the steps built from it can be memoised. */
function chainLink(group: FlowGroup, evidence: readonly Evidence[]): ChainLink {
  let l = chainLinks.get(evidence);
  if (l === undefined || l.group !== group) {
    l = { group, evidence };
    chainLinks.set(evidence, l);
  }
  return l;
}

/** Depth-first over downstream edges; `emit` is called for every maximal chain (return false to stop). */
function walk(flow: Flow, sortKey: (group: string) => string, chain: ChainLink[], visited: Set<string>, emit: (chain: readonly ChainLink[]) => boolean): boolean {
  const last = chain[chain.length - 1];
  if (last === undefined) return true;
  const next = [...(flow.edges.get(last.group.key) ?? new Map<string, readonly Evidence[]>())].filter(([k]) => !visited.has(k));
  if (next.length === 0) return emit(chain);
  next.sort(([a], [b]) => compareCodePoints(sortKey(a), sortKey(b)));
  for (const [key, evidence] of next) {
    const group = flow.groups.get(key);
    if (group === undefined) continue;
    visited.add(key);
    chain.push(chainLink(group, evidence));
    const go = walk(flow, sortKey, chain, visited, emit);
    chain.pop();
    visited.delete(key);
    if (!go) return false;
  }
  return true;
}

function groupSortKey(flow: Flow, key: string): string {
  const g = flow.groups.get(key);
  return g === undefined ? key : `${g.members.map((m) => m.doc.path).sort(compareCodePoints)[0] ?? ''} ${key}`;
}

const TYPE_WORD: Readonly<Record<EntityType, string>> = {
  Build: 'build',
  ReleaseManifest: 'release manifest',
  Bundle: 'bundle',
  RunPayload: 'run payload',
  Run: 'run',
  SourceRegistry: 'source registry',
  Other: 'document',
};

function stepOf(link: ChainLink): PathStep {
  const g = link.group;
  const members = [...g.members].sort((a, b) => compareCodePoints(a.doc.path, b.doc.path));
  const buildIds = [...new Set(members.flatMap((m) => m.entity.buildIds.map((b) => b.value)))].sort(compareCodePoints);
  const fingerprint = members.find((m) => m.entity.fingerprint !== undefined)?.entity.fingerprint?.value;
  const label = g.type === 'Build' && buildIds.length > 0 ? `build ${buildIds.join(' = ')}` : (members[0]?.entity.label ?? g.key);
  const evidence = [...link.evidence].sort((a, b) => compareCodePoints(`${a.method} ${a.from} ${a.to}`, `${b.method} ${b.from} ${b.to}`));
  return { type: g.type, label, buildIds, ...(fingerprint === undefined ? {} : { fingerprint }), documents: [...new Set(members.flatMap((m) => m.doc.paths))], evidence };
}

function toPath(input: CollectedInput, steps: readonly PathStep[]): AuditPath {
  const inputName = input.names[0] ?? input.id;
  const parts = steps.map((s) => {
    if (s.type === 'Run') return `run ${s.fingerprint?.slice(0, 12) ?? ''} (${s.label})`;
    if (s.type === 'Bundle') return s.fingerprint === undefined ? s.label : `${s.label} ${s.fingerprint.slice(0, 12)}`;
    return s.type === 'Build' ? s.label : `${TYPE_WORD[s.type]} ${s.documents[0] ?? s.label}`;
  });
  return { input: input.id, inputName, steps, summary: [`${inputName} ${input.sha256?.slice(0, 12) ?? ''}`.trim(), ...parts].join(' → ') };
}

/**
 * Loads `dir` (see `loadCorpus`) and audits it. With a cache directory (and not `strict`), the audit is kept
 * under the corpus digest and its limits, so auditing an unchanged directory again reads one entry.
 */
export async function auditDirectory(dir: string, options: LoadOptions & AuditOptions = {}): Promise<RestrictedInputsAudit> {
  const question = {
    kind: 'audit restricted-inputs',
    params: [String(options.maxPathsPerInput ?? DEFAULT_MAX_PATHS)],
    toStored: (audit: RestrictedInputsAudit): unknown => audit,
    fromStored: (v: unknown): RestrictedInputsAudit | undefined => (isAudit(v) ? v : undefined),
  };
  return answerOverDirectory(dir, options, question, (corpus) => auditRestrictedInputs(corpus, options));
}

function isAudit(v: unknown): v is RestrictedInputsAudit {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Partial<Record<keyof RestrictedInputsAudit, unknown>>;
  return typeof o.documents === 'number' && typeof o.links === 'number' && typeof o.truncated === 'boolean' && [o.inputs, o.paths, o.gaps, o.problems].every(Array.isArray);
}
