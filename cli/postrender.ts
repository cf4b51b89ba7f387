import { appendFileSync, existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { KrmInputError } from '../krm/base/errors.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../krm/stream/input.js';
import { isPlainMap } from '../krm/base/path.js';
import { compilePipeline, compileStep, functionByKind, type Step } from '../krm/function/pipeline.js';
import { nearest } from '../krm/base/messages.js';
import { readYamlFile } from './config-file.js';
import type { Job } from './execute.js';
import { installedOverlaysDir } from './install-layout.js';
import { registryFor } from './lazy-registry.js';

/**
 * `krmkit postrender`: what Helm runs. Helm 3 calls the executable postrender/postrender
 * with `--post-renderer-args`; Helm 4 calls the `krmkit` plugin (postrender/plugin.yaml),
 * which runs the same file. Both end up here, on the fast path: no yargs, it runs on every
 * `helm upgrade`.
 */
export interface PostrenderOptions {
  /** An overlay name (`prod`: the repository's overlays/prod), an overlay folder or a pipeline file. */
  overlay?: string;
  /** A Pipeline file, or one function's config (`kind: SecurityContext`, …). */
  config?: string;
  /** Every function edits Helm hooks (by default only those that harden pods do: see hookSteps). */
  includeHooks: boolean;
  /** No function edits Helm hooks: they pass byte for byte. */
  excludeHooks: boolean;
  /** Also write findings and errors to this file: Helm 4 hides a plugin's stderr. */
  report?: string;
  explain: boolean;
}

/** Flags taking a value, as `--flag=value` or `--flag value`. */
const VALUE_FLAGS = { '--overlay': 'overlay', '--config': 'config', '--report': 'report' } as const;
const SWITCHES = { '--include-hooks': 'includeHooks', '--exclude-hooks': 'excludeHooks', '--explain': 'explain' } as const;

/** Set when KRMKIT_REPORT names a file: the same as `--report FILE`, for helmfile and Helm 4. */
export const REPORT_ENV = 'KRMKIT_REPORT';
export const HOOK_ANNOTATION = 'helm.sh/hook';

/**
 * Reads the arguments Helm passes (`--overlay=prod`, or `--overlay prod` from two
 * `--post-renderer-args`). Returns undefined for anything else — help, unknown flags — so
 * the full CLI explains it.
 */
export function parsePostrenderArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): PostrenderOptions | undefined {
  const options: PostrenderOptions = { includeHooks: false, excludeHooks: false, explain: false };
  const report = env[REPORT_ENV];
  if (report) options.report = report;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    if (Object.hasOwn(SWITCHES, flag) && equals === -1) {
      options[SWITCHES[flag as keyof typeof SWITCHES]] = true;
      continue;
    }
    if (!Object.hasOwn(VALUE_FLAGS, flag)) return undefined;
    const value = equals === -1 ? args[++index] : arg.slice(equals + 1);
    if (value === undefined || value === '' || (equals === -1 && value.startsWith('-'))) return undefined;
    options[VALUE_FLAGS[flag as keyof typeof VALUE_FLAGS]] = value;
  }
  if (options.overlay === undefined && options.config === undefined) return undefined;
  if (options.overlay !== undefined && options.config !== undefined) return undefined;
  if (options.includeHooks && options.excludeHooks) return undefined;
  return options;
}

/** Where the named overlays are: next to dist/ and cli/ in a checkout or the npm package, next to bin/ in the Helm plugin package. */
export function defaultOverlaysDir(): string {
  return installedOverlaysDir();
}

/**
 * The pipeline file an `--overlay` value names. A bare name is one of the repository's
 * overlays, found relative to krmkit itself, so Helm may run from any folder; anything that
 * looks like a path is taken relative to the working directory (or as given, if absolute).
 */
