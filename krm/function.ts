import { KrmConfigError } from './errors.js';
import type { OptionSpecs } from './options.js';
import { isPlainMap, type Path } from './path.js';
import type { ContainerListName, ContainerRef, PodTemplate, PodTemplateKind } from './pod-template.js';
import type { Resource, KubeObject } from './resource.js';
import type { Finding } from './results.js';
import { parseSelector, ResourceFilter, type Selection } from './select.js';

/** Options shared by every function: selection and extra pod-template kinds. */
export interface CommonConfig extends Selection {
  podTemplateKinds: PodTemplateKind[];
}

/** Another step of the pipeline a function runs in, as its config was read. */
export interface PipelineStep {
  /** The function's name, e.g. `security-context`. */
  readonly name: string;
  readonly config: unknown;
}

/** What a function sees while it runs: resources, its config, and ways to report and generate. */
export interface FunctionContext<Config> {
  /** Every resource in the stream (for cross-references: Services, HPAs, ConfigMaps…). */
  readonly resources: readonly Resource[];
  readonly config: Config & CommonConfig;
  /**
   * Every step of the pipeline this run belongs to, in order (this one included), so a function
   * can follow what another step settles — pod-security-labels labels namespaces at the profile
   * the security-context step enforces. A single function run sees only itself.
   */
  readonly pipeline: readonly PipelineStep[];
  /** Whether `select`/`exclude` and the opt-out annotation put a resource in scope. */
  inScope(resource: Resource): boolean;
  /** The pod template of a workload (built-in kinds and `podTemplateKinds`). */
  podTemplateOf(resource: Resource): PodTemplate | undefined;
  /** Containers of a template, validated. */
  containersOf(template: PodTemplate, lists?: readonly ContainerListName[]): ContainerRef[];
  report(finding: Omit<Finding, 'functionName'>): void;
  /** Adds a generated resource to the output. */
  add(object: KubeObject): Resource;
}

/**
 * A krmkit function: a pure transform over resources. It does no I/O; the engine reads,
 * selects, records changes and writes.
 */
export interface KrmFunction<Config> {
  /** CLI subcommand and pipeline step name, e.g. `security-context`. */
  readonly name: string;
  /** Typed config kind (apiVersion krmkit.dev/v1alpha1), e.g. `SecurityContext`. */
  readonly kind: string;
  readonly summary: string;
  /** A short config example for `--help`. */
  readonly example: string;
  readonly options: OptionSpecs;
  /** Turns options already converted to their declared types into this function's config. */
  parseConfig(options: Record<string, unknown>): Config;
  run(context: FunctionContext<Config>): void;
}

/** A function with its config type erased, for registries and pipelines. */
export type AnyKrmFunction = KrmFunction<unknown>;

export function defineFunction<Config>(fn: KrmFunction<Config>): AnyKrmFunction {
  return fn as unknown as AnyKrmFunction;
}

export function parseCommonConfig(functionName: string, options: Record<string, unknown>): CommonConfig {
  return {
    select: selectorList(functionName, options.select, 'select'),
    exclude: selectorList(functionName, options.exclude, 'exclude'),
    podTemplateKinds: podTemplateKindList(functionName, options.podTemplateKinds),
  };
}

function selectorList(functionName: string, raw: unknown, field: string): Selection['select'] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((entry, index) => parseSelector(functionName, entry, [field, index]));
}

function podTemplateKindList(functionName: string, raw: unknown): PodTemplateKind[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new KrmConfigError(functionName, 'expected a list of {group, kind, path}', ['podTemplateKinds']);
  return raw.map((entry: unknown, index) => {
    const at: Path = ['podTemplateKinds', index];
    if (!isPlainMap(entry) || typeof entry.kind !== 'string' || typeof entry.path !== 'string') {
      throw new KrmConfigError(functionName, 'expected {group, kind, path} with kind and path as strings', at);
    }
    const group = entry.group ?? '';
    if (typeof group !== 'string') throw new KrmConfigError(functionName, 'expected a string', [...at, 'group']);
    const path = entry.path === '' ? [] : entry.path.split('.');
    return { group, kind: entry.kind, path };
  });
}

export function makeFilter(functionName: string, config: CommonConfig): ResourceFilter {
  return new ResourceFilter(functionName, config);
}

