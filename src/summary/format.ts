// The terminal view of a record summary: one screenful (about 40 lines at 100 columns), like tro-utils' composition info.
import type { ArtifactSummary, RecordSummary, ReleaseFacts } from './types.js';

const WIDTH = 100;

/** Shortens long text in the middle so a line stays within the width (hashes and URLs keep both ends). */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  const head = Math.ceil(keep * 0.6);
  return `${text.slice(0, head)}…${text.slice(text.length - (keep - head))}`;
}

function line(label: string, value: string | undefined): string[] {
  if (value === undefined || value === '') return [];
  const prefix = `${label.padEnd(13)} `;
  return [`${prefix}${clip(value, WIDTH - prefix.length)}`];
}

function pkg(name: string | undefined, version: string | undefined): string | undefined {
  if (name === undefined && version === undefined) return undefined;
  return `${name ?? '?'} ${version ?? '?'}`.trim();
}

function releaseLines(r: ReleaseFacts, prefix: string): string[] {
  const out: string[] = [];
  const head = [r.country === undefined ? undefined : `country ${r.country}`, r.bundleId === undefined ? undefined : `bundle ${r.bundleId}`].filter((x) => x !== undefined).join(', ');
  out.push(...line(`${prefix}release`, head === '' ? undefined : head));
  const wheel = r.model.wheelSha256 === undefined ? '' : ` (wheel ${r.model.wheelSha256.slice(0, 12)})`;
  out.push(...line(`${prefix}rules`, pkg(r.model.name, r.model.version) === undefined ? undefined : `${pkg(r.model.name, r.model.version)}${wheel}`));
  const d = r.data;
  const dataParts = [
    pkg(d.package, d.version),
    d.buildId === undefined ? undefined : `build ${d.buildId}`,
  ].filter((x) => x !== undefined);
  out.push(...line(`${prefix}data`, dataParts.length === 0 ? undefined : dataParts.join(', ')));
  if (d.dataset !== undefined) out.push(...line(`${prefix}dataset`, `${d.dataset.name ?? '?'}${d.dataset.sha256 === undefined ? '' : ` (${d.dataset.sha256.slice(0, 12)})`}`));
  if (d.releaseManifest !== undefined) {
    const rm = d.releaseManifest;
    out.push(...line(`${prefix}release mf`, rm.status ?? (rm.sha256 === undefined ? rm.location : `${rm.sha256.slice(0, 12)} ${rm.location ?? ''}`.trim())));
  }
  const c = r.certification;
  if (c.compatibilityBasis !== undefined) out.push(...line(`${prefix}certified`, `${c.compatibilityBasis}${c.certifiedForModelVersion === undefined ? '' : ` for ${c.certifiedForModelVersion}`}`));
  return out;
}

function artifactLine(a: ArtifactSummary): string {
  const hash = a.shortHash ?? '(no hash)    ';
  const loc = a.locations.length === 0 ? '(no location)' : a.locations.length === 1 ? (a.locations[0] as string) : `${a.locations[0] as string} (+${a.locations.length - 1})`;
  const id = clip(a.id, 22).padEnd(22);
  const flag = a.restricted ? ' [restricted]' : '';
  const head = `  ${id} ${hash.padEnd(12)} `;
  return `${head}${clip(`${loc}${flag}`, WIDTH - head.length)}`;
}

/** The text lines of `pe-trace show`. Artifacts beyond `maxArtifacts` are counted, not listed (the JSON has all). */
export function formatSummaryText(s: RecordSummary, options: { maxArtifacts?: number } = {}): string[] {
  const maxArtifacts = options.maxArtifacts ?? 12;
  const out: string[] = [];
  out.push(...line('kind', `${s.kind}${s.dialect === undefined ? '' : ` (dialect ${s.dialect})`}${s.source === 'run-record' ? ', run record folder' : ''}`));
  out.push(...line('name', s.name));
  const producer = s.producer === undefined ? undefined : `${s.producer.name ?? '?'}${s.producer.version === undefined ? '' : ` ${s.producer.version}`}`;
  out.push(...line('creator', [s.creator?.name, s.system].filter((x) => x !== undefined).join(' / ') || undefined));
  out.push(...line('producer', producer === undefined ? undefined : `${producer}${s.emittedIn === undefined ? '' : `, emitted in ${s.emittedIn}`}`));
  const dates = [s.dates.created === undefined ? undefined : `created ${s.dates.created}`, s.dates.started === undefined ? undefined : `started ${s.dates.started}`, s.dates.ended === undefined ? undefined : `ended ${s.dates.ended}`].filter((x) => x !== undefined);
  out.push(...line('dates', dates.length === 0 ? undefined : dates.join(', ')));
  out.push(...line('fingerprint', s.fingerprint === undefined ? undefined : `${s.fingerprint.value}${s.fingerprint.algorithm === 'sha256' ? '' : ` (${s.fingerprint.algorithm})`}`));
  if (s.simulationId !== undefined) out.push(...line('simulation', s.simulationId));
  for (const r of s.releases.slice(0, 3)) out.push(...releaseLines(r, ''));
  if (s.releases.length > 3) out.push(`(${s.releases.length - 3} more releases; see --json)`);
  for (const [key, p] of [['reform', s.reform], ['input', s.input], ['results', s.results]] as const) {
    if (p === undefined) continue;
    out.push(...line(key, `${p.sha256?.slice(0, 12) ?? '?'}${payloadText(p.facts)}`));
  }
  if (s.kind === 'build' || s.kind === 'unknown') {
    // A build's own facts (build id, gate verdicts, build date) are pe:/pop: fields: one line, clipped.
    const facts = Object.entries(s.extra).map(([k, v]) => `${k}=${v}`);
    out.push(...line('facts', facts.length === 0 ? undefined : facts.join(', ')));
  }
  const env = Object.entries(s.runtimeEnvironment).map(([k, v]) => `${k}=${v}`);
  out.push(...line('runtime', env.length === 0 ? undefined : env.join(', ')));
  if (s.citation?.['title'] !== undefined) out.push(...line('citation', `${s.citation['title']}${s.citation['publisher'] === undefined ? '' : ` (${s.citation['publisher']})`}`));
  const restricted = s.artifacts.filter((a) => a.restricted).length;
  out.push(`artifacts (${s.artifacts.length}${restricted === 0 ? '' : `, ${restricted} restricted`})`);
  for (const a of s.artifacts.slice(0, maxArtifacts)) out.push(artifactLine(a));
  if (s.artifacts.length > maxArtifacts) out.push(`  … ${s.artifacts.length - maxArtifacts} more (see --json)`);
  if (s.links.length > 0) {
    out.push('links');
    for (const l of s.links.slice(0, 8)) out.push(`  ${l.kind.padEnd(22)} ${clip(l.target, WIDTH - 25)}`);
    if (s.links.length > 8) out.push(`  … ${s.links.length - 8} more (see --json)`);
  }
  return out;
}

/** The readable part of a payload line: a reform's name and parameter count, an input/output dataset's file and year. */
function payloadText(f: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  if (f['name'] !== undefined) parts.push(f['name']);
  if (f['parameters'] !== undefined) parts.push(`${f['parameters']} parameter value(s)`);
  const file = f['dataset file'] ?? f['dataset name'];
  if (file !== undefined) parts.push(`dataset ${file}${f['dataset year'] === undefined ? '' : ` (${f['dataset year']})`}`);
  return parts.length === 0 ? '' : `  ${parts.join(', ')}`;
}
