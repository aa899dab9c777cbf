// SHACL Core constraint components compiled into closures, with rdf-validate-shacl's default messages.
import type { Literal, Term } from '@rdfjs/types';
import type { DataIndex } from './data-index.js';
import { RDF_LANG_STRING, SH, XSD, termKey } from './namespaces.js';
import { UnsupportedShapesError } from './core-paths.js';
import type { ShaclPath, ShaclResultSeverity, ShaclValidationResult } from './report.js';
import { ShapesGraphError, type ShapesIndex } from './shapes-index.js';

/** What a constraint saw: a per-value failure (value given) or a per-focus failure (no value). */
export interface Failure {
  readonly value?: Term;
}

export interface Constraint {
  readonly component: string;
  /** Set for sh:property: the nested property shape, run by the engine itself. */
  readonly property?: CompiledShape;
  /** The messages when the shape has no sh:message. */
  readonly defaults?: readonly string[];
  /** Runs the constraint on a focus node and its value nodes; returns the failures. */
  readonly run: (focus: Term, values: readonly Term[], ctx: RunContext) => Failure[];
}

export interface CompiledShape {
  readonly node: Term;
  readonly path?: ShaclPath;
  readonly severity: ShaclResultSeverity;
  readonly messages: readonly string[];
  readonly deactivated: boolean;
  constraints: Constraint[];
  readonly targets: readonly Target[];
}

export type Target =
  | { readonly kind: 'class'; readonly term: Term }
  | { readonly kind: 'node'; readonly term: Term }
  | { readonly kind: 'subjectsOf' | 'objectsOf'; readonly predicate: string };

/** Results go to a sink; a nested conformance check passes none and stops at the first failure. */
export type Sink = ShaclValidationResult[] | undefined;

export interface RunContext {
  readonly data: DataIndex;
  depth: number;
  conforms(shape: CompiledShape, node: Term): boolean;
}

/** Compiles one constraint parameter of a shape into a closure (multi-parameter components read their siblings). */
export function compileConstraint(name: string, param: Term, node: Term, isProperty: boolean, ix: ShapesIndex, shapeOf: (t: Term) => CompiledShape): Constraint {
  const component = `${SH}${name[0]?.toUpperCase() ?? ''}${name.slice(1)}ConstraintComponent`;
  const perValue = (test: (v: Term, ctx: RunContext) => boolean): Constraint => ({
    component,
    run: (_focus, values, ctx) => values.filter((v) => !test(v, ctx)).map((v) => ({ value: v })),
  });
  const integer = (): number => {
    const n = Number(param.value);
    if (param.termType !== 'Literal' || !Number.isInteger(n)) throw new ShapesGraphError(`sh:${name} must be an integer, got ${param.value}`);
    return n;
  };
  switch (name) {
    case 'class':
      return perValue((v, ctx) => ctx.data.isInstanceOf(v, param));
    case 'datatype':
      return perValue((v) => v.termType === 'Literal' && literalDatatype(v) === param.value && wellFormed(v));
    case 'nodeKind':
      return perValue((v) => nodeKindMatches(v, param.value));
    case 'minCount': {
      const n = integer();
      return { component, run: (_f, values) => (isProperty && values.length < n ? [{}] : []) };
    }
    case 'maxCount': {
      const n = integer();
      return { component, run: (_f, values) => (isProperty && values.length > n ? [{}] : []) };
    }
    case 'minLength': {
      const n = integer();
      return perValue((v) => v.termType !== 'BlankNode' && [...v.value].length >= n);
    }
    case 'maxLength': {
      const n = integer();
      return perValue((v) => v.termType !== 'BlankNode' && [...v.value].length <= n);
    }
    case 'pattern': {
      const flags = ix.object(node, `${SH}flags`)?.value;
      const re = new RegExp(param.value, flags);
      return perValue((v) => v.termType !== 'BlankNode' && re.test(v.value));
    }
    case 'in': {
      const allowed = new Set(ix.list(param).map(termKey));
      return perValue((v) => allowed.has(termKey(v)));
    }
    case 'hasValue': {
      const want = termKey(param);
      return { component, run: (_f, values) => (values.some((v) => termKey(v) === want) ? [] : [{}]) };
    }
    case 'node': {
      const inner = shapeOf(param);
      return perValue((v, ctx) => ctx.conforms(inner, v));
    }
    case 'not': {
      const inner = shapeOf(param);
      return perValue((v, ctx) => !ctx.conforms(inner, v));
    }
    case 'and': {
      const members = ix.list(param).map((s) => shapeOf(s));
      return perValue((v, ctx) => members.every((s) => ctx.conforms(s, v)));
    }
    case 'or': {
      const members = ix.list(param).map((s) => shapeOf(s));
      return perValue((v, ctx) => members.some((s) => ctx.conforms(s, v)));
    }
    case 'xone': {
      const members = ix.list(param).map((s) => shapeOf(s));
      return perValue((v, ctx) => members.filter((s) => ctx.conforms(s, v)).length === 1);
    }
    case 'property': {
      const inner = shapeOf(param);
      if (ix.object(param, `${SH}path`) === undefined) throw new ShapesGraphError(`the sh:property value ${termKey(param)} has no sh:path`);
      return { component, property: inner, run: () => [] };
    }
    case 'qualifiedValueShape': {
      const inner = shapeOf(param);
      const min = ix.object(node, `${SH}qualifiedMinCount`);
      const max = ix.object(node, `${SH}qualifiedMaxCount`);
      if (min !== undefined && max !== undefined) throw new UnsupportedShapesError('sh:qualifiedMinCount and sh:qualifiedMaxCount on one shape');
      const bound = Number((min ?? max)?.value);
      const isMin = min !== undefined;
      return {
        component: isMin ? `${SH}QualifiedMinCountConstraintComponent` : `${SH}QualifiedMaxCountConstraintComponent`,
        run: (_f, values, ctx) => {
          if (!isProperty) return [];
          const count = values.filter((v) => ctx.conforms(inner, v)).length;
          return (isMin ? count < bound : count > bound) ? [{}] : [];
        },
      };
    }
    default:
      throw new UnsupportedShapesError(`the shapes graph uses sh:${name}, which pe-trace's core engine does not implement`);
  }
}

