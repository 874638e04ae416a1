// Three-way merge of the ledger, path by path, for the `streamfleet-generated` merge driver. Git merges every other
// generated file with the same driver, which keeps "ours" whenever both sides changed it; a file only one side
// changed (or added, or deleted) git takes from that side without asking a driver. The ledger merged here records
// exactly that outcome, so after the merge every generated file's bytes match its ledger entry again and `pnpm gen`
// regenerates from the merged inventory as after any inventory edit: nothing is mistaken for a hand edit.
// Checked: git/git @ 00035bdf2fd94f2fff3eb51e0d880da5102243d0 : Documentation/gitattributes.txt ("Performing a
// three-way merge": the driver runs only "when a file-level merge is necessary", i.e. both sides changed the file).
import { isRegionKey } from '../writer/regions.ts';
import { makeLedger, type Ledger, type LedgerEntry } from '../writer/ledger.ts';

const hashes = (ledger: Ledger | undefined): Map<string, string> => new Map((ledger?.files ?? []).map((e) => [e.path, e.sha256]));

/**
 * `base` is undefined when the two sides share no ledger (both added it). Per path: the same on both sides, or
 * changed on one side only → that side; changed on both → ours (what the driver left in the file), except:
 * - deleted by ours and changed by theirs: git stops with a modify/delete conflict and leaves theirs' file in the
 *   work tree, so theirs' hash describes it (`pnpm resolve` settles it either way);
 * - a managed region of a hand-written file (`README.md#region`): that file is merged as text, so its region may now
 *   hold both sides' lines; the entry is dropped, and the next `pnpm gen` rewrites the region instead of taking it for
 *   a hand edit.
 */
export const mergeLedgers = (base: Ledger | undefined, ours: Ledger, theirs: Ledger): Ledger => {
  const [b, o, t] = [hashes(base), hashes(ours), hashes(theirs)];
  const merged: LedgerEntry[] = [];
  for (const path of new Set([...o.keys(), ...t.keys()])) {
    const [was, mine, other] = [b.get(path), o.get(path), t.get(path)];
    let sha256: string | undefined;
    if (mine === other || other === was) sha256 = mine;
    else if (mine === was) sha256 = other;
    else if (isRegionKey(path)) sha256 = undefined;
    else sha256 = mine ?? other;
    if (sha256 !== undefined) merged.push({ path, sha256 });
  }
  return makeLedger(merged);
};
