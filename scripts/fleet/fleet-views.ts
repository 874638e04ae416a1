// Views of the fleet for people: a table of clusters × stacks with pinned versions, and a Mermaid drawing
// (environments in promotion order, a node per cluster). Pure functions of the model.
import type { BaseContext, Component } from '../components/component.ts';
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

/**
 * Environments in promotion order, each with its clusters by name: the grouping every fleet view shows. The model
 * already lists them so; sorting again keeps a view right for a model built by hand (tests, synthesised fleets).
 */
export const clustersByEnvironment = (
  fleet: Pick<Fleet, 'environments' | 'clusters'>,
): { readonly environment: Fleet['environments'][number]; readonly clusters: Fleet['clusters'][number][] }[] =>
  [...fleet.environments]
    .sort((a, b) => a.order - b.order)
    .map((environment) => ({
      environment,
      clusters: fleet.clusters.filter((c) => c.environment === environment.name).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    }));

/**
 * A Mermaid id derived from a name, so that adding or removing a cluster changes only that cluster's line (list
 * indexes would renumber every later node). Ids keep [A-Za-z0-9_] only: a `-` in an id can read as part of an arrow,
 * and the prefix keeps any name (even `end`, which closes a subgraph) from being a keyword.
 * Checked: mermaid-js/mermaid @ mermaid@11.14.0 : packages/mermaid/src/docs/syntax/flowchart.md (warnings on "end" and
 * on ids after links; `subgraph id [text]`; edges to subgraphs; "Direction in subgraphs"; entity codes `#quot;`) and
 * packages/mermaid/src/diagrams/flowchart/parser/flow.jison (`subgraph SPACE textNoTags SQS text SQE`).
 */
export const mermaidId = (prefix: 'env' | 'c', name: string): string => `${prefix}_${name.replace(/[^A-Za-z0-9]/g, '_')}`;

/** Text inside a quoted Mermaid label: quotes and HTML-significant characters as entity codes (flowchart.md). */
const labelText = (s: string): string => s.replace(/&/g, '#amp;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');

/** A cluster's stacks with the number of apps each runs there, e.g. `streaming 8 · monitoring 5`. */
export const stacksSummary = (ctx: BaseContext, c: Fleet['clusters'][number]): string =>
  c.stacks.map((s) => `${s} ${componentsOnCluster(ctx, c, s).length}`).join(' · ');

/**
 * Mermaid flowchart, left to right: one subgraph per environment in promotion order inside the Argo CD hub's box, each
 * cluster one node (name, region and capabilities, its stacks with their app counts), and one dotted edge per
 * promotion step. No edge per cluster or stack, so nothing crosses and twenty clusters stay a column per environment;
 * clusters are linked to nothing, so each environment keeps the inherited LR direction (a column of nodes).
 */
export const fleetMermaid = (fleet: Fleet, components: readonly Component[]): string => {
  const ctx = baseContextFor(fleet, components);
  const groups = clustersByEnvironment(fleet);
  const environments = groups.map((g) => g.environment);
  const lines = ['flowchart LR', '  subgraph hub["Argo CD hub: syncs every cluster"]'];
  for (const { environment: env, clusters } of groups) {
    lines.push(`    subgraph ${mermaidId('env', env.name)}["${labelText(env.name)}"]`);
    // An empty subgraph would render as a bare node named by its id.
    if (clusters.length === 0) lines.push(`      ${mermaidId('env', env.name)}_none["no clusters"]`);
    for (const c of clusters) {
      const where = [c.region, ...c.capabilities].join(' · ');
      lines.push(`      ${mermaidId('c', c.name)}["${labelText(c.name)}<br/>${labelText(where)}<br/>${labelText(stacksSummary(ctx, c))}"]`);
    }
    lines.push('    end');
  }
  lines.push('  end');
  for (const env of environments) {
    if (env.promotesTo !== undefined && environments.some((x) => x.name === env.promotesTo)) {
      lines.push(`  ${mermaidId('env', env.name)} -. promote .-> ${mermaidId('env', env.promotesTo)}`);
    }
  }
  return `${lines.join('\n')}\n`;
};
