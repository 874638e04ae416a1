// One planning attempt, in two worktrees of the base commit: `base` stays pristine, `work` gets the edited
// environment file and a fresh `gen`. Then the rendered diff between them. Validation is not done here: the
// caller commits first and runs `pnpm validate` itself on that commit (validate-tree.ts), so what is checked is
// exactly what is pushed. Nothing here commits or pushes, so a failure leaves no trace once the worktrees go.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { main as genMain } from '../cli/gen.ts';
import { catalogEntries, componentsFor } from '../components/catalog.ts';
import { diffTrees } from '../diff/diff-trees.ts';
import type { Renderer } from '../diff/renderer.ts';
import type { DiffReport } from '../diff/report.ts';
import type { Worktree } from '../diff/worktree.ts';
import { InventoryError } from '../inventory/errors.ts';
import { parseInventory } from '../inventory/parse-inventory.ts';
import { readInventorySources } from '../inventory/read-inventory.ts';
import { CliError, ExitCode, type ExitCodeValue } from '../lib/exit-codes.ts';
import { ENVIRONMENTS_DIR, INVENTORY_DIR, posixJoin } from '../lib/layout.ts';
import type { Fleet } from '../model/fleet.ts';
import { driftBetween, type Drift } from './drift.ts';
import { EditError, editVersionPins } from './edit-versions.ts';
import { checkEnvironmentPair, type EnvironmentPair } from './environments.ts';
import { planPromotion, type PromotionPlan } from './plan.ts';
import { selectComponents, type Selection } from './selection.ts';

export interface PromotionRequest {
  readonly from: string;
  readonly to: string;
  readonly stacks: readonly string[];
  readonly apps: readonly string[];
  readonly skipReason: string | undefined;
  /** GitHub login of who approved the overrides (skipping an environment, skipping the source check). */
  readonly approver: string | undefined;
}

export interface Planned {
  readonly fleet: Fleet;
  readonly pair: EnvironmentPair;
  readonly selection: Selection;
  readonly plan: PromotionPlan;
  readonly drift: Drift;
}

export interface Prepared extends Planned {
  /** `gen`'s report of the files it changed in the work tree. */
  readonly genReport: string;
  readonly diff: DiffReport;
}

/** Load the inventory at `root` (repo-relative names in messages); bad inventory is exit 2. */
export const loadFleetAt = async (root: string): Promise<Fleet> => {
  try {
    return parseInventory(await readInventorySources(join(root, INVENTORY_DIR), INVENTORY_DIR), catalogEntries());
  } catch (e) {
    if (e instanceof InventoryError) throw new CliError(e.message, ExitCode.BadInput);
    throw e;
  }
};

/** Check the request against an inventory and compute the plan; no IO. */
export const planFor = (fleet: Fleet, request: PromotionRequest): Planned => {
  const pair = checkEnvironmentPair(fleet, request.from, request.to, request.skipReason, request.approver);
  const catalog = catalogEntries(componentsFor(fleet));
  const selection = selectComponents(catalog, request.stacks, request.apps);
  const plan = planPromotion(fleet, catalog, pair.from, pair.to, selection);
  return { fleet, pair, selection, plan, drift: driftBetween(fleet, catalog, plan) };
};

const runGen = async (root: string): Promise<string> => {
  let out = '';
  let err = '';
  const code = await genMain(['--inventory', join(root, INVENTORY_DIR), '--out', root], {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
  });
  if (code !== ExitCode.Ok) {
    throw new CliError(`pnpm gen failed on the promoted inventory (exit ${code}); nothing was committed:\n${err.trim()}`, code as ExitCodeValue);
  }
  return out.trim();
};

export interface PrepareInput {
  readonly request: PromotionRequest;
  readonly base: Worktree;
  readonly work: Worktree;
  readonly baseLabel: string;
  readonly headLabel: string;
  readonly renderer: Renderer;
  readonly engineId: string;
  /** Called at each long step (io.progress). */
  readonly progress?: (step: string) => void;
}

/** Plan in `work`; when there is something to promote, edit, generate and diff it. */
export const preparePromotion = async (input: PrepareInput): Promise<Planned | Prepared> => {
  const progress = input.progress ?? ((): void => undefined);
  const planned = planFor(await loadFleetAt(input.work.dir), input.request);
  if (planned.plan.changes.length === 0) return planned;

  const envRel = posixJoin(INVENTORY_DIR, ENVIRONMENTS_DIR, `${planned.pair.to}.yaml`);
  const envFile = join(input.work.dir, ...envRel.split('/'));
  try {
    const edits = planned.plan.changes.map((c) => ({ image: c.image, version: c.after }));
    await writeFile(envFile, editVersionPins(await readFile(envFile, 'utf8'), envRel, edits));
  } catch (e) {
    if (e instanceof EditError) throw new CliError(e.message, ExitCode.BadInput);
    throw e;
  }
  progress(`editing ${envRel} (${planned.plan.changes.length} pins) and regenerating (pnpm gen)…`);
  const genReport = await runGen(input.work.dir);

  const { report } = await diffTrees({
    base: { root: input.base.dir, ref: { label: input.baseLabel, sha: input.base.sha } },
    head: { root: input.work.dir, ref: { label: input.headLabel, sha: '' } },
    renderer: input.renderer,
    engineId: input.engineId,
    progress,
  });
  return { ...planned, genReport, diff: report };
};

export const isPrepared = (p: Planned | Prepared): p is Prepared => 'diff' in p;
