// Builds and runs tools/chart-render (our Go reimplementation of what `helm template --include-crds` renders).
// There is no Helm binary on the machines (not packaged by Debian, not on npm), so the Go sources are built with
// Debian's Go toolchain and library packages in GOPATH mode, once per source hash, into
// node_modules/.cache/streamfleet/chart-render/<hash>/.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOOL_ROOT } from '../lib/tool-root.ts';

const REPO_ROOT = TOOL_ROOT;
export const CHART_RENDER_SOURCES = join(REPO_ROOT, 'tools', 'chart-render');
const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'streamfleet', 'chart-render');

/** Debian's GOPATH root for its golang-*-dev library packages. */
const DEBIAN_GOCODE = '/usr/share/gocode';

/** Debian packages the build needs: the toolchain and the Go libraries the renderer imports. */
export const GO_APT_PACKAGES = [
  'golang-go',
  'golang-github-masterminds-sprig-dev',
  'golang-github-burntsushi-toml-dev',
  'golang-gopkg-yaml.v3-dev',
  'golang-k8s-sigs-yaml-dev',
] as const;

export class ChartRenderBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartRenderBuildError';
  }
}

const installHint = (): string => `install them with: apt-get install -y ${GO_APT_PACKAGES.join(' ')}`;

const sourceFiles = (): string[] =>
  readdirSync(CHART_RENDER_SOURCES)
    .filter((f) => f.endsWith('.go') || f === 'go.mod')
    .sort();

/** Hash of the renderer's sources: the cache key of its binary. */
export const chartRenderSourceHash = (): string => {
  const h = createHash('sha256');
  for (const f of sourceFiles()) {
    h.update(f).update('\0').update(readFileSync(join(CHART_RENDER_SOURCES, f))).update('\0');
  }
  return h.digest('hex').slice(0, 16);
};

/** Path of the built renderer, building it first when the sources changed. Throws ChartRenderBuildError. */
export const chartRenderBinary = (): string => {
  const dir = join(CACHE_DIR, chartRenderSourceHash());
  const binary = join(dir, 'chart-render');
  if (existsSync(binary)) return binary;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error !== undefined || go.status !== 0) {
    throw new ChartRenderBuildError(`the Go toolchain is missing (\`go version\` failed); the chart renderer needs Debian's Go packages: ${installHint()}`);
  }
  // GOPATH mode resolves sprig's and semver's `/v3` imports only for code inside a GOPATH with a go.mod, so
  // the sources are copied into a throw-away one.
  const gopath = mkdtempSync(join(tmpdir(), 'chart-render-gopath-'));
  try {
    const pkg = join(gopath, 'src', 'streamfleet', 'chart-render');
    mkdirSync(pkg, { recursive: true });
    for (const f of sourceFiles()) copyFileSync(join(CHART_RENDER_SOURCES, f), join(pkg, f));
    mkdirSync(dir, { recursive: true });
    const partial = join(dir, `chart-render.${process.pid}.tmp`);
    const build = spawnSync('go', ['build', '-trimpath', '-o', partial, '.'], {
      cwd: pkg,
      encoding: 'utf8',
      env: {
        ...process.env,
        GO111MODULE: 'off',
        GOFLAGS: '',
        GOPATH: `${gopath}:${DEBIAN_GOCODE}`,
        GOCACHE: join(CACHE_DIR, 'go-build'),
      },
    });
    if (build.status !== 0) {
      throw new ChartRenderBuildError(`building tools/chart-render failed (the Go library packages may be missing; ${installHint()}):\n${build.stderr}${build.stdout}`);
    }
    // Concurrent test workers may build at once: the rename makes the last complete build win atomically.
    renameSync(partial, binary);
    return binary;
  } finally {
    rmSync(gopath, { recursive: true, force: true });
  }
};

export interface RenderedObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly group: string;
  readonly version: string;
  readonly name: string;
  readonly namespace: string;
  readonly scope: 'Namespaced' | 'Cluster' | 'Unknown';
  readonly source: string;
  readonly fromCrdsDir?: boolean;
  readonly helmHook?: readonly string[];
  readonly helmHookWeight?: string;
  readonly helmHookDeletePolicy?: string;
  readonly argocdHook?: string;
  readonly argocdHookDeletePolicy?: string;
  readonly syncWave?: string;
  readonly syncOptions?: string;
  readonly resourcePolicy?: string;
  /** The whole parsed document, only with RenderOptions.withManifests. */
  readonly manifest?: Readonly<Record<string, unknown>>;
}

export interface RenderedCrd {
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly plural: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly servedVersions: readonly string[];
  readonly storageVersion?: string;
  readonly source: string;
  readonly fromCrdsDir?: boolean;
}

export interface CapabilityQuery {
  readonly api: string;
  readonly result: boolean;
  readonly template: string;
}

export interface DependencyReport {
  readonly chart: string;
  readonly name: string;
  readonly alias?: string;
  readonly version?: string;
  readonly repository?: string;
  readonly condition?: string;
  readonly enabled: boolean;
  readonly present: boolean;
}

/** The renderer's JSON output. */
export interface ChartRender {
  readonly chart: { readonly name: string; readonly version: string; readonly appVersion: string; readonly kubeVersion?: string; readonly type?: string };
  readonly release: { readonly name: string; readonly namespace: string };
  readonly kubeVersion: string;
  readonly helmVersion: string;
  readonly objects: readonly RenderedObject[];
  readonly crds: readonly RenderedCrd[];
  readonly capabilityQueries: readonly CapabilityQuery[];
  readonly dependencies: readonly DependencyReport[];
  readonly warnings: readonly string[];
}

export interface RenderOptions {
  readonly chartDir: string;
  readonly releaseName: string;
  readonly namespace: string;
  readonly kubeVersion: string;
  readonly valuesFiles?: readonly string[];
  readonly apiVersions?: readonly string[];
  /** group/Kind of cluster-scoped kinds whose CRDs come from other charts. */
  readonly clusterScoped?: readonly string[];
  /** Include each object's parsed manifest (tests and debugging; the catalog needs only the heads). */
  readonly withManifests?: boolean;
}

export class ChartRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChartRenderError';
  }
}

/** Render a chart folder. Throws ChartRenderError with the renderer's message when the chart does not render. */
export const renderChart = (options: RenderOptions, binary: string = chartRenderBinary()): ChartRender => {
  const args = ['--chart', options.chartDir, '--name', options.releaseName, '--namespace', options.namespace, '--kube-version', options.kubeVersion];
  for (const f of options.valuesFiles ?? []) args.push('--values', f);
  for (const a of options.apiVersions ?? []) args.push('--api-versions', a);
  for (const k of options.clusterScoped ?? []) args.push('--cluster-scoped', k);
  if (options.withManifests === true) args.push('--with-manifests');
  const run = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.error !== undefined) throw new ChartRenderError(`could not run ${binary}: ${run.error.message}`);
  if (run.status !== 0) throw new ChartRenderError(run.stderr.trim() || `chart-render exited with ${String(run.status)}`);
  return JSON.parse(run.stdout) as ChartRender;
};
