/**
 * One grammar, two parsers: the start-up fast path's hand parser (cli/invocation/fast-parse.ts)
 * and the yargs CLI (cli/main.ts) must mean the same Invocation by a command line. The fast
 * path owns the command lines tools run on every render — KRM function mode, `run`,
 * `postrender`, `connectivity`, `<function> [--config FILE]`, with `--explain` — and defers
 * everything else to yargs: help and version (yargs writes them), option flags of a function
 * (yargs reads them by each option's declaration; a hand-written copy of that would be a
 * third description of the grammar), `--max-input-bytes`, `patches` (run by hand or in CI,
 * where start-up time does not matter) and mistakes (yargs explains them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFast } from '../../cli/invocation/fast-parse.js';
import type { Invocation } from '../../cli/invocation/invocation.js';
import { parseWithYargs } from '../../cli/main.js';
import { FUNCTION_CATALOG, loadFunctions } from '../../functions/index.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../../krm/stream/input.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { docCommands } from '../helpers/doc-commands.js';

const FUNCTIONS = await loadFunctions();

interface YargsReading {
  invocation?: Invocation;
  /** The usage error yargs reports. */
  refused?: string;
  /** Help or version text. */
  output?: string;
}

async function readWithYargs(args: readonly string[], env: NodeJS.ProcessEnv): Promise<YargsReading> {
  let output: string | undefined;
  try {
    const invocation = await parseWithYargs(args, FUNCTIONS, {
      env,
      fail: (message) => {
        throw new Error(message);
      },
      output: (text) => {
        output = text;
      },
    });
    return { ...(invocation ? { invocation } : {}), ...(output !== undefined ? { output } : {}) };
  } catch (error) {
    return { refused: (error as Error).message };
  }
}

/** The command lines the fast path must take itself (see the top of this file for why). */
function fastPathOwns(invocation: Invocation): boolean {
  if (invocation.command === 'patches') return false;
  if ('maxInputBytes' in invocation && invocation.maxInputBytes !== DEFAULT_MAX_INPUT_BYTES) return false;
  return invocation.command !== 'function' || Object.keys(invocation.flags).length === 0;
}

/** Both readings of one command line agree, and the fast path takes exactly what it owns. */
async function expectAgreement(args: readonly string[], env: NodeJS.ProcessEnv, where: string): Promise<Invocation | undefined> {
  const fast = parseFast(args, env);
  const full = await readWithYargs(args, env);
  if (full.invocation && fastPathOwns(full.invocation)) expect(fast, where).toEqual(full.invocation);
  else expect(fast, `${where}: the fast path defers to yargs (${full.refused ?? (full.output !== undefined ? 'help or version' : full.invocation?.command)})`).toBeUndefined();
  return full.invocation;
}

describe('the command lines the documentation shows', () => {
  const commands = docCommands(REPO_ROOT);

  it('are found in the README, docs, function and CLI READMEs and gitops files', () => {
    const seen = (where: string, text: string): boolean => commands.some((command) => command.where.startsWith(where) && command.text === text);
    expect(seen('README.md', 'krmkit run overlays/prod < base/rendered.yaml')).toBe(true);
    expect(seen('functions/security-context/README.md', 'krmkit security-context --mode audit --audit-severity error')).toBe(true);
    expect(seen('cli/patches/README.md', 'krmkit patches overlays/prod --out deploy/prod-patches --check')).toBe(true);
    expect(seen('gitops/argocd/plugin.yaml', 'krmkit postrender --include-hooks --overlay="$overlay"')).toBe(true);
    expect(commands.find((command) => command.text.startsWith('kpt fn eval my-package --exec "krmkit security-context"'))?.args).toEqual(['security-context']);
    expect(commands.length).toBeGreaterThan(70);
  });

  it('mean one Invocation to both parsers, and the fast path takes every render command line', async () => {
    const kinds = new Set<string>();
    for (const command of commands) {
      const invocation = await expectAgreement(command.args, command.env, `${command.where}: ${command.text}`);
      if (invocation) kinds.add(invocation.command);
    }
    // Every command the docs show is among them (patches only through yargs).
    expect([...kinds].sort()).toEqual(['connectivity', 'function', 'function-mode', 'patches', 'postrender', 'run']);
  });
});

describe('the fast path and yargs on any command line', () => {
  const word = fc.constantFrom(
    'run',
    'postrender',
    'connectivity',
    'patches',
    ...FUNCTION_CATALOG.map((entry) => entry.name),
    '--explain',
    '--config',
    '--config=a.yaml',
    '--config=',
    '--overlay',
    '--overlay=prod',
    '--include-hooks',
    '--exclude-hooks',
    '--report',
    '--report=/tmp/r',
    '--mode',
    '--help',
    'overlays/prod',
    'prod',
    'a.yaml',
    '01',
    '-',
    '-x',
  );

  it('read --explain before the command as a switch, as after it (a counterexample the property found)', async () => {
    for (const args of [['--explain', 'run', 'overlays/prod'], ['--explain', 'resources'], ['resources', '--explain']]) {
      expect((await expectAgreement(args, {}, args.join(' ')))?.command).toBeDefined();
    }
  });

  it('never disagree: whatever the fast path takes, yargs reads the same way', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 5 }), fc.constantFrom({}, { KRMKIT_REPORT: '/tmp/env-report' }, { KRMKIT_FUNCTION: 'reloader' }), async (args, env) => {
        const fast = parseFast(args, env);
        if (fast === undefined) return;
        expect((await readWithYargs(args, env)).invocation).toEqual(fast);
      }),
      { numRuns: 300 },
    );
  });
});

describe('start-up', () => {
  /** The modules a file imports for their values (not `import type`, not `await import()`), followed through the repository. */
  function staticImports(entry: string): { files: Set<string>; packages: Set<string> } {
    const files = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string): void => {
      if (files.has(file)) return;
      files.add(file);
      for (const match of readFileSync(join(REPO_ROOT, file), 'utf8').matchAll(/^(?:import|export) (?!type )[^;]*? from '([^']+)';/gms)) {
        const target = match[1] as string;
        if (!target.startsWith('.')) packages.add(target);
        else visit(join(file, '..', target).replace(/\.js$/, '.ts'));
      }
    };
    visit(entry);
    return { files, packages };
  }

  it('the fast path reaches neither yargs nor the yargs CLI nor `patches`', () => {
    const { files, packages } = staticImports('cli/krmkit.ts');
    expect(files).toContain('cli/invocation/fast-parse.ts');
    expect(files).toContain('cli/invocation/run.ts');
    expect([...packages].filter((name) => name.startsWith('yargs'))).toEqual([]);
    expect([...files].filter((file) => file === 'cli/main.ts' || file === 'cli/patches.ts')).toEqual([]);
    // …and no function's code: the catalog loads those on demand (cli/invocation/lazy-registry.ts).
    expect([...files].filter((file) => /^functions\/[^/]+\/index\.ts$/.test(file))).toEqual([]);
  });
});
