import { KrmConfigError } from '../base/errors.js';
import { withDefaults, type OptionSpecs, type OptionsOf, type OptionsSchema } from './options.js';
import { optionSpecs } from './option-declaration.js';
import { isPlainMap, type Path } from '../base/path.js';
import type { ContainerListName, ContainerRef, PodTemplate, PodTemplateKind } from '../kube/pod-template.js';
import type { ResourceLookup } from '../model/resource-index.js';
import type { Resource, KubeObject } from '../model/resource.js';
import type { Finding } from '../model/results.js';
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
  /**
   * The same resources by kind and name, shared by every step of the run. Follow a
   * reference through it, never by scanning `resources` once per workload.
   */
  readonly lookup: ResourceLookup;
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
  /** Adds a generated resource to the output: a copy of `object`, changed from then on through the returned resource. */
  add(object: KubeObject): Resource;
}

/** How a function's README words the rows of the options every function takes. */
export interface CommonOptionDocs {
  /** The meaning of `select`/`exclude` for this function ("Which workloads to change."). */
  readonly select: string;
  /** The default column of `select`/`exclude` (`all` unless told). */
  readonly selectDefault?: string;
  readonly podTemplateKinds: string;
}

/** What a function module writes: its options declared once, and how it turns them into its config. */
export interface FunctionDefinition<Schema extends OptionsSchema, Config> {
  /** CLI subcommand and pipeline step name, e.g. `security-context`. */
  readonly name: string;
  /** Typed config kind (apiVersion krmkit.dev/v1alpha1), e.g. `SecurityContext`. */
  readonly kind: string;
  readonly summary: string;
  /** A short config example for `--help`. */
  readonly example: string;
  /** Its own options (the common ones are added by the engine): types, bounds, descriptions, defaults. */
  readonly options: Schema;
  readonly commonOptionDocs: CommonOptionDocs;
  /**
   * Whether, as a Helm 4 post-renderer, the function edits Helm hooks unless told otherwise.
   * Functions that harden each pod on its own (security-context, inject-env) say true: a
   * hook's pods are judged by the same Pod Security admission as the release's, and a hook
   * left alone is refused by a namespace enforcing `restricted`. Functions that generate
   * objects for workloads or relate workloads to each other (network-policy, anti-affinity,
   * reloader) leave it out (the default): a short-lived hook Job is not a peer of the
   * release's Deployments, and objects generated for it would outlive it.
   */
  readonly editsHooks?: boolean;
  /** Turns the declared options (typed, defaults filled in) into this function's config: the checks across options. */
  parseConfig(options: OptionsOf<Schema>): Config;
  run(context: FunctionContext<Config>): void;
}

/**
 * A krmkit function as the engine sees it: a pure transform over resources. It does no I/O;
 * the engine reads, selects, records changes and writes.
 */
export interface KrmFunction<Config> extends Omit<FunctionDefinition<OptionsSchema, Config>, 'options' | 'parseConfig'> {
  /** Each option's type, description and default, read from `optionsSchema`. */
  readonly options: OptionSpecs;
  readonly optionsSchema: OptionsSchema;
  /** Turns options already converted to their declared types (`readOptions`) into this function's config. */
  parseConfig(options: Readonly<Record<string, unknown>>): Config;
}

/** A function with its config type erased, for registries and pipelines. */
export type AnyKrmFunction = KrmFunction<unknown>;

export function defineFunction<Schema extends OptionsSchema, Config>(definition: FunctionDefinition<Schema, Config>): AnyKrmFunction {
  const { options, parseConfig, ...described } = definition;
  const fn: KrmFunction<Config> = {
    ...described,
    options: optionSpecs(options),
    optionsSchema: options,
    parseConfig: (read) => parseConfig(withDefaults(options, read)),
  };
  return fn;
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

