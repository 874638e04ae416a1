// IO edge of the removal guard: the ApplicationSet files of the previous generation, i.e. the ledger-listed
// files under apps/ (hand-written files there are not ours and never count as removed).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { APPS_DIR, LEDGER_FILE } from '../lib/layout.ts';
import { assertNoConflictMarkers } from '../merge/conflict-markers.ts';
import { parseLedger } from '../writer/ledger.ts';

export const readPreviousAppSets = async (outDir: string): Promise<Array<{ path: string; content: string }>> => {
  let ledgerText: string;
  try {
    ledgerText = await readFile(join(outDir, LEDGER_FILE), 'utf8');
  } catch {
    return []; // first generation: nothing can be removed
  }
  const paths = parseLedger(ledgerText).files.map((f) => f.path).filter((p) => p.startsWith(`${APPS_DIR}/`) && p.endsWith('.yaml'));
  const out: Array<{ path: string; content: string }> = [];
  for (const path of paths) {
    let content: string;
    try {
      content = await readFile(join(outDir, ...path.split('/')), 'utf8');
    } catch {
      continue; // Deleted by hand: the writer reports it; it produces no Applications either way.
    }
    // A conflicted ApplicationSet is named here, with the fix, before anything tries to parse it.
    assertNoConflictMarkers(path, content);
    out.push({ path, content });
  }
  return out;
};
