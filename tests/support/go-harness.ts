// The Go differential harness (tests/argocd/go-harness/main.go): built once per content of main.go into
// node_modules/.cache, then fed whole batches of cases (one process per batch). Go and Debian's Go library packages
// are a test dependency: when they are missing this throws, so the differential tests fail instead of skipping.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from './fleet.ts';

/** Debian packages the harness builds from; CI installs them with apt-get. */
export const GO_HARNESS_APT_PACKAGES = ['golang-go', 'golang-github-masterminds-sprig-dev', 'golang-k8s-sigs-yaml-dev', 'golang-gopkg-yaml.v2-dev'] as const;

/** Where Debian puts Go library sources (GOPATH layout). */
const DEBIAN_GOPATH = '/usr/share/gocode';
const REQUIRED_SOURCES = ['github.com/Masterminds/sprig/functions.go', 'sigs.k8s.io/yaml/yaml.go', 'gopkg.in/yaml.v2/resolve.go'];

const HARNESS_SOURCE = join(REPO_ROOT, 'tests', 'argocd', 'go-harness', 'main.go');
const CACHE_ROOT = join(REPO_ROOT, 'node_modules', '.cache', 'streamfleet', 'go-harness');

export type GoHarnessCase =
  | { readonly id: string; readonly mode: 'render'; readonly template: string; readonly params: unknown; readonly options?: readonly string[] }
  | { readonly id: string; readonly mode: 'yamlToJson' | 'templatePatch' | 'elementsYaml'; readonly text: string };

export interface GoHarnessResult {
  readonly id: string;
  /** Rendered text (mode render). */
  readonly output?: string;
  /** Converted value (the other modes), already parsed. */
  readonly json?: unknown;
  readonly error?: string;
  /** Where Go failed: option, parse, execute, convert, unmarshal, … */
  readonly stage?: string;
  /** False when Go's output was not valid UTF-8 (JSON cannot carry it exactly). */
  readonly utf8?: boolean;
}

const missing = (what: string): Error =>
  new Error(`The Go differential harness needs ${what}. Install the Debian packages: apt-get install -y ${GO_HARNESS_APT_PACKAGES.join(' ')}`);

let built: string | undefined;

/** Build (or find the cached build of) the harness; returns the binary's path. Throws when Go is missing. */
export const buildGoHarness = (): string => {
  if (built !== undefined) return built;
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error !== undefined || version.status !== 0) throw missing('the go command');
  for (const source of REQUIRED_SOURCES) if (!existsSync(join(DEBIAN_GOPATH, 'src', source))) throw missing(`${DEBIAN_GOPATH}/src/${source}`);

  const source = readFileSync(HARNESS_SOURCE);
  const hash = createHash('sha256').update(source).update(version.stdout).digest('hex').slice(0, 16);
  const dir = join(CACHE_ROOT, hash);
  const binary = join(dir, 'go-harness');
  if (!existsSync(binary)) {
    // GOPATH mode resolves `sprig/v3` to Debian's `sprig` folder only for code with a go.mod ("minimal module
    // compatibility"), hence the go.mod next to the copy; GO111MODULE=off keeps the go command off the network.
    const pkg = join(dir, 'gopath', 'src', 'go-harness');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'main.go'), source);
    writeFileSync(join(pkg, 'go.mod'), 'module go-harness\n\ngo 1.19\n');
    const partial = `${binary}.${process.pid}.partial`;
    const build = spawnSync('go', ['build', '-o', partial, '.'], {
      cwd: pkg,
      encoding: 'utf8',
      env: { ...process.env, GO111MODULE: 'off', GOPATH: `${join(dir, 'gopath')}:${DEBIAN_GOPATH}`, GOCACHE: join(CACHE_ROOT, 'gocache'), GOFLAGS: '' },
    });
    if (build.error !== undefined || build.status !== 0) {
      throw new Error(`building the Go harness failed (are ${GO_HARNESS_APT_PACKAGES.join(', ')} installed?):\n${build.stderr}${build.error?.message ?? ''}`);
    }
    // Parallel test workers may build at the same time; the rename makes whichever finishes first win cleanly.
    renameSync(partial, binary);
  }
  built = binary;
  return binary;
};

/** Run `cases` through one harness process; results come back in the same order. */
export const runGoHarness = async (cases: readonly GoHarnessCase[]): Promise<GoHarnessResult[]> => {
  if (cases.length === 0) return [];
  const binary = buildGoHarness();
  const child = spawn(binary, [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const done = new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? -1));
  });
  child.stdin.end(JSON.stringify(cases));
  const code = await done;
  if (code !== 0) throw new Error(`Go harness exited with ${code}: ${Buffer.concat(err).toString('utf8')}`);
  const results = JSON.parse(Buffer.concat(out).toString('utf8')) as GoHarnessResult[];
  if (results.length !== cases.length) throw new Error(`Go harness returned ${results.length} results for ${cases.length} cases`);
  return results;
};
