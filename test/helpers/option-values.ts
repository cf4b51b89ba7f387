import fc from 'fast-check';
import type { OptionSpec } from '../../krm/function/options.js';

/**
 * A value of the declared type that readOptions accepts for the option; undefined for
 * structured options, whose values each test chooses (each function parses them itself).
 */
export function optionValue(spec: OptionSpec, word: fc.Arbitrary<string>): fc.Arbitrary<unknown> | undefined {
  switch (spec.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({ min: spec.minimum ?? -1000, max: spec.maximum ?? 1_000_000 });
    case 'string':
      return spec.enum ? fc.constantFrom(...spec.enum) : word;
    case 'stringList':
      return fc.array(spec.enum ? fc.constantFrom(...spec.enum) : word, { maxLength: 4 });
    case 'structured':
      return undefined;
  }
}
