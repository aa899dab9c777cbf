// The report as one self-contained HTML page: escaped text, inline style and script pinned by a strict CSP, no requests.
import { createHash } from 'node:crypto';
import type { AuditPath, ReachedNode } from '../audit/index.js';
import { REPORT_CSS, REPORT_JS } from './assets.js';
import { escapeHtml as h, shortHash } from './escape.js';
import type { AuditView, LineageGraph, RecordView, ReportModel, SignatureView } from './model.js';
import { STAGE_TITLE, lineageSvg } from './svg.js';

/** Paths rendered with their evidence; the rest are counted (the JSON audit has them all). Keeps 10,000 documents usable. */
export const MAX_RENDERED_PATHS = 300;
/** Reached runs/bundles listed in the answer tables. */
export const MAX_RENDERED_NODES = 500;
/** Rows shown before "Show more" (every row is in the page; printing shows them all). */
const PAGE_SIZE = 50;

function cspHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The page. Same model, same bytes. */
export function renderReportHtml(model: ReportModel): string {
  const csp = `default-src 'none'; style-src ${cspHash(REPORT_CSS)}; script-src ${cspHash(REPORT_JS)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const overall = overallVerdict(model);
  const body: string[] = [];
  body.push('<a class="skip" href="#main">Skip to the report</a>');
  body.push('<header>');
  body.push(`<h1>${model.mode === 'dir' ? 'Restricted-input audit' : 'Provenance report'}</h1>`);
  body.push(`<p class="subject">${h(model.mode === 'dir' ? 'directory' : model.mode === 'record' ? 'run record' : 'TRO')} <code>${h(model.subject)}</code></p>`);
  body.push(`<p><span class="verdict ${overall.cls}" id="overall-verdict">${h(overall.text)}</span></p>`);
  body.push('</header>');
  body.push('<main id="main">');
  if (model.audit !== undefined) body.push(auditAnswerSection(model.audit, model.subject));
  model.records.forEach((r, i) => body.push(recordSection(r, i, model.records.length)));
  body.push(lineageSection(model.lineage, model.mode));
  if (model.audit !== undefined) body.push(auditPathsSection(model.audit));
  const checks = model.records.filter((r) => r.shacl !== undefined || r.conformance !== undefined);
  if (checks.length > 0) body.push(checksSection(checks));
  body.push('</main>');
  body.push(`<footer>Made by ${h(model.generator)}${model.reportTime === undefined ? '' : `; verdict at ${h(model.reportTime)}`}. This file makes no network request; artifacts were re-hashed when the report was made.</footer>`);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Built from constants and base64 digests only (no quote, no markup), so it is written as is.
    `<meta http-equiv="Content-Security-Policy" content="${csp}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    `<title>${h(`${model.mode === 'dir' ? 'Audit' : 'Report'}: ${model.subject} (pe-trace)`)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    ...body,
    `<script>${REPORT_JS}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function overallVerdict(model: ReportModel): { text: string; cls: string } {
  if (model.mode === 'dir' && model.audit !== undefined) {
    const a = model.audit.answer;
    const n = a.runs.length + a.bundles.length;
    return n === 0 ? { text: 'No restricted input reaches a bundle or run', cls: 'v-ok' } : { text: `Restricted inputs reach ${a.runs.length} run(s) and ${a.bundles.length} bundle(s)`, cls: 'v-warn' };
  }
  if (model.records.length === 0) return { text: 'Nothing to verify', cls: 'v-warn' };
  if (model.records.some((r) => r.signature.state === 'failed')) return { text: 'Signature failed', cls: 'v-bad' };
  const verdicts = model.records.map(recordVerdict);
  if (verdicts.some((v) => v.key === 'not-verified')) return { text: 'Not verified', cls: 'v-bad' };
  const unchecked = model.records.reduce((n, r) => n + uncheckedCount(r), 0);
  return unchecked > 0 ? { text: `Partly verified: ${unchecked} artifact(s) not checked`, cls: 'v-warn' } : { text: 'Verified', cls: 'v-ok' };
}

/** Artifacts neither matched nor mismatched: not fetched (https without --fetch, a missing file) or unverifiable. */
function uncheckedCount(r: RecordView): number {
  return r.artifacts.filter((a) => a.verdict === 'not fetched' || a.verdict === 'unverifiable').length;
}

/**
 * A record's verdict: not verified when a hash or the fingerprint does not match (or it is unreadable); partly verified
 * when all that was checked matches but some artifacts could not be checked here; verified otherwise.
 */
function recordVerdict(r: RecordView): { key: 'verified' | 'partly-verified' | 'not-verified'; text: string; cls: string } {
  if (r.unreadable !== undefined || r.fingerprint.status !== 'ok' || r.artifacts.some((a) => a.verdict === 'mismatch')) return { key: 'not-verified', text: 'Not verified', cls: 'v-bad' };
  const n = uncheckedCount(r);
  if (n > 0 || !r.verified) return { key: 'partly-verified', text: `Partly verified: ${n} artifact(s) not checked`, cls: 'v-warn' };
  return { key: 'verified', text: 'Verified', cls: 'v-ok' };
}

function verdictClass(v: string): string {
  return `v-${v.replace(/\s+/g, '-')}`;
}

function signatureBlock(s: SignatureView, id: string): string {
  switch (s.state) {
    case 'absent':
      return `<dt>signature</dt><dd><span class="v-absent" id="${id}">none beside the TRO</span></dd>`;
    case 'not-checked':
      return `<dt>signature</dt><dd><span class="v-not-checked" id="${id}">present, not checked</span>: <code>${h(s.file)}</code> (${h(s.reason)})</dd>`;
    case 'failed':
      return `<dt>signature</dt><dd><span class="v-failed" id="${id}">failed</span>: <code>${h(s.file)}</code>: ${h(s.message)}</dd>`;
    case 'verified':
      return `<dt>signature</dt><dd><span class="v-ok" id="${id}">verified</span>: <code>${h(s.file)}</code></dd><dt>key</dt><dd>${h(s.keyName)} <code>${h(s.keyid)}</code>, ${h(s.keyStatus)}</dd><dt>signed</dt><dd>${h(s.signingTime)} (${h(s.timeSource)})</dd>`;
  }
}

function recordSection(r: RecordView, i: number, count: number): string {
  const id = `record-${i}`;
  const out: string[] = [];
  out.push(`<section class="record" id="${id}" aria-labelledby="${id}-title">`);
  out.push(`<h2 id="${id}-title">${h(r.name ?? r.label)}</h2>`);
  if (r.unreadable !== undefined) {
    out.push(`<p><span class="verdict v-bad" data-record-verdict="unreadable">Unreadable</span></p><p><code>${h(r.label)}</code>: ${h(r.unreadable)}</p></section>`);
    return out.join('\n');
  }
  const fpStatus = r.fingerprint.status;
  const verdict = recordVerdict(r);
  out.push(`<div class="card"><p><span class="verdict ${verdict.cls}" data-record-verdict="${verdict.key}">${h(verdict.text)}</span>${count > 1 ? ` <code>${h(r.label)}</code>` : ''}</p>`);
  out.push('<dl class="facts">');
  out.push(`<dt>fingerprint</dt><dd><code class="fingerprint">${h(r.fingerprint.claimed ?? '(none claimed)')}</code> <span class="${verdictClass(fpStatus === 'ok' ? 'ok' : 'mismatch')}" data-fingerprint-status="${h(fpStatus)}">${h(fpStatus)}</span>${fpStatus === 'ok' ? '' : ` (recomputed <code>${h(r.fingerprint.computed)}</code>)`}</dd>`);
  out.push(`<dt>dialect</dt><dd>${h(r.dialect)}</dd>`);
  out.push(signatureBlock(r.signature, `${id}-signature`));
  out.push('</dl></div>');
  // Artifacts
  out.push(`<h3 id="${id}-artifacts">Artifacts re-hashed (${r.artifacts.length})</h3>`);
  out.push(`<div class="table-wrap"><table aria-labelledby="${id}-artifacts"><thead><tr><th scope="col">artifact</th><th scope="col">verdict</th><th scope="col">location</th><th scope="col" class="hide-narrow">sha256 claimed</th></tr></thead><tbody>`);
  for (const a of r.artifacts) {
    const detail = a.verdict === 'mismatch' && a.actual !== undefined ? `<br><span class="v-mismatch">found <code>${h(shortHash(a.actual))}</code></span>` : a.detail !== undefined && a.verdict !== 'ok' ? `<br>${h(a.detail)}` : '';
    out.push(
      `<tr data-artifact="${h(a.id)}" data-verdict="${h(a.verdict)}"><td>${h(a.name ?? a.id)}${a.name !== undefined && a.name !== a.id ? `<br><code>${h(a.id)}</code>` : ''}</td><td><span class="${verdictClass(a.verdict)}">${h(a.verdict)}</span>${detail}</td><td><code>${h(a.location ?? '(no location)')}</code></td><td class="hide-narrow"><code>${h(a.expected === null ? '—' : shortHash(a.expected))}</code></td></tr>`,
    );
  }
  out.push('</tbody></table></div>');
  if (r.citation !== undefined) {
    out.push(`<div class="card citation" id="${id}-citation"><h3>Cite this record</h3>`);
    out.push(`<pre id="${id}-citation-text">${h(r.citation.text)}</pre>`);
    out.push(`<p><button type="button" data-copy="${id}-citation-text" data-status="${id}-copy-status" hidden>Copy citation</button><span class="status" id="${id}-copy-status" role="status" aria-live="polite"></span></p>`);
    out.push(`<p class="legend">Keyed by the composition fingerprint <code>${h(r.citation.key)}</code>.</p></div>`);
  }
  if (r.badge !== undefined) {
    const b = r.badge;
    const row = (k: string, v: string | undefined): string => (v === undefined ? '' : `<dt>${h(k)}</dt><dd><code>${h(v)}</code></dd>`);
    out.push(`<div class="badge" id="${id}-badge" aria-label="rules and data">`);
    out.push(`<div class="side rules"><h3>Rules (model)</h3><dl class="facts">${row('package', b.modelPackage)}${row('version', b.modelVersion)}${b.modelPackage === undefined && b.modelVersion === undefined ? '<dt>model</dt><dd>not stated</dd>' : ''}</dl></div>`);
    out.push(`<div class="side data"><h3>Data</h3><dl class="facts">${row('package', b.dataPackage)}${row('version', b.dataVersion)}${row('build', b.dataBuild)}${row('dataset', b.dataset)}${[b.dataPackage, b.dataBuild, b.dataset].every((x) => x === undefined) ? '<dt>data</dt><dd>not stated</dd>' : ''}</dl></div>`);
    out.push(`<div class="side bundle"><h3>Bundle</h3><dl class="facts">${row('bundle', b.bundleId)}${b.bundleId === undefined ? '<dt>bundle</dt><dd>not stated</dd>' : ''}</dl></div>`);
    out.push('</div>');
  }
  out.push('</section>');
  return out.join('\n');
}

function lineageSection(g: LineageGraph, mode: ReportModel['mode']): string {
  const out: string[] = ['<section id="lineage" aria-labelledby="lineage-title">', '<h2 id="lineage-title">Lineage</h2>'];
  if (g.nodes.length === 0) {
    out.push(`<p>${mode === 'dir' ? 'No restricted input reaches a bundle or a run, so there is no lineage to draw.' : 'This record states no links to a bundle, a data release or a build.'}</p></section>`);
    return out.join('\n');
  }
  out.push('<p class="legend"><span class="swatch" aria-hidden="true"></span>restricted input. Restricted inputs → build → release manifest → bundle → run; each arrow is labelled with its evidence (the full list is below the graph).</p>');
  out.push(`<div class="graph" tabindex="0" role="group" aria-label="lineage graph, scrollable">${lineageSvg(g, 'lineage-title')}</div>`);
  if (g.omitted > 0) out.push(`<p class="legend">${g.omitted} more path(s) are not drawn, to keep the graph readable; every path is listed with its evidence below.</p>`);
  const byKey = new Map(g.nodes.map((n) => [n.key, n]));
  out.push(`<details id="lineage-links"><summary>Links and their evidence (${g.edges.length})</summary><div class="table-wrap"><table><thead><tr><th scope="col">from</th><th scope="col">to</th><th scope="col">evidence</th></tr></thead><tbody>`);
  for (const e of g.edges) {
    const from = byKey.get(e.from);
    const to = byKey.get(e.to);
    const name = (n: typeof from): string => (n === undefined ? '' : `${n.restricted ? '<span class="restricted-tag">restricted</span> ' : ''}${h(n.label)} <span class="legend">(${h(STAGE_TITLE[n.stage])})</span>`);
    out.push(`<tr><td>${name(from)}</td><td>${name(to)}</td><td>${e.evidence.map((x) => `<code>${h(x)}</code>`).join('<br>') || 'declared'}</td></tr>`);
  }
  out.push('</tbody></table></div></details></section>');
  return out.join('\n');
}

function reachedTable(title: string, id: string, nodes: readonly ReachedNode[]): string {
  if (nodes.length === 0) return '';
  const shown = nodes.slice(0, MAX_RENDERED_NODES);
  const out: string[] = [`<h3 id="${id}-title">${h(title)} (${nodes.length})</h3>`];
  out.push(`<div class="table-wrap"><table aria-labelledby="${id}-title" id="${id}"><thead><tr><th scope="col">fingerprint</th><th scope="col">${title.startsWith('Runs') ? 'run' : 'bundle'}</th><th scope="col">reached by</th></tr></thead><tbody>`);
  for (const n of shown) {
    const names = n.inputs.map((i) => i.name);
    out.push(
      `<tr data-fingerprint="${h(n.fingerprint ?? '')}"><td class="nowrap"><code>${h(n.fingerprint === undefined ? '(none)' : shortHash(n.fingerprint))}</code></td><td>${h(n.label)}<br><code>${h(n.documents[0] ?? '')}</code>${n.documents.length > 1 ? ` (+${n.documents.length - 1})` : ''}</td><td>${n.inputs.length} restricted input(s): ${h(names.slice(0, 6).join(', '))}${names.length > 6 ? `, and ${names.length - 6} more` : ''}</td></tr>`,
    );
  }
  out.push('</tbody></table></div>');
  if (nodes.length > shown.length) out.push(`<p class="legend">${nodes.length - shown.length} more: <code>pe-trace audit restricted-inputs --json</code> lists them all.</p>`);
  return out.join('\n');
}

function auditAnswerSection(a: AuditView, subject: string): string {
  const ans = a.answer;
  const out: string[] = ['<section id="answer" aria-labelledby="answer-title">', '<h2 id="answer-title">The answer: what restricted inputs reach</h2>'];
  const n = ans.runs.length + ans.bundles.length;
  out.push(
    `<p id="answer-summary">${
      n === 0
        ? `No restricted input reaches a bundle or a run in <code>${h(subject)}</code>`
        : `${ans.reaching.length} restricted input(s) reach <strong>${ans.runs.length} run(s)</strong> and <strong>${ans.bundles.length} bundle(s)</strong>`
    } (${a.documents} documents read, ${a.links} links). ${ans.unreached.length} other restricted input(s) reach nothing; ${ans.gaps} gap(s) where the corpus cannot answer.</p>`,
  );
  out.push(reachedTable('Runs reached', 'runs-reached', ans.runs));
  out.push(reachedTable('Bundles reached', 'bundles-reached', ans.bundles));
  if (a.problems.length > 0) out.push(`<details><summary>${a.problems.length} file(s) skipped</summary><ul>${a.problems.map((p) => `<li><code>${h(p)}</code></li>`).join('')}</ul></details>`);
  out.push('</section>');
  return out.join('\n');
}

function pathItem(p: AuditPath): string {
  const steps = p.steps
    .map((s) => {
      const ev = s.evidence.map((e) => `<li>${h(e.method)} (${h(e.relation)} <code>${h(shortHash(e.value))}</code>): <code>${h(e.from)}</code> = <code>${h(e.to)}</code></li>`).join('');
      return `<li>${h(s.label)}${s.fingerprint === undefined ? '' : ` <code>${h(shortHash(s.fingerprint))}</code>`} <span class="legend">${h(s.documents.join(', '))}</span>${ev === '' ? '' : `<ul class="evidence">${ev}</ul>`}</li>`;
    })
    .join('');
  return `<li><details><summary>${h(p.summary)}</summary><p><span class="restricted-tag">restricted</span> ${h(p.inputName)} <code>${h(p.input)}</code></p><ol class="steps">${steps}</ol></details></li>`;
}

function auditPathsSection(a: AuditView): string {
  const out: string[] = ['<section id="paths" aria-labelledby="paths-title">', `<h2 id="paths-title">Paths and their evidence (${a.paths.length})</h2>`];
  if (a.paths.length === 0) out.push('<p>None.</p>');
  const shown = a.paths.slice(0, MAX_RENDERED_PATHS);
  if (shown.length > 0) {
    out.push(`<ul class="paths" id="path-list" data-page-size="${PAGE_SIZE}" data-pager="path-pager">${shown.map(pathItem).join('')}</ul>`);
    out.push('<p class="pager" id="path-pager" hidden><button type="button">Show more paths</button><span class="status" role="status" aria-live="polite"></span></p>');
  }
  if (a.paths.length > shown.length || a.truncated) {
    out.push(`<p class="legend">${a.paths.length - shown.length} more path(s) are not in this page${a.truncated ? ' (and enumeration was cut at the per-input limit)' : ''}: <code>pe-trace audit restricted-inputs --json</code> has every path with its evidence.</p>`);
  }
  out.push(`<details id="gaps"${a.gaps.length === 0 ? '' : ''}><summary>Gaps: where the corpus cannot answer (${a.gaps.length})</summary>`);
  if (a.gaps.length > 0) {
    out.push(`<ul data-page-size="${PAGE_SIZE}" data-pager="gap-pager">${a.gaps.map((g) => `<li><strong>${h(g.kind)}</strong>: <code>${h(g.subject)}</code><br>${h(g.message)}${g.affects.length > 0 ? `<br><span class="legend">affects ${h(g.affects.join(', '))}</span>` : ''}</li>`).join('')}</ul>`);
    out.push('<p class="pager" id="gap-pager" hidden><button type="button">Show more gaps</button><span class="status" role="status" aria-live="polite"></span></p>');
  }
  out.push('</details></section>');
  return out.join('\n');
}

function checksSection(records: readonly RecordView[]): string {
  const out: string[] = ['<section id="checks" aria-labelledby="checks-title">', '<h2 id="checks-title">SHACL and TRACE conformance</h2>'];
  records.forEach((r) => {
    const s = r.shacl;
    if (s !== undefined) {
      const clean = s.conforms && s.findings.length === 0;
      out.push(`<details class="shacl" data-conforms="${s.conforms}"${clean ? '' : ' open'}><summary>SHACL (${h(s.profile)}) for ${h(r.label)}: <span class="${s.conforms ? 'v-ok' : 'v-bad'}">${s.conforms ? 'conforms' : 'does not conform'}</span>, ${s.findings.length} finding(s)</summary>`);
      if (s.findings.length > 0) {
        out.push('<div class="table-wrap"><table><thead><tr><th scope="col">severity</th><th scope="col">focus</th><th scope="col">message</th></tr></thead><tbody>');
        for (const f of s.findings) out.push(`<tr><td>${h(f.severity)}</td><td><code>${h(f.focus)}</code>${f.path === undefined ? '' : `<br><code>${h(f.path)}</code>`}</td><td>${h(f.message)}</td></tr>`);
        out.push('</tbody></table></div>');
      } else out.push('<p class="clean">No findings.</p>');
      out.push('</details>');
    }
    const c = r.conformance;
    if (c !== undefined) {
      const clean = c.unmet.length === 0;
      out.push(`<details class="conformance" data-tier="${h(c.tierMet ?? 'none')}"${clean ? '' : ' open'}><summary>TRACE conformance (${h(c.traceVersion)}) for ${h(r.label)}: tier <strong>${h(c.tierMet ?? 'none met')}</strong></summary>`);
      out.push(`<ol>${c.tiers.map((t) => `<li>${h(t.id)}: <span class="${t.met ? 'v-ok' : t.assessed ? 'v-bad' : 'v-skipped'}">${t.met ? 'met' : t.assessed ? 'not met' : 'not assessed'}</span></li>`).join('')}</ol>`);
      if (c.unmet.length > 0) out.push(`<ul>${c.unmet.map((u) => `<li>${h(u.tier)} / ${h(u.expectation)}${u.findings.length > 0 ? `<ul class="evidence">${u.findings.map((f) => `<li>${h(f)}</li>`).join('')}</ul>` : ''}</li>`).join('')}</ul>`);
      out.push('</details>');
    }
  });
  out.push('</section>');
  return out.join('\n');
}
