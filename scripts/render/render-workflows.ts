// The GitOps repository's own CI: GitHub Actions workflows, generated so that their choices (environments,
// stacks) follow the inventory. House rules: actions pinned by commit SHA, least-privilege `permissions`
// (read-only by default, write only on the job that needs it), no `${{ }}` expansion inside `run:` (inputs go
// through env), and a concurrency group per target environment so two promotions cannot race.
import { posixJoin, WORKFLOWS_DIR } from '../lib/layout.ts';
import { allStacks, type Fleet } from '../model/fleet.ts';
import type { GeneratedFile } from './generated-file.ts';
import { generatedHeader, yamlBody } from './serialize.ts';

/** Pinned first-party actions (the SHA is what runs; the comment is for people and update bots). */
export const PINNED_ACTIONS = {
  checkout: { uses: 'actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683', version: 'v4.2.2' },
  setupNode: { uses: 'actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af', version: 'v4.1.0' },
} as const;

export const PNPM_VERSION = '12.21.0';

/**
 * Debian/Ubuntu packages the tests build against: Go with sprig and the YAML libraries, to run Argo CD's template
 * engine and a `helm template` renderer for real; nginx (with njs) and promtool, to run the generated configs and rules. The same list is in .ci/install-packages, which the README's first
 * command and .ci/run call (tests/workflows checks they agree). The workflow lists them itself: a GitHub runner has
 * sudo, and the step then reads as what it installs.
 */
export const TEST_APT_PACKAGES = [
  'golang-go',
  'golang-github-masterminds-sprig-dev',
  'golang-k8s-sigs-yaml-dev',
  'golang-gopkg-yaml.v2-dev',
  'golang-gopkg-yaml.v3-dev',
  'golang-github-burntsushi-toml-dev',
  'shellcheck',
  // Real nginx with njs runs the generated edge and origin-sidecar configs (tests/streaming/nginx-*).
  'nginx',
  'libnginx-mod-http-js',
  // promtool checks and unit-tests the generated alert and recording rules.
  'prometheus',
  // amtool checks the generated Alertmanager configuration and tests its routes and inhibitions.
  'prometheus-alertmanager',
  // The origin-http sidecar's drain hook polls xiu with wget (busybox's in the image); its test runs it for real.
  'wget',
  // The database backup tests (tests/backups) run the backup, verify and restore scripts against real servers and the
  // real AWS CLI; .ci/test-services starts the servers.
  'postgresql',
  'redis-server',
  'awscli',
] as const;
/**
 * The Node lines the checks run on: the LTS lines inside package.json's `engines.node` (tests/workflows/node-range
 * checks they agree). Jobs that only run a command (the PR report, promotion) use the newest.
 * Checked: actions/setup-node @ v4.1.0 : action.yml (`node-version`: "Version Spec of the version to use. Examples:
 * 12.x, 10.15.1, >=10.15.0") and README.md ("Matrix Testing": `node-version: ${{ matrix.node }}`).
 */
export const NODE_VERSIONS = ['22', '24'] as const;
const NEWEST_NODE = NODE_VERSIONS[NODE_VERSIONS.length - 1]!;

const setupSteps = (fetchDepth?: number, nodeVersion: string = NEWEST_NODE): unknown[] => [
  { name: 'Check out', uses: PINNED_ACTIONS.checkout.uses, with: fetchDepth === undefined ? undefined : { 'fetch-depth': fetchDepth } },
  { name: 'Set up Node', uses: PINNED_ACTIONS.setupNode.uses, with: { 'node-version': nodeVersion } },
  { name: 'Install pnpm and dependencies', run: `npm install -g pnpm@${PNPM_VERSION}\npnpm install --frozen-lockfile\n` },
];

