// The lineage graph (restricted inputs → build → release manifest → bundle → run): from audit paths, or from a record's TROs.
import type { AuditPath, PathStep } from '../audit/index.js';
import type { EntityType } from '../query/index.js';
import type { JsonValue } from '../json/index.js';
import type { LineageEdge, LineageGraph, LineageNode, LineageStage } from './model.js';
import { shortHash } from './escape.js';

/** Most nodes drawn; further paths are counted in `omitted` and listed as text (a 10,000-node SVG helps nobody). */
export const MAX_DRAWN_NODES = 40;
/** More inputs than this entering one step are drawn as one node. */
const GROUP_INPUTS_ABOVE = 2;

const STAGE_OF: Readonly<Record<EntityType, LineageStage>> = {
  Build: 'build',
  ReleaseManifest: 'manifest',
  Bundle: 'bundle',
  RunPayload: 'payload',
  Run: 'run',
  SourceRegistry: 'other',
  Other: 'other',
};

const METHOD_WORD: Readonly<Record<string, string>> = {
  declared: 'declared',
  'hash-match': 'hash',
  'id-match': 'id',
  'uri-match': 'URI',
  'fingerprint-match': 'fingerprint',
};

/** Collects nodes and edges, merging repeated ones and their evidence. */
class GraphBuilder {
  private readonly nodes = new Map<string, LineageNode>();
  private readonly edges = new Map<string, { from: string; to: string; evidence: string[] }>();
  omitted = 0;

  get size(): number {
    return this.nodes.size;
  }

  has(key: string): boolean {
    return this.nodes.has(key);
  }

  node(n: LineageNode): void {
    const old = this.nodes.get(n.key);
    if (old === undefined) this.nodes.set(n.key, n);
    else if (n.restricted && !old.restricted) this.nodes.set(n.key, { ...old, restricted: true });
  }

  edge(from: string, to: string, evidence: readonly string[]): void {
    const key = `${from}\u0000${to}`;
    const e = this.edges.get(key) ?? { from, to, evidence: [] };
    for (const x of evidence) if (!e.evidence.includes(x)) e.evidence.push(x);
    this.edges.set(key, e);
  }

  build(): LineageGraph {
    const edges: LineageEdge[] = [...this.edges.values()].filter((e) => this.nodes.has(e.from) && this.nodes.has(e.to));
    return { nodes: [...this.nodes.values()], edges, omitted: this.omitted };
  }
}

function stepKey(s: PathStep): string {
  return s.fingerprint !== undefined ? `fp:${s.fingerprint}` : `step:${s.type}:${s.label}|${s.documents[0] ?? ''}`;
}

function stepNode(s: PathStep): LineageNode {
  return { key: stepKey(s), stage: STAGE_OF[s.type], label: s.label, ...(s.fingerprint === undefined ? {} : { detail: `fingerprint ${shortHash(s.fingerprint)}` }), restricted: false };
}

/** The graph of audit paths, in their order, until MAX_DRAWN_NODES would be passed. */
export function lineageFromPaths(paths: readonly AuditPath[], maxNodes = MAX_DRAWN_NODES): LineageGraph {
  const g = new GraphBuilder();
  // Inputs entering the same first step are drawn as one node ("6 restricted inputs"): a column of 20 boxes
  // feeding one build says less than one box that names them; the table below the graph lists each.
  const entering = new Map<string, Map<string, string>>();
  for (const p of paths) {
    const first = p.steps[0];
    if (first === undefined) continue;
    const m = entering.get(stepKey(first)) ?? new Map<string, string>();
    m.set(p.input, p.inputName);
    entering.set(stepKey(first), m);
  }
  for (const p of paths) {
    const first = p.steps[0];
    const group = first === undefined ? undefined : entering.get(stepKey(first));
    const grouped = group !== undefined && group.size > GROUP_INPUTS_ABOVE;
    const inputKey = grouped && first !== undefined ? `ingroup:${stepKey(first)}` : `in:${p.input}`;
    const stepKeys = p.steps.map(stepKey);
    const fresh = [inputKey, ...stepKeys].filter((k, i, all) => !g.has(k) && all.indexOf(k) === i).length;
    if (g.size + fresh > maxNodes) {
      g.omitted++;
      continue;
    }
    if (grouped) {
      const names = [...group.values()].sort();
      g.node({ key: inputKey, stage: 'input', label: `${names.length} restricted inputs`, detail: names.join(', '), restricted: true });
    } else g.node({ key: inputKey, stage: 'input', label: p.inputName, ...(p.input.startsWith('sha256:') ? { detail: `sha256 ${shortHash(p.input.slice(7))}` } : {}), restricted: true });
    let prev = inputKey;
    p.steps.forEach((s, i) => {
      g.node(stepNode(s));
      const key = stepKeys[i] as string;
      g.edge(prev, key, s.evidence.map((e) => `${METHOD_WORD[e.method] ?? e.method} ${shortHash(e.value)}`));
      prev = key;
    });
  }
  return g.build();
}

// --- A record's own links, read from its TROs (no corpus needed). ---

type Obj = Readonly<Record<string, JsonValue>>;

