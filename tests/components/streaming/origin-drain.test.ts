// The origin's preStop hooks as the pod runs them: POSIX sh that shellcheck accepts, run here with this machine's sh
// against real sockets. xiu's hook (drainScript) waits while a publisher is connected to the RTMP port, read from
// /proc/net/tcp, at most the drain; the sidecar's (sidecarDrainScript) waits while xiu's API answers, at most the
// drain + 10 s. Without shellcheck or wget the tests fail, they do not skip.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { sidecarDrainScript } from '../../../scripts/components/streaming/origin-http.ts';
import { drainScript, originScaleDownPolicy, terminationGraceSeconds } from '../../../scripts/components/streaming/origin-drain.ts';

const need = (tool: string, why: string): void => {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error !== undefined) throw new Error(`${tool} is not installed: ${why}`);
};

/** Run a script with `sh -c`, as the preStop exec does; resolves with its exit code and how long it took. */
const runSh = (script: string): Promise<{ code: number | null; ms: number; stderr: string }> =>
  new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn('sh', ['-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, ms: Date.now() - started, stderr }));
  });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const listen = <T extends Server | HttpServer>(server: T): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') reject(new Error('no TCP address'));
      else resolve(address.port);
    });
  });

const closeServer = (server: Server | HttpServer): Promise<void> => new Promise((r) => server.close(() => r()));

describe('drain scripts pass shellcheck (POSIX sh: the xiu image is Ubuntu, the sidecar busybox)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'origin-drain-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it.each([
    { name: 'drainScript', script: drainScript(1935, 120) },
    { name: 'drainScript, a short drain on a high port', script: drainScript(65535, 10) },
    { name: 'sidecarDrainScript', script: sidecarDrainScript(8000, 120) },
  ])('$name', async ({ name, script }) => {
    need('shellcheck', 'run `bash .ci/install-packages` (Debian package shellcheck)');
    const file = join(dir, `${name.replace(/\W+/g, '-')}.sh`);
    await writeFile(file, `${script}\n`);
    expect(() => execFileSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' })).not.toThrow();
  });
});

describe('drainScript against real sockets', () => {
  let server: Server;
  let port: number;
  const accepted = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((s) => {
      accepted.add(s);
      s.on('close', () => accepted.delete(s));
      s.on('error', () => undefined);
    });
    port = await listen(server);
  });
  afterAll(async () => {
    for (const s of accepted) s.destroy();
    await closeServer(server);
  });

  /** A publisher: an ESTABLISHED connection whose local port (on the server side) is `port`. */
  const publisher = async (): Promise<Socket> => {
    const before = accepted.size;
    const client = connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
    while (accepted.size === before) await sleep(10);
    return client;
  };
  const hangUp = async (client: Socket): Promise<void> => {
    client.destroy();
    while (accepted.size > 0) await sleep(10);
  };

  it('a publisher that stays: gives up at the drain bound (3 s)', async () => {
    const client = await publisher();
    try {
      const r = await runSh(drainScript(port, 3));
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      // `date +%s` has whole seconds: the loop ends once the second reaches start + 3, more than 2 s later.
      expect(r.ms).toBeGreaterThanOrEqual(2000);
      expect(r.ms).toBeLessThan(6000);
    } finally {
      await hangUp(client);
    }
  });

  it('no publisher: returns at once', async () => {
    const r = await runSh(drainScript(port, 20));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.ms).toBeLessThan(1500);
  });

  it('the publisher leaves during the drain: the drain ends within a poll of it', async () => {
    const client = await publisher();
    const run = runSh(drainScript(port, 20));
    await sleep(1000);
    await hangUp(client);
    const closed = Date.now();
    const r = await run;
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(Date.now() - closed).toBeLessThan(3000);
  });

  it("counts only this port's ESTABLISHED connections, not the listener or another port's", async () => {
    // The listener (state 0A) is there throughout; a publisher on another port must not hold the drain either.
    const other = createServer(() => undefined);
    const otherPort = await listen(other);
    const client = connect(otherPort, '127.0.0.1');
    await new Promise<void>((resolve) => client.once('connect', resolve));
    try {
      const r = await runSh(drainScript(port, 20));
      expect(r.ms).toBeLessThan(1500);
    } finally {
      client.destroy();
      other.close();
    }
  });
});

describe('sidecarDrainScript against a stand-in for xiu’s API', () => {
  let api: HttpServer;
  let port: number;
  beforeAll(() => need('wget', "the sidecar's preStop uses wget (busybox in the nginx image); install Debian's wget"));
  beforeAll(async () => {
    // xiu answers GET / with its usage text (Checked: https://github.com/harlanc/xiu @ v0.13.0 : application/xiu/src/api.rs).
    api = createHttpServer((_req, res) => res.end('Usage of xiu http api\n'));
    port = await listen(api);
  });
  afterAll(async () => {
    if (api.listening) {
      api.closeAllConnections();
      await closeServer(api);
    }
  });

  it('xiu keeps running: gives up at drain + 10 s (drain 1 → 11 s)', async () => {
    const r = await runSh(sidecarDrainScript(port, 1));
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(10_000);
    expect(r.ms).toBeLessThan(13_000);
  }, 20_000);

  it('xiu exits (its API stops answering): the sidecar stops within a poll', async () => {
    const run = runSh(sidecarDrainScript(port, 120));
    await sleep(1000);
    api.closeAllConnections();
    await closeServer(api);
    const closed = Date.now();
    const r = await run;
    expect(r.ms).toBeGreaterThanOrEqual(900);
    expect(Date.now() - closed).toBeLessThan(2500);
  }, 10_000);
});

describe('drain timing in the pod spec', () => {
  it.each([10, 120, 3600])('drain %i s: grace = drain + 15, scale-in one pod per period (capped at 1800 s)', (drain) => {
    expect(terminationGraceSeconds(drain)).toBe(drain + 15);
    const policy = originScaleDownPolicy(drain);
    expect(policy).toEqual({ type: 'Pods', value: 1, periodSeconds: Math.min(1800, drain + 30) });
    // The HPA removes the next replica only after the previous one's grace period has run out (or at the cap).
    expect(policy.periodSeconds >= terminationGraceSeconds(drain) || policy.periodSeconds === 1800).toBe(true);
  });
});
