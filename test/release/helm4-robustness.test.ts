/**
 * Shapes that broke Helm 4's post-renderer handling upstream, rendered by the real Helm 4
 * with krmkit as its post-renderer plugin (test/release/charts/robust, see its README).
 * Each test first shows the shape reached the post-renderer (a capture plugin records the
 * stream Helm sends), then that krmkit's output through Helm keeps every object intact
 * and hardened.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { isHook, documentsOf, type KubeObject } from '../helpers/objects.js';
import { installHelm4Plugin, newHelmHome, type HelmHome } from '../integration/paths.js';
import { run } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';

const CHART = join(REPO_ROOT, 'test', 'release', 'charts', 'robust');
let home: HelmHome;
/** What Helm 4 hands a post-renderer for the chart. */
let sent: string;
/** What `helm template --post-renderer krmkit --overlay=prod` prints. */
let output: KubeObject[];

beforeAll(async () => {
  home = newHelmHome();
  const install = await installHelm4Plugin(home);
  expect(install.status, install.stderr).toBe(0);
  const captureDir = join(mkdtempSync(join(tmpdir(), 'krmkit-capture-')), 'capture');
  mkdirSync(captureDir);
  const capture = join(captureDir, '..', 'sent.yaml');
  writeFileSync(
    join(captureDir, 'plugin.yaml'),
    ['apiVersion: v1', 'name: capture', 'type: postrenderer/v1', 'runtime: subprocess', 'version: 0.0.1', 'runtimeConfig:', '  platformCommand:', '    - command: /bin/sh', `      args: ["-c", "tee ${capture}"]`, ''].join('\n'),
  );
  const installCapture = await run(toolPath('helm4'), ['plugin', 'install', captureDir], { env: home.env });
  expect(installCapture.status, installCapture.stderr).toBe(0);
  const captured = await run(toolPath('helm4'), ['template', 'demo', CHART, '--post-renderer', 'capture'], { env: home.env, cwd: tmpdir() });
  expect(captured.status, captured.stderr).toBe(0);
  sent = readFileSync(capture, 'utf8');

  const rendered = await run(toolPath('helm4'), ['template', 'demo', CHART, '--post-renderer', 'krmkit', '--post-renderer-args=--overlay=prod'], { env: home.env, cwd: tmpdir() });
  expect(rendered.status, rendered.stderr).toBe(0);
  output = documentsOf(rendered.stdout);
});

function named(objects: readonly KubeObject[], kind: string, name: string): KubeObject[] {
  return objects.filter((object) => object.kind === kind && (object.metadata as { name?: string } | undefined)?.name === name);
}

function podSpec(object: KubeObject): Record<string, unknown> {
  return ((object.spec as { template: { spec: Record<string, unknown> } }).template.spec);
}

describe('Helm 4 robustness', () => {
  it('the same object as a hook and as a template: both come out, the hook untouched', () => {
    const inStream = named(documentsOf(sent), 'ServiceAccount', 'demo-same');
    expect(inStream.filter(isHook)).toHaveLength(1);
    expect(inStream.filter((object) => !isHook(object))).toHaveLength(1);

    const out = named(output, 'ServiceAccount', 'demo-same');
    expect(out.filter(isHook)).toHaveLength(1);
    expect(out.filter((object) => !isHook(object))).toHaveLength(1);
    const hookIn = sent.split(/^---$/m).find((text) => text.includes('name: demo-same') && text.includes('helm.sh/hook:'));
    expect(hookIn).toBeDefined();
  });

  it('a `---` glued to the next line: the documents stay apart and the workload is hardened', () => {
    const template = readFileSync(join(CHART, 'templates', 'glued.yaml'), 'utf8');
    // The template trims the newline after `---`: Helm's own render glues it to the next line.
    expect(template).toMatch(/^---\n\{\{-/m);
    expect(named(documentsOf(sent), 'ConfigMap', 'demo-glued')).toHaveLength(1);

    expect(named(output, 'ConfigMap', 'demo-glued')).toEqual([expect.objectContaining({ data: { key: 'value' } })]);
    const [web] = named(output, 'Deployment', 'demo-web');
    expect(web).toBeDefined();
    expect(podSpec(web as KubeObject).securityContext).toMatchObject({ runAsNonRoot: true });
  });

  it('anchors inside a `kind: List`: the item is hardened and its aliases stay equal', async () => {
    // The chart renders a List whose item uses anchors; Helm 4 hands the post-renderer its
    // item (anchors kept), Helm 3 the List itself: both must come out hardened.
    const plain = await run(toolPath('helm4'), ['template', 'demo', CHART, '--show-only', 'templates/list.yaml'], { env: home.env, cwd: tmpdir() });
    expect(plain.stdout).toMatch(/^kind: List$/m);
    expect(plain.stdout).toMatch(/labels: &labels/);
    const helm3 = await run(toolPath('helm3'), ['template', 'demo', CHART, '--post-renderer', join(REPO_ROOT, 'postrender', 'postrender'), '--post-renderer-args=--overlay=prod'], { env: newHelmHome().env, cwd: tmpdir() });
    expect(helm3.status, helm3.stderr).toBe(0);
    const [list] = documentsOf(helm3.stdout).filter((object) => object.kind === 'List');
    const [item] = (list as { items: KubeObject[] }).items;
    expect(podSpec(item as KubeObject).securityContext).toMatchObject({ runAsNonRoot: true });

    expect(sent).toMatch(/labels: &labels/);
    expect(sent).toMatch(/matchLabels: \*labels/);
    const [listed] = named(output, 'Deployment', 'demo-listed');
    expect(listed).toBeDefined();
    const deployment = listed as KubeObject;
    const selector = (deployment.spec as { selector: { matchLabels: unknown } }).selector.matchLabels;
    const templateLabels = (deployment.spec as { template: { metadata: { labels: unknown } } }).template.metadata.labels;
    expect(selector).toEqual({ app: 'listed' });
    expect(templateLabels).toEqual(selector);
    expect(podSpec(deployment).securityContext).toMatchObject({ runAsNonRoot: true });
    expect(JSON.stringify(podSpec(deployment).containers)).toContain('"name":"PROD"');
  });
});
