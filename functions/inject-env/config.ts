import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue } from '../../krm/base/messages.js';
import type { OptionSpecs } from '../../krm/function/options.js';
import { formatPath, isPlainMap, type Path } from '../../krm/base/path.js';
import { envFromIdentity, envFromKind, parseEnvFromSource, parseEnvVar, type EnvFromSource, type EnvVar } from './env-var-shape.js';

export const FUNCTION_NAME = 'inject-env';

/** What to do when a container already has a variable (or envFrom source) the config injects, set differently. */
export type OnConflict = 'override' | 'keep' | 'error';

export interface InjectEnvConfig {
  /** Injected in this order, after the container's own variables. */
  env: EnvVar[];
  envFrom: EnvFromSource[];
  /** Container names to inject into; empty means every container of the chosen lists. */
  containers: string[];
  /** Also inject into initContainers (sidecars included). */
  initContainers: boolean;
  onConflict: OnConflict;
}

export const injectEnvOptions: OptionSpecs = {
  env: {
    type: 'structured',
    shape: 'list of EnvVar, or a {NAME: value} mapping',
    description: 'Variables to inject: Kubernetes EnvVar entries ({name, value} or {name, valueFrom: {secretKeyRef|configMapKeyRef|fieldRef|resourceFieldRef}}), or a {NAME: "value"} mapping as a shorthand for plain values.',
  },
  envFrom: {
    type: 'structured',
    shape: 'list of EnvFromSource',
    description: 'Sources to inject: Kubernetes EnvFromSource entries ({configMapRef: {name}} or {secretRef: {name}}, optional prefix).',
  },
  containers: { type: 'stringList', description: 'Only containers with these names (default: every container).' },
  initContainers: { type: 'boolean', default: 'false', description: 'Inject into initContainers too (including sidecars).' },
  onConflict: {
    type: 'string',
    enum: ['override', 'keep', 'error'],
    default: 'override',
    description: 'A variable or envFrom source the container already has, set differently: override replaces it in place; keep leaves it; error reports an error.',
  },
};

export function parseInjectEnvConfig(options: Record<string, unknown>): InjectEnvConfig {
  const env = parseEnvList(options.env);
  const envFrom = parseEnvFromList(options.envFrom);
  if (env.length === 0 && envFrom.length === 0) {
    throw new KrmConfigError(FUNCTION_NAME, 'nothing to inject: give env (e.g. [{name: PROD, value: "true"}]) or envFrom');
  }
  return {
    env,
    envFrom,
    containers: (options.containers as string[] | undefined) ?? [],
    initContainers: (options.initContainers as boolean | undefined) ?? false,
    onConflict: (options.onConflict as OnConflict | undefined) ?? 'override',
  };
}

function parseEnvList(raw: unknown): EnvVar[] {
  if (raw === undefined || raw === null) return [];
  const entries: { entry: unknown; at: Path }[] = isPlainMap(raw)
    ? fromShorthand(raw)
    : Array.isArray(raw)
      ? raw.map((entry: unknown, index) => ({ entry, at: ['env', index] }))
      : [];
  if (!isPlainMap(raw) && !Array.isArray(raw)) {
    throw new KrmConfigError(FUNCTION_NAME, `expected a list of EnvVar or a {NAME: value} mapping, got ${describeValue(raw)}`, ['env']);
  }
  const seen = new Map<string, Path>();
  return entries.map(({ entry, at }) => {
    const envVar = parseEnvVar(FUNCTION_NAME, entry, at);
    const first = seen.get(envVar.name);
    // Two entries with one name would leave the container with whichever comes last: a typo, surely.
    if (first !== undefined) throw new KrmConfigError(FUNCTION_NAME, `${envVar.name} is already given by ${formatPath(first)}`, [...at, 'name']);
    seen.set(envVar.name, at);
    return envVar;
  });
}

/** `{PROD: "true"}` is `[{name: PROD, value: "true"}]`; values must be strings, as in an EnvVar. */
function fromShorthand(raw: Record<string, unknown>): { entry: unknown; at: Path }[] {
  return Object.entries(raw).map(([name, value]) => {
    const at: Path = ['env', name];
    if (typeof value !== 'string') {
      const hint = typeof value === 'boolean' || typeof value === 'number' ? ` — quote it: ${name}: "${String(value)}"` : ' (use the list form for valueFrom)';
      throw new KrmConfigError(FUNCTION_NAME, `expected a string, got ${describeValue(value)}${hint}`, at);
    }
    return { entry: { name, value }, at };
  });
}

function parseEnvFromList(raw: unknown): EnvFromSource[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new KrmConfigError(FUNCTION_NAME, `expected a list of EnvFromSource, got ${describeValue(raw)}`, ['envFrom']);
  const seen = new Map<string, number>();
  return raw.map((entry: unknown, index) => {
    const source = parseEnvFromSource(FUNCTION_NAME, entry, ['envFrom', index]);
    const kind = envFromKind(source);
    const identity = envFromIdentity(kind, source[kind]?.name ?? '', source.prefix ?? '');
    const first = seen.get(identity);
    if (first !== undefined) throw new KrmConfigError(FUNCTION_NAME, `the same source as envFrom[${first}]`, ['envFrom', index]);
    seen.set(identity, index);
    return source;
  });
}
