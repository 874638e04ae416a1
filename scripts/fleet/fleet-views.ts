// Views of the fleet for people: a table of clusters × stacks with pinned versions, and a Mermaid drawing
// (hub → environments → clusters → stacks). Pure functions of the model.
import type { Component } from '../components/component.ts';
import { baseContextFor, componentsOnCluster } from '../components/placement.ts';
import { STACKS } from '../inventory/schema.ts';
import type { Fleet } from '../model/fleet.ts';

const pad = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
};

/** The systems a cluster runs (its stacks beyond the built-in ones). */
const systemsOn = (fleet: Fleet, c: Fleet['clusters'][number]): string[] => fleet.systems.map((s) => s.name).filter((s) => c.stacks.includes(s));

/** Clusters with their environment, region, capabilities, stacks and systems. */
export const clusterTable = (fleet: Fleet): string =>
  pad([
    ['CLUSTER', 'ENV', 'REGION', 'CAPABILITIES', ...STACKS.map((s) => s.toUpperCase()), ...(fleet.systems.length > 0 ? ['SYSTEMS'] : [])],
    ...fleet.clusters.map((c) => [
      c.name,
      c.environment,
      c.region,
      c.capabilities.join(',') || '-',
      ...STACKS.map((s) => (c.stacks.includes(s) ? 'yes' : '-')),
      ...(fleet.systems.length > 0 ? [systemsOn(fleet, c).join(',') || '-'] : []),
    ]),
  ]);

/** Version pins per image and environment, marking where an environment differs from the one before it. */
export const versionTable = (fleet: Fleet): string => {
  const images = [...new Set(fleet.environments.flatMap((e) => Object.keys(e.versions)))].sort();
  return pad([
    ['IMAGE', ...fleet.environments.map((e) => e.name.toUpperCase())],
    ...images.map((image) => [
      image,
      ...fleet.environments.map((e, i) => {
        const v = e.versions[image] ?? '-';
        const prev = i > 0 ? fleet.environments[i - 1]!.versions[image] : undefined;
        return prev !== undefined && prev !== v ? `${v} *` : v;
      }),
    ]),
  ]);
};

export const fleetText = (fleet: Fleet): string =>
  `${clusterTable(fleet)}\n\n${versionTable(fleet)}\n\n* differs from the previous environment (promotion pending)\n`;

/** Markdown tables, for PR bodies and docs. */
export const fleetMarkdown = (fleet: Fleet): string => {
  const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const clusters = [
    row(['cluster', 'environment', 'region', 'capabilities', ...STACKS, ...(fleet.systems.length > 0 ? ['systems'] : [])]),
    row(['---', '---', '---', '---', ...STACKS.map(() => ':-:'), ...(fleet.systems.length > 0 ? ['---'] : [])]),
    ...fleet.clusters.map((c) =>
      row([
        `\`${c.name}\``,
        c.environment,
        c.region,
        c.capabilities.join(', '),
        ...STACKS.map((s) => (c.stacks.includes(s) ? '✓' : '')),
        ...(fleet.systems.length > 0 ? [systemsOn(fleet, c).join(', ')] : []),
      ]),
    ),
  ];
  return `${clusters.join('\n')}\n`;
};

/** Mermaid flowchart: the Argo CD hub, one subgraph per environment, each cluster with the stacks it runs. */
export const fleetMermaid = (fleet: Fleet, components: readonly Component[]): string => {
  const id = (prefix: string, i: number, j?: number): string => `${prefix}${i}${j === undefined ? '' : `_${j}`}`;
  const lines = ['flowchart LR', '  hub(["Argo CD hub"])'];
  const ctx = baseContextFor(fleet, components);
  fleet.environments.forEach((env, e) => {
    lines.push(`  subgraph ${id('env', e)}["${env.name}"]`);
    fleet.clusters.forEach((c, i) => {
      if (c.environment !== env.name) return;
      const caps = c.capabilities.length > 0 ? `<br/>${c.capabilities.join(', ')}` : '';
      lines.push(`    ${id('c', i)}["${c.name}<br/>${c.region}${caps}"]`);
    });
    lines.push('  end');
  });
  fleet.clusters.forEach((c, i) => {
    lines.push(`  hub --> ${id('c', i)}`);
    c.stacks.forEach((s, j) => {
      const apps = componentsOnCluster(ctx, c, s);
      lines.push(`  ${id('c', i)} --> ${id('s', i, j)}["${s}: ${apps.length} app${apps.length === 1 ? '' : 's'}"]`);
    });
  });
  fleet.environments.forEach((env, e) => {
    if (env.promotesTo) {
      const next = fleet.environments.findIndex((x) => x.name === env.promotesTo);
      if (next >= 0) lines.push(`  ${id('env', e)} -. promote .-> ${id('env', next)}`);
    }
  });
  return `${lines.join('\n')}\n`;
};
