// Shared test helpers: temp output roots, full tree snapshots, and a filesystem that fails on demand.
import { mkdtemp, readFile, readdir, readlink, rm, lstat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedFile } from '../../scripts/render/generated-file.ts';
import { nodeWriterFs, type WriterFs } from '../../scripts/writer/writer-fs.ts';

export const makeTmpDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'writer-test-'));
export const removeDir = (dir: string): Promise<void> => rm(dir, { recursive: true, force: true });

/** Every path under `root` (folders as `dir/`) mapped to its content, so trees compare byte for byte. */
export const snapshot = async (root: string): Promise<Record<string, string>> => {
  const out: Record<string, string> = {};
  const walk = async (rel: string): Promise<void> => {
    const abs = rel === '' ? root : join(root, rel);
    for (const name of (await readdir(abs)).sort()) {
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(join(root, childRel));
      if (st.isSymbolicLink()) out[childRel] = `<symlink to ${await readlink(join(root, childRel))}>`;
      else if (st.isDirectory()) {
        out[`${childRel}/`] = '<dir>';
        await walk(childRel);
      } else out[childRel] = (await readFile(join(root, childRel))).toString('latin1');
    }
  };
  await walk('');
  return out;
};

export const V1: readonly GeneratedFile[] = [
  { path: 'base/streaming/origin/deployment.yaml', content: 'kind: Deployment\nreplicas: 1\n' },
  { path: 'base/streaming/origin/kustomization.yaml', content: 'resources:\n  - deployment.yaml\n' },
  { path: 'base/streaming/edge/service.yaml', content: 'kind: Service\n' },
  { path: 'apps/edge.yaml', content: 'name: edge\n' },
];

/** From V1: one update, one prune that empties a folder, one create in new folders. */
export const V2: readonly GeneratedFile[] = [
  ...V1.filter((f) => f.path !== 'base/streaming/edge/service.yaml').map((f) =>
    f.path === 'base/streaming/origin/deployment.yaml' ? { ...f, content: 'kind: Deployment\nreplicas: 5\n' } : f,
  ),
  { path: 'overlays/dev/edge/kustomization.yaml', content: 'resources:\n  - ../../../base/streaming/edge\n' },
];

export type MutatingOp = 'writeFile' | 'rename' | 'mkdir' | 'rmdir' | 'rmTree';

export interface FsCall {
  readonly op: MutatingOp;
  readonly args: readonly string[];
}

/**
 * A WriterFs that records every mutating call and throws an EIO error on the call for which
 * `shouldFail` first returns true (only once, so rollback itself runs on a working filesystem
 * unless `failAlso` says otherwise).
 */
export const faultyFs = (
  shouldFail: (call: FsCall, index: number) => boolean = () => false,
  failAlso: (call: FsCall) => boolean = () => false,
): { fs: WriterFs; calls: FsCall[]; failed: () => FsCall | undefined } => {
  const calls: FsCall[] = [];
  let failedCall: FsCall | undefined;
  const guard = async <T>(op: MutatingOp, args: string[], run: () => Promise<T>): Promise<T> => {
    const call = { op, args };
    calls.push(call);
    if ((failedCall === undefined && shouldFail(call, calls.length - 1)) || (failedCall !== undefined && failAlso(call))) {
      failedCall ??= call;
      throw Object.assign(new Error(`injected failure in ${op}(${args.join(', ')})`), { code: 'EIO' });
    }
    return run();
  };
  const fs: WriterFs = {
    ...nodeWriterFs,
    writeFile: (p, d) => guard('writeFile', [p], () => nodeWriterFs.writeFile(p, d)),
    rename: (a, b) => guard('rename', [a, b], () => nodeWriterFs.rename(a, b)),
    mkdir: (p) => guard('mkdir', [p], () => nodeWriterFs.mkdir(p)),
    rmdir: (p) => guard('rmdir', [p], () => nodeWriterFs.rmdir(p)),
    rmTree: (p) => guard('rmTree', [p], () => nodeWriterFs.rmTree(p)),
  };
  return { fs, calls, failed: () => failedCall };
};
