import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/cli.js';
import { documentsOf } from '../helpers/objects.js';
import { CHART, newHelmHome } from '../integration/paths.js';
import { run } from '../integration/process.js';
import { toolPath } from '../integration/tools.js';
import { useApiServer } from '../integration/apiserver/harness.js';

/**
 * `helmfile -e prod sync` (Helm 3, krmkit as post-renderer) into the shared real
 * kube-apiserver, into a namespace that enforces, warns and audits `restricted`.
 *
 * Two deliberate limits, both forced by a server without controllers or nodes:
 * - only the `demo` release (`--selector name=demo`): metrics-server registers an APIService
 *   whose backend never runs here, which would break API discovery for every other suite
 *   sharing this server;
 * - `--no-hooks`: Helm waits for a hook Job to complete, and no Job ever runs here.
 */
const HELMFILE = join(REPO_ROOT, 'gitops', 'helmfile', 'helmfile.yaml.gotmpl');
const NAMESPACE = 'shop';
/** A second restricted namespace where objects are created afresh (dry run): full admission, every time. */
const RECHECK = 'shop-recheck';
const RESTRICTED = {
  'pod-security.kubernetes.io/enforce': 'restricted',
  'pod-security.kubernetes.io/warn': 'restricted',
  'pod-security.kubernetes.io/audit': 'restricted',
};
const POD_SECURITY_WARNING = /would violate PodSecurity/;

describe('helmfile -e prod sync into a real API server', () => {
  it('restricted namespace: every object of the release admitted, no PodSecurity warning', { timeout: 300_000 }, async () => {
    const api = await useApiServer();
    await Promise.all([api.createNamespace(NAMESPACE, RESTRICTED), api.createNamespace(RECHECK, RESTRICTED)]);
    const home = newHelmHome();
    const env = { ...home.env, KUBECONFIG: api.kubeconfig, KRMKIT_REPORT_DIR: mkdtempSync(join(tmpdir(), 'krmkit-helmfile-sync-')) };

    // The judge can fail: the plain chart draws PodSecurity warnings in this namespace.
    const plain = await run(toolPath('helm3'), ['template', 'demo', CHART, '--namespace', NAMESPACE, '--no-hooks'], { env });
    expect(plain.status, plain.stderr).toBe(0);
    const plainCheck = await api.kubectl(['create', '--dry-run=server', '-f', '-'], { input: plain.stdout, namespace: RECHECK });
    expect(plainCheck.stderr).toMatch(POD_SECURITY_WARNING);

    const sync = await run(
      toolPath('helmfile'),
      ['--file', HELMFILE, '--environment', 'prod', '--helm-binary', toolPath('helm3'), '--selector', 'name=demo', 'sync', '--args', '--no-hooks'],
      { env, cwd: tmpdir() },
    );
    expect(sync.status, sync.stderr).toBe(0);
    expect(sync.stderr + sync.stdout).not.toMatch(POD_SECURITY_WARNING);

    // What Helm stored is what krmkit made of the render: re-checked by the server, object by object.
    const manifest = await run(toolPath('helm3'), ['get', 'manifest', 'demo', '--namespace', NAMESPACE], { env });
    expect(manifest.status, manifest.stderr).toBe(0);
    const installed = documentsOf(manifest.stdout);
    expect(installed.some((object) => object.kind === 'NetworkPolicy')).toBe(true);
    const recheck = await api.kubectl(['create', '--dry-run=server', '-f', '-'], { input: manifest.stdout, namespace: RECHECK });
    expect(recheck.code, recheck.stderr).toBe(0);
    expect(recheck.stderr).not.toMatch(POD_SECURITY_WARNING);

    // 0 rejected: every object of the release exists in the server.
    const names = installed.map((object) => `${String(object.kind).toLowerCase()}/${String((object.metadata as { name: string }).name)}`);
    const found = await api.kubectl(['get', ...names, '-o', 'name'], { namespace: NAMESPACE });
    expect(found.code, found.stderr).toBe(0);
    expect(found.stdout.trim().split('\n').length).toBe(installed.length);
  });
});
