import { expect } from 'vitest';
import { KrmInputError } from '../../krm/base/errors.js';

/** What `action` throws (undefined when it returns), so a spec can assert on the error itself. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (caught) {
    return caught;
  }
  return undefined;
}

/** Asserts that `action` throws a located input error whose message names `field`. */
export function expectInputError(action: () => unknown, field: string): void {
  const error = thrownBy(action);
  expect(error, `expected a KrmInputError at ${field}`).toBeInstanceOf(KrmInputError);
  expect((error as Error).message).toContain(`${field}:`);
}
