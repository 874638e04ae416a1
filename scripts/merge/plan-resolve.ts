// `pnpm resolve`, planning half: after a merge (rebase, cherry-pick) whose generated files conflicted, which paths to
// put back to ours, and which conflicts only a human can settle. Reads git and the work tree; writes nothing.
//
// The resolution: every generated path the operation changed is put back to its HEAD version (deleted when HEAD has
// none), the ledger included, so the generated tree is exactly HEAD's again, consistent with HEAD's ledger; then
// `pnpm gen` regenerates it from the merged inventory. "Previous" ApplicationSets for the removal guard are thereby
// HEAD's, so the other side's new clusters are additions, never removals; the Applications the other side removed on
// purpose (present at the merge base, gone on its side) are allowed again, as they were in its own pull request.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { git } from '../diff/git.ts';
import { LEDGER_FILE } from '../lib/layout.ts';
import { applicationsOf } from '../pipeline/removal-guard.ts';
import { isRegionKey, regionBegin, regionEnd } from '../writer/regions.ts';
import { firstConflictMarker } from '../lib/conflict-markers.ts';
import type { Ledger } from '../writer/ledger.ts';
import { fileAt, ledgerAt, readMergeState, zList, type MergeState } from './merge-state.ts';

export interface HandConflict {
  readonly path: string;
  /** Why a human must resolve it. */
  readonly reason: string;
}

export interface ResolvePlan {
  readonly state: MergeState;
  /** Generated paths that differ from HEAD: put back to HEAD's version (`git checkout HEAD --`). */
  readonly restore: readonly string[];
  /** Generated paths HEAD does not have: removed (gen writes them again if the merged inventory still renders them). */
  readonly remove: readonly string[];
  /** Unmerged paths among restore and remove, i.e. the conflicts this settles. */
  readonly settles: readonly string[];
  /** Unmerged inventory or hand-written files: resolve refuses until they are resolved and `git add`-ed. */
  readonly handConflicts: readonly HandConflict[];
  /** Hand-written files holding a generated region (`README.md#fleet-diagram`), changed by the operation: their new
   *  text, with every region put back to HEAD's (gen rewrites the regions), the rest as the merge left it. */
  readonly regionFiles: ReadonlyMap<string, string>;
  /** Applications the other side removed on purpose that HEAD still produces: candidates for --allow-removal. */
  readonly theirRemovals: readonly string[];
  /** Every generated path known to either side (for `git add` after the regeneration). */
  readonly generated: readonly string[];
}

const pathsOf = (ledger: Ledger | undefined): string[] => (ledger?.files ?? []).map((e) => e.path);

/** ApplicationSet files (per the ledger) of `rev` among `only`, with their content at `rev`. */
const appSetsAt = async (repo: string, rev: string, ledger: Ledger | undefined, only?: ReadonlySet<string>): Promise<Array<{ path: string; content: string }>> => {
  const out: Array<{ path: string; content: string }> = [];
  for (const path of pathsOf(ledger).filter((p) => p.startsWith('apps/') && p.endsWith('.yaml') && (only === undefined || only.has(p)))) {
    const content = await fileAt(repo, rev, path);
    if (content !== undefined) out.push({ path, content });
  }
  return out;
};

/** Applications present at the merge base and no longer produced on the other side, that HEAD still produces. */
const removedByTheirs = async (repo: string, state: MergeState, ledgers: { head?: Ledger; theirs?: Ledger; base?: Ledger }): Promise<string[]> => {
  if (state.theirs === undefined || state.base === undefined) return [];
  const changed = new Set(zList(await git(repo, ['diff', '--name-only', '-z', '--no-renames', state.base, state.theirs, '--', 'apps'])));
  if (changed.size === 0) return [];
  const before = applicationsOf(await appSetsAt(repo, state.base, ledgers.base, changed));
  const after = applicationsOf(await appSetsAt(repo, state.theirs, ledgers.theirs, changed));
  let gone = [...before.keys()].filter((name) => !after.has(name));
  if (gone.length === 0) return [];
  // An Application may have moved into an ApplicationSet file that the other side did not change.
  const all = applicationsOf(await appSetsAt(repo, state.theirs, ledgers.theirs));
  gone = gone.filter((name) => !all.has(name));
  if (gone.length === 0) return [];
  const head = applicationsOf(await appSetsAt(repo, 'HEAD', ledgers.head));
  return gone.filter((name) => head.has(name)).sort();
};

