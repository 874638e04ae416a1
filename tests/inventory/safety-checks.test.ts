// Inventory safety checks (issue 18): unique destinations, limits not below requests, DNS-1035 names for what
// becomes a Service, YAML 1.1 readings of unquoted scalars, and the format version. Each case mutates the shipped
// inventory into a violation that must give exactly one issue (file, line, field, message), and into the
// compliant variant next to it, which must parse.
import { beforeAll, describe, expect, it } from 'vitest';
import { formatIssue, InventoryError, type InventoryIssue } from '../../scripts/inventory/errors.ts';
import { parseInventory, type InventorySource } from '../../scripts/inventory/parse-inventory.ts';
import { parseQuantity } from '../../scripts/inventory/quantity.ts';
import { versionProblem, type VersionRange } from '../../scripts/inventory/schema-version.ts';
import { yaml11Problem } from '../../scripts/inventory/yaml11-scalars.ts';
import { formatFieldPath } from '../../scripts/inventory/field-path.ts';
import { parseYamlSource } from '../../scripts/inventory/yaml-source.ts';
import { TEST_CATALOG } from './catalog-fixture.ts';
import { CLUSTERS, defaultSources, DEV, edit, FLEET, lineOf, PROD, replaceNth, replaceOnce, STAGING, textOf, type Mutation } from './helpers.ts';

/** Every issue the inventory has; none when it parses. */
const issuesOf = (sources: readonly InventorySource[]): readonly InventoryIssue[] => {
  try {
    parseInventory(sources, TEST_CATALOG);
    return [];
  } catch (e) {
    if (e instanceof InventoryError) return e.issues;
    throw e;
  }
};

interface SafetyCase {
  readonly name: string;
  readonly bad: Mutation;
  /** The nearest compliant edit: parses without any issue. */
  readonly good: Mutation;
  readonly file: string;
  /** The expected line holds the `nth` occurrence of `find` in the mutated file. */
  readonly find: string;
  readonly nth?: number;
  readonly field: string;
  readonly message: string;
  /** Other issues the violation causes too (a renamed add-on loses its chart catalog): assert only this one. */
  readonly amongOthers?: boolean;
}

const FLEET_APP = (name: string): Mutation =>
  edit(FLEET, (t) => `${t}apps:\n  ${name}:\n    stack: streaming\n    image: nginx\n    port: 8080\n`);

