// All 219 historical policyengine.py TROs convert to TROv 0.1 documents that read back as trov-0.1, recompute their fingerprint, conform to the trov-0.1 shapes and reach LINKABLE-TRO.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkConformance, convertTro, parseJson, readTroModel, shaclValidateDocument, validateJsonSchema, verifyTro } from '../../../src/index.js';
import { REPO_ROOT } from '../../support/cli.js';
import { HISTORY_VERSIONS, historyTro } from '../../support/history.js';



const versions = HISTORY_VERSIONS;

describe('the 219 historical policyengine.py TROs, converted to TROv 0.1', () => {
  it('are all there', () => {
    expect(versions).toHaveLength(219);
  });

  it.each(versions)('%s', async (version) => {
    const file = historyTro(version);
    const label = relative(REPO_ROOT, file);
    const bytes = readFileSync(file);
    const original = readTroModel(parseJson(bytes, { label }), { label });
    const r = await convertTro(parseJson(bytes, { label }), { label, bytes, base: `https://policyengine.org/trace/tro/${version}/` });
    expect(r.from).toBe('pe-0.1');
    expect(r.original.fingerprintStatus).toBe('ok');

    const doc = parseJson(r.bytes, { label: 'converted' });
    const model = readTroModel(doc, { label: 'converted' });
    expect(model.dialect.id).toBe('trov-0.1');
    expect(model.artifacts.map((a) => [a.id, a.hashes.map((h) => h.value)])).toEqual(original.artifacts.map((a) => [a.id, a.hashes.map((h) => h.value)]));
    const verified = await verifyTro(model, { skip: model.artifacts.map((a) => a.shortId), fetchHttps: false });
    expect(verified.fingerprint.status).toBe('ok');
    expect(validateJsonSchema(doc, { dialect: 'trov-0.1' }).valid).toBe(true);

    const shacl = await shaclValidateDocument(r.bytes, { label: 'converted', profile: 'trov-0.1' });
    expect(shacl.results).toEqual([]);
    expect(checkConformance(r.bytes, { label: 'converted' }).tierMet).toBe('LINKABLE-TRO');
  });
});
