// Test oracle: CPython's json.dumps(json.loads(doc), indent=2, sort_keys=True) for many documents in ONE subprocess.
import { spawnSync } from 'node:child_process';

/** Whether `python3` can be run here; tests that need it are skipped (with a reason) otherwise. */
export const HAVE_PYTHON: boolean = (() => {
  const r = spawnSync('python3', ['-c', 'import json, base64, sys'], { encoding: 'utf8' });
  return r.error === undefined && r.status === 0;
})();

/** Appended to the names of Python-backed tests, so a skipped run says why. */
export const PYTHON_SKIP_REASON = HAVE_PYTHON ? '' : ' (skipped: python3 is not on PATH)';

// Each input line is the base64 of one document's bytes (so any bytes, newlines included, travel safely);
// each output line is a JSON array: ["ok", dumped text] or ["error", message].
const SCRIPT = `
import base64, json, sys
out = []
for line in sys.stdin.buffer.read().split(b"\\n"):
    if not line:
        continue
    try:
        out.append(json.dumps(["ok", json.dumps(json.loads(base64.b64decode(line)), indent=2, sort_keys=True)]))
    except Exception as e:
        out.append(json.dumps(["error", type(e).__name__ + ": " + str(e)]))
sys.stdout.write("\\n".join(out) + "\\n")
`;

export type PythonResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly error: string };

/** Runs json.loads + json.dumps(indent=2, sort_keys=True) (no trailing newline) on every document, in order. */
export function pythonDumpsMany(documents: readonly (Uint8Array | string)[]): PythonResult[] {
  const input = documents.map((d) => Buffer.from(typeof d === 'string' ? Buffer.from(d, 'utf8') : d).toString('base64')).join('\n');
  const r = spawnSync('python3', ['-c', SCRIPT], { input: `${input}\n`, maxBuffer: 512 * 1024 * 1024 });
  if (r.error !== undefined || r.status !== 0) {
    throw new Error(`python3 failed: ${r.error?.message ?? r.stderr.toString('utf8')}`);
  }
  const lines = r.stdout.toString('utf8').split('\n').filter((l) => l !== '');
  if (lines.length !== documents.length) throw new Error(`python3 answered ${lines.length} documents for ${documents.length}`);
  return lines.map((line) => {
    const [status, payload] = JSON.parse(line) as [string, string];
    return status === 'ok' ? { ok: true, text: payload } : { ok: false, error: payload };
  });
}
