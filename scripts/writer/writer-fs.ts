// The filesystem operations the writer uses, as an injectable object. Production code uses
// node:fs/promises; tests pass a wrapper that fails on a chosen call to prove rollback works.
import * as fsp from 'node:fs/promises';

/** The subset of `fs.Stats` the writer looks at. */
export interface WriterStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface WriterFs {
  readFile(path: string): Promise<Uint8Array>;
  /** Must create the file exclusively (fail if it exists): staging names are never reused. */
  writeFile(path: string, data: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Create one directory level; fails if it exists or its parent is missing. */
  mkdir(path: string): Promise<void>;
  /** Remove one empty directory; fails if it is not empty. */
  rmdir(path: string): Promise<void>;
  /** Remove a file or a whole tree (used only for the writer's own staging folder). */
  rmTree(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Does not follow symbolic links, so the writer never writes or deletes through one. */
  lstat(path: string): Promise<WriterStats>;
}

export const nodeWriterFs: WriterFs = {
  readFile: (path) => fsp.readFile(path),
  writeFile: (path, data) => fsp.writeFile(path, data, { encoding: 'utf8', flag: 'wx' }),
  rename: (from, to) => fsp.rename(from, to),
  mkdir: async (path) => {
    await fsp.mkdir(path);
  },
  rmdir: (path) => fsp.rmdir(path),
  rmTree: (path) => fsp.rm(path, { recursive: true, force: true }),
  readdir: (path) => fsp.readdir(path),
  lstat: (path) => fsp.lstat(path),
};

/** The errno code of a Node filesystem error, if any. */
export const errnoCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

export type NodeKind = 'absent' | 'file' | 'dir' | 'symlink' | 'other';

/** What is at `abs`, without following a symbolic link; a missing parent counts as absent. */
export const lstatKind = async (fs: WriterFs, abs: string): Promise<NodeKind> => {
  try {
    const st = await fs.lstat(abs);
    if (st.isSymbolicLink()) return 'symlink';
    if (st.isFile()) return 'file';
    if (st.isDirectory()) return 'dir';
    return 'other';
  } catch (err) {
    const code = errnoCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'absent';
    throw err;
  }
};
