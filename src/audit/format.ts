// The restricted-input audit as readable text: paths grouped by their shared chain, evidence per step, then the gaps.
import type { Evidence } from '../query/flow.js';
import type { AuditPath, RestrictedInput, RestrictedInputsAudit } from './restricted-inputs.js';

const METHOD_WORD: Readonly<Record<Evidence['method'], string>> = {
  declared: 'declared',
  'hash-match': 'hash match',
  'id-match': 'id match',
  'uri-match': 'URI match',
  'fingerprint-match': 'fingerprint match',
};

function short(value: string): string {
  return /^[0-9a-f]{64}$/.test(value) ? `${value.slice(0, 12)}…` : value;
}

function evidenceLine(e: Evidence): string {
  return `${METHOD_WORD[e.method]} (${e.relation} ${short(e.value)}): ${e.from} = ${e.to}`;
}

function signalSummary(input: RestrictedInput): string {
  const kinds = [...new Set(input.signals.map((s) => `${s.kind} ${short(s.value)}`))];
  return kinds.join('; ');
}

/** Lines for stdout. `dir` is the directory as the user typed it. */
export function formatAuditText(audit: RestrictedInputsAudit, dir: string): string[] {
  const out: string[] = [];
  const reaching = audit.inputs.filter((i) => i.pathCount > 0);
  out.push(`restricted-input audit of ${dir}: ${audit.documents} document(s), ${audit.links} link(s)`);
  out.push(`restricted content: ${audit.inputs.length} (${reaching.length} reach a bundle or run), ${audit.paths.length} path(s), ${audit.gaps.length} gap(s)`);
  const inputs = new Map(audit.inputs.map((i) => [i.id, i]));

  // Paths sharing every step after the input are printed once, with the list of inputs.
  const groups = new Map<string, AuditPath[]>();
  for (const p of audit.paths) {
    const key = p.steps.map((s, i) => `${s.label}|${s.documents.join(',')}|${i === 0 ? '' : s.evidence.map(evidenceLine).join(';')}`).join('→');
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  out.push('');
  out.push(`paths (${audit.paths.length}):`);
  if (audit.paths.length === 0) out.push('  (none: no restricted content reaches a bundle or a run in this corpus)');
  let n = 0;
  for (const paths of groups.values()) {
    const first = paths[0];
    if (first === undefined) continue;
    n++;
    out.push(`  [${n}] ${paths.length === 1 ? first.summary : `${paths.length} inputs → ${first.summary.split(' → ').slice(1).join(' → ')}`}`);
    for (const p of paths) {
      const input = inputs.get(p.input);
      const ids = input === undefined || input.externalIds.length === 0 ? '' : ` [${input.externalIds.join(', ')}]`;
      out.push(`      input ${p.inputName} ${p.input.startsWith('sha256:') ? `sha256 ${short(p.input.slice(7))}` : ''}${ids}`.trimEnd());
      if (input !== undefined) out.push(`        restricted: ${signalSummary(input)}`);
      for (const e of p.steps[0]?.evidence ?? []) out.push(`        ${evidenceLine(e)}`);
    }
    first.steps.forEach((s, i) => {
      out.push(`      → ${s.label}${s.fingerprint === undefined ? '' : ` (fingerprint ${short(s.fingerprint)})`}: ${s.documents.join(', ')}`);
      if (i > 0) for (const e of s.evidence) out.push(`          ${evidenceLine(e)}`);
    });
  }
  const unreached = audit.inputs.filter((i) => i.pathCount === 0);
  if (unreached.length > 0) {
    out.push('');
    out.push(`restricted content reaching no bundle or run (${unreached.length}):`);
    for (const i of unreached) out.push(`  ${i.names[0] ?? i.id} ${i.sha256 === undefined ? '(no sha256)' : `sha256 ${short(i.sha256)}`}: ${signalSummary(i)}`);
  }
  out.push('');
  out.push(`gaps (${audit.gaps.length}):`);
  if (audit.gaps.length === 0) out.push('  (none)');
  for (const g of audit.gaps) {
    out.push(`  ${g.kind}: ${g.subject}`);
    out.push(`      ${g.message}`);
    if (g.affects.length > 0) out.push(`      affects: ${g.affects.join(', ')}`);
  }
  if (audit.truncated) out.push('', 'note: path enumeration was cut at --max-paths per input; counts above are of the paths kept');
  return out;
}
