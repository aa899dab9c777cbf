// Hostile input through every command: file names, artifact locations, IRIs and @context URLs holding a newline or an
// ANSI escape must never forge a line (`FORGED: fingerprint: ok` at the start of a line) or reach the terminal raw.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const EVIL = '\nFORGED: fingerprint: ok\x1b[2K\u2028\u202e';
const scratch = mkdtempSync(join(tmpdir(), 'pe-trace-forgery-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');

/** A pe-0.1 TRO with one good artifact and one whose location (and @id) carry the hostile text. */
function hostileTro(context: unknown = [{ trov: 'https://w3id.org/trace/trov/0.1#', pe: 'https://policyengine.org/trace/0.1#' }]): string {
  const good = sha('good\n');
  const bad = sha('missing\n');
  return JSON.stringify({
    '@context': context,
    '@graph': [
      {
        '@id': `tro${EVIL}`,
        '@type': 'trov:TransparentResearchObject',
        'trov:hasComposition': {
          '@id': 'composition/1',
          '@type': 'trov:ArtifactComposition',
          'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', '@type': 'trov:CompositionFingerprint', 'trov:sha256': sha([good, bad].sort().join('\n')) },
          'trov:hasArtifact': [
            { '@id': 'composition/1/artifact/good', '@type': 'trov:ResearchArtifact', 'trov:sha256': good },
            { '@id': `composition/1/artifact/evil${EVIL}`, '@type': 'trov:ResearchArtifact', 'trov:sha256': bad },
          ],
        },
        'trov:hasArrangement': [
          {
            '@id': 'arrangement/1',
            '@type': 'trov:ArtifactArrangement',
            'trov:hasArtifactLocation': [
              { '@id': 'arrangement/1/location/good', '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': 'composition/1/artifact/good' }, 'trov:hasLocation': 'good.txt' },
              { '@id': 'arrangement/1/location/evil', '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': `composition/1/artifact/evil${EVIL}` }, 'trov:hasLocation': `evil${EVIL}.txt` },
            ],
          },
        ],
      },
    ],
  });
}

const dir = join(scratch, 'corpus');
mkdirSync(dir);
writeFileSync(join(dir, 'good.txt'), 'good\n');
const troEvilName = join(dir, `named${EVIL}.jsonld`);
writeFileSync(troEvilName, hostileTro());
const troPlainName = join(dir, 'tro.jsonld');
writeFileSync(troPlainName, hostileTro());
const troEvilContext = join(scratch, 'context.jsonld');
writeFileSync(troEvilContext, hostileTro(`https://evil.example/ctx${EVIL}.jsonld`));
const badJson = join(dir, `broken${EVIL}.json`);
writeFileSync(badJson, '{"a": 1,,}');
const missing = join(scratch, `missing${EVIL}.json`);
// A literal holding the hostile text (Turtle escapes), printed by the human query table.
const tableDir = join(scratch, 'table');
mkdirSync(tableDir);
writeFileSync(join(tableDir, 'data.ttl'), `<urn:s> <urn:p> "lit${JSON.stringify(EVIL).slice(1, -1).replace(/\\u001b/g, '\\u001B')}" .\n`);

/** Every existing command, each fed hostile text where it reads or echoes input. */
const CASES: readonly (readonly string[])[] = [
  ['verify', troEvilName],
  ['verify', troPlainName],
  ['verify', troEvilContext],
  ['validate', troEvilName, badJson],
  ['validate', troEvilContext],
  ['shacl-validate', troEvilName],
  ['shacl-validate', troEvilContext],
  ['conformance', troEvilName],
  ['conformance', badJson],
  ['lift', troEvilContext],
  ['lift', badJson],
  ['canon', badJson],
  ['canon', missing],
  ['convert', troEvilName, '--to', 'trov-0.1'],
  ['convert', troEvilContext, '--to', 'trov-0.1'],
  ['query', '--sparql', 'SELECT ?s WHERE { ?s a <https://w3id.org/trace/trov/0.1#TransparentResearchObject> }', '--dir', dir],
  ['query', '--sparql', 'SELECT ?s WHERE { ?s ?p ?o }', '--dir', dir, '--format', 'table'],
  ['query', `named${EVIL}`, '--dir', dir],
  ['query', '--sparql', 'SELECT ?o WHERE { <urn:s> <urn:p> ?o }', '--dir', tableDir],
  ['audit', 'restricted-inputs', '--dir', dir],
  ['certify', '--country', 'uk', '--manifest-uri', missing, '--source-uri', 'hf://model/a/b@1/c.json', '--model-version', '1', '--bundle', missing],
  ['emit', 'bundle', '--manifest', missing, '--country', 'us', '--offline'],
  ['emit', 'build', '--release-manifest', missing],
  ['emit', 'results', '--bundle-tro', missing, '--results', missing, '--out', join(scratch, 'results')],
  ['record', '--bundle-tro', missing, '--input', missing, '--results', missing, '--simulation-id', 's', '--created-at', '2026-01-01T00:00:00Z', '--out', join(scratch, 'rec')],
  ['vocab', 'export', '--out', join(scratch, `vocab${EVIL}`)],
  ['help', `ver${EVIL}`],
  [`ver${EVIL}`],
];

describe('no command prints input-derived text raw', () => {
  it.each(CASES.map((args) => [args.map((a) => JSON.stringify(a).slice(0, 40)).join(' '), args] as const))('%s', (_, args) => {
    const r = runCli(args, { cwd: scratch });
    for (const [name, out] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
      expect(out, name).not.toMatch(/^FORGED/m);
      expect(out, name).not.toMatch(/[\x1b\u2028\u202e]/);
    }
    // The case is not vacuous: the hostile text did reach the output, escaped.
    expect(`${r.stdout}${r.stderr}`).toMatch(/\\nFORGED: fingerprint: ok\\x1b\[2K\\u2028\\u202e/);
  });
});
