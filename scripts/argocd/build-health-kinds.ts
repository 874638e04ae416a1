// Maintainer tool: list the kinds whose health Argo CD assesses with a built-in Lua script at the pinned version
// (resource_customizations/<group>/<kind>/health.lua; `_` is a wildcard), into scripts/argocd/health-kinds.json.
// Run after changing `argocd.chart` in inventory/fleet.yaml, against a clone of github.com/argoproj/argo-cd:
//   pnpm exec tsx scripts/argocd/build-health-kinds.ts <argo-cd git dir> <tag, e.g. v3.4.4>
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

import { ExitCode } from '../lib/exit-codes.ts';
import { isEntryPoint, runMain } from '../lib/run-main.ts';

export const luaHealthKinds = (paths: readonly string[]): string[] =>
  paths
    .map((p) => /^resource_customizations\/([^/]+)\/([^/]+)\/health\.lua$/.exec(p))
    .flatMap((m) => (m === null ? [] : [`${m[1]}/${m[2]}`]))
    .sort();

export const main = async (argv: readonly string[]): Promise<number> => {
  const [gitDir, tag] = argv;
  if (gitDir === undefined || tag === undefined) {
    process.stderr.write('usage: build-health-kinds.ts <argo-cd git dir> <tag>\n');
    return ExitCode.BadInput;
  }
  const listing = execFileSync('git', ['--git-dir', gitDir, 'ls-tree', '-r', '--name-only', tag, 'resource_customizations'], { encoding: 'utf8' });
  const out = { source: `https://github.com/argoproj/argo-cd@${tag}:resource_customizations/*/*/health.lua`, lua: luaHealthKinds(listing.split('\n')) };
  writeFileSync(new URL('./health-kinds.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  return ExitCode.Ok;
};

if (isEntryPoint(import.meta.url)) runMain(main);
