import yargs, { type Argv } from 'yargs';
import { loadFunctions } from '../functions/index.js';
import type { AnyKrmFunction } from '../krm/function/function.js';
import type { Registry } from '../krm/function/pipeline.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../krm/stream/input.js';
import { readOptions, type OptionSpec } from '../krm/function/options.js';
import { nearest } from '../krm/base/messages.js';
import { execute, reportFailure, EXIT_BAD_INPUT } from './execute.js';
import { connectivity } from './connectivity.js';
import { patchesCommand } from './patches.js';
import { PATCH_FORMS, type PatchForm } from './patches/forms.js';
import { postrenderJob, REPORT_ENV } from './postrender.js';
import { functionConfigSteps, functionSteps, pipelineSteps } from './steps.js';
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

/** Flags as the ConfigMap form: strings converted by each option's type, like kpt's `-- key=value`. */
function optionsFromFlags(fn: AnyKrmFunction, args: Record<string, unknown>): Record<string, unknown> {
  const data: Record<string, string> = {};
  for (const name of Object.keys({ ...fn.options, select: 1, exclude: 1, podTemplateKinds: 1 })) {
    const value = args[name];
    if (value === undefined) continue;
    data[name] = Array.isArray(value) ? value.map(String).join(',') : String(value);
  }
  return readOptions(fn.name, fn.kind, { apiVersion: 'v1', kind: 'ConfigMap', data }, fn.options);
}

function functionCommand(fn: AnyKrmFunction, argv: Argv): Argv {
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
    async (args) => {
      const record = args as unknown as Record<string, unknown> & CommonArgs & { config?: string };
      process.exitCode = await execute({
        explain: record.explain,
        maxInputBytes: record['max-input-bytes'] ?? DEFAULT_MAX_INPUT_BYTES,
        steps: (input) => functionSteps(fn, input, record.config, optionsFromFlags(fn, record)),
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

export async function main(argv: readonly string[]): Promise<void> {
  // Help and flags describe every function: load them all (the fast path loads only what a pipeline uses).
  const functions = await loadFunctions();
  let parser = yargs([...argv])
    .scriptName('krmkit')
    .usage('$0 <command> [options] < input.yaml > output.yaml')
    .version(VERSION_LINE)
    .strict()
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .epilogue(EPILOGUE)
    .fail((message, error) => {
      if (error) throw error;
      process.stderr.write(`krmkit: error: ${message}${suggestFlag(message, functions)}\nRun 'krmkit --help' or 'krmkit <command> --help' for usage.\n`);
      process.exit(EXIT_BAD_INPUT);
    });

  parser = parser.command(
    '$0',
    'KRM function mode: read a ResourceList and run what its functionConfig names (a function kind, a Pipeline, or a ConfigMap with data.function)',
    (command) => withCommonOptions(command),
    async (args) => {
      process.exitCode = await execute({
        explain: args.explain,
        maxInputBytes: args['max-input-bytes'] ?? DEFAULT_MAX_INPUT_BYTES,
        steps: functionConfigSteps,
      });
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
    async (args) => {
      process.exitCode = await execute({
        explain: args.explain,
        maxInputBytes: args['max-input-bytes'] ?? DEFAULT_MAX_INPUT_BYTES,
        steps: pipelineSteps(String(args.pipeline)),
      });
    },
  );

  // Helm runs `postrender` through the fast path (cli/postrender.ts); here it gets --help
  // and explanations of wrong arguments.
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
    async (args) => {
      const report = args.report ?? process.env[REPORT_ENV];
      process.exitCode = await execute(
        postrenderJob({
          ...(args.overlay !== undefined ? { overlay: args.overlay } : {}),
          ...(args.config !== undefined ? { config: args.config } : {}),
          ...(report ? { report } : {}),
          includeHooks: args['include-hooks'] ?? false,
          excludeHooks: args['exclude-hooks'] ?? false,
          explain: args.explain ?? false,
        }),
      );
    },
  );

  parser = parser.command(
    'connectivity',
    'Print the flows the NetworkPolicies of a stream allow: a table (from, to, port, why) and a Mermaid diagram',
    (command) =>
      command
        .option('max-input-bytes', { type: 'number', describe: 'Refuse larger inputs', default: DEFAULT_MAX_INPUT_BYTES })
        .example('helm template demo base/chart | $0 run overlays/prod | $0 connectivity', ''),
    async (args) => {
      process.exitCode = await connectivity(args['max-input-bytes']);
      },
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
    async (args) => {
      process.exitCode = await patchesCommand({
        pipeline: String(args.pipeline),
        out: args.out,
        form: args.form as PatchForm,
        check: args.check,
        ...(args.release !== undefined ? { release: args.release } : {}),
        ...(args['release-namespace'] !== undefined ? { releaseNamespace: args['release-namespace'] } : {}),
        maxInputBytes: args['max-input-bytes'],
      });
    },
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

  for (const fn of functions) parser = functionCommand(fn, parser);

  try {
    await parser.parseAsync();
  } catch (error) {
    process.exitCode = reportFailure(error, (text) => process.stderr.write(text));
  }
}
