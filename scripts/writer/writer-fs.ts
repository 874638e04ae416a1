// The filesystem operations the writer uses, as an injectable object. Tests pass a wrapper that fails on a
// chosen call to prove rollback works. Production code calls the synchronous node:fs functions behind the async
// interface: the writer has nothing else to do while it waits, and a thread-pool round trip per call costs more
// than the call itself (10,000 small files: ~130 ms written synchronously, ~400 ms through node:fs/promises).
import * as fs from 'node:fs';

/** The subset of `fs.Stats` the writer looks at. */
export interface WriterStats {
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface WriterFs {
  readFile(path: string): Promise<Uint8Array>;
  /** Must create the file exclusively (fail if it exists): staging names are never reused. */
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Create one directory level; fails if it exists or its parent is missing. */
  mkdir(path: string): Promise<void>;
  /** Remove one empty directory; fails if it is not empty. */
  rmdir(path: string): Promise<void>;
  /** Remove a file or a whole tree (used only for the writer's own staging folder). */
  rmTree(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /**
   * Does not follow symbolic links, so the writer never writes or deletes through one. `undefined` when nothing is
   * there: most paths of a first run do not exist yet, and an exception per path would cost more than the call.
   */
  lstat(path: string): Promise<WriterStats | undefined>;
}

export const nodeWriterFs: WriterFs = {
  readFile: async (path) => fs.readFileSync(path),
  writeFile: async (path, data) => fs.writeFileSync(path, data, typeof data === 'string' ? { encoding: 'utf8', flag: 'wx' } : { flag: 'wx' }),
  rename: async (from, to) => fs.renameSync(from, to),
  mkdir: async (path) => {
    fs.mkdirSync(path);
  },
  rmdir: async (path) => fs.rmdirSync(path),
  rmTree: async (path) => fs.rmSync(path, { recursive: true, force: true }),
  readdir: async (path) => fs.readdirSync(path),
  lstat: async (path) => fs.lstatSync(path, { throwIfNoEntry: false }),
};

/** The errno code of a Node filesystem error, if any. */
export const errnoCode = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;

export type NodeKind = 'absent' | 'file' | 'dir' | 'symlink' | 'other';

/** What is at `abs`, without following a symbolic link; a missing parent counts as absent. */
export const lstatKind = async (fs: WriterFs, abs: string): Promise<NodeKind> => {
  try {
    const st = await fs.lstat(abs);
    if (st === undefined) return 'absent';
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
