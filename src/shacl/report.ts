// The SHACL report model: W3C validation results (focus node, path, value, severity, component, shape, messages).
import type { Term } from '@rdfjs/types';

export type ShaclResultSeverity = 'Violation' | 'Warning' | 'Info';

/** A SHACL property path, as written in the shapes graph (sequence = an RDF list of paths). */
export type ShaclPath =
  | { readonly kind: 'predicate'; readonly iri: string }
  | { readonly kind: 'sequence'; readonly items: readonly ShaclPath[] }
  | { readonly kind: 'alternative'; readonly items: readonly ShaclPath[] }
  | { readonly kind: 'inverse'; readonly path: ShaclPath }
  | { readonly kind: 'zeroOrMore' | 'oneOrMore' | 'zeroOrOne'; readonly path: ShaclPath };

/** One sh:ValidationResult. Terms are RDF/JS terms of the data graph (focus node, value) or shapes graph (shape). */
export interface ShaclValidationResult {
  readonly focusNode: Term;
  readonly resultPath?: ShaclPath;
  readonly value?: Term;
  readonly severity: ShaclResultSeverity;
  /** The constraint component IRI (sh:…ConstraintComponent, or ptc:… for the checks done in code). */
  readonly sourceConstraintComponent: string;
  readonly sourceShape?: Term;
  readonly messages: readonly string[];
}

/** One sh:ValidationReport: conforms iff there is no result (of any severity), as the W3C recommendation says. */
export interface ShaclReport {
  readonly conforms: boolean;
  readonly results: readonly ShaclValidationResult[];
}

/** `trov:hash/trov:hashValue`, `a|b`, `^p`, `p*` — the SPARQL property path notation, with an IRI printer. */
export function formatPath(path: ShaclPath, iri: (value: string) => string): string {
  const inner = (p: ShaclPath): string => {
    const text = formatPath(p, iri);
    return p.kind === 'sequence' || p.kind === 'alternative' ? `(${text})` : text;
  };
  switch (path.kind) {
    case 'predicate':
      return iri(path.iri);
    case 'sequence':
      return path.items.map(inner).join('/');
    case 'alternative':
      return path.items.map(inner).join('|');
    case 'inverse':
      return `^${inner(path.path)}`;
    case 'zeroOrMore':
      return `${inner(path.path)}*`;
    case 'oneOrMore':
      return `${inner(path.path)}+`;
    case 'zeroOrOne':
      return `${inner(path.path)}?`;
  }
}

export function predicatePath(iri: string): ShaclPath {
  return { kind: 'predicate', iri };
}
