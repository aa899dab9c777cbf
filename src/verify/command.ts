// The exact `pe-trace verify …` command that checks what an emit command wrote, offline (printed by emit and record).
import { hashFile } from '../hash/digest.js';
import { isRemoteLocation } from './verify.js';

export interface VerifyCommandPlan {
  /** The written TRO, as the user would name it (the --out path as given). */
  readonly tro: string;
  readonly artifacts: ReadonlyArray<{ readonly id: string; readonly location: string; readonly sha256: string }>;
  /** Locations written as files next to the TRO: they verify as written, with no flag. */
  readonly written?: readonly string[];
  /** Local files the emit command read that may be the artifact at `location`; mapped only if their bytes hash to its sha256. */
  readonly copies?: ReadonlyArray<{ readonly location: string; readonly path: string }>;
  /** Where `emit build --payload-dir` wrote payload preimages, and the payload locations that have one there. */
  readonly payloadDir?: string;
  readonly payloadsWritten?: readonly string[];
}

export interface VerifyCommand {
  /** The arguments after `pe-trace`. */
  readonly argv: readonly string[];
  /** One shell line: `pe-trace verify …`, each argument quoted when it needs it. */
  readonly command: string;
  /** Artifact ids skipped because nothing local can check them (fetched remotely, or restricted). */
  readonly skipped: readonly string[];
}

/**
 * Builds the command: `--map LOCATION=PATH` for a local copy whose bytes match, `--payload-dir` for payload
 * preimages written, `--skip ID` for the rest (remote or restricted artifacts a referee checks with --fetch or
 * their own copy). Running it on the untouched output exits 0.
 */
export async function verifyCommandFor(plan: VerifyCommandPlan): Promise<VerifyCommand> {
  const argv = ['verify', plan.tro];
  const skipped: string[] = [];
  const written = new Set(plan.written ?? []);
  const payloads = new Set(plan.payloadsWritten ?? []);
  let payloadDir = false;
  for (const a of plan.artifacts) {
    if (written.has(a.location)) continue;
    if (plan.payloadDir !== undefined && payloads.has(a.location)) {
      if (!payloadDir) argv.push('--payload-dir', plan.payloadDir);
      payloadDir = true;
      continue;
    }
    const copy = await matchingCopy(a, plan.copies ?? []);
    if (copy !== undefined) argv.push('--map', `${a.location}=${copy}`);
    else {
      argv.push('--skip', a.id);
      skipped.push(a.id);
    }
  }
  // Many remote artifacts (a build's restricted inputs at their access URLs): one --skip-remote reads better than a
  // --skip per id, and skips exactly the same artifacts (every skipped one has a remote location here).
  if (skipped.length > 3 && plan.artifacts.every((a) => !skipped.includes(a.id) || isRemoteLocation(a.location))) {
    const compact = argv.filter((arg, i) => arg !== '--skip' && argv[i - 1] !== '--skip');
    compact.push('--skip-remote');
    return { argv: compact, command: ['pe-trace', ...compact].map(shellQuote).join(' '), skipped };
  }
  return { argv, command: ['pe-trace', ...argv].map(shellQuote).join(' '), skipped };
}

async function matchingCopy(artifact: { location: string; sha256: string }, copies: VerifyCommandPlan['copies'] & object): Promise<string | undefined> {
  for (const c of copies) {
    if (c.location !== artifact.location) continue;
    try {
      if ((await hashFile(c.path, 'sha256')).hex === artifact.sha256) return c.path;
    } catch {
      // Unreadable now: not a copy the command can name.
    }
  }
  return undefined;
}

/** POSIX shell quoting: bare when only safe characters, else single quotes (with `'\''` for a quote inside). */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_\-./=:@%+,]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
