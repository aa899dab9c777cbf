// A loopback Zenodo deposit API (attestation spec §5.4) for tests: bearer tokens, 415 without JSON, per-deposition state machine, buckets, publish, newversion, fault injection, a request log.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ZenodoLogEntry {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly authorization: string | undefined;
  readonly body: Buffer;
}

/** An injected answer for the next `times` requests matching `method` and `path` (a RegExp on the URL path). */
export interface Fault {
  readonly method: string;
  readonly path: RegExp;
  readonly status?: number;
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** Destroy the connection instead of answering (a dropped upload). */
  readonly drop?: boolean;
  times: number;
}

interface Deposition {
  readonly id: number;
  readonly conceptrecid: number;
  readonly bucket: string;
  submitted: boolean;
  metadata: Record<string, unknown> | undefined;
  readonly files: Map<string, Buffer>;
  /** For a published deposition: the id of its open new-version draft. */
  draftId: number | undefined;
  /** Superseded by a newer version. */
  latest: boolean;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
};

export class LoopbackZenodo {
  readonly log: ZenodoLogEntry[] = [];
  readonly faults: Fault[] = [];
  readonly depositions = new Map<number, Deposition>();
  token = 'test-token';
  private nextId = 4321;
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  /** The API base to pass as --zenodo-url. */
  get api(): string {
    return `${this.origin}/api`;
  }

  static async start(): Promise<LoopbackZenodo> {
    let z: LoopbackZenodo | undefined;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => z?.handle(req, res, Buffer.concat(chunks)));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    z = new LoopbackZenodo(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return z;
  }

  fail(method: string, path: RegExp, fault: Omit<Fault, 'method' | 'path' | 'times'> & { times?: number }): this {
    this.faults.push({ method, path, times: fault.times ?? 1, ...fault });
    return this;
  }

  /** The request log as `METHOD /path` lines (for order assertions). */
  get calls(): string[] {
    return this.log.map((e) => `${e.method} ${e.path}`);
  }

  /** Bucket uploads as name → bytes, in order. */
  get uploads(): { name: string; body: Buffer }[] {
    return this.log.filter((e) => e.method === 'PUT' && e.path.startsWith('/api/files/')).map((e) => ({ name: decodeURIComponent(e.path.split('/').pop() ?? ''), body: e.body }));
  }

  /** A published deposition with files, as if deposited earlier (for new-version tests). */
  seedPublished(files: Record<string, string>): number {
    const d = this.newDeposition();
    for (const [k, v] of Object.entries(files)) d.files.set(k, Buffer.from(v));
    d.submitted = true;
    d.metadata = { title: 'seed' };
    return d.id;
  }

  private newDeposition(conceptrecid?: number): Deposition {
    const id = this.nextId++;
    const d: Deposition = { id, conceptrecid: conceptrecid ?? id + 100000, bucket: `b-${id}`, submitted: false, metadata: undefined, files: new Map(), draftId: undefined, latest: true };
    this.depositions.set(id, d);
    return d;
  }

