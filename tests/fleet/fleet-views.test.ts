// `pnpm fleet` views of the default fleet, and the fleet drawing of docs/fleet.md: grouped by environment in promotion
// order, ids derived from names (adding a cluster adds one line), readable at 20 clusters.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/cli/fleet.ts';
import { writeSynthInventory } from '../../scripts/bench/synth-fleet.ts';
import { COMPONENTS, componentsFor } from '../../scripts/components/catalog.ts';
import { clusterTable, fleetMermaid, mermaidId, versionTable } from '../../scripts/fleet/fleet-views.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { FLEET_DOC_PATH, renderFleetDoc } from '../../scripts/render/render-fleet-doc.ts';
import { renderFleet } from '../../scripts/render/render-fleet.ts';
import { checkTree, writeTree } from '../../scripts/writer/index.ts';
import { captureIo, DEFAULT_INVENTORY, loadFleet, removeDir, snapshotTree, tempDir } from '../support/fleet.ts';

const temps: string[] = [];
afterAll(async () => Promise.all(temps.map(removeDir)));

/** The default inventory's fleet and environments with `count` synthetic clusters (scripts/bench/synth-fleet.ts). */
const synthFleet = async (count: number): Promise<Fleet> => {
  const root = await tempDir(`fleet-views-${count}`);
  temps.push(root);
  return loadFleet(writeSynthInventory(DEFAULT_INVENTORY, root, count));
};

const drawing = (fleet: Fleet): string => fleetMermaid(fleet, componentsFor(fleet));

/** Each environment subgraph's lines (from its `subgraph` line to its `end`), keyed by subgraph id, in drawing order. */
const subgraphs = (m: string): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of m.split('\n')) {
    const open = /^ {4}subgraph (\w+)\[/.exec(line);
    if (open) out.set(open[1]!, (current = []));
    else if (line === '    end') current = undefined;
    else current?.push(line);
  }
  return out;
};

describe('pnpm fleet', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);

  it('lists every cluster with its stacks', () => {
    const lines = clusterTable(fleet).split('\n');
    expect(lines).toHaveLength(fleet.clusters.length + 1);
    expect(lines.find((l) => l.startsWith('prod-gpu-us-east-1'))).toMatch(/prod\s+us-east-1\s+gpu\s+-\s+yes\s+yes/);
  });

  it('marks versions that differ from the previous environment', () => {
    expect(versionTable(fleet)).toMatch(/ott-auth\s+1\.3\.0\s+1\.3\.0\s+1\.2\.1 \*/);
  });

  it('draws one node per cluster with its stacks and app counts, inside its environment, and the promotion order', () => {
    const m = fleetMermaid(fleet, componentsFor(fleet));
    expect(m.startsWith('flowchart LR\n')).toBe(true);
    // The GPU farm uses managed databases and queues: API and both worker flavours only (placement honours `enabled`).
    expect(m).toContain('      c_prod_gpu_us_east_1["prod-gpu-us-east-1<br/>us-east-1 · gpu<br/>transcoding 3 · monitoring 5"]');
    // dev runs Postgres, Redis, RabbitMQ and MinIO in-cluster beside the API and the CPU workers.
    expect(m).toContain('c_dev_k3d["dev-k3d<br/>local<br/>streaming 8 · transcoding 6 · monitoring 5 · api-platform 9"]');
    expect([...subgraphs(m).keys()]).toEqual(['env_dev', 'env_staging', 'env_prod']);
    expect(subgraphs(m).get('env_prod')!.map((l) => l.trim().split('[')[0])).toEqual(['c_prod_eu_west_1', 'c_prod_gpu_us_east_1', 'c_prod_us_east_1']);
    expect(m.match(/-->|-\. promote \.->/g)).toEqual(['-. promote .->', '-. promote .->']);
    expect(m).toContain('  env_dev -. promote .-> env_staging\n  env_staging -. promote .-> env_prod\n');
  });

  it('prints each format and rejects unknown ones', async () => {
    for (const format of ['text', 'markdown', 'mermaid']) {
      const c = captureIo();
      expect(await main(['--format', format, '--inventory', DEFAULT_INVENTORY], c.io)).toBe(0);
      expect(c.out().length).toBeGreaterThan(100);
    }
    const c = captureIo();
    expect(await main(['--format', 'mermaid', '--inventory', DEFAULT_INVENTORY], c.io)).toBe(0);
    expect(c.out()).toContain(fleetMermaid(fleet, componentsFor(fleet)));
    expect(await main(['--format', 'svg', '--inventory', DEFAULT_INVENTORY], captureIo().io)).toBe(2);
  });
});

