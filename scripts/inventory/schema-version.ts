// The inventory's format version. Every inventory file carries its own top-level `schemaVersion` (not one for the
// whole inventory in fleet.yaml): each file is validated on its own, by this loader and by editors through its
// schema modeline, and a file copied from another repository or written by another tool says which format it is in.
// A missing version is an error rather than a default: a default would read a file of any future format as format 1.
import type { InventoryIssue } from './errors.ts';
import type { YamlSource } from './yaml-source.ts';

/** The format this streamfleet writes (`pnpm new`, the shipped inventory). */
export const SCHEMA_VERSION = 1;
/** The oldest format this streamfleet still reads. */
export const OLDEST_SCHEMA_VERSION = 1;

export const SCHEMA_VERSION_FIELD = 'schemaVersion';

export interface VersionRange {
  readonly oldest: number;
  readonly current: number;
  /**
   * For each retired format: how to bring a file in it up to date (a command or the edits to make). A format below
   * `oldest` without an entry was never released.
   */
  readonly migrations: ReadonlyMap<number, string>;
}

/** Formats before 1 were never released; each later format that stops being read adds its migration here. */
export const SUPPORTED: VersionRange = { oldest: OLDEST_SCHEMA_VERSION, current: SCHEMA_VERSION, migrations: new Map() };

const rangeWords = (range: VersionRange): string => `${range.oldest}–${range.current}`;

/** The fix for a file without a version, for the schema's "missing required field" issue. */
export const missingVersionHint = (range: VersionRange = SUPPORTED): string =>
  `add "${SCHEMA_VERSION_FIELD}: ${range.current}" as the file's first field (the inventory format it is written in)`;

/**
 * Why a file's version cannot be read, or undefined when it can (or is absent or not an integer, which the schema
 * reports). Pure, with the range as a parameter so the newer/older messages are testable before a format 2 exists.
 */
export function versionProblem(found: number, range: VersionRange = SUPPORTED): string | undefined {
  if (found > range.current) {
    return `written by a newer streamfleet (format ${found}, this one reads ${rangeWords(range)}): upgrade streamfleet to read it`;
  }
  if (found < range.oldest) {
    const migration = range.migrations.get(found);
    return migration !== undefined
      ? `written in format ${found}, which this streamfleet no longer reads (it reads ${rangeWords(range)}): ${migration}`
      : `format ${found} was never released (this streamfleet reads ${rangeWords(range)}): write ${SCHEMA_VERSION_FIELD}: ${range.current}`;
  }
  return undefined;
}

/**
 * The version check that runs before the schema: a file in a format this loader does not read yields one issue and
 * is not validated further (a newer format's fields would each be an "unknown field", which hides the one real
 * problem). Returns the issue, if any.
 */
export function checkSchemaVersion(source: YamlSource, range: VersionRange = SUPPORTED): InventoryIssue | undefined {
  const data = source.data;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const found: unknown = (data as Record<string, unknown>)[SCHEMA_VERSION_FIELD];
  if (typeof found !== 'number' || !Number.isInteger(found)) return undefined;
  const problem = versionProblem(found, range);
  if (problem === undefined) return undefined;
  const pos = source.position([SCHEMA_VERSION_FIELD], 'value');
  return { file: source.file, line: pos.line, col: pos.col, field: SCHEMA_VERSION_FIELD, message: problem };
}
