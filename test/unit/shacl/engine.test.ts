// pe-trace's compiled SHACL Core engine: each constraint, path and target it implements, checked against rdf-validate-shacl.
import { Parser, Store } from 'n3';
import { describe, expect, it } from 'vitest';
import { type CompiledShapes, type ShaclReport, compileShapes, formatPath, validateShapes } from '../../../src/shacl/index.js';

const PREFIXES = `
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <https://example.org/> .
`;

function data(turtle: string): Store {
  return new Store(new Parser({ format: 'text/turtle' }).parse(PREFIXES + turtle));
}

async function both(shapesTurtle: string): Promise<[CompiledShapes, CompiledShapes]> {
  const source = [{ name: 'test.shape.ttl', text: PREFIXES + shapesTurtle }];
  return [await compileShapes(source), await compileShapes(source, { engine: 'rdf-validate-shacl' })];
}

/** A comparable rendering of a report: focus | path | component | value | severity | shape. */
function rows(report: ShaclReport): string[] {
  return report.results.map((r) =>
    [
      r.focusNode.value.replace('https://example.org/', 'ex:'),
      r.resultPath === undefined ? '' : formatPath(r.resultPath, (i) => i.replace('https://example.org/', 'ex:')),
      r.sourceConstraintComponent.replace('http://www.w3.org/ns/shacl#', 'sh:'),
      r.value === undefined ? '' : r.value.value.replace('https://example.org/', 'ex:'),
      r.severity,
      r.sourceShape?.termType === 'NamedNode' ? r.sourceShape.value.replace('https://example.org/', 'ex:') : '_',
    ].join(' | '),
  );
}

/** Validates with both engines, requires identical results, and returns them. */
async function check(shapesTurtle: string, dataTurtle: string): Promise<string[]> {
  const [core, zazuko] = await both(shapesTurtle);
  expect(core.engine).toBe('pe-trace');
  const store = data(dataTurtle);
  const a = validateShapes(store, core);
  const b = validateShapes(store, zazuko);
  expect(rows(a)).toEqual(rows(b));
  expect(a.results.map((r) => r.messages)).toEqual(b.results.map((r) => r.messages));
  expect(a.conforms).toBe(a.results.length === 0);
  return rows(a);
}

