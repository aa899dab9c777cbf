// `pe-trace cite RECORD|TRO`: a citation keyed by the composition fingerprint (text, BibTeX, CFF, RIS, DataCite, CSL-JSON).
import { Args, Flags } from '@oclif/core';
import { BaseCommand, type Outcome } from '../src/cli/base-command.js';
import { displayPath } from '../src/cli/paths.js';
import { CITATION_FORMATS, CITATION_MEDIA, type CitationFacts, type CitationFormat, citationFacts, renderCitation } from '../src/cite/index.js';
import { EXIT } from '../src/errors.js';
import { loadRecord } from '../src/summary/index.js';

interface CiteResult {
  readonly format: CitationFormat;
  readonly mediaType: string;
  readonly key: string;
  readonly fingerprint: string;
  /** The citation exactly as printed in human mode. */
  readonly citation: string;
  readonly facts: CitationFacts;
}

export default class Cite extends BaseCommand<CiteResult> {
  static override summary = 'Print a citation for a run record or TRO, keyed by its composition fingerprint.';
  static override description = [
    'The citation names the institution (the record\'s creator; PolicyEngine for policyengine.py records), the model',
    'package and version, the data package, build and dataset, the bundle id, the creation date, the composition',
    'fingerprint (the citable id of a run record), the DOI (--doi, or a preservation DOI the record carries), a URL',
    '(--url, or the record\'s own self URL) and, when the bundle manifest sits beside the bundle TRO with a matching',
    'hash, the manifest\'s own citation text. A run record folder is cited through its bundle TRO.',
    'Formats: text, bibtex, cff (CITATION.cff 1.2.0), ris, datacite (DataCite JSON, kernel 4.5), csl-json.',
    'The output is deterministic: the same record and flags give the same bytes.',
  ].join(' ');
  static override examples = [
    '<%= config.bin %> cite run-record/',
    '<%= config.bin %> cite run-record/ --format bibtex --doi 10.5281/zenodo.20678518',
    '<%= config.bin %> cite data/bundle/us.trace.tro.jsonld --format cff > CITATION.cff',
  ];
  static override args = { record: Args.string({ description: 'run record folder or TRO file', required: true }) };
  static override flags = {
    format: Flags.option({ options: CITATION_FORMATS, default: 'text' as const, description: 'citation format' })(),
    doi: Flags.string({ description: 'DOI to cite (e.g. the Zenodo DOI of the mirrored record): 10.NNNN/suffix or https://doi.org/…' }),
    url: Flags.string({ description: 'http(s) URL to cite (e.g. where the record is served)' }),
  };

  protected async exec(): Promise<Outcome<CiteResult>> {
    const { args, flags } = await this.parse(Cite);
    const loaded = await loadRecord(args.record, { label: displayPath(args.record) });
    const facts = citationFacts(loaded.summary, { label: loaded.label, ...(flags.doi === undefined ? {} : { doi: flags.doi }), ...(flags.url === undefined ? {} : { url: flags.url }) });
    const citation = renderCitation(facts, flags.format, { label: loaded.label });
    return {
      status: EXIT.OK,
      result: { format: flags.format, mediaType: CITATION_MEDIA[flags.format].mediaType, key: facts.key, fingerprint: facts.fingerprint, citation, facts },
      bytes: new TextEncoder().encode(citation),
      warnings: loaded.warnings,
    };
  }
}
