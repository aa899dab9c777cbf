// Literal value rules: ISO 8601 times (zoned in later versions), text names, typed creators, two-part MIME types.
import { isJsonObject } from '../../json/value.js';
import type { JsonValue } from '../../json/value.js';
import { expandIri, membersByIri, shown, trovName, typesOf, valuesOf } from '../document.js';
import type { ConformanceDocument } from '../document.js';
import { type Expectation, at } from '../expectation.js';
import { childPointer } from '../pointer.js';
import { SCHEMA_NS } from '../terms.js';
import type { Finding } from '../types.js';
import { troNodes } from './terms.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

function realDate(y: number, m: number, d: number): boolean {
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return m >= 1 && m <= 12 && d >= 1 && d <= (days[m - 1] ?? 0);
}

/** Parses `YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]`; undefined when it is not one, else whether it carries a zone. */
export function isoDateTime(s: string): { zoned: boolean } | undefined {
  const m = DATE_TIME.exec(s);
  if (m === null) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  // ISO 8601 allows second 60 for a leap second.
  if (!realDate(y, mo, d) || h > 23 || mi > 59 || se > 60) return undefined;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (zh > 23 || zm > 59) return undefined;
  }
  return { zoned: zone !== undefined };
}

export function isoDate(s: string): boolean {
  const m = DATE.exec(s);
  return m !== null && realDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Every trov:startedAtTime / trov:endedAtTime value, wherever it is. */
function performanceTimes(doc: ConformanceDocument): { key: string; value: JsonValue; pointer: string }[] {
  return doc.members
    .filter((m) => !m.inContext && !m.key.startsWith('@'))
    .filter((m) => {
      const name = trovName(doc, m.key);
      return name === 'startedAtTime' || name === 'endedAtTime';
    })
    .map((m) => ({ key: m.key, value: m.value, pointer: m.pointer }));
}

export const timesIso8601: Expectation = {
  id: 'times-iso-8601',
  summary: "Performance start and end times are ISO 8601 date-times (YYYY-MM-DDThh:mm:ss); the TRO's schema:dateCreated is a date or a date-time.",
  requires: ['core-prefixes-pinned'],
  check: (doc) => {
    const out: Finding[] = [];
    for (const t of performanceTimes(doc)) {
      if (typeof t.value !== 'string' || isoDateTime(t.value) === undefined) out.push(at(t.pointer, `${t.key} must be an ISO 8601 date-time such as "2024-06-15T14:00:00Z", found ${shown(t.value)}`));
    }
    for (const tro of troNodes(doc)) {
      for (const c of membersByIri(doc, tro, `${SCHEMA_NS}dateCreated`)) {
        if (typeof c.value !== 'string' || !(isoDate(c.value) || isoDateTime(c.value) !== undefined)) {
          out.push(at(c.pointer, `${c.key} must be an ISO 8601 date or date-time, found ${shown(c.value)}`));
        }
      }
    }
    return out;
  },
};

export const timesZoned: Expectation = {
  id: 'times-zoned',
  summary: "Performance start and end times carry their time zone ('Z' or ±hh:mm).",
  requires: ['times-iso-8601'],
  check: (doc) =>
    performanceTimes(doc)
      .filter((t) => typeof t.value === 'string' && isoDateTime(t.value)?.zoned === false)
      .map((t) => at(t.pointer, `${t.key} ${shown(t.value)} has no time zone; add 'Z' or an offset such as +02:00`)),
};

export const troNameDescriptionText: Expectation = {
  id: 'tro-name-description-text',
  summary: 'Name and description of the TRO (schema:) are plain text, as one string or a list of strings.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    troNodes(doc).flatMap((tro) =>
      [...membersByIri(doc, tro, `${SCHEMA_NS}name`), ...membersByIri(doc, tro, `${SCHEMA_NS}description`)].flatMap((m) => {
        const ok = typeof m.value === 'string' || (Array.isArray(m.value) && m.value.every((v) => typeof v === 'string'));
        return ok ? [] : [at(m.pointer, `${m.key} must be a string or an array of strings, found ${shown(m.value)}`)];
      }),
    ),
};

export const creatorsPersonOrOrganization: Expectation = {
  id: 'creators-person-or-organization',
  summary: 'A creator of the TRO (schema:creator) is described as a schema:Person or schema:Organization node, not given as a bare string.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    troNodes(doc).flatMap((tro) =>
      membersByIri(doc, tro, `${SCHEMA_NS}creator`).flatMap((m) =>
        valuesOf(m.value).flatMap((v, i) => {
          const pointer = Array.isArray(m.value) ? childPointer(m.pointer, i) : m.pointer;
          if (!isJsonObject(v)) return [at(pointer, `a creator must be a node typed schema:Person or schema:Organization, found ${shown(v)}`)];
          const typed = typesOf(v).some((t) => {
            const iri = expandIri(doc, t);
            return iri === `${SCHEMA_NS}Person` || iri === `${SCHEMA_NS}Organization`;
          });
          return typed ? [] : [at(pointer, 'this creator is not typed schema:Person or schema:Organization')];
        }),
      ),
    ),
};

/** `type/subtype` with RFC 6838 restricted names and no parameters. */
const MIME = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$/;

export const mimeTypesTwoPart: Expectation = {
  id: 'mime-types-two-part',
  summary: 'MIME types (trov:mimeType) are bare type/subtype pairs such as text/csv, with no ;parameters.',
  requires: ['core-prefixes-pinned'],
  check: (doc) =>
    doc.members
      .filter((m) => !m.inContext && !m.key.startsWith('@') && trovName(doc, m.key) === 'mimeType')
      .filter((m) => typeof m.value !== 'string' || !MIME.test(m.value))
      .map((m) => at(m.pointer, `trov:mimeType must look like "text/csv" (type/subtype, no parameters), found ${shown(m.value)}`)),
};
