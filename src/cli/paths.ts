// Path helpers for command output: how a path the user typed is displayed (Python's str(Path(arg)) rules).

/**
 * Displays a path the way policyengine.py prints `str(Path(arg))`: `./x` → `x`, `a//b` → `a/b`, a trailing `/`
 * dropped, `.` for an empty path. Keeps the user's relative/absolute form: we never resolve it.
 */
export function displayPath(arg: string): string {
  if (arg === '') return '.';
  const absolute = arg.startsWith('/');
  const parts = arg.split('/').filter((p) => p !== '' && p !== '.');
  const joined = parts.join('/');
  if (absolute) return `/${joined}`;
  return joined === '' ? '.' : joined;
}
