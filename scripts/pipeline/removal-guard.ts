// Removing a cluster or stack from the inventory removes Applications from the generated ApplicationSets.
// That must be deliberate: `pnpm gen` compares the Applications the committed ApplicationSets produce with
// the ones the new render produces and refuses removals that `--allow-removal <name>` does not name.
import { load } from 'js-yaml';
import { renderTemplate } from '../argocd/go-template.ts';
import type { GoValue } from '../argocd/go-values.ts';
import { CliError, ExitCode } from '../lib/exit-codes.ts';
import { GEN_COMMAND } from '../lib/layout.ts';
import { assertNoConflictMarkers, RESOLVE_COMMAND } from '../merge/conflict-markers.ts';

export interface GeneratedApplication {
  readonly name: string;
  readonly applicationSet: string;
  readonly project: string;
  readonly destination: string;
  readonly namespace: string;
  readonly source: string;
}

/**
 * Renders a template field with the same Go-template evaluator `pnpm apps` uses (missingkey=error, as in every
 * generated ApplicationSet); anything it cannot evaluate is an error, never a guess.
 */
const fill = (template: string, element: Record<string, unknown>, where: string): string => {
  try {
    return renderTemplate(template, element as GoValue, { missingKey: 'error' });
  } catch (e) {
    throw unreadable(where, `cannot evaluate template "${template}": ${e instanceof Error ? e.message : String(e)}`);
  }
};

/**
 * A committed ApplicationSet the guard cannot read was damaged after the last `pnpm gen` (a bad hand edit, a merge):
 * exit 5 naming it and the way back, never a parser's stack trace.
 */
const unreadable = (path: string, why: string): CliError =>
  new CliError(
    `${path}: this generated ApplicationSet cannot be read (${why}), so removed Applications cannot be checked; ` +
      `restore it with \`git checkout HEAD -- ${path}\` and run \`${GEN_COMMAND}\` again ` +
      `(after a merge, run \`${RESOLVE_COMMAND}\` instead)`,
    ExitCode.Precondition,
  );

/** The parsed document; conflict markers and YAML errors become `unreadable`. */
const loadAppSet = (path: string, content: string): Doc | null => {
  assertNoConflictMarkers(path, content);
  try {
    return load(content) as Doc | null;
  } catch (e) {
    // js-yaml's YAMLException has `reason` and a 0-based `mark.line`; its message adds a code excerpt not needed here.
    // Checked: js-yaml 5.5.0 (the installed package) : dist/js-yaml.mjs (class YAMLException, formatError)
    const mark = (e as { mark?: { line?: number } }).mark;
    const reason = (e as { reason?: string }).reason ?? (e instanceof Error ? e.message.split('\n')[0] : String(e));
    throw unreadable(mark?.line !== undefined ? `${path}:${mark.line + 1}` : path, `not valid YAML: ${reason}`);
  }
};

type Doc = {
  kind?: string;
  metadata?: { name?: string };
  spec?: {
    generators?: Array<{ list?: { elements?: Array<Record<string, unknown>> } }>;
    template?: {
      metadata?: { name?: string };
      spec?: {
        project?: string;
        destination?: { name?: string; server?: string; namespace?: string };
        source?: { path?: string; chart?: string; targetRevision?: string };
        sources?: Array<{ path?: string; chart?: string; targetRevision?: string; ref?: string }>;
      };
    };
  };
};

/** The Applications that ApplicationSet files (YAML text) produce through their list generators. */
export const applicationsOf = (texts: readonly { path: string; content: string }[]): Map<string, GeneratedApplication> => {
  const apps = new Map<string, GeneratedApplication>();
  for (const { path, content } of texts) {
    const doc = loadAppSet(path, content);
    if (doc?.kind !== 'ApplicationSet') continue;
    const t = doc.spec?.template;
    for (const gen of doc.spec?.generators ?? []) {
      for (const el of gen.list?.elements ?? []) {
        const where = `${path}`;
        const name = fill(t?.metadata?.name ?? '', el, where);
        const d = t?.spec?.destination ?? {};
        // Multi-source (an add-on with a `$values` source): the chart, or the first folder.
        const src = t?.spec?.source ?? t?.spec?.sources?.find((x) => x.chart !== undefined || x.path !== undefined) ?? {};
        apps.set(name, {
          name,
          applicationSet: doc.metadata?.name ?? path,
          project: t?.spec?.project ?? '',
          destination: fill(d.name ?? '', el, where) || fill(d.server ?? '', el, where),
          namespace: d.namespace ?? '',
          source: src.path !== undefined ? fill(src.path, el, where) : `${src.chart ?? '?'}@${src.targetRevision ?? '?'}`,
        });
      }
    }
  }
  return apps;
};