describe('the fleet drawing at 5 and 20 clusters', async () => {
  const fleets = new Map(await Promise.all([5, 6, 20, 21].map(async (n) => [n, await synthFleet(n)] as const)));

  it.each([5, 20])('golden: %i clusters', async (n) => {
    await expect(drawing(fleets.get(n)!)).toMatchFileSnapshot(`./__golden__/fleet-${n}-clusters.mmd`);
  });

  it.each([
    [5, 6],
    [20, 21],
  ])('adding a cluster to %i adds its one line and changes nothing else', (before, after) => {
    const a = drawing(fleets.get(before)!).split('\n');
    const b = drawing(fleets.get(after)!).split('\n');
    const added = fleets.get(after)!.clusters.find((c) => !fleets.get(before)!.clusters.some((x) => x.name === c.name))!;
    // Exactly one new line, the new cluster's node, and every other line unchanged and in the same order.
    expect(b.filter((l) => !a.includes(l))).toEqual([expect.stringMatching(new RegExp(`^ {6}${mermaidId('c', added.name)}\\["${added.name}<br/>`))]);
    expect(b.filter((l) => a.includes(l))).toEqual(a);
    // The other environments' subgraphs are identical.
    const [sa, sb] = [subgraphs(a.join('\n')), subgraphs(b.join('\n'))];
    for (const [env, lines] of sa) if (env !== mermaidId('env', added.environment)) expect(sb.get(env)).toEqual(lines);
  });

  it('removing a cluster removes only its line', () => {
    const fleet = fleets.get(20)!;
    const gone = fleet.clusters.find((c) => c.environment === 'dev')!;
    const a = drawing(fleet).split('\n');
    const b = drawing({ ...fleet, clusters: fleet.clusters.filter((c) => c !== gone) }).split('\n');
    expect(a.filter((l) => !b.includes(l))).toEqual([expect.stringContaining(`${mermaidId('c', gone.name)}[`)]);
    expect(b.filter((l) => !a.includes(l))).toEqual([]);
  });

  it.each([5, 20])('at %i clusters: environments in promotion order, each cluster one node in its own, no edge but promotion', (n) => {
    const fleet = fleets.get(n)!;
    // The model lists environments in promotion order; the drawing keeps it even if a caller passes them shuffled.
    const m = drawing({ ...fleet, environments: [...fleet.environments].reverse() });
    expect(m).toBe(drawing(fleet));
    const groups = subgraphs(m);
    expect([...groups.keys()]).toEqual([...fleet.environments].sort((x, y) => x.order - y.order).map((e) => mermaidId('env', e.name)));
    for (const env of fleet.environments) {
      const ids = groups.get(mermaidId('env', env.name))!.map((l) => l.trim().split('[')[0]);
      expect(ids).toEqual(fleet.clusters.filter((c) => c.environment === env.name).map((c) => mermaidId('c', c.name)));
    }
    const edges = m.split('\n').filter((l) => l.includes('->'));
    expect(edges).toEqual(fleet.environments.filter((e) => e.promotesTo !== undefined).map((e) => `  ${mermaidId('env', e.name)} -. promote .-> ${mermaidId('env', e.promotesTo!)}`));
    // Readable: one line per cluster, every label at most three short lines.
    expect(m.split('\n').filter((l) => l.startsWith('      c_'))).toHaveLength(n);
    for (const label of m.match(/"[^"]*"/g)!) expect(label.split('<br/>').every((part) => part.length <= 80)).toBe(true);
  });
});

describe('mermaid ids and labels', () => {
  it('derives ids from names, keeping only [A-Za-z0-9_] and never a bare keyword', () => {
    expect(mermaidId('c', 'prod-eu-west-1')).toBe('c_prod_eu_west_1');
    expect(mermaidId('env', 'end')).toBe('env_end');
    expect(mermaidId('c', 'a.b c')).toMatch(/^\w+$/);
  });

  it('quotes labels with entity codes', async () => {
    const fleet = await loadFleet(DEFAULT_INVENTORY);
    const odd = { ...fleet, clusters: fleet.clusters.map((c) => (c.name === 'dev-k3d' ? { ...c, region: 'lab "A" <1>' } : c)) };
    expect(fleetMermaid(odd, COMPONENTS)).toContain('["dev-k3d<br/>lab #quot;A#quot; #lt;1#gt;<br/>');
  });
});

describe('docs/fleet.md', async () => {
  const fleet = await loadFleet(DEFAULT_INVENTORY);
  const files = renderFleet(fleet);

  it('is a whole generated file with the drawing and a table per environment; README.md has no fleet region any more', () => {
    const doc = files.find((f) => f.path === FLEET_DOC_PATH)!;
    expect(doc.region).toBeUndefined();
    expect(doc.content).toMatch(/^<!-- Generated by `pnpm gen` from the inventory/);
    expect(doc.content).toContain(`\`\`\`mermaid\n${fleetMermaid(fleet, componentsFor(fleet))}\`\`\`\n`);
    expect([...doc.content.matchAll(/^## (\w+)$/gm)].map((x) => x[1])).toEqual(['dev', 'staging', 'prod']);
    expect(doc.content).toContain('| `prod-gpu-us-east-1` | us-east-1 | gpu | transcoding 3 · monitoring 5 | `gpu-use1.media.acme-media.net` |');
    expect(files.filter((f) => f.path === 'README.md')).toEqual([]);
    expect(renderFleetDoc(fleet, componentsFor(fleet))).toEqual([doc]);
  });

  it('the committed README.md links docs/fleet.md and has no fleet-diagram markers', async () => {
    const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).not.toContain('GENERATED fleet-diagram');
    expect(readme).toContain('(docs/fleet.md)');
  });

  it('the writer drops the old README region from the ledger and leaves README.md alone', async () => {
    const root = await tempDir('fleet-doc-region');
    temps.push(root);
    const other = { path: 'apps/a.yaml', content: 'a: 1\n' };
    const region = (body: string): { path: string; region: string; content: string } => ({ path: 'README.md', region: 'fleet-diagram', content: body });
    await writeFile(join(root, 'README.md'), '# t\n<!-- BEGIN GENERATED fleet-diagram -->\nold\n<!-- END GENERATED fleet-diagram -->\ntail\n');
    await writeTree(root, [other, region('drawing\n')], { force: false });
    const ledgerHasRegion = async (): Promise<boolean> =>
      [...(await snapshotTree(root)).entries()].some(([p, text]) => p !== 'README.md' && text.includes('README.md#fleet-diagram'));
    expect(await ledgerHasRegion()).toBe(true);

    // The README without the region (its markers replaced by a link), and the new whole file.
    const readme = '# t\nSee [docs/fleet.md](docs/fleet.md) for the fleet drawing (generated).\ntail\n';
    await writeFile(join(root, 'README.md'), readme);
    const next = [other, { path: FLEET_DOC_PATH, content: 'drawing\n' }];
    const r = await writeTree(root, next, { force: false });
    expect(r.created).toEqual([FLEET_DOC_PATH]);
    expect(await ledgerHasRegion()).toBe(false);
    expect(await readFile(join(root, 'README.md'), 'utf8')).toBe(readme);
    expect((await checkTree(root, next)).ok).toBe(true);
    expect((await writeTree(root, next, { force: false })).changed).toBe(0);
  });
});
