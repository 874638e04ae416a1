// The content-hash key of one kustomize build: the engine, and the path and bytes of every file the build
// reads. Equal keys at two revisions mean equal output, so such an Application is neither rendered nor diffed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { sha256Hex } from '../writer/hash.ts';
import { collectInputs } from './kustomize-inputs.ts';

export interface InputKey {
  /** sha256 over engine, paths and contents; undefined when the build is not cacheable (reads remote data). */
  readonly key: string | undefined;
  /** Number of files hashed, for reports. */
  readonly files: number;
}

/** Memo of file hashes for one tree: the bases are shared by many clusters and hashed once. */
export type FileHashMemo = Map<string, Promise<string>>;

const fileHash = (memo: FileHashMemo, abs: string): Promise<string> => {
  let pending = memo.get(abs);
  if (pending === undefined) {
    pending = readFile(abs).then(sha256Hex, () => 'missing');
    memo.set(abs, pending);
  }
  return pending;
};

/** The key of building `targetRel` under `root` with the engine named `engineId` (name and version). */
export const inputKey = async (root: string, targetRel: string, engineId: string, memo: FileHashMemo = new Map()): Promise<InputKey> => {
  const inputs = await collectInputs(root, targetRel);
  if (!inputs.cacheable) return { key: undefined, files: inputs.files.length };
  const lines = [`engine ${engineId}`, `target ${targetRel}`];
  for (const rel of inputs.files) lines.push(`${rel}\0${await fileHash(memo, join(root, ...rel.split('/')))}`);
  for (const rel of inputs.missing) lines.push(`${rel}\0missing`);
  return { key: sha256Hex(lines.join('\n')), files: inputs.files.length };
};
