import { FUNCTION_CATALOG } from '../../functions/index.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../../krm/stream/input.js';
import { fallbackFunction, reportFile } from './environment.js';
import { hookHandling } from './hooks.js';
import type { Invocation, PostrenderInvocation } from './invocation.js';

/**
 * The hand parser of the start-up fast path. It reads the command lines tools make on every
 * render — `krmkit` (KRM function mode), `krmkit run <pipeline>`, `krmkit <function>
 * [--config FILE]`, each optionally with `--explain`, `krmkit postrender …` (Helm's
 * post-renderer) and `krmkit connectivity` — without loading yargs, which costs more
 * start-up time than the work itself on a small release. Anything else (help, option
 * flags, mistakes) returns undefined: it defers to the yargs CLI (cli/main.ts), which
 * produces the same Invocation for everything this accepts (test/cli/invocation.test.ts).
 */
export function parseFast(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Invocation | undefined {
  if (argv[0] === 'postrender') return parsePostrender(argv.slice(1), env);
  if (argv.length === 1 && argv[0] === 'connectivity') return { command: 'connectivity', maxInputBytes: DEFAULT_MAX_INPUT_BYTES };
  const args = [...argv];
  const explain = takeFlag(args, '--explain');
  const config = takeValue(args, '--config');
  if (config === null || args.some((arg) => arg.startsWith('-'))) return undefined;
  const flags = { explain, maxInputBytes: DEFAULT_MAX_INPUT_BYTES };

  if (args.length === 0 && config === undefined) {
    const fallback = fallbackFunction(env);
    return { command: 'function-mode', ...flags, ...(fallback ? { fallbackFunction: fallback } : {}) };
  }
  if (args.length === 2 && args[0] === 'run' && config === undefined) return { command: 'run', ...flags, pipeline: args[1] as string };
  const entry = args.length === 1 ? FUNCTION_CATALOG.find((candidate) => candidate.name === args[0]) : undefined;
  if (!entry) return undefined;
  return { command: 'function', ...flags, function: entry.name, ...(config !== undefined ? { config } : {}), flags: {} };
}

/** Flags taking a value, as `--flag=value` or `--flag value`. */
const VALUE_FLAGS = ['--overlay', '--config', '--report'] as const;
const SWITCHES = ['--include-hooks', '--exclude-hooks', '--explain'] as const;

/**
 * Reads the arguments Helm passes (`--overlay=prod`, or `--overlay prod` from two
 * `--post-renderer-args`). Returns undefined for anything else — help, unknown flags — so
 * the full CLI explains it.
 */
function parsePostrender(args: readonly string[], env: NodeJS.ProcessEnv): PostrenderInvocation | undefined {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    const equals = arg.indexOf('=');
    const flag = equals === -1 ? arg : arg.slice(0, equals);
    if ((SWITCHES as readonly string[]).includes(flag) && equals === -1) {
      switches.add(flag);
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(flag)) return undefined;
    const value = equals === -1 ? args[++index] : arg.slice(equals + 1);
    if (value === undefined || value === '' || (equals === -1 && value.startsWith('-'))) return undefined;
    values.set(flag, value);
  }
  const overlay = values.get('--overlay');
  const config = values.get('--config');
  const [includeHooks, excludeHooks] = [switches.has('--include-hooks'), switches.has('--exclude-hooks')];
  if ((overlay === undefined) === (config === undefined) || (includeHooks && excludeHooks)) return undefined;
  const report = reportFile(values.get('--report'), env);
  return {
    command: 'postrender',
    source: overlay !== undefined ? { overlay } : { config: config as string },
    hooks: hookHandling(includeHooks, excludeHooks),
    ...(report ? { report } : {}),
    explain: switches.has('--explain'),
  };
}

function takeFlag(args: string[], flag: string): boolean {
  const index = args.indexOf(flag);
  if (index === -1) return false;
  args.splice(index, 1);
  return true;
}

/** undefined: absent; null: present but malformed (left to yargs to explain). */
function takeValue(args: string[], flag: string): string | undefined | null {
  const inline = args.findIndex((arg) => arg.startsWith(`${flag}=`));
  if (inline !== -1) {
    const value = (args[inline] as string).slice(flag.length + 1);
    args.splice(inline, 1);
    return value === '' ? null : value;
  }
  const index = args.indexOf(flag);
  if (index === -1) return undefined;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('-')) return null;
  args.splice(index, 2);
  return value;
}
