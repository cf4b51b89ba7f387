import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { KRMKIT_BIN, REPO_ROOT } from '../helpers/cli.js';
import { corpora } from '../helpers/corpora.js';
import { needsShared } from '../helpers/shared.js';
import { objectSet } from '../helpers/object-sets.js';
import { isHook, documentsOf } from '../helpers/objects.js';
import { CHART, filter, helmTemplate, newHelmHome, overlayDir, type Overlay } from '../integration/paths.js';
import { run, type ProcessRun } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';

/**
 * `krmkit patches` judged by the real kustomize, with no exec and no alpha plugins (what
 * `kubectl apply -k`, Argo CD's built-in kustomize and Flux's post-renderers can run), and
 * by Flux's own API types (test/gitops/flux-check, built by scripts/install-tools.sh).
 */
const BASE_RENDER = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'krmkit-patches-'));
}

function patches(overlay: string, render: string, out: string, extra: readonly string[] = []): Promise<ProcessRun> {
  return run(process.execPath, [KRMKIT_BIN, 'patches', overlay, '--out', out, ...extra], { input: render, cwd: REPO_ROOT });
}

/** A kustomization holding the render as its one resource, plus the given lines. */
function kustomization(render: string, lines: string): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'render.yaml'), render);
  writeFileSync(join(dir, 'kustomization.yaml'), `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - render.yaml\n${lines}`);
  return dir;
}

/** Plain `kustomize build`: no --enable-exec, no --enable-alpha-plugins. */
function kustomizeBuild(dir: string): Promise<ProcessRun> {
  return run(toolPath('kustomize'), ['build', dir], { cwd: tmpdir() });
}

/** Render + the Component `krmkit patches` wrote into <dir>/component. */
async function buildWithComponent(render: string, overlay: string): Promise<{ build: ProcessRun; component: string }> {
  const dir = kustomization(render, 'components:\n  - component\n');
  const component = join(dir, 'component');
  const written = await patches(overlay, render, component);
  expect(written.status, written.stderr).toBe(0);
  expect(written.stdout).toBe('');
  return { build: await kustomizeBuild(dir), component: readFileSync(join(component, 'kustomization.yaml'), 'utf8') };
}

const CASES: { name: string; render: string; overlay: Overlay }[] = [
  { name: 'base/ through dev', render: BASE_RENDER, overlay: 'dev' },
  { name: 'base/ through prod', render: BASE_RENDER, overlay: 'prod' },
  ...(needsShared('corpora') ? corpora() : []).map((corpus) => ({ name: `${corpus.name} through prod`, render: corpus.text, overlay: 'prod' as Overlay })),
];

describe.concurrent('kustomize Component', () => {
  it.each(CASES)('$name: kustomize build of render + Component gives the objects krmkit run gives', async ({ render, overlay }) => {
    const [expected, { build, component }] = await Promise.all([filter(overlayDir(overlay), render), buildWithComponent(render, overlayDir(overlay))]);
    expect(expected.status, expected.stderr).toBe(0);
    expect(build.status, build.stderr).toBe(0);
    // The pipeline changed something, and the Component is plain kustomize: guarded JSON patches, no functions.
    expect(objectSet(expected.stdout)).not.toEqual(objectSet(render));
    expect(component).toContain('op: test');
    expect(component).not.toContain('config.kubernetes.io/function');
    const built = objectSet(build.stdout);
    expect(built).toEqual(objectSet(expected.stdout));
    expect(built.length).toBe(documentsOf(expected.stdout).length);
  });
});

/** base/ with a log-shipping sidecar beside nginx in the frontend: a workload with two containers. */
function renderWithSidecar(swapped: boolean): string {
  const documents = parseAllDocuments(BASE_RENDER);
  for (const document of documents) {
    if (document.getIn(['kind']) !== 'Deployment' || document.getIn(['metadata', 'name']) !== 'demo-frontend') continue;
    const containers = document.getIn(['spec', 'template', 'spec', 'containers']) as { items: unknown[] };
    containers.items.push(document.createNode({ name: 'log-shipper', image: 'fluent/fluent-bit:3.0', securityContext: { privileged: true } }));
    if (swapped) containers.items.reverse();
  }
  return documents.map((document) => document.toString()).join('---\n');
}

describe('guards', () => {
  it('a render with two containers swapped makes the build fail on a test operation', async () => {
    const dir = kustomization(renderWithSidecar(false), 'components:\n  - component\n');
    const written = await patches(overlayDir('prod'), renderWithSidecar(false), join(dir, 'component'));
    expect(written.status, written.stderr).toBe(0);
    // Control: the render the patches were written for builds.
    const fresh = await kustomizeBuild(dir);
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stdout).toContain('log-shipper');
    const component = readFileSync(join(dir, 'component', 'kustomization.yaml'), 'utf8');
    expect(component).toMatch(/op: test\n\s+path: \/spec\/template\/spec\/containers\/1\/name\n\s+value: log-shipper/);

    writeFileSync(join(dir, 'render.yaml'), renderWithSidecar(true));
    const swapped = await kustomizeBuild(dir);
    expect(swapped.status).not.toBe(0);
    expect(swapped.stdout).toBe('');
    expect(swapped.stderr).toMatch(/testing value \/spec\/template\/spec\/containers\/[01]\/name failed/);
  });
});

