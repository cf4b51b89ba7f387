import yargs, { type Argv } from 'yargs';
import { loadFunctions } from '../functions/index.js';
import type { AnyKrmFunction } from '../krm/function/function.js';
import type { Registry } from '../krm/function/steps.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../krm/stream/input.js';
import type { OptionSpec } from '../krm/function/options.js';
import { nearest } from '../krm/base/messages.js';
import { reportFailure, EXIT_BAD_INPUT } from './execute.js';
import { fallbackFunction, REPORT_ENV, reportFile } from './invocation/environment.js';
import { hookHandling } from './invocation/hooks.js';
import type { Invocation } from './invocation/invocation.js';
import { runInvocation } from './invocation/run.js';
import { PATCH_FORMS, type PatchForm } from './patches/forms.js';
import { VERSION_LINE } from './version.js';

interface CommonArgs {
  explain?: boolean;
  'max-input-bytes'?: number;
}

const EPILOGUE = 'Exit codes: 0 ok, 1 a function reported an error, 2 unusable input or config. Docs: README.md';

function withCommonOptions<T>(argv: Argv<T>): Argv<T & CommonArgs> {
  return argv
    .option('explain', { type: 'boolean', describe: 'Print, per function and resource, the JSON-patch operations applied (stderr)' })
    .option('max-input-bytes', { type: 'number', describe: 'Refuse larger inputs', default: DEFAULT_MAX_INPUT_BYTES }) as Argv<T & CommonArgs>;
}

function yargsOptionFor(spec: OptionSpec): { type: 'string' | 'boolean' | 'number'; describe: string } {
  const type = spec.type === 'boolean' ? 'boolean' : spec.type === 'integer' ? 'number' : 'string';
  const choices = spec.type === 'string' && spec.enum ? ` [${spec.enum.join('|')}]` : '';
  return { type, describe: `${spec.description}${choices}` };
}

/** Flags in the ConfigMap form (strings, read by each option's type), like kpt's `-- key=value`. */
function flagsAsConfigMapData(fn: AnyKrmFunction, args: Record<string, unknown>): Record<string, string> {
  const data: Record<string, string> = {};
  for (const name of Object.keys({ ...fn.options, select: 1, exclude: 1, podTemplateKinds: 1 })) {
    const value = args[name];
    if (value === undefined) continue;
    data[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return data;
}

/** Receives the Invocation a command line means (instead of running it: see parseWithYargs). */
type Found = (invocation: Invocation) => void;

/** The flags every stream command has, as an Invocation holds them. */
function streamFlags(args: CommonArgs): { explain: boolean; maxInputBytes: number } {
  return { explain: args.explain ?? false, maxInputBytes: args['max-input-bytes'] ?? DEFAULT_MAX_INPUT_BYTES };
}

function functionCommand(fn: AnyKrmFunction, argv: Argv, found: Found): Argv {
  return argv.command(
    fn.name,
    fn.summary,
    (command) => {
      let builder = withCommonOptions(command).option('config', { type: 'string', describe: `A ${fn.kind} or ConfigMap YAML file` });
      for (const [name, spec] of Object.entries({ ...fn.options })) builder = builder.option(name, yargsOptionFor(spec));
      for (const name of ['select', 'exclude'] as const) builder = builder.option(name, { type: 'string', describe: `YAML/JSON list of selectors (${name})` });
      return builder
        .example(`helm template app ./chart | $0 ${fn.name} --config ${fn.name}.yaml`, '')
        .epilogue(`Config file example:\n\n${fn.example}\n\n${EPILOGUE}`);
    },
    (args) => {
      const record = args as unknown as Record<string, unknown> & CommonArgs & { config?: string };
      found({
        command: 'function',
        ...streamFlags(record),
        function: fn.name,
        ...(record.config !== undefined ? { config: record.config } : {}),
        flags: flagsAsConfigMapData(fn, record),
      });
    },
  );
}

/** yargs says "Unknown argument: mod"; name the flag the user probably meant. */
function suggestFlag(message: string, functions: Registry): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message)?.[1]?.split(', ')[0];
  if (!unknown) return '';
  const known = ['explain', 'max-input-bytes', 'config', 'select', 'exclude', ...functions.flatMap((fn) => Object.keys(fn.options))];
  const suggestion = nearest(unknown, known);
  return suggestion ? ` — did you mean --${suggestion}?` : '';
}

