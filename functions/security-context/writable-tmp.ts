import type { ContainerRef, PodTemplate } from '../../krm/kube/pod-template.js';
import { optionalMapList } from '../../krm/model/shape.js';

/**
 * Gives a container with a read-only root filesystem a writable /tmp (an emptyDir), as most
 * runtimes and libraries need one. Nothing happens when something is already mounted there.
 */
export function addWritableTmp(template: PodTemplate, container: ContainerRef): void {
  const resource = template.resource;
  const mountsPath = [...container.path, 'volumeMounts'];
  const mounts = optionalMapList(resource, mountsPath, container.container.volumeMounts) ?? [];
  if (mounts.some((mount) => typeof mount.mountPath === 'string' && mount.mountPath.replace(/\/+$/, '') === '/tmp')) return;

  const volumesPath = [...template.specPath, 'volumes'];
  const volumes = optionalMapList(resource, volumesPath, template.spec.volumes) ?? [];
  const reusable = volumes.find((volume) => volume.emptyDir !== undefined && (volume.name === 'tmp' || volume.name === 'krmkit-tmp'));
  let name = typeof reusable?.name === 'string' ? reusable.name : undefined;
  if (!name) {
    name = volumes.some((volume) => volume.name === 'tmp') ? 'krmkit-tmp' : 'tmp';
    resource.set([...volumesPath, volumes.length], { name, emptyDir: {} });
  }
  resource.set([...mountsPath, mounts.length], { name, mountPath: '/tmp' });
}
