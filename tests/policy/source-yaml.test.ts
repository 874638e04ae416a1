// A key repeated in a resource file makes Kustomize refuse the build with a message that names no file; validate
// blames the file, line and key (`schema/yaml`) next to `kustomize/build-failed`. The table runs the real
// Kustomize on a small tree (a base shared by an Application folder), then the same check validate runs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { BuildCache } from '../../scripts/kustomize/build-cache.ts';
import { detectEngine } from '../../scripts/kustomize/engine.ts';
import { renderPaths } from '../../scripts/kustomize/render-applications.ts';
import type { Fleet } from '../../scripts/model/fleet.ts';
import { checkApplications } from '../../scripts/policy/check-applications.ts';
import { repeatedKeys } from '../../scripts/policy/source-yaml.ts';
import type { Finding } from '../../scripts/policy/types.ts';
import { SchemaRegistry } from '../../scripts/schemas/registry.ts';
import { DEFAULT_INVENTORY, loadFleet, removeDir, tempDir } from '../support/fleet.ts';

const CONFIG_MAP = (data: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n  namespace: streaming\ndata:\n${data}`;

interface Case {
  readonly name: string;
  /** Files of the tree besides the Application's kustomization (`clusters/x/app`, which includes `base/app`). */
  readonly files: Readonly<Record<string, string>>;
  /** The `schema/yaml` findings expected: file, line, field. */
  readonly expected: ReadonlyArray<{ file: string; line: number; field: string }>;
  /** Whether Kustomize builds it. */
  readonly builds: boolean;
}

const BASE_KUSTOMIZATION = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - config.yaml\n  - worker.yaml\n';
const WORKER = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: worker\n  namespace: streaming\ndata:\n  MODE: batch\n';

const CASES: readonly Case[] = [
  {
    name: 'a key repeated in a base file: the base file, the line of the second key, the key',
    files: { 'base/app/config.yaml': CONFIG_MAP('  LOG_LEVEL: info\n  LOG_LEVEL: debug\n') },
    expected: [{ file: 'base/app/config.yaml', line: 8, field: 'data.LOG_LEVEL' }],
    builds: false,
  },
  {
    name: 'a key repeated in the second document of a base file, nested in a list',
    files: {
      'base/app/worker.yaml': `${WORKER}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: worker\n  namespace: streaming\nspec:\n  ports:\n    - name: http\n      port: 80\n      port: 8080\n`,
    },
    expected: [{ file: 'base/app/worker.yaml', line: 18, field: 'spec.ports[0].port' }],
    builds: false,
  },
  {
    name: 'the compliant file: builds, nothing to blame',
    files: {},
    expected: [],
    builds: true,
  },
];

describe('a key repeated in a source file is blamed on that file, line and key', () => {
  let fleet: Fleet;
  const registry = new SchemaRegistry();
  const roots: string[] = [];

  beforeAll(async () => {
    fleet = await loadFleet(DEFAULT_INVENTORY);
  });
  afterAll(async () => {
    for (const r of roots) await removeDir(r);
  });

  it.each(CASES)('$name', async (c) => {
    const root = await tempDir('source-yaml');
    roots.push(root);
    const files: Record<string, string> = {
      'base/app/kustomization.yaml': BASE_KUSTOMIZATION,
      'base/app/config.yaml': CONFIG_MAP('  LOG_LEVEL: info\n'),
      'base/app/worker.yaml': WORKER,
      'clusters/x/app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../../base/app\n',
      ...c.files,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), text);
    }
    const [render] = await renderPaths(root, await detectEngine(), ['clusters/x/app'], { cache: new BuildCache(undefined) });
    expect(render?.ok).toBe(c.builds);
    const target = { name: 'x-app', path: 'clusters/x/app', project: 'streaming', destination: 'x', namespace: 'streaming' };
    const checked = await checkApplications(root, fleet, registry, [{ target, render: render! }]);
    const findings: Finding[] = checked.applications.flatMap((a) => a.findings);
    expect(findings.filter((f) => f.rule === 'schema/yaml').map((f) => ({ file: f.file, line: f.line, field: f.field }))).toEqual(c.expected);
    if (!c.builds) {
      // Kustomize's own message stays, on the Application's kustomization: it names no file.
      expect(findings.find((f) => f.rule === 'kustomize/build-failed')).toMatchObject({ file: 'clusters/x/app/kustomization.yaml', blocking: true });
      expect(findings.find((f) => f.rule === 'schema/yaml')).toMatchObject({ blocking: true, message: expect.stringMatching(/repeats the one on line \d+: Kustomize refuses the file/) });
    }
  });
});

describe('repeatedKeys', () => {
  it.each([
    { text: 'a: 1\nb: 2\n', expected: [] },
    { text: 'a: 1\na: 2\n', expected: [{ key: 'a', line: 2, firstLine: 1, doc: 1 }] },
    { text: 'a:\n  b: 1\n  c: 2\n  b: 3\n', expected: [{ key: 'a.b', line: 4, firstLine: 2, doc: 1 }] },
    { text: 'a: 1\n---\nx:\n  - y: 1\n    y: 2\n', expected: [{ key: 'x[0].y', line: 5, firstLine: 4, doc: 2 }] },
    // The same key in two list items or two documents is not a repeat.
    { text: 'l:\n  - k: 1\n  - k: 2\n---\nl: 3\n', expected: [] },
  ])('$text', ({ text, expected }) => {
    expect(repeatedKeys(text)).toEqual(expected);
  });
});
