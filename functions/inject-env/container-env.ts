import type { Path } from '../../krm/base/path.js';
import type { ContainerRef } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { describeValue } from '../../krm/base/messages.js';
import { optionalMap, optionalMapList } from '../../krm/model/shape.js';
import { envFromIdentity, type EnvFromKind } from './env-var-shape.js';

/** A container's own `env` and `envFrom`, checked, with the paths to edit them by. */
export interface ContainerEnv {
  envPath: Path;
  envFromPath: Path;
  /** Undefined when the container has no `env` (or `env: null`). */
  env: Record<string, unknown>[] | undefined;
  /** The name of each `env` entry, in order. */
  names: string[];
  envFrom: Record<string, unknown>[] | undefined;
  /** Each `envFrom` entry's identity (kind, name, prefix); undefined for one krmkit cannot read. */
  envFromIdentities: (string | undefined)[];
}

export function readContainerEnv(resource: Resource, container: ContainerRef): ContainerEnv {
  const envPath = [...container.path, 'env'];
  const envFromPath = [...container.path, 'envFrom'];
  const env = optionalMapList(resource, envPath, container.container.env);
  const names = (env ?? []).map((entry, index) => {
    if (entry.name === undefined || entry.name === null) throw resource.errorAt([...envPath, index, 'name'], 'missing: every env entry needs a name');
    if (typeof entry.name !== 'string') throw resource.errorAt([...envPath, index, 'name'], `expected a string, got ${describeValue(entry.name)}`);
    return entry.name;
  });
  const envFrom = optionalMapList(resource, envFromPath, container.container.envFrom);
  const envFromIdentities = (envFrom ?? []).map((entry, index) => readEnvFromIdentity(resource, [...envFromPath, index], entry));
  return { envPath, envFromPath, env, names, envFrom, envFromIdentities };
}

function readEnvFromIdentity(resource: Resource, path: Path, entry: Record<string, unknown>): string | undefined {
  const prefix = entry.prefix ?? '';
  if (typeof prefix !== 'string') throw resource.errorAt([...path, 'prefix'], `expected a string, got ${describeValue(prefix)}`);
  for (const kind of ['configMapRef', 'secretRef'] as EnvFromKind[]) {
    const ref = optionalMap(resource, [...path, kind], entry[kind]);
    if (!ref) continue;
    if (typeof ref.name !== 'string') throw resource.errorAt([...path, kind, 'name'], `expected a string, got ${describeValue(ref.name)}`);
    return envFromIdentity(kind, ref.name, prefix);
  }
  return undefined;
}
