// ISO 8601 instants with a zone, as keychains and `--at` / `--not-before` / `--not-after` take them.
import { PeTraceError } from '../errors.js';

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Whether `text` is an ISO 8601 date-time with a zone that names a real instant. */
export function isIsoInstant(text: string): boolean {
  return ISO_WITH_ZONE.test(text) && Number.isFinite(Date.parse(text));
}

/** The instant, or a USAGE error naming the flag (a time without a zone is ambiguous, so refused). */
export function parseIsoInstant(text: string, flag: string): Date {
  if (!isIsoInstant(text)) throw new PeTraceError('USAGE', `${flag} ${JSON.stringify(text)} is not an ISO 8601 time with a zone, e.g. 2021-03-04T05:06:07Z`);
  return new Date(Date.parse(text));
}
