// Build outputs cached by a content hash of their inputs (every file the kustomization graph reads, the
// Application path and the engine's version), so unchanged paths are not rebuilt. Entries live under
// `<root>/.cache/validate/kustomize/` (ignored by Git); a run removes the entries it did not use.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { KustomizeEngine } from './engine.ts';

export const DEFAULT_CACHE_SUBDIR = join('.cache', 'validate', 'kustomize');

export class BuildCache {
  private readonly used = new Set<string>();

  /** `dir` undefined: a cache that never hits and never writes (`--no-cache`). */
  constructor(readonly dir: string | undefined) {}

  key(engine: KustomizeEngine, path: string, inputDigest: string): string {
    return createHash('sha256').update(`${engine.name}\u0000${engine.version}\u0000${path}\u0000${inputDigest}`).digest('hex');
  }

  get(key: string): string | undefined {
    if (this.dir === undefined) return undefined;
    this.used.add(key);
    try {
      return readFileSync(join(this.dir, `${key}.yaml`), 'utf8');
    } catch {
      return undefined;
    }
  }

  put(key: string, yaml: string): void {
    if (this.dir === undefined) return;
    this.used.add(key);
    try {
      mkdirSync(this.dir, { recursive: true });
      // Write then rename, so a concurrent reader never sees half an entry.
      const tmp = join(this.dir, `.${key}.${process.pid}.tmp`);
      writeFileSync(tmp, yaml);
      renameSync(tmp, join(this.dir, `${key}.yaml`));
    } catch {
      // A cache that cannot be written only costs time.
    }
  }

  /** Delete entries this run did not use, so the cache holds one tree's worth of builds. */
  prune(): void {
    if (this.dir === undefined) return;
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const key = name.replace(/\.yaml$/, '');
      if (name.endsWith('.yaml') && !this.used.has(key)) rmSync(join(this.dir, name), { force: true });
    }
  }
}
