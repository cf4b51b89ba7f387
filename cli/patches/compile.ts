import type { Operation } from 'fast-json-patch';
import { KrmInputError } from '../../krm/base/errors.js';
import type { Input } from '../../krm/stream/input.js';
import { runSteps, type Step, type StepChange } from '../../krm/function/pipeline.js';
import type { KubeObject, Resource } from '../../krm/model/resource.js';
import type { Result } from '../../krm/model/results.js';
import { guardedOperations } from './guarded-patch.js';

/** Which resource a kustomize patch applies to, as kustomize's `target` selector names it. */
export interface PatchTarget {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace?: string;
}

/** One resource's guarded RFC 6902 patch. */
export interface ResourcePatch {
  target: PatchTarget;
  /** `apps/v1/Deployment/ns/name`, for messages. */
  id: string;
  operations: Operation[];
}

/** What a pipeline does to a render, as data kustomize can apply. */
export interface CompiledPipeline {
  patches: ResourcePatch[];
  /** Objects the pipeline generated, as they are after every step. */
  generated: KubeObject[];
  results: Result[];
}

/**
 * Runs the pipeline once over the render, recording what each step changed (the engine's
 * --explain record), and turns each changed resource's operations, in step order, into one
 * guarded patch. Nothing is re-derived: the patch is exactly what the steps did.
 */
export function compilePipelineToPatches(input: Input, steps: readonly Step[]): CompiledPipeline {
  const originals = new Map<Resource, unknown>(input.resources.map((resource) => [resource, structuredClone(resource.object)]));
  const operations = new Map<Resource, Operation[]>();
  const record = (change: StepChange): void => {
    if (change.generated || !originals.has(change.resource)) return;
    const list = operations.get(change.resource) ?? [];
    list.push(...change.operations);
    operations.set(change.resource, list);
  };
  const outcome = runSteps(input, steps, { record });
  const patches: ResourcePatch[] = [];
  for (const resource of input.resources) {
    const applied = operations.get(resource);
    if (!applied || applied.length === 0) continue;
    patches.push({ target: targetOf(resource), id: resource.id, operations: guardedOperations(originals.get(resource), applied) });
  }
  assertUniqueTargets(input.resources, patches);
  return { patches, generated: outcome.generated.map((resource) => resource.object), results: outcome.results };
}

function targetOf(resource: Resource): PatchTarget {
  if (!resource.kind || !resource.name || !resource.apiVersion) {
    throw resource.errorAt(['metadata', 'name'], 'a resource the pipeline changes needs apiVersion, kind and metadata.name for a kustomize patch to target it');
  }
  const target: PatchTarget = { group: resource.group, version: resource.version, kind: resource.kind, name: resource.name };
  if (resource.namespace) target.namespace = resource.namespace;
  return target;
}

/**
 * A target without a namespace matches the name in every namespace. When the render holds
 * two such objects, a patch meant for one would also hit the other: refuse, naming both.
 */
function assertUniqueTargets(resources: readonly Resource[], patches: readonly ResourcePatch[]): void {
  for (const patch of patches) {
    const matches = resources.filter(
      (resource) =>
        resource.kind === patch.target.kind &&
        resource.group === patch.target.group &&
        resource.version === patch.target.version &&
        resource.name === patch.target.name &&
        (patch.target.namespace === undefined || resource.namespace === patch.target.namespace),
    );
    if (matches.length > 1) {
      throw new KrmInputError(`${patch.id}: ${matches.length} objects of the render share this kind and name (${matches.map((match) => match.id).join(', ')}); a kustomize patch cannot tell them apart — give each a metadata.namespace`);
    }
  }
}
