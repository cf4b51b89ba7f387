import { isPlainMap } from '../../krm/base/path.js';
import { podTemplateOf } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { isNetworkPolicy } from './existing-policies.js';
import { mayShareNamespace, namespaceKeyOf, type NamespaceKey } from './namespaces.js';
import { NAMESPACE_NAME_LABEL, WHY_ANNOTATION } from './policy.js';
import { matchesSelector, type LabelSelector } from '../../krm/kube/label-selector.js';
import { checkLabelValues } from '../../krm/kube/label-values.js';
import { readLabels } from '../../krm/kube/labels.js';
import { readLabelSelector } from '../../krm/kube/read-label-selector.js';

/**
 * `krmkit connectivity`: the flows the NetworkPolicies of a stream allow, read back from
 * the policies themselves (generated or not) so a reviewer sees their effect without
 * reading YAML. Between two workloads of the stream a flow is listed only when both sides
 * let it through (the sender's egress, the receiver's ingress, or a side no policy isolates).
 */
export interface Flow {
  from: string;
  to: string;
  /** `TCP 8080`, or `any`. */
  port: string;
  /** The rules that allow it, with their evidence (`krmkit.dev/why`), or the policy's name. */
  why: string[];
}

interface Pod {
  name: string;
  namespace: NamespaceKey;
  labels: Record<string, string>;
  ports: Map<string, number>;
}

interface Edge {
  direction: 'ingress' | 'egress';
  /** The stream pods the policy selects. */
  selected: Pod[];
  /** Pods of the stream the rule names, or a description of a peer outside it. */
  peers: (Pod | string)[];
  ports: string[];
  why: string;
}

export function connectivityOf(resources: readonly Resource[]): Flow[] {
  // The rule every function run applies first (krm/kube/label-values.ts): `tier: 1` is refused here too.
  for (const resource of resources) checkLabelValues(resource);
  const pods = podsOf(resources);
  const edges = resources.filter(isNetworkPolicy).flatMap((policy) => edgesOf(policy, pods));
  const isolated = (pod: Pod, direction: Edge['direction']): boolean => edges.some((edge) => edge.direction === direction && edge.selected.includes(pod)) || policiesIsolating(resources, pod, direction);
  const flows = new Map<string, Flow>();
  const add = (from: string, to: string, port: string, why: string): void => {
    const key = JSON.stringify([from, to, port]);
    const flow = flows.get(key) ?? { from, to, port, why: [] };
    if (!flow.why.includes(why)) flow.why.push(why);
    flows.set(key, flow);
  };
  const allows = (direction: Edge['direction'], selected: Pod, peer: Pod, port: string): string | undefined =>
    edges.find((edge) => edge.direction === direction && edge.selected.includes(selected) && edge.peers.includes(peer) && (edge.ports.includes(port) || edge.ports.includes('any')))?.why;

  for (const edge of edges) {
    for (const pod of edge.selected) {
      for (const peer of edge.peers) {
        for (const port of edge.ports) {
          if (typeof peer === 'string') {
            if (edge.direction === 'ingress') add(peer, pod.name, port, edge.why);
            else add(pod.name, peer, port, edge.why);
            continue;
          }
          const [sender, receiver] = edge.direction === 'ingress' ? [peer, pod] : [pod, peer];
          const other = edge.direction === 'ingress' ? 'egress' : 'ingress';
          const otherSide = other === 'egress' ? sender : receiver;
          const otherWhy = isolated(otherSide, other) ? allows(other, otherSide, edge.direction === 'ingress' ? receiver : sender, port) : 'not isolated';
          if (otherWhy === undefined) continue;
          add(sender.name, receiver.name, port, edge.why);
          if (otherWhy !== 'not isolated') add(sender.name, receiver.name, port, otherWhy);
        }
      }
    }
  }
  return [...flows.values()];
}

/** A policy selecting the pod with that policy type but no rules (pure deny) isolates it too. */
function policiesIsolating(resources: readonly Resource[], pod: Pod, direction: Edge['direction']): boolean {
  return resources.some((policy) => {
    if (!isNetworkPolicy(policy) || !mayShareNamespace(namespaceKeyOf(policy), pod.namespace)) return false;
    const spec = isPlainMap(policy.object.spec) ? policy.object.spec : {};
    const selector = readLabelSelector(policy, ['spec', 'podSelector'], spec.podSelector) ?? {};
    const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress'];
    return types.includes(direction === 'ingress' ? 'Ingress' : 'Egress') && matchesSelector(pod.labels, selector);
  });
}

function podsOf(resources: readonly Resource[]): Pod[] {
  const pods: Pod[] = [];
  for (const resource of resources) {
    const template = podTemplateOf(resource);
    if (!template) continue;
    const metadata = resource.get(template.metadataPath);
    const labels = readLabels(resource, [...template.metadataPath, 'labels'], isPlainMap(metadata) ? metadata.labels : undefined);
    const ports = new Map<string, number>();
    for (const list of ['initContainers', 'containers']) {
      const containers = template.spec[list];
      if (!Array.isArray(containers)) continue;
      for (const container of containers) {
        if (!isPlainMap(container) || !Array.isArray(container.ports)) continue;
        for (const port of container.ports) {
          if (isPlainMap(port) && typeof port.name === 'string' && typeof port.containerPort === 'number') ports.set(port.name, port.containerPort);
        }
      }
    }
    pods.push({ name: resource.name, namespace: namespaceKeyOf(resource), labels, ports });
  }
  return pods;
}

