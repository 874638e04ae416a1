// Runs the rendered backup CronJobs' containers as their pod would, against the real servers .ci/test-services
// starts: each container's `/bin/sh -c` script with the environment its ConfigMap (envFrom) and Secret references
// give it, init containers first, on volumes that are fresh temp folders (the pod's emptyDirs, shared by its
// containers). The scripts name their mount paths (/backup, /tmp, /scratch); those are mapped to the job's folders,
// as a container runtime would mount them. Tools come from Debian packages: postgresql (15; the image runs 17),
// redis-server/redis-tools (7.0; the image runs 7.4), awscli (2.9; the image pins 2.22.35) — see docs/backups.md.
import { execFile, spawn } from 'node:child_process';
import { chown, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { BuiltObject } from '../../support/rendered.ts';

const run = promisify(execFile);

/** Values .ci/test-services sets up; change both together. */
export const SERVICES = {
  postgres: { host: '127.0.0.1', port: 5432, user: 'streamfleet', password: 'streamfleet' },
  redis: { host: '127.0.0.1', port: 6379, password: 'streamfleet' },
} as const;

const START_HINT = 'start them with `bash .ci/test-services start` (installs: `bash .ci/install-packages`)';

/** Debian installs the PostgreSQL server programs (initdb, postgres) under /usr/lib/postgresql/<major>/bin, off PATH. */
const postgresBinDir = async (): Promise<string> => {
  let versions: string[] = [];
  try {
    versions = (await readdir('/usr/lib/postgresql')).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(a) - Number(b));
  } catch {
    // reported below
  }
  if (versions.length === 0) throw new Error('PostgreSQL server programs not found: install the Debian `postgresql` package (`bash .ci/install-packages`)');
  return `/usr/lib/postgresql/${versions.at(-1)}/bin`;
};

/**
 * PATH for the scripts: Debian's PostgreSQL programs, then the system directories (Debian's aws v2 before any other
 * `aws` a developer may have earlier on PATH), then the caller's PATH.
 */
export const scriptPath = async (): Promise<string> => `${await postgresBinDir()}:/usr/bin:/bin:${process.env.PATH ?? ''}`;

const TOOLS: ReadonlyArray<readonly [string, string]> = [
  ['psql', 'postgresql'],
  ['pg_dump', 'postgresql'],
  ['pg_restore', 'postgresql'],
  ['pg_isready', 'postgresql'],
  ['createdb', 'postgresql'],
  ['initdb', 'postgresql'],
  ['postgres', 'postgresql'],
  ['redis-server', 'redis-server'],
  ['redis-cli', 'redis-server'],
  ['redis-check-rdb', 'redis-server'],
  ['aws', 'awscli'],
  ['gzip', 'gzip'],
  ['runuser', 'util-linux'],
];

/** Fails (never skips) with the package to install when a tool is missing, or when `aws` is not the v2 CLI. */
export const requireTools = async (): Promise<string> => {
  const path = await scriptPath();
  const missing: string[] = [];
  for (const [tool, pkg] of TOOLS) {
    try {
      await run('sh', ['-c', `command -v ${tool}`], { env: { ...process.env, PATH: path } });
    } catch {
      missing.push(`${tool} (Debian \`${pkg}\`)`);
    }
  }
  if (missing.length > 0) throw new Error(`missing tools: ${missing.join(', ')}; install them with \`bash .ci/install-packages\``);
  const { stdout } = await run('aws', ['--version'], { env: { ...process.env, PATH: path } });
  if (!stdout.startsWith('aws-cli/2.')) throw new Error(`\`aws --version\` says ${stdout.trim()}: the tests need AWS CLI v2 (Debian \`awscli\`)`);
  return path;
};

/** Fails with how to start them when the test servers do not answer. */
export const requireServers = async (path: string): Promise<void> => {
  const p = SERVICES.postgres;
  try {
    await run('pg_isready', ['--host', p.host, '--port', String(p.port), '--username', p.user, '--dbname', 'postgres'], { env: { ...process.env, PATH: path } });
    await run('psql', ['--host', p.host, '--port', String(p.port), '--username', p.user, '--dbname', 'postgres', '-Atc', 'SELECT 1'], {
      env: { ...process.env, PATH: path, PGPASSWORD: p.password },
    });
  } catch (e) {
    throw new Error(`PostgreSQL is not running on ${p.host}:${p.port} with the test role ${p.user}: ${START_HINT}\n${String(e)}`, { cause: e });
  }
  const r = SERVICES.redis;
  let pong = '';
  try {
    pong = (await run('redis-cli', ['-h', r.host, '-p', String(r.port), 'ping'], { env: { ...process.env, PATH: path, REDISCLI_AUTH: r.password } })).stdout.trim();
  } catch {
    // reported below
  }
  if (pong !== 'PONG') throw new Error(`redis-server is not running on ${r.host}:${r.port} with the test password: ${START_HINT}`);
};

