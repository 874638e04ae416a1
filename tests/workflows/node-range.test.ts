// The supported Node range is stated once, in package.json `engines.node`, and everything else agrees with it: the
// dependencies' own engines allow every version inside it, the generated workflows run the LTS lines inside it, and
// .ci/run's banner (.ci/node-range.mjs) says when the machine's Node is outside it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { satisfies } from '../../.ci/node-range.mjs';
import { NODE_VERSIONS } from '../../scripts/render/render-workflows.ts';
import { REPO_ROOT } from '../support/fleet.ts';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const ENGINES = manifest.engines.node;

/** .ci/node-range.mjs run as .ci/run runs it: its exit code and line. */
const runNodeRange = (version: string): { status: number | null; line: string } => {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, '.ci', 'node-range.mjs'), version], { encoding: 'utf8' });
  return { status: r.status, line: r.stdout.trim() };
};
const inside = (version: string, range: string = ENGINES): boolean => {
  const r = satisfies(version, range);
  if (r === undefined) throw new Error(`.ci/node-range.mjs cannot read ${version} or ${range}`);
  return r;
};

/** Versions around every Node line a range in use mentions. */
const SAMPLES = [18, 20, 21, 22, 23, 24, 25, 26].flatMap((major) => [0, 9, 12, 13, 19].map((minor) => `${major}.${minor}.0`));
const insideEngines = SAMPLES.filter((v) => inside(v));

describe('the supported Node range', () => {
  it('is the LTS lines 22 and 24, and not Node 20', () => {
    expect(insideEngines.map((v) => v.split('.')[0])).toEqual(expect.arrayContaining(['22', '24']));
    expect(new Set(insideEngines.map((v) => v.split('.')[0]))).toEqual(new Set(['22', '24']));
    expect(inside('20.19.0')).toBe(false);
  });

  it("lies inside every direct dependency's own engines.node (vitest 5, kubernetes-models, eslint, ...)", () => {
    const checked: string[] = [];
    for (const name of Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })) {
      const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } };
      const range = pkg.engines?.node;
      if (range === undefined) continue;
      checked.push(name);
      const outside = insideEngines.filter((v) => !inside(v, range));
      expect(outside, `${name} engines.node "${range}" excludes versions inside package.json's "${ENGINES}"`).toEqual([]);
    }
    expect(checked).toEqual(expect.arrayContaining(['vitest', 'kubernetes-models', 'eslint']));
  });

  it('is what the generated workflows run: every node-version is an LTS line inside it, and both lines are tested', () => {
    const versions: string[] = [];
    for (const file of ['pull-request.yaml', 'promote.yaml']) {
      const workflow = parse(readFileSync(join(REPO_ROOT, '.github', 'workflows', file), 'utf8')) as {
        jobs: Record<string, { strategy?: { matrix?: { node?: string[] } }; steps: { with?: Record<string, unknown> }[] }>;
      };
      for (const job of Object.values(workflow.jobs)) {
        for (const step of job.steps) {
          const v = step.with?.['node-version'];
          if (v === undefined) continue;
          versions.push(...(v === '${{ matrix.node }}' ? (job.strategy?.matrix?.node ?? ['(no matrix)']) : [String(v)]));
        }
      }
    }
    expect(versions.length).toBeGreaterThan(0);
    // A node-version of a line (`24`) is a version spec: setup-node installs the newest release of that line.
    for (const v of versions) expect(/^\d+$/.test(v) && inside(`${v}.999.0`), `node-version ${v} is not a Node line inside engines "${ENGINES}"`).toBe(true);
    expect(new Set(versions)).toEqual(new Set(NODE_VERSIONS));
    expect([...NODE_VERSIONS]).toEqual(['22', '24']);
  });

  it(".ci/run's banner says when the machine's Node is outside the range, and carries on", () => {
    expect(runNodeRange('20.20.2')).toEqual({ status: 1, line: `v20.20.2 is OUTSIDE the supported range ${ENGINES} (package.json engines)` });
    expect(runNodeRange('24.1.0')).toEqual({ status: 0, line: `v24.1.0 is inside the supported range ${ENGINES} (package.json engines)` });
    const run = readFileSync(join(REPO_ROOT, '.ci', 'run'), 'utf8');
    expect(run).toContain('node_range="$(node .ci/node-range.mjs)" || true');
    expect(run).toMatch(/banner "setup: node .*\$\{node_range\}"/);
  });

  it('reads the partial versions and operators engines fields use', () => {
    expect(inside('20.1.0', '>= 20')).toBe(true);
    expect(inside('20.9.0', '<= 20')).toBe(true);
    expect(inside('21.0.0', '<= 20')).toBe(false);
    expect(inside('22.12.0', '^20.19.0 || >=22.12.0')).toBe(true);
    expect(inside('21.9.0', '^20.19.0 || >=22.12.0')).toBe(false);
    expect(inside('25.0.0', '^22.12.0 || ^24.0.0 || >=26.0.0')).toBe(false);
  });
});
