// A local stand-in for an S3-compatible store (Debian has no S3 server), for the real AWS CLI the backup scripts run.
// It speaks S3's REST shapes (path-style requests, XML bodies and errors) for exactly the operations the scripts and
// `aws s3 cp` use: HeadBucket, CreateBucket, Put/GetBucketVersioning, PutBucketLifecycleConfiguration,
// ListObjectsV2 (with encoding-type=url), PutObject, CopyObject (x-amz-copy-source), HeadObject, GetObject (with
// Range), DeleteObject, DeleteObjects, and multipart uploads (Create/UploadPart/Complete/Abort: `aws s3 cp` switches
// to them above 8 MiB). Versioning keeps every version and writes delete markers like S3. Signatures are not
// checked, but the access key and region of every request's SigV4 Authorization header are recorded and the key must
// be one the test allowed, so a test sees which credentials and region reached which store.
// Shapes: aws/aws-cli @ 2.22.35 : awscli/botocore/data/s3/2006-03-01/service-2.json (operations' http method and
// requestUri, members' locationName; ListBucketResult, VersioningConfiguration, LifecycleConfiguration,
// CopyObjectResult, InitiateMultipartUploadResult, CompleteMultipartUploadResult, DeleteResult, Error).
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface RecordedRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The S3 operation the stand-in took it for. */
  readonly operation: string;
  readonly bucket: string;
  readonly key: string;
  readonly accessKey: string | undefined;
  readonly region: string | undefined;
  /** Request body, for configuration operations (versioning, lifecycle, create bucket); empty for object data. */
  readonly body: string;
}

interface Version {
  readonly versionId: string;
  readonly data: Buffer;
  readonly lastModified: Date;
  readonly deleteMarker: boolean;
  readonly etag: string;
}

interface Bucket {
  versioning: 'Enabled' | 'Suspended' | undefined;
  lifecycle: string | undefined;
  readonly objects: Map<string, Version[]>;
  readonly uploads: Map<string, { key: string; parts: Map<number, Buffer> }>;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

export class S3StandIn {
  readonly requests: RecordedRequest[] = [];
  readonly buckets = new Map<string, Bucket>();
  private server: Server | undefined;
  private url_ = '';

  /** `allowedKeys`: access key ids this store accepts (others get 403 InvalidAccessKeyId). */
  constructor(private readonly allowedKeys: readonly string[]) {}

