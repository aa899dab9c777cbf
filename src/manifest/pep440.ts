// PEP 440 versions and specifier sets (==, !=, <, <=, >, >=, ~=, ===, `==1.2.*`), written from the PEP; invalid input never matches.

/** A parsed PEP 440 version. Numbers are bigint so long release segments compare exactly. */
export interface Pep440Version {
  readonly epoch: bigint;
  readonly release: readonly bigint[];
  /** `a`, `b` or `rc` with its number (alpha/beta/c/pre/preview are normalised). */
  readonly pre?: { readonly label: 'a' | 'b' | 'rc'; readonly n: bigint };
  readonly post?: bigint;
  readonly dev?: bigint;
  /** Lower-cased local segments, `.`-separated in the normal form. */
  readonly local?: readonly string[];
}

const VERSION_BODY =
  'v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
  '(?<pre>[-_.]?(?<pre_l>alpha|beta|preview|pre|a|b|c|rc)[-_.]?(?<pre_n>[0-9]+)?)?' +
  '(?<post>-(?<post_n1>[0-9]+)|[-_.]?(?<post_l>post|rev|r)[-_.]?(?<post_n2>[0-9]+)?)?' +
  '(?<dev>[-_.]?(?<dev_l>dev)[-_.]?(?<dev_n>[0-9]+)?)?';
const VERSION_RE = new RegExp(`^\\s*${VERSION_BODY}(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$`, 'i');

/** Parses a version; undefined when it is not PEP 440 (legacy versions are not supported, as in packaging ≥ 22). */
export function parseVersion(text: string): Pep440Version | undefined {
  const m = VERSION_RE.exec(text);
  const g = m?.groups;
  if (g === undefined) return undefined;
  const release = (g['release'] ?? '').split('.').map((s) => BigInt(s));
  const version: {
    epoch: bigint;
    release: bigint[];
    pre?: { label: 'a' | 'b' | 'rc'; n: bigint };
    post?: bigint;
    dev?: bigint;
    local?: string[];
  } = { epoch: BigInt(g['epoch'] ?? '0'), release };
  const preLabel = g['pre_l']?.toLowerCase();
  if (preLabel !== undefined) version.pre = { label: normalisePreLabel(preLabel), n: BigInt(g['pre_n'] ?? '0') };
  if (g['post'] !== undefined) version.post = BigInt(g['post_n1'] ?? g['post_n2'] ?? '0');
  if (g['dev'] !== undefined) version.dev = BigInt(g['dev_n'] ?? '0');
  if (g['local'] !== undefined) version.local = g['local'].toLowerCase().split(/[-_.]/);
  return version;
}

function normalisePreLabel(label: string): 'a' | 'b' | 'rc' {
  if (label === 'a' || label === 'alpha') return 'a';
  if (label === 'b' || label === 'beta') return 'b';
  return 'rc';
}

/** The normal form (`1.0rc1.post2.dev3+abc.1`), as `str(Version(...))` prints it. */
export function formatVersion(v: Pep440Version): string {
  let out = v.epoch === 0n ? '' : `${v.epoch}!`;
  out += v.release.join('.');
  if (v.pre !== undefined) out += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) out += `.post${v.post}`;
  if (v.dev !== undefined) out += `.dev${v.dev}`;
  if (v.local !== undefined) out += `+${v.local.join('.')}`;
  return out;
}

export function isPrerelease(v: Pep440Version): boolean {
  return v.pre !== undefined || v.dev !== undefined;
}

/** The version without local, pre, post and dev parts (`base_version`), with its epoch. */
function baseVersion(v: Pep440Version): Pep440Version {
  return { epoch: v.epoch, release: v.release };
}

function publicVersion(v: Pep440Version): Pep440Version {
  const { local: _local, ...rest } = v;
  return rest;
}

function compareBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Release segments compare with trailing zeros ignored (1.0 == 1.0.0). */
function compareRelease(a: readonly bigint[], b: readonly bigint[]): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareBig(a[i] ?? 0n, b[i] ?? 0n);
    if (c !== 0) return c;
  }
  return 0;
}

const PRE_ORDER = { a: 0, b: 1, rc: 2 } as const;

