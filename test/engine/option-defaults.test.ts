/**
 * `withDefaults` fills in the declared defaults without Valibot's parse (a post-renderer would
 * otherwise parse once per step on every start). It must give exactly what `v.parse` of the
 * declaration gives for options `readOptions` has checked: the same values, in the same key
 * order, with declared lists copied — and leave anything else to Valibot.
 */
import fc from 'fast-check';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFunctions } from '../../functions/index.js';
import type { AnyKrmFunction } from '../../krm/function/function.js';
import { optionValue } from '../helpers/option-values.js';
import { withDefaults, type OptionSpec } from '../../krm/function/options.js';

let functions: AnyKrmFunction[] = [];
beforeAll(async () => {
  functions = [...(await loadFunctions())];
});

/** A value readOptions lets through for the option (structured options take any YAML value). */
function checkedValue(spec: OptionSpec): fc.Arbitrary<unknown> {
  return optionValue(spec, fc.string({ maxLength: 8 })) ?? fc.jsonValue({ maxDepth: 2 });
}

/** Some of a function's options, in any order, each a value readOptions accepts. */
function checkedOptions(fn: AnyKrmFunction): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(fn.options);
  return fc
    .shuffledSubarray(names)
    .chain((picked) => fc.tuple(...picked.map((name) => checkedValue(fn.options[name]!))).map((values) => Object.fromEntries(picked.map((name, i) => [name, values[i]]))));
}

describe('withDefaults', () => {
  it('gives what v.parse of the declaration gives: values, key order, copied lists', () => {
    for (const fn of functions) {
      fc.assert(
        fc.property(checkedOptions(fn), (options) => {
          const filled = withDefaults(fn.optionsSchema, options);
          const parsed = v.parse(fn.optionsSchema, options);
          expect(filled).toStrictEqual(parsed);
          expect(Object.keys(filled)).toEqual(Object.keys(parsed));
          for (const [name, value] of Object.entries(filled)) {
            const declaredList = (fn.optionsSchema.entries[name] as { wrapped?: { type: string } }).wrapped?.type === 'array';
            if (declaredList) expect(value).not.toBe(options[name]);
          }
        }),
        { numRuns: 50 },
      );
    }
  });

  it('gives each call its own default lists', () => {
    const fn = functions.find((candidate) => candidate.name === 'reloader')!;
    const first = withDefaults(fn.optionsSchema, {}) as { ignore: unknown[] };
    const second = withDefaults(fn.optionsSchema, {}) as { ignore: unknown[] };
    expect(first.ignore).toEqual([]);
    expect(first.ignore).not.toBe(second.ignore);
  });

  it('leaves what it does not cover to Valibot: a required option, an undeclared key', () => {
    const schema = v.strictObject({ name: v.string(), level: v.optional(v.number(), 1) });
    expect(() => withDefaults(schema, {})).toThrow(v.ValiError);
    expect(withDefaults(schema, { name: 'a' })).toStrictEqual({ name: 'a', level: 1 });
    const optional = v.strictObject({ level: v.optional(v.number(), 1) });
    expect(() => withDefaults(optional, { other: 1 })).toThrow(v.ValiError);
  });
});
