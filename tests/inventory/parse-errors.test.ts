// One case per inventory error: mutate the shipped inventory a little, then assert the exact file,
// line, field and message of the issue it causes. Expected lines are computed from the mutated text
// (the line holding a marker), so the cases keep asserting exact positions when the shipped
// inventory gains or loses lines elsewhere.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, sortIssues } from '../../scripts/inventory/errors.ts';
import type { InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import type { CatalogEntry } from '../../scripts/model/fleet.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import {
  addFile,
  CLUSTERS,
  compose,
  defaultSources,
  DEV,
  edit,
  FLEET,
  inventoryError,
  lineOf,
  PROD,
  removeFile,
  renameFile,
  replaceNth,
  replaceOnce,
  STAGING,
  textOf,
  type Mutation,
} from './helpers.ts';

/** Where the expected issue is: a fixed line, or the line of the n-th `find` in the file's mutated text. */
/** A line number, or the line where `find` starts (its `nth` occurrence), plus `offset` lines. */
type LineSpec = number | { readonly find: string; readonly nth?: number; readonly offset?: number };

interface ErrorCase {
  readonly name: string;
  readonly mutate: Mutation;
  readonly catalog?: readonly CatalogEntry[];
  readonly file: string;
  readonly line: LineSpec;
  readonly col?: number;
  readonly field: string;
  /** Substring of the message; a function when it mentions a computed line. */
  readonly message: string | ((mutated: readonly InventorySource[]) => string);
}

const ENVS = 'inventory/environments';
const LONG_NAME = `prod-${'a'.repeat(50)}`; // 55 chars: a valid label, but `<name>-transcoding` is 67