const pullRequestWorkflow = (): Record<string, unknown> => ({
  name: 'pull request',
  on: { pull_request: { branches: ['main'] } },
  permissions: { contents: 'read' },
  concurrency: { group: 'pr-${{ github.event.pull_request.number }}', 'cancel-in-progress': true },
  jobs: {
    check: {
      name: 'generated tree, validation, tests (Node ${{ matrix.node }})',
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': 20,
      permissions: { contents: 'read' },
      // Every supported Node line; one failing line does not cancel the other, so a run shows both.
      strategy: { 'fail-fast': false, matrix: { node: [...NODE_VERSIONS] } },
      steps: [
        ...setupSteps(undefined, '${{ matrix.node }}'),
        {
          name: 'Generated tree is current',
          run: 'pnpm gen --check || { echo "::error::The generated tree is stale: run \'pnpm gen\' and commit the result."; exit 1; }\n',
        },
        { name: 'Validate every Application (annotations)', run: 'pnpm validate\n' },
        { name: 'Typecheck', run: 'pnpm typecheck\n' },
        { name: 'Lint', run: 'pnpm lint\n' },
        { name: 'Install the packages the tests build against', run: `sudo apt-get update\nsudo apt-get install -y --no-install-recommends ${TEST_APT_PACKAGES.join(' ')}\n` },
        { name: 'Start the test databases', run: 'bash .ci/test-services start\n' },
        { name: 'Tests', run: 'pnpm test\n' },
      ],
    },
    report: {
      name: 'rendered diff and labels',
      // Pull requests from forks get a read-only token: no comment there, the check job still runs.
      if: 'github.event.pull_request.head.repo.full_name == github.repository',
      'runs-on': 'ubuntu-latest',
      'timeout-minutes': 15,
      permissions: { contents: 'read', 'pull-requests': 'write', issues: 'write' },
      steps: [
        ...setupSteps(0),
        {
          name: 'Comment the rendered diff and label the PR',
          env: {
            GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
            PR_NUMBER: '${{ github.event.pull_request.number }}',
            BASE_REF: '${{ github.base_ref }}',
          },
          run: 'pnpm pr-report --pr "$PR_NUMBER" --base "origin/$BASE_REF" --head HEAD\n',
        },
      ],
    },
  },
});

const promoteWorkflow = (fleet: Fleet): Record<string, unknown> => {
  const envs = fleet.environments.map((e) => e.name);
  return {
    name: 'promote',
    on: {
      workflow_dispatch: {
        inputs: {
          from: { description: 'Environment to promote from', required: true, type: 'choice', options: envs.slice(0, -1) },
          to: { description: 'Environment to promote to (its direct successor)', required: true, type: 'choice', options: envs.slice(1) },
          stack: { description: 'Only this stack (empty: all)', required: false, type: 'choice', options: ['', ...allStacks(fleet)], default: '' },
        },
      },
    },
    permissions: { contents: 'read' },
    // One promotion per target environment at a time; a second one waits instead of racing the first.
    concurrency: { group: 'promote-${{ inputs.to }}', 'cancel-in-progress': false },
    jobs: {
      promote: {
        name: 'open the promotion pull request',
        'runs-on': 'ubuntu-latest',
        'timeout-minutes': 20,
        permissions: { contents: 'write', 'pull-requests': 'write', issues: 'write' },
        steps: [
          ...setupSteps(0),
          {
            name: 'Git identity',
            run: 'git config user.name "github-actions[bot]"\ngit config user.email "41898282+github-actions[bot]@users.noreply.github.com"\n',
          },
          {
            name: 'Promote',
            env: {
              // PRs opened with the workflow token do not trigger other workflows; a PROMOTE_TOKEN secret
              // (GitHub App or fine-grained token) makes the pull-request checks run on them.
              GITHUB_TOKEN: '${{ secrets.PROMOTE_TOKEN || secrets.GITHUB_TOKEN }}',
              FROM: '${{ inputs.from }}',
              TO: '${{ inputs.to }}',
              STACK: '${{ inputs.stack }}',
            },
            run: 'pnpm promote "$FROM" "$TO" ${STACK:+--stack "$STACK"}\n',
          },
        ],
      },
    },
  };
};

/** Serialised like every generated file; each pinned SHA gets its release as a trailing comment for update bots. */
const workflowFile = (name: string, workflow: Record<string, unknown>): GeneratedFile => {
  let content = generatedHeader() + yamlBody(workflow);
  for (const action of Object.values(PINNED_ACTIONS)) {
    content = content.split(`uses: ${action.uses}\n`).join(`uses: ${action.uses} # ${action.version}\n`);
  }
  return { path: posixJoin(WORKFLOWS_DIR, name), content };
};

export const renderWorkflows = (fleet: Fleet): GeneratedFile[] => [
  workflowFile('pull-request.yaml', pullRequestWorkflow()),
  workflowFile('promote.yaml', promoteWorkflow(fleet)),
];
