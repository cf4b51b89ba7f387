import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/cli.js';
import { documentsOf } from '../../helpers/objects.js';
import { CHART } from '../paths.js';
import { run, type ProcessRun } from '../process.js';
import { toolPath } from '../tools.js';
import { SERVER_TEST_TIMEOUT, useApiServer, type ApiServer } from './harness.js';
import { helmHomesWithPlugin, type HelmHomes } from './helm-homes.js';
import { judgeBarePods, namespaceLabels } from './judge.js';

/**
 * The mission's own command, end to end, against the real API server:
 *   helm upgrade --install demo base/chart -n shop --post-renderer ./postrender/postrender --post-renderer-args=--overlay=prod
 * (Helm 3) and the plugin form (Helm 4), into a namespace that enforces and warns at
 * `restricted`. No controllers run here, so hook Jobs never complete: Helm waits for them
 * until a short --timeout and then reports the hook as failed. The hooks are judged by
 * the PodSecurity warnings Helm prints when it creates them and by a bare-Pod dry run of
 * their template, not by completion. Install, then upgrade twice: every revision's manifest
 * is the same (idempotence through Helm itself).
 */
const TIMEOUT = '2s';
/** Helm prints the server's warnings through client-go's logger, quotes escaped. */
const VIOLATION = /would violate PodSecurity \\?"restricted:latest\\?"[^\n]*/g;
/** Helm 3 and Helm 4 words for "the hook Job did not complete in time". */
const HOOK_TIMEOUT = /(failed (post-install|pre-upgrade)|(post-install|pre-upgrade) hooks failed): (1 error occurred:\s*\* timed out waiting for the condition|resource Job\/[^/]+\/demo-migrations not ready)/;

let server: ApiServer;
let homes: HelmHomes;

beforeAll(async () => {
  [server, homes] = await Promise.all([useApiServer(), helmHomesWithPlugin()]);
});

type Helm = 'helm3' | 'helm4';

function helm(which: Helm, args: readonly string[]): Promise<ProcessRun> {
  const home = homes[which];
  return run(toolPath(which), args, { cwd: REPO_ROOT, env: { ...home.env, KUBECONFIG: server.kubeconfig } });
}

/** The command as a user types it, from the repository root. */
function upgradeInstall(which: Helm, namespace: string, options: { chart?: string; postRenderer?: string[] } = {}): Promise<ProcessRun> {
  const post = options.postRenderer ?? (which === 'helm3' ? ['--post-renderer', './postrender/postrender', '--post-renderer-args=--overlay=prod'] : ['--post-renderer', 'krmkit', '--post-renderer-args=--overlay=prod']);
  return helm(which, ['upgrade', '--install', 'demo', options.chart ?? 'base/chart', '-n', namespace, ...post, '--timeout', TIMEOUT]);
}

function violations(result: ProcessRun): string[] {
  return [...result.stderr.matchAll(VIOLATION)].map((match) => match[0]);
}

