// The generated edge and origin-http configs, run in real nginx (Debian's, with njs) against xiu stand-ins (see
// support/topology.ts), asserted from outside over HTTP: this is the data path every viewer takes on every cluster.
// xiu itself, Kubernetes and Istio cannot run here; what the design relies on from them is pinned in
// scripts/components/streaming/xiu-contract.ts (xiu) and in the comments of edge-cache.ts / rtmp-origin.ts (Istio's
// headless-Service routing, read in Istio's source).
import { readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_RESOLVER, EDGE_UPSTREAM, FLV_IDLE_SECONDS, PLAYLIST_STALE_BOUND_SECONDS, PLAYLIST_TTL_SECONDS, RESOLVE_VALID_SECONDS } from '../../scripts/components/streaming/edge-cache.ts';
import { FLV_PORT, XIU_API_PORT } from '../../scripts/components/streaming/rtmp-origin.ts';
import { xiuContract } from '../../scripts/components/streaming/xiu-contract.ts';
import { removeDir, tempDir } from '../support/fleet.ts';
import { renderFleetBuilds } from '../support/rendered.ts';
import { freePort, startNginx, substitute } from './support/nginx.ts';
import { FLV_TEST_IDLE_SECONDS, startTopology, type GeneratedConfigs, type Replica, type Topology } from './support/topology.ts';

const MESH_CLUSTER = 'staging-eu-west-1';
const APP = 'live';

interface Fetched {
  status: number;
  body: string;
  cache: string | null;
}

const fetchEdge = async (t: Topology, path: string): Promise<Fetched> => {
  const res = await fetch(`${t.edgeUrl}${path}`, { signal: AbortSignal.timeout(15_000) });
  return { status: res.status, body: await res.text(), cache: res.headers.get('x-cache-status') };
};

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll until `ok` holds, at most `ms`; returns the last value either way (the caller asserts on it). */
const pollUntil = async <T>(ms: number, step: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await step();
    if (ok(v) || Date.now() > deadline) return v;
    await sleep(100);
  }
};

/** Segment URIs of a playlist, relative to the stream's folder. */
const segmentUris = (playlist: string): string[] => playlist.split('\n').filter((l) => l.endsWith('.ts'));

const playlistPath = (stream: string): string => `/${APP}/${stream}/${stream}.m3u8`;

/** Play a stream the way hls.js does: the playlist, then every segment it lists; returns the segment bodies. */
const play = async (t: Topology, stream: string): Promise<{ playlist: Fetched; segments: Array<{ uri: string } & Fetched> }> => {
  const playlist = await fetchEdge(t, playlistPath(stream));
  const segments = [];
  for (const uri of segmentUris(playlist.body)) segments.push({ uri, ...(await fetchEdge(t, `/${APP}/${stream}/${uri}`)) });
  return { playlist, segments };
};

/**
 * Wait out the edge's resolver cache, so a changed replica set is what it uses. nginx keeps an answer while
 * `valid >= now` in whole seconds, so an answer lives up to `valid=` + 1 s.
 */
const afterResolve = (): Promise<void> => sleep((RESOLVE_VALID_SECONDS + 1) * 1000 + 500);

/** Wait out a cached playlist: its lifetime, plus nginx's whole-second clock. */
const afterPlaylistTtl = (): Promise<void> => sleep((PLAYLIST_TTL_SECONDS + 1) * 1000 + 300);

/** The last lines of the edge's and the replicas' logs, for a failure message. */
const diagnostics = (t: Topology): string =>
  [t.edge.errorLog, t.edgeAccessLog, ...t.replicas.flatMap((r) => [r.sidecar.errorLog, r.accessLog])]
    .map((f) => `--- ${f.split('/').slice(-2).join('/')}\n${logLines(f).slice(-8).join('\n')}`)
    .join('\n');

const logLines = (file: string): string[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
};

