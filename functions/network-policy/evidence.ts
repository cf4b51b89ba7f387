import type { Resource } from '../../krm/model/resource.js';
import { optionalMap, optionalMapList, optionalStringList } from '../../krm/model/shape.js';
import type { NetworkPolicyConfig } from './config.js';
import { controlPlaneCallsOf, isExternallyExposed } from './control-plane.js';
import { isGenerated, isNetworkPolicy } from './existing-policies.js';
import { describeWorkload, hasExternalFlow, labelsForFlow, matchesClusterPeer, peerFor, selects, type Grant, type ServedWorkload } from './plan.js';
import { NAMESPACE_NAME_LABEL, type Peer } from './policy.js';
import { addPorts, type PolicyPort } from './ports.js';
import { RbacIndex } from './rbac.js';
import { ConfigMapIndex, readMention, workloadMentions } from './references.js';
import type { LabelSelector } from '../../krm/kube/label-selector.js';
import { readLabelSelector } from '../../krm/kube/read-label-selector.js';
import { ServiceLookup, targetsOf } from './services.js';
import type { Workload } from './workloads.js';

/** A warning about traffic krmkit cannot derive: the workload and the exact option that allows it. */
export interface Unresolved {
  workload: Workload;
  message: string;
}

/** What the stream's evidence asks for: allows on both sides, and what could not be resolved. */
export interface Evidence {
  grants: Grant[];
  unresolved: Unresolved[];
}

const ANYWHERE: Peer[] = [];
const KUBELET_PORT: PolicyPort = { protocol: 'TCP', port: 10250 };