/** `text` with the block of `region` (marker lines included) taken from `head`; undefined when either lacks one. */
const regionFromHead = (text: string, head: string, region: string): string | undefined => {
  const block = (t: string): [number, number] | undefined => {
    const b = t.indexOf(regionBegin(region));
    const e = t.indexOf(regionEnd(region));
    if (b === -1 || e < b || t.indexOf(regionBegin(region), b + 1) !== -1 || t.indexOf(regionEnd(region), e + 1) !== -1) return undefined;
    return [b, e + regionEnd(region).length];
  };
  const [mine, theirs] = [block(text), block(head)];
  if (mine === undefined || theirs === undefined) return undefined;
  return text.slice(0, mine[0]) + head.slice(theirs[0], theirs[1]) + text.slice(mine[1]);
};

/** New texts of the region files, or why a human must resolve one. */
const planRegionFiles = async (
  repo: string,
  files: ReadonlyMap<string, readonly string[]>,
  changed: readonly string[],
): Promise<{ texts: Map<string, string>; hand: HandConflict[] }> => {
  const texts = new Map<string, string>();
  const hand: HandConflict[] = [];
  for (const [path, regions] of [...files].filter(([f]) => changed.includes(f)).sort(([a], [b]) => (a < b ? -1 : 1))) {
    let text: string | undefined = await readFile(join(repo, path), 'utf8').catch(() => undefined);
    const head = await fileAt(repo, 'HEAD', path);
    if (text === undefined || head === undefined) continue; // deleted on one side: nothing to splice, gen says so
    for (const region of regions) text = text === undefined ? undefined : regionFromHead(text, head, region);
    const line = text === undefined ? 1 : firstConflictMarker(text);
    if (text === undefined || line !== undefined) {
      hand.push({ path, reason: `hand-written file with a generated region; its conflict${line === undefined ? ' touches the region markers' : ` at line ${line} is outside the generated region`}: resolve it by hand, then \`git add\` it` });
    } else texts.set(path, text);
  }
  return { texts, hand };
};

export const planResolve = async (repo: string): Promise<ResolvePlan> => {
  const state = await readMergeState(repo);
  const head = await ledgerAt(repo, 'HEAD');
  const theirs = state.theirs === undefined ? undefined : await ledgerAt(repo, state.theirs);
  const base = state.base === undefined ? undefined : await ledgerAt(repo, state.base);
  const keys = new Set([...pathsOf(head), ...pathsOf(theirs), ...pathsOf(base)]);
  const generated = new Set([LEDGER_FILE, ...[...keys].filter((k) => !isRegionKey(k))]);
  const regionsByFile = new Map<string, string[]>();
  for (const k of [...keys].filter(isRegionKey)) {
    const file = k.slice(0, k.indexOf('#'));
    regionsByFile.set(file, [...new Set([...(regionsByFile.get(file) ?? []), k.slice(k.indexOf('#') + 1)])]);
  }

  const changed = zList(await git(repo, ['diff', '--name-only', '-z', '--no-renames', 'HEAD']));
  const inHead = new Set(zList(await git(repo, ['ls-tree', '-r', '--name-only', '-z', 'HEAD'])));
  const unmerged = new Set(state.unmerged);
  const ours = changed.filter((p) => generated.has(p));
  const restore = ours.filter((p) => inHead.has(p)).sort();
  const remove = ours.filter((p) => !inHead.has(p)).sort();
  const regions = await planRegionFiles(repo, regionsByFile, changed);
  const handConflicts = state.unmerged
    .filter((p) => !generated.has(p) && !regionsByFile.has(p))
    .map((path) => ({
      path,
      reason: path.startsWith('inventory/') ? 'inventory file: resolve it by hand (keep both sides\' entries), then `git add` it' : 'not a generated file: resolve it by hand, then `git add` it',
    }))
    .concat(regions.hand)
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return {
    state,
    restore,
    remove,
    settles: ours.filter((p) => unmerged.has(p)).sort(),
    handConflicts,
    regionFiles: regions.texts,
    theirRemovals: await removedByTheirs(repo, state, { ...(head ? { head } : {}), ...(theirs ? { theirs } : {}), ...(base ? { base } : {}) }),
    generated: [...generated].sort(),
  };
};
