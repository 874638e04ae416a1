// A stand-in for one xiu replica, faithful to what the origin-http sidecar and the edge rely on (the contract in
// scripts/components/streaming/xiu-contract.ts, read in xiu's source at the pinned tag):
//  - HLS files under <workdir>/<app>/<stream>/: `<n>.ts` with n restarting at 0 on every publish, `<stream>.m3u8`
//    listing the newest 6, everything removed on unpublish;
//  - GET /api/query_whole_streams on the API port: `{"data": {}}` with no stream, else a list whose entries carry
//    `publisher.id` (10 digits of unix seconds + 4 random digits, new on every publish) and
//    `publisher.identifier.rtmp.{app_name,stream_name}`; GET / answers 200 (the sidecar's drain hook polls it);
//  - HTTP-FLV `/<app>/<stream>.flv` on its own port: 200 at once, then an endless stream of tags while the stream is
//    published, or an empty body when it is not (xiu answers 200 before it looks the stream up).
// Segment bytes are `<replica>:<session>:<n>` so a test can tell which replica and session a byte came from; FLV
// tags carry the time they were sent, so a test can measure how long they took to reach the viewer.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export interface Publication {
  readonly app: string;
  readonly stream: string;
  readonly session: string;
  segments: number;
}

export interface XiuStandin {
  readonly name: string;
  readonly address: string;
  readonly workdir: string;
  publish(app: string, stream: string): Publication;
  /** Cut the next segment of a published stream (5 s of video in xiu; instant here). */
  cut(app: string, stream: string, count?: number): void;
  unpublish(app: string, stream: string): void;
  /** Rewrite the playlist with a `#X-WRITTEN-AT:<ms>` line, as if a segment had just been cut. */
  touchPlaylist(app: string, stream: string): void;
  /** Stop answering the API (xiu stuck or gone). */
  setApiDown(down: boolean): void;
  flvRequests(): number;
  /**
   * Serve this stream's HTTP-FLV as fast as the connection takes it (64 KiB tags, each written only when the
   * previous one was accepted), counting the bytes accepted: how a test sees whether anything between it and the
   * viewer buffers instead of passing the viewer's back-pressure on.
   */
  flood(app: string, stream: string): { accepted(): number };
  close(): Promise<void>;
}

const SEGMENTS_LISTED = 6;
let sessionCounter = 0;

const newSession = (): string => {
  // xiu: unix seconds (10 digits) + random digits; a counter keeps two sessions in one second apart here.
  sessionCounter += 1;
  return `${Math.floor(Date.now() / 1000)}${String(sessionCounter % 10000).padStart(4, '0')}`;
};

const listen = (server: Server, port: number, host: string): Promise<void> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });

