// Issue 9 item 16: a FIFO or a device given as ANY file input is refused (exit 3, one line) by the one reader, never waited on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectOneLineError, runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'pe-trace-fifo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FIFO = join(dir, 'input.fifo');
execFileSync('mkfifo', [FIFO]);
const RECORD = 'fixtures/policyengine-py/generated/run-record';
const MANIFEST = 'fixtures/policyengine-py/shipped/manifest.json';
const BUILD = 'fixtures/pe-data/microcosm/packages__populace-data__build__us__release_manifest.json';

describe('a FIFO as a file input: exit 3, one line, no hang', () => {
  const cases: Array<[string, string[]]> = [
    ['verify TRO', ['verify', FIFO]],
    ['validate', ['validate', FIFO]],
    ['shacl-validate', ['shacl-validate', FIFO]],
    ['conformance', ['conformance', FIFO]],
    ['convert', ['convert', FIFO, '--to', 'trov-0.1']],
    ['canon', ['canon', FIFO]],
    ['lift', ['lift', FIFO]],
    ['query file', ['query', FIFO, '--dir', 'fixtures/corpus']],
    ['emit bundle --manifest', ['emit', 'bundle', '--manifest', FIFO, '--country', 'us', '--offline']],
    ['emit bundle --data-release-manifest', ['emit', 'bundle', '--manifest', MANIFEST, '--country', 'us', '--data-release-manifest', FIFO]],
    ['record --results', ['record', '--bundle-tro', `${RECORD}/bundle.trace.tro.jsonld`, '--input', `${RECORD}/input.json`, '--results', FIFO, '--simulation-id', 'x', '--created-at', '2026-06-12T00:00:00Z', '--out', join(dir, 'rec')]],
    ['emit build --sources', ['emit', 'build', '--release-manifest', BUILD, '--sources', FIFO, '--emitted-in', 'local']],
    ['emit build --payload', ['emit', 'build', '--release-manifest', BUILD, '--payload', `gates=${FIFO}`, '--emitted-in', 'local']],
    ['verify --map target', ['verify', `${RECORD}/run.trace.tro.jsonld`, '--map', `results.json=${FIFO}`]],
    ['verify --ca', ['verify', `${RECORD}/run.trace.tro.jsonld`, '--ca', FIFO]],
  ];
  it.each(cases)('%s', (_name, args) => {
    expectOneLineError(runCli(args), 3, /input\.fifo: is not a regular file$/);
  });
});

describe('verify: --map targets and --payload-dir are checked before reading', () => {
  it('a /dev/zero map target, a file as a prefix target, a missing payload folder: exit 3, one line', () => {
    expectOneLineError(runCli(['verify', `${RECORD}/run.trace.tro.jsonld`, '--map', 'results.json=/dev/zero']), 3, /\/dev\/zero: is not a regular file$/);
    expectOneLineError(runCli(['verify', `${RECORD}/run.trace.tro.jsonld`, '--map', `bundle/=${RECORD}/results.json`]), 3, /results\.json: is not a folder$/);
    expectOneLineError(runCli(['verify', `${RECORD}/run.trace.tro.jsonld`, '--payload-dir', join(dir, 'nope')]), 3, /nope: no such file$/);
  });
});
