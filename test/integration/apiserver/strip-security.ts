import { dump } from 'js-yaml';
import { documentsOf } from '../../helpers/objects.js';

/**
 * The same manifests written plainly, as many charts are: every pod-level and container
 * securityContext removed. Upstream projects that already ship restricted-compliant pods
 * (cert-manager, ingress-nginx, metrics-server) give the judge nothing to find; their
 * plain variant shows that it finds violations there and that krmkit's output has none.
 */
const POD_SPEC_PATHS: readonly (readonly string[])[] = [['spec'], ['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec']];
const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

type Map = Record<string, unknown>;

function isMap(value: unknown): value is Map {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function withoutSecurityContexts(text: string): string {
  return documentsOf(text)
    .map((object) => {
      for (const path of POD_SPEC_PATHS) {
        const spec = path.reduce<unknown>((value, key) => (isMap(value) ? value[key] : undefined), object);
        if (!isMap(spec) || !Array.isArray(spec.containers)) continue;
        delete spec.securityContext;
        for (const list of CONTAINER_LISTS) {
          for (const container of Array.isArray(spec[list]) ? (spec[list] as unknown[]) : []) if (isMap(container)) delete container.securityContext;
        }
      }
      return `---\n${dump(object, { noRefs: true, lineWidth: -1 })}`;
    })
    .join('');
}
