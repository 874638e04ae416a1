// A generated default fleet in a temp folder that a test may edit: inject objects into an Application's path,
// edit a kustomization, and run `pnpm validate` on it in-process.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseDocument, stringify, type Document } from 'yaml';

import { main as gen } from '../../scripts/cli/gen.ts';
import { main as validate } from '../../scripts/cli/validate.ts';
import { captureIo, copyInventory, DEFAULT_INVENTORY, tempDir } from '../support/fleet.ts';

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Copy the default inventory into a temp root and generate the tree there. */
export const generatedFleet = async (prefix: string): Promise<string> => {
  const root = await tempDir(prefix);
  await copyInventory(DEFAULT_INVENTORY, root);
  const io = captureIo();
  const code = await gen(['--out', root], io.io);
  if (code !== 0) throw new Error(`gen failed: ${io.err()}`);
  return root;
};

export const runValidate = async (argv: string[]): Promise<Run> => {
  const io = captureIo();
  const code = await validate(argv, io.io);
  return { code, stdout: io.out(), stderr: io.err() };
};

/** Edit a YAML file of the tree through the `yaml` Document API (comments and order kept). */
export const editYaml = (root: string, file: string, edit: (doc: Document) => void): void => {
  const path = join(root, file);
  const doc = parseDocument(readFileSync(path, 'utf8'));
  edit(doc);
  writeFileSync(path, doc.toString());
};

/** Write `objects` as `<dir>/<file>` and list the file in the folder's kustomization resources. */
export const inject = (root: string, dir: string, file: string, objects: readonly object[]): void => {
  writeFileSync(join(root, dir, file), objects.map((o) => stringify(o)).join('---\n'));
  editYaml(root, `${dir}/kustomization.yaml`, (doc) => {
    if (!doc.has('resources')) doc.set('resources', doc.createNode([]));
    (doc.get('resources') as { add: (v: unknown) => void }).add(file);
  });
};

export interface JsonFinding {
  readonly rule: string;
  readonly severity: string;
  readonly blocking: boolean;
  readonly application: string;
  readonly file: string;
  readonly line?: number;
  readonly object?: string;
  readonly field?: string;
  readonly message: string;
  readonly exempted?: string;
}

export interface JsonReport {
  readonly applications: ReadonlyArray<{ name: string; path: string; objects: number; cached: boolean; findings: JsonFinding[] }>;
  readonly summary: { ok: boolean; findings: number; blocking: number; exempted: number; built: number; cached: number; objects: number };
}