const cases: SafetyCase[] = [
  // 1. Unique destinations
  {
    name: 'prod cluster on the staging cluster (destination name)',
    bad: edit(CLUSTERS, replaceOnce('      name: prod-eu-west-1\n', '      name: staging-eu-west-1\n')),
    good: edit(CLUSTERS, replaceOnce('      name: prod-eu-west-1\n', '      name: prod-eu-west-1-b\n')),
    file: CLUSTERS,
    find: '      name: staging-eu-west-1',
    nth: 2,
    field: 'clusters[2].destination.name',
    message:
      'duplicate destination name "staging-eu-west-1": cluster "staging-eu-west-1" (line 31) already deploys there; ' +
      "two entries on one cluster would overwrite each other's Applications",
  },
  {
    name: 'two clusters on one API server URL (spelled with another case and a trailing slash)',
    bad: edit(CLUSTERS, (t) =>
      replaceOnce('      name: prod-us-east-1\n', '      server: https://API.prod.example.net:6443/\n')(
        replaceOnce('      name: prod-eu-west-1\n', '      server: https://api.prod.example.net:6443\n')(t),
      ),
    ),
    good: edit(CLUSTERS, (t) =>
      replaceOnce('      name: prod-us-east-1\n', '      server: https://api.use1.example.net:6443\n')(
        replaceOnce('      name: prod-eu-west-1\n', '      server: https://api.prod.example.net:6443\n')(t),
      ),
    ),
    file: CLUSTERS,
    find: 'server: https://API.prod',
    field: 'clusters[3].destination.server',
    message: 'duplicate destination server "https://API.prod.example.net:6443/": cluster "prod-eu-west-1"',
  },
  // 2. Limits below requests
  {
    name: 'memory limit below the request (500Mi < 512Mi)',
    bad: edit(PROD, replaceNth('      limits: {memory: 1Gi}', 1, '      limits: {memory: 500Mi}')),
    good: edit(PROD, replaceNth('      limits: {memory: 1Gi}', 1, '      limits: {memory: 512Mi}')),
    file: PROD,
    find: 'limits: {memory: 500Mi}',
    field: 'apps.rtmp-origin.resources.limits.memory',
    message: 'expected a memory limit of at least the request (512Mi), found 500Mi: Kubernetes rejects a limit below its request',
  },
  {
    name: 'cpu limit below the request across units ("1" > 900m)',
    bad: edit(PROD, replaceNth('      limits: {memory: 1Gi}', 1, '      limits: {cpu: 900m, memory: 1Gi}')),
    good: edit(PROD, replaceNth('      limits: {memory: 1Gi}', 1, '      limits: {cpu: 1000m, memory: 1Gi}')),
    file: PROD,
    find: 'limits: {cpu: 900m',
    field: 'apps.rtmp-origin.resources.limits.cpu',
    message: 'expected a cpu limit of at least the request (1), found 900m',
  },
  {
    name: 'ephemeral-storage limit below the request (1000Mi < 1Gi: binary and decimal)',
    bad: edit(PROD, (t) =>
      replaceOnce('      requests: {cpu: "1", memory: 512Mi}', '      requests: {cpu: "1", memory: 512Mi, ephemeral-storage: 1Gi}')(
        replaceNth('      limits: {memory: 1Gi}', 1, '      limits: {memory: 1Gi, ephemeral-storage: 1000Mi}')(t),
      ),
    ),
    good: edit(PROD, (t) =>
      replaceOnce('      requests: {cpu: "1", memory: 512Mi}', '      requests: {cpu: "1", memory: 512Mi, ephemeral-storage: 1.5Gi}')(
        replaceNth('      limits: {memory: 1Gi}', 1, '      limits: {memory: 1Gi, ephemeral-storage: 1536Mi}')(t),
      ),
    ),
    file: PROD,
    find: 'ephemeral-storage: 1000Mi',
    field: 'apps.rtmp-origin.resources.limits.ephemeral-storage',
    message: 'expected a ephemeral-storage limit of at least the request (1Gi), found 1000Mi',
  },
  // 3. DNS-1035 names of what becomes a Service
  {
    name: 'inventory app named 9api (a Service name must start with a letter)',
    bad: FLEET_APP('9api'),
    good: FLEET_APP('api9'),
    file: FLEET,
    find: '  9api:',
    field: 'apps.9api',
    message:
      'invalid key "9api": keys of apps must be a DNS-1035 label, because it becomes a Service name ' +
      "(a lowercase letter first, then lowercase letters, digits or '-', ending alphanumeric, at most 63 characters)",
  },
  {
    name: 'inventory app name of 64 characters',
    bad: FLEET_APP(`a${'b'.repeat(63)}`),
    good: FLEET_APP(`a${'b'.repeat(62)}`),
    file: FLEET,
    find: `  a${'b'.repeat(63)}:`,
    field: `apps.a${'b'.repeat(63)}`,
    message: 'must be a DNS-1035 label, because it becomes a Service name',
  },
  {
    name: 'add-on named with a leading digit (its release name prefixes the chart\'s Services)',
    bad: edit(FLEET, replaceOnce('  cert-manager:\n', '  9cert-manager:\n')),
    good: (s) => [...s],
    file: FLEET,
    find: '  9cert-manager:',
    field: 'addons.9cert-manager',
    message: 'invalid key "9cert-manager": keys of addons must be a DNS-1035 label',
    amongOthers: true,
  },
  // 4. YAML 1.1 readings
  {
    name: 'unquoted on (a YAML 1.1 boolean) as a string value',
    bad: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: on')),
    good: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: "on"')),
    file: FLEET,
    find: 'targetRevision: on',
    field: 'git.targetRevision',
    message: 'YAML 1.1 tools (go-yaml v2, PyYAML) read unquoted on as the boolean true: write "on" (quoted) for the string, or true for a boolean',
  },
  {
    name: 'unquoted NO (case variant)',
    bad: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: NO')),
    good: edit(FLEET, replaceOnce('  targetRevision: main', "  targetRevision: 'NO'")),
    file: FLEET,
    find: 'targetRevision: NO',
    field: 'git.targetRevision',
    message: 'read unquoted NO as the boolean false',
  },
  {
    name: 'unquoted 1:20 (YAML 1.1 base 60)',
    bad: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: 1:20')),
    good: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: "1:20"')),
    file: FLEET,
    find: 'targetRevision: 1:20',
    field: 'git.targetRevision',
    message: 'read unquoted 1:20 as the number 80 (base 60): write "1:20" (quoted) for the string, or 80 for a number',
  },
  {
    name: 'unquoted 1_000 (YAML 1.1 digit separators)',
    bad: edit(FLEET, replaceOnce('  clusterSecretPrefix: argocd/clusters', '  clusterSecretPrefix: 1_000')),
    good: edit(FLEET, replaceOnce('  clusterSecretPrefix: argocd/clusters', '  clusterSecretPrefix: "1_000"')),
    file: FLEET,
    find: 'clusterSecretPrefix: 1_000',
    field: 'argocd.clusterSecretPrefix',
    message: 'read unquoted 1_000 as the number 1000 (digit separators)',
  },
  {
    name: 'unquoted date (a YAML 1.1 timestamp)',
    bad: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: 2026-01-31')),
    good: edit(FLEET, replaceOnce('  targetRevision: main', '  targetRevision: "2026-01-31"')),
    file: FLEET,
    find: 'targetRevision: 2026',
    field: 'git.targetRevision',
    message: 'read unquoted 2026-01-31 as a timestamp',
  },
  {
    name: 'integer with a leading zero (010: 10 in YAML 1.2, 8 in YAML 1.1)',
    bad: edit(PROD, replaceNth('      maxReplicas: 12', 1, '      maxReplicas: 010')),
    good: edit(PROD, replaceNth('      maxReplicas: 12', 1, '      maxReplicas: 10')),
    file: PROD,
    find: 'maxReplicas: 010',
    field: 'apps.rtmp-origin.autoscaling.maxReplicas',
    message: 'read 010 as the number 8 (octal), YAML 1.2 (this loader) as 10: write 10',
  },
  {
    name: 'a mapping key y (a YAML 1.1 boolean key)',
    bad: edit(FLEET, replaceOnce('  k6:\n', '  y:\n    repository: docker.io/library/y\n  k6:\n')),
    good: edit(FLEET, replaceOnce('  k6:\n', '  "y":\n    repository: docker.io/library/y\n  k6:\n')),
    file: FLEET,
    find: '  y:',
    field: 'images.y',
    message: 'read unquoted y as the boolean true',
  },
  {
    name: 'yes against a boolean field: the schema issue only, not a second one',
    bad: edit(DEV, replaceOnce('  prune: true', '  prune: yes')),
    good: edit(DEV, replaceOnce('  prune: true', '  prune: false')),
    file: DEV,
    find: 'prune: yes',
    field: 'syncPolicy.prune',
    message: 'expected boolean (true or false), found "yes"',
  },
  // 5. schemaVersion
  {
    name: 'a file without schemaVersion',
    bad: edit(CLUSTERS, replaceOnce('schemaVersion: 1\n', '')),
    good: edit(CLUSTERS, replaceOnce('schemaVersion: 1\n', 'schemaVersion: 1 # format\n')),
    file: CLUSTERS,
    find: 'clusters:',
    field: 'schemaVersion',
    message: 'missing required field "schemaVersion": add "schemaVersion: 1" as the file\'s first field',
  },
  {
    name: 'a file from a newer streamfleet: one issue, not one per unknown field',
    bad: edit(STAGING, (t) => `${replaceOnce('schemaVersion: 1\n', 'schemaVersion: 2\n')(t)}rollout: {waves: 3}\n`),
    good: (s) => [...s],
    file: STAGING,
    find: 'schemaVersion: 2',
    field: 'schemaVersion',
    message: 'written by a newer streamfleet (format 2, this one reads 1–1): upgrade streamfleet to read it',
  },
  {
    name: 'a format that was never released',
    bad: edit(FLEET, replaceOnce('schemaVersion: 1\n', 'schemaVersion: 0\n')),
    good: (s) => [...s],
    file: FLEET,
    find: 'schemaVersion: 0',
    field: 'schemaVersion',
    message: 'format 0 was never released (this streamfleet reads 1–1): write schemaVersion: 1',
  },
  {
    name: 'a quoted schemaVersion',
    bad: edit(DEV, replaceOnce('schemaVersion: 1\n', 'schemaVersion: "1"\n')),
    good: (s) => [...s],
    file: DEV,
    find: 'schemaVersion: "1"',
    field: 'schemaVersion',
    message: 'expected integer, found "1" (remove the quotes)',
  },
];

