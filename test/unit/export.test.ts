// RO-Crate export: ro-crate-metadata.json expands offline against the shipped RO-Crate 1.2 context; every file entity exists with its sha256.
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonld from 'jsonld';
import { describe, expect, it } from 'vitest';
import { writeDirectoryAtomically } from '../../src/emit/atomic-dir.js';
import { RO_CRATE_CONTEXT, buildRoCrate } from '../../src/export/index.js';
import { sha256Hex } from '../../src/hash/index.js';
import { loadRecord } from '../../src/summary/index.js';
import { FIXTURES, REPO_ROOT } from '../support/cli.js';

const PY = join(FIXTURES, 'policyengine-py');
const SCHEMA = 'http://schema.org/';
const CONTEXT_DOC = JSON.parse(readFileSync(join(REPO_ROOT, 'vocab', 'external', 'ro-crate-1.2.context.jsonld'), 'utf8')) as unknown;

/** A JSON-LD document loader that serves the shipped RO-Crate context and fails the test on any other URL. */
const offlineLoader = async (url: string): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> => {
  if (url !== RO_CRATE_CONTEXT) throw new Error(`unexpected context request: ${url}`);
  return { contextUrl: null, documentUrl: url, document: CONTEXT_DOC };
};

type Expanded = Record<string, unknown>[];
const value = (node: Record<string, unknown>, term: string): unknown => (node[SCHEMA + term] as { '@value'?: unknown; '@id'?: unknown }[] | undefined)?.[0]?.['@value'];

async function exportTo(record: string): Promise<{ dir: string; expanded: Expanded; metadata: { '@graph': Record<string, unknown>[] } }> {
  const crate = await buildRoCrate(await loadRecord(record));
  const dir = join(mkdtempSync(join(tmpdir(), 'pe-crate-')), 'crate');
  await writeDirectoryAtomically(dir, crate.files);
  const metadata = JSON.parse(readFileSync(join(dir, 'ro-crate-metadata.json'), 'utf8')) as { '@graph': Record<string, unknown>[] };
  const expanded = (await jsonld.expand(metadata as unknown as jsonld.JsonLdDocument, { documentLoader: offlineLoader as never, base: 'arcp://name,crate/' })) as Expanded;
  return { dir, expanded, metadata };
}

function checkEveryEntity(dir: string, expanded: Expanded): number {
  const root = expanded.find((n) => n['@id'] === 'arcp://name,crate/');
  expect(root?.['@type']).toEqual([`${SCHEMA}Dataset`]);
  const parts = (root?.[`${SCHEMA}hasPart`] as { '@id': string }[]).map((p) => p['@id']);
  let local = 0;
  for (const id of parts) {
    const node = expanded.find((n) => n['@id'] === id);
    expect(node, id).toBeDefined();
    const sha = value(node as Record<string, unknown>, 'sha256');
    expect(sha, id).toMatch(/^[0-9a-f]{64}$/);
    if (id.startsWith('arcp://name,crate/')) {
      const bytes = readFileSync(join(dir, decodeURIComponent(id.slice('arcp://name,crate/'.length))));
      expect(sha256Hex(bytes), id).toBe(sha);
      expect(value(node as Record<string, unknown>, 'contentSize'), id).toBe(String(bytes.length));
      local += 1;
    }
  }
  return local;
}