export function overlayPipelinePath(overlay: string, cwd: string = process.cwd(), overlaysDir: string = defaultOverlaysDir()): string {
  const looksLikePath = isAbsolute(overlay) || overlay.includes('/') || overlay.includes('\\') || overlay.startsWith('.') || /\.ya?ml$/.test(overlay);
  if (!looksLikePath) {
    const file = join(overlaysDir, overlay, 'pipeline.yaml');
    if (existsSync(file)) return file;
    const known = listOverlays(overlaysDir);
    const suggestion = nearest(overlay, known);
    throw new KrmInputError(
      `no overlay named ${JSON.stringify(overlay)} in ${overlaysDir}` +
        (suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : known.length > 0 ? ` (overlays: ${known.join(', ')})` : '') +
        '; give a folder or pipeline file as a path (./my-overlay) to use your own',
    );
  }
  const path = resolve(cwd, overlay);
  if (!existsSync(path)) throw new KrmInputError(`overlay ${JSON.stringify(overlay)} not found (looked for ${path})`);
  return statSync(path).isDirectory() ? join(path, 'pipeline.yaml') : path;
}

function listOverlays(overlaysDir: string): string[] {
  try {
    return readdirSync(overlaysDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(overlaysDir, entry.name, 'pipeline.yaml')))
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
}

/** `--config FILE`: a Pipeline, or a single function's typed config. */
async function stepsFromConfigFile(path: string): Promise<Step[]> {
  const raw = readYamlFile(path);
  const registry = await registryFor(raw);
  if (isPlainMap(raw) && raw.kind !== 'Pipeline' && typeof raw.kind === 'string') {
    const fn = functionByKind(registry, raw.kind);
    if (!fn) {
      const suggestion = nearest(raw.kind, [...registry.map((entry) => entry.kind), 'Pipeline']);
      throw new KrmInputError(`${path}: no function has kind ${JSON.stringify(raw.kind)}${suggestion ? ` — did you mean ${JSON.stringify(suggestion)}?` : ''}`, { field: ['kind'] });
    }
    return [compileStep(fn, raw)];
  }
  return compilePipeline(raw, registry, path);
}

/**
 * Which steps edit Helm hooks (Jobs that migrate a database, test Pods). Helm 3 never sends
 * hooks to a post-renderer; Helm 4 does. By default a step edits them when its function
 * hardens pods (`editsHooks`: security-context, inject-env), because the hook's pods are
 * admitted like any other and a restricted namespace refuses a hook left alone; functions
 * that generate objects or relate workloads leave them out. `all` (--include-hooks) and
 * `none` (--exclude-hooks) override that for every step. A hook no step edits passes byte
 * for byte.
 */
export type HookHandling = 'by-function' | 'all' | 'none';

export function hookSteps(steps: readonly Step[], handling: HookHandling): Step[] {
  if (handling === 'all') return [...steps];
  return steps.map((step) =>
    handling === 'by-function' && step.fn.editsHooks === true
      ? step
      : { ...step, common: { ...step.common, exclude: [...step.common.exclude, { annotationSelector: HOOK_ANNOTATION }] } },
  );
}

function hookHandling(options: PostrenderOptions): HookHandling {
  if (options.includeHooks) return 'all';
  return options.excludeHooks ? 'none' : 'by-function';
}

export function postrenderJob(options: PostrenderOptions, cwd: string = process.cwd()): Job {
  const report = options.report ? reportWriter(options.report, options) : undefined;
  const job: Job = {
    explain: options.explain,
    maxInputBytes: DEFAULT_MAX_INPUT_BYTES,
    steps: async () => {
      const steps = options.config !== undefined ? await stepsFromConfigFile(resolve(cwd, options.config)) : await stepsFromPipelineFile(overlayPipelinePath(options.overlay as string, cwd));
      return hookSteps(steps, hookHandling(options));
    },
  };
  if (report) job.report = report;
  return job;
}

async function stepsFromPipelineFile(path: string): Promise<Step[]> {
  const raw = readYamlFile(path);
  return compilePipeline(raw, await registryFor(raw), path);
}

/**
 * Starts the report file afresh for this run and appends each message. A report that
 * cannot be written must not break the render, so failures to write are ignored.
 */
function reportWriter(path: string, options: PostrenderOptions): (text: string) => void {
  const what = options.overlay !== undefined ? `--overlay=${options.overlay}` : `--config=${options.config ?? ''}`;
  try {
    writeFileSync(path, `# krmkit postrender ${what} at ${new Date().toISOString()}\n`);
  } catch {
    return () => undefined;
  }
  return (text) => {
    try {
      appendFileSync(path, text);
    } catch {
      // Reported where it could be: on stderr.
    }
  };
}
