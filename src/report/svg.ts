// The lineage graph as an inline SVG: one column per stage, restricted inputs highlighted, each edge labelled with its evidence.
import { escapeHtml, truncate } from './escape.js';
import type { LineageGraph, LineageNode, LineageStage } from './model.js';

const STAGE_ORDER: readonly LineageStage[] = ['input', 'build', 'manifest', 'bundle', 'payload', 'run', 'other'];
export const STAGE_TITLE: Readonly<Record<LineageStage, string>> = {
  input: 'restricted inputs',
  build: 'build',
  manifest: 'release manifest',
  bundle: 'bundle',
  payload: 'run payload',
  run: 'run',
  other: 'other',
};

const NODE_W = 230;
const NODE_H = 46;
const COL_GAP = 190;
const ROW_GAP = 26;
const TOP = 34;
const LABEL_CHARS = 32;
const EDGE_LABEL_CHARS = 25;

/** The SVG markup (no XML declaration; it sits inside the HTML page). Deterministic for the same graph. */
export function lineageSvg(graph: LineageGraph, titleId: string): string {
  const columns = STAGE_ORDER.map((stage) => graph.nodes.filter((n) => n.stage === stage)).filter((c) => c.length > 0);
  if (columns.length === 0) return '';
  const tallest = Math.max(...columns.map((c) => c.length));
  const height = TOP + tallest * (NODE_H + ROW_GAP) + 8;
  const width = columns.length * NODE_W + (columns.length - 1) * COL_GAP + 8;
  const pos = new Map<string, { x: number; y: number }>();
  columns.forEach((col, ci) => {
    const offset = ((tallest - col.length) * (NODE_H + ROW_GAP)) / 2;
    col.forEach((n, ri) => pos.set(n.key, { x: 4 + ci * (NODE_W + COL_GAP), y: TOP + offset + ri * (NODE_H + ROW_GAP) }));
  });
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="lineage-svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${titleId}">`);
  columns.forEach((col, ci) => {
    const stage = col[0]?.stage ?? 'other';
    out.push(`<text class="col-title" x="${4 + ci * (NODE_W + COL_GAP)}" y="16">${escapeHtml(STAGE_TITLE[stage])}</text>`);
  });
  for (const e of graph.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (a === undefined || b === undefined) continue;
    const x1 = a.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const x2 = b.x;
    const y2 = b.y + NODE_H / 2;
    const mx = (x1 + x2) / 2;
    const label = e.evidence.length === 0 ? '' : `${truncate(e.evidence[0] ?? '', EDGE_LABEL_CHARS)}${e.evidence.length > 1 ? ` +${e.evidence.length - 1}` : ''}`;
    out.push(`<g class="edge"><title>${escapeHtml(e.evidence.join('\n') || 'declared')}</title>`);
    out.push(`<path d="M${x1} ${y1} C${mx} ${y1} ${mx} ${y2} ${x2} ${y2}" marker-end="url(#arrow)"/>`);
    if (label !== '') {
      const lx = mx;
      const ly = (y1 + y2) / 2;
      const w = [...label].length * 6.1 + 8;
      out.push(`<rect class="edge-label-bg" x="${(lx - w / 2).toFixed(1)}" y="${ly - 9}" width="${w.toFixed(1)}" height="14" rx="3"/>`);
      out.push(`<text class="edge-label" x="${lx}" y="${ly + 2}" text-anchor="middle">${escapeHtml(label)}</text>`);
    }
    out.push('</g>');
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.key);
    if (p === undefined) continue;
    out.push(nodeMarkup(n, p.x, p.y));
  }
  out.push('<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="arrow-head"/></marker></defs>');
  out.push('</svg>');
  return out.join('');
}

function nodeMarkup(n: LineageNode, x: number, y: number): string {
  const cls = `node stage-${n.stage}${n.restricted ? ' restricted' : ''}`;
  const title = `${n.restricted ? 'restricted input: ' : ''}${n.label}${n.detail === undefined ? '' : ` (${n.detail})`}`;
  return [
    `<g class="${cls}"><title>${escapeHtml(title)}</title>`,
    `<rect x="${x}" y="${y}" width="${NODE_W}" height="${NODE_H}" rx="6"/>`,
    `<text class="node-label" x="${x + 8}" y="${y + 19}">${escapeHtml(truncate(n.label, LABEL_CHARS))}</text>`,
    n.detail === undefined ? '' : `<text class="node-detail" x="${x + 8}" y="${y + 36}">${escapeHtml(truncate(`${n.restricted ? '⚠ ' : ''}${n.detail}`, LABEL_CHARS + 4))}</text>`,
    '</g>',
  ].join('');
}