export const startXiuStandin = async (s: { name: string; address: string; workdir: string; apiPort: number; flvPort: number }): Promise<XiuStandin> => {
  const published = new Map<string, Publication>();
  const flooded = new Map<string, { bytes: number }>();
  const flvClients = new Set<ServerResponse>();
  let apiDown = false;
  let flvCount = 0;
  const key = (app: string, stream: string): string => `${app}/${stream}`;
  const dir = (app: string, stream: string): string => join(s.workdir, app, stream);

  const writePlaylist = (p: Publication, extra: string[] = []): void => {
    const first = Math.max(0, p.segments - SEGMENTS_LISTED);
    const lines = ['#EXTM3U', '#EXT-X-VERSION:3', '#EXT-X-TARGETDURATION:5', `#EXT-X-MEDIA-SEQUENCE:${first}`, ...extra];
    for (let n = first; n < p.segments; n++) lines.push('#EXTINF:5.000', `${n}.ts`);
    writeFileSync(join(dir(p.app, p.stream), `${p.stream}.m3u8`), `${lines.join('\n')}\n`);
  };

  const api = createServer((req, res) => {
    if (apiDown) {
      req.socket.destroy();
      return;
    }
    if (req.url === '/') {
      res.end('Usage of xiu http api\n');
      return;
    }
    if (req.url === '/api/query_whole_streams' && req.method === 'GET') {
      const data =
        published.size === 0
          ? {}
          : [...published.values()].map((p) => ({
              publisher: { id: p.session, identifier: { rtmp: { app_name: p.app, stream_name: p.stream } }, remote_address: '10.0.0.1:50000' },
              subscribers: {},
              subscriber_count: 0,
              total_recv_bytes: 0,
              total_send_bytes: 0,
            }));
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ error_code: 0, desp: 'succ', data }));
      return;
    }
    res.statusCode = 404;
    res.end();
  });

  const flv = createServer((req, res) => {
    flvCount += 1;
    const m = /^\/([^/]+)\/([^/.]+)\.flv$/.exec(req.url ?? '');
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*' });
    const p = m ? published.get(key(m[1]!, m[2]!)) : undefined;
    if (!p) {
      res.end();
      return;
    }
    flvClients.add(res);
    res.write(`FLV ${s.name}:${p.session}\n`);
    const flood = flooded.get(key(p.app, p.stream));
    if (flood) {
      const tag = Buffer.alloc(64 * 1024, 0x46);
      const pump = (): void => {
        while (!res.destroyed && published.get(key(p.app, p.stream)) === p) {
          flood.bytes += tag.length;
          if (!res.write(tag)) {
            res.once('drain', pump);
            return;
          }
        }
      };
      pump();
      res.on('close', () => flvClients.delete(res));
      return;
    }
    let tag = 0;
    const timer = setInterval(() => {
      if (published.get(key(p.app, p.stream)) !== p) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(`tag ${s.name}:${p.session}:${tag++}:${Date.now()}\n`);
    }, 100);
    res.on('close', () => {
      clearInterval(timer);
      flvClients.delete(res);
    });
  });

  await listen(api, s.apiPort, s.address);
  await listen(flv, s.flvPort, s.address);

  return {
    name: s.name,
    address: s.address,
    workdir: s.workdir,
    publish(app, stream) {
      if (published.has(key(app, stream))) throw new Error(`${s.name}: ${app}/${stream} already published`);
      mkdirSync(dir(app, stream), { recursive: true });
      const p: Publication = { app, stream, session: newSession(), segments: 0 };
      published.set(key(app, stream), p);
      return p;
    },
    cut(app, stream, count = 1) {
      const p = published.get(key(app, stream));
      if (!p) throw new Error(`${s.name}: ${app}/${stream} not published`);
      for (let i = 0; i < count; i++) {
        writeFileSync(join(dir(app, stream), `${p.segments}.ts`), `${s.name}:${p.session}:${p.segments}`);
        p.segments += 1;
        // xiu deletes a segment once it falls out of the playlist.
        if (p.segments > SEGMENTS_LISTED) rmSync(join(dir(app, stream), `${p.segments - SEGMENTS_LISTED - 1}.ts`), { force: true });
      }
      writePlaylist(p);
    },
    unpublish(app, stream) {
      const p = published.get(key(app, stream));
      if (!p) throw new Error(`${s.name}: ${app}/${stream} not published`);
      published.delete(key(app, stream));
      // xiu's M3u8::clear: the listed segments and the playlist go; the directory stays.
      for (let n = Math.max(0, p.segments - SEGMENTS_LISTED); n < p.segments; n++) rmSync(join(dir(app, stream), `${n}.ts`), { force: true });
      rmSync(join(dir(app, stream), `${stream}.m3u8`), { force: true });
    },
    touchPlaylist(app, stream) {
      const p = published.get(key(app, stream));
      if (!p) throw new Error(`${s.name}: ${app}/${stream} not published`);
      writePlaylist(p, [`#X-WRITTEN-AT:${Date.now()}`]);
    },
    setApiDown(down) {
      apiDown = down;
    },
    flvRequests: () => flvCount,
    flood(app, stream) {
      const counter = { bytes: 0 };
      flooded.set(key(app, stream), counter);
      return { accepted: () => counter.bytes };
    },
    close: async () => {
      for (const c of flvClients) c.destroy();
      api.closeAllConnections();
      flv.closeAllConnections();
      await Promise.all([new Promise((r) => api.close(r)), new Promise((r) => flv.close(r))]);
    },
  };
};
