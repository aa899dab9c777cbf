// Normalises the external identifiers of restricted inputs: UK Data Service study numbers and editions, DOIs, IRS agreement ids, sha256s.

/** A value that is not a valid identifier of its kind; the caller turns it into a located error. */
export class IdentifierError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentifierError';
  }
}

/**
 * A UK Data Service study number as digits: `9563`, `"9563"`, `"SN 9422"`, `"SN9422"`, `"sn-9422"` and
 * `"UKDA-SN-9422"` all name a study by its number (sources disagree on the spelling: pe-data §6). Leading zeros
 * are dropped so one study has one spelling.
 */
export function normaliseUkdsStudyNumber(value: string | number): string {
  const text = typeof value === 'number' ? (Number.isSafeInteger(value) ? String(value) : '') : value.trim();
  const match = /^(?:(?:UKDA[-\s]?)?SN[-\s]?)?0*(\d{1,7})$/i.exec(text);
  if (match?.[1] === undefined || match[1] === '0') {
    throw new IdentifierError(`${JSON.stringify(value)} is not a UK Data Service study number (expected digits, optionally written "SN 9422")`);
  }
  return match[1];
}

/** A UK Data Service edition: a positive integer (`1`, `"20"`). */
export function normaliseUkdsEdition(value: string | number): number {
  const text = typeof value === 'number' ? String(value) : value.trim();
  if (!/^[1-9]\d{0,5}$/.test(text)) throw new IdentifierError(`${JSON.stringify(value)} is not a UK Data Service edition (expected a positive integer)`);
  return Number(text);
}

/**
 * A DOI name without a resolver: `https://doi.org/10.5255/X`, `doi:10.5255/X` and `10.5255/x` all become
 * `10.5255/X`. DOI names are case-insensitive and the DOI Handbook upper-cases them, so we do too: two spellings
 * of one DOI compare equal as strings, which is what a query over many TROs needs.
 */
export function normaliseDoi(value: string): string {
  let text = value.trim();
  text = text.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '');
  if (!/^10\.\d{4,9}\/\S+$/.test(text)) throw new IdentifierError(`${JSON.stringify(value)} is not a DOI (expected 10.NNNN/suffix)`);
  return text.toUpperCase();
}

/** The study number and edition a UK Data Service DOI names (`10.5255/UKDA-SN-9563-1` → 9563, edition 1), if it is one. */
export function ukdsFromDoi(doi: string): { readonly study: string; readonly edition: number } | undefined {
  const match = /^10\.5255\/UKDA-SN-0*(\d+)-(\d+)$/i.exec(doi.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  return { study: match[1], edition: Number(match[2]) };
}

/** An IRS data agreement id: kept as written (trimmed), but it must be one token of letters, digits and `._/-`. */
export function normaliseIrsAgreementId(value: string): string {
  const text = value.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$/.test(text)) {
    throw new IdentifierError(`${JSON.stringify(value)} is not an IRS agreement id (one token of letters, digits and . _ / -)`);
  }
  return text;
}

/** A sha256 as 64 lowercase hex digits; a `sha256:` prefix is accepted and dropped. */
export function normaliseSha256(value: string): string {
  const text = value.trim().replace(/^sha256:/i, '');
  if (!/^[0-9a-fA-F]{64}$/.test(text)) throw new IdentifierError(`${JSON.stringify(value)} is not a sha256 (64 hex digits)`);
  return text.toLowerCase();
}

/** The canonical access URL of a DOI: its resolver address. */
export function doiUrl(doi: string): string {
  return `https://doi.org/${doi}`;
}
