import { beforeAll, describe, expect, it } from 'vitest';
import { pinnedVersions } from '../tools.js';
import { useApiServer, type ApiServer } from './harness.js';

/**
 * The judge itself: the server is the pinned release, authenticates the test token, and its
 * PodSecurity admission refuses what a namespace's level forbids (so a suite that relies on
 * it can fail).
 */
let server: ApiServer;

beforeAll(async () => {
  server = await useApiServer();
});

const privilegedPod = JSON.stringify({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'privileged' },
  spec: { containers: [{ name: 'app', image: 'busybox', securityContext: { privileged: true } }] },
});

describe('the shared API server', () => {
  it('is the pinned kube-apiserver, reached by the pinned kubectl', async () => {
    const version = await server.kubectl(['version', '-o', 'json']);
    expect(version.code, version.stderr).toBe(0);
    const parsed = JSON.parse(version.stdout) as { clientVersion: { gitVersion: string }; serverVersion: { gitVersion: string } };
    expect(parsed.serverVersion.gitVersion).toBe(pinnedVersions().KUBERNETES_VERSION);
    expect(parsed.clientVersion.gitVersion).toBe(pinnedVersions().KUBERNETES_VERSION);
  });

  it('refuses a privileged pod in a namespace enforcing baseline, and admits it where nothing is enforced', async () => {
    await server.createNamespace('harness-baseline', { 'pod-security.kubernetes.io/enforce': 'baseline' });
    await server.createNamespace('harness-open');
    const [refused, admitted] = await Promise.all([
      server.kubectl(['create', '--dry-run=server', '-f', '-'], { input: privilegedPod, namespace: 'harness-baseline' }),
      server.kubectl(['create', '--dry-run=server', '-f', '-'], { input: privilegedPod, namespace: 'harness-open' }),
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('violates PodSecurity "baseline:latest": privileged');
    expect(admitted.code, admitted.stderr).toBe(0);
  });

  it('answers the same server to every caller in the run', async () => {
    const again = await useApiServer();
    expect(again.server).toBe(server.server);
  });
});