/** How parseWithYargs reports: the real CLI prints and exits; a test collects. */
export interface YargsSettings {
  env: NodeJS.ProcessEnv;
  /** A usage mistake, as yargs words it (unknown flag, missing value, conflicting flags). */
  fail: (message: string) => never;
  /** Help and version text, when given: then it is not printed and the process does not exit. */
  output?: (text: string) => void;
}

/**
 * The full CLI's reading of a command line: the Invocation it means, or undefined when
 * yargs answered by itself (--help, --version). Help and flags describe every function, so
 * `functions` is all of them.
 */
export async function parseWithYargs(argv: readonly string[], functions: Registry, settings: YargsSettings): Promise<Invocation | undefined> {
  const { env } = settings;
  let invocation: Invocation | undefined;
  const found: Found = (value) => {
    invocation = value;
  };
  let parser: Argv = yargs([...argv])
    .scriptName('krmkit')
    .usage('$0 <command> [options] < input.yaml > output.yaml')
    .version(VERSION_LINE)
    .strict()
    // --explain is a switch wherever it stands: without this, `krmkit --explain run P` reads
    // `run` as the switch's value, while the fast path (and the user) read a command.
    .boolean('explain')
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue(EPILOGUE)
    .fail((message, error) => {
      if (error) throw error;
      settings.fail(message);
    });

  parser = parser.command(
    '$0',
    'KRM function mode: read a ResourceList and run what its functionConfig names (a function kind, a Pipeline, or a ConfigMap with data.function)',
    (command) => withCommonOptions(command),
    (args) => {
      const fallback = fallbackFunction(env);
      found({ command: 'function-mode', ...streamFlags(args), ...(fallback ? { fallbackFunction: fallback } : {}) });
    },
  );

  parser = parser.command(
    'run <pipeline>',
    'Run a Pipeline file (or an overlay directory holding pipeline.yaml) over stdin',
    (command) =>
      withCommonOptions(command.positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline file or overlay directory' })).example(
        'helm template app ./chart | $0 run overlays/prod | kubectl apply -f -',
        '',
      ),
    (args) => found({ command: 'run', ...streamFlags(args), pipeline: String(args.pipeline) }),
  );

  // Helm runs `postrender` through the fast path (cli/invocation/fast-parse.ts); here it gets
  // --help and explanations of wrong arguments.
  parser = parser.command(
    'postrender',
    'Helm post-renderer: run an overlay over the manifests Helm sends (Helm 3: postrender/postrender; Helm 4: the krmkit plugin)',
    (command) =>
      command
        .option('overlay', { type: 'string', describe: 'Overlay name (prod: the overlays/prod next to krmkit), overlay folder or pipeline file' })
        .option('config', { type: 'string', describe: 'A Pipeline file or one function config file' })
        .option('include-hooks', { type: 'boolean', describe: 'Let every function edit Helm hooks (helm.sh/hook); by default only pod-hardening ones (security-context, inject-env) do' })
        .option('exclude-hooks', { type: 'boolean', describe: 'Let no function edit Helm hooks: they pass byte for byte' })
        .option('report', { type: 'string', describe: `Also write findings and errors to this file (Helm 4 hides stderr); env ${REPORT_ENV}` })
        .option('explain', { type: 'boolean', describe: 'Print the JSON-patch operations each function applied (stderr)' })
        .conflicts('overlay', 'config')
        .conflicts('include-hooks', 'exclude-hooks')
        .check((args) => {
          if (args.overlay === undefined && args.config === undefined) throw new Error('give --overlay NAME|PATH or --config FILE');
          return true;
        })
        .example('helm upgrade --install demo base/chart --post-renderer ./postrender/postrender --post-renderer-args=--overlay=prod', ''),
    (args) => {
      const report = reportFile(args.report, env);
      found({
        command: 'postrender',
        source: args.overlay !== undefined ? { overlay: args.overlay } : { config: args.config as string },
        hooks: hookHandling(args['include-hooks'] ?? false, args['exclude-hooks'] ?? false),
        ...(report ? { report } : {}),
        explain: args.explain ?? false,
      });
    },
  );

  parser = parser.command(
    'connectivity',
    'Print the flows the NetworkPolicies of a stream allow: a table (from, to, port, why) and a Mermaid diagram',
    (command) =>
      command
        .option('max-input-bytes', { type: 'number', describe: 'Refuse larger inputs', default: DEFAULT_MAX_INPUT_BYTES })
        .example('helm template demo base/chart | $0 run overlays/prod | $0 connectivity', ''),
    (args) => found({ command: 'connectivity', maxInputBytes: args['max-input-bytes'] }),
  );

  parser = parser.command(
    'patches <pipeline>',
    'Write what a Pipeline does to the render on stdin as kustomize-native config: a Component, or a Flux HelmRelease postRenderers block (docs: cli/patches/README.md)',
    (command) =>
      command
        .positional('pipeline', { type: 'string', demandOption: true, describe: 'Pipeline file or overlay directory' })
        .option('out', { type: 'string', demandOption: true, describe: 'Folder for the files (kustomization.yaml or helmrelease.yaml, and generated.yaml)' })
        .option('form', { type: 'string', choices: PATCH_FORMS, default: 'component', describe: 'component: a kustomize Component; flux: a HelmRelease spec.postRenderers block' })
        .option('release', { type: 'string', describe: 'flux: the HelmRelease name' })
        .option('release-namespace', { type: 'string', describe: 'flux: the HelmRelease namespace' })
        .option('check', { type: 'boolean', default: false, describe: 'Compare with the files in --out; exit 1 with a diff when they no longer match' })
        .option('max-input-bytes', { type: 'number', describe: 'Refuse larger inputs', default: DEFAULT_MAX_INPUT_BYTES })
        .example('helm template demo base/chart | $0 patches overlays/prod --out gitops/prod-patches', '')
        .example('helm template demo base/chart | $0 patches overlays/prod --out gitops/prod-patches --check', ''),
    (args) =>
      found({
        command: 'patches',
        pipeline: String(args.pipeline),
        out: args.out,
        form: args.form as PatchForm,
        check: args.check,
        ...(args.release !== undefined ? { release: args.release } : {}),
        ...(args['release-namespace'] !== undefined ? { releaseNamespace: args['release-namespace'] } : {}),
        maxInputBytes: args['max-input-bytes'],
      }),
  );

  parser = parser.command(
    'schema [kind]',
    'Print the JSON Schema of a function config (by kind or function name), or without KIND of a whole Pipeline (for editors: schemas/ in the package)',
    (command) => command.positional('kind', { type: 'string', describe: 'A function kind (SecurityContext) or name (security-context)' }),
    async (args) => {
      const { schemaCommand } = await import('./schema.js');
      process.exitCode = schemaCommand(functions, args.kind);
    },
  );

  for (const fn of functions) parser = functionCommand(fn, parser, found);

  const { output } = settings;
  if (output) {
    await parser.parseAsync([...argv], {}, (_error, _args, text) => {
      if (text) output(text);
    });
  } else {
    await parser.parseAsync();
  }
  return invocation;
}

export async function main(argv: readonly string[]): Promise<void> {
  const functions = await loadFunctions();
  const fail = (message: string): never => {
    process.stderr.write(`krmkit: error: ${message}${suggestFlag(message, functions)}\nRun 'krmkit --help' or 'krmkit <command> --help' for usage.\n`);
    process.exit(EXIT_BAD_INPUT);
  };
  try {
    const invocation = await parseWithYargs(argv, functions, { env: process.env, fail });
    if (invocation) process.exitCode = await runInvocation(invocation);
  } catch (error) {
    process.exitCode = reportFailure(error, (text) => process.stderr.write(text));
  }
}
