import type { ContainerRef, PodTemplate } from '../../krm/kube/pod-template.js';
import { isWindowsPod } from '../../krm/kube/pod-template.js';
import { optionalMap } from '../../krm/model/shape.js';
import { planContainerAppArmor, planPodAppArmor } from './apparmor.js';
import { planAddedCapabilities, planDroppedCapabilities, planNoPrivilegeEscalation } from './capabilities.js';
import type { SecurityContextConfig } from './config.js';
import type { ContainerSecurityContext, Desire, Planning } from './desire.js';
import { planContainerHostAccess, planPodHostAccess } from './host-access.js';
import { refuseMalformedFields } from './malformed-fields.js';
import { checkProbeHosts } from './probe-hosts.js';
import { planReadOnlyRoot } from './read-only-root.js';
import { planContainerRunAsNonRoot, planContainerRunAsUser, planPodIds, planPodRunAsNonRoot } from './run-as.js';
import { planContainerSeccomp, planPodSeccomp } from './seccomp.js';
import { checkSeLinux } from './selinux.js';
import { checkSysctls, checkVolumes } from './volumes-and-sysctls.js';

/**
 * What the profile and the config want of one pod template's fields, rule group by rule
 * group (one file each). The order of the calls is the order of the results and of the
 * fields krmkit adds to a securityContext, so it is part of the output: keep it.
 */
export function planPodTemplate(template: PodTemplate, containers: readonly ContainerRef[], config: SecurityContextConfig): Desire[] {
  const resource = template.resource;
  const linux = !isWindowsPod(template);
  const podPath = [...template.specPath, 'securityContext'];
  const pod = { path: podPath, context: optionalMap(resource, podPath, template.spec.securityContext) ?? {} };
  const containerContexts: ContainerSecurityContext[] = containers.map((container) => {
    const path = [...container.path, 'securityContext'];
    return { container, path, context: optionalMap(resource, path, container.container.securityContext) ?? {} };
  });
  refuseMalformedFields(template, pod, containerContexts);

  const desires: Desire[] = [];
  const planning: Planning = {
    template,
    resource,
    config,
    profile: config.profile,
    restricted: config.profile === 'restricted',
    linux,
    pod,
    containers: containerContexts,
    want: (path, current, proposed, message, violation = true, configured = false) => desires.push({ path, current, proposed, violation, configured, message }),
    cannotFix: (path, current, message) => desires.push({ path, current, violation: true, configured: false, message }),
  };

  planPodHostAccess(planning);
  planPodRunAsNonRoot(planning);
  planPodSeccomp(planning);
  planPodAppArmor(planning);
  checkSeLinux(planning, pod);
  planPodIds(planning);
  checkVolumes(planning);
  checkSysctls(planning);
  for (const container of containerContexts) {
    planContainerHostAccess(planning, container);
    checkSeLinux(planning, container);
    checkProbeHosts(planning, container);
    planContainerAppArmor(planning, container);
    planContainerRunAsNonRoot(planning, container);
    planContainerSeccomp(planning, container);
    planContainerRunAsUser(planning, container);
    planAddedCapabilities(planning, container);
    planNoPrivilegeEscalation(planning, container);
    planDroppedCapabilities(planning, container);
    planReadOnlyRoot(planning, container);
  }
  return desires;
}