function cidrPeers(cidrs: readonly string[]): Peer[] {
  return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

/** Ingress controllers the stream runs: named by an IngressClass of the stream, or matching `ingressControllers`. */
export function ingressControllersOf(config: NetworkPolicyConfig, resources: readonly Resource[], workloads: readonly Workload[]): Workload[] {
  const classes = resources.filter((resource) => resource.kind === 'IngressClass' && resource.group === 'networking.k8s.io');
  const markers: string[] = [];
  for (const ingressClass of classes) {
    const spec = optionalMap(ingressClass, ['spec'], ingressClass.object.spec) ?? {};
    if (typeof spec.controller === 'string') markers.push(`--controller-class=${spec.controller}`);
    markers.push(`--ingress-class=${ingressClass.name}`);
  }
  return workloads.filter((workload) => {
    if (config.ingressControllers.some((peer) => matchesClusterPeer(peer, workload))) return true;
    return workload.containers.some(({ container }) => Array.isArray(container.args) && container.args.some((arg) => typeof arg === 'string' && markers.includes(arg)));
  });
}

/** Every allow the stream's evidence implies, per rule of issue 9, each switchable by its option. */
export function deriveEvidence(config: NetworkPolicyConfig, resources: readonly Resource[], served: readonly ServedWorkload[], ingressControllers: readonly Workload[]): Evidence {
  const grants: Grant[] = [];
  const unresolved: Unresolved[] = [];
  const lookup = new ServiceLookup(served);
  const denyEgress = config.defaultDeny.includes('Egress');

  if (config.allowControlPlane) {
    const from = config.controlPlaneCIDRs.length > 0 ? cidrPeers(config.controlPlaneCIDRs) : ANYWHERE;
    for (const call of controlPlaneCallsOf(resources)) {
      for (const backend of lookup.find(call.name, call.namespace)) {
        grants.push({
          workload: backend.workload,
          direction: 'Ingress',
          peers: from,
          ports: targetsOf(backend.ports, call.port),
          reason: `control-plane (allowControlPlane): ${call.caller.kind} ${call.caller.name} calls Service ${call.name}:${call.port}`,
        });
      }
    }
  }

  if (config.allowExternalIngress) {
    const from = config.externalIngressCIDRs.length > 0 ? cidrPeers(config.externalIngressCIDRs) : ANYWHERE;
    for (const { workload, services } of served) {
      for (const { service, ports } of services) {
        if (!isExternallyExposed(service)) continue;
        const targets: PolicyPort[] = [];
        addPorts(targets, ports.map((port) => port.target));
        grants.push({ workload, direction: 'Ingress', peers: from, ports: targets, reason: `external (allowExternalIngress): Service ${service.name} is ${String((service.object.spec as Record<string, unknown>).type ?? 'exposed on externalIPs')}` });
      }
    }
  }

  if (denyEgress) {
    const rbac = new RbacIndex(resources);
    for (const { workload } of served) {
      const access = rbac.accessOf(workload);
      if (config.allowAPIServer && access.binding) {
        const peers = config.apiServerCIDRs.length > 0 ? cidrPeers(config.apiServerCIDRs) : ANYWHERE;
        grants.push({ workload, direction: 'Egress', peers, ports: config.apiServerPorts, reason: `api-server (allowAPIServer): ServiceAccount ${access.serviceAccount} is bound by ${access.binding.kind} ${access.binding.name}` });
      }
      if (config.allowKubelets && access.nodeRole) {
        grants.push({ workload, direction: 'Egress', peers: ANYWHERE, ports: [KUBELET_PORT], reason: `kubelet (allowKubelets): ${access.nodeRole.kind} ${access.nodeRole.name} grants nodes/metrics, nodes/stats or nodes/proxy` });
      }
    }
    if (config.allowIngressControllerEgress) {
      for (const controller of ingressControllers) {
        grants.push({ workload: controller, direction: 'Egress', peers: [{ namespaceSelector: {} }], ports: [], reason: 'ingress-controller (allowIngressControllerEgress): it proxies to backends in every namespace' });
      }
    }
  }

  if (config.allowReferences) {
    const configMaps = new ConfigMapIndex(resources);
    for (const { workload } of served) {
      const reported = new Set<string>();
      for (const mention of workloadMentions(workload, configMaps)) {
        const target = readMention(mention, (name, namespace) => lookup.has(name, namespace ?? workload.namespace));
        const written = `${mention.scheme ? `${mention.scheme}://` : ''}${mention.host}${mention.port ? `:${mention.port}` : ''}`;
        if (target.kind === 'service') {
          const backends = lookup.find(target.name, target.namespace ?? workload.namespace).filter((backend) => backend.workload !== workload);
          if (backends.length === 0) {
            if (lookup.has(target.name, target.namespace ?? workload.namespace) || reported.has(written)) continue; // it calls itself
            reported.add(written);
            const port = mention.port ?? '<port>';
            unresolved.push({
              workload,
              message: `refers to ${written} (${mention.where}) but the stream has no Service ${target.name}${target.namespace ? ` in ${target.namespace}` : ''} that selects pods: add the Service to the stream, or declare flows: [{from: {podSelector: ${JSON.stringify(labelsForFlow(workload.podSelector))}}, to: {${target.namespace ? `namespace: ${target.namespace}, ` : ''}podSelector: {…}}, ports: [${port}]}]`,
            });
            continue;
          }
          for (const backend of backends) {
            const ports = targetsOf(backend.ports, mention.port);
            const why = `reference (allowReferences): ${describeWorkload(workload)} ${mention.where} names ${written}`;
            grants.push({ workload: backend.workload, direction: 'Ingress', peers: [peerFor(backend.workload, workload)], ports, reason: why });
            grants.push({ workload, direction: 'Egress', peers: [peerFor(workload, backend.workload)], ports, reason: why });
          }
        } else if (target.kind === 'external' && denyEgress && !hasExternalFlow(config.flows, workload) && !reported.has(target.host)) {
          reported.add(target.host);
          const port = mention.port ?? (mention.scheme === 'http' ? 80 : 443);
          unresolved.push({
            workload,
            message: `calls ${written} (${mention.where}), outside the cluster, which default-deny Egress blocks: allow it with flows: [{from: {podSelector: ${JSON.stringify(labelsForFlow(workload.podSelector))}}, to: {cidr: 0.0.0.0/0}, ports: [${port}]}]`,
          });
        }
      }
      if (denyEgress && !hasExternalFlow(config.flows, workload)) {
        const hint = calloutHint(workload);
        if (hint) unresolved.push({ workload, message: `${hint}, which default-deny Egress blocks: allow it with flows: [{from: {podSelector: ${JSON.stringify(labelsForFlow(workload.podSelector))}}, to: {cidr: 0.0.0.0/0}, ports: [443]}]` });
      }
    }
  }

  if (config.respectExistingPolicies && denyEgress) grants.push(...existingPolicyEgress(resources, served));
  return { grants, unresolved };
}

/** Controllers known to call out of the cluster although nothing in the stream names where. */
function calloutHint(workload: Workload): string | undefined {
  const text = workload.containers.map(({ container }) => [container.image, ...(Array.isArray(container.args) ? container.args : [])].join(' ')).join(' ');
  if (/acme/i.test(text) && /cert-manager/i.test(text)) return 'is an ACME issuer controller (cert-manager): it calls ACME servers such as Let\'s Encrypt on HTTPS';
  if (/argocd|argo-cd/i.test(text) && /repo-server/i.test(`${workload.name} ${text}`)) return 'is a git client (Argo CD repo-server): it clones repositories outside the cluster';
  return undefined;
}

/**
 * Ingress an existing (not generated) NetworkPolicy of the stream grants to pods the stream
 * runs: when krmkit denies egress, the sending workload needs the matching egress allow.
 */
function existingPolicyEgress(resources: readonly Resource[], served: readonly ServedWorkload[]): Grant[] {
  const grants: Grant[] = [];
  for (const policy of resources) {
    if (!isNetworkPolicy(policy) || isGenerated(policy)) continue;
    const spec = optionalMap(policy, ['spec'], policy.object.spec) ?? {};
    const selected = readLabelSelector(policy, ['spec', 'podSelector'], spec.podSelector) ?? {};
    const types = optionalStringList(policy, ['spec', 'policyTypes'], spec.policyTypes);
    if (types && !types.includes('Ingress')) continue;
    const namespace = policy.namespace ?? '';
    (optionalMapList(policy, ['spec', 'ingress'], spec.ingress) ?? []).forEach((rule, ruleIndex) => {
      const ports = readPolicyPorts(policy, ruleIndex, rule.ports);
      const from = optionalMapList(policy, ['spec', 'ingress', ruleIndex, 'from'], rule.from);
      const target: Peer = { podSelector: selected };
      for (const { workload } of served) {
        if (!sends(policy, ruleIndex, from, namespace, workload)) continue;
        const peer: Peer = workload.namespace === namespace ? target : namespace !== '' ? { namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } }, podSelector: selected } : { namespaceSelector: {}, podSelector: selected };
        grants.push({ workload, direction: 'Egress', peers: [peer], ports, reason: `existing-policy (respectExistingPolicies): NetworkPolicy ${policy.name} lets it in` });
      }
    });
  }
  return grants;
}

