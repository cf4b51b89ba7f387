import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump, loadAll } from 'js-yaml';
import { run } from './process.js';
import { toolPath } from './tools.js';

/**
 * cyclonus (`analyze --mode query-traffic`) as an independent judge of NetworkPolicies: it
 * reads the policies and a list of flows and says, flow by flow, whether Kubernetes would
 * let each through. krmkit's own reading of its output never decides a test.
 */
export type Labels = Record<string, string>;

/** A pod (namespace and labels) or an address outside the cluster. */
export type Endpoint = { namespace: string; labels: Labels } | { ip: string };

export interface JudgedFlow {
  name: string;
  from: Endpoint;
  to: Endpoint;
  port: number;
  /** The container port's name on the destination, when it has one (named policy ports match it). */
  portName?: string;
  protocol?: 'TCP' | 'UDP';
}

type KubeObject = Record<string, unknown> & { kind?: unknown; metadata?: Record<string, unknown> };

/** The NetworkPolicies of a stream; those without a namespace are placed in `releaseNamespace`, as Helm or `kubectl -n` would. */
export function policiesOf(stream: string, releaseNamespace: string): KubeObject[] {
  return (loadAll(stream) as (KubeObject | null)[])
    .filter((object): object is KubeObject => object !== null && object.kind === 'NetworkPolicy')
    .map((policy) => ({ ...policy, metadata: { ...policy.metadata, namespace: policy.metadata?.namespace ?? releaseNamespace } }));
}

let counter = 0;
function peer(endpoint: Endpoint): Record<string, unknown> {
  counter += 1;
  const ip = `10.${(counter >> 8) & 255}.${counter & 255}.${(counter * 7) % 250 + 1}`;
  if ('ip' in endpoint) return { IP: endpoint.ip };
  return { Internal: { PodLabels: endpoint.labels, NamespaceLabels: { 'kubernetes.io/metadata.name': endpoint.namespace }, Namespace: endpoint.namespace }, IP: ip };
}

/** For each flow, whether cyclonus allows it, in order. */
export async function judge(policies: readonly KubeObject[], flows: readonly JudgedFlow[]): Promise<Map<string, boolean>> {
  const dir = mkdtempSync(join(tmpdir(), 'krmkit-cyclonus-'));
  const policyDir = join(dir, 'policies');
  mkdirSync(policyDir);
  // cyclonus reads one document per file.
  policies.forEach((policy, index) => writeFileSync(join(policyDir, `${index}.yaml`), dump(policy)));
  // A directory without policies would make cyclonus read none and allow everything: still a valid verdict.
  const traffic = flows.map((flow) => ({
    Source: peer(flow.from),
    Destination: peer(flow.to),
    ResolvedPort: flow.port,
    ResolvedPortName: flow.portName ?? '',
    Protocol: flow.protocol ?? 'TCP',
  }));
  const trafficPath = join(dir, 'traffic.json');
  writeFileSync(trafficPath, JSON.stringify(traffic));
  const args = ['analyze', '--mode', 'query-traffic', '--traffic-path', trafficPath];
  if (policies.length > 0) args.push('--policy-path', policyDir);
  const result = await run(toolPath('cyclonus'), args);
  if (result.status !== 0) throw new Error(`cyclonus failed (${result.status}): ${result.stderr}`);
  const verdicts = [...result.stdout.matchAll(/IS ALLOWED\? \|\s+(TRUE|FALSE)\s+\|/g)].map((match) => match[1] === 'TRUE');
  if (verdicts.length !== flows.length) throw new Error(`cyclonus judged ${verdicts.length} flows, expected ${flows.length}:\n${result.stdout}`);
  return new Map(flows.map((flow, index) => [flow.name, verdicts[index] as boolean]));
}

/** The pod labels of a workload of the stream (its pod template's), by kind and name. */
export function podLabels(stream: string, kind: string, name: string): Labels {
  const object = (loadAll(stream) as (KubeObject | null)[]).find((candidate) => candidate?.kind === kind && candidate.metadata?.name === name);
  if (!object) throw new Error(`no ${kind} ${name} in the stream`);
  const spec = object.spec as Record<string, unknown>;
  const template = (kind === 'CronJob' ? ((spec.jobTemplate as Record<string, unknown>).spec as Record<string, unknown>).template : spec.template) as Record<string, unknown>;
  return ((template.metadata as Record<string, unknown> | undefined)?.labels as Labels | undefined) ?? {};
}
