/**
 * The `krmkit` command as users and tools run it (the bundled dist/krmkit.cjs):
 * exit 0 ok, 1 error result, 2 unusable input or config — and nothing on stdout unless the
 * run succeeded (ResourceList mode answers with its results, as the KRM spec asks).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectExit, runCli } from '../helpers/cli.js';

const deployment = `---
# Source: shop/templates/api.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
  namespace: shop
spec:
  template:
    spec:
      containers:
      - name: api
        image: shop/api:1
        securityContext:
          privileged: true
`;
const hostPathPod = `apiVersion: v1
kind: Pod
metadata: {name: debug}
spec:
  containers: [{name: c, image: busybox}]
  volumes: [{name: root, hostPath: {path: /}}]
`;

let dir = '';
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'krmkit-cli-'));
});

describe('krmkit <function>', () => {
  it('filters stdin to stdout and prints findings on stderr, one line each', () => {
    const run = runCli(['security-context'], deployment);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('runAsNonRoot: true');
    expect(run.stdout.startsWith('---\n# Source: shop/templates/api.yaml\n')).toBe(true);
    expect(run.stderr).toContain(
      '[warning] apps/v1/Deployment/shop/api spec.template.spec.containers[0].securityContext.privileged: restricted: privileged must not be true',
    );
  });

  it('takes options as flags, as a typed config file, or as a ConfigMap', () => {
    const flags = runCli(['security-context', '--mode', 'enforce'], deployment);
    const typed = runCli(['security-context', '--config', file('typed.yaml', 'apiVersion: krmkit.dev/v1alpha1\nkind: SecurityContext\nmode: enforce\n')], deployment);
    const configMap = runCli(['security-context', '--config', file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {mode: enforce}\n')], deployment);
    expect(flags.stdout).toContain('privileged: false');
    expect(typed.stdout).toBe(flags.stdout);
    expect(configMap.stdout).toBe(flags.stdout);
  });

  it('exits 1 on an error result and writes nothing on stdout', () => {
    const run = runCli(['security-context', '--mode', 'enforce'], hostPathPod);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/\[error\] v1\/Pod\/debug spec\.volumes\[0\]\.hostPath: restricted: hostPath volumes are not allowed/);
  });

  it('exits 2 on malformed input, naming document and line, with nothing on stdout', () => {
    const run = runCli(['security-context'], `${deployment}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabbed\n`);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^krmkit: error: document 1, line \d+: malformed YAML/m);
  });

  it('exits 2 on wrong types where the function reads, naming the field', () => {
    const run = runCli(['security-context'], 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: {name: c}\n');
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('document 0, v1 Pod p, line 1: spec.containers: expected a list of containers, got a mapping');
  });

  it('names an unknown config field and suggests the nearest one', () => {
    const run = runCli(['security-context', '--config', file('typo.yaml', 'apiVersion: krmkit.dev/v1alpha1\nkind: SecurityContext\nmodee: enforce\n')], deployment);
    expectExit(run, 2, 'unknown option "modee" — did you mean "mode"?');
  });

  it('suggests the nearest flag for a mistyped one', () => {
    expectExit(runCli(['security-context', '--mod', 'enforce'], deployment), 2, 'did you mean --mode?');
  });

  it('rejects an invalid option value with the valid ones', () => {
    expectExit(runCli(['security-context', '--mode', 'enforc'], deployment), 2, '"enforc" is not one of fill, enforce, audit — did you mean "enforce"?');
  });

  it('explains, per function and resource, the JSON-patch operations applied', () => {
    const run = runCli(['security-context', '--explain'], deployment);
    const line = run.stderr.split('\n').find((entry) => entry.startsWith('[explain] security-context apps/v1/Deployment/shop/api: '));
    expect(line).toBeDefined();
    const operations = JSON.parse((line as string).replace(/^[^:]+: /, '')) as { op: string; path: string }[];
    expect(operations).toContainEqual(expect.objectContaining({ op: 'add', path: '/spec/template/spec/securityContext' }));
  });

  it('has help with an example, and a version', () => {
    const help = runCli(['security-context', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('kind: SecurityContext');
    expect(runCli(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(runCli(['--help']).stdout).toContain('security-context');
  });
});

describe('krmkit run <pipeline>', () => {
  it('runs a pipeline file, or the pipeline.yaml of a directory', () => {
    const pipeline = 'apiVersion: krmkit.dev/v1alpha1\nkind: Pipeline\nsteps:\n- kind: SecurityContext\n  mode: enforce\n';
    const byFile = runCli(['run', file('pipeline.yaml', pipeline)], deployment);
    const byDirectory = runCli(['run', dir], deployment);
    expect(byFile.status).toBe(0);
    expect(byFile.stdout).toContain('privileged: false');
    expect(byDirectory.stdout).toBe(byFile.stdout);
  });

  it('treats steps: [] as a no-op', () => {
    const run = runCli(['run', file('empty.yaml', 'apiVersion: krmkit.dev/v1alpha1\nkind: Pipeline\nsteps: []\n')], deployment);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(deployment);
  });

  it('names an unknown step kind and suggests the nearest', () => {
    const run = runCli(['run', file('bad.yaml', 'apiVersion: krmkit.dev/v1alpha1\nkind: Pipeline\nsteps:\n- kind: SecurityContex\n')], deployment);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('did you mean "SecurityContext"?');
  });

  it('reports a missing pipeline file by name', () => {
    const run = runCli(['run', join(dir, 'missing.yaml')], deployment);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('missing.yaml');
  });
});

describe('KRM function mode (a ResourceList on stdin)', () => {
  const resourceList = (functionConfig: string): string =>
    `apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n  spec:\n    containers: [{name: c, image: i}]\n    volumes: [{name: h, hostPath: {path: /}}]\nfunctionConfig:\n${functionConfig}`;

  it('chooses the function by the functionConfig kind', () => {
    const run = runCli([], resourceList('  apiVersion: krmkit.dev/v1alpha1\n  kind: SecurityContext\n  mode: fill\n'));
    expect(run.status).toBe(0);
    const output = load(run.stdout) as { kind: string; items: { spec: { securityContext: unknown } }[]; results: { severity: string }[] };
    expect(output.kind).toBe('ResourceList');
    expect(output.items[0]?.spec.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(output.results.map((result) => result.severity)).toContain('warning');
  });

  it('runs a Pipeline functionConfig, and a ConfigMap naming its function', () => {
    const pipeline = runCli([], resourceList('  apiVersion: krmkit.dev/v1alpha1\n  kind: Pipeline\n  steps:\n  - kind: SecurityContext\n    mode: audit\n'));
    const configMap = runCli([], resourceList('  apiVersion: v1\n  kind: ConfigMap\n  data:\n    function: security-context\n    mode: audit\n'));
    expect(pipeline.status).toBe(0);
    const resultsOf = (stdout: string): unknown => (load(stdout) as { results: unknown }).results;
    expect(resultsOf(configMap.stdout)).toEqual(resultsOf(pipeline.stdout));
    expect(resultsOf(pipeline.stdout)).toHaveLength(5);
  });

  it('answers with the results in the ResourceList and exits 1 when one is an error', () => {
    const run = runCli([], resourceList('  apiVersion: krmkit.dev/v1alpha1\n  kind: SecurityContext\n  mode: enforce\n'));
    expect(run.status).toBe(1);
    const output = load(run.stdout) as { results: { severity: string; message: string }[] };
    expect(output.results.find((result) => result.severity === 'error')?.message).toContain('hostPath');
    expect(run.stderr).toContain('[error]');
  });

  it('uses the subcommand for a ConfigMap without data.function', () => {
    const run = runCli(['security-context'], resourceList('  apiVersion: v1\n  kind: ConfigMap\n  data:\n    mode: audit\n'));
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('results:');
  });

  it('explains what to do without a functionConfig', () => {
    const run = runCli([], 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\n');
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no function to run');
  });
});
