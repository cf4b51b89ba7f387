import { renderSelector, selectorFromLabels, type LabelSelector } from '../../krm/kube/label-selector.js';
import { generatedMetadata } from '../../krm/model/generated-object.js';
import type { KubeObject, Resource } from '../../krm/model/resource.js';
import type { ClusterPeer, Direction, FlowEnd } from './config.js';
import type { NamespaceKey } from './namespaces.js';
import { renderPort, type PolicyPort } from './ports.js';

/** What a generated policy is for: `workload` (one per workload) or `namespace-default-deny`. */
export const RULE_LABEL = 'krmkit.dev/rule';
/**
 * Why each rule of a generated policy is there (`ingress[0]: <rule> (<option>): <evidence>`,
 * one line per rule), for reviewers and `krmkit connectivity`: NetworkPolicy rules have no
 * field of their own to say it.
 */
export const WHY_ANNOTATION = 'krmkit.dev/why';

/** Who may talk: pods picked by namespace labels and/or pod labels, or addresses. */
export interface Peer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string };
}

/** One ingress or egress rule. No peers means any peer; no ports means every port. */
export interface Rule {
  peers: Peer[];
  ports: PolicyPort[];
  /** The rule that asks for it, its option, and the evidence in the stream. */
  reason: string;
}

/** A NetworkPolicy the function wants to exist. */
export interface PlannedPolicy {
  namespace: NamespaceKey;
  name: string;
  /** The object it serves (a workload), or the namespace it covers: its namespace is the policy's. */
  served: Resource | KubeObject;
  /** What it is for, for the `krmkit.dev/rule` label. */
  rule: string;
  podSelector: LabelSelector;
  policyTypes: Direction[];
  ingress?: Rule[];
  egress?: Rule[];
}

/** The label namespaces carry their own name in (Kubernetes ≥ 1.22 sets it on every namespace). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export function clusterPeer(peer: ClusterPeer): Peer {
  const rendered: Peer = {};
  if (peer.namespaceSelector) rendered.namespaceSelector = selectorFromLabels(peer.namespaceSelector);
  if (peer.podSelector) rendered.podSelector = selectorFromLabels(peer.podSelector);
  return rendered;
}

/** A flow end as a peer: its namespace by name when set, else the policy's own namespace. */
export function flowPeer(end: FlowEnd): Peer {
  if (end.cidr !== undefined) return { ipBlock: { cidr: end.cidr } };
  if (end.namespace === undefined) return { podSelector: selectorFromLabels(end.podSelector) };
  const peer: Peer = { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: end.namespace } } };
  if (end.podSelector) peer.podSelector = selectorFromLabels(end.podSelector);
  return peer;
}

/** The object to add, keys in the order people write them: apiVersion, kind, metadata, spec. */
export function renderPolicy(policy: PlannedPolicy): KubeObject {
  const metadata: Record<string, unknown> = { ...generatedMetadata(policy.served, policy.name, { [RULE_LABEL]: policy.rule }) };
  const why = [
    ...(policy.ingress ?? []).map((rule, index) => `ingress[${index}]: ${rule.reason}`),
    ...(policy.egress ?? []).map((rule, index) => `egress[${index}]: ${rule.reason}`),
  ];
  if (why.length > 0) metadata.annotations = { [WHY_ANNOTATION]: why.join('\n') };
  const spec: Record<string, unknown> = { podSelector: renderSelector(policy.podSelector), policyTypes: [...policy.policyTypes] };
  if (policy.ingress) spec.ingress = policy.ingress.map((rule) => renderRule(rule, 'from'));
  if (policy.egress) spec.egress = policy.egress.map((rule) => renderRule(rule, 'to'));
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec };
}

function renderRule(rule: Rule, peersKey: 'from' | 'to'): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  if (rule.peers.length > 0) rendered[peersKey] = rule.peers.map(renderPeer);
  if (rule.ports.length > 0) rendered.ports = rule.ports.map(renderPort);
  return rendered;
}

function renderPeer(peer: Peer): Record<string, unknown> {
  const rendered: Record<string, unknown> = {};
  if (peer.namespaceSelector) rendered.namespaceSelector = renderSelector(peer.namespaceSelector);
  if (peer.podSelector) rendered.podSelector = renderSelector(peer.podSelector);
  if (peer.ipBlock) rendered.ipBlock = { cidr: peer.ipBlock.cidr };
  return rendered;
}
