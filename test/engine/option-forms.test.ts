/**
 * One declaration per function (functions/<name>/config.ts) gives the three forms a config is
 * written in — a typed object, a bare mapping (a pipeline step, CLI flags read as one) and a
 * ConfigMap whose data holds strings (kpt's `-- key=value`, which is what flags become) — the
 * same options, with the declared defaults, and the same errors.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFunctions } from '../../functions/index.js';
import { KrmConfigError } from '../../krm/base/errors.js';
import type { AnyKrmFunction } from '../../krm/function/function.js';
import { optionValue } from '../helpers/option-values.js';
import { API_VERSION, readOptions, withDefaults, type OptionSpec } from '../../krm/function/options.js';

let functions: AnyKrmFunction[] = [];
beforeAll(async () => {
  functions = [...(await loadFunctions())];
});

/** A value the option accepts; undefined for structured options, which each function parses itself. */
function valueOf(spec: OptionSpec): fc.Arbitrary<unknown> | undefined {
  return optionValue(spec, fc.stringMatching(/^[a-z][a-z0-9.-]{0,10}$/));
}

function optionsOf(fn: AnyKrmFunction): fc.Arbitrary<Record<string, unknown>> {
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, spec] of Object.entries(fn.options)) {
    const value = valueOf(spec);
    if (value) fields[name] = value;
  }
  return fc.record(fields, { requiredKeys: [] });
}

/** The ConfigMap form: every value a string, lists comma-separated, as the CLI writes flags. */
function asConfigMap(options: Record<string, unknown>): Record<string, unknown> {
  const data = Object.fromEntries(Object.entries(options).map(([name, value]) => [name, Array.isArray(value) ? value.join(',') : String(value)]));
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config' }, data };
}

function declaredDefaults(fn: AnyKrmFunction): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fn.options).flatMap(([name, spec]) => (spec.default === undefined ? [] : [[name, spec.default]])));
}

const read = (fn: AnyKrmFunction, raw: unknown): Record<string, unknown> => withDefaults(fn.optionsSchema, readOptions(fn.name, fn.kind, raw, fn.options));

function errorOf(attempt: () => unknown): KrmConfigError {
  try {
    attempt();
  } catch (error) {
    if (error instanceof KrmConfigError) return error;
    throw error;
  }
  throw new Error('expected a KrmConfigError');
}

describe('the three config forms, from one declaration', () => {
  it('a typed config, its bare mapping and its ConfigMap strings read to the same options, declared defaults filled in', () => {
    for (const fn of functions) {
      fc.assert(
        fc.property(optionsOf(fn), (options) => {
          const expected = { ...declaredDefaults(fn), ...options };
          expect(read(fn, { apiVersion: API_VERSION, kind: fn.kind, ...options }), fn.name).toEqual(expected);
          expect(read(fn, options), fn.name).toEqual(expected);
          expect(read(fn, asConfigMap(options)), fn.name).toEqual(expected);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('a default list is a fresh array for each config, so one run cannot change the next', () => {
    const securityContext = functions.find((fn) => fn.name === 'security-context')!;
    const first = read(securityContext, {});
    (first.skipContainers as string[]).push('changed');
    expect(read(securityContext, {}).skipContainers).toEqual([]);
  });

  it('parseConfig receives the declared defaults: an empty security-context config is restricted, fill, warning', () => {
    const securityContext = functions.find((fn) => fn.name === 'security-context')!;
    expect(securityContext.parseConfig({})).toEqual({ profile: 'restricted', mode: 'fill', auditSeverity: 'warning', writableTmp: false, skipContainers: [] });
  });
});

describe('errors, in every form', () => {
  it('a mistyped option name is refused with the nearest option, at its field', () => {
    for (const fn of functions) {
      for (const name of Object.keys(fn.options).filter((option) => option.length >= 6)) {
        const typo = `${name.slice(0, -1)}x`;
        const typed = errorOf(() => read(fn, { kind: fn.kind, [typo]: 'x' }));
        expect(typed.message, fn.name).toContain(`unknown option "${typo}" — did you mean "${name}"?`);
        expect(typed.location.field).toEqual([typo]);
        expect(errorOf(() => read(fn, asConfigMap({ [typo]: 'x' }))).location.field).toEqual(['data', typo]);
      }
    }
  });

  it('a name near nothing lists the valid options, the common ones included', () => {
    const reloader = functions.find((fn) => fn.name === 'reloader')!;
    expect(errorOf(() => read(reloader, { zzzzzzzzzz: 1 })).message).toBe(
      'zzzzzzzzzz: reloader config: unknown option "zzzzzzzzzz" (valid options: select, exclude, podTemplateKinds, mode, onlyInStream, ignore)',
    );
  });

  it('a word outside a declared list names the list and the nearest word, in a value or a list entry', () => {
    for (const fn of functions) {
      for (const [name, spec] of Object.entries(fn.options)) {
        if ((spec.type !== 'string' && spec.type !== 'stringList') || !spec.enum) continue;
        const word = spec.enum[0]!;
        const typo = `${word}x`;
        const value = spec.type === 'string' ? typo : [typo];
        const expected = `"${typo}" is not one of ${spec.enum.join(', ')} — did you mean "${word}"?`;
        expect(errorOf(() => read(fn, { [name]: value })).message, `${fn.name} ${name}`).toContain(expected);
        expect(errorOf(() => read(fn, asConfigMap({ [name]: value }))).message, `${fn.name} ${name}`).toContain(expected);
      }
    }
  });

  it('a number outside the declared bounds, or of the wrong type, is refused with the bound', () => {
    const budget = functions.find((fn) => fn.name === 'pod-disruption-budget')!;
    expect(errorOf(() => read(budget, { minReplicas: 0 })).message).toContain('expected a number ≥ 1, got a number (0)');
    expect(errorOf(() => read(budget, asConfigMap({ minReplicas: 'two' }))).message).toContain('expected a whole number, got "two"');
    expect(errorOf(() => read(budget, { minReplicas: '2' })).message).toContain('expected a whole number, got a string ("2")');
  });
});
