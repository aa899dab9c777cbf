// The audit's answer in a few lines: which runs and bundles restricted inputs reach, and through which inputs; plus filters.
import { compareCodePoints } from '../json/canonical.js';
import type { AuditPath, PathStep, RestrictedInput, RestrictedInputsAudit } from './restricted-inputs.js';

/** A restricted input as the answer names it. */
export interface AnswerInput {
  /** `sha256:<hex>` or `artifact:<iri>`, as in `RestrictedInputsAudit.inputs`. */
  readonly id: string;
  readonly name: string;
  readonly sha256?: string;
}

/** A run or a bundle that restricted content reaches. */
export interface ReachedNode {
  readonly type: 'Run' | 'Bundle';
  /** The composition fingerprint (sha256 hex) when the node is a TRO; absent for manifest entries. */
  readonly fingerprint?: string;
  readonly label: string;
  readonly documents: readonly string[];
  /** The restricted inputs with at least one path to this node, by name. */
  readonly inputs: readonly AnswerInput[];
  /** How many audit paths pass through this node. */
  readonly pathCount: number;
}

/** The answer an auditor asks first: what is reached, by what. Evidence stays in the audit's paths. */
export interface AuditAnswer {
  readonly runs: readonly ReachedNode[];
  readonly bundles: readonly ReachedNode[];
  /** Restricted inputs (after filters) that reach at least one bundle or run. */
  readonly reaching: readonly AnswerInput[];
  /** Restricted inputs (after filters) that reach none. */
  readonly unreached: readonly AnswerInput[];
  readonly gaps: number;
}

/** What the auditor narrowed the question to. Each list matches when any entry matches (empty: no narrowing). */
export interface AuditFilter {
  /** A restricted input's id (`sha256:…`), a sha256 or a prefix of ≥ 8 hex digits, a name, or an external id (DOI, UKDS study). */
  readonly inputs?: readonly string[];
  /** A bundle's fingerprint or a prefix of ≥ 8 hex digits, its label (`bundle manifest entry uk-5.0.3`), or a document path. */
  readonly bundles?: readonly string[];
}

function hexPrefixMatch(query: string, value: string | undefined): boolean {
  const q = query.toLowerCase().replace(/^sha256:/, '');
  return value !== undefined && /^[0-9a-f]{8,64}$/.test(q) && value.toLowerCase().startsWith(q);
}

/** Whether `query` names this restricted input. */
export function inputMatches(input: RestrictedInput, query: string): boolean {
  return input.id === query || hexPrefixMatch(query, input.sha256) || input.names.includes(query) || input.externalIds.some((x) => x === query || x.endsWith(`=${query}`));
}

/** Whether `query` names this bundle step. */
export function bundleMatches(step: PathStep, query: string): boolean {
  return step.type === 'Bundle' && (hexPrefixMatch(query, step.fingerprint) || step.label === query || step.documents.includes(query));
}

/** The audit narrowed to the filter: inputs and paths that match (gaps are kept: they are about the corpus). */
export function filterAudit(audit: RestrictedInputsAudit, filter: AuditFilter): RestrictedInputsAudit {
  const inputQueries = filter.inputs ?? [];
  const bundleQueries = filter.bundles ?? [];
  if (inputQueries.length === 0 && bundleQueries.length === 0) return audit;
  const inputs = inputQueries.length === 0 ? audit.inputs : audit.inputs.filter((i) => inputQueries.some((q) => inputMatches(i, q)));
  const ids = new Set(inputs.map((i) => i.id));
  const paths = audit.paths.filter((p) => ids.has(p.input) && (bundleQueries.length === 0 || p.steps.some((s) => bundleQueries.some((q) => bundleMatches(s, q)))));
  const counts = new Map<string, number>();
  for (const p of paths) counts.set(p.input, (counts.get(p.input) ?? 0) + 1);
  // With a bundle filter, an input "reaches" only through the kept paths.
  const narrowed = bundleQueries.length === 0 ? inputs : inputs.map((i) => ({ ...i, pathCount: counts.get(i.id) ?? 0, reaches: reachedTypes(paths.filter((p) => p.input === i.id)) }));
  return { ...audit, inputs: narrowed, paths };
}

