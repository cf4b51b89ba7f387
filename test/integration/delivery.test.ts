import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hookDocuments, hookPipelineFile } from './hooks.js';
import { needsShared } from '../helpers/shared.js';
import { maskGeneratedCertificates, objectSet, type SetOptions } from '../helpers/object-sets.js';
import { isHook, isLocalConfig, documentsOf } from '../helpers/objects.js';
import {
  CHART,
  filter,
  helm3PostRender,
  helm4PostRender,
  helmTemplate,
  installHelm4Plugin,
  kptRender,
  kustomizeManifests,
  METRICS_SERVER,
  newHelmHome,
  overlayDir,
  type ChartCase,
  type HelmHome,
  type Overlay,
} from './paths.js';

/**
 * One overlay, every delivery path, the same objects out: Helm 3's post-renderer, Helm 4's
 * plugin, the stdin/stdout filter, kustomize and kpt. Compared as sets of parsed objects
 * without the tools' bookkeeping annotations (each tool orders and formats its own way).
 *
 * Helm hooks are the one planned difference: Helm 3 never sends them to a post-renderer;
 * under Helm 4 only the pod-hardening steps (security-context, inject-env) edit them by
 * default (--include-hooks: every step; --exclude-hooks: none), while the filter, kustomize
 * and kpt see a plain stream and treat hooks like the rest.
 */
const CHARTS: ChartCase[] = [
  { name: 'base/chart', release: 'demo', chart: CHART },
  ...(needsShared('charts') ? readdirSync(join(METRICS_SERVER, 'ci')) : [])
    .filter((file) => file.endsWith('-values.yaml'))
    .sort()
    .map((file) => ({ name: `metrics-server ${file}`, release: 'metrics-server', chart: METRICS_SERVER, valuesFile: join(METRICS_SERVER, 'ci', file) })),
];
/** Values files whose render generates certificates: different on every render. */
const RANDOM_RENDERS = new Set(['tls-helm-values.yaml']);
const OVERLAYS: Overlay[] = ['dev', 'prod'];

let home: HelmHome;
/** Helm 3 gets a home of its own: it warns about the Helm 4 plugins it cannot load. */
const helm3Home = newHelmHome();

beforeAll(async () => {
  home = newHelmHome();
  const install = await installHelm4Plugin(home);
  expect(install.status, install.stderr).toBe(0);
});

describe.concurrent.each(CHARTS)('$name', (chartCase) => {
  it.each(OVERLAYS)('%s: Helm 3, Helm 4, the filter, kustomize and kpt produce the same objects', async (overlay) => {
    const random = chartCase.valuesFile !== undefined && RANDOM_RENDERS.has(basename(chartCase.valuesFile));
    const set = (text: string, options: SetOptions = {}): string[] => objectSet(text, random ? { ...options, mask: maskGeneratedCertificates } : options);
    const plain = await helmTemplate('helm3', helm3Home, chartCase);
    expect(plain.status, plain.stderr).toBe(0);
    const withoutHooks = await helmTemplate('helm3', helm3Home, chartCase, ['--no-hooks']);
    const hooks = set(plain.stdout, { drop: (object) => !isHook(object) });

    const [filtered, filteredWithoutHooks, hardenedHooks, helm3, helm4, helm4WithHooks, helm4WithoutHooks, kustomize, kpt] = await Promise.all([
      filter(overlayDir(overlay), plain.stdout),
      filter(overlayDir(overlay), withoutHooks.stdout),
      filter(hookPipelineFile(overlay), hookDocuments(plain.stdout)),
      helm3PostRender(helm3Home, chartCase, [`--overlay=${overlay}`]),
      helm4PostRender(home, chartCase, [`--overlay=${overlay}`]),
      helm4PostRender(home, chartCase, [`--overlay=${overlay}`, '--include-hooks']),
      helm4PostRender(home, chartCase, [`--overlay=${overlay}`, '--exclude-hooks']),
      kustomizeManifests(overlay, plain.stdout),
      kptRender(overlay, plain.stdout),
    ]);
    for (const [name, result] of Object.entries({ filtered, filteredWithoutHooks, hardenedHooks, helm3, helm4, helm4WithHooks, helm4WithoutHooks, kustomize, kpt })) {
      expect(result.status, `${name}: ${result.stderr}`).toBe(0);
    }

    // The overlay did something: the paths cannot agree by all doing nothing.
    expect(set(filtered.stdout)).not.toEqual(set(plain.stdout));

    // Helm 3 (and Helm 4 with --exclude-hooks): the overlay applied to everything but hooks,
    // hooks exactly as rendered.
    const postRendered = [...set(filteredWithoutHooks.stdout), ...hooks].sort();
    expect(set(helm3.stdout)).toEqual(postRendered);
    expect(set(helm4WithoutHooks.stdout)).toEqual(postRendered);
    // Helm 4 by default: hooks through the pod-hardening steps only (which do change them).
    if (hooks.length > 0) expect(set(hardenedHooks.stdout)).not.toEqual(hooks);
    expect(set(helm4.stdout)).toEqual([...set(filteredWithoutHooks.stdout), ...(hooks.length > 0 ? set(hardenedHooks.stdout) : [])].sort());

    // Whole-stream paths: the filter, kustomize, kpt, and Helm 4 with --include-hooks.
    const whole = set(filtered.stdout);
    expect(set(helm4WithHooks.stdout)).toEqual(whole);
    expect(set(kustomize.stdout)).toEqual(whole);
    expect(set(kpt.stdout, { drop: isLocalConfig })).toEqual(whole);
  });
});

describe('Helm 4 file names', () => {
  it('gives generated NetworkPolicies their own file under krmkit/generated/ and keeps the chart files', async () => {
    const result = await helm4PostRender(home, { name: 'base', release: 'demo', chart: CHART }, ['--overlay=prod']);
    expect(result.status, result.stderr).toBe(0);
    const sources = [...result.stdout.matchAll(/^# Source: (.+)$/gm)].map((match) => match[1]);
    const policies = documentsOf(result.stdout).filter((object) => object.kind === 'NetworkPolicy');
    expect(policies.length).toBeGreaterThan(0);
    for (const policy of policies) {
      const name = (policy.metadata as { name: string }).name;
      expect(sources).toContain(`krmkit/generated/networkpolicy-${name}.yaml`);
    }
    expect(sources).toContain('demo/templates/backend-deployment.yaml');
    // Helm removes its annotation again after regrouping the files.
    expect(result.stdout).not.toContain('postrenderer.helm.sh/postrender-filename');
  });
});
