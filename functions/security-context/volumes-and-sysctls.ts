import { optionalMapList } from '../../krm/model/shape.js';
import type { Planning } from './desire.js';
import { RESTRICTED_VOLUME_TYPES, SAFE_SYSCTLS } from './pod-security-standards.js';

/**
 * Volumes (no hostPath; restricted: only the listed types) and sysctls (only the safe ones):
 * violations krmkit reports but cannot repair, since the pod needs what they give it.
 */
export function checkVolumes({ template, resource, restricted, profile, cannotFix }: Planning): void {
  const volumesPath = [...template.specPath, 'volumes'];
  (optionalMapList(resource, volumesPath, template.spec.volumes) ?? []).forEach((volume, index) => {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (type === 'hostPath') cannotFix([...volumesPath, index, 'hostPath'], volume.hostPath, `${profile}: hostPath volumes are not allowed`);
    else if (restricted && type !== undefined && !RESTRICTED_VOLUME_TYPES.has(type)) {
      cannotFix([...volumesPath, index, type], volume[type], `restricted: volume type ${type} is not allowed`);
    }
  });
}

export function checkSysctls({ resource, pod, profile, cannotFix }: Planning): void {
  const sysctlsPath = [...pod.path, 'sysctls'];
  (optionalMapList(resource, sysctlsPath, pod.context.sysctls) ?? []).forEach((sysctl, index) => {
    if (!SAFE_SYSCTLS.has(String(sysctl.name))) cannotFix([...sysctlsPath, index, 'name'], sysctl.name, `${profile}: sysctl ${String(sysctl.name)} is not allowed`);
  });
}