const cases: ErrorCase[] = [
  {
    name: 'misspelled key, with suggestion',
    mutate: edit(STAGING, replaceOnce('    replicas: 2\n  edge-cache', '    replcas: 2\n  edge-cache')),
    file: STAGING,
    line: { find: 'replcas:' },
    col: 5,
    field: 'apps.rtmp-origin.replcas',
    message: 'unknown field "replcas" (did you mean "replicas"?)',
  },
  {
    name: 'bad enum value, with suggestion',
    mutate: edit(CLUSTERS, replaceNth('loadBalancer: aws-nlb', 1, 'loadBalancer: aws-nbl')),
    file: CLUSTERS,
    line: { find: 'aws-nbl' },
    field: 'clusters[1].loadBalancer',
    message: 'expected one of aws-nlb, gcp-l4, azure-lb, metallb, klipper, found "aws-nbl" (did you mean "aws-nlb"?)',
  },
  {
    name: 'unquoted version 1.10 read as a number',
    mutate: edit(DEV, replaceOnce('  xiu: "0.13.0"', '  xiu: 1.10')),
    file: DEV,
    line: { find: 'xiu: 1.10' },
    col: 8,
    field: 'versions.xiu',
    message: 'expected a quoted string: YAML reads 1.10 as the number 1.1; write "1.10"',
  },
  {
    name: 'version pinned to latest',
    mutate: edit(PROD, replaceOnce('  nginx: "1.27.3-alpine"', '  nginx: latest')),
    file: PROD,
    line: { find: 'nginx: latest' },
    field: 'versions.nginx',
    message: 'expected a version pin: an image tag, not "latest", optionally followed by @sha256:<64 hex digits>, found "latest"',
  },
  {
    name: 'uppercase cluster name',
    mutate: edit(CLUSTERS, replaceOnce('  - name: dev-k3d', '  - name: Dev-K3d')),
    file: CLUSTERS,
    line: { find: 'Dev-K3d' },
    col: 11,
    field: 'clusters[0].name',
    message: `expected a DNS-1123 label (lowercase letters, digits and '-', starting and ending alphanumeric, at most 63 characters), found "Dev-K3d"`,
  },
  {
    name: 'duplicate cluster name',
    mutate: edit(CLUSTERS, replaceOnce('  - name: prod-us-east-1', '  - name: prod-eu-west-1')),
    file: CLUSTERS,
    line: { find: '- name: prod-eu-west-1', nth: 2 },
    field: 'clusters[3].name',
    message: (m) =>
      `duplicate cluster name "prod-eu-west-1": already defined at line ${lineOf(textOf(m, CLUSTERS), '- name: prod-eu-west-1')}`,
  },
  {
    name: 'cluster names equal ignoring case',
    mutate: edit(CLUSTERS, replaceOnce('  - name: prod-us-east-1', '  - name: PROD-eu-west-1')),
    file: CLUSTERS,
    line: { find: 'PROD-eu-west-1' },
    field: 'clusters[3].name',
    message: (m) =>
      `cluster name "PROD-eu-west-1" differs only in case from "prod-eu-west-1" at line ${lineOf(textOf(m, CLUSTERS), '- name: prod-eu-west-1')}`,
  },
  {
    name: 'unknown environment, with suggestion',
    mutate: edit(CLUSTERS, replaceOnce('environment: staging', 'environment: stagng')),
    file: CLUSTERS,
    line: { find: 'environment: stagng' },
    col: 18,
    field: 'clusters[1].environment',
    message: 'unknown environment "stagng" (did you mean "staging"?)',
  },
  {
    name: 'derived Application name longer than 63 characters',
    mutate: edit(CLUSTERS, replaceOnce('  - name: prod-gpu-us-east-1', `  - name: ${LONG_NAME}`)),
    file: CLUSTERS,
    line: { find: LONG_NAME },
    field: 'clusters[4].name',
    message: `derived Argo CD Application name "${LONG_NAME}-transcoding" is 67 characters, more than 63`,
  },
  {
    name: 'promotion cycle',
    mutate: edit(PROD, replaceOnce('syncPolicy:', 'promotesTo: dev\nsyncPolicy:')),
    file: DEV,
    line: { find: 'promotesTo: staging' },
    field: 'promotesTo',
    message: 'promotion order has a cycle: dev → staging → prod → dev',
  },
  {
    name: 'promotion gap: two first environments',
    mutate: edit(STAGING, replaceOnce('promotesTo: prod\n', '')),
    file: PROD,
    line: 1,
    col: 1,
    field: '(root)',
    message: 'promotion order has a gap: no environment promotes to "prod", so it is not reachable from the first environment "dev"',
  },
  {
    name: 'promotesTo an unknown environment',
    mutate: edit(DEV, replaceOnce('promotesTo: staging', 'promotesTo: stagign')),
    file: DEV,
    line: { find: 'promotesTo: stagign' },
    col: 13,
    field: 'promotesTo',
    message: 'unknown environment "stagign" (did you mean "staging"?)',
  },
  {
    name: 'environment promotes to itself',
    mutate: edit(PROD, replaceOnce('syncPolicy:', 'promotesTo: prod\nsyncPolicy:')),
    file: PROD,
    line: { find: 'promotesTo: prod' },
    field: 'promotesTo',
    message: 'environment "prod" promotes to itself',
  },
  {
    name: 'two environments promote to the same one',
    mutate: edit(DEV, replaceOnce('promotesTo: staging', 'promotesTo: prod')),
    file: STAGING,
    line: { find: 'promotesTo: prod' },
    field: 'promotesTo',
    message: '"prod" is already promoted to from "dev"',
  },
  {
    name: 'environment without a cluster',
    mutate: compose(
      edit(PROD, replaceOnce('syncPolicy:', 'promotesTo: qa\nsyncPolicy:')),
      (s) => addFile(`${ENVS}/qa.yaml`, textOf(s, PROD).replace(/promotesTo: .*\n/, ''))(s),
    ),
    file: `${ENVS}/qa.yaml`,
    line: 1,
    col: 1,
    field: '(root)',
    message: 'no cluster belongs to environment "qa"',
  },
  {
    name: 'empty fleet (no clusters)',
    mutate: edit(CLUSTERS, (t) => `${t.slice(0, t.indexOf('clusters:'))}clusters: []\n`),
    file: CLUSTERS,
    line: { find: 'clusters: []' },
    col: 1,
    field: 'clusters',
    message: 'the fleet has no clusters',
  },
  {
    name: 'missing required field (points at the parent mapping)',
    mutate: edit(CLUSTERS, replaceNth('    region: us-east-1\n', 1, '')),
    file: CLUSTERS,
    line: { find: '- name: prod-us-east-1' },
    col: 5,
    field: 'clusters[3].region',
    message: 'missing required field "region"',
  },
  {
    name: 'YAML syntax error',
    mutate: edit(DEV, replaceOnce('  selfHeal: true', '  selfHeal: "true')),
    file: DEV,
    line: { find: 'selfHeal: "true' },
    field: 'syncPolicy.selfHeal',
    message: 'a value opens a " quote that is never closed: add the closing " at the end of the value',
  },
  {
    name: 'duplicate YAML key',
    mutate: edit(DEV, replaceOnce('  prune: true\n', '  prune: true\n  prune: false\n')),
    file: DEV,
    line: { find: 'prune: false' },
    col: 3,
    field: 'syncPolicy.prune',
    message: (m) => `\`prune:\` is set twice among the keys under \`syncPolicy:\` (first on line ${lineOf(textOf(m, DEV), 'prune: true')})`,
  },
  {
    name: 'image used by a cluster of the environment but not pinned',
    mutate: edit(PROD, replaceOnce('  ffmpeg-worker-cuda: "1.4.2"\n', '')),
    file: PROD,
    line: { find: 'versions:' },
    col: 1,
    field: 'versions',
    message: 'missing version pin for ffmpeg-worker-cuda (run by transcode-worker-gpu on prod-gpu-us-east-1)',
  },
  {
    name: 'version pin for an image the fleet does not define',
    mutate: edit(STAGING, replaceOnce('versions:\n', 'versions:\n  prometheuss: "v3.1.0"\n')),
    file: STAGING,
    line: { find: 'prometheuss' },
    col: 3,
    field: 'versions.prometheuss',
    message: 'unknown image "prometheuss" (did you mean "prometheus"?)',
  },
  {
    name: 'settings for an app the catalog does not have',
    mutate: edit(STAGING, replaceOnce('  transcode-api:\n', '  transcode-apii:\n')),
    file: STAGING,
    line: { find: 'transcode-apii:' },
    col: 3,
    field: 'apps.transcode-apii',
    message: 'unknown app "transcode-apii" (did you mean "transcode-api"?)',
  },
  {
    name: 'replicas and autoscaling both set',
    mutate: edit(STAGING, replaceOnce('  edge-cache:\n', '  edge-cache:\n    replicas: 3\n')),
    file: STAGING,
    line: { find: 'replicas: 3' },
    field: 'apps.edge-cache.replicas',
    message: 'set either replicas or autoscaling, not both',
  },
  {
    name: 'minReplicas greater than maxReplicas',
    mutate: edit(STAGING, replaceOnce('minReplicas: 2\n      maxReplicas: 4', 'minReplicas: 7\n      maxReplicas: 4')),
    file: STAGING,
    line: { find: 'minReplicas: 7' },
    field: 'apps.edge-cache.autoscaling.minReplicas',
    message: 'expected minReplicas ≤ maxReplicas, found minReplicas 7 > maxReplicas 4',
  },
  {
    name: 'replicas on an app that cannot scale',
    catalog: TEST_CATALOG.map((c) => (c.name === 'prometheus' ? { ...c, scalable: false } : c)),
    mutate: (s) => [...s],
    file: PROD,
    line: { find: '  prometheus:\n    replicas: 2', offset: 1 },
    field: 'apps.prometheus.replicas',
    message: 'app "prometheus" is not scalable',
  },
  {
    name: 'missing clusters.yaml',
    mutate: removeFile(CLUSTERS),
    file: CLUSTERS,
    line: 0,
    col: 0,
    field: '(file)',
    message: 'missing file',
  },
  {
    name: 'missing fleet.yaml',
    mutate: removeFile(FLEET),
    file: FLEET,
    line: 0,
    col: 0,
    field: '(file)',
    message: 'missing file',
  },
  {
    name: 'no environment files',
    mutate: compose(removeFile(DEV), removeFile(STAGING), removeFile(PROD)),
    file: ENVS,
    line: 0,
    col: 0,
    field: '(directory)',
    message: 'no environments',
  },
  {
    name: 'environment file name is not a DNS-1123 label',
    mutate: renameFile(PROD, `${ENVS}/Prod.yaml`),
    file: `${ENVS}/Prod.yaml`,
    line: 1,
    col: 1,
    field: '(file name)',
    message: 'expected the environment name (the file name without .yaml) to be a DNS-1123 label',
  },
  {
    name: 'record key that is not a DNS-1123 label',
    mutate: edit(FLEET, replaceOnce('  nginx:\n', '  Nginx_Edge:\n')),
    file: FLEET,
    line: { find: 'Nginx_Edge' },
    col: 3,
    field: 'images.Nginx_Edge',
    message: 'invalid key "Nginx_Edge": keys of images must be a DNS-1123 label',
  },
  {
    name: 'wrong type',
    mutate: edit(STAGING, replaceOnce('  automated: true', '  automated: sometimes')),
    file: STAGING,
    line: { find: 'automated: sometimes' },
    col: 14,
    field: 'syncPolicy.automated',
    message: 'expected boolean (true or false), found "sometimes"',
  },
  {
    name: 'quoted integer',
    mutate: edit(PROD, replaceOnce('  prometheus:\n    replicas: 2', '  prometheus:\n    replicas: "2"')),
    file: PROD,
    line: { find: 'replicas: "2"' },
    field: 'apps.prometheus.replicas',
    message: 'expected integer, found "2" (remove the quotes)',
  },
  {
    name: 'unquoted number where a quantity string is expected',
    mutate: edit(DEV, replaceOnce('{cpu: 100m', '{cpu: 1')),
    file: DEV,
    line: { find: '{cpu: 1,' },
    field: 'apps.rtmp-origin.resources.requests.cpu',
    message: 'expected a quoted string: YAML reads 1 as the number 1; write "1"',
  },
  {
    name: 'quantity in the wrong shape',
    mutate: edit(DEV, replaceOnce('memory: 128Mi', 'memory: 128MB')),
    file: DEV,
    line: { find: '128MB' },
    field: 'apps.rtmp-origin.resources.requests.memory',
    message: 'expected a Kubernetes quantity such as "250m", "1" or "512Mi", found "128MB"',
  },
  {
    name: 'destination with both server and name',
    mutate: edit(CLUSTERS, replaceOnce('      name: dev-k3d\n', '      name: dev-k3d\n      server: https://k3d.local\n')),
    file: CLUSTERS,
    line: { find: '      name: dev-k3d' },
    field: 'clusters[0].destination',
    message: 'expected exactly one of server and name, found name and server',
  },
  {
    name: 'stack listed twice',
    mutate: edit(CLUSTERS, replaceOnce('stacks: [transcoding, monitoring]', 'stacks: [transcoding, monitoring, transcoding]')),
    file: CLUSTERS,
    line: { find: 'stacks: [transcoding, monitoring, transcoding]' },
    col: 39,
    field: 'clusters[4].stacks[2]',
    message: 'duplicate item "transcoding": already listed at clusters[4].stacks[0]',
  },
  {
    name: 'environment file with the .yml extension',
    mutate: renameFile(PROD, `${ENVS}/prod.yml`),
    file: `${ENVS}/prod.yml`,
    line: 0,
    col: 0,
    field: '(file)',
    message: 'environment files end in .yaml; rename to prod.yaml',
  },
  {
    name: 'file that is not part of the inventory',
    mutate: addFile('inventory/notes.yaml', 'a: 1\n'),
    file: 'inventory/notes.yaml',
    line: 0,
    col: 0,
    field: '(file)',
    message: 'not an inventory file',
  },
];