function edgesOf(policy: Resource, pods: readonly Pod[]): Edge[] {
  const spec = isPlainMap(policy.object.spec) ? policy.object.spec : {};
  const namespace = namespaceKeyOf(policy);
  const selector = readLabelSelector(policy, ['spec', 'podSelector'], spec.podSelector) ?? {};
  const selected = pods.filter((pod) => mayShareNamespace(pod.namespace, namespace) && matchesSelector(pod.labels, selector));
  const why = (policy.annotations[WHY_ANNOTATION] ?? '').split('\n');
  const edges: Edge[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = Array.isArray(spec[direction]) ? (spec[direction] as unknown[]) : [];
    rules.forEach((rule, index) => {
      if (!isPlainMap(rule)) return;
      const rawPeers = rule[direction === 'ingress' ? 'from' : 'to'];
      const peerList = Array.isArray(rawPeers) ? rawPeers.filter(isPlainMap) : [];
      const peers = peerList.length === 0 ? ['anywhere'] : peerList.flatMap((peer, peerIndex) => resolvePeer(policy, [ 'spec', direction, index, direction === 'ingress' ? 'from' : 'to', peerIndex], peer, namespace, pods));
      const reason = why.find((line) => line.startsWith(`${direction}[${index}]: `))?.slice(`${direction}[${index}]: `.length) ?? `NetworkPolicy ${policy.name} (in the stream)`;
      for (const pod of selected) {
        // Named ports resolve on the pod that listens: the receiver.
        const listener = (peer: Pod | string): Pod | undefined => (direction === 'ingress' ? pod : typeof peer === 'string' ? undefined : peer);
        for (const peer of peers) edges.push({ direction, selected: [pod], peers: [peer], ports: portsOf(rule.ports, listener(peer)), why: reason });
      }
    });
  }
  return edges;
}

function resolvePeer(policy: Resource, path: (string | number)[], peer: Record<string, unknown>, namespace: NamespaceKey, pods: readonly Pod[]): (Pod | string)[] {
  if (isPlainMap(peer.ipBlock)) return [String(peer.ipBlock.cidr)];
  const podSelector: LabelSelector | undefined = readLabelSelector(policy, [...path, 'podSelector'], peer.podSelector);
  const namespaceSelector = readLabelSelector(policy, [...path, 'namespaceSelector'], peer.namespaceSelector);
  const named = namespaceSelector?.matchLabels?.[NAMESPACE_NAME_LABEL];
  const inNamespace = (pod: Pod): boolean => (namespaceSelector === undefined ? mayShareNamespace(pod.namespace, namespace) : named === undefined || mayShareNamespace(pod.namespace, named));
  const matched = pods.filter((pod) => inNamespace(pod) && matchesSelector(pod.labels, podSelector ?? {}));
  if (matched.length > 0 && (podSelector !== undefined || namespaceSelector === undefined)) return matched;
  const where = namespaceSelector === undefined ? 'this namespace' : named ?? (Object.keys(namespaceSelector).length === 0 ? 'any namespace' : describeSelector(namespaceSelector));
  return [`${where}: ${podSelector ? describeSelector(podSelector) : 'all pods'}`];
}

function describeSelector(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  const expressions = (selector.matchExpressions ?? []).map((expression) => `${expression.key} ${expression.operator} ${(expression.values ?? []).join(',')}`);
  const all = [...labels, ...expressions];
  return all.length > 0 ? all.join(',') : 'all pods';
}

function portsOf(raw: unknown, listener: Pod | undefined): string[] {
  if (!Array.isArray(raw) || raw.length === 0) return ['any'];
  return raw.filter(isPlainMap).map((port) => {
    const protocol = typeof port.protocol === 'string' ? port.protocol : 'TCP';
    const number = typeof port.port === 'string' ? (listener?.ports.get(port.port) ?? port.port) : port.port;
    return number === undefined ? `${protocol} any` : `${protocol} ${String(number)}`;
  });
}

/** The flows as a Markdown table: from, to, port, why. */
export function connectivityTable(flows: readonly Flow[]): string {
  const escape = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| from | to | port | why |', '| --- | --- | --- | --- |'];
  for (const flow of flows) lines.push(`| ${escape(flow.from)} | ${escape(flow.to)} | ${flow.port} | ${escape(flow.why.join('; '))} |`);
  return `${lines.join('\n')}\n`;
}

/** The flows as a Mermaid flowchart: one node per workload or peer, one edge per (from, to) with its ports. */
export function connectivityMermaid(flows: readonly Flow[]): string {
  const ids = new Map<string, string>();
  const id = (name: string): string => {
    let known = ids.get(name);
    if (!known) {
      known = `n${ids.size}`;
      ids.set(name, known);
    }
    return known;
  };
  const edges = new Map<string, string[]>();
  for (const flow of flows) {
    const key = JSON.stringify([flow.from, flow.to]);
    edges.set(key, [...(edges.get(key) ?? []), flow.port]);
  }
  const lines = ['flowchart LR'];
  for (const [key, ports] of edges) {
    const [from, to] = JSON.parse(key) as [string, string];
    lines.push(`  ${id(from)}["${from.replace(/"/g, "'")}"] -->|${[...new Set(ports)].join(', ')}| ${id(to)}["${to.replace(/"/g, "'")}"]`);
  }
  return `${lines.join('\n')}\n`;
}
