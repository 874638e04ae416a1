// The ledger half of the `streamfleet-generated` merge driver (bin/merge-generated.sh calls it for .gen-ledger.json
// with git's %O %A %B): writes the path-by-path merge into %A and exits 0, or exits 1 (git then records a conflict
// and leaves "ours" in place, which `pnpm resolve` settles). Never throws past main: git would see a crash.
// Checked: git/git @ 00035bdf2fd94f2fff3eb51e0d880da5102243d0 : Documentation/gitattributes.txt ("Defining a custom
// merge driver": the result goes into the %A file; exit 0 when merged cleanly, non-zero (at most 128) for conflicts).
import { readFile, writeFile } from 'node:fs/promises';
import { isEntryPoint } from '../lib/run-main.ts';
import { parseLedger, serializeLedger, type Ledger } from '../writer/ledger.ts';
import { mergeLedgers } from './merge-ledger.ts';

const MERGED = 0;
const CONFLICT = 1;

export const main = async (argv: readonly string[], stderr: (text: string) => void = (t) => process.stderr.write(t)): Promise<number> => {
  const [basePath, oursPath, theirsPath] = argv;
  if (basePath === undefined || oursPath === undefined || theirsPath === undefined) {
    stderr('usage: ledger-driver.ts BASE OURS THEIRS (git merge driver %O %A %B)\n');
    return CONFLICT;
  }
  try {
    const baseText = await readFile(basePath, 'utf8');
    // No common ancestor (both sides added the ledger): git passes an empty base.
    const base: Ledger | undefined = baseText.trim() === '' ? undefined : parseLedger(baseText, 'the merge base ledger');
    const ours = parseLedger(await readFile(oursPath, 'utf8'), 'our ledger');
    const theirs = parseLedger(await readFile(theirsPath, 'utf8'), 'their ledger');
    await writeFile(oursPath, serializeLedger(mergeLedgers(base, ours, theirs)));
    return MERGED;
  } catch (e) {
    stderr(`streamfleet-generated: cannot merge .gen-ledger.json (${e instanceof Error ? e.message : String(e)}); run \`pnpm resolve\`\n`);
    return CONFLICT;
  }
};

if (isEntryPoint(import.meta.url)) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
