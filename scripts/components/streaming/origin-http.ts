// origin-http: the HTTP face of one origin replica, an nginx (njs) sidecar in the origin pod. It exists because xiu,
// at the pinned version (xiu-contract.ts), cannot be put behind a cache or a stream-locating proxy as it is:
//  - its segment names restart at 0.ts on every publish, so a cache keyed by URI mixes two publish sessions;
//  - its HTTP-FLV answers 200 (then closes) for a stream it does not have, so a proxy cannot tell "not here";
//  - it sends no Content-Type.
// The sidecar asks xiu's API which publish session holds a stream (the publisher's id, new on every publish) and:
//  - serves `/<app>/<stream>/<stream>.m3u8` with each segment renamed `<session>/<n>.ts`, so every segment URI is
//    unique to its session and immutable (a cache may keep it for as long as it likes);
//  - serves `/<app>/<stream>/<session>/<n>.ts` only while <session> is the live one (else 404), re-checking the
//    session after reading the file so a republish during the read can never label new video with an old session;
//  - proxies `/<app>/<stream>.flv` to xiu only when this replica has the stream (else 404).
// A 404 therefore always means "not on this replica", which is what lets the edge find a stream's replica by trying
// each in turn (edge-cache.ts). xiu's HLS files are read from the volume xiu writes them to (its working directory).
import type { IContainer } from 'kubernetes-models/v1/Container';
import { restrictedContainer } from '../builders.ts';
import { NGINX_TEMP_PATHS, nginxMainContext } from './nginx-unprivileged.ts';
import { xiuContract } from './xiu-contract.ts';

export const ORIGIN_HTTP = 'origin-http';
/** The port the edge reaches every replica on (through the headless Service). */
export const ORIGIN_MEDIA_PORT = 8090;
/** Where xiu runs (its working directory): it writes `./<app>/<stream>/...` here. */
export const XIU_WORKDIR = '/var/lib/xiu';
/** HTTP-FLV: a viewer is cut only if nothing arrives for this long, on either nginx hop (sidecar and edge). */
export const FLV_IDLE_SECONDS = 30;
const NJS_DIR = '/etc/nginx/njs';
/** A publisher id as xiu prints it (utils.rs): digits only, which keeps it safe in a path. */
const SESSION_PATTERN = '[0-9]{10,16}';
const NAME = '[A-Za-z0-9_-]+';
/** nginx-unprivileged runs as 101 (Checked: nginxinc/docker-nginx-unprivileged @ 1.27.3 : mainline/alpine/Dockerfile). */
const NGINX_UID = 101;

export interface OriginHttpPorts {
  readonly api: number;
  readonly flv: number;
}

/** The njs module. Written for njs 0.7 (Debian's, which the tests run) and later: no optional chaining, no for-of. */
export const originHttpScript = (ports: OriginHttpPorts): string =>
  [
    "const fs = require('fs');",
    `const STREAMS_API = 'http://127.0.0.1:${ports.api}${xiuContract().streamsApiPath}';`,
    `const ROOT = '${XIU_WORKDIR}';`,
    `const SESSION = /^${SESSION_PATTERN}$/;`,
    '',
    '// The id of the publish session that holds app/stream on this replica, or null when it has none.',
    'async function session(app, stream) {',
    '  const reply = await ngx.fetch(STREAMS_API, { max_response_body_size: 4194304 });',
    "  if (reply.status !== 200) throw new Error('xiu API answered ' + reply.status);",
    '  const body = await reply.json();',
    '  // xiu answers `data: {}` when nothing is published, else a list of streams.',
    '  const streams = Array.isArray(body.data) ? body.data : [];',
    '  for (let i = 0; i < streams.length; i++) {',
    '    const p = streams[i].publisher || {};',
    '    const name = (p.identifier || {}).rtmp;',
    '    if (name && name.app_name === app && name.stream_name === stream) {',
    "      const id = String(p.id || '');",
    '      return SESSION.test(id) ? id : null;',
    '    }',
    '  }',
    '  return null;',
    '}',
    '',
    'function fail(r, e) {',
    "  r.error('origin-http: ' + e);",
    "  r.return(503, 'origin unavailable\\n');",
    '}',
    '',
    'async function readOrNull(path) {',
    '  try {',
    '    return await fs.promises.readFile(path);',
    '  } catch (e) {',
    "    if (e.code === 'ENOENT') return null;",
    '    throw e;',
    '  }',
    '}',
    '',
    'async function playlist(r) {',
    '  const v = r.variables;',
    "  if (v.file !== v.stream) return r.return(404, 'not found\\n');",
    '  try {',
    '    const current = await session(v.app, v.stream);',
    "    if (current === null) return r.return(404, 'not on this replica\\n');",
    "    const text = await readOrNull(ROOT + '/' + v.app + '/' + v.stream + '/' + v.stream + '.m3u8');",
    "    if (text === null) return r.return(404, 'no segment yet\\n');",
    '    // The file belongs to the session only if the session is still the same after reading it.',
    "    if ((await session(v.app, v.stream)) !== current) return r.return(503, 'republished, retry\\n');",
    "    const renamed = text.toString().split('\\n').map(function (line) {",
    "      return /^[0-9]+\\.ts$/.test(line) ? current + '/' + line : line;",
    "    }).join('\\n');",
    "    r.headersOut['Content-Type'] = 'application/vnd.apple.mpegurl';",
    "    r.headersOut['Cache-Control'] = 'no-cache';",
    '    r.return(200, renamed);',
    '  } catch (e) {',
    '    fail(r, e);',
    '  }',
    '}',
    '',
    'async function segment(r) {',
    '  const v = r.variables;',
    '  try {',
    "    if ((await session(v.app, v.stream)) !== v.session) return r.return(404, 'not this session\\n');",
    "    const data = await readOrNull(ROOT + '/' + v.app + '/' + v.stream + '/' + v.segment + '.ts');",
    "    if (data === null) return r.return(404, 'no such segment\\n');",
    "    if ((await session(v.app, v.stream)) !== v.session) return r.return(404, 'not this session\\n');",
    "    r.headersOut['Content-Type'] = 'video/mp2t';",
    '    // The URI names the session, so its bytes never change.',
    "    r.headersOut['Cache-Control'] = 'public, max-age=86400, immutable';",
    '    r.return(200, data);',
    '  } catch (e) {',
    '    fail(r, e);',
    '  }',
    '}',
    '',
    'async function flv(r) {',
    '  const v = r.variables;',
    '  try {',
    "    if ((await session(v.app, v.stream)) === null) return r.return(404, 'not on this replica\\n');",
    "    r.internalRedirect('@xiu_flv');",
    '  } catch (e) {',
    '    fail(r, e);',
    '  }',
    '}',
    '',
    'export default { playlist, segment, flv };',
    '',
  ].join('\n');

