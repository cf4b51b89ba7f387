import yargs, { type Argv } from 'yargs';
import { loadFunctions } from '../functions/index.js';
import type { AnyKrmFunction } from '../krm/function.js';
import type { Registry } from '../krm/pipeline.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../krm/input.js';
import { readOptions, type OptionSpec } from '../krm/options.js';
import { nearest } from '../krm/suggest.js';
import { execute, reportFailure, EXIT_BAD_INPUT } from './execute.js';
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
        .option('include-hooks', { type: 'boolean', describe: 'Let functions edit Helm hooks (helm.sh/hook); by default they pass untouched' })
        .option('report', { type: 'string', describe: `Also write findings and errors to this file (Helm 4 hides stderr); env ${REPORT_ENV}` })
        .option('explain', { type: 'boolean', describe: 'Print the JSON-patch operations each function applied (stderr)' })
        .conflicts('overlay', 'config')
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
          explain: args.explain ?? false,
        }),
      );
    },
  );

  for (const fn of functions) parser = functionCommand(fn, parser);

  try {
    await parser.parseAsync();
  } catch (error) {
    process.exitCode = reportFailure(error, (text) => process.stderr.write(text));
  }
}