describe('inventory errors', () => {
  let base: InventorySource[] = [];
  beforeAll(async () => {
    base = await defaultSources();
  });

  it.each(cases)('$name', (c) => {
    const mutated = c.mutate(base);
    const err = inventoryError(mutated, c.catalog);
    const expectedLine =
      typeof c.line === 'number' ? c.line : lineOf(textOf(mutated, c.file), c.line.find, c.line.nth) + (c.line.offset ?? 0);
    const message = typeof c.message === 'string' ? c.message : c.message(mutated);
    const match = err.issues.find(
      (i) => i.file === c.file && i.field === c.field && i.message.includes(message),
    );
    // On failure, show every issue: the difference is usually obvious from the full list.
    expect(match, `no such issue; got:\n${err.issues.map(formatIssue).join('\n')}`).toBeDefined();
    expect(match?.line).toBe(expectedLine);
    if (c.col !== undefined) expect(match?.col).toBe(c.col);
  });

  it('reports a misspelled required key once, not also as missing', () => {
    const mutated = edit(CLUSTERS, replaceNth('    region: us-east-1', 1, '    regoin: us-east-1'))(base);
    const line = lineOf(textOf(mutated, CLUSTERS), 'regoin');
    expect(inventoryError(mutated).issues.map(formatIssue)).toEqual([
      `${CLUSTERS}:${line}:5 clusters[3].regoin: unknown field "regoin" (did you mean "region"?)`,
    ]);
  });

  it('reports problems in several files at once, sorted by file and position', () => {
    const mutated = compose(
      edit(PROD, replaceOnce('  nginx: "1.27.3-alpine"', '  nginx: latest')),
      edit(FLEET, replaceOnce('targetRevision: main', 'targetRevison: main')),
      edit(CLUSTERS, replaceOnce('environment: staging', 'environment: stagng')),
      edit(DEV, replaceOnce('  xiu: "0.13.0"', '  xiu: 1.10')),
      edit(DEV, replaceOnce('  prune: true', '  prune: yes')),
    )(base);
    const err = inventoryError(mutated);
    const files = err.issues.map((i) => i.file);
    for (const f of [CLUSTERS, DEV, FLEET, PROD]) expect(files).toContain(f);
    expect(err.issues).toEqual(sortIssues(err.issues));
    const devLines = err.issues.filter((i) => i.file === DEV).map((i) => i.line);
    expect(devLines).toEqual([lineOf(textOf(mutated, DEV), 'prune: yes'), lineOf(textOf(mutated, DEV), 'xiu: 1.10')]);
    // The message lists the issues in the same order, one per line.
    expect(err.message.split('\n').slice(1)).toEqual(err.issues.map((i) => `  ${formatIssue(i)}`));
  });
});
