import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { objectSet } from '../helpers/object-sets.js';
import { FUNCTION_WRAPPER, filter, helmTemplate, kustomizeOverlay, newHelmHome, overlayDir, CHART, type Overlay } from './paths.js';

/**
 * The example and its overlays stay consistent: base/rendered.yaml is what the chart
 * renders, and each overlay's kustomize and kpt forms run the same steps as its
 * pipeline.yaml, so the three never drift.
 */
type Map = Record<string, unknown>;

function yamlFile(path: string): Map {
  return load(readFileSync(path, 'utf8'), { schema: CORE_SCHEMA }) as Map;
}

const OVERLAYS: Overlay[] = ['dev', 'prod'];

describe('base/rendered.yaml', () => {
  it('is exactly `helm template demo base/chart` (Helm 3)', async () => {
    const result = await helmTemplate('helm3', newHelmHome(), { name: 'base', release: 'demo', chart: CHART });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8')).toBe(result.stdout);
  });
});

describe.each(OVERLAYS)('overlays/%s', (overlay) => {
  const pipeline = yamlFile(join(overlayDir(overlay), 'pipeline.yaml'));

  it('uses every function with a typed config', () => {
    expect(pipeline).toMatchObject({ apiVersion: 'krmkit.dev/v1alpha1', kind: 'Pipeline' });
    const kinds = (pipeline.steps as Map[]).map((step) => step.kind);
    expect(kinds).toEqual(
      overlay === 'prod'
        ? ['InjectEnv', 'SecurityContext', 'Resources', 'PodSecurityLabels', 'AntiAffinity', 'PodDisruptionBudgets', 'AutoscaledReplicas', 'NetworkPolicies', 'Reloader']
        : ['InjectEnv', 'SecurityContext', 'Resources', 'PodSecurityLabels', 'AntiAffinity', 'AutoscaledReplicas', 'Reloader'],
    );
  });

  it('kustomize/krmkit.yaml runs the same steps through the exec wrapper', () => {
    const kustomization = yamlFile(join(overlayDir(overlay), 'kustomize', 'kustomization.yaml'));
    expect(kustomization.transformers).toEqual(['krmkit.yaml']);
    expect(kustomization.resources).toEqual(['../../../base']);
    const transformer = yamlFile(join(overlayDir(overlay), 'kustomize', 'krmkit.yaml'));
    expect(transformer.steps).toEqual(pipeline.steps);
    expect(transformer.kind).toBe('Pipeline');
    const annotations = (transformer.metadata as { annotations: Record<string, string> }).annotations;
    const fn = load(annotations['config.kubernetes.io/function'] as string) as { exec: { path: string } };
    // kustomize resolves the exec path against the kustomization's folder.
    expect(resolve(overlayDir(overlay), 'kustomize', fn.exec.path)).toBe(FUNCTION_WRAPPER);
  });

  it('kpt/Kptfile runs krmkit with kpt/krmkit.yaml, the same steps', () => {
    const kptfile = yamlFile(join(overlayDir(overlay), 'kpt', 'Kptfile'));
    expect(kptfile).toMatchObject({ apiVersion: 'kpt.dev/v1', kind: 'Kptfile' });
    expect((kptfile.pipeline as Map).mutators).toEqual([{ exec: 'krmkit', configPath: 'krmkit.yaml' }]);
    const config = yamlFile(join(overlayDir(overlay), 'kpt', 'krmkit.yaml'));
    expect(config.steps).toEqual(pipeline.steps);
    expect((config.metadata as { annotations: Record<string, string> }).annotations['config.kubernetes.io/local-config']).toBe('true');
  });

  it('`kustomize build overlays/<env>/kustomize` gives what the filter gives on base/rendered.yaml', async () => {
    const rendered = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
    const [kustomize, filtered] = await Promise.all([kustomizeOverlay(overlay), filter(overlayDir(overlay), rendered)]);
    expect(kustomize.status, kustomize.stderr).toBe(0);
    expect(filtered.status, filtered.stderr).toBe(0);
    expect(objectSet(kustomize.stdout)).toEqual(objectSet(filtered.stdout));
  });
});