  get url(): string {
    return this.url_;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        try {
          this.handle(req, Buffer.concat(chunks), res);
        } catch (e) {
          this.error(res, 500, 'InternalError', String(e), req.url ?? '');
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url_ = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Keys whose current version is an object (not a delete marker), sorted. */
  currentKeys(bucket: string, prefix = ''): string[] {
    const b = this.buckets.get(bucket);
    if (!b) return [];
    return [...b.objects.entries()]
      .filter(([k, vs]) => k.startsWith(prefix) && vs.length > 0 && !vs[vs.length - 1]!.deleteMarker)
      .map(([k]) => k)
      .sort();
  }

  /** All versions of a key (oldest first), delete markers included. */
  versions(bucket: string, key: string): readonly Version[] {
    return this.buckets.get(bucket)?.objects.get(key) ?? [];
  }

  object(bucket: string, key: string): Buffer | undefined {
    const vs = this.buckets.get(bucket)?.objects.get(key);
    const v = vs?.[vs.length - 1];
    return v && !v.deleteMarker ? v.data : undefined;
  }

  /** Put an object directly (test setup: an old dump, a tampered counts file). */
  putObject(bucket: string, key: string, data: Buffer | string): void {
    const b = this.bucketOrCreate(bucket);
    this.write(b, key, Buffer.from(data));
  }

  private bucketOrCreate(name: string): Bucket {
    let b = this.buckets.get(name);
    if (!b) {
      b = { versioning: undefined, lifecycle: undefined, objects: new Map(), uploads: new Map() };
      this.buckets.set(name, b);
    }
    return b;
  }

  private write(b: Bucket, key: string, data: Buffer, deleteMarker = false): Version {
    const v: Version = { versionId: b.versioning === 'Enabled' ? randomUUID() : 'null', data, lastModified: new Date(), deleteMarker, etag: `"${md5(data)}"` };
    const vs = b.objects.get(key) ?? [];
    // Unversioned (or suspended) buckets keep one "null" version per key, as S3 does.
    const kept = b.versioning === 'Enabled' ? vs : vs.filter((x) => x.versionId !== 'null');
    b.objects.set(key, [...kept, v]);
    return v;
  }

  private error(res: ServerResponse, status: number, code: string, message: string, resource: string): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><Resource>${xmlEscape(resource)}</Resource><RequestId>${randomUUID()}</RequestId></Error>`;
    res.writeHead(status, { 'Content-Type': 'application/xml', 'x-amz-request-id': randomUUID() });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  }

  private xml(res: ServerResponse, body: string, headers: Record<string, string> = {}): void {
    res.writeHead(200, { 'Content-Type': 'application/xml', 'x-amz-request-id': randomUUID(), ...headers });
    res.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  }

  private empty(res: ServerResponse, status = 200, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'x-amz-request-id': randomUUID(), 'Content-Length': '0', ...headers });
    res.end();
  }

  private handle(req: IncomingMessage, body: Buffer, res: ServerResponse): void {
    const u = new URL(req.url ?? '/', 'http://stand-in');
    const [, bucketName = '', ...rest] = u.pathname.split('/');
    const bucket = decodeURIComponent(bucketName);
    const key = rest.map(decodeURIComponent).join('/');
    const q = u.searchParams;
    const method = req.method ?? 'GET';
    // SigV4: `AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/s3/aws4_request, SignedHeaders=…, Signature=…`.
    const cred = /Credential=([^/]+)\/\d{8}\/([^/]+)\/s3\/aws4_request/.exec(req.headers.authorization ?? '');
    const operation = this.operationOf(method, key, q, req);
    const configBody = key === '' || q.has('uploads') || q.has('uploadId') && method === 'POST' ? body.toString('utf8') : '';
    this.requests.push({ method, url: req.url ?? '', operation, bucket, key, accessKey: cred?.[1], region: cred?.[2], body: configBody });
    if (!cred || !this.allowedKeys.includes(cred[1]!)) return this.error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', u.pathname);
    const b = this.buckets.get(bucket);
    if (operation === 'CreateBucket') {
      if (b) return this.error(res, 409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', u.pathname);
      this.bucketOrCreate(bucket);
      return this.empty(res, 200, { Location: `/${bucket}` });
    }
    if (!b) return this.error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', u.pathname);
    switch (operation) {
      case 'HeadBucket':
        return this.empty(res);
      case 'PutBucketVersioning': {
        const status = /<Status>(Enabled|Suspended)<\/Status>/.exec(body.toString('utf8'))?.[1];
        if (!status) return this.error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', u.pathname);
        b.versioning = status as 'Enabled' | 'Suspended';
        return this.empty(res);
      }
      case 'GetBucketVersioning':
        return this.xml(res, `<VersioningConfiguration xmlns="${NS}">${b.versioning ? `<Status>${b.versioning}</Status>` : ''}</VersioningConfiguration>`);
      case 'PutBucketLifecycleConfiguration': {
        const text = body.toString('utf8');
        if (!text.includes('<LifecycleConfiguration') || !text.includes('<Rule>')) return this.error(res, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', u.pathname);
        b.lifecycle = text;
        return this.empty(res);
      }
      case 'ListObjectsV2': {
        const prefix = q.get('prefix') ?? '';
        const url = q.get('encoding-type') === 'url';
        const enc = (s: string): string => xmlEscape(url ? encodeURIComponent(s).replace(/%2F/g, '/') : s);
        const keys = this.currentKeys(bucket, prefix);
        const contents = keys
          .map((k) => {
            const v = b.objects.get(k)!.at(-1)!;
            return `<Contents><Key>${enc(k)}</Key><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(v.etag)}</ETag><Size>${v.data.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
          })
          .join('');
        return this.xml(
          res,
          `<ListBucketResult xmlns="${NS}"><Name>${xmlEscape(bucket)}</Name><Prefix>${enc(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys>${url ? '<EncodingType>url</EncodingType>' : ''}<IsTruncated>false</IsTruncated>${contents}</ListBucketResult>`,
        );
      }
      case 'PutObject': {
        const v = this.write(b, key, body);
        return this.empty(res, 200, { ETag: v.etag, ...(v.versionId !== 'null' ? { 'x-amz-version-id': v.versionId } : {}) });
      }
      case 'CopyObject': {
        const source = decodeURIComponent(String(req.headers['x-amz-copy-source'])).replace(/^\//, '');
        const [srcBucket = '', ...srcKey] = source.split('?')[0]!.split('/');
        const data = this.object(srcBucket, srcKey.join('/'));
        if (!data) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', source);
        const v = this.write(b, key, data);
        return this.xml(res, `<CopyObjectResult><LastModified>${v.lastModified.toISOString()}</LastModified><ETag>${xmlEscape(v.etag)}</ETag></CopyObjectResult>`);
      }
      case 'HeadObject':
      case 'GetObject': {
        const vs = b.objects.get(key);
        const v = vs?.at(-1);
        if (!v || v.deleteMarker) return this.error(res, 404, 'NoSuchKey', 'The specified key does not exist.', u.pathname);
        const headers: Record<string, string> = { ETag: v.etag, 'Last-Modified': v.lastModified.toUTCString(), 'Content-Type': 'binary/octet-stream', 'Accept-Ranges': 'bytes' };
        const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
        if (operation === 'GetObject' && range) {
          const start = Number(range[1]);
          const end = Math.min(range[2] ? Number(range[2]) : v.data.length - 1, v.data.length - 1);
          const part = v.data.subarray(start, end + 1);
          res.writeHead(206, { ...headers, 'Content-Length': String(part.length), 'Content-Range': `bytes ${start}-${end}/${v.data.length}` });
          return void res.end(part);
        }
        res.writeHead(200, { ...headers, 'Content-Length': String(v.data.length) });
        return void res.end(operation === 'GetObject' ? v.data : undefined);
      }
      case 'DeleteObject': {
        // Deleting a missing key succeeds, as in S3. Versioned buckets get a delete marker; others lose the object.
        if (b.versioning === 'Enabled') {
          if (b.objects.has(key)) this.write(b, key, Buffer.alloc(0), true);
        } else b.objects.delete(key);
        return this.empty(res, 204);
      }
      case 'DeleteObjects': {
        const keys = [...body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
        for (const k of keys) {
          if (b.versioning === 'Enabled') {
            if (b.objects.has(k)) this.write(b, k, Buffer.alloc(0), true);
          } else b.objects.delete(k);
        }
        return this.xml(res, `<DeleteResult xmlns="${NS}">${keys.map((k) => `<Deleted><Key>${xmlEscape(k)}</Key></Deleted>`).join('')}</DeleteResult>`);
      }
      case 'CreateMultipartUpload': {
        const id = randomUUID();
        b.uploads.set(id, { key, parts: new Map() });
        return this.xml(res, `<InitiateMultipartUploadResult xmlns="${NS}"><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
      }
      case 'UploadPart': {
        const up = b.uploads.get(q.get('uploadId') ?? '');
        if (!up) return this.error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.', u.pathname);
        up.parts.set(Number(q.get('partNumber')), body);
        return this.empty(res, 200, { ETag: `"${md5(body)}"` });
      }
      case 'CompleteMultipartUpload': {
        const id = q.get('uploadId') ?? '';
        const up = b.uploads.get(id);
        if (!up) return this.error(res, 404, 'NoSuchUpload', 'The specified upload does not exist.', u.pathname);
        const numbers = [...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber>/g)].map((m) => Number(m[1]));
        if (numbers.some((n) => !up.parts.has(n))) return this.error(res, 400, 'InvalidPart', 'One or more of the specified parts could not be found.', u.pathname);
        const v = this.write(b, up.key, Buffer.concat(numbers.map((n) => up.parts.get(n)!)));
        b.uploads.delete(id);
        return this.xml(res, `<CompleteMultipartUploadResult xmlns="${NS}"><Location>/${xmlEscape(bucket)}/${xmlEscape(key)}</Location><Bucket>${xmlEscape(bucket)}</Bucket><Key>${xmlEscape(key)}</Key><ETag>${xmlEscape(v.etag)}</ETag></CompleteMultipartUploadResult>`);
      }
      case 'AbortMultipartUpload':
        b.uploads.delete(q.get('uploadId') ?? '');
        return this.empty(res, 204);
      default:
        return this.error(res, 501, 'NotImplemented', `the S3 stand-in does not implement ${method} ${req.url}`, u.pathname);
    }
  }

  private operationOf(method: string, key: string, q: URLSearchParams, req: IncomingMessage): string {
    if (key === '') {
      if (method === 'HEAD') return 'HeadBucket';
      if (method === 'PUT' && q.has('versioning')) return 'PutBucketVersioning';
      if (method === 'GET' && q.has('versioning')) return 'GetBucketVersioning';
      if (method === 'PUT' && q.has('lifecycle')) return 'PutBucketLifecycleConfiguration';
      if (method === 'GET' && q.get('list-type') === '2') return 'ListObjectsV2';
      if (method === 'POST' && q.has('delete')) return 'DeleteObjects';
      if (method === 'PUT' && [...q.keys()].length === 0) return 'CreateBucket';
      return `unsupported bucket ${method}`;
    }
    if (method === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
    if (method === 'PUT' && q.has('uploadId')) return 'UploadPart';
    if (method === 'POST' && q.has('uploadId')) return 'CompleteMultipartUpload';
    if (method === 'DELETE' && q.has('uploadId')) return 'AbortMultipartUpload';
    if (method === 'PUT') return req.headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
    if (method === 'GET') return 'GetObject';
    if (method === 'HEAD') return 'HeadObject';
    if (method === 'DELETE') return 'DeleteObject';
    return `unsupported object ${method}`;
  }
}