/** The chart as the example first shipped it: a migrations hook with no securityContext. */
function chartWithPlainHook(): string {
  const copy = join(mkdtempSync(join(tmpdir(), 'krmkit-chart-')), 'chart');
  cpSync(CHART, copy, { recursive: true });
  const job = join(copy, 'templates', 'migrations-job.yaml');
  const hardened = readFileSync(job, 'utf8');
  const plain = hardened
    .replace(/^ {6}# Unlike the rest[^]*?^ {6}securityContext:\n(?: {8}.*\n)+/m, '')
    .replace(/^ {10}securityContext:\n(?: {12}.*\n)+/m, '');
  if (plain === hardened || plain.includes('securityContext')) throw new Error(`${job}: could not take the securityContext out of the hook`);
  writeFileSync(job, plain);
  return copy;
}

async function createShop(name: string): Promise<string> {
  await server.createNamespace(name, namespaceLabels('restricted'));
  return name;
}

describe.concurrent.each([
  { which: 'helm3' as const, title: 'Helm 3 (post-renderer executable)', namespace: 'shop' },
  { which: 'helm4' as const, title: 'Helm 4 (krmkit plugin)', namespace: 'shop-helm4' },
])('$title: helm upgrade --install demo base/chart into a restricted namespace', ({ which, namespace }) => {
  it('installs and upgrades twice without a PodSecurity violation, hook included; every revision has the same manifest', async () => {
    await createShop(namespace);
    const runs: ProcessRun[] = [];
    for (let revision = 1; revision <= 3; revision++) runs.push(await upgradeInstall(which, namespace));
    for (const [index, result] of runs.entries()) {
      expect(violations(result), `revision ${index + 1}:\n${result.stderr}`).toEqual([]);
      // The one failure left is the harness's: no job controller runs the hook to completion.
      if (result.status !== 0) expect(result.stderr, `revision ${index + 1}`).toMatch(HOOK_TIMEOUT);
    }

    const history = await helm(which, ['history', 'demo', '-n', namespace, '-o', 'json']);
    expect(history.status, history.stderr).toBe(0);
    const revisions = JSON.parse(history.stdout) as { revision: number; status: string; description: string }[];
    expect(revisions.map((entry) => entry.revision)).toEqual([1, 2, 3]);
    console.info(`${which} into ${namespace}: ${runs.map((result, index) => `revision ${index + 1} exit ${result.status}, ${revisions[index]?.status ?? '?'} (${revisions[index]?.description ?? ''})`).join('; ')}`);
    const manifests = await Promise.all([1, 2, 3].map((revision) => helm(which, ['get', 'manifest', 'demo', '-n', namespace, `--revision=${revision}`])));
    for (const manifest of manifests) expect(manifest.status, manifest.stderr).toBe(0);
    const [first, second, third] = manifests.map((manifest) => manifest.stdout);
    expect(first).toContain('kind: NetworkPolicy');
    expect(second).toBe(first);
    expect(third).toBe(first);

    // The hook as Helm stored and created it: its pods would be admitted by restricted enforce.
    const hooks = await helm(which, ['get', 'hooks', 'demo', '-n', namespace]);
    expect(hooks.status, hooks.stderr).toBe(0);
    const hookPods = await judgeBarePods(server, hooks.stdout, namespace);
    expect(hookPods.map((pod) => pod.workload.replace(`/${namespace}/`, '/'))).toEqual(['Job/demo-migrations']);
    expect(hookPods.filter((pod) => !pod.admitted).map((pod) => pod.message)).toEqual([]);
    const created = await server.kubectl(['get', 'job', 'demo-migrations', '-o', 'json'], { namespace });
    expect(created.code, created.stderr).toBe(0);
    expect((await judgeBarePods(server, created.stdout, namespace)).every((pod) => pod.admitted)).toBe(true);
  }, SERVER_TEST_TIMEOUT);
});

describe('what the checks catch', () => {
  it('without the post-renderer, the chart’s Deployments and StatefulSet draw PodSecurity warnings', async () => {
    const namespace = await createShop('shop-plain');
    const result = await helm('helm3', ['upgrade', '--install', 'demo', 'base/chart', '-n', namespace, '--timeout', TIMEOUT]);
    const warned = violations(result);
    expect(warned.length, result.stderr).toBeGreaterThan(0);
  }, SERVER_TEST_TIMEOUT);

  it('a hook with no securityContext: Helm 3 cannot harden it (it never reaches the post-renderer); Helm 4 does by default, and not with --exclude-hooks', async () => {
    const chart = chartWithPlainHook();
    const helm3Namespace = await createShop('plain-hook-helm3');
    const helm4Namespace = await createShop('plain-hook-helm4');
    const excludedNamespace = await createShop('plain-hook-excluded');
    const [helm3, helm4, excluded] = await Promise.all([
      upgradeInstall('helm3', helm3Namespace, { chart }),
      upgradeInstall('helm4', helm4Namespace, { chart }),
      upgradeInstall('helm4', excludedNamespace, { chart, postRenderer: ['--post-renderer', 'krmkit', '--post-renderer-args=--overlay=prod', '--post-renderer-args=--exclude-hooks'] }),
    ]);
    // Only the hook Job is left unhardened: exactly one warning, and it is the Job's.
    expect(violations(helm3), helm3.stderr).toHaveLength(1);
    expect(violations(excluded), excluded.stderr).toHaveLength(1);
    expect(violations(helm4), helm4.stderr).toEqual([]);
    const judgeStoredHook = async (which: Helm, namespace: string) => {
      const hooks = await helm(which, ['get', 'hooks', 'demo', '-n', namespace]);
      expect(hooks.status, hooks.stderr).toBe(0);
      expect(documentsOf(hooks.stdout).map((object) => object.kind)).toEqual(['Job']);
      return (await judgeBarePods(server, hooks.stdout, namespace)).map((pod) => pod.admitted);
    };
    expect(await judgeStoredHook('helm3', helm3Namespace)).toEqual([false]);
    expect(await judgeStoredHook('helm4', helm4Namespace)).toEqual([true]);
  }, SERVER_TEST_TIMEOUT);
});
