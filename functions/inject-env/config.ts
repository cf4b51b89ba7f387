import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue } from '../../krm/base/messages.js';
import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';
import { formatPath, isPlainMap, type Path } from '../../krm/base/path.js';
import { envFromIdentity, envFromKind, parseEnvFromSource, parseEnvVar, type EnvFromSource, type EnvVar } from './env-var-shape.js';

export const FUNCTION_NAME = 'inject-env';

/** What to do when a container already has a variable (or envFrom source) the config injects, set differently. */
export const ON_CONFLICT = ['override', 'keep', 'error'] as const;
export type OnConflict = (typeof ON_CONFLICT)[number];

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

const ENV_DOCS = 'https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#environment-variables';

export const injectEnvOptions = v.strictObject({
  env: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Variables to inject: Kubernetes EnvVar entries ({name, value} or {name, valueFrom: {secretKeyRef|configMapKeyRef|fieldRef|resourceFieldRef}}), or a {NAME: "value"} mapping as a shorthand for plain values.'),
      v.metadata({
        shape: `list of [EnvVar](${ENV_DOCS}), or a \`{NAME: value}\` mapping`,
        readme:
          'Variables to inject. Each entry is `{name, value}`, `{name, valueFrom}` with exactly one of `secretKeyRef {name, key, optional}`, `configMapKeyRef {name, key, optional}`, `fieldRef {fieldPath, apiVersion}`, `resourceFieldRef {resource, containerName, divisor}`, or `{name}` alone (an empty value). The mapping `{PROD: "true"}` is shorthand for `[{name: PROD, value: "true"}]`.',
      }),
    ),
  ),
  envFrom: v.optional(
    v.pipe(
      v.unknown(),
      v.description('Sources to inject: Kubernetes EnvFromSource entries ({configMapRef: {name}} or {secretRef: {name}}, optional prefix).'),
      v.metadata({ shape: `list of [EnvFromSource](${ENV_DOCS})`, readme: 'Sources to inject: `{configMapRef: {name, optional}}` or `{secretRef: {name, optional}}`, each with an optional `prefix`.' }),
    ),
  ),
  containers: v.optional(
    v.pipe(v.array(v.string()), v.description('Only containers with these names (default: every container).'), v.metadata({ defaultText: 'every container', readme: 'Only containers with these names.' })),
    () => [],
  ),
  initContainers: v.optional(v.pipe(v.boolean(), v.description('Inject into initContainers too (including sidecars).'), v.metadata({ readme: 'Inject into `initContainers` too.' })), false),
  onConflict: v.optional(
    v.pipe(
      v.picklist(ON_CONFLICT),
      v.description('A variable or envFrom source the container already has, set differently: override replaces it in place; keep leaves it; error reports an error.'),
      v.metadata({ readme: 'What to do with a variable or envFrom source the container already has, set differently.' }),
    ),
    'override',
  ),
});

export const injectEnvCommonOptionDocs: CommonOptionDocs = {
  select: 'Which resources to touch (`{group, version, kind, name, namespace, labelSelector, annotationSelector}`), as in every krmkit function.',
  selectDefault: 'all resources',
  podTemplateKinds: 'Extra kinds that embed a pod template.',
};

export function parseInjectEnvConfig(options: OptionsOf<typeof injectEnvOptions>): InjectEnvConfig {
  const env = parseEnvList(options.env);
  const envFrom = parseEnvFromList(options.envFrom);
  if (env.length === 0 && envFrom.length === 0) {
    throw new KrmConfigError(FUNCTION_NAME, 'nothing to inject: give env (e.g. [{name: PROD, value: "true"}]) or envFrom');
  }
  return { env, envFrom, containers: options.containers, initContainers: options.initContainers, onConflict: options.onConflict };
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
