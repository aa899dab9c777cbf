// HTML escaping for every input-derived string the report writes (text and attribute values alike).

const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Escapes text for HTML text and double- or single-quoted attribute values. Control characters (other than tab and
 * newline) and lone surrogates become U+FFFD: they cannot be shown and must not reach the page as raw bytes.
 */
export function escapeHtml(value: string): string {
  return value
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c)
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/** The first 12 hex digits of a sha256 and an ellipsis; anything else unchanged. */
export function shortHash(value: string): string {
  return /^(sha256:)?[0-9a-f]{64}$/.test(value) ? `${value.replace(/^sha256:/, '').slice(0, 12)}…` : value;
}

/** At most `max` code points, with an ellipsis when cut (for SVG labels; the full text goes in a <title>). */
export function truncate(value: string, max: number): string {
  const chars = [...value];
  return chars.length <= max ? value : `${chars.slice(0, max - 1).join('')}…`;
}