function reachedTypes(paths: readonly AuditPath[]): RestrictedInput['reaches'] {
  const types = new Set<RestrictedInput['reaches'][number]>();
  for (const p of paths) {
    const last = p.steps[p.steps.length - 1];
    if (last !== undefined) types.add(last.type);
  }
  return [...types].sort(compareCodePoints);
}

/** The filter entries that match nothing in the audit (for a warning: a typo must not pass silently). */
export function unmatchedFilters(audit: RestrictedInputsAudit, filter: AuditFilter): { inputs: string[]; bundles: string[] } {
  return {
    inputs: (filter.inputs ?? []).filter((q) => !audit.inputs.some((i) => inputMatches(i, q))),
    bundles: (filter.bundles ?? []).filter((q) => !audit.paths.some((p) => p.steps.some((s) => bundleMatches(s, q)))),
  };
}

function answerInput(i: RestrictedInput): AnswerInput {
  return { id: i.id, name: i.names[0] ?? i.id, ...(i.sha256 === undefined ? {} : { sha256: i.sha256 }) };
}

/** The node's identity: its fingerprint when it has one, else its label and first document. */
function nodeKey(s: PathStep): string {
  return s.fingerprint !== undefined ? `fp:${s.fingerprint}` : `label:${s.label}|${s.documents[0] ?? ''}`;
}

/** Builds the answer from an audit (filtered or not). Pure and deterministic. */
export function auditAnswer(audit: RestrictedInputsAudit): AuditAnswer {
  const byId = new Map(audit.inputs.map((i) => [i.id, i]));
  const nodes = new Map<string, { step: PathStep; inputs: Set<string>; documents: Set<string>; paths: number }>();
  for (const p of audit.paths) {
    for (const s of p.steps) {
      if (s.type !== 'Run' && s.type !== 'Bundle') continue;
      const key = nodeKey(s);
      let n = nodes.get(key);
      if (n === undefined) {
        n = { step: s, inputs: new Set(), documents: new Set(), paths: 0 };
        nodes.set(key, n);
      }
      n.inputs.add(p.input);
      for (const d of s.documents) n.documents.add(d);
      n.paths++;
    }
  }
  const reached: ReachedNode[] = [...nodes.values()].map((n) => ({
    type: n.step.type === 'Run' ? 'Run' : 'Bundle',
    ...(n.step.fingerprint === undefined ? {} : { fingerprint: n.step.fingerprint }),
    label: n.step.label,
    documents: [...n.documents].sort(compareCodePoints),
    inputs: [...n.inputs]
      .map((id) => byId.get(id))
      .filter((i): i is RestrictedInput => i !== undefined)
      .map(answerInput)
      .sort((a, b) => compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id)),
    pathCount: n.paths,
  }));
  // Fingerprinted TROs first (what a paper cites), then manifest entries; within each, by label then document.
  const order = (a: ReachedNode, b: ReachedNode): number =>
    Number(a.fingerprint === undefined) - Number(b.fingerprint === undefined) || compareCodePoints(a.label, b.label) || compareCodePoints(a.documents[0] ?? '', b.documents[0] ?? '') || compareCodePoints(a.fingerprint ?? '', b.fingerprint ?? '');
  const reachingIds = new Set(audit.paths.map((p) => p.input));
  return {
    runs: reached.filter((n) => n.type === 'Run').sort(order),
    bundles: reached.filter((n) => n.type === 'Bundle').sort(order),
    reaching: audit.inputs.filter((i) => reachingIds.has(i.id)).map(answerInput),
    unreached: audit.inputs.filter((i) => !reachingIds.has(i.id)).map(answerInput),
    gaps: audit.gaps.length,
  };
}