describe('edge → origin replicas, in real nginx', () => {
  let configs: GeneratedConfigs;
  let root: string;
  let t: Topology;
  let r0: Replica;
  let r1: Replica;
  let r2: Replica;
  let player: { conf: string; page: string };

  beforeAll(async () => {
    const fleet = await renderFleetBuilds();
    try {
      const edge = fleet.find(MESH_CLUSTER, 'streaming', 'ConfigMap', 'edge-cache-config').data!['nginx.conf']!;
      const http = fleet.find(MESH_CLUSTER, 'streaming', 'ConfigMap', 'rtmp-origin-http').data!;
      const headless = fleet.find(MESH_CLUSTER, 'streaming', 'Service', EDGE_UPSTREAM.service);
      const mediaPort = (headless.spec!.ports as Array<{ name: string; port: number }>).find((p) => p.name === 'media')!.port;
      const playerConf = fleet.find(MESH_CLUSTER, 'streaming', 'ConfigMap', 'player-nginx').data!['nginx.conf']!;
      const playerPage = fleet.find(MESH_CLUSTER, 'streaming', 'ConfigMap', 'player-page').data!['index.html']!;
      player = { conf: playerConf, page: playerPage };
      configs = {
        edge,
        originHttp: http['nginx.conf']!,
        originJs: http['origin.js']!,
        replicasHost: `${headless.metadata.name}.${headless.metadata.namespace}.svc.cluster.local`,
        mediaPort,
        apiPort: XIU_API_PORT,
        flvPort: FLV_PORT,
        flvIdleSeconds: FLV_IDLE_SECONDS,
        resolver: CLUSTER_RESOLVER,
      };
    } finally {
      await fleet.dispose();
    }
    root = await tempDir('nginx-streaming');
    t = await startTopology(configs, root, 3);
    if (process.env.STREAMING_NGINX_KEEP !== undefined) console.log(`nginx test dir: ${root}`);
    [r0, r1, r2] = t.replicas as [Replica, Replica, Replica];
  });

  afterAll(async () => {
    await t?.close();
    if (root && process.env.STREAMING_NGINX_KEEP === undefined) await removeDir(root);
  });

  it('resolves and addresses exactly the headless Service the origin renders, on its media port', () => {
    expect(EDGE_UPSTREAM.host).toBe(configs.replicasHost);
    expect(configs.edge).toContain(`proxy_pass http://$origin_replicas:${configs.mediaPort};`);
  });

  it('plays each stream from the replica that holds it at 1, 3 and 2 replicas, across the scale changes', async () => {
    // 1 replica.
    t.scaleTo([r0]);
    await afterResolve();
    r0.xiu.publish(APP, 'alpha');
    r0.xiu.cut(APP, 'alpha', 3);
    let alpha = await play(t, 'alpha');
    expect(alpha.playlist.status).toBe(200);
    expect(alpha.segments.map((s) => s.body.split(':')[0])).toEqual(['r0', 'r0', 'r0']);

    // Scale to 3: new publishers land on the new replicas; the old stream stays where it is.
    t.scaleTo([r0, r1, r2]);
    await afterResolve();
    r2.xiu.publish(APP, 'bravo');
    r2.xiu.cut(APP, 'bravo', 2);
    r1.xiu.publish(APP, 'charlie');
    r1.xiu.cut(APP, 'charlie', 2);
    for (let round = 0; round < 3; round++) {
      for (const [stream, holder] of [['alpha', 'r0'], ['bravo', 'r2'], ['charlie', 'r1']] as const) {
        const p = await play(t, stream);
        expect(p.playlist.status, `${stream} round ${round}\n${diagnostics(t)}`).toBe(200);
        expect(p.segments.length).toBeGreaterThan(0);
        for (const s of p.segments) {
          expect(s.status, `${stream} ${s.uri}`).toBe(200);
          expect(s.body.split(':')[0], `${stream} ${s.uri}`).toBe(holder);
        }
      }
    }

    // Scale to 2: r2 is removed; its publisher reconnects and lands on r1 (a new publish session there).
    r2.xiu.unpublish(APP, 'bravo');
    r1.xiu.publish(APP, 'bravo');
    r1.xiu.cut(APP, 'bravo', 2);
    t.scaleTo([r0, r1]);
    await afterResolve();
    const bravo = await pollUntil(5_000, () => play(t, 'bravo'), (p) => p.segments.length > 0 && p.segments.every((s) => s.body.startsWith('r1:')));
    expect(bravo.segments.map((s) => s.body.split(':')[0])).toEqual(['r1', 'r1']);
    alpha = await play(t, 'alpha');
    expect(alpha.segments.every((s) => s.status === 200 && s.body.startsWith('r0:'))).toBe(true);
    r0.xiu.unpublish(APP, 'alpha');
    r1.xiu.unpublish(APP, 'bravo');
    r1.xiu.unpublish(APP, 'charlie');
  });

  it('sends the headless Service name as Host on every request to a replica (what an Istio sidecar routes by)', async () => {
    t.scaleTo([r0, r1, r2]);
    await afterResolve();
    r2.xiu.publish(APP, 'india');
    r2.xiu.cut(APP, 'india', 2);
    await play(t, 'india');
    r2.xiu.unpublish(APP, 'india');
    const lines = t.replicas.flatMap((r) => logLines(r.accessLog));
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(line.split(' ')[0], line).toBe(configs.replicasHost);
  });

  it('never mixes the segments of two publish sessions of one stream in the cache', async () => {
    t.scaleTo([r0, r1]);
    await afterResolve();
    const first = r0.xiu.publish(APP, 'delta');
    r0.xiu.cut(APP, 'delta', 3);
    const a = await play(t, 'delta');
    // Fetch again: now from the cache.
    const again = await play(t, 'delta');
    expect(again.segments.every((s) => s.cache === 'HIT')).toBe(true);
    expect(a.segments.map((s) => s.body)).toEqual([0, 1, 2].map((n) => `r0:${first.session}:${n}`));

    // The publisher reconnects at once: xiu starts again at 0.ts, same names, new bytes.
    r0.xiu.unpublish(APP, 'delta');
    const second = r0.xiu.publish(APP, 'delta');
    r0.xiu.cut(APP, 'delta', 2);
    const b = await pollUntil(5_000, () => play(t, 'delta'), (p) => p.playlist.body.includes(`${second.session}/`));
    expect(b.segments.map((s) => s.body)).toEqual([0, 1].map((n) => `r0:${second.session}:${n}`));
    // The first session's URIs still name the first session's bytes (cached), never the second's.
    for (const s of a.segments) {
      const cached = await fetchEdge(t, `/${APP}/delta/${s.uri}`);
      if (cached.status === 200) expect(cached.body).toBe(s.body);
      else expect(cached.status).toBe(404);
    }

    // And again, with the reconnect landing on the other replica.
    r0.xiu.unpublish(APP, 'delta');
    const third = r1.xiu.publish(APP, 'delta');
    r1.xiu.cut(APP, 'delta', 2);
    const c = await pollUntil(5_000, () => play(t, 'delta'), (p) => p.playlist.body.includes(`${third.session}/`));
    expect(c.segments.map((s) => s.body)).toEqual([0, 1].map((n) => `r1:${third.session}:${n}`));
    r1.xiu.unpublish(APP, 'delta');
  });

  it('does not cache a 404: a stream found nowhere during a replica switch plays as soon as it is back', async () => {
    t.scaleTo([r0, r1]);
    await afterResolve();
    r0.xiu.publish(APP, 'echo');
    r0.xiu.cut(APP, 'echo', 2);
    expect((await fetchEdge(t, playlistPath('echo'))).status).toBe(200);
    // The replica is removed; its publisher has not reconnected yet.
    r0.xiu.unpublish(APP, 'echo');
    await afterPlaylistTtl();
    const gone = await fetchEdge(t, playlistPath('echo'));
    expect(gone.status).toBe(404);
    // Ask again and again while it is gone, then the publisher lands on r1: the very next request plays.
    for (let i = 0; i < 5; i++) expect((await fetchEdge(t, playlistPath('echo'))).status).toBe(404);
    r1.xiu.publish(APP, 'echo');
    r1.xiu.cut(APP, 'echo', 1);
    const back = await fetchEdge(t, playlistPath('echo'));
    expect(back.status).toBe(200);
    expect(back.cache).not.toBe('HIT');
    const seg = await fetchEdge(t, `/${APP}/echo/${segmentUris(back.body)[0]}`);
    expect(seg.body.startsWith('r1:')).toBe(true);
    r1.xiu.unpublish(APP, 'echo');
  });

  it('never serves a playlist older than the segment duration, and none at all once the origin cannot vouch for it', async () => {
    t.scaleTo([r0, r1]);
    await afterResolve();
    r1.xiu.publish(APP, 'foxtrot');
    r1.xiu.cut(APP, 'foxtrot', 1);
    // xiu rewrites the playlist whenever it cuts a segment; here much more often than every 5 s, to catch staleness.
    const writer = setInterval(() => r1.xiu.touchPlaylist(APP, 'foxtrot'), 100);
    let worst = 0;
    try {
      const until = Date.now() + 4_000;
      while (Date.now() < until) {
        const p = await fetchEdge(t, playlistPath('foxtrot'));
        expect(p.status).toBe(200);
        const written = /#X-WRITTEN-AT:(\d+)/.exec(p.body);
        if (written) worst = Math.max(worst, Date.now() - Number(written[1]));
        await sleep(50);
      }
    } finally {
      clearInterval(writer);
    }
    expect(worst).toBeGreaterThan(0);
    expect(worst).toBeLessThanOrEqual(PLAYLIST_STALE_BOUND_SECONDS * 1000);
    expect(worst).toBeLessThan(xiuContract().hlsSegmentSeconds * 1000);

    // xiu's API stops answering: the sidecar cannot say which session the playlist is, so after the cache lifetime
    // the edge passes the failure on instead of serving the old playlist.
    r1.xiu.setApiDown(true);
    try {
      await afterPlaylistTtl();
      const failed = await fetchEdge(t, playlistPath('foxtrot'));
      // 503 from the replica that cannot ask xiu, or the other replica's 404 when nginx tries it last: never the
      // old playlist.
      expect([404, 502, 503, 504]).toContain(failed.status);
      expect(failed.body).not.toContain('#EXTM3U');
    } finally {
      r1.xiu.setApiDown(false);
    }
    r1.xiu.unpublish(APP, 'foxtrot');
  });

  it('streams HTTP-FLV from the holding replica, unbuffered, for longer than every timeout on the path', async () => {
    t.scaleTo([r0, r1, r2]);
    await afterResolve();
    r2.xiu.publish(APP, 'golf');
    const arrivals: Array<{ at: number; text: string }> = [];
    const started = Date.now();
    const watchMs = FLV_TEST_IDLE_SECONDS * 3 * 1000;
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpGet(`${t.edgeUrl}/${APP}/golf.flv`, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => arrivals.push({ at: Date.now() - started, text: chunk }));
        setTimeout(() => {
          req.destroy();
          resolve(res.statusCode ?? 0);
        }, watchMs);
      });
      req.on('error', (e) => (arrivals.length > 0 ? undefined : reject(e)));
    });
    expect(status).toBe(200);
    const text = arrivals.map((a) => a.text).join('');
    expect(text.startsWith('FLV r2:')).toBe(true);
    // Still arriving in the last second of the watch: nothing on the path cut it.
    expect(arrivals[arrivals.length - 1]!.at).toBeGreaterThan(watchMs - 1_000);
    // Unbuffered: the stand-in sends a tag every 100 ms stamped with its send time; each must reach the viewer at
    // once, not when a buffer fills (seconds of tags at this size) or a timeout flushes it. The bound leaves room
    // for a loaded 2-core CI machine.
    const received = new Map<string, number>();
    let seen = '';
    for (const a of arrivals) {
      seen += a.text;
      for (const line of seen.split('\n').slice(0, -1)) if (!received.has(line)) received.set(line, a.at + started);
    }
    const delays = [...received].filter(([line]) => line.startsWith('tag r2:')).map(([line, at]) => at - Number(line.split(':').pop()));
    expect(delays.length).toBeGreaterThan(watchMs / 100 / 2);
    expect(Math.max(...delays)).toBeLessThan(1_500);
    r2.xiu.unpublish(APP, 'golf');
  });

  it('serves the player page, which plays each stream from the CDN host at the path the edge serves', async () => {
    const dir = `${root}/player`;
    const port = await freePort();
    const nginx = await startNginx({
      dir,
      host: '127.0.0.1',
      port,
      files: {
        'nginx.conf': substitute(
          player.conf,
          [
            { from: '/tmp/', to: `${dir}/tmp/`, count: 'all' },
            { from: 'error_log /dev/stderr warn;', to: `error_log ${dir}/error.log info;` },
            { from: 'access_log /dev/stdout;', to: `access_log ${dir}/access.log;` },
            { from: 'root /usr/share/nginx/html;', to: `root ${dir}/html;` },
            { from: 'listen 8080;', to: `listen 127.0.0.1:${port};` },
          ],
          'player nginx.conf',
        ),
        'html/index.html': player.page,
      },
    });
    try {
      for (const path of ['/', '/?stream=hotel', '/watch/hotel']) {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(10_000) });
        expect(res.status, path).toBe(200);
        expect(res.headers.get('content-type'), path).toContain('text/html');
        expect(res.headers.get('cache-control'), path).toBe('no-cache');
        expect(await res.text(), path).toBe(player.page);
      }
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      // The page builds `${cdn}/live/${stream}/${stream}.m3u8`: exactly what the edge serves for a live stream.
      expect(player.page).toContain("const cdn = 'https://cdn.");
      expect(player.page).toContain('const src = `${cdn}/live/${stream}/${stream}.m3u8`;');
      r1.xiu.publish(APP, 'hotel');
      r1.xiu.cut(APP, 'hotel', 1);
      const p = await play(t, 'hotel');
      expect(p.playlist.status).toBe(200);
      expect(p.segments.every((s) => s.status === 200)).toBe(true);
      r1.xiu.unpublish(APP, 'hotel');
    } finally {
      await nginx.stop();
    }
  });

  it('passes a paused HTTP-FLV viewer\'s back-pressure to the origin instead of buffering the stream', async () => {
    t.scaleTo([r0, r1]);
    await afterResolve();
    r1.xiu.publish(APP, 'juliet');
    const flood = r1.xiu.flood(APP, 'juliet');
    const sample = async (): Promise<{ early: number; late: number }> =>
      new Promise((resolve, reject) => {
        const req = httpGet(`${t.edgeUrl}/${APP}/juliet.flv`, (res) => {
          // The viewer stops reading (a stalled player). Socket buffers fill within moments; after that, an
          // unbuffered path accepts nothing more, while a buffering proxy keeps reading into memory and temp files.
          res.pause();
          let early = 0;
          setTimeout(() => (early = flood.accepted()), 1_500);
          setTimeout(() => {
            const late = flood.accepted();
            req.destroy();
            resolve({ early, late });
          }, 3_500);
        });
        req.on('error', (e) => (flood.accepted() > 0 ? undefined : reject(e)));
      });
    const { early, late } = await sample();
    expect(early).toBeGreaterThan(0);
    expect(late - early, `accepted ${early} bytes by 1.5 s, ${late} by 3.5 s`).toBeLessThan(4 * 1024 * 1024);
    r1.xiu.unpublish(APP, 'juliet');
  });

  it('answers HTTP-FLV for a stream no replica has with a 404, without opening a stream', async () => {
    const res = await fetch(`${t.edgeUrl}/${APP}/nowhere.flv`, { signal: AbortSignal.timeout(10_000) });
    expect(res.status).toBe(404);
    await res.text();
  });
});
