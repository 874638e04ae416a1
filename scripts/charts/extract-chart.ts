// A chart folder as its release packages it, from a local Git directory of the upstream repository:
// `git archive TAG PATH | tar -x`, the release build steps (upstreams.ts), then dependencies released from the
// same repository unpacked under charts/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments, parseDocument, stringify } from 'yaml';

import type { ChartUpstream } from './upstreams.ts';

export class MissingUpstreamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingUpstreamError';
  }
}

const git = (gitDir: string, args: readonly string[]): { status: number | null; stdout: Buffer; stderr: string } => {
  const r = spawnSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 1024 * 1024 * 1024 });
  if (r.error !== undefined) throw new Error(`git: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
};

export const hasTag = (gitDir: string, tag: string): boolean => git(gitDir, ['rev-parse', '--verify', '--quiet', `refs/tags/${tag}^{commit}`]).status === 0;

/** Unpack `paths` of `tag` into `dest` (created); throws MissingUpstreamError when the tag is not there. */
export const archive = (gitDir: string, tag: string, paths: readonly string[], dest: string): void => {
  if (!existsSync(gitDir)) throw new MissingUpstreamError(`${gitDir} does not exist`);
  if (!hasTag(gitDir, tag)) throw new MissingUpstreamError(`tag ${tag} is not in ${gitDir} (fetch the repository's tags)`);
  const out = git(gitDir, ['archive', '--format=tar', tag, ...paths]);
  if (out.status !== 0) throw new MissingUpstreamError(`git archive ${tag} ${paths.join(' ')} in ${gitDir} failed: ${out.stderr.trim()}`);
  mkdirSync(dest, { recursive: true });
  const tar = spawnSync('tar', ['-x', '-C', dest], { input: out.stdout });
  if (tar.status !== 0) throw new Error(`tar -x failed: ${tar.stderr.toString()}`);
};

const pathExists = (gitDir: string, tag: string, path: string): boolean => git(gitDir, ['cat-file', '-e', `${tag}:${path}`]).status === 0;

const stampVersion = (chartDir: string, version: string): void => {
  const file = join(chartDir, 'Chart.yaml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  doc.set('version', version);
  doc.set('appVersion', version);
  writeFileSync(file, doc.toString());
};

/** cert-manager up to 1.16: Chart.template.yaml and the CRDs concatenated into templates/crds.yaml. */
const certManagerChart = (gitDir: string, tag: string, chartDir: string, root: string): void => {
  const template = join(chartDir, 'Chart.template.yaml');
  if (existsSync(template)) renameSync(template, join(chartDir, 'Chart.yaml'));
  const hasCrdTemplates = readdirSync(join(chartDir, 'templates')).some((f) => f.startsWith('crd-'));
  if (hasCrdTemplates || !pathExists(gitDir, tag, 'deploy/crds')) return;
  archive(gitDir, tag, ['deploy/crds'], root);
  const crdDir = join(root, 'deploy', 'crds');
  const files = readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
  // hack/concat-yaml.sh: each file, with "\n---\n" between files.
  writeFileSync(join(chartDir, 'templates', 'crds.yaml'), files.map((f) => readFileSync(join(crdDir, f), 'utf8')).join('\n---\n'));
};

/**
 * external-secrets: templates/crds/<singular>.yaml generated from deploy/crds/bundle.yaml, each wrapped in its
 * install condition, with v1beta1 of ExternalSecret/SecretStore kinds served per `crds.unsafeServeV1Beta1`
 * (external-secrets/external-secrets@helm-chart-2.9.0:hack/helm.generate.sh, run by `make helm.generate`
 * before `helm package` in .github/workflows/helm.yml). Its name and annotation rewrites do not change kinds.
 */
const externalSecretsCrds = (gitDir: string, tag: string, chartDir: string, root: string): void => {
  const target = join(chartDir, 'templates', 'crds');
  if (existsSync(target) && readdirSync(target).some((f) => f.endsWith('.yaml') || f.endsWith('.yml'))) return;
  archive(gitDir, tag, ['deploy/crds/bundle.yaml'], root);
  mkdirSync(target, { recursive: true });
  for (const doc of parseAllDocuments(readFileSync(join(root, 'deploy', 'crds', 'bundle.yaml'), 'utf8'))) {
    const crd = doc.toJS() as { spec?: { names?: { kind?: string; singular?: string }; versions?: Array<{ name: string; served: unknown }> } } | null;
    const kind = crd?.spec?.names?.kind;
    if (crd === null || kind === undefined) continue;
    const flag = `create${kind}`;
    const versioned = kind.includes('ExternalSecret') || kind.includes('SecretStore');
    if (versioned && (crd.spec?.versions ?? []).some((v) => v.name === 'v1alpha1')) {
      throw new Error(`external-secrets ${tag}: ${kind} has a v1alpha1 version, which helm.generate.sh makes conditional; teach scripts/charts/extract-chart.ts that step`);
    }
    const SERVE = '__serve_v1beta1__';
    if (versioned) for (const v of crd.spec?.versions ?? []) if (v.name === 'v1beta1' && v.served === false) v.served = SERVE;
    const condition = kind.includes('Cluster') || kind.includes('PushSecret') ? `and (.Values.installCRDs) (.Values.crds.${flag})` : '.Values.installCRDs';
    const body = stringify(crd).replace(SERVE, '{{ .Values.crds.unsafeServeV1Beta1 }}');
    writeFileSync(join(target, `${crd.spec?.names?.singular ?? kind.toLowerCase()}.yaml`), `{{- if ${condition} }}\n${body}{{- end }}\n`);
  }
};

interface ChartYamlDependency {
  readonly name: string;
  readonly version?: string;
  readonly repository?: string;
}

const dependenciesOf = (chartDir: string): ChartYamlDependency[] => {
  const chart = parseYaml(readFileSync(join(chartDir, 'Chart.yaml'), 'utf8')) as { dependencies?: ChartYamlDependency[] } | null;
  return chart?.dependencies ?? [];
};

const isPresent = (chartDir: string, name: string): boolean => {
  const charts = join(chartDir, 'charts');
  if (!existsSync(charts)) return false;
  return existsSync(join(charts, name, 'Chart.yaml')) || readdirSync(charts).some((f) => f.startsWith(`${name}-`) && f.endsWith('.tgz'));
};

export interface ExtractedDependency {
  readonly name: string;
  readonly version: string;
  readonly repository?: string;
  /** Where it was taken from, when this tool unpacked it. */
  readonly source?: { readonly tag: string; readonly path: string };
}

export interface ExtractedChart {
  readonly dir: string;
  readonly dependencies: readonly ExtractedDependency[];
}

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;

/**
 * The chart of `upstream` at `version`, unpacked under `work`. Dependencies from the same repository are added
 * under charts/ at the version Chart.yaml names; any other missing one is left absent (fine while disabled, the
 * renderer fails when it is enabled).
 */
export const extractChart = (gitDir: string, upstream: ChartUpstream, version: string, work: string): ExtractedChart => {
  const tag = upstream.tag(version);
  const root = join(work, 'src');
  rmSync(root, { recursive: true, force: true });
  archive(gitDir, tag, [upstream.path], root);
  const dir = join(root, upstream.path);
  for (const step of upstream.build) {
    if (step === 'cert-manager-chart') certManagerChart(gitDir, tag, dir, root);
    else if (step === 'external-secrets-crds') externalSecretsCrds(gitDir, tag, dir, root);
    else stampVersion(dir, version);
  }
  const dependencies: ExtractedDependency[] = [];
  for (const dep of dependenciesOf(dir)) {
    const depVersion = dep.version ?? '';
    const base = { name: dep.name, version: depVersion, ...(dep.repository !== undefined ? { repository: dep.repository } : {}) };
    const same = upstream.dependencies;
    if (isPresent(dir, dep.name) || same === undefined || dep.repository?.replace(/\/+$/, '') !== same.repository || !EXACT_VERSION.test(depVersion)) {
      dependencies.push(base);
      continue;
    }
    const depTag = same.tag(dep.name, depVersion);
    const depRoot = join(work, 'deps', dep.name);
    archive(gitDir, depTag, [same.path(dep.name)], depRoot);
    mkdirSync(join(dir, 'charts'), { recursive: true });
    renameSync(join(depRoot, same.path(dep.name)), join(dir, 'charts', dep.name));
    dependencies.push({ ...base, source: { tag: depTag, path: same.path(dep.name) } });
  }
  return { dir, dependencies };
};