/** Nodes and input names listed in the text answer before "… and N more". */
const TEXT_LIMIT = 12;
const NAMES_LIMIT = 4;
const INPUTS_LIMIT = 8;

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function nodeLine(n: ReachedNode): string[] {
  const id = n.fingerprint === undefined ? '(no fingerprint)' : n.fingerprint.slice(0, 12);
  const doc = n.documents.length === 0 ? '' : `  ${n.documents[0]}${n.documents.length > 1 ? ` (+${n.documents.length - 1})` : ''}`;
  const names = n.inputs.map((i) => i.name);
  const shown = names.slice(0, NAMES_LIMIT).join(', ') + (names.length > NAMES_LIMIT ? `, and ${names.length - NAMES_LIMIT} more` : '');
  return [`  ${id}  ${n.label}${doc}`, `      by ${plural(n.inputs.length, 'restricted input')}: ${shown}`];
}

/**
 * The answer as the first lines of `audit restricted-inputs`: a verdict line, the runs and bundles reached with the
 * inputs that reach them, and one line on what is not shown. `dir` is the directory as the user typed it.
 */
export function formatAnswerText(answer: AuditAnswer, dir: string, documents: number, options: { verbose?: boolean } = {}): string[] {
  const out: string[] = [];
  const n = answer.runs.length + answer.bundles.length;
  out.push(
    n === 0
      ? `${dir}: no restricted input reaches a bundle or a run (${plural(documents, 'document')} read).`
      : `${dir}: ${plural(answer.reaching.length, 'restricted input')} ${answer.reaching.length === 1 ? 'reaches' : 'reach'} ${plural(answer.runs.length, 'run')} and ${plural(answer.bundles.length, 'bundle')} (${plural(documents, 'document')} read).`,
  );
  const section = (title: string, nodes: readonly ReachedNode[]): void => {
    if (nodes.length === 0) return;
    out.push('', `${title} (${nodes.length}):`);
    for (const node of nodes.slice(0, TEXT_LIMIT)) out.push(...nodeLine(node));
    if (nodes.length > TEXT_LIMIT) out.push(`  … and ${nodes.length - TEXT_LIMIT} more (--json lists them all)`);
  };
  section('runs reached', answer.runs);
  section('bundles reached', answer.bundles);
  if (answer.reaching.length > 0) {
    // The same answer read the other way: what each input reaches (the question an input's owner asks).
    const runs = new Map<string, number>();
    const bundles = new Map<string, number>();
    for (const [nodes, counts] of [[answer.runs, runs], [answer.bundles, bundles]] as const) for (const n of nodes) for (const i of n.inputs) counts.set(i.id, (counts.get(i.id) ?? 0) + 1);
    out.push('', `restricted inputs reaching them (${answer.reaching.length}):`);
    // Those reaching most runs, then most bundles, first: the ones an auditor reads about first.
    const ranked = [...answer.reaching].sort((a, b) => (runs.get(b.id) ?? 0) - (runs.get(a.id) ?? 0) || (bundles.get(b.id) ?? 0) - (bundles.get(a.id) ?? 0) || compareCodePoints(a.name, b.name) || compareCodePoints(a.id, b.id));
    for (const i of ranked.slice(0, INPUTS_LIMIT)) {
      out.push(`  ${i.name}${i.sha256 === undefined ? '' : ` ${i.sha256.slice(0, 12)}`}: ${plural(runs.get(i.id) ?? 0, 'run')}, ${plural(bundles.get(i.id) ?? 0, 'bundle')}`);
    }
    if (answer.reaching.length > INPUTS_LIMIT) out.push(`  … and ${answer.reaching.length - INPUTS_LIMIT} more (--input NAME or a sha256 prefix narrows to one)`);
  }
  out.push('');
  const rest = [
    ...(answer.unreached.length === 0 ? [] : [`${plural(answer.unreached.length, 'other restricted input')} ${answer.unreached.length === 1 ? 'reaches' : 'reach'} nothing`]),
    `${plural(answer.gaps, 'gap')} where the corpus cannot answer`,
  ];
  out.push(options.verbose === true ? `${rest.join('; ')}: every path, its evidence and the gaps follow.` : `${rest.join('; ')}. For each path with its evidence, and the gaps: add --verbose (or --json).`);
  return out;
}
