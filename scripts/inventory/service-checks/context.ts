// What every rule about one service reads: the spec as written (where issues point), the spec completed by its
// preset (what will run), the other services of the system, and the environments the service runs in.
import { issueAt, type Report } from '../cross-check-input.ts';
import { formatFieldPath, type FieldPath, type PathSegment } from '../field-path.ts';
import { listWords } from '../messages.ts';
import type { ServiceSpec, SystemFile } from '../system-schema.ts';
import type { Target, YamlSource } from '../yaml-source.ts';
import { applyPreset } from '../../components/services/presets/index.ts';

export interface ServiceContext {
  readonly src: YamlSource;
  readonly system: SystemFile;
  readonly name: string;
  /** As written in the file. */
  readonly spec: ServiceSpec;
  /** After the preset's defaults (the spec itself for a plain service). */
  readonly full: ServiceSpec;
  /** Another service of the system, completed by its preset; undefined when there is none of that name. */
  readonly service: (name: string) => ServiceSpec | undefined;
  readonly serviceNames: readonly string[];
  /** The environments the system's and the service's placement admit, in the inventory's order. */
  readonly runsIn: readonly string[];
  /** Report at a path under `services.<name>`, written in terms of the completed spec (see `locate`). */
  readonly issue: (path: FieldPath, target: Target, message: string) => void;
  /** Report at a path under `services.<name>` of the spec as written (rules about the user's own lists). */
  readonly issueOwn: (path: FieldPath, target: Target, message: string) => void;
  /** Report an issue placed by a shared check (settings-checks.ts builds its own paths). */
  readonly report: Report;
  /** The line of a path under `services.<name>` as written, for "already at line N" messages. */
  readonly lineOf: (path: FieldPath) => number;
}

/** The spec service `name` runs with: its preset's defaults under the user's fields (the spec itself without a preset). */
export const completed = (name: string, spec: ServiceSpec): ServiceSpec => applyPreset(name, spec).spec;

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether the data has a value at the path. */
const has = (data: unknown, path: FieldPath): boolean => {
  let at: unknown = data;
  for (const seg of path) {
    if (typeof seg === 'number') {
      if (!Array.isArray(at) || seg >= at.length) return false;
      at = at[seg];
    } else {
      if (!isRecord(at) || !Object.hasOwn(at, seg)) return false;
      at = at[seg];
    }
  }
  return at !== undefined;
};

/** Lists a preset merges by name: an index into the completed list is another index (or none) in the user's. */
const MERGED_BY_NAME: ReadonlySet<PathSegment> = new Set(['volumes', 'env']);

/**
 * Where an issue about the completed spec's `path` belongs in the file: the user's field when they wrote it, else the
 * `preset` field (the preset brought it). Lists merged by name map their index through the name.
 */
export function locate(spec: ServiceSpec, full: ServiceSpec, path: FieldPath): { path: FieldPath; target?: Target } {
  let mapped: PathSegment[] = [...path];
  const [head, index] = path;
  if (typeof head === 'string' && MERGED_BY_NAME.has(head) && typeof index === 'number') {
    const list = (full as Record<string, unknown>)[head];
    const item: unknown = Array.isArray(list) ? list[index] : undefined;
    const itemName = isRecord(item) ? item.name : undefined;
    const own = (spec as Record<string, unknown>)[head];
    const userIndex = Array.isArray(own) ? own.findIndex((v: unknown) => isRecord(v) && v.name === itemName) : -1;
    if (userIndex < 0) return spec.preset !== undefined ? { path: ['preset'], target: 'value' } : { path };
    mapped = [head, userIndex, ...path.slice(2)];
  }
  // A list item or probe the user wrote is theirs (even where a default fills a field they left out); else the preset's.
  const owner = mapped.slice(0, typeof mapped[1] === 'number' || head === 'probes' ? 2 : 1);
  if (spec.preset === undefined || has(spec, owner)) return { path: mapped };
  return { path: ['preset'], target: 'value' };
}

export function serviceContext(
  src: YamlSource,
  system: SystemFile,
  name: string,
  spec: ServiceSpec,
  services: Readonly<Record<string, ServiceSpec>>,
  runsIn: readonly string[],
  report: Report,
): ServiceContext {
  const failed: string[] = [];
  // A preset that cannot complete a spec is a bug in the preset; say so at the field rather than abort the whole check.
  const complete = (svc: string, svcSpec: ServiceSpec): ServiceSpec => {
    try {
      return completed(svc, svcSpec);
    } catch (e) {
      if (svc === name) failed.push(e instanceof Error ? e.message : String(e));
      return svcSpec;
    }
  };
  const full = complete(name, spec);
  const cache = new Map<string, ServiceSpec>([[name, full]]);
  const service = (other: string): ServiceSpec | undefined => {
    if (!Object.hasOwn(services, other)) return undefined;
    const found = cache.get(other) ?? complete(other, services[other] as ServiceSpec);
    cache.set(other, found);
    return found;
  };
  for (const message of failed) {
    report(issueAt(src, ['services', name, 'preset'], 'value', `internal error: the ${spec.preset ?? ''} preset could not complete this service (${message}); its rules were checked on the spec as written`));
  }
  const issue = (path: FieldPath, target: Target, message: string): void => {
    const where = locate(spec, full, path);
    report(issueAt(src, ['services', name, ...where.path], where.target ?? target, message));
  };
  const issueOwn = (path: FieldPath, target: Target, message: string): void => {
    report(issueAt(src, ['services', name, ...path], target, message));
  };
  const lineOf = (path: FieldPath): number => src.position(['services', name, ...path], 'value').line;
  return { src, system, name, spec, full, service, serviceNames: Object.keys(services), runsIn, issue, issueOwn, report, lineOf };
}

/**
 * Exactly one of `keys` set on `value` (a mapping at `path`): none is reported at the mapping, several at the second.
 * `none` words the "nothing set" case when it has a name of its own ("a KEDA trigger without its connection").
 */
export function exactlyOne<K extends string>(
  issue: ServiceContext['issue'],
  path: FieldPath,
  value: object,
  keys: readonly K[],
  none?: string,
): K | undefined {
  // In the file's order (the parsed mapping keeps it): the second one written is the one to remove.
  const set = Object.keys(value).filter((k): k is K => (keys as readonly string[]).includes(k) && (value as Record<string, unknown>)[k] !== undefined);
  const choices = `exactly one of ${listWords(keys).replace(/ and ([^ ]+)$/, ' or $1')}`;
  if (set.length === 0) issue(path, 'value', `${none !== undefined ? `${none}: ` : ''}expected ${choices}, found none`);
  else if (set.length > 1) issue([...path, set[1] as K], 'key', `expected ${choices}, found ${listWords(set)}`);
  return set.length === 1 ? set[0] : undefined;
}

/** `services.<name>.<path>` as people read it in a message. */
export const fieldOf = (ctx: ServiceContext, ...path: PathSegment[]): string => formatFieldPath(['services', ctx.name, ...path]);
