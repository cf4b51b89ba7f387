import { compare, type Operation } from 'fast-json-patch';
import { HELM_FILENAME_ANNOTATION, withHelmFilename } from '../model/generated-filename.js';
import { makeFilter, parseCommonConfig, type AnyKrmFunction, type CommonConfig, type FunctionContext, type PipelineStep } from './function.js';
import type { Input } from '../stream/input.js';
import { readOptions } from './options.js';
import { checkLabelValues } from '../kube/label-values.js';
import { containersOf, podTemplateOf } from '../kube/pod-template.js';
import { cloneData } from '../base/clone-data.js';
import { ResourceIndex, type ResourceLookup } from '../model/resource-index.js';
import { Resource, type KubeObject } from '../model/resource.js';
import { toResult, type Finding, type Result } from '../model/results.js';

/** One function with its parsed config, ready to run. */
export interface Step {
  fn: AnyKrmFunction;
  config: unknown;
  common: CommonConfig;
}

/** Builds a step from any config form the function accepts (typed, ConfigMap, bare options). */
export function compileStep(fn: AnyKrmFunction, rawConfig: unknown): Step {
  return compileOptions(fn, readOptions(fn.name, fn.kind, rawConfig, fn.options));
}

/** Builds a step from options already read (e.g. a config file's, overridden by CLI flags). */
export function compileOptions(fn: AnyKrmFunction, options: Record<string, unknown>): Step {
  const common = parseCommonConfig(fn.name, options);
  const { select: _select, exclude: _exclude, podTemplateKinds: _kinds, ...own } = options;
  return { fn, config: fn.parseConfig(own), common };
}

export interface RunOptions {
  /** Receives, per step and changed resource, the RFC 6902 operations the step applied. */
  explain?: (line: string) => void;
  /** Receives the same record as data: `krmkit patches` compiles it into kustomize patches. */
  record?: (change: StepChange) => void;
}

/**
 * What one step did to one resource: the RFC 6902 operations that turn the resource as the
 * step found it into the resource as the step left it. A resource the step generated has no
 * operations: it is new as a whole.
 */
export interface StepChange {
  functionName: string;
  resource: Resource;
  generated: boolean;
  operations: Operation[];
}

export interface RunOutcome {
  results: Result[];
  generated: Resource[];
}

/** Runs steps in order over one read of the input: one pass, one process. */
export function runSteps(input: Input, steps: readonly Step[], options: RunOptions = {}): RunOutcome {
  // One rule for label values in every function and pipeline, before any step reads (krm/kube/README.md).
  const podTemplateKinds = steps.flatMap((step) => step.common.podTemplateKinds);
  for (const resource of input.resources) checkLabelValues(resource, podTemplateKinds);
  const resources = [...input.resources];
  const generated: Resource[] = [];
  const results: Result[] = [];
  // One lookup for the whole run: it follows the list as steps add and edit resources.
  const lookup = new ResourceIndex(resources);
  // Helm 4 input: generated documents need a file name too (see generated-filename.ts).
  const helmFilenames = input.resources.some((resource) => resource.annotations[HELM_FILENAME_ANNOTATION] !== undefined);
  const pipeline = steps.map((step) => ({ name: step.fn.name, config: step.config }));
  const explain = options.explain;
  const record = explain || options.record ? (change: StepChange): void => {
    options.record?.(change);
    if (explain) explain(explainLine(change));
  } : undefined;
  for (const step of steps) {
    const before = record ? snapshot(resources) : undefined;
    runStep(step, pipeline, resources, lookup, generated, results, helmFilenames);
    if (record && before) recordStep(step.fn.name, resources, before, record);
  }
  return { results, generated };
}

function runStep(
  step: Step,
  pipeline: readonly PipelineStep[],
  resources: Resource[],
  lookup: ResourceLookup,
  generated: Resource[],
  results: Result[],
  helmFilenames: boolean,
): void {
  const filter = makeFilter(step.fn.name, step.common);
  const extraKinds = step.common.podTemplateKinds;
  let generatedIndex = generated.length;
  const context: FunctionContext<unknown> = {
    resources,
    lookup,
    config: { ...(step.config as object), ...step.common } as FunctionContext<unknown>['config'],
    pipeline,
    inScope: (resource) => filter.includes(resource),
    podTemplateOf: (resource) => podTemplateOf(resource, extraKinds),
    containersOf: (template, lists) => containersOf(template, lists),
    report: (finding: Omit<Finding, 'functionName'>) => results.push(toResult({ ...finding, functionName: step.fn.name })),
    add: (object: KubeObject) => {
      // A copy of its own, as plain data: built with spreads (`{ ...metadata, name }`), each
      // object V8 makes gets a hidden class of its own (~170 bytes, 100k of them at 100k
      // objects); a copy built key by key shares one per shape, and shares the strings.
      const resource = new Resource(cloneData(helmFilenames ? withHelmFilename(object) : object), { documentIndex: -1 - generatedIndex++ }, undefined);
      generated.push(resource);
      resources.push(resource);
      return resource;
    },
  };
  step.fn.run(context);
}

function snapshot(resources: readonly Resource[]): Map<Resource, { revision: number; object: unknown }> {
  return new Map(resources.map((resource) => [resource, { revision: resource.revision, object: structuredClone(resource.object) }]));
}

function recordStep(
  functionName: string,
  resources: readonly Resource[],
  before: Map<Resource, { revision: number; object: unknown }>,
  record: (change: StepChange) => void,
): void {
  for (const resource of resources) {
    const previous = before.get(resource);
    if (!previous) {
      record({ functionName, resource, generated: true, operations: [] });
      continue;
    }
    if (previous.revision === resource.revision) continue;
    const operations = compare(previous.object as object, resource.object);
    if (operations.length > 0) record({ functionName, resource, generated: false, operations });
  }
}

function explainLine(change: StepChange): string {
  const operations = change.generated ? [{ op: 'add', path: '', value: change.resource.object }] : change.operations;
  return `${change.functionName} ${change.resource.id}: ${JSON.stringify(operations)}`;
}