export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Which container ran last (the failing one when code != 0). */
  readonly container: string;
}

/** The pod's volumes (emptyDirs) as folders under `root`: mount path -> folder. */
export const jobVolumes = async (root: string, mountPaths: readonly string[], owner?: { uid: number; gid: number }): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  for (const m of mountPaths) {
    const dir = join(root, m.replace(/^\//, ''));
    await mkdir(dir, { recursive: true });
    if (owner) await chown(dir, owner.uid, owner.gid);
    out[m] = dir;
  }
  return out;
};

/** Replace the script's mount paths by the folders, in one pass (a mount path is matched as a whole path segment). */
export const mapPaths = (script: string, volumes: Record<string, string>): string => {
  const mounts = Object.keys(volumes).sort((a, b) => b.length - a.length);
  if (mounts.length === 0) return script;
  const re = new RegExp(`(?<![\\w.$/-])(${mounts.map((m) => m.replace(/[/.]/g, '\\$&')).join('|')})(?=[/\\s"';]|$)`, 'gm');
  return script.replace(re, (m) => volumes[m]!);
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads loosely typed built objects
type Loose = Record<string, any>;

export interface JobRun {
  /** ConfigMap data by ConfigMap name (envFrom). */
  readonly configMaps: Record<string, Record<string, string>>;
  /** Secret data by Secret name (secretKeyRef). */
  readonly secrets: Record<string, Record<string, string>>;
  /** Variables to replace after envFrom/env (test endpoints). */
  readonly override?: Record<string, string>;
  /** Extra variables (RESTORE_OBJECT). */
  readonly extra?: Record<string, string>;
  readonly path: string;
  /** Folder for the pod's volumes. */
  readonly root: string;
  /** Run the containers as this non-root user (the pod runs as uid 999; initdb refuses root). */
  readonly runAs?: { name: string; uid: number; gid: number };
}

const containerEnv = (c: Loose, job: JobRun): Record<string, string> => {
  const env: Record<string, string> = {};
  for (const from of (c.envFrom ?? []) as Loose[]) {
    const name = from.configMapRef?.name as string;
    const data = job.configMaps[name];
    if (!data) throw new Error(`container ${c.name}: no ConfigMap ${name}`);
    Object.assign(env, data);
  }
  for (const e of (c.env ?? []) as Loose[]) {
    if (e.value !== undefined) env[e.name] = e.value;
    else if (e.valueFrom?.secretKeyRef) {
      const ref = e.valueFrom.secretKeyRef;
      const v = job.secrets[ref.name]?.[ref.key];
      if (v !== undefined) env[e.name] = v;
      else if (!ref.optional) throw new Error(`container ${c.name}: Secret ${ref.name} has no key ${ref.key}`);
    }
  }
  for (const [k, v] of Object.entries(job.override ?? {})) if (k in env) env[k] = v;
  return { ...env, ...job.extra };
};

const sh = (script: string, env: Record<string, string>, cwd: string, runAs: JobRun['runAs']): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve, reject) => {
    const asUser = runAs !== undefined && process.getuid?.() === 0;
    const [cmd, args] = asUser ? ['runuser', ['-u', runAs.name, '--', 'sh', '-c', script]] : ['sh', ['-c', script]];
    const child = spawn(cmd, args as string[], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });

/** Pod spec of a CronJob. */
const podOf = (cronJob: BuiltObject): Loose => (cronJob.spec as Loose).jobTemplate.spec.template.spec;

/** Run the CronJob's pod once: init containers, then the containers, in order; stops at the first failure. */
export const runJob = async (cronJob: BuiltObject, job: JobRun): Promise<ScriptResult> => {
  const pod = podOf(cronJob);
  const containers: Loose[] = [...(pod.initContainers ?? []), ...pod.containers];
  const mounts = [...new Set(containers.flatMap((c) => ((c.volumeMounts ?? []) as Loose[]).map((m) => m.mountPath as string)))];
  const owner = job.runAs !== undefined && process.getuid?.() === 0 ? job.runAs : undefined;
  const volumes = await jobVolumes(job.root, mounts, owner);
  let stdout = '';
  let stderr = '';
  for (const c of containers) {
    const command = c.command as string[];
    if (command[0] !== '/bin/sh' || command[1] !== '-c') throw new Error(`container ${c.name} does not run a /bin/sh -c script`);
    const env = { ...containerEnv(c, job), PATH: job.path };
    const r = await sh(mapPaths(command[2]!, volumes), env, volumes['/tmp'] ?? job.root, job.runAs);
    stdout += `[${c.name}]\n${r.stdout}`;
    stderr += `[${c.name}]\n${r.stderr}`;
    if (r.code !== 0) return { code: r.code, stdout, stderr, container: c.name as string };
  }
  return { code: 0, stdout, stderr, container: containers.at(-1)!.name as string };
};