  private view(d: Deposition): Record<string, unknown> {
    const api = this.api;
    const doi = d.submitted ? `10.5281/zenodo.${d.id}` : undefined;
    return {
      id: d.id,
      conceptrecid: String(d.conceptrecid),
      state: d.submitted ? 'done' : 'unsubmitted',
      submitted: d.submitted,
      metadata: { ...(d.metadata ?? {}), prereserve_doi: { doi: `10.5281/zenodo.${d.id}`, recid: d.id } },
      files: [...d.files.entries()].map(([k, v]) => ({ id: `${d.id}-${k}`, filename: k, filesize: v.length, checksum: createHash('md5').update(v).digest('hex') })),
      ...(doi === undefined ? {} : { doi, conceptdoi: `10.5281/zenodo.${d.conceptrecid}`, doi_url: `https://doi.org/${doi}`, record_id: d.id }),
      links: {
        self: `${api}/deposit/depositions/${d.id}`,
        bucket: `${api}/files/${d.bucket}`,
        files: `${api}/deposit/depositions/${d.id}/files`,
        html: `${this.origin}/deposit/${d.id}`,
        publish: `${api}/deposit/depositions/${d.id}/actions/publish`,
        edit: `${api}/deposit/depositions/${d.id}/actions/edit`,
        discard: `${api}/deposit/depositions/${d.id}/actions/discard`,
        ...(d.draftId === undefined ? {} : { latest_draft: `${api}/deposit/depositions/${d.draftId}`, latest_draft_html: `${this.origin}/deposit/${d.draftId}` }),
        ...(d.submitted ? { record_html: `${this.origin}/records/${d.id}` } : {}),
      },
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const method = req.method ?? '';
    const path = new URL(req.url ?? '/', this.origin).pathname;
    const contentType = req.headers['content-type'];
    const authorization = req.headers.authorization;
    this.log.push({ method, path, contentType, authorization, body });
    const fault = this.faults.find((f) => f.times > 0 && f.method === method && f.path.test(path));
    if (fault !== undefined) {
      fault.times--;
      if (fault.drop === true) {
        req.socket.destroy();
        return;
      }
      res.writeHead(fault.status ?? 500, fault.headers ?? {}).end(fault.body ?? '');
      return;
    }
    if (authorization !== `Bearer ${this.token}`) return json(res, 401, { status: 401, message: 'The server could not verify that you are authorized to access the URL requested.' });
    const needsJson = (): boolean => {
      if (body.length > 0 && !(contentType ?? '').startsWith('application/json')) {
        json(res, 415, { status: 415, message: 'Unsupported media type: expected application/json' });
        return true;
      }
      return false;
    };
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/api/deposit/depositions') {
      if (needsJson()) return;
      return json(res, 201, this.view(this.newDeposition()));
    }
    if ((m = /^\/api\/deposit\/depositions\/(\d+)$/.exec(path)) !== null) {
      const d = this.depositions.get(Number(m[1]));
      if (d === undefined) return json(res, 404, { status: 404, message: 'PID does not exist.' });
      if (method === 'GET') return json(res, 200, this.view(d));
      if (method === 'DELETE') {
        if (d.submitted) return json(res, 403, { status: 403, message: 'published' });
        this.depositions.delete(d.id);
        res.writeHead(204).end();
        return;
      }
      if (method === 'PUT') {
        if (needsJson()) return;
        const parsed = JSON.parse(body.toString('utf8')) as { metadata?: Record<string, unknown> };
        const meta = parsed.metadata ?? {};
        const errors = ['upload_type', 'title', 'creators', 'description'].filter((k) => meta[k] === undefined).map((k) => ({ field: `metadata.${k}`, message: 'Missing data for required field.' }));
        if (errors.length > 0) return json(res, 400, { status: 400, message: 'Validation error', errors });
        d.metadata = meta;
        return json(res, 200, this.view(d));
      }
    }
    if ((m = /^\/api\/deposit\/depositions\/(\d+)\/actions\/(publish|newversion)$/.exec(path)) !== null && method === 'POST') {
      const d = this.depositions.get(Number(m[1]));
      if (d === undefined) return json(res, 404, { status: 404, message: 'PID does not exist.' });
      if (m[2] === 'publish') {
        if (d.submitted) return json(res, 400, { status: 400, message: 'already published' });
        if (d.files.size === 0) return json(res, 400, { status: 400, message: 'Validation error', errors: [{ field: 'files', message: 'Minimum one file must be provided.' }] });
        if (d.metadata === undefined) return json(res, 400, { status: 400, message: 'Validation error', errors: [{ field: 'metadata', message: 'missing' }] });
        d.submitted = true;
        for (const other of this.depositions.values()) if (other.draftId === d.id) other.draftId = undefined;
        return json(res, 202, this.view(d));
      }
      if (!d.submitted || !d.latest) return json(res, 400, { status: 400, message: 'Only the latest published version can be versioned.' });
      if (d.draftId === undefined) {
        const draft = this.newDeposition(d.conceptrecid);
        for (const [k, v] of d.files) draft.files.set(k, v);
        draft.metadata = d.metadata;
        d.draftId = draft.id;
        d.latest = false;
      }
      return json(res, 201, this.view(d));
    }
    if ((m = /^\/api\/files\/([^/]+)\/(.+)$/.exec(path)) !== null) {
      const d = [...this.depositions.values()].find((x) => x.bucket === m?.[1]);
      if (d === undefined) return json(res, 404, { status: 404, message: 'bucket not found' });
      if (d.submitted) return json(res, 403, { status: 403, message: 'bucket locked' });
      const key = decodeURIComponent(m[2] ?? '');
      if (method === 'PUT') {
        d.files.set(key, body);
        return json(res, 201, { key, size: body.length, mimetype: 'application/octet-stream', checksum: `md5:${createHash('md5').update(body).digest('hex')}`, is_head: true, delete_marker: false });
      }
      if (method === 'DELETE') {
        if (!d.files.delete(key)) return json(res, 404, { status: 404, message: 'no such file' });
        res.writeHead(204).end();
        return;
      }
    }
    json(res, 404, { status: 404, message: `no route ${method} ${path}` });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
