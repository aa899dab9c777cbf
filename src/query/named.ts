// The named queries shipped in queries/ (select-*.rq, ask-*.rq): listing, lookup by name, their header lines.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { assetPath } from '../assets.js';
import { PeTraceError } from '../errors.js';
import { compareCodePoints } from '../json/canonical.js';
import type { GraphSelection } from './graph.js';

export interface NamedQuery {
  /** The name users type: the file name without `select-`/`ask-` and `.rq` (`bundles`, `restricted-inputs`). */
  readonly name: string;
  /** `queries/<file>`. */
  readonly file: string;
  /** The first comment line. */
  readonly description: string;
  /** `index` when the query reads only the index and links graphs (declared by a `# graphs: index` line). */
  readonly graphs: GraphSelection;
  readonly text: string;
}

const NAMED_RE = /^(select|ask)-([a-z0-9-]+)\.rq$/;

/** Header facts of a query text: the first `#` line is the description; `# graphs: index` narrows the load. */
export function queryHeader(text: string): { description: string; graphs: GraphSelection } {
  const comments: string[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('#')) break;
    comments.push(t.replace(/^#\s?/, ''));
  }
  const graphs = comments.some((c) => /^graphs:\s*index\s*$/i.test(c)) ? 'index' : 'all';
  return { description: comments[0] ?? '', graphs };
}

/** Every named query, by name. */
export function listNamedQueries(): NamedQuery[] {
  const dir = dirname(assetPath('queries', 'x.rq'));
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (e) {
    throw new PeTraceError('ASSET_BROKEN', 'the shipped queries/ folder is missing', { cause: e });
  }
  const out: NamedQuery[] = [];
  for (const file of files) {
    const m = NAMED_RE.exec(file);
    if (m === null) continue;
    const text = readFileSync(assetPath('queries', file), 'utf8');
    out.push({ name: m[2] ?? file, file: `queries/${file}`, ...queryHeader(text), text });
  }
  return out.sort((a, b) => compareCodePoints(a.name, b.name));
}

/** A named query by its name (`bundles`) or file stem (`select-bundles`); undefined when there is none. */
export function findNamedQuery(name: string): NamedQuery | undefined {
  const stem = name.replace(/\.rq$/, '');
  return listNamedQueries().find((q) => q.name === stem || q.file === `queries/${stem}.rq`);
}
