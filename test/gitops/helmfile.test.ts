import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { needsShared } from '../helpers/shared.js';
import { objectSet } from '../helpers/object-sets.js';
import { CHART, installHelm4Plugin, METRICS_SERVER, newHelmHome, POSTRENDER, type HelmHome } from '../integration/paths.js';
import { run, type ProcessRun } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';

/**
 * gitops/helmfile/helmfile.yaml.gotmpl run by the real helmfile, with Helm 3 (the
 * post-renderer executable) and Helm 4 (the krmkit plugin, `--helm-binary`). Each
 * environment's `helmfile template` must give the objects of each release's
 * `helm template … --post-renderer …` typed by hand.
 */
const HELMFILE = join(REPO_ROOT, 'gitops', 'helmfile', 'helmfile.yaml.gotmpl');
type Helm = 'helm3' | 'helm4';
type Environment = 'dev' | 'prod';

interface Release {
  name: string;
  namespace: string;
  chart: string;
  /** The post-renderer arguments the helmfile gives this release, for an environment. */
  args: (environment: Environment, reportDir: string) => string[];
}

const RELEASES: Release[] = [
  { name: 'demo', namespace: 'shop', chart: CHART, args: (environment) => [`--overlay=${environment}`] },
  {
    name: 'metrics-server',
    namespace: 'monitoring',
    chart: METRICS_SERVER,
    args: (environment, reportDir) => [`--overlay=${environment}`, `--report=${reportDir}/krmkit-metrics-server-${environment}.log`],
  },
];

const homes: Record<Helm, HelmHome> = { helm3: newHelmHome(), helm4: newHelmHome() };

beforeAll(async () => {
  const install = await installHelm4Plugin(homes.helm4);
  expect(install.status, install.stderr).toBe(0);
});

function environmentFor(helm: Helm, reportDir: string): Record<string, string> {
  return { ...homes[helm].env, KRMKIT_REPORT_DIR: reportDir, ...(helm === 'helm4' ? { KRMKIT_POSTRENDERER: 'krmkit' } : {}) };
}

function helmfile(helm: Helm, environment: Environment, command: readonly string[], reportDir: string, env: Record<string, string> = {}): Promise<ProcessRun> {
  // From another folder: the relative chart and post-renderer paths must hold anyway.
  return run(toolPath('helmfile'), ['--file', HELMFILE, '--environment', environment, '--helm-binary', toolPath(helm), ...command], {
    cwd: tmpdir(),
    env: { ...environmentFor(helm, reportDir), ...env },
  });
}

function byHand(helm: Helm, release: Release, environment: Environment, reportDir: string, postRender = true): Promise<ProcessRun> {
  const postRenderer = postRender ? ['--post-renderer', helm === 'helm3' ? POSTRENDER : 'krmkit', ...release.args(environment, reportDir).map((arg) => `--post-renderer-args=${arg}`)] : [];
  return run(toolPath(helm), ['template', release.name, release.chart, '--namespace', release.namespace, ...postRenderer], { cwd: tmpdir(), env: environmentFor(helm, reportDir) });
}

/** The helmfile's metrics-server release is ../shared/charts/metrics-server: without it helmfile cannot run at all. */
const hasChart = needsShared('charts');

const CASES = (['helm3', 'helm4'] as const).flatMap((helm) => (['dev', 'prod'] as const).map((environment) => ({ helm, environment })));

describe.runIf(hasChart).concurrent('helmfile template', () => {
  it.each(CASES)('$helm, -e $environment: every release equals helm template --post-renderer by hand', async ({ helm, environment }) => {
    const reportDir = mkdtempSync(join(tmpdir(), 'krmkit-helmfile-'));
    const [templated, ...releases] = await Promise.all([helmfile(helm, environment, ['template'], reportDir), ...RELEASES.map((release) => byHand(helm, release, environment, reportDir))]);
    expect(templated.status, templated.stderr).toBe(0);
    const plain = await Promise.all(RELEASES.map((release) => byHand(helm, release, environment, reportDir, false)));
    for (const result of [...releases, ...plain]) expect(result.status, result.stderr).toBe(0);
    const expected = releases.flatMap((result) => objectSet(result.stdout)).sort();
    // krmkit ran: the post-rendered objects are not the plain render.
    expect(expected).not.toEqual(plain.flatMap((result) => objectSet(result.stdout)).sort());
    expect(objectSet(templated.stdout)).toEqual(expected);
    // The per-release arguments reached krmkit (the report file it was told to write).
    expect(readFileSync(join(reportDir, `krmkit-metrics-server-${environment}.log`), 'utf8')).toContain('krmkit');
  });
});

describe.runIf(hasChart).concurrent('helmfile with a krmkit error', () => {
  it('Helm 3: helmfile fails and shows krmkit’s message', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'krmkit-helmfile-'));
    const result = await helmfile('helm3', 'prod', ['--state-values-set', 'overlay=prdo', 'template'], reportDir);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no overlay named "prdo"');
    expect(result.stderr).toContain('did you mean "prod"?');
  });

  it('Helm 4: helmfile fails; Helm 4 hides the plugin’s stderr, so krmkit’s message is in the report file', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'krmkit-helmfile-'));
    const report = join(reportDir, 'krmkit.log');
    const result = await helmfile('helm4', 'prod', ['--state-values-set', 'overlay=prdo', 'template'], reportDir, { KRMKIT_REPORT: report });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('krmkit');
    expect(readFileSync(report, 'utf8')).toContain('no overlay named "prdo"');
  });
});