describe('core engine: constraints (same results as rdf-validate-shacl)', () => {
  it('value constraints: class (through rdfs:subClassOf in the data), datatype, nodeKind, pattern, in, lengths', async () => {
    const shapes = `
      ex:S a sh:NodeShape ; sh:targetClass ex:Thing ;
        sh:property [ sh:path ex:kind ; sh:class ex:Kind ; sh:message "kind" ] ;
        sh:property [ sh:path ex:flag ; sh:datatype xsd:boolean ; sh:message "flag" ] ;
        sh:property [ sh:path ex:ref ; sh:nodeKind sh:IRI ; sh:message "ref" ] ;
        sh:property [ sh:path ex:code ; sh:pattern "^ab" ; sh:flags "i" ; sh:message "code" ] ;
        sh:property [ sh:path ex:colour ; sh:in ( "red" ex:Blue ) ; sh:message "colour" ] ;
        sh:property [ sh:path ex:name ; sh:minLength 2 ; sh:maxLength 3 ; sh:message "name" ] .`;
    const result = await check(
      shapes,
      `
      ex:Sub rdfs:subClassOf ex:Kind .
      ex:good a ex:Thing ; ex:kind [ a ex:Sub ] ; ex:flag true ; ex:ref ex:x ; ex:code "ABc" ; ex:colour "red", ex:Blue ; ex:name "abc" .
      ex:bad a ex:Thing ; ex:kind ex:untyped ; ex:flag "yes"^^xsd:boolean, "true" ; ex:ref "x" ; ex:code "ba" ; ex:colour "green" ; ex:name "a", "abcd" .`,
    );
    expect(result).toEqual([
      'ex:bad | ex:code | sh:PatternConstraintComponent | ba | Violation | _',
      'ex:bad | ex:colour | sh:InConstraintComponent | green | Violation | _',
      'ex:bad | ex:flag | sh:DatatypeConstraintComponent | true | Violation | _',
      'ex:bad | ex:flag | sh:DatatypeConstraintComponent | yes | Violation | _',
      'ex:bad | ex:kind | sh:ClassConstraintComponent | ex:untyped | Violation | _',
      'ex:bad | ex:name | sh:MaxLengthConstraintComponent | abcd | Violation | _',
      'ex:bad | ex:name | sh:MinLengthConstraintComponent | a | Violation | _',
      'ex:bad | ex:ref | sh:NodeKindConstraintComponent | x | Violation | _',
    ]);
  });

  it('cardinalities, hasValue and qualified counts are per focus node and carry no value', async () => {
    const result = await check(
      `
      ex:S a sh:NodeShape ; sh:targetNode ex:a, ex:b ;
        sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:maxCount 2 ; sh:message "p" ] ;
        sh:property [ sh:path ex:q ; sh:hasValue "x" ; sh:message "q" ] ;
        sh:property [ sh:path ex:r ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMinCount 2 ; sh:message "r" ] ;
        sh:property [ sh:path ex:t ; sh:qualifiedValueShape [ sh:datatype xsd:integer ] ; sh:qualifiedMaxCount 0 ; sh:message "t" ] .`,
      `
      ex:a ex:p 1 ; ex:q "x" ; ex:r 1, 2, "three" .
      ex:b ex:p 1, 2, 3 ; ex:q "y" ; ex:r 1 ; ex:t 7 .`,
    );
    expect(result).toEqual([
      'ex:b | ex:p | sh:MaxCountConstraintComponent |  | Violation | _',
      'ex:b | ex:q | sh:HasValueConstraintComponent |  | Violation | _',
      'ex:b | ex:r | sh:QualifiedMinCountConstraintComponent |  | Violation | _',
      'ex:b | ex:t | sh:QualifiedMaxCountConstraintComponent |  | Violation | _',
    ]);
    const missing = await check(`ex:S a sh:NodeShape ; sh:targetNode ex:nothing ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`, 'ex:x ex:y ex:z .');
    expect(missing).toEqual(['ex:nothing | ex:p | sh:MinCountConstraintComponent |  | Violation | _']);
  });

  it('logical constraints and sh:node report one result for the value, with the outer shape', async () => {
    const result = await check(
      `
      ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
      ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:item ;
        sh:property [ sh:path ex:item ; sh:node ex:Named ; sh:message "node" ] ;
        sh:property [ sh:path ex:item ; sh:not [ sh:class ex:Banned ] ; sh:message "not" ] ;
        sh:property [ sh:path ex:item ; sh:or ( [ sh:class ex:A ] [ sh:class ex:B ] ) ; sh:message "or" ] ;
        sh:property [ sh:path ex:item ; sh:xone ( [ sh:class ex:A ] [ sh:class ex:C ] ) ; sh:message "xone" ] .`,
      `
      ex:s ex:item ex:i1, ex:i2, ex:i3 .
      ex:i1 a ex:A ; ex:name "one" .
      ex:i2 a ex:A, ex:C, ex:Banned .
      ex:i3 a ex:B ; ex:name "three" .`,
    );
    expect(result).toEqual([
      'ex:s | ex:item | sh:NodeConstraintComponent | ex:i2 | Violation | _',
      'ex:s | ex:item | sh:NotConstraintComponent | ex:i2 | Violation | _',
      'ex:s | ex:item | sh:XoneConstraintComponent | ex:i2 | Violation | _',
      'ex:s | ex:item | sh:XoneConstraintComponent | ex:i3 | Violation | _',
    ]);
  });

  it('sh:and in a property shape applies to each value node (rdf-validate-shacl 0.6.5 checks the focus node instead)', async () => {
    const [core] = await both(`
      ex:S a sh:NodeShape ; sh:targetSubjectsOf ex:item ;
        sh:property [ sh:path ex:item ; sh:and ( [ sh:nodeKind sh:IRI ] [ sh:class ex:A ] ) ; sh:message "and" ] .`);
    const report = validateShapes(data('ex:s ex:item ex:i1, ex:i3 . ex:i1 a ex:A . ex:i3 a ex:B .'), core);
    expect(rows(report)).toEqual(['ex:s | ex:item | sh:AndConstraintComponent | ex:i3 | Violation | _']);
  });

  it('without sh:message, each result carries the same default message as rdf-validate-shacl', async () => {
    const result = await check(
      `
      ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
      ex:S a sh:NodeShape ; sh:targetNode ex:a ;
        sh:property [ sh:path ex:d ; sh:datatype xsd:integer ; sh:maxCount 1 ; sh:minLength 3 ] ;
        sh:property [ sh:path ex:e ; sh:in ( "v1" "v2" "v3" "v4" ) ; sh:pattern "^v" ] ;
        sh:property [ sh:path ex:f ; sh:hasValue ex:x ; sh:nodeKind sh:Literal ; sh:node ex:Named ; sh:not [ sh:nodeKind sh:IRI ] ] ;
        sh:property [ sh:path ex:g ; sh:qualifiedValueShape [ sh:nodeKind sh:IRI ] ; sh:qualifiedMinCount 1 ] .
      ex:T a sh:NodeShape ; sh:targetNode ex:a ; sh:hasValue ex:b .`,
      'ex:a ex:d "x", "y" ; ex:e "w" ; ex:f ex:y ; ex:g "lit" .',
    );
    // d: datatype ×2, maxCount, minLength ×2; e: in, pattern; f: hasValue, nodeKind, node, not; g: qualifiedMinCount; T: hasValue.
    expect(result).toHaveLength(13);
  });

  it('node-level constraints report the focus node as the value; severity and messages come from the shape', async () => {
    const [core] = await both(`
      ex:S a sh:NodeShape ; sh:targetObjectsOf ex:link ; sh:nodeKind sh:IRI ; sh:severity sh:Warning ; sh:message "needs an IRI"@en, "braucht eine IRI"@de .`);
    const report = validateShapes(data('ex:a ex:link [ ex:p 1 ], ex:b .'), core);
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ severity: 'Warning', messages: ['needs an IRI', 'braucht eine IRI'], sourceConstraintComponent: 'http://www.w3.org/ns/shacl#NodeKindConstraintComponent' });
    expect(report.results[0]?.value?.equals(report.results[0].focusNode)).toBe(true);
    expect(report.conforms).toBe(false);
    await check(`ex:S a sh:NodeShape ; sh:targetObjectsOf ex:link ; sh:nodeKind sh:IRI ; sh:severity sh:Warning ; sh:message "m" .`, 'ex:a ex:link [ ex:p 1 ], ex:b .');
  });

  it('paths: sequence, alternative, inverse, zeroOrMore, oneOrMore, zeroOrOne', async () => {
    const result = await check(
      `
      ex:S a sh:NodeShape ; sh:targetNode ex:root ;
        sh:property [ sh:path ( ex:a ex:b ) ; sh:maxCount 1 ; sh:message "seq" ] ;
        sh:property [ sh:path [ sh:alternativePath ( ex:a ex:c ) ] ; sh:maxCount 2 ; sh:message "alt" ] ;
        sh:property [ sh:path [ sh:inversePath ex:parent ] ; sh:minCount 3 ; sh:message "inv" ] ;
        sh:property [ sh:path [ sh:zeroOrMorePath ex:next ] ; sh:maxCount 2 ; sh:message "star" ] ;
        sh:property [ sh:path [ sh:oneOrMorePath ex:next ] ; sh:maxCount 1 ; sh:message "plus" ] ;
        sh:property [ sh:path [ sh:zeroOrOnePath ex:next ] ; sh:maxCount 1 ; sh:message "opt" ] ;
        sh:property [ sh:path ( [ sh:inversePath ex:parent ] ex:name ) ; sh:minCount 2 ; sh:message "inv-seq" ] .`,
      `
      ex:root ex:a ex:x, ex:y ; ex:c ex:z ; ex:next ex:n1 .
      ex:x ex:b 1 . ex:y ex:b 2 .
      ex:n1 ex:next ex:n2 . ex:n2 ex:next ex:root .
      ex:k1 ex:parent ex:root ; ex:name "k1" .
      ex:k2 ex:parent ex:root .`,
    );
    // alternative: x, y, z > 2; star: root, n1, n2 > 2; plus: n1, n2, root > 1; opt: root, n1 > 1; inverse: k1, k2 < 3;
    // inverse then name: "k1" < 2; sequence: 1, 2 > 1.
    expect(result.map((r) => r.split(' | ').slice(0, 3).join(' | ')).sort()).toEqual([
      'ex:root | ^ex:parent | sh:MinCountConstraintComponent',
      'ex:root | ^ex:parent/ex:name | sh:MinCountConstraintComponent',
      'ex:root | ex:a/ex:b | sh:MaxCountConstraintComponent',
      'ex:root | ex:a|ex:c | sh:MaxCountConstraintComponent',
      'ex:root | ex:next* | sh:MaxCountConstraintComponent',
      'ex:root | ex:next+ | sh:MaxCountConstraintComponent',
      'ex:root | ex:next? | sh:MaxCountConstraintComponent',
    ]);
  });

  it('targets: class (with subclasses), node, subjectsOf, objectsOf, implicit class targets; deactivated shapes are skipped', async () => {
    const result = await check(
      `
      ex:ByClass a sh:NodeShape ; sh:targetClass ex:Top ; sh:property [ sh:path ex:id ; sh:minCount 1 ; sh:message "c" ] .
      ex:Implicit a sh:NodeShape, rdfs:Class ; sh:property [ sh:path ex:id ; sh:minCount 1 ; sh:message "i" ] .
      ex:BySubject a sh:NodeShape ; sh:targetSubjectsOf ex:s ; sh:property [ sh:path ex:id ; sh:minCount 1 ; sh:message "s" ] .
      ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:o ; sh:property [ sh:path ex:id ; sh:minCount 1 ; sh:message "o" ] .
      ex:Off a sh:NodeShape ; sh:targetClass ex:Top ; sh:deactivated true ; sh:property [ sh:path ex:never ; sh:minCount 1 ] .`,
      `
      ex:Mid rdfs:subClassOf ex:Top .
      ex:t1 a ex:Mid .
      ex:t2 a ex:Implicit .
      ex:t3 ex:s 1 .
      ex:t4 ex:o ex:t5 .`,
    );
    expect(result.map((r) => r.split(' | ').slice(0, 3).join(' | '))).toEqual([
      'ex:t1 | ex:id | sh:MinCountConstraintComponent',
      'ex:t2 | ex:id | sh:MinCountConstraintComponent',
      'ex:t3 | ex:id | sh:MinCountConstraintComponent',
      'ex:t5 | ex:id | sh:MinCountConstraintComponent',
    ]);
  });
});

