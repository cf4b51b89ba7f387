import { expect } from 'vitest';
import { expectUnchangedDocumentsKeepTheirBytes } from './invariants.js';
import { transform, type TransformOutcome } from './transform.js';

/**
 * Two properties every function's spec states of a run, as fast-check predicates:
 * `fc.property(streamArb, configArb, expectIdempotent)`.
 */

/** Idempotence: a second run over the output changes no byte. */
export function expectIdempotent(text: string, config: unknown): void {
  idempotentRuns(text, config);
}

/** The same check, returning both runs for a property that says more of them. */
export function idempotentRuns(text: string, config: unknown): { once: TransformOutcome; twice: TransformOutcome } {
  const once = transform(text, config);
  const twice = transform(once.output, config);
  expect(twice.output, 'a second run changes no byte').toBe(once.output);
  return { once, twice };
}

/** A run leaves every document whose object it does not change byte-identical. */
export function expectUntouchedDocumentsKept(text: string, config: unknown): void {
  expectUnchangedDocumentsKeepTheirBytes(text, transform(text, config).output);
}
