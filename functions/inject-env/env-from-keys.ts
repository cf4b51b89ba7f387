import type { Resource } from '../../krm/resource.js';
import { optionalMap } from '../../krm/shape.js';

/**
 * The variables an `envFrom` source defines are the keys of a ConfigMap or Secret — known
 * only when that object is in the input. This index answers "which keys, if we can know?".
 */
export class EnvFromKeys {
  private readonly objects: { kind: 'ConfigMap' | 'Secret'; namespace: string | undefined; name: string; keys: string[] }[] = [];

  constructor(resources: readonly Resource[]) {
    for (const resource of resources) {
      if (resource.apiVersion !== 'v1' || (resource.kind !== 'ConfigMap' && resource.kind !== 'Secret')) continue;
      const fields = resource.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
      const keys = fields.flatMap((field) => Object.keys(optionalMap(resource, [field], resource.object[field]) ?? {}));
      this.objects.push({ kind: resource.kind, namespace: resource.namespace, name: resource.name, keys });
    }
  }

  /**
   * The variable names a source defines (keys with the prefix), or undefined when its object
   * is not in the input. A namespace left out (Helm and `kubectl -n` style) matches any.
   */
  variablesOf(kind: 'configMapRef' | 'secretRef', name: string, prefix: string, namespace: string | undefined): string[] | undefined {
    const objectKind = kind === 'configMapRef' ? 'ConfigMap' : 'Secret';
    const object = this.objects.find(
      (candidate) => candidate.kind === objectKind && candidate.name === name && (candidate.namespace === undefined || namespace === undefined || candidate.namespace === namespace),
    );
    return object?.keys.map((key) => `${prefix}${key}`);
  }
}
