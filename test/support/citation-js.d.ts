// Minimal types for the parts of Citation.js (dev dependency, no shipped types) the cite tests use as standard readers.
declare module '@citation-js/core' {
  export interface CslItem {
    readonly id?: string;
    readonly type?: string;
    readonly title?: string;
    readonly author?: readonly { readonly literal?: string; readonly family?: string; readonly given?: string }[];
    readonly issued?: { readonly 'date-parts'?: readonly (readonly number[])[] };
    readonly DOI?: string;
    readonly URL?: string;
    readonly note?: string;
    readonly abstract?: string;
    readonly publisher?: string;
    readonly [key: string]: unknown;
  }
  export class Cite {
    constructor(data: unknown, options?: { forceType?: string });
    readonly data: CslItem[];
  }
}
declare module '@citation-js/plugin-bibtex';
declare module '@citation-js/plugin-ris';