describe('--check', () => {
  it('passes on fresh patches and fails with a diff after a values change', async () => {
    const home = newHelmHome();
    const chart = { name: 'base/chart', release: 'demo', chart: CHART };
    const [before, after] = await Promise.all([helmTemplate('helm3', home, chart), helmTemplate('helm3', home, chart, ['--set', 'frontend.port=9090'])]);
    expect(before.status, before.stderr).toBe(0);
    expect(after.status, after.stderr).toBe(0);
    expect(after.stdout).not.toBe(before.stdout);
    const out = join(tempDir(), 'prod');
    expect((await patches(overlayDir('prod'), before.stdout, out)).status).toBe(0);

    const fresh = await patches(overlayDir('prod'), before.stdout, out, ['--check']);
    expect(fresh.status, fresh.stderr).toBe(0);
    expect(fresh.stderr).toContain('matches the render');

    const stale = await patches(overlayDir('prod'), after.stdout, out, ['--check']);
    expect(stale.status).toBe(1);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toContain(`--- ${join(out, 'generated.yaml')} (committed)`);
    expect(stale.stderr).toMatch(/^-\s+port: 8080$/m);
    expect(stale.stderr).toMatch(/^\+\s+port: 9090$/m);
    expect(stale.stderr).toContain('no longer matches');
    // --check writes nothing: the committed files are still the old ones.
    expect((await patches(overlayDir('prod'), before.stdout, out, ['--check'])).status).toBe(0);
  });
});

describe('bad input', () => {
  it('a malformed render: exit 2 naming the document, nothing on stdout, nothing written', async () => {
    const out = join(tempDir(), 'never');
    const result = await patches(overlayDir('prod'), `${BASE_RENDER}---\nkind: Deployment\nmetadata: [oops\n`, out);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/document \d+/);
    expect(existsSync(out)).toBe(false);
  });

  it('--form flux without --release: exit 2 naming the option', async () => {
    const result = await patches(overlayDir('prod'), BASE_RENDER, join(tempDir(), 'flux'), ['--form', 'flux']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--release');
  });
});

/** The render helm-controller gives its post-renderers: Helm 3 leaves hooks out. */
function withoutHooks(render: string): string {
  return parseAllDocuments(render)
    .filter((document) => {
      const object: unknown = document.toJS();
      return object !== null && typeof object === 'object' && !isHook(object as Record<string, unknown>);
    })
    .map((document) => document.toString())
    .join('---\n');
}

const FLUX_CASES = CASES.filter((entry) => entry.overlay === 'prod' || entry.name.startsWith('base/'));

describe.concurrent('Flux HelmRelease postRenderers', () => {
  it.each(FLUX_CASES)('$name: decodes strictly into Flux types; its patches over the render give the post-renderer objects', async ({ render, overlay }) => {
    const out = join(tempDir(), 'flux');
    const written = await patches(overlayDir(overlay), render, out, ['--form', 'flux', '--release', 'demo']);
    expect(written.status, written.stderr).toBe(0);
    // What helm-controller would build, from the HelmRelease as Flux's own types decode it.
    const decoded = await run(toolPath('flux-check'), [join(out, 'helmrelease.yaml'), 'render.yaml']);
    expect(decoded.status, decoded.stderr).toBe(0);
    const dir = tempDir();
    writeFileSync(join(dir, 'render.yaml'), withoutHooks(render));
    writeFileSync(join(dir, 'kustomization.yaml'), decoded.stdout);
    expect((JSON.parse(decoded.stdout) as { patches?: unknown[] }).patches?.length ?? 0).toBeGreaterThan(0);
    const [build, postrendered] = await Promise.all([
      kustomizeBuild(dir),
      run(process.execPath, [KRMKIT_BIN, 'postrender', `--overlay=${overlayDir(overlay)}`], { input: render, cwd: REPO_ROOT }),
    ]);
    expect(build.status, build.stderr).toBe(0);
    expect(postrendered.status, postrendered.stderr).toBe(0);
    const generated = existsSync(join(out, 'generated.yaml')) ? readFileSync(join(out, 'generated.yaml'), 'utf8') : '';
    const expected = objectSet(postrendered.stdout, { drop: isHook });
    expect(expected).not.toEqual(objectSet(render, { drop: isHook }));
    expect([...objectSet(build.stdout), ...objectSet(generated)].sort()).toEqual(expected);
  });

  it('flux-check can fail: a field Flux does not know is rejected', async () => {
    const out = join(tempDir(), 'flux');
    expect((await patches(overlayDir('prod'), BASE_RENDER, out, ['--form', 'flux', '--release', 'demo'])).status).toBe(0);
    const file = join(out, 'helmrelease.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('    - kustomize:\n');
    mkdirSync(join(out, 'bad'));
    const bad = join(out, 'bad', 'helmrelease.yaml');
    writeFileSync(bad, text.replace('    - kustomize:\n', '    - kustomize:\n        exec: ./krmkit\n'));
    const decoded = await run(toolPath('flux-check'), [bad, 'render.yaml']);
    expect(decoded.status).toBe(1);
    expect(decoded.stderr).toContain('unknown field "exec"');
  });
});