describe('export --format ro-crate', () => {
  it('a run record: JSON-LD expands offline, conforms to RO-Crate 1.2, every part exists with its sha256', async () => {
    const { dir, expanded } = await exportTo(join(PY, 'generated', 'run-record'));
    const descriptor = expanded.find((n) => n['@id'] === 'arcp://name,crate/ro-crate-metadata.json');
    expect(descriptor?.['http://purl.org/dc/terms/conformsTo']).toEqual([{ '@id': 'https://w3id.org/ro/crate/1.2' }]);
    expect(checkEveryEntity(dir, expanded)).toBe(7); // run TRO, bundle TRO, reform, input, results, CITATION.cff, CITATION.bib
    const root = expanded.find((n) => n['@id'] === 'arcp://name,crate/') as Record<string, unknown>;
    expect(value(root, 'identifier')).toBe('sha256:8b68588a1b527c00c4a823d9908dadd7600d9d95dfb959dbc885d33bd57a2997');
    expect(value(root, 'creditText')).toMatch(/^PolicyEngine \(2026\)\./);
    // The TRO is copied byte for byte.
    expect(readFileSync(join(dir, 'run.trace.tro.jsonld'))).toEqual(readFileSync(join(PY, 'generated', 'run-record', 'run.trace.tro.jsonld')));
  });

  it('a bundle TRO: https artifacts are web entities with the claimed sha256, nothing is downloaded', async () => {
    const { dir, expanded } = await exportTo(join(PY, 'shipped', 'us.trace.tro.jsonld'));
    expect(checkEveryEntity(dir, expanded)).toBe(3); // the TRO and the two citations
    const wheel = expanded.find((n) => String(n['@id']).endsWith('policyengine_us-1.764.6-py3-none-any.whl')) as Record<string, unknown>;
    expect(value(wheel, 'sha256')).toBe('2b2c5c02c26ab212270948db1f30129728b625fc6109fc9ca0c604b714546909');
  });

  it('includes the signature beside the TRO, about the TRO', async () => {
    const src = join(mkdtempSync(join(tmpdir(), 'pe-crate-src-')), 'rec');
    cpSync(join(PY, 'generated', 'run-record'), src, { recursive: true });
    writeFileSync(join(src, 'run.trace.tro.jsonld.sigstore.json'), '{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json"}\n');
    const { dir, expanded } = await exportTo(src);
    expect(checkEveryEntity(dir, expanded)).toBe(8);
    const sig = expanded.find((n) => n['@id'] === 'arcp://name,crate/run.trace.tro.jsonld.sigstore.json') as Record<string, unknown>;
    expect(sig[`${SCHEMA}about`]).toEqual([{ '@id': 'arcp://name,crate/run.trace.tro.jsonld' }]);
  });

  it('is deterministic', async () => {
    const a = await buildRoCrate(await loadRecord(join(PY, 'generated', 'run-record')));
    const b = await buildRoCrate(await loadRecord(join(PY, 'generated', 'run-record')));
    expect(a.files.map((f) => [f.name, sha256Hex(f.bytes)])).toEqual(b.files.map((f) => [f.name, sha256Hex(f.bytes)]));
  });

  it('refuses a payload that does not match the TRO (exit 5) and never follows a symlinked payload', async () => {
    const src = join(mkdtempSync(join(tmpdir(), 'pe-crate-src-')), 'rec');
    cpSync(join(PY, 'generated', 'run-record'), src, { recursive: true });
    writeFileSync(join(src, 'results.json'), '{"forged": 1}\n');
    await expect(buildRoCrate(await loadRecord(src))).rejects.toMatchObject({ code: 'EXPORT_MISMATCH', exitCode: 5 });
    const src2 = join(mkdtempSync(join(tmpdir(), 'pe-crate-src-')), 'rec');
    cpSync(join(PY, 'generated', 'run-record'), src2, { recursive: true, verbatimSymlinks: true });
    const { rmSync } = await import('node:fs');
    rmSync(join(src2, 'reform.json'));
    symlinkSync(join(PY, 'generated', 'run-record', 'reform.json'), join(src2, 'reform.json'));
    const crate = await buildRoCrate(await loadRecord(src2));
    expect(crate.files.map((f) => f.name)).not.toContain('reform.json');
    expect(crate.warnings.some((w) => w.startsWith('artifact reform:'))).toBe(true);
  });

  it('a bundle manifest is not exportable (exit 3)', async () => {
    await expect(buildRoCrate(await loadRecord(join(PY, 'shipped', 'manifest.json')))).rejects.toMatchObject({ exitCode: 3 });
  });
});
