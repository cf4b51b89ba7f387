import { describeValue } from '../../krm/base/messages.js';
import type { Path } from '../../krm/base/path.js';
import { ALL_CONTAINER_LISTS, containersOf, type PodTemplate } from '../../krm/kube/pod-template.js';
import { optionalMap, optionalMapList } from '../../krm/model/shape.js';

export type ReferencedKind = 'ConfigMap' | 'Secret';

/** A ConfigMap or Secret a pod template uses, and the first field that names it. */
export interface Reference {
  kind: ReferencedKind;
  name: string;
  field: Path;
}

/**
 * Every ConfigMap and Secret whose content reaches the pods: volumes and projected volume
 * sources, `env[].valueFrom` and `envFrom`, in containers, initContainers and
 * ephemeralContainers. Each object is listed once, in the order first met.
 *
 * `imagePullSecrets` are deliberately not references: the kubelet reads them when it pulls an
 * image, so a change needs no restart — which is also why Stakater Reloader ignores them.
 */
export function referencesOf(template: PodTemplate): Reference[] {
  const found = new Map<string, Reference>();
  const note = (kind: ReferencedKind, holder: Record<string, unknown> | undefined, holderPath: Path, nameKey: string): void => {
    if (!holder) return;
    const name = holder[nameKey];
    if (name === undefined || name === null || name === '') return;
    if (typeof name !== 'string') throw template.resource.errorAt([...holderPath, nameKey], `expected a string, got ${describeValue(name)}`);
    const key = `${kind}/${name}`;
    if (!found.has(key)) found.set(key, { kind, name, field: [...holderPath, nameKey] });
  };
  const resource = template.resource;
  const map = (path: Path, value: unknown): Record<string, unknown> | undefined => optionalMap(resource, path, value);

  const volumesPath = [...template.specPath, 'volumes'];
  (optionalMapList(resource, volumesPath, template.spec.volumes) ?? []).forEach((volume, index) => {
    const volumePath = [...volumesPath, index];
    note('ConfigMap', map([...volumePath, 'configMap'], volume.configMap), [...volumePath, 'configMap'], 'name');
    note('Secret', map([...volumePath, 'secret'], volume.secret), [...volumePath, 'secret'], 'secretName');
    const projectedPath = [...volumePath, 'projected'];
    const projected = map(projectedPath, volume.projected);
    const sourcesPath = [...projectedPath, 'sources'];
    (optionalMapList(resource, sourcesPath, projected?.sources) ?? []).forEach((source, sourceIndex) => {
      const sourcePath = [...sourcesPath, sourceIndex];
      note('ConfigMap', map([...sourcePath, 'configMap'], source.configMap), [...sourcePath, 'configMap'], 'name');
      note('Secret', map([...sourcePath, 'secret'], source.secret), [...sourcePath, 'secret'], 'name');
    });
  });

  for (const container of containersOf(template, ALL_CONTAINER_LISTS)) {
    const envFromPath = [...container.path, 'envFrom'];
    (optionalMapList(resource, envFromPath, container.container.envFrom) ?? []).forEach((source, index) => {
      const sourcePath = [...envFromPath, index];
      note('ConfigMap', map([...sourcePath, 'configMapRef'], source.configMapRef), [...sourcePath, 'configMapRef'], 'name');
      note('Secret', map([...sourcePath, 'secretRef'], source.secretRef), [...sourcePath, 'secretRef'], 'name');
    });
    const envPath = [...container.path, 'env'];
    (optionalMapList(resource, envPath, container.container.env) ?? []).forEach((variable, index) => {
      const valueFromPath = [...envPath, index, 'valueFrom'];
      const valueFrom = map(valueFromPath, variable.valueFrom);
      if (!valueFrom) return;
      note('ConfigMap', map([...valueFromPath, 'configMapKeyRef'], valueFrom.configMapKeyRef), [...valueFromPath, 'configMapKeyRef'], 'name');
      note('Secret', map([...valueFromPath, 'secretKeyRef'], valueFrom.secretKeyRef), [...valueFromPath, 'secretKeyRef'], 'name');
    });
  }
  return [...found.values()];
}
