// Writes the V8 code cache of dist/bundle (see bin/run.js) by running the built CLI once per command.
// Why: compiling the bundle is a large part of start-up; a cache written after a run also holds every function that
// run compiled. Each run writes the cache of oclif.cjs and of its command; `verify` runs last and for real (on a
// TRO made here), so oclif.cjs's cache is the one of the command whose start-up is benchmarked. The other commands
// only reach a usage error, which still caches their module's top level. Run after `oclif manifest`.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'oclif.manifest.json'), 'utf8'));

function run(args) {
  return spawnSync(process.execPath, [join(root, 'bin', 'run.js'), ...args], {
    cwd: root,
    env: { ...process.env, PE_TRACE_WRITE_CODE_CACHE: '1' },
    encoding: 'utf8',
  });
}

/** A one-artifact pe-0.1 TRO that verifies. */
function writeTrainingTro(dir) {
  const content = 'pe-trace code cache\n';
  writeFileSync(join(dir, 'artifact.txt'), content);
  const sha = createHash('sha256').update(content).digest('hex');
  const tro = {
    '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/', pe: 'https://policyengine.org/trace/0.1#' }],
    '@graph': [{
      '@id': 'tro', '@type': 'trov:TransparentResearchObject',
      'trov:hasComposition': { '@id': 'composition/1', '@type': 'trov:ArtifactComposition',
        'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', '@type': 'trov:CompositionFingerprint', 'trov:sha256': createHash('sha256').update(sha).digest('hex') },
        'trov:hasArtifact': [{ '@id': 'composition/1/artifact/a', '@type': 'trov:ResearchArtifact', 'trov:sha256': sha }] },
      'trov:hasArrangement': [{ '@id': 'arrangement/1', '@type': 'trov:ArtifactArrangement', 'trov:hasArtifactLocation': [
        { '@id': 'arrangement/1/location/a', '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': 'composition/1/artifact/a' }, 'trov:hasLocation': 'artifact.txt' }] }],
    }],
  };
  const path = join(dir, 'tro.jsonld');
  writeFileSync(path, JSON.stringify(tro, null, 2));
  return path;
}

for (const id of Object.keys(manifest.commands).filter((c) => c !== 'verify')) {
  const r = run([...id.split(':'), '--pe-trace-code-cache-training']);
  // Only speed depends on it: a command that took the flag anyway still had its module cached.
  if (r.status !== 2) console.warn(`warning: code cache: \`${id.replaceAll(':', ' ')}\` with an unknown flag exited ${r.status}, expected 2 (a usage error)`);
}
const dir = mkdtempSync(join(tmpdir(), 'pe-trace-code-cache-'));
try {
  const r = run(['verify', writeTrainingTro(dir), '--json']);
  // Also a smoke test of the bundle: the build fails here rather than in every command test.
  if (r.status !== 0) throw new Error(`code cache: verify of the training TRO exited ${r.status}: ${r.stdout}${r.stderr}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const caches = readdirSync(join(root, 'dist', 'bundle'), { recursive: true }).filter((f) => String(f).endsWith('.v8cache'));
console.log(`wrote ${caches.length} code caches into dist/bundle/`);
