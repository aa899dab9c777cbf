// Gate verdicts derived from a gate report payload (pe-data §2.3): the gate names and the overall pass, when claimed.
import { JsonNumber, isJsonObject } from '../json/value.js';
import type { JsonObject, JsonValue } from '../json/value.js';
import { compareCodePoints } from '../json/canonical.js';

export interface GateVerdicts {
  /** `pop:gateNames`: the gates recorded, sorted. */
  readonly names: readonly string[];
  /** `pop:gatesPassed`: absent when the report records no verdict at all (evidence-only gates make no claim). */
  readonly passed?: boolean;
}

/**
 * Both shapes the populace build writes: `{"passed", "gates": {name: …}}` (a GateReport) and the flat `gates`
 * block of a release manifest whose keys are the gate names. Names are the keys under `gates`, else the top
 * level minus the reserved `passed`. The verdict: an explicit top-level boolean `passed` wins; otherwise the AND
 * of every recorded per-gate verdict (a boolean, a mapping with a boolean `passed`, or a `*_gaps` integer that
 * passes at 0).
 */
export function gateVerdicts(report: JsonObject): GateVerdicts {
  const inner = report['gates'];
  const entries = isJsonObject(inner) ? inner : report;
  const names = Object.keys(entries).filter((k) => isJsonObject(inner) || k !== 'passed');
  names.sort(compareCodePoints);
  const explicit = report['passed'];
  if (typeof explicit === 'boolean') return { names, passed: explicit };
  const verdicts: boolean[] = [];
  for (const [name, value] of Object.entries(entries)) {
    if (name === 'passed') continue;
    const verdict = gateVerdict(name, value);
    if (verdict !== undefined) verdicts.push(verdict);
  }
  return verdicts.length === 0 ? { names } : { names, passed: verdicts.every(Boolean) };
}

function gateVerdict(name: string, value: JsonValue): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (isJsonObject(value)) return typeof value['passed'] === 'boolean' ? value['passed'] : undefined;
  if (name.endsWith('_gaps') && value instanceof JsonNumber && value.kind === 'int') return value.int === 0n;
  return undefined;
}
