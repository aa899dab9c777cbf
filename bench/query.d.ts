// Types of bench/query.js for the tests that reuse its corpus generator.
/** Writes `n` TRO-sized documents (chains of a build TRO, a release manifest, a bundle TRO and seven runs) into `dir`. */
export function generateCorpus(dir: string, n: number): number;
export function benchQuery(sizes?: readonly number[]): Promise<unknown[]>;