/**
 * Pre-release rank: a dev release of a final (1.0.dev0) sorts before any pre-release of it, a final sorts
 * after all its pre-releases. Returns [rank, label, n] compared lexicographically.
 */
function preKey(v: Pep440Version): readonly [number, number, bigint] {
  if (v.pre === undefined && v.post === undefined && v.dev !== undefined) return [-1, 0, 0n];
  if (v.pre === undefined) return [1, 0, 0n];
  return [0, PRE_ORDER[v.pre.label], v.pre.n];
}

function compareLocal(a: readonly string[] | undefined, b: readonly string[] | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xNum = /^[0-9]+$/.test(x);
    const yNum = /^[0-9]+$/.test(y);
    // Numeric segments sort after alphanumeric ones; numbers by value, strings lexically.
    if (xNum && yNum) {
      const c = compareBig(BigInt(x), BigInt(y));
      if (c !== 0) return c;
    } else if (xNum !== yNum) {
      return xNum ? 1 : -1;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

/** Total order of PEP 440 versions. */
export function compareVersions(a: Pep440Version, b: Pep440Version): number {
  let c = compareBig(a.epoch, b.epoch);
  if (c !== 0) return c;
  c = compareRelease(a.release, b.release);
  if (c !== 0) return c;
  const pa = preKey(a);
  const pb = preKey(b);
  c = pa[0] - pb[0] || pa[1] - pb[1] || compareBig(pa[2], pb[2]);
  if (c !== 0) return c;
  // No post release sorts before any post release.
  if (a.post !== b.post) {
    if (a.post === undefined) return -1;
    if (b.post === undefined) return 1;
    c = compareBig(a.post, b.post);
    if (c !== 0) return c;
  }
  // No dev release sorts after any dev release.
  if (a.dev !== b.dev) {
    if (a.dev === undefined) return 1;
    if (b.dev === undefined) return -1;
    c = compareBig(a.dev, b.dev);
    if (c !== 0) return c;
  }
  return compareLocal(a.local, b.local);
}

export type SpecifierOperator = '~=' | '==' | '!=' | '<=' | '>=' | '<' | '>' | '===';

/** One clause of a specifier set. */
export interface Specifier {
  readonly operator: SpecifierOperator;
  /** The version text as written (after the operator, trimmed). */
  readonly text: string;
  /** The parsed version (undefined only for `===`, which compares strings). */
  readonly version?: Pep440Version;
  /** `==1.2.*` / `!=1.2.*`. */
  readonly wildcard: boolean;
}

const SPECIFIER_RE = /^\s*(~=|===|==|!=|<=|>=|<|>)\s*(\S.*?)\s*$/;

/** Parses one clause (`>=1.724.0`); undefined when it is not a valid PEP 440 specifier. */
export function parseSpecifier(text: string): Specifier | undefined {
  const m = SPECIFIER_RE.exec(text);
  if (m === null) return undefined;
  const operator = m[1] as SpecifierOperator;
  const body = m[2] ?? '';
  if (operator === '===') {
    // Arbitrary equality: any string without whitespace, compared case-insensitively.
    return /^[^\s;)]+$/.test(body) ? { operator, text: body, wildcard: false } : undefined;
  }
  const wildcard = body.endsWith('.*');
  if (wildcard) {
    if (operator !== '==' && operator !== '!=') return undefined;
    // A wildcard applies to a plain release (with optional epoch) only.
    if (!/^\s*v?(?:[0-9]+!)?[0-9]+(?:\.[0-9]+)*$/i.test(body.slice(0, -2))) return undefined;
    const version = parseVersion(body.slice(0, -2));
    return version === undefined ? undefined : { operator, text: body, version, wildcard: true };
  }
  const version = parseVersion(body);
  if (version === undefined) return undefined;
  // Only == and != may name a local version; ~= needs at least two release segments.
  if (version.local !== undefined && operator !== '==' && operator !== '!=') return undefined;
  if (operator === '~=' && version.release.length < 2) return undefined;
  return { operator, text: body, version, wildcard: false };
}

/** A parsed specifier set; `valid` is false when any clause is invalid (then nothing matches). */
export interface SpecifierSet {
  readonly valid: boolean;
  readonly specifiers: readonly Specifier[];
}

/** Parses a comma-separated specifier set; empty clauses are ignored (`""` is the empty set). */
export function parseSpecifierSet(text: string): SpecifierSet {
  const parts = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const specifiers: Specifier[] = [];
  for (const p of parts) {
    const s = parseSpecifier(p);
    if (s === undefined) return { valid: false, specifiers: [] };
    specifiers.push(s);
  }
  return { valid: true, specifiers };
}

/** Whether the clause names a pre-release, which lets the set accept pre-releases in the strict mode. */
function allowsPrereleases(s: Specifier): boolean {
  if (s.operator === '!=' || s.version === undefined) return false;
  return isPrerelease(s.version);
}

function padRelease(release: readonly bigint[], length: number): bigint[] {
  const out = release.slice(0, length);
  while (out.length < length) out.push(0n);
  return out;
}

function prefixMatch(candidate: Pep440Version, prefix: Pep440Version): boolean {
  if (candidate.epoch !== prefix.epoch) return false;
  const c = padRelease(candidate.release, prefix.release.length);
  return c.every((x, i) => x === prefix.release[i]);
}

function equalTo(candidate: Pep440Version, spec: Pep440Version): boolean {
  // Without a local part in the specifier, the candidate's local part is ignored.
  const c = spec.local === undefined ? publicVersion(candidate) : candidate;
  return compareVersions(c, spec) === 0;
}

function clauseMatches(s: Specifier, candidate: Pep440Version): boolean {
  const v = s.version;
  if (v === undefined) return false;
  const pub = publicVersion(candidate);
  switch (s.operator) {
    case '==':
      return s.wildcard ? prefixMatch(pub, v) : equalTo(candidate, v);
    case '!=':
      return !(s.wildcard ? prefixMatch(pub, v) : equalTo(candidate, v));
    case '<=':
      return compareVersions(pub, v) <= 0;
    case '>=':
      return compareVersions(pub, v) >= 0;
    case '<':
      // <V excludes pre-releases of V itself unless V is one.
      if (compareVersions(pub, v) >= 0) return false;
      return isPrerelease(v) || !isPrerelease(pub) || compareVersions(baseVersion(pub), baseVersion(v)) !== 0;
    case '>':
      // >V excludes post-releases and local versions of V itself unless V is a post-release.
      if (compareVersions(pub, v) <= 0) return false;
      if (v.post === undefined && pub.post !== undefined && compareVersions(baseVersion(pub), baseVersion(v)) === 0) return false;
      return candidate.local === undefined || compareVersions(baseVersion(candidate), baseVersion(v)) !== 0;
    case '~=': {
      // ~=X.Y.Z means >=X.Y.Z, ==X.Y.*
      const prefix: Pep440Version = { epoch: v.epoch, release: v.release.slice(0, -1) };
      return compareVersions(pub, v) >= 0 && prefixMatch(pub, prefix);
    }
    case '===':
      return false;
  }
}

export interface SpecifierMatchOptions {
  /**
   * false: a pre-release (or dev release) matches only when some clause names a pre-release, as
   * `packaging` < 25 decided. Default (undefined/true): pre-releases match like any version, as
   * `packaging` ≥ 25 decides for a single candidate (PEP 440: "accept pre-releases when no final release
   * satisfies"); the `<V` rule still keeps V's own pre-releases out.
   */
  readonly prereleases?: boolean;
}

/**
 * Whether `version` satisfies every clause of `specifiers`, as Python's `packaging` decides for
 * `SpecifierSet(s).contains(v)`. An invalid specifier set matches nothing; an invalid version matches only
 * `===` clauses (arbitrary equality compares the text, case-insensitively).
 */
export function specifierContains(specifiers: string | SpecifierSet, version: string, options: SpecifierMatchOptions = {}): boolean {
  const set = typeof specifiers === 'string' ? parseSpecifierSet(specifiers) : specifiers;
  if (!set.valid) return false;
  const v = parseVersion(version);
  if (v === undefined && !set.specifiers.some((s) => s.operator === '===')) return false;
  if (v !== undefined && options.prereleases === false && isPrerelease(v) && !set.specifiers.some(allowsPrereleases)) return false;
  return set.specifiers.every((s) => {
    if (s.operator === '===') return version.toLowerCase() === s.text.toLowerCase();
    return v !== undefined && clauseMatches(s, v);
  });
}