export interface RemovalCheck {
  /** Applications the new render no longer produces. */
  readonly removed: readonly GeneratedApplication[];
  /** Applications another ApplicationSet now produces (e.g. progressive sync switched on or off). */
  readonly moved?: ReadonlyArray<{ readonly name: string; readonly from: string; readonly to: string }>;
  /** Removed and not named by --allow-removal. */
  readonly refused: readonly GeneratedApplication[];
  /** --allow-removal names that match no removed Application (probably a typo). */
  readonly unknownAllowed: readonly string[];
}

export const checkRemovals = (
  before: ReadonlyMap<string, GeneratedApplication>,
  after: { has: (name: string) => boolean },
  allowed: readonly string[],
): RemovalCheck => {
  const removed = [...before.values()].filter((a) => !after.has(a.name)).sort((a, b) => a.name.localeCompare(b.name));
  const names = new Set(removed.map((a) => a.name));
  return {
    removed,
    refused: removed.filter((a) => !allowed.includes(a.name)),
    unknownAllowed: allowed.filter((n) => !names.has(n)).sort(),
  };
};

type AppSetFile = { readonly path: string; readonly content: string };

/**
 * The same check as `checkRemovals(applicationsOf(before), applicationsOf(after), allowed)`, but it parses only
 * what can matter: an ApplicationSet file whose bytes did not change produces the same Applications before and
 * after, so only changed files can remove one — and unchanged files are read only to clear an Application that
 * merely moved into them. A no-op `pnpm gen` of a thousand clusters parses nothing.
 */
export const checkRemovalsBetween = (before: readonly AppSetFile[], after: readonly AppSetFile[], allowed: readonly string[]): RemovalCheck => {
  const next = new Map(after.map((f) => [f.path, f.content]));
  const prev = new Map(before.map((f) => [f.path, f.content]));
  const changedBefore = before.filter((f) => next.get(f.path) !== f.content);
  const changedAfter = after.filter((f) => prev.get(f.path) !== f.content);
  if (changedBefore.length === 0) return checkRemovals(new Map(), new Map(), allowed);
  const produced = applicationsOf(changedAfter);
  const kept = new Set(produced.keys());
  const previous = applicationsOf(changedBefore);
  const candidates = new Map([...previous].filter(([name]) => !kept.has(name)));
  if (candidates.size > 0) {
    for (const name of applicationsOf(after.filter((f) => prev.get(f.path) === f.content)).keys()) kept.add(name);
  }
  const moved = [...previous.values()]
    .flatMap((a) => {
      const now = produced.get(a.name);
      return now !== undefined && now.applicationSet !== a.applicationSet ? [{ name: a.name, from: a.applicationSet, to: now.applicationSet }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { ...checkRemovals(candidates, kept, allowed), moved };
};

const describe = (a: GeneratedApplication): string =>
  `  - ${a.name}  (ApplicationSet ${a.applicationSet}, project ${a.project}, ${a.destination}/${a.namespace}, ${a.source})`;

export const formatRefusal = (c: RemovalCheck): string =>
  [
    `refusing to remove ${c.refused.length} Argo CD Application${c.refused.length === 1 ? '' : 's'} the inventory no longer produces:`,
    ...c.refused.map(describe),
    '',
    'If this is intended, name each one: ' + c.refused.map((a) => `--allow-removal ${a.name}`).join(' '),
    'What Argo CD then does: the ApplicationSet controller runs with policy create-update, so it stops managing',
    'these Applications but does not delete them, and their workloads keep running. To retire one while keeping its',
    'workloads: `argocd app delete <name> --cascade=false` (plain `argocd app delete` cascades by default and deletes',
    'every resource of the Application; docs/runbooks.md "Retire a removed Application").',
    'nothing was written',
  ].join('\n');

/**
 * Applications that change ApplicationSet are not removed: the root deletes the retired set once it leaves Git,
 * which only orphans its Applications (resources finalizer + the controller's create-update policy), and the set
 * that now generates them adopts them. Said once, so a reviewer knows nothing is deleted or re-created.
 */
export const formatMoved = (c: RemovalCheck): string => {
  const moved = c.moved ?? [];
  if (moved.length === 0) return '';
  const pairs = [...new Set(moved.map((m) => `${m.from} → ${m.to}`))];
  return [
    `${moved.length} Argo CD Application${moved.length === 1 ? ' moves' : 's move'} to another ApplicationSet: ${pairs.join(', ')}.`,
    'After merge the root deletes each retired ApplicationSet; that orphans its Applications (never deletes them), and',
    'the new ApplicationSet adopts them: no workload is deleted or re-created.',
  ].join('\n');
};

export const formatAllowed = (c: RemovalCheck): string =>
  c.removed.length === 0
    ? ''
    : [
        `removing ${c.removed.length} Argo CD Application${c.removed.length === 1 ? '' : 's'} from Git (allowed):`,
        ...c.removed.map(describe),
        'Argo CD will not delete them by itself (controller policy create-update); when ready, retire each with',
        '`argocd app delete <name> --cascade=false`, which keeps its workloads (without --cascade=false it deletes them).',
      ].join('\n');
