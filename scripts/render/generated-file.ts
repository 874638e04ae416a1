// The unit every render function produces and the writer consumes.

export interface GeneratedFile {
  /** POSIX path relative to the output root, e.g. `base/streaming/rtmp-origin/rtmp-origin-deployment.yaml`. */
  readonly path: string;
  /** Full file content, LF line endings, ending with a newline (for a region: the region's body). */
  readonly content: string;
  /**
   * Set for a managed region of a hand-written file (e.g. the fleet diagram in README.md): the writer replaces
   * only the text between `<!-- BEGIN GENERATED <region> -->` and `<!-- END GENERATED <region> -->` and owns
   * nothing else of that file.
   */
  readonly region?: string;
}

/** Identity of a generated unit: its path, or path#region for a managed region. */
export const unitKey = (f: GeneratedFile): string => (f.region === undefined ? f.path : `${f.path}#${f.region}`);

/** Two renders claimed the same output path (kubernetes-models-ts `PathConflictError`). */
export class PathConflictError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(`two renders produced the same path: ${paths.join(', ')}`);
    this.name = 'PathConflictError';
  }
}

/** Merge render outputs, refusing duplicate paths; returns files sorted by path. */
export const composeFiles = (...groups: ReadonlyArray<readonly GeneratedFile[]>): GeneratedFile[] => {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  const all: GeneratedFile[] = [];
  for (const group of groups) {
    for (const f of group) {
      const key = unitKey(f);
      if (seen.has(key)) dupes.add(key);
      seen.add(key);
      all.push(f);
    }
  }
  if (dupes.size > 0) throw new PathConflictError([...dupes].sort());
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
};
