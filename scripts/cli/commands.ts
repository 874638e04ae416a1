// Every command of the repository, with its help text, in one place: the entry point (streamfleet.ts) lists them,
// answers `--help` from here without loading the command (a help or usage line prints in ~0.1 s instead of the
// command's whole module graph), and docs/reference/cli.md is generated from the same texts, so they cannot drift.
// Keep this module free of heavy imports: it is loaded on every invocation.

/** What a command module exports; `main` takes the arguments after the command name. */
export interface CommandModule {
  readonly main: (argv: string[]) => Promise<number>;
}

export interface CommandExample {
  readonly command: string;
  readonly says: string;
}

export type CommandGroup = 'everyday' | 'fleet changes' | 'pull requests' | 'setup';

export interface CommandSpec {
  readonly name: string;
  readonly group: CommandGroup;
  /** One line, shown in the command list. */
  readonly summary: string;
  /** Usage lines, without `usage: `. */
  readonly usage: readonly string[];
  /** What it does, in a few sentences. */
  readonly description: string;
  /** `[flag, text]`; the text may span lines (`\n`). */
  readonly options: readonly (readonly [string, string])[];
  readonly examples: readonly CommandExample[];
  /** Writes files, Git or a cluster: it takes `--dry-run`. */
  readonly writes: boolean;
  /** Prints a report: it takes `--format json`. */
  readonly reports: boolean;
  /** Positional arguments it cannot run without: fewer is a usage error the entry point reports without loading it. */
  readonly requires?: { readonly count: number; readonly what: string };
  readonly load: () => Promise<CommandModule>;
}

