// `pe-trace audit restricted-inputs --dir DIR`: every path from restricted content to a bundle or run, with evidence, and the gaps.
import { homedir } from 'node:os';
import { extraThreads } from '../../src/cli/threads.js';
import { Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../../src/cli/base-command.js';
import { displayPath } from '../../src/cli/paths.js';
import { ttyProgress } from '../../src/cli/progress.js';
import { type AuditAnswer, EXIT, PeTraceError, nearMatches, type RestrictedInputsAudit, auditAnswer, auditDirectory, filterAudit, formatAnswerText, formatAuditText, resolveCacheDirectory, unmatchedFilters } from '../../src/index.js';

/** The JSON result: the (filtered) audit with its evidence, and the answer naming runs and bundles by fingerprint. */
type AuditResult = RestrictedInputsAudit & { readonly answer: AuditAnswer };

export default class AuditRestrictedInputs extends BaseCommand<AuditResult> {
  static override summary = 'Which bundles and runs do restricted inputs reach? The answer first; each path with its evidence on --verbose.';
  static override description = [
    'Prints the answer first: the runs and bundles that restricted inputs reach (by fingerprint, with the inputs that reach each), in a few lines. --verbose adds every path with its evidence and the gaps; --json carries all of it (result.answer names the reached runs and bundles by fingerprint; result.paths holds the evidence).',
    'Loads every TRO, manifest and Turtle file under --dir (as `pe-trace query` does) and follows the derived links downstream: input → build → release manifest → bundle → run. Content is restricted when any document says so (pop:accessRestricted, a source-stage kind or access, visibility: private, a private repository id, free text); each signal is listed with where it is stated, and each step with how it was established (declared, hash match, id match, URI match, fingerprint match). Gaps — builds that declare no inputs, datasets no build record explains, pinned manifests or bundle TROs missing from the corpus, restricted pins no build binds — are listed, never hidden.',
    'Exit 0 whatever is found (findings are the report), unless --fail-if-reaches is given: then 4 when restricted content reaches a run (or a bundle). 2 on a usage error; 3 when --dir cannot be read (or, with --strict, a file).',
  ].join('\n\n');
  static override examples = [
    { description: 'The answer for the example corpus', command: '<%= config.bin %> audit restricted-inputs --dir fixtures/corpus' },
    { description: 'Every path with its evidence, and the gaps', command: '<%= config.bin %> audit restricted-inputs --dir fixtures/corpus --verbose' },
    { description: 'Where one input goes (a name, a sha256 or its first 8+ hex digits, a DOI or UKDS study id)', command: '<%= config.bin %> audit restricted-inputs --dir fixtures/corpus --input adult.tab' },
    { description: 'CI gate: fail (exit 4) when restricted content reaches any run', command: '<%= config.bin %> audit restricted-inputs --dir releases/ --fail-if-reaches run' },
    { description: 'Machine-readable, with evidence', command: '<%= config.bin %> audit restricted-inputs --dir fixtures/corpus --json' },
  ];
  static override flags = {
    dir: Flags.string({ description: 'directory to load (recursively)', required: true }),
    cache: Flags.string({ description: 'cache directory for facts, the directory snapshot and audits ("auto": $XDG_CACHE_HOME/pe-trace)' }),
    strict: Flags.boolean({ description: 'fail on the first unreadable or malformed file (default: report it and go on)', default: false }),
    'max-paths': Flags.integer({ description: 'most paths enumerated per restricted input', default: 1000, min: 1 }),
    verbose: Flags.boolean({ char: 'v', description: 'after the answer, print every path with the evidence for each step, the unreached inputs and the gaps', default: false }),
    input: Flags.string({
      description: 'only this restricted input (repeatable): its id (sha256:…), sha256 or first 8+ hex digits, name (adult.tab) or external id (DOI, UKDS study number)',
      multiple: true,
    }),
    bundle: Flags.string({ description: 'only paths through this bundle (repeatable): its fingerprint or first 8+ hex digits, label, or document path', multiple: true }),
    'fail-if-reaches': Flags.string({ description: 'exit 4 when restricted content reaches a run (run) or a bundle or run (bundle): a CI gate', options: ['run', 'bundle'] }),
  };

  protected async exec(): Promise<Outcome<AuditResult>> {
    const { flags } = await this.parse(AuditRestrictedInputs);
    const cacheDir = resolveCacheDirectory(flags.cache, { xdgCacheHome: process.env['XDG_CACHE_HOME'], home: homedir() });
    const progress = ttyProgress(!this.wantsJson);
    const audit = await auditDirectory(flags.dir, {
      ...(cacheDir === undefined ? {} : { cacheDir }),
      strict: flags.strict,
      workers: extraThreads(),
      maxPathsPerInput: flags['max-paths'],
      ...(progress === undefined ? {} : { onProgress: (d: number, t: number) => progress.update(`reading ${d}/${t} files`) }),
    });
    progress?.done();
    const filter = { inputs: flags.input ?? [], bundles: flags.bundle ?? [] };
    const unmatched = unmatchedFilters(audit, filter);
    // A mistyped --input must not narrow the audit to nothing: with --fail-if-reaches that would pass a CI gate.
    const typo = unmatched.inputs[0];
    if (typo !== undefined) {
      const near = nearMatches(typo, audit.inputs.flatMap((i) => i.names), { limit: 3 });
      throw new PeTraceError('USAGE', `--input ${JSON.stringify(typo)} matches no restricted input in the corpus${near.length === 0 ? '' : ` (did you mean ${near.map((n) => JSON.stringify(n)).join(', ')}?)`}; an input is named by a file name, a sha256 (or 8+ hex digits of one) or an external id such as a DOI`);
    }
    const warnings = [
      ...audit.problems.map((p) => `skipped ${p.message}`),
      ...unmatched.bundles.map((q) => `--bundle ${JSON.stringify(q)} matches no bundle that restricted content reaches (a clean bundle, or not in the corpus)`),
    ];
    const narrowed = filterAudit(audit, filter);
    const answer = auditAnswer(narrowed);
    const gate = flags['fail-if-reaches'];
    const failed = (gate === 'run' && answer.runs.length > 0) || (gate === 'bundle' && answer.runs.length + answer.bundles.length > 0);
    const status = failed ? EXIT.NOT_CONFORMING : EXIT.OK;
    const result: AuditResult = { ...narrowed, answer };
    // The text is only written in human mode; at 10,000 documents formatting the evidence costs half a second.
    if (this.wantsJson) return { result, status, warnings };
    const dir = displayPath(flags.dir);
    const text = formatAnswerText(answer, dir, audit.documents, { verbose: flags.verbose });
    if (flags.verbose) text.push('', ...formatAuditText(narrowed, dir));
    const stderr = failed ? [`error: restricted content reaches ${gate === 'run' ? `${answer.runs.length} run(s)` : `${answer.runs.length} run(s) and ${answer.bundles.length} bundle(s)`} (--fail-if-reaches ${gate})`] : [];
    return { result, status, text, stderr, warnings };
  }
}
