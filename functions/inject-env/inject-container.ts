import type { FunctionContext } from '../../krm/function/function.js';
import type { ContainerRef } from '../../krm/kube/pod-template.js';
import type { Resource } from '../../krm/model/resource.js';
import { applyPlan } from './apply-plan.js';
import type { InjectEnvConfig } from './config.js';
import { readContainerEnv } from './container-env.js';
import type { EnvFromKeys } from './env-from-keys.js';
import { envFromIdentity, envFromKind, type EnvFromKind, type EnvFromSource } from './env-var-shape.js';
import { planMerge, type MergePlan } from './merge-plan.js';
import { unresolvedReferences } from './reference-check.js';

type Context = FunctionContext<InjectEnvConfig>;

/** Injects the configured `env` and `envFrom` into one container and reports what needs a human. */
export function injectIntoContainer(context: Context, resource: Resource, container: ContainerRef, envFromKeys: EnvFromKeys): void {
  const { config } = context;
  const current = readContainerEnv(resource, container);
  const label = `${container.list === 'initContainers' ? 'initContainer' : 'container'} ${JSON.stringify(container.name)}`;

  const envPlan = planMerge<Record<string, unknown>>(current.env ?? [], current.names, config.env.map((envVar): Record<string, unknown> => ({ ...envVar })), (entry) => String(entry.name), config.onConflict);
  const envFromPlan = planMerge<Record<string, unknown>>(
    current.envFrom ?? [],
    current.envFromIdentities,
    config.envFrom.map((source): Record<string, unknown> => ({ ...source })),
    (entry) => identityOf(entry as EnvFromSource),
    config.onConflict,
  );

  for (const conflict of envPlan.conflicts) {
    const keep = config.onConflict === 'keep';
    context.report({
      severity: keep ? 'info' : 'error',
      message: keep
        ? `${label} keeps its own ${conflict.key} (onConflict: keep)`
        : `${label} already sets ${conflict.key} differently (onConflict: error; use override to replace it or keep to leave it)`,
      resource,
      field: [...current.envPath, conflict.index],
      currentValue: conflict.current,
      proposedValue: conflict.proposed,
    });
  }
  for (const conflict of envFromPlan.conflicts) {
    const keep = config.onConflict === 'keep';
    const source = describeSource(conflict.proposed as EnvFromSource);
    context.report({
      severity: keep ? 'info' : 'error',
      message: keep
        ? `${label} keeps its own settings for envFrom ${source} (onConflict: keep)`
        : `${label} already reads envFrom ${source} with other settings (onConflict: error; use override to replace it or keep to leave it)`,
      resource,
      field: [...current.envFromPath, conflict.index],
      currentValue: conflict.current,
      proposedValue: conflict.proposed,
    });
  }

  applyPlan(resource, current.envPath, current.env, envPlan);
  applyPlan(resource, current.envFromPath, current.envFrom, envFromPlan);

  const finalEnv = envPlan.final.map(({ entry }) => entry);
  reportReferences(context, resource, container, label, finalEnv, envPlan, variablesFromSources(envFromPlan, envFromKeys, resource.namespace));
  reportDuplicates(context, resource, container, label, finalEnv);
}

function identityOf(source: EnvFromSource): string {
  const kind = envFromKind(source);
  return envFromIdentity(kind, source[kind]?.name ?? '', source.prefix ?? '');
}

function describeSource(source: EnvFromSource): string {
  const kind = envFromKind(source);
  return `${kind} ${source[kind]?.name ?? ''}${source.prefix ? ` (prefix ${JSON.stringify(source.prefix)})` : ''}`;
}

/** Every variable the container's envFrom sources define, or undefined when one of them is not in the input. */
function variablesFromSources(plan: MergePlan<Record<string, unknown>>, keys: EnvFromKeys, namespace: string | undefined): Set<string> | undefined {
  const variables = new Set<string>();
  for (const { entry } of plan.final) {
    const kind = (['configMapRef', 'secretRef'] as EnvFromKind[]).find((candidate) => entry[candidate] !== undefined && entry[candidate] !== null);
    if (!kind) return undefined;
    const ref = entry[kind] as Record<string, unknown>;
    const found = keys.variablesOf(kind, String(ref.name), typeof entry.prefix === 'string' ? entry.prefix : '', namespace);
    if (!found) return undefined;
    for (const variable of found) variables.add(variable);
  }
  return variables;
}

function reportReferences(
  context: Context,
  resource: Resource,
  container: ContainerRef,
  label: string,
  finalEnv: Record<string, unknown>[],
  plan: MergePlan<Record<string, unknown>>,
  envFromVariables: Set<string> | undefined,
): void {
  const envPath = [...container.path, 'env'];
  for (const problem of unresolvedReferences(finalEnv, plan.placed, envFromVariables)) {
    const where =
      problem.reference === problem.variable
        ? `itself, and ${label} defines no ${problem.reference} before it, so Kubernetes leaves the text "$(${problem.reference})" as is`
        : problem.definedLaterAt === undefined
        ? `which ${label} does not define, so Kubernetes leaves the text "$(${problem.reference})" as is (write $$(${problem.reference}) if that is meant)`
        : `which ${label} defines only after it (env[${problem.definedLaterAt}]); Kubernetes expands only variables defined earlier`;
    context.report({
      severity: 'warning',
      message: `${problem.variable} refers to ${problem.reference === problem.variable ? '' : `$(${problem.reference}), `}${where}`,
      resource,
      field: [...envPath, problem.index, 'value'],
      currentValue: problem.value,
    });
  }
}

/**
 * Duplicates the function did not resolve (names it does not inject, or `keep`/`error` left
 * them): Kubernetes accepts them and uses the last, which is rarely what the author meant.
 */
function reportDuplicates(context: Context, resource: Resource, container: ContainerRef, label: string, finalEnv: Record<string, unknown>[]): void {
  const positions = new Map<string, number[]>();
  finalEnv.forEach((entry, index) => {
    const name = String(entry.name);
    positions.set(name, [...(positions.get(name) ?? []), index]);
  });
  for (const [name, indices] of positions) {
    if (indices.length < 2) continue;
    context.report({
      severity: 'warning',
      message: `${label} defines ${name} ${indices.length} times (${indices.map((index) => `env[${index}]`).join(', ')}); Kubernetes uses the last`,
      resource,
      field: [...container.path, 'env', indices[indices.length - 1] as number],
    });
  }
}