describe('inventory safety checks', () => {
  let base: InventorySource[] = [];
  beforeAll(async () => {
    base = await defaultSources();
  });

  it('the shipped inventory has none of these issues', () => {
    expect(issuesOf(base).map(formatIssue)).toEqual([]);
  });

  it.each(cases)('$name', (c) => {
    const mutated = c.bad(base);
    const issues = issuesOf(mutated);
    const shown = `got:\n${issues.map(formatIssue).join('\n')}`;
    const match = issues.filter((i) => i.file === c.file && i.field === c.field && i.message.includes(c.message));
    expect(match, shown).toHaveLength(1);
    expect(match[0]?.line, shown).toBe(lineOf(textOf(mutated, c.file), c.find, c.nth));
    if (c.amongOthers !== true) expect(issues, shown).toHaveLength(1);
    expect(issuesOf(c.good(base)).map(formatIssue)).toEqual([]);
  });
});

describe('parseQuantity (nano units, rounded up like the API server)', () => {
  const NANO = 10n ** 9n;
  it.each([
    ['1', NANO],
    ['250m', 250n * 10n ** 6n],
    ['0.5', NANO / 2n],
    ['.5', NANO / 2n],
    ['1.', NANO],
    ['1k', 1000n * NANO],
    ['1Ki', 1024n * NANO],
    ['512Mi', 512n * 2n ** 20n * NANO],
    ['1.5Gi', 3n * 2n ** 29n * NANO],
    ['2Ti', 2n * 2n ** 40n * NANO],
    ['1M', 10n ** 6n * NANO],
    ['3G', 3n * 10n ** 9n * NANO],
    ['1T', 10n ** 12n * NANO],
    ['1e3', 1000n * NANO],
    ['1E-3', 10n ** 6n],
    ['100n', 100n],
    ['0.1n', 1n],
    ['+2', 2n * NANO],
    ['-1m', -(10n ** 6n)],
  ])('%s', (text, nanos) => {
    expect(parseQuantity(text)).toBe(nanos);
  });

  it.each(['', '.', 'Mi', '1Mb', '1 Gi', '1.2.3', 'one', '1ki', '0x10', '1e999999'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });

  it('orders what text comparison gets wrong', () => {
    const q = (t: string): bigint => parseQuantity(t) ?? -1n;
    expect(q('1Gi') > q('1000Mi')).toBe(true);
    expect(q('1G') < q('1Gi')).toBe(true);
    expect(q('0.5')).toBe(q('500m'));
    expect(q('1536Mi')).toBe(q('1.5Gi'));
    expect(q('900m') < q('1')).toBe(true);
  });
});

