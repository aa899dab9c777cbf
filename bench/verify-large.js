// Benchmark: `pe-trace verify` of a TRO whose artifact is a large file, as a ratio to `openssl dgst -sha256`, with peak RSS.
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fmt, measure, median } from './lib.js';

const RUNS = 3;

/** Writes `mib` MiB of incompressible bytes; returns the sha256 computed while writing. */
function writeArtifact(path, mib) {
  const block = randomBytes(1024 * 1024);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  for (let i = 0; i < mib; i++) {
    block.writeUInt32LE(i, 0); // vary each block so no layer can dedupe
    writeSync(fd, block);
    hash.update(block);
  }
  closeSync(fd);
  return hash.digest('hex');
}

function writeTro(path, sha) {
  const fp = createHash('sha256').update(sha).digest('hex'); // one artifact: the "\n"-join is the value itself
  const tro = {
    '@context': [{ trov: 'https://w3id.org/trace/trov/0.1#', schema: 'https://schema.org/', pe: 'https://policyengine.org/trace/0.1#' }],
    '@graph': [{
      '@id': 'tro', '@type': 'trov:TransparentResearchObject',
      'trov:hasComposition': { '@id': 'composition/1', '@type': 'trov:ArtifactComposition',
        'trov:hasFingerprint': { '@id': 'composition/1/fingerprint', '@type': 'trov:CompositionFingerprint', 'trov:sha256': fp },
        'trov:hasArtifact': [{ '@id': 'composition/1/artifact/big', '@type': 'trov:ResearchArtifact', 'trov:sha256': sha }] },
      'trov:hasArrangement': [{ '@id': 'arrangement/1', '@type': 'trov:ArtifactArrangement', 'trov:hasArtifactLocation': [
        { '@id': 'arrangement/1/location/big', '@type': 'trov:ArtifactLocation', 'trov:hasArtifact': { '@id': 'composition/1/artifact/big' }, 'trov:hasLocation': 'artifact.bin' }] }],
    }],
  };
  writeFileSync(path, JSON.stringify(tro, null, 2));
}

export async function benchVerifyLarge({ sizesMib = [1024, 256] } = {}) {
  const rows = [];
  for (const mib of sizesMib) {
    const dir = join(tmpdir(), `pe-trace-bench-${process.pid}-${mib}`);
    mkdirSync(dir, { recursive: true });
    try {
      const artifact = join(dir, 'artifact.bin');
      const sha = writeArtifact(artifact, mib);
      writeTro(join(dir, 'tro.jsonld'), sha);
      const ours = [];
      const ref = [];
      let rss = 0;
      for (let i = 0; i < RUNS; i++) {
        const o = await measure('openssl', ['dgst', '-sha256', artifact]);
        if (!o.stdout.includes(sha)) throw new Error('openssl disagrees with the written hash');
        ref.push(o.wallMs);
        const r = await measure(process.execPath, ['bin/run.js', 'verify', join(dir, 'tro.jsonld'), '--json']);
        if (r.status !== 0) throw new Error(`verify failed: ${r.stdout}${r.stderr}`);
        ours.push(r.wallMs);
        rss = Math.max(rss, r.peakRssMb);
      }
      rows.push({ mib, oursMs: median(ours), opensslMs: median(ref), ratio: median(ours) / median(ref), peakRssMb: rss });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await benchVerifyLarge();
  for (const r of rows) console.log(`verify ${r.mib} MiB: ${fmt(r.oursMs / 1000)} s vs openssl ${fmt(r.opensslMs / 1000)} s = ${fmt(r.ratio)}x; peak RSS ${fmt(r.peakRssMb, 0)} MB`);
}