function nodeKindMatches(v: Term, kind: string): boolean {
  const k = kind.slice(SH.length);
  if (v.termType === 'NamedNode') return k === 'IRI' || k === 'BlankNodeOrIRI' || k === 'IRIOrLiteral';
  if (v.termType === 'BlankNode') return k === 'BlankNode' || k === 'BlankNodeOrIRI' || k === 'BlankNodeOrLiteral';
  if (v.termType === 'Literal') return k === 'Literal' || k === 'BlankNodeOrLiteral' || k === 'IRIOrLiteral';
  return false;
}

function literalDatatype(v: Literal): string {
  return v.language ? RDF_LANG_STRING : v.datatype.value;
}

const LEXICAL: Readonly<Record<string, RegExp>> = {
  [`${XSD}boolean`]: /^(true|false|1|0)$/,
  [`${XSD}integer`]: /^[+-]?[0-9]+$/,
  [`${XSD}decimal`]: /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/,
  [`${XSD}double`]: /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$/,
  [`${XSD}float`]: /^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|[+-]?INF|NaN)$/,
  [`${XSD}date`]: /^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?$/,
  [`${XSD}dateTime`]: /^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})?$/,
};

/** The lexical form is valid for the datatype (checked for the common XSD types; others are accepted). */
function wellFormed(v: Literal): boolean {
  const re = LEXICAL[v.datatype.value];
  return re === undefined || re.test(v.value);
}

/**
 * The messages rdf-validate-shacl gives when a shape has no sh:message (its wording and parameter labels, so both
 * engines report the same text): none for sh:class, sh:or, sh:and, sh:xone.
 */
export function defaultMessages(name: string, param: Term, node: Term, isProperty: boolean, ix: ShapesIndex): string[] {
  const label = (t: Term | undefined): string => {
    if (t === undefined) return 'NULL';
    if (t.termType === 'NamedNode') return `<${t.value}>`;
    if (t.termType !== 'BlankNode') return t.value;
    // A blank parameter is labelled by the shape's sh:in list (empty for shapes without one).
    const inList = ix.object(node, `${SH}in`);
    const items = inList === undefined ? [] : ix.list(inList).map((x) => x.value);
    return items.length > 3 ? `${items.slice(0, 3).join(', ')} ... (and ${items.length - 3} more)` : items.join(', ');
  };
  const templates: Readonly<Record<string, string>> = {
    datatype: 'Value does not have datatype {}',
    hasValue: isProperty ? 'Missing expected value {}' : 'Value must be {}',
    in: 'Value is not one of the allowed values: {}',
    maxCount: 'More than {} values',
    minCount: 'Less than {} values',
    maxLength: 'Value has more than {} characters',
    minLength: 'Value has less than {} characters',
    nodeKind: 'Value does not have node kind {}',
    node: 'Value does not have shape {}',
    not: 'Value does have shape {}',
    pattern: 'Value does not match pattern "{}"',
  };
  if (name === 'qualifiedValueShape') {
    const min = ix.object(node, `${SH}qualifiedMinCount`);
    const max = ix.object(node, `${SH}qualifiedMaxCount`);
    return min !== undefined
      ? [`Less than ${label(min)} values have shape ${label(param)}`]
      : [`More than ${label(max)} values have shape ${label(param)}`];
  }
  const template = templates[name];
  return template === undefined ? [] : [template.replace('{}', label(param))];
}
