// The local k3d runbook (docs/runbooks.md "Local development cluster (k3d)") works with what this repository
// generates: the cluster name and kube context, the hub store and registration key the ExternalSecret
// `cluster-<name>` reads, the Vault the cluster's `platform-secrets` store points at, and a store entry with every
// property the cluster's ExternalSecrets read. Tool facts it relies on are cited in the runbook (k3d v5.9.0: context
// `k3d-<cluster>`, `--k3s-arg ARG@NODEFILTER`, `-p …@loadbalancer`; Argo CD v3.4.4 core mode).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { load, loadAll } from 'js-yaml';
import { describe, expect, it } from 'vitest';

import { REPO_ROOT } from '../support/fleet.ts';

interface Cluster {
  name: string;
  environment: string;
  loadBalancer?: string;
  platform?: { secretStore?: { provider?: string; vault?: { server?: string; role?: string } } };
}
interface ExternalSecret {
  kind?: string;
  spec?: { secretStoreRef?: { name?: string }; data?: { remoteRef: { key: string; property?: string } }[] };
}

const read = (...p: string[]): string => readFileSync(join(REPO_ROOT, ...p), 'utf8');

const section = (): string => {
  const runbook = read('docs', 'runbooks.md');
  const start = runbook.indexOf('## Local development cluster (k3d)');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = runbook.indexOf('\n## ', start + 1);
  return runbook.slice(start, end === -1 ? undefined : end);
};

const yamlFiles = (dir: string): string[] =>
  readdirSync(join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : [],
  );

const externalSecrets = (dirs: string[]): ExternalSecret[] =>
  dirs.flatMap(yamlFiles).flatMap((f) => (loadAll(read(f)) as ExternalSecret[]).filter((d) => d?.kind === 'ExternalSecret'));

/** `put KEY prop=value …` lines of the runbook: key → the properties it writes. */
const putEntries = (text: string): Map<string, Set<string>> => {
  const out = new Map<string, Set<string>>();
  for (const m of text.matchAll(/^\s*put (\S+)((?: \S+=\S+)+)\s*$/gm)) {
    out.set(m[1]!, new Set(m[2]!.trim().split(/\s+/).map((kv) => kv.split('=')[0]!)));
  }
  return out;
};

describe('the local k3d runbook', () => {
  const clusters = (load(read('inventory', 'clusters.yaml')) as { clusters: Cluster[] }).clusters;
  const local = clusters.find((c) => c.loadBalancer === 'klipper')!;
  const fleet = load(read('inventory', 'fleet.yaml')) as { argocd: { clusterSecretStore: string; clusterSecretPrefix: string } };
  const text = section();

  it('creates the cluster the inventory names, with the context k3d gives it, and disables what the add-ons replace', () => {
    expect(local).toBeDefined();
    expect(text).toContain(`k3d cluster create ${local.name} `);
    expect(text).toContain(`--context k3d-${local.name}`);
    expect(text).toContain('--disable=traefik@server:0');
    expect(text).toContain('--disable=metrics-server@server:0');
    for (const port of ['80', '443', '1935']) expect(text).toContain(`-p "${port}:${port}@loadbalancer"`);
  });

  it('registers the cluster through the generated ExternalSecret, never with `argocd cluster add`', () => {
    expect(text).not.toMatch(/^\s*argocd cluster add/m);
    const registration = externalSecrets(['argocd/clusters']).find((s) => s.spec?.data?.[0]?.remoteRef.key === `${fleet.argocd.clusterSecretPrefix}/${local.name}`);
    expect(registration?.spec?.secretStoreRef?.name).toBe(fleet.argocd.clusterSecretStore);
    expect(text).toContain(`name: ${fleet.argocd.clusterSecretStore}`);
    const props = putEntries(text).get(`${fleet.argocd.clusterSecretPrefix}/${local.name}`);
    expect([...(props ?? [])].sort()).toEqual(['config', 'server']);
  });

  it("installs the Vault the cluster's platform-secrets store points at, with its role", () => {
    const vault = local.platform?.secretStore?.vault;
    expect(local.platform?.secretStore?.provider).toBe('vault');
    // Release `vault` in namespace `vault`: the chart names its Service after the release (vault-helm v0.34.1).
    expect(vault?.server).toBe('http://vault.vault.svc.cluster.local:8200');
    expect(text).toContain('helm install vault hashicorp/vault --namespace vault');
    expect(text).toContain(`auth/kubernetes/role/${vault?.role}`);
  });

  it("writes every store entry and property the cluster's ExternalSecrets read", () => {
    const puts = putEntries(text);
    const needed = externalSecrets(['base', `overlays/${local.environment}`, `clusters/${local.name}`]).flatMap((s) => s.spec?.data ?? []);
    expect(needed.length).toBeGreaterThan(10);
    const missing = needed
      .filter(({ remoteRef: r }) => !(puts.has(r.key) && (r.property === undefined || puts.get(r.key)!.has(r.property))))
      .map(({ remoteRef: r }) => `${r.key}${r.property === undefined ? '' : ` ${r.property}`}`);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('uses argocd core mode the way Argo CD documents it (namespace first)', () => {
    expect(text.indexOf('kubectl config set-context --current --namespace=argocd')).toBeLessThan(text.indexOf('argocd login --core'));
  });
});
