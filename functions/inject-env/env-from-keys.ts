import type { ResourceLookup } from '../../krm/model/resource-index.js';
import { optionalMap } from '../../krm/model/shape.js';

/**
 * The variables an `envFrom` source defines are the keys of a ConfigMap or Secret — known
 * only when that object is in the input. This index answers "which keys, if we can know?".
 */
export class EnvFromKeys {
  constructor(private readonly lookup: ResourceLookup) {}

  /**
   * The variable names a source defines (keys with the prefix), or undefined when its object
   * is not in the input. A namespace left out (Helm and `kubectl -n` style) matches any.
   * Objects are read only when a source names them: a malformed ConfigMap nothing reads
   * from is not this function's business.
   */
  variablesOf(kind: 'configMapRef' | 'secretRef', name: string, prefix: string, namespace: string | undefined): string[] | undefined {
    const objectKind = kind === 'configMapRef' ? 'ConfigMap' : 'Secret';
    const object = this.lookup
      .named('', objectKind, name)
      .find((candidate) => candidate.apiVersion === 'v1' && (candidate.namespace === undefined || namespace === undefined || candidate.namespace === namespace));
    if (!object) return undefined;
    const fields = objectKind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData'];
    return fields.flatMap((field) => Object.keys(optionalMap(object, [field], object.object[field]) ?? {})).map((key) => `${prefix}${key}`);
  }
}
