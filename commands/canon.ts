// `pe-trace canon`: rewrites a JSON document (file or stdin) as Python-compatible canonical bytes.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, EXIT, InputError, PeTraceError, canonicalJsonBytes, parseJson, readDocumentFile, sha256Hex } from '../src/index.js';
import type { CanonicalFlavour } from '../src/index.js';

interface CanonResult {
  readonly flavour: CanonicalFlavour;
  /** sha256 of the canonical bytes, lowercase hex. */
  readonly sha256: string;
  /** Length of the canonical bytes. */
  readonly bytes: number;
}

const STDIN_LABEL = '<stdin>';

export default class Canon extends BaseCommand<CanonResult> {
  static override summary = 'Write a JSON document as canonical JSON (Python json.dumps(indent=2, sort_keys=True)).';
  static override description =
    'Reads FILE (or stdin for - or no argument) losslessly (ints and floats kept apart, big integers exact, ' +
    'duplicate keys rejected) and writes its canonical bytes to stdout. The pe flavour (policyengine.py) ends ' +
    'with a newline; the trov flavour (tro-utils) does not. With --json, prints the flavour, the sha256 and ' +
    'the length of the canonical bytes instead.';

  static override examples = [
    '<%= config.bin %> canon fixtures/policyengine-py/shipped/us.trace.tro.jsonld',
    '<%= config.bin %> canon - --flavour trov < tro.jsonld',
    '<%= config.bin %> canon manifest.json --json',
  ];

  static override args = {
    // ignoreStdin: oclif would otherwise read piped stdin line by line (trimmed, EOL-joined) into this arg.
    file: Args.string({ description: 'JSON file to canonicalise; - or absent reads stdin.', required: false, ignoreStdin: true }),
  };

  static override flags = {
    flavour: Flags.option({
      options: ['pe', 'trov'] as const,
      default: 'pe' as const,
      description: 'pe: trailing newline (policyengine.py); trov: none (tro-utils).',
    })(),
  };

  protected async exec(): Promise<Outcome<CanonResult>> {
    const { args, flags } = await this.parse(Canon);
    const fromStdin = args.file === undefined || args.file === '-';
    if (args.file === undefined && process.stdin.isTTY === true) {
      throw new PeTraceError('USAGE', 'no input: give a FILE, or pipe JSON on stdin (use - to read a terminal)');
    }
    const label = fromStdin ? STDIN_LABEL : (args.file ?? STDIN_LABEL);
    const input = fromStdin ? await readStdin(label, DEFAULT_MAX_DOCUMENT_BYTES) : await readDocumentFile(label, { label });
    const bytes = canonicalJsonBytes(parseJson(input, { label }), flags.flavour);
    return {
      status: EXIT.OK,
      result: { flavour: flags.flavour, sha256: sha256Hex(bytes), bytes: bytes.length },
      bytes,
    };
  }
}

/** All of stdin as bytes, refusing more than `maxBytes` (the same cap a file gets). */
async function readStdin(label: string, maxBytes: number): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of process.stdin) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      total += buf.length;
      if (total > maxBytes) {
        throw new InputError('JSON_LIMIT', `input is over the ${maxBytes}-byte limit for a document`, { location: { file: label } });
      }
      chunks.push(buf);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('INPUT_UNREADABLE', `cannot read stdin: ${e instanceof Error ? e.message : String(e)}`, { location: { file: label }, cause: e });
  }
  return new Uint8Array(Buffer.concat(chunks));
}
