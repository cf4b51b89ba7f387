import { expect } from 'vitest';
import { KrmInputError } from '../../krm/errors.js';

/** Asserts that `action` throws a located input error whose message names `field`. */
export function expectInputError(action: () => unknown, field: string): void {
  let error: unknown;
  try {
    action();
  } catch (caught) {
    error = caught;
  }
  expect(error, `expected a KrmInputError at ${field}`).toBeInstanceOf(KrmInputError);
  expect((error as Error).message).toContain(`${field}:`);
}
