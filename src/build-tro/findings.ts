// Observations about a build TRO emission that are not errors: a moving revision, an unhashed restricted input, a declared payload.

export interface BuildFinding {
  readonly severity: 'warning' | 'info';
  /** A stable upper-case code, e.g. `INPUT_UNHASHED`, for scripts. */
  readonly code: string;
  readonly message: string;
}

export function warning(code: string, message: string): BuildFinding {
  return { severity: 'warning', code, message };
}

export function info(code: string, message: string): BuildFinding {
  return { severity: 'info', code, message };
}