const HELP_OPTION = ['-h, --help', 'show this help'] as const;

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'gen',
    group: 'everyday',
    summary: 'render the Kustomize tree and Argo CD manifests from the inventory',
    usage: ['pnpm gen [--check | --dry-run] [--format text|json] [--force] [--allow-removal APP]... [--inventory DIR] [--out DIR]'],
    description:
      'Reads inventory/, renders every generated file and writes them through one writer: only changed files are\n' +
      'written, files it generated before and no longer renders are pruned, hand-edited generated files are refused.\n' +
      'Bad inventory: every problem is listed (file:line: field: what was expected), exit 2, nothing written.',
    options: [
      ['--check', 'write nothing; exit 1 if the tree differs from what would be generated (CI)'],
      ['--dry-run', 'write nothing; list what would be written or pruned, exit 0'],
      ['--format FORMAT', 'text (default) or json: the report of --check, --dry-run or the write'],
      ['--force', 'overwrite (or prune) generated files that were edited by hand'],
      ['--allow-removal APP', 'allow the generated ApplicationSets to stop producing Argo CD Application APP\n(a cluster or stack removed from the inventory); repeat for each, or use `pnpm retire cluster`'],
      ['--inventory DIR', 'inventory folder (default: <out>/inventory)'],
      ['--out DIR', 'repository root to write the tree into (default: .)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm gen', says: 'regenerate after an inventory edit; prints the files it wrote' },
      { command: 'pnpm gen --check', says: 'exit 1 when the committed tree is not what the inventory renders' },
      { command: 'pnpm gen --dry-run --format json', says: 'the files a run would write, as JSON' },
    ],
    writes: true,
    reports: true,
    load: () => import('./gen.ts'),
  },
  {
    name: 'validate',
    group: 'everyday',
    summary: 'build every Application with Kustomize and check it against schemas and policy',
    usage: ['pnpm validate [--root DIR] [--inventory DIR] [--format text|json] [--concurrency N] [--no-cache] [--base REF]'],
    description:
      'Builds every folder an Argo CD Application syncs, checks each object against the Kubernetes and CRD schemas,\n' +
      'the policy rules (Pod Security, RBAC, secrets, ingress…), the Argo CD tree and the monitoring rules.\n' +
      'Exit 1 when a blocking finding exists.',
    options: [
      ['--root DIR', 'repository root holding apps/ and the generated tree (default: current directory)'],
      ['--inventory DIR', 'inventory folder (default: <root>/inventory)'],
      ['--format FORMAT', 'text (default) or json'],
      ['--concurrency N', 'Kustomize builds at once (default: available cores)'],
      ['--no-cache', 'rebuild every path (default: reuse builds whose inputs are unchanged, <root>/.cache/validate/kustomize)'],
      ['--base REF', 'previous render to compare immutable fields with (default: the merge-base of HEAD with\norigin/main when it exists, else HEAD; nothing is compared outside a git repository)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm validate', says: 'every finding, blocking ones first; exit 1 if any blocks' },
      { command: 'pnpm validate --format json | jq \'.findings[] | select(.severity == "error")\'', says: 'the blocking findings as JSON' },
    ],
    writes: false,
    reports: true,
    load: () => import('./validate.ts'),
  },
  {
    name: 'diff',
    group: 'everyday',
    summary: 'what changes per cluster: every rendered Application, before and after',
    usage: ['pnpm diff [--base REF] [--head REF] [--format text|markdown|json] [--root DIR]'],
    description:
      'Renders every Argo CD Application at two revisions with Kustomize and prints what changes, per cluster.\n' +
      'By default it compares HEAD with the working tree (regenerated in a scratch copy), so uncommitted inventory\n' +
      'edits are included.',
    options: [
      ['--base REF', 'revision to compare from (default: HEAD)'],
      ['--head REF', 'revision to compare to (default: the working tree, regenerated in a scratch copy)'],
      ['--format FORMAT', 'text (default; coloured on a terminal), markdown (for a PR comment) or json'],
      ['--color WHEN', 'auto (default), always or never'],
      ['--max-chars N', "markdown size limit (default: GitHub's comment limit)"],
      ['--root DIR', 'the repository (default: current directory)'],
      ['--cache-dir DIR', 'build cache folder (default: node_modules/.cache/streamfleet/kustomize or $STREAMFLEET_CACHE_DIR)'],
      ['--no-cache', 'do not read or write the build cache'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm diff', says: 'what your uncommitted edits change, per cluster' },
      { command: 'pnpm diff --base origin/main --head HEAD', says: 'what your branch changes' },
      { command: 'pnpm diff --format json', says: 'the same, as JSON' },
    ],
    writes: false,
    reports: true,
    load: () => import('./diff.ts'),
  },
  {
    name: 'apps',
    group: 'everyday',
    summary: 'the Argo CD Applications the generated ApplicationSets create, offline',
    usage: ['pnpm apps [--root DIR] [--format text|json] [--build]'],
    description:
      "Expands every generated ApplicationSet with Argo CD's own template and merge semantics and lists the\n" +
      'Applications, their project, destination and source; with --build, also builds each source with Kustomize.',
    options: [
      ['--root DIR', 'repository root holding argocd/ (default: current directory)'],
      ['--format FORMAT', 'text (default) or json'],
      ['--build', 'also build every folder of this repository an Application syncs, with real Kustomize'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm apps', says: 'one line per Application: name, project, cluster, namespace, source' },
      { command: 'pnpm apps --build --format json', says: 'the same with the build result of each, as JSON' },
    ],
    writes: false,
    reports: true,
    load: () => import('./apps.ts'),
  },
  {
    name: 'fleet',
    group: 'everyday',
    summary: 'the fleet at a glance: environments, clusters, stacks, systems',
    usage: ['pnpm fleet [--format text|markdown|mermaid|json] [--inventory DIR]'],
    description: 'Reads the inventory and prints every cluster by environment, in promotion order.',
    options: [
      ['--format FORMAT', 'text (default), markdown, mermaid (the drawing of docs/fleet.md) or json'],
      ['--inventory DIR', 'inventory folder (default: inventory)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm fleet', says: 'a table of clusters per environment' },
      { command: 'pnpm fleet --format json', says: 'the same, as JSON' },
    ],
    writes: false,
    reports: true,
    load: () => import('./fleet.ts'),
  },
  {
    name: 'new',
    group: 'fleet changes',
    summary: 'add a cluster, an app or a service to the inventory, then regenerate',
    usage: [
      'pnpm new cluster <name> --like PEER [--env ENV] [--region REGION] [--domain DOMAIN] [--dry-run] [--root DIR]',
      'pnpm new cluster <name> --env ENV --region REGION [--capability gpu,mesh] [--stacks a,b]',
      '                 [--domain DOMAIN] [--storage-class SC] [--load-balancer LB] [--dry-run] [--root DIR]',
      'pnpm new app <stack>/<name> --image REPOSITORY:TAG --port PORT [--public] [--dry-run] [--root DIR]',
      'pnpm new service <system>/<name> [--preset P] [--image IMAGE] [--port PORT] [--public HOST]',
      '                 [--description TEXT] [--dry-run] [--root DIR]',
    ],
    description:
      'Edits the inventory (comments kept), validates the whole inventory with the same messages as a hand edit\n' +
      '(nothing written on error), then regenerates and prints what changed. A new cluster is a copy of a peer\n' +
      '(--like PEER, else the first by name of its environment\'s clusters): every setting but its identity is\n' +
      'copied; the name is given, the destination is the name, the domain is derived from the peer\'s (the new name\n' +
      'in place of its first label) and the environment and region are the peer\'s unless given. The plan says where\n' +
      'each value came from; what cannot be copied or derived is asked for (exit 2, nothing written). The entry goes\n' +
      'in name order among its environment\'s clusters. An app\'s tag is pinned in every environment that runs its stack.',
    options: [
      ['--like PEER', 'the cluster to copy every non-identity setting from (default: the first by name\nof the environment\'s clusters, preferring those with the --capability set)'],
      ['--env ENV', 'the environment of a new cluster (default with --like: the peer\'s)'],
      ['--region REGION', 'its cloud region (default with --like: the peer\'s)'],
      ['--capability LIST', 'gpu, mesh (comma-separated)'],
      ['--stacks LIST', 'the stacks it runs (default: those of its environment\'s clusters)'],
      ['--domain DOMAIN', 'its public domain (default: derived from the peer\'s)'],
      ['--storage-class SC', 'its default StorageClass'],
      ['--load-balancer LB', 'aws-nlb, gcp-l4, azure-lb, metallb or klipper'],
      ['--image IMAGE', 'app: REPOSITORY:TAG; service: a key of fleet.yaml images'],
      ['--port PORT', 'the HTTP port the app or service listens on'],
      ['--public [HOST]', 'app: a switch (public route); service: the public host, e.g. "api.{domain}"'],
      ['--preset P', 'service: a backing service (postgres, redis, nats, minio, rabbitmq)'],
      ['--description TEXT', "service: the system's description, when the file is created"],
      ['--dry-run', 'print the plan, write nothing'],
      ['--root DIR', 'the repository (default: .)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm new cluster prod-eu-central-1 --like prod-eu-west-1 --region eu-central-1 --dry-run', says: 'the entry it would add, where each value comes from, and the copied values to check' },
      { command: 'pnpm new cluster prod-eu-2 --env prod --region eu-west-2', says: 'add a cluster copied from the first of prod\'s clusters, then regenerate' },
      { command: 'pnpm new app streaming/thumbnailer --image ghcr.io/acme/thumbnailer:1.0.0 --port 8080', says: 'a new app in the streaming stack' },
      { command: 'pnpm new service shop/orders --image orders --public orders.{domain}', says: 'a service of system shop (docs/services.md)' },
    ],
    writes: true,
    reports: false,
    requires: { count: 2, what: 'what to add (cluster, app or service) and its name' },
    load: () => import('./new.ts'),
  },
  {
    name: 'retire',
    group: 'fleet changes',
    summary: 'remove a cluster from the inventory, naming every Argo CD Application it stops generating',
    usage: ['pnpm retire cluster <name> [--dry-run | --yes] [--root DIR]'],
    description:
      'Plans the removal: the inventory entry, the generated folders that go away and every Argo CD Application\n' +
      'the ApplicationSets stop generating (what `pnpm gen` would refuse without --allow-removal). With --yes it\n' +
      'edits the inventory and regenerates, allowing exactly those removals. Without --yes or --dry-run it prints\n' +
      'the plan and exits 5. Argo CD does not delete the Applications: the plan says how to retire them safely.',
    options: [
      ['--dry-run', 'print the plan, write nothing, exit 0'],
      ['--yes', 'remove: edit the inventory and regenerate'],
      ['--root DIR', 'the repository (default: .)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm retire cluster prod-gpu-us-east-1 --dry-run', says: 'the Applications and folders that would go, nothing written' },
      { command: 'pnpm retire cluster prod-gpu-us-east-1 --yes', says: 'remove it and regenerate; then follow the printed Argo CD steps after the merge' },
    ],
    writes: true,
    reports: false,
    requires: { count: 2, what: '`cluster` and the name of the cluster to remove' },
    load: () => import('./retire.ts'),
  },
  {
    name: 'promote',
    group: 'pull requests',
    summary: 'open the PR that promotes image pins from one environment to the next',
    usage: [
      'pnpm promote <from-env> <to-env> [--stack S]... [--app A]... [--skip-reason "…"] [--skip-source-check "…"]',
      '             [--approver LOGIN] [--dry-run] [--format text|json] [--verbose]',
    ],
    description:
      "Copies the source environment's image pins to the target's, regenerates, validates and diffs in a scratch\n" +
      'worktree, then commits, pushes a branch and opens the pull request. With --dry-run it plans from the local\n' +
      'branch and says so.',
    options: [
      ['--stack S', 'promote only the apps of stack S (repeatable; default: every app)'],
      ['--app A', "promote only app A's image pins (repeatable; a catalog component name)"],
      ['--skip-reason TEXT', 'allow promoting past the next environment (needs --approver); recorded in the commit and the PR'],
      ['--skip-source-check TEXT', 'promote although the base commit is not green on GitHub (needs --approver); recorded likewise'],
      ['--approver LOGIN', 'GitHub login of who approved --skip-reason / --skip-source-check; recorded likewise'],
      ['--dry-run', 'plan, edit, gen, validate and diff in a scratch worktree; no commit, push or PR'],
      ['--format FORMAT', 'text (default) or json (the plan: versions, clusters changed, drift, validation)'],
      ['--verbose', 'also print the drift table and every rendered object (default: one line per cluster)'],
      ['--base BRANCH', 'pull request base (default: git.targetRevision of inventory/fleet.yaml)'],
      ['--remote NAME', 'git remote to push to (default: origin)'],
      ['--repo OWNER/NAME', 'GitHub repository (default: $GITHUB_REPOSITORY, else from the remote URL)'],
      ['--api-url URL', 'GitHub API (default: $GITHUB_API_URL or https://api.github.com; GitHub Enterprise: https://HOST/api/v3)'],
      ['--root DIR', 'the repository (default: current directory)'],
      ['--cache-dir DIR', 'build cache folder (default: $STREAMFLEET_CACHE_DIR or node_modules/.cache/streamfleet/kustomize)'],
      ['--no-cache', 'do not read or write the build cache'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm promote dev staging --dry-run', says: 'the version table and the per-cluster changes, nothing pushed' },
      { command: 'pnpm promote dev staging', says: 'opens the promotion PR (needs GITHUB_TOKEN)' },
      { command: 'pnpm promote staging prod --app transcode-api', says: "promote one app's pins" },
    ],
    writes: true,
    reports: true,
    requires: { count: 2, what: 'the environment to promote from and the one to promote to' },
    load: () => import('./promote.ts'),
  },
  {
    name: 'pr-report',
    group: 'pull requests',
    summary: "comment a PR with its rendered diff per cluster and label it (CI's pull-request workflow)",
    usage: ['pnpm pr-report --pr N --base REF [--head REF] [--repo OWNER/NAME] [--api-url URL] [--dry-run] [--format text|json] [--root DIR]'],
    description:
      'Renders the diff between the PR base and head, then creates or updates one comment on the PR and sets the\n' +
      'labels of the clusters and environments it touches. Run by .github/workflows/pull-request.yaml.',
    options: [
      ['--pr N', 'pull request number'],
      ['--base REF', "the PR's base (e.g. origin/main)"],
      ['--head REF', "the PR's head (default: HEAD)"],
      ['--repo OWNER/NAME', 'GitHub repository (default: $GITHUB_REPOSITORY)'],
      ['--api-url URL', 'GitHub API (default: $GITHUB_API_URL or https://api.github.com)'],
      ['--dry-run', 'print the comment and labels instead of calling GitHub'],
      ['--format FORMAT', 'text (default) or json (the comment and labels)'],
      ['--root DIR', 'the repository (default: current directory)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm pr-report --pr 42 --base origin/main --dry-run', says: 'the comment CI would post on PR 42' },
    ],
    writes: true,
    reports: true,
    load: () => import('./pr-report.ts'),
  },
  {
    name: 'resolve',
    group: 'pull requests',
    summary: 'after a merge or rebase: settle conflicts in generated files by regenerating them',
    usage: ['pnpm resolve [--dry-run] [--root DIR]'],
    description:
      'After a merge, rebase or cherry-pick stopped on conflicts: takes ours (HEAD) of every generated file the\n' +
      'operation changed, the ledger included, regenerates them with `pnpm gen` from the merged inventory and stages\n' +
      'them. Refuses (exit 5, nothing changed) while an inventory or hand-written file is still unmerged: resolve\n' +
      'those by hand and `git add` them first. docs/merging.md explains the merge driver and manual recovery.',
    options: [
      ['--dry-run', 'print the plan (paths taken from ours, conflicts settled, files you must resolve), change nothing'],
      ['--root DIR', 'the repository (default: current directory)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm resolve', says: 'after `git merge origin/main` stopped on conflicts in generated files: regenerate them and `git add` them' },
      { command: 'pnpm resolve --dry-run', says: 'what it would take from ours and what you must resolve by hand' },
    ],
    writes: true,
    reports: false,
    load: () => import('./resolve.ts'),
  },
  {
    name: 'bootstrap',
    group: 'setup',
    summary: 'install Argo CD and the root Application on the hub, once',
    usage: ['pnpm bootstrap --context HUB [--dry-run] [--root DIR]'],
    description:
      'Runs the one-time installation of the hub: helm installs the pinned Argo CD chart with the generated values,\n' +
      'then applies the root Application; from then on Argo CD manages itself from Git.',
    options: [
      ['--context HUB', 'kubeconfig context of the hub cluster that runs Argo CD'],
      ['--dry-run', 'print the commands instead of running them'],
      ['--root DIR', 'repository root (default: .)'],
      HELP_OPTION,
    ],
    examples: [
      { command: 'pnpm bootstrap --context hub --dry-run', says: 'the helm and kubectl commands it would run' },
      { command: 'pnpm bootstrap --context hub', says: 'install Argo CD on the cluster of context "hub"' },
    ],
    writes: true,
    reports: false,
    load: () => import('./bootstrap.ts'),
  },
];

/** Development scripts: not part of the CLI, listed in its help so that `pnpm` has no hidden commands. */
export const DEVELOPMENT_SCRIPTS: readonly (readonly [string, string])[] = [
  ['pnpm test', 'the test suite (vitest); `bash .ci/test-services start` first for the backup tests'],
  ['pnpm typecheck', 'tsc --noEmit'],
  ['pnpm lint', 'eslint'],
  ['pnpm bench', 'benchmarks: gen, validate and CLI startup (docs/benchmarks.md)'],
  ['pnpm charts:catalog', 'rebuild the chart catalogs of the pinned charts'],
  ['pnpm dev <command>', 'run a command from the TypeScript sources with tsx (no build)'],
];

export const commandNamed = (name: string): CommandSpec | undefined => COMMANDS.find((c) => c.name === name);

const indent = (text: string, by: string): string => text.split('\n').map((l) => `${by}${l}`).join('\n');

/** The option lines, the flag column padded to the longest flag. */
const optionLines = (options: CommandSpec['options']): string => {
  const width = Math.max(...options.map(([flag]) => flag.length)) + 2;
  return options
    .map(([flag, text]) => {
      const [first = '', ...rest] = text.split('\n');
      return [`  ${flag.padEnd(width)}${first}`, ...rest.map((l) => `  ${' '.repeat(width)}${l}`)].join('\n');
    })
    .join('\n');
};

/** `usage: …` and its continuation lines. */
export const usageOf = (spec: CommandSpec): string =>
  spec.usage.map((line, i) => `${i === 0 ? 'usage: ' : '       '}${line}`).join('\n');

/** The full `--help` text of a command. */
export const helpText = (spec: CommandSpec): string =>
  [
    `pnpm ${spec.name}: ${spec.summary}`,
    '',
    usageOf(spec),
    '',
    spec.description,
    '',
    'options:',
    optionLines(spec.options),
    '',
    'examples:',
    spec.examples.map((e) => `  ${e.command}\n${indent(e.says, '      ')}`).join('\n'),
    '',
  ].join('\n');

/** A registered command, for the commands' own modules: a typo in a name is a bug of the caller. */
const registered = (name: string): CommandSpec => {
  const spec = commandNamed(name);
  if (spec === undefined) throw new Error(`no command "${name}" in scripts/cli/commands.ts`);
  return spec;
};

/** The help of a registered command. */
export const helpFor = (name: string): string => helpText(registered(name));

const GROUPS: readonly CommandGroup[] = ['everyday', 'fleet changes', 'pull requests', 'setup'];

/** `pnpm commands`: every command by group, then the development scripts. */
export const commandList = (): string => {
  const width = Math.max(...COMMANDS.map((c) => c.name.length), ...DEVELOPMENT_SCRIPTS.map(([s]) => s.length - 5)) + 2;
  const lines = ['streamfleet: a GitOps repository generator for media-streaming fleets', '', 'usage: pnpm <command> [options]   (pnpm <command> --help for its options and examples)', ''];
  for (const group of GROUPS) {
    const inGroup = COMMANDS.filter((c) => c.group === group);
    if (inGroup.length === 0) continue;
    lines.push(`${group}:`, ...inGroup.map((c) => `  ${c.name.padEnd(width)}${c.summary}`), '');
  }
  lines.push('development:', ...DEVELOPMENT_SCRIPTS.map(([s, text]) => `  ${s.replace(/^pnpm /, '').padEnd(width)}${text}`), '');
  lines.push('exit codes: 0 ok, 1 findings, 2 bad input or usage, 3 filesystem refusal, 4 remote/API failure,', '            5 precondition or conflict, 70 internal error (a bug), 130 interrupted', '');
  return lines.join('\n');
};

/** What a usage error prints after its message: the usage lines and where the rest is. */
export const usageFor = (name: string): string => {
  const spec = registered(name);
  return `${usageOf(spec)}\n(pnpm ${name} --help: every option, with examples)`;
};

/**
 * The flags a command accepts, from its option list: `--format FORMAT` → `--format` (takes a value), `-h, --help` →
 * both names. A test keeps this a superset of what each command module parses, so the entry point can refuse an
 * unknown flag before loading the command.
 */
export const flagsOf = (spec: CommandSpec): ReadonlyMap<string, { readonly takesValue: boolean }> => {
  const flags = new Map<string, { takesValue: boolean }>();
  for (const [flag] of spec.options) {
    for (const alias of flag.split(', ')) {
      const [name = '', value] = alias.split(' ');
      // `--public [HOST]`: a value for one subcommand, a switch for another; never consume the next argument.
      flags.set(name, { takesValue: value !== undefined && !value.startsWith('[') });
    }
  }
  return flags;
};

/** What the entry point can tell about a command line from the registry alone. */
export interface ArgumentScan {
  /** The first argument that looks like a flag and is not one of the command's. */
  readonly unknown?: string;
  /** Arguments that are neither flags nor flag values (everything after a `--` included). */
  readonly positionals: number;
}

/**
 * Scan `argv` with the command's flags: values of flags that take one are skipped (`--base -x` is left to the
 * command's own parser), `--name=value` is one argument, and everything after `--` is positional.
 */
export const scanArguments = (spec: CommandSpec, argv: readonly string[]): ArgumentScan => {
  const flags = flagsOf(spec);
  let positionals = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') return { positionals: positionals + argv.length - i - 1 };
    if (!arg.startsWith('-') || arg === '-') {
      positionals++;
      continue;
    }
    const [name = '', inline] = arg.split(/=(.*)/s);
    const flag = flags.get(name);
    if (flag === undefined) return { unknown: name, positionals };
    if (flag.takesValue && inline === undefined) i++;
  }
  return { positionals };
};

/** The first unknown flag of `argv` for the command, or undefined. */
export const unknownFlag = (spec: CommandSpec, argv: readonly string[]): string | undefined => scanArguments(spec, argv).unknown;