/** Whether an ingress rule's `from` admits the workload's pods (no `from`: any pod of the policy's namespace counts). */
function sends(policy: Resource, ruleIndex: number, from: Record<string, unknown>[] | undefined, namespace: string, workload: Workload): boolean {
  const sameNamespace = workload.namespace === namespace || workload.namespace === '' || namespace === '';
  if (!from || from.length === 0) return sameNamespace;
  return from.some((peer, peerIndex) => {
    if (peer.ipBlock !== undefined) return false;
    const at = ['spec', 'ingress', ruleIndex, 'from', peerIndex];
    const pods: LabelSelector = readLabelSelector(policy, [...at, 'podSelector'], peer.podSelector) ?? {};
    const namespaces = readLabelSelector(policy, [...at, 'namespaceSelector'], peer.namespaceSelector);
    if (!selects(pods, workload)) return false;
    if (!namespaces) return sameNamespace;
    const named = namespaces.matchLabels?.[NAMESPACE_NAME_LABEL];
    return named === undefined || named === workload.namespace;
  });
}

function readPolicyPorts(policy: Resource, ruleIndex: number, raw: unknown): PolicyPort[] {
  const ports: PolicyPort[] = [];
  (optionalMapList(policy, ['spec', 'ingress', ruleIndex, 'ports'], raw) ?? []).forEach((port) => {
    const protocol = port.protocol === 'UDP' || port.protocol === 'SCTP' ? port.protocol : 'TCP';
    if (typeof port.port === 'number' || typeof port.port === 'string') ports.push({ protocol, port: port.port });
  });
  return ports;
}