/** nginx.conf of the sidecar: unprivileged (port >= 1024, writable paths under /tmp), logs to stdout/stderr. */
export const originHttpNginxConfig = (ports: OriginHttpPorts): string =>
  [
    // Shipped by the pinned nginx image (see docs/images.md); the path is relative to its prefix, /etc/nginx.
    'load_module modules/ngx_http_js_module.so;',
    ...nginxMainContext(2, 4096),
    'http {',
    ...NGINX_TEMP_PATHS,
    '  access_log off;',
    '  error_log /dev/stderr warn;',
    `  js_path ${NJS_DIR};`,
    '  js_import origin from origin.js;',
    // xiu's API answers from memory; anything slower means xiu is stuck, and the edge should try elsewhere.
    '  js_fetch_timeout 2s;',
    '  server {',
    `    listen ${ORIGIN_MEDIA_PORT};`,
    '    location = /healthz { return 200 "ok\\n"; }',
    // Quoted: the `{m,n}` of a regex would otherwise open a block.
    `    location ~ "^/(?<app>${NAME})/(?<stream>${NAME})/(?<file>${NAME})\\.m3u8$" { js_content origin.playlist; }`,
    `    location ~ "^/(?<app>${NAME})/(?<stream>${NAME})/(?<session>${SESSION_PATTERN})/(?<segment>[0-9]+)\\.ts$" { js_content origin.segment; }`,
    `    location ~ "^/(?<app>${NAME})/(?<stream>${NAME})\\.flv$" { js_content origin.flv; }`,
    '    location @xiu_flv {',
    `      proxy_pass http://127.0.0.1:${ports.flv};`,
    '      proxy_http_version 1.1;',
    // One never-ending response: pass every byte on as it comes; time out only if xiu stops sending.
    '      proxy_buffering off;',
    `      proxy_read_timeout ${FLV_IDLE_SECONDS}s;`,
    '    }',
    '    location / { return 404; }',
    '  }',
    '}',
    '',
  ].join('\n');

/** The sidecar's preStop: wait for xiu to exit (its API stops answering), at most 10 s past xiu's own drain. */
export const sidecarDrainScript = (apiPort: number, drainSeconds: number): string =>
  [
    `end=$(($(date +%s) + ${drainSeconds + 10}))`,
    `while [ "$(date +%s)" -lt "$end" ] && wget -q -T 1 -O /dev/null http://127.0.0.1:${apiPort}/; do`,
    '  sleep 1',
    'done',
  ].join('\n');

/** The sidecar container; `drainSeconds` bounds how long it outlives xiu's drain (it serves viewers meanwhile). */
export const originHttpContainer = (s: {
  image: string;
  apiPort: number;
  drainSeconds: number;
  configVolume: string;
  mediaVolume: string;
}): IContainer => ({
  name: ORIGIN_HTTP,
  image: s.image,
  ports: [{ name: 'media', containerPort: ORIGIN_MEDIA_PORT, protocol: 'TCP' }],
  readinessProbe: { httpGet: { path: '/healthz', port: 'media' }, periodSeconds: 5 },
  livenessProbe: { tcpSocket: { port: 'media' }, periodSeconds: 10, failureThreshold: 6 },
  // Keep serving this replica's streams while xiu drains: stop once xiu's API is gone (xiu has exited), or a little
  // after xiu's own bound. busybox (wget, date) is in the image (docs/images.md).
  lifecycle: {
    preStop: {
      exec: {
        command: [
          '/bin/sh',
          '-c',
          sidecarDrainScript(s.apiPort, s.drainSeconds),
        ],
      },
    },
  },
  resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
  // The nginx image's user (docs/images.md); the pod's group (xiu's) lets it read the segments xiu writes (0644).
  securityContext: { ...restrictedContainer(), runAsUser: NGINX_UID },
  volumeMounts: [
    { name: s.configVolume, mountPath: '/etc/nginx/nginx.conf', subPath: 'nginx.conf', readOnly: true },
    { name: s.configVolume, mountPath: `${NJS_DIR}/origin.js`, subPath: 'origin.js', readOnly: true },
    { name: s.mediaVolume, mountPath: XIU_WORKDIR, readOnly: true },
    { name: 'tmp', mountPath: '/tmp' },
  ],
});
