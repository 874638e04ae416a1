// Runs a real nginx (Debian's, with its njs module) on a generated config, in the foreground, under a private
// prefix. Every wait is bounded; `stop` kills the whole process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

/** Debian's nginx and njs (`.ci/install-packages`): a missing one fails the test, it is never skipped. */
export const NGINX_BINARY = '/usr/sbin/nginx';
export const NJS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';

export const requireNginx = (): void => {
  const missing = [NGINX_BINARY, NJS_MODULE].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: install the Debian packages nginx and libnginx-mod-http-js (bash .ci/install-packages)`);
  }
};

/**
 * One textual change to a generated config so it runs here (paths, listen addresses). Each must match exactly
 * `count` times (default once): when the generated config changes shape, the test fails instead of silently
 * running something else.
 */
export interface Substitution {
  readonly from: string;
  readonly to: string;
  readonly count?: number | 'all';
}

export const substitute = (text: string, subs: readonly Substitution[], what: string): string => {
  let out = text;
  for (const s of subs) {
    const found = out.split(s.from).length - 1;
    if (s.count === 'all' ? found === 0 : found !== (s.count ?? 1)) {
      throw new Error(`${what}: expected ${s.count ?? 1} occurrence(s) of ${JSON.stringify(s.from)}, found ${found}`);
    }
    out = out.split(s.from).join(s.to);
  }
  return out;
};

export interface RunningNginx {
  readonly dir: string;
  readonly errorLog: string;
  stop(): Promise<void>;
}

const waitForPort = async (host: string, port: number, process: ChildProcess, errorLog: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (process.exitCode !== null) throw new Error(`nginx exited (${process.exitCode}): ${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nginx did not listen on ${host}:${port} within 10 s`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

/** Writes `files` (nginx.conf and anything it includes) into `dir` and starts nginx in the foreground. */
export const startNginx = async (s: { dir: string; files: Readonly<Record<string, string>>; host: string; port: number }): Promise<RunningNginx> => {
  mkdirSync(join(s.dir, 'tmp'), { recursive: true });
  for (const [name, text] of Object.entries(s.files)) {
    mkdirSync(join(s.dir, name, '..'), { recursive: true });
    writeFileSync(join(s.dir, name), text);
  }
  const conf = join(s.dir, 'nginx.conf');
  const errorLog = join(s.dir, 'error.log');
  const check = spawnSync(NGINX_BINARY, ['-t', '-q', '-p', s.dir, '-c', conf, '-e', errorLog], { encoding: 'utf8', timeout: 10_000 });
  if (check.status !== 0) throw new Error(`nginx -t rejected ${conf}:\n${check.stderr}${existsSync(errorLog) ? readFileSync(errorLog, 'utf8') : ''}`);
  // As root (CI machines), nginx would switch its workers to `nobody`, who cannot write the test's folders.
  const globals = process.getuid?.() === 0 ? 'daemon off; user root root;' : 'daemon off;';
  const child = spawn(NGINX_BINARY, ['-p', s.dir, '-c', conf, '-e', errorLog, '-g', globals], { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  child.stderr?.on('data', (d: Buffer) => writeFileSync(join(s.dir, 'stderr.log'), d, { flag: 'a' }));
  await waitForPort(s.host, s.port, child, errorLog);
  return {
    dir: s.dir,
    errorLog,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
};

/** A free TCP port on 127.0.0.1 (closed again at once; good enough for a test that binds it right after). */
export const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
};