describe('core engine: compilation', () => {
  it('falls back to rdf-validate-shacl for shapes outside its subset, and says why', async () => {
    const source = [{ name: 'x.ttl', text: `${PREFIXES} ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:n ; sh:minInclusive 3 ] .` }];
    const compiled = await compileShapes(source);
    expect(compiled.engine).toBe('rdf-validate-shacl');
    expect(compiled.fallback).toContain('sh:minInclusive');
    const report = validateShapes(data('ex:a ex:n 2 .'), compiled);
    expect(report.results.map((r) => r.sourceConstraintComponent)).toEqual(['http://www.w3.org/ns/shacl#MinInclusiveConstraintComponent']);
  });

  it('refuses SHACL-SPARQL in the core engine (rdf-validate-shacl then reports it cannot run either)', async () => {
    const compiled = await compileShapes([{ name: 'x.ttl', text: `${PREFIXES} ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .` }]);
    expect(compiled.engine).toBe('rdf-validate-shacl');
    expect(compiled.fallback).toContain('sh:sparql');
  });

  it('a Turtle syntax error is a located RDF_PARSE error', async () => {
    await expect(compileShapes([{ name: 'broken.ttl', text: 'ex:a ex:b' }])).rejects.toThrow(/broken\.ttl.*invalid Turtle/);
  });

  it('labels the shapes graph blank nodes by file and position, so reports do not depend on parse order', async () => {
    const text = `${PREFIXES} ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .`;
    const shapeOf = (c: CompiledShapes): string | undefined => validateShapes(data('ex:z ex:y ex:x .'), c).results[0]?.sourceShape?.value;
    await compileShapes([{ name: 'other.ttl', text }]);
    const first = shapeOf(await compileShapes([{ name: 'a.shape.ttl', text }]));
    const again = shapeOf(await compileShapes([{ name: 'a.shape.ttl', text }]));
    expect(first).toBe('a_shape_0');
    expect(again).toBe(first);
  });
});
