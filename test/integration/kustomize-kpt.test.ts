import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KRMKIT_BIN, REPO_ROOT } from '../helpers/cli.js';
import { objectSet } from '../helpers/object-sets.js';
import { isLocalConfig } from '../helpers/objects.js';
import { FUNCTION_WRAPPER, filter, kptEval, kustomizeOverlay, overlayDir, pathWithKrmkit } from './paths.js';
import { run, type ProcessRun } from './process.js';
import { toolPath } from './tools.js';

/**
 * krmkit as a KRM function under kustomize and kpt: both config forms kpt offers, and the
 * way findings and failures reach the user — through kpt's results, and through stderr and
 * the exit code under kustomize, which drops results.
 */
const rendered = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
const AUDIT_ERROR = 'apiVersion: krmkit.dev/v1alpha1\nkind: SecurityContext\nmetadata:\n  name: audit\nprofile: restricted\nmode: audit\nauditSeverity: error\n';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'krmkit-fn-'));
}

/** A kustomization over base/rendered.yaml whose only transformer is `config`, run by the exec wrapper. */
function kustomizeWith(config: string): Promise<ProcessRun> {
  const dir = tempDir();
  writeFileSync(join(dir, 'manifests.yaml'), rendered);
  const annotated = config.replace('metadata:\n', `metadata:\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ${FUNCTION_WRAPPER}\n`);
  writeFileSync(join(dir, 'fn.yaml'), annotated);
  writeFileSync(join(dir, 'kustomization.yaml'), 'resources:\n  - manifests.yaml\ntransformers:\n  - fn.yaml\n');
  return run(toolPath('kustomize'), ['build', '--enable-alpha-plugins', '--enable-exec', dir]);
}

describe('kustomize', () => {
  it('shows findings on stderr when the build succeeds', async () => {
    const result = await kustomizeOverlay('prod');
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('[info] batch/v1/Job/demo-migrations');
  });

  it('fails the build on an error result, with every finding on stderr', async () => {
    const result = await kustomizeWith(AUDIT_ERROR);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/\[error\] apps\/v1\/Deployment\/demo-backend .*runAsNonRoot/);
    expect(result.stderr).toContain('krmkit: ');
  });

  it('fails the build on a config mistake, naming the field', async () => {
    const result = await kustomizeWith('apiVersion: krmkit.dev/v1alpha1\nkind: SecurityContext\nmetadata:\n  name: typo\nprofile: restricted\nmod: enforce\n');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('krmkit: error:');
    expect(result.stderr).toMatch(/did you mean .*mode/);
  });
});

describe('kpt fn eval --exec', () => {
  it('with a typed --fn-config (the prod Pipeline) gives what the filter gives, and prints results', async () => {
    const [evaluated, filtered] = await Promise.all([
      kptEval(rendered, { fnConfig: join(overlayDir('prod'), 'kpt', 'krmkit.yaml') }),
      filter(overlayDir('prod'), rendered),
    ]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(objectSet(evaluated.stdout, { drop: isLocalConfig })).toEqual(objectSet(filtered.stdout));
    expect(evaluated.stderr).toMatch(/Results:\s*\n(?:\s*\[\w+\] .*\n)*\s*\[info\] batch\/v1\/Job\/demo-migrations/);
  });

  it('with `-- key=value` (the ConfigMap form) gives what the typed config gives', async () => {
    const typed = join(tempDir(), 'security-context.yaml');
    writeFileSync(typed, 'apiVersion: krmkit.dev/v1alpha1\nkind: SecurityContext\nprofile: restricted\nmode: enforce\nreadOnlyRootFilesystem: true\nwritableTmp: true\n');
    const [evaluated, filtered] = await Promise.all([
      kptEval(rendered, { keyValues: ['function=security-context', 'profile=restricted', 'mode=enforce', 'readOnlyRootFilesystem=true', 'writableTmp=true'] }),
      run(process.execPath, [KRMKIT_BIN, 'security-context', '--config', typed], { input: rendered }),
    ]);
    expect(evaluated.status, evaluated.stderr).toBe(0);
    expect(filtered.status, filtered.stderr).toBe(0);
    expect(objectSet(evaluated.stdout)).toEqual(objectSet(filtered.stdout));
    expect(objectSet(evaluated.stdout)).not.toEqual(objectSet(rendered));
  });

  it('fails on an error result and prints the results', async () => {
    const config = join(tempDir(), 'audit.yaml');
    writeFileSync(config, AUDIT_ERROR);
    const result = await kptEval(rendered, { fnConfig: config });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/\[error\] apps\/v1\/Deployment\/demo-backend .*runAsNonRoot/);
  });
});

describe('kpt fn render --allow-exec', () => {
  function renderPackage(configText?: string): Promise<ProcessRun> {
    const dir = join(tempDir(), 'package');
    cpSync(join(overlayDir('prod'), 'kpt'), dir, { recursive: true });
    writeFileSync(join(dir, 'demo.yaml'), rendered);
    if (configText) writeFileSync(join(dir, 'krmkit.yaml'), configText.replace('metadata:\n', 'metadata:\n  annotations:\n    config.kubernetes.io/local-config: "true"\n'));
    return run(toolPath('kpt'), ['fn', 'render', '--allow-exec', dir, '-o', 'unwrap'], { env: pathWithKrmkit() });
  }

  it('runs the overlay’s Kptfile pipeline and prints results through kpt', async () => {
    const result = await renderPackage();
    expect(result.status, result.stderr).toBe(0);
    expect(result.stderr).toContain('[PASS] "krmkit"');
    expect(result.stderr).toMatch(/Results:\s*\n(?:\s*\[\w+\] .*\n)*\s*\[info\] batch\/v1\/Job\/demo-migrations/);
    expect(objectSet(result.stdout, { drop: isLocalConfig }).some((object) => object.includes('"kind":"NetworkPolicy"'))).toBe(true);
  });

  it('is idempotent in place: a second render changes no file (kpt keeps item comments, so they must not move)', async () => {
    const dir = join(tempDir(), 'package');
    cpSync(join(overlayDir('prod'), 'kpt'), dir, { recursive: true });
    writeFileSync(join(dir, 'demo.yaml'), rendered);
    const render = (): Promise<ProcessRun> => run(toolPath('kpt'), ['fn', 'render', '--allow-exec', dir], { env: pathWithKrmkit() });
    expect((await render()).status).toBe(0);
    const once = readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]);
    expect((await render()).status).toBe(0);
    const twice = readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name), 'utf8')]);
    expect(twice).toEqual(once);
    expect(once.find(([name]) => name === 'demo.yaml')?.[1]?.match(/# Source:/g)).toHaveLength(rendered.match(/# Source:/g)?.length ?? 0);
  });

  it('fails the render on an error result, with the results in kpt’s output', async () => {
    const result = await renderPackage(AUDIT_ERROR);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('[FAIL] "krmkit"');
    expect(result.stderr).toMatch(/\[error\] apps\/v1\/Deployment\/demo-backend .*runAsNonRoot/);
  });
});
