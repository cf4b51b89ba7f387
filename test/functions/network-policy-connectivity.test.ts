/** `krmkit connectivity`: the flows a stream's NetworkPolicies allow, read back from the policies. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { connectivityMermaid, connectivityOf } from '../../functions/network-policy/connectivity.js';
import { readInput } from '../../krm/stream/input.js';
import { REPO_ROOT, runCli } from '../helpers/cli.js';
import { transform } from '../helpers/transform.js';

const base = readFileSync(join(REPO_ROOT, 'base', 'rendered.yaml'), 'utf8');
const prod = transform(base, load(readFileSync(join(REPO_ROOT, 'overlays', 'prod', 'pipeline.yaml'), 'utf8'))).output;
const flowsOf = (text: string) => connectivityOf(readInput(text).resources).map(({ from, to, port }) => `${from} → ${to} ${port}`);

describe('connectivity', () => {
  it('base/ through prod: the tiers, the ingress controller and DNS, and nothing else between workloads', () => {
    const flows = flowsOf(prod);
    expect(flows).toContain('demo-frontend → demo-backend TCP 8000');
    expect(flows).toContain('demo-backend → demo-database TCP 5432');
    expect(flows).toContain('demo-migrations → demo-database TCP 5432');
    expect(flows).toContain('ingress-nginx: app.kubernetes.io/name=ingress-nginx,app.kubernetes.io/component=controller → demo-frontend TCP 8080');
    expect(flows).toContain('demo-frontend → kube-system: k8s-app=kube-dns UDP 53');
    expect(flows.filter((flow) => flow.startsWith('demo-frontend → demo-database'))).toEqual([]);
    // Before the prod overlay nothing is isolated, and there is no policy to read.
    expect(flowsOf(base)).toEqual([]);
  });

  it('lists a flow between workloads only when both sides let it through, with the evidence', () => {
    const pod = (name: string): Record<string, unknown> => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'shop', labels: { app: name } },
      spec: { containers: [{ name, image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    });
    const egressOnly = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'a-out', namespace: 'shop' },
      spec: { podSelector: { matchLabels: { app: 'a' } }, policyTypes: ['Egress'], egress: [{ to: [{ podSelector: { matchLabels: { app: 'b' } } }], ports: [{ port: 'http' }] }] },
    };
    const denyB = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'b-deny', namespace: 'shop' }, spec: { podSelector: { matchLabels: { app: 'b' } }, policyTypes: ['Ingress'] } };
    const stream = (...objects: Record<string, unknown>[]): string => objects.map((object) => stringify(object)).join('---\n');
    expect(connectivityOf(readInput(stream(pod('a'), pod('b'), egressOnly)).resources)).toEqual([{ from: 'a', to: 'b', port: 'TCP 8080', why: ['NetworkPolicy a-out (in the stream)'] }]);
    expect(connectivityOf(readInput(stream(pod('a'), pod('b'), egressOnly, denyB)).resources)).toEqual([]);
  });

  it('draws a Mermaid flowchart, one edge per pair with its ports', () => {
    const mermaid = connectivityMermaid(connectivityOf(readInput(prod).resources));
    expect(mermaid.startsWith('flowchart LR\n')).toBe(true);
    expect(mermaid).toMatch(/\["demo-frontend"\] -->\|TCP 8000\| n\d+\["demo-backend"\]/);
  });

  it('is a krmkit command (fast path and --help)', () => {
    const result = runCli(['connectivity'], prod);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('| demo-frontend | demo-backend | TCP 8000 |');
    expect(result.stdout).toContain('```mermaid\nflowchart LR');
    const help = runCli(['connectivity', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Print the flows the NetworkPolicies of a stream allow');
    const bad = runCli(['connectivity'], 'kind: [');
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
  });
});
