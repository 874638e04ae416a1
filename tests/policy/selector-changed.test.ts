// `workloads/selector-changed` end to end: a generated default fleet committed to a fresh git repository, then
// one workload's selector changed in the working tree, then the real `pnpm validate` (in-process, no --base: no
// origin/main here, so the base is HEAD). The selector is immutable in apps/v1, so the change is reported on the
// file that holds it, for every Application that renders it; a pod-template label added without touching the
// selector (the compliant change) is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap } from 'yaml';

import { git } from '../../scripts/diff/git.ts';
import { removeDir } from '../support/fleet.ts';
import { editYaml, generatedFleet, runValidate, type JsonFinding, type JsonReport } from './tree.ts';

const CHANGED = 'base/streaming/player/player-deployment.yaml';
const TEMPLATE_ONLY = 'base/streaming/edge-cache/edge-cache-deployment.yaml';

const addLabel = (root: string, file: string, paths: ReadonlyArray<readonly string[]>): void =>
  editYaml(root, file, (doc) => {
    for (const path of paths) {
      if (!isMap(doc.getIn(path, true))) throw new Error(`${file}: no map at ${path.join('.')}`);
      doc.setIn([...path, 'streamfleet.io/v-track'], 'stable');
    }
  });

describe('a workload selector changed since the previous commit', () => {
  let root: string;
  let code: number;
  let findings: JsonFinding[];

  beforeAll(async () => {
    root = await generatedFleet('selector-changed');
    await git(root, ['init', '--quiet', '--initial-branch=main']);
    await git(root, ['add', '--all']);
    await git(root, ['-c', 'user.name=Validate Test', '-c', 'user.email=validate-test@example.com', '-c', 'commit.gpgsign=false', 'commit', '--quiet', '-m', 'generated fleet']);
    // The violation: the selector and the template together (so the selector still selects its pods).
    addLabel(root, CHANGED, [
      ['spec', 'selector', 'matchLabels'],
      ['spec', 'template', 'metadata', 'labels'],
    ]);
    // The compliant change: a pod label the selector does not read.
    addLabel(root, TEMPLATE_ONLY, [['spec', 'template', 'metadata', 'labels']]);
    const run = await runValidate(['--root', root, '--format', 'json', '--no-cache']);
    expect(run.stderr.split('\n').filter((l) => l !== '' && !/^validate: rendered \d+\/\d+ paths/.test(l))).toEqual([]);
    code = run.code;
    findings = (JSON.parse(run.stdout) as JsonReport).applications.flatMap((a) => a.findings);
  });
  afterAll(async () => removeDir(root));

  it('blocks with exactly workloads/selector-changed on the file that holds the selector', () => {
    expect(code).toBe(1);
    // The shipped tree has WARN findings of its own; nothing else blocks.
    expect([...new Set(findings.filter((f) => f.blocking).map((f) => f.rule))]).toEqual(['workloads/selector-changed']);
    const changed = findings.filter((f) => f.rule === 'workloads/selector-changed');
    expect(changed.length).toBeGreaterThan(0);
    for (const f of changed) {
      expect(f).toMatchObject({ file: CHANGED, object: 'Deployment streaming/player', field: 'spec.selector', blocking: true });
      expect(f.message).toMatch(/changed since HEAD [0-9a-f]{7} .*streamfleet\.io\/v-track/);
    }
  });

  it('reports each streaming Application that renders the file, and nothing about the template-only change', () => {
    const apps = findings.filter((f) => f.rule === 'workloads/selector-changed').map((f) => f.application);
    expect(apps.every((a) => a.endsWith('-streaming'))).toBe(true);
    expect(new Set(apps).size).toBe(apps.length);
    expect(findings.filter((f) => f.file === TEMPLATE_ONLY && f.rule.startsWith('workloads/'))).toEqual([]);
  });
});
