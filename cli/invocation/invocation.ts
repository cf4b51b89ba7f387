import type { PatchesOptions } from '../patches.js';
import type { HookHandling } from './hooks.js';

/**
 * What one `krmkit …` command line asks for, as plain data. Both parsers produce it — the
 * hand parser of the start-up fast path (fast-parse.ts) and the yargs CLI (cli/main.ts) —
 * from the arguments and the environment; everything after parsing reads only this
 * (run.ts), so the two cannot mean different things by one command line.
 */
export type Invocation = FunctionModeInvocation | RunInvocation | FunctionInvocation | PostrenderInvocation | ConnectivityInvocation | PatchesInvocation;

/** The invocations that turn stdin into stdout through steps. */
export type RenderInvocation = FunctionModeInvocation | RunInvocation | FunctionInvocation | PostrenderInvocation;

interface StreamFlags {
  /** `--explain`: print the JSON-patch operations of each step on stderr. */
  explain: boolean;
  /** `--max-input-bytes`. */
  maxInputBytes: number;
}

/** `krmkit` with a ResourceList: its functionConfig says what to run (KRM function mode). */
export interface FunctionModeInvocation extends StreamFlags {
  command: 'function-mode';
  /** KRMKIT_FUNCTION (the image's default function) for a ConfigMap or no functionConfig. */
  fallbackFunction?: string;
}

/** `krmkit run <pipeline file or overlay directory>`. */
export interface RunInvocation extends StreamFlags {
  command: 'run';
  pipeline: string;
}

/** `krmkit <function> [--config FILE] [--<option> VALUE…]`. */
export interface FunctionInvocation extends StreamFlags {
  command: 'function';
  function: string;
  config?: string;
  /** Option flags in the ConfigMap form (strings, read by each option's type); they override the config. */
  flags: Readonly<Record<string, string>>;
}

/** `krmkit postrender --overlay NAME|PATH | --config FILE` (what Helm runs). */
export interface PostrenderInvocation {
  command: 'postrender';
  source: { overlay: string } | { config: string };
  hooks: HookHandling;
  /** `--report FILE` or KRMKIT_REPORT. */
  report?: string;
  explain: boolean;
}

/** `krmkit connectivity`. */
export interface ConnectivityInvocation {
  command: 'connectivity';
  maxInputBytes: number;
}

/** `krmkit patches <pipeline> --out DIR …` (yargs only: nothing runs it on every render). */
export interface PatchesInvocation extends PatchesOptions {
  command: 'patches';
}
