// `pe-trace conformance FILE`: the TRACE conformance tier a document meets, and every expectation it misses, with locations.
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { DEFAULT_TRACE_VERSION, EXIT, TIER_IDS, TRACE_VERSIONS, checkConformanceFile, formatConformanceText, tierOrdinal } from '../src/index.js';
import type { ConformanceReport, TierId } from '../src/index.js';

interface ConformanceResult extends ConformanceReport {
  /** The tier the exit status is judged against (--min-tier, default the top tier). */
  readonly requiredTier: TierId;
  /** Whether `tierMet` is at or above `requiredTier` (exit 0). */
  readonly meetsRequiredTier: boolean;
}

export default class Conformance extends BaseCommand<ConformanceResult> {
  static override summary = 'Report the TRACE conformance tier a TRO declaration meets and every expectation it misses.';
  static override description = [
    'Assesses FILE against the seven cumulative TRACE tiers (SAFE-JSON, SAFE-JSON-LD, TRACE-PERMISSIBLE-JSON-LD, ' +
      "USES-TROV-CORRECTLY, DEFINES-TRS, STANDALONE-TRO, LINKABLE-TRO) of one TRACE version, with pe-trace's own " +
      "checks written from the specification's description of each expectation.",
    'The first line names the highest tier met together with every tier below it. Each unmet expectation then gets ' +
      'one line per finding, "  ✗ TIER expectation: message at POINTER"; an expectation skipped because a prerequisite ' +
      'is unmet, and each tier above an unmet blocking tier (tiers 1-3), gets a "  - ... not assessed" line.',
    `--trace-version defaults to ${DEFAULT_TRACE_VERSION}, the first tagged TRACE release and so far the only released ` +
      'one: trace-0.1 is unreleased and trace-main moves, so defaulting to either would change verdicts under you.',
    'Exit 0 when FILE meets the required tier (--min-tier, default the top tier, LINKABLE-TRO), 4 when it does not ' +
      '(bytes that are not UTF-8 or not JSON simply meet no tier), 3 when FILE cannot be read.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> conformance tro.jsonld',
    '<%= config.bin %> conformance tro.jsonld --trace-version trace-main --json',
    '<%= config.bin %> conformance tro.jsonld --min-tier STANDALONE-TRO',
  ];

  static override args = { file: Args.string({ description: 'TRO declaration (JSON-LD) to assess', required: true }) };

  static override flags = {
    'trace-version': Flags.string({ description: 'TRACE version whose tiers apply', options: [...TRACE_VERSIONS], default: DEFAULT_TRACE_VERSION }),
    'min-tier': Flags.string({ description: 'tier FILE must meet for exit 0 (default: the top tier, LINKABLE-TRO)', options: [...TIER_IDS] }),
  };

  protected async exec(): Promise<Outcome<ConformanceResult>> {
    const { args, flags } = await this.parse(Conformance);
    const label = displayPath(args.file);
    const traceVersion = TRACE_VERSIONS.find((v) => v === flags['trace-version']) ?? DEFAULT_TRACE_VERSION;
    const report = await checkConformanceFile(args.file, { label, traceVersion });
    const top = report.tiers[report.tiers.length - 1]?.id ?? 'LINKABLE-TRO';
    const requiredTier = TIER_IDS.find((t) => t === flags['min-tier']) ?? top;
    const meetsRequiredTier = report.tierMet !== null && TIER_IDS.indexOf(report.tierMet) >= TIER_IDS.indexOf(requiredTier);
    const text = formatConformanceText(report);
    if (!meetsRequiredTier && requiredTier !== top) text.push(`required: ${requiredTier} (${tierOrdinal(requiredTier)})`);
    return {
      result: { ...report, requiredTier, meetsRequiredTier },
      status: meetsRequiredTier ? EXIT.OK : EXIT.NOT_CONFORMING,
      text,
    };
  }
}
