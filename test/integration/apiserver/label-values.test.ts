import { beforeAll, describe, expect, it } from 'vitest';
import { useApiServer, type ApiServer } from './harness.js';

/**
 * Evidence for krmkit's one rule on label values (krm/kube/README.md, "Non-string label
 * values"): what a real kube-apiserver says of a Deployment whose label value is not a string,
 * in its own labels, its selector and its pod template's labels. Sent as JSON, so the value
 * reaches the server with the type YAML gave it.
 */
let server: ApiServer;

beforeAll(async () => {
  server = await useApiServer();
  await server.createNamespace('fna-label-values');
});

type Place = 'metadata.labels' | 'spec.selector.matchLabels' | 'pod template labels';

/** The Deployment with `value` as `tier` at `place` (`everywhere`: in all three, so selector and template still agree). */
function deployment(place: Place | 'everywhere' | undefined, value: unknown): string {
  const labels = (at: Place): Record<string, unknown> => ({ app: 'web', tier: place === at || place === 'everywhere' ? value : '1' });
  return JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: labels('metadata.labels') },
    spec: {
      selector: { matchLabels: labels('spec.selector.matchLabels') },
      template: { metadata: { labels: labels('pod template labels') }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
    },
  });
}

const create = (input: string) => server.kubectl(['create', '--dry-run=server', '-f', '-'], { input, namespace: 'fna-label-values' });

describe('the API server on label values', () => {
  it('accepts the Deployment with every label value a string (so the refusals below can fail)', async () => {
    const created = await create(deployment(undefined, '1'));
    expect(created.code, created.stderr).toBe(0);
  });

  it.each<[Place, unknown]>([
    ['metadata.labels', 1],
    ['spec.selector.matchLabels', 1],
    ['pod template labels', 1],
    ['metadata.labels', true],
    ['spec.selector.matchLabels', 1.5],
    ['pod template labels', false],
  ])('refuses a non-string value in %s (%j)', async (place, value) => {
    const created = await create(deployment(place, value));
    expect(created.code).not.toBe(0);
    expect(created.stderr).toMatch(/of type string|cannot unmarshal/);
  });

  it('null (an empty YAML value, `tier:`) is the one it lets through, stored as an empty string: krmkit refuses it anyway', async () => {
    const created = await server.kubectl(['create', '--dry-run=server', '-o', 'json', '-f', '-'], { input: deployment('everywhere', null), namespace: 'fna-label-values' });
    expect(created.code, created.stderr).toBe(0);
    const stored = JSON.parse(created.stdout) as { metadata: { labels: Record<string, string> }; spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } } };
    expect([stored.metadata.labels.tier, stored.spec.selector.matchLabels.tier, stored.spec.template.metadata.labels.tier]).toEqual(['', '', '']);
  });
});