describe('yaml11Problem', () => {
  it.each([
    ['on', 'as the boolean true'],
    ['Off', 'as the boolean false'],
    ['y', 'as the boolean true'],
    ['N', 'as the boolean false'],
    ['yes', 'as the boolean true'],
    ['NO', 'as the boolean false'],
    ['1_000', 'as the number 1000 (digit separators)'],
    ['1:20', 'as the number 80 (base 60)'],
    ['2001-12-14', 'as a timestamp'],
  ])('string %s', (text, words) => {
    expect(yaml11Problem({ text, value: text })).toContain(`read unquoted ${text} ${words}`);
  });

  it.each([
    ['010', 10, 'as the number 8 (octal), YAML 1.2 (this loader) as 10: write 10'],
    ['0o17', 15, 'as the string "0o17"'],
  ])('number %s', (text, value, words) => {
    expect(yaml11Problem({ text, value })).toContain(`read ${text} ${words}`);
  });

  it.each([
    ['nginx', 'nginx'],
    ['eu-west-1', 'eu-west-1'],
    ['250m', '250m'],
    ['1.27.3', '1.27.3'],
    ['10', 10],
    ['1.5', 1.5],
    ['0x1F', 31],
    ['true', true],
    ['null', null],
  ])('agrees on %s', (text, value) => {
    expect(yaml11Problem({ text, value })).toBeUndefined();
  });
});

describe('versionProblem', () => {
  const range: VersionRange = { oldest: 2, current: 3, migrations: new Map([[1, 'run `pnpm inventory:migrate 1`']]) };
  it('names the upgrade for a newer format', () => {
    expect(versionProblem(4, range)).toBe('written by a newer streamfleet (format 4, this one reads 2–3): upgrade streamfleet to read it');
  });
  it('names the migration for a retired format', () => {
    expect(versionProblem(1, range)).toBe('written in format 1, which this streamfleet no longer reads (it reads 2–3): run `pnpm inventory:migrate 1`');
  });
  it('accepts the range', () => {
    expect([2, 3].map((v) => versionProblem(v, range))).toEqual([undefined, undefined]);
  });
});

describe('YamlSource.plainScalars', () => {
  it('lists unquoted keys and values with their paths and positions, not quoted ones', () => {
    const source = parseYamlSource('f.yaml', 'a: on\n"b": "off"\nc:\n  - 010\n  - \'y\'\nd: {e: 1_000}\n');
    expect(source.plainScalars().map((s) => [formatFieldPath(s.path), s.target, s.text, s.value, s.line, s.col])).toEqual([
      ['a', 'key', 'a', 'a', 1, 1],
      ['a', 'value', 'on', 'on', 1, 4],
      ['c', 'key', 'c', 'c', 3, 1],
      ['c[0]', 'value', '010', 10, 4, 5],
      ['d', 'key', 'd', 'd', 6, 1],
      ['d.e', 'key', 'e', 'e', 6, 5],
      ['d.e', 'value', '1_000', '1_000', 6, 8],
    ]);
  });
});
