// What the cross-field checks read, and the small helpers they share to place an issue.
import type { InventoryIssue } from './errors.ts';
import { formatFieldPath, type FieldPath } from './field-path.ts';
import type { ClusterEntry, EnvironmentFile, FleetFile } from './schema.ts';
import type { SystemFile } from './system-schema.ts';
import type { Target, YamlSource } from './yaml-source.ts';
import type { CatalogEntry } from '../model/fleet.ts';

export interface EnvironmentInput {
  /** From the file name. */
  readonly name: string;
  readonly source: YamlSource;
  /** The file's content when it passed the schema. */
  readonly value: EnvironmentFile | undefined;
}

export interface ClustersInput {
  readonly source: YamlSource;
  /** Per list index: the entry when it passed the schema. */
  readonly entries: readonly (ClusterEntry | undefined)[];
  /** Per list index: the `name` as written, when it is a string (duplicate checks need no more). */
  readonly names: readonly (string | undefined)[];
  /** The whole file passed the schema, so "no cluster for X" conclusions are safe. */
  readonly complete: boolean;
}

/** One `systems/<name>.yaml`. */
export interface SystemInput {
  /** From the file name: the system's stack and namespace. */
  readonly name: string;
  readonly source: YamlSource;
  /** The file's content when it passed the schema. */
  readonly value: SystemFile | undefined;
}

export interface CrossCheckInput {
  readonly catalog: readonly CatalogEntry[];
  /** The systems, sorted by name (absent in callers that read no system files). */
  readonly systems?: readonly SystemInput[];
  readonly fleet: { readonly source: YamlSource; readonly value: FleetFile } | undefined;
  readonly clusters: ClustersInput | undefined;
  readonly environments: readonly EnvironmentInput[];
  /** Repo-relative environments folder, for the "no environments" issue. */
  readonly environmentsDir: string;
}

export type Report = (issue: InventoryIssue) => void;

/** An issue at a field of a parsed file. */
export const issueAt = (source: YamlSource, path: FieldPath, target: Target, message: string): InventoryIssue => {
  const pos = source.position(path, target);
  return { file: source.file, line: pos.line, col: pos.col, field: formatFieldPath(path), message };
};

/** Whole-file issues (file name, no cluster, promotion gap) point at the file's first line. */
export const issueOnFile = (file: string, field: string, message: string): InventoryIssue => ({
  file,
  line: 1,
  col: 1,
  field,
  message,
});

/** The cluster entries that passed the schema, with their list index. */
export const validClusters = (clusters: ClustersInput | undefined): Array<{ index: number; entry: ClusterEntry }> =>
  (clusters?.entries ?? []).flatMap((entry, index) => (entry === undefined ? [] : [{ index, entry }]));