function isObj(v: JsonValue | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function list(v: JsonValue | undefined): JsonValue[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function sha(a: Obj): string | undefined {
  const direct = str(a['trov:sha256']);
  if (direct !== undefined) return direct;
  for (const h of list(a['trov:hash'])) if (isObj(h) && str(h['trov:hashAlgorithm']) === 'sha256') return str(h['trov:hashValue']);
  return undefined;
}

function troNode(doc: JsonValue): Obj | undefined {
  if (!isObj(doc)) return undefined;
  const graph = list(doc['@graph']);
  return graph.find((n): n is Obj => isObj(n) && list(n['@type']).includes('trov:TransparentResearchObject')) ?? (list(doc['@type']).includes('trov:TransparentResearchObject') ? doc : undefined);
}

/** One TRO of a record, as the lineage needs it. */
export interface RecordTro {
  readonly json: JsonValue;
  readonly fingerprint?: string;
  readonly name?: string;
}

/**
 * The lineage a record states itself: a run binds its bundle (pe:bundleFingerprint, the bundle TRO's hash); a bundle
 * pins its data release manifest and dataset (hash, URI) and names the data build (pe:dataBuildId); a build TRO binds
 * its restricted inputs (pop:RestrictedInput, pop:accessRestricted).
 */
export function lineageFromRecord(tros: readonly RecordTro[]): LineageGraph {
  const g = new GraphBuilder();
  for (const t of tros) {
    const node = troNode(t.json);
    if (node === undefined || t.fingerprint === undefined) continue;
    const self = `fp:${t.fingerprint}`;
    const perf = list(node['trov:hasPerformance']).find(isObj);
    const artifacts = list(isObj(node['trov:hasComposition']) ? node['trov:hasComposition']['trov:hasArtifact'] : undefined).filter(isObj);
    const locations = new Map<string, Obj>();
    for (const arr of list(node['trov:hasArrangement']).filter(isObj)) {
      for (const loc of list(arr['trov:hasArtifactLocation'] ?? arr['trov:hasLocus']).filter(isObj)) {
        const target = loc['trov:hasArtifact'] ?? loc['trov:artifact'];
        const id = isObj(target) ? str(target['@id']) : undefined;
        if (id !== undefined && !locations.has(id)) locations.set(id, loc);
      }
    }
    const short = (a: Obj): string => (str(a['@id']) ?? '').replace(/^.*\/artifact\//, '');
    const locationOf = (a: Obj): string | undefined => {
      const loc = locations.get(str(a['@id']) ?? '');
      return loc === undefined ? undefined : (str(loc['trov:hasLocation']) ?? str(loc['trov:path']));
    };
    const bundleFp = perf === undefined ? undefined : str(perf['pe:bundleFingerprint']);
    const buildId = perf === undefined ? undefined : (str(perf['pe:dataBuildId']) ?? str(perf['pop:buildId']));
    const isRun = bundleFp !== undefined;
    const isBuild = perf !== undefined && str(perf['pop:buildId']) !== undefined;
    g.node({ key: self, stage: isRun ? 'run' : isBuild ? 'build' : 'bundle', label: t.name ?? str(node['schema:name']) ?? 'TRO', detail: `fingerprint ${shortHash(t.fingerprint)}`, restricted: false });
    if (bundleFp !== undefined) {
      const bundleTro = artifacts.find((a) => short(a) === 'bundle_tro');
      const bundleName = bundleTro === undefined ? undefined : str(bundleTro['schema:name']);
      g.node({ key: `fp:${bundleFp}`, stage: 'bundle', label: bundleName ?? 'certified bundle', detail: `fingerprint ${shortHash(bundleFp)}`, restricted: false });
      const h = bundleTro === undefined ? undefined : sha(bundleTro);
      g.edge(`fp:${bundleFp}`, self, [`fingerprint ${shortHash(bundleFp)}`, ...(h === undefined ? [] : [`hash ${shortHash(h)}`])]);
    }
    const manifest = artifacts.find((a) => short(a) === 'data_release_manifest');
    const dataset = artifacts.find((a) => short(a) === 'dataset');
    let upstream: string | undefined;
    if (manifest !== undefined) {
      const h = sha(manifest);
      upstream = `manifest:${h ?? short(manifest)}`;
      g.node({ key: upstream, stage: 'manifest', label: str(manifest['schema:name']) ?? 'data release manifest', ...(h === undefined ? {} : { detail: `sha256 ${shortHash(h)}` }), restricted: false });
      const uri = locationOf(manifest);
      const dh = dataset === undefined ? undefined : sha(dataset);
      g.edge(upstream, self, [...(h === undefined ? [] : [`hash ${shortHash(h)}`]), ...(uri === undefined ? [] : [`URI ${uri}`]), ...(dh === undefined ? [] : [`dataset hash ${shortHash(dh)}`])]);
    }
    if (buildId !== undefined && !isBuild) {
      const key = `build:${buildId}`;
      g.node({ key, stage: 'build', label: `build ${buildId}`, restricted: false });
      const buildFp = perf === undefined ? undefined : str(perf['pe:dataBuildFingerprint']);
      g.edge(key, upstream ?? self, [`id ${buildId}`, ...(buildFp === undefined ? [] : [`fingerprint ${shortHash(buildFp)}`])]);
    }
    if (isBuild) {
      for (const a of artifacts) {
        const restrictedType = list(a['@type']).includes('pop:RestrictedInput');
        const loc = locations.get(str(a['@id']) ?? '');
        if (!restrictedType && !(loc !== undefined && loc['pop:accessRestricted'] === true)) continue;
        const h = sha(a);
        const key = h === undefined ? `in:artifact:${short(a)}` : `in:sha256:${h}`;
        g.node({ key, stage: 'input', label: str(a['schema:name']) ?? short(a), ...(h === undefined ? {} : { detail: `sha256 ${shortHash(h)}` }), restricted: true });
        const uri = locationOf(a);
        g.edge(key, self, [...(h === undefined ? [] : [`hash ${shortHash(h)}`]), ...(uri === undefined ? [] : [`URI ${uri}`])]);
      }
    }
  }
  return g.build();
}
