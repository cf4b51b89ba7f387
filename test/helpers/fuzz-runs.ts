/**
 * How many generated cases each property runs. `npm test` keeps the default small so the
 * whole reliability folder stays well under 90 s; CI or a long soak raises it:
 *   KRMKIT_FUZZ_RUNS=2000 npx vitest run test/reliability
 * KRMKIT_FUZZ_SEED replays a failure fast-check printed.
 */
export const FUZZ_RUNS = Number(process.env.KRMKIT_FUZZ_RUNS ?? 40);

export const FUZZ_SEED = process.env.KRMKIT_FUZZ_SEED === undefined ? undefined : Number(process.env.KRMKIT_FUZZ_SEED);

export function fuzzParameters(runs = FUZZ_RUNS): { numRuns: number; seed?: number } {
  return FUZZ_SEED === undefined ? { numRuns: runs } : { numRuns: runs, seed: FUZZ_SEED };
}

/** A per-test timeout that grows with the number of runs (the big corpus takes ~50 ms a run). */
export function fuzzTimeout(runs = FUZZ_RUNS): number {
  return Math.max(60_000, runs * 150);
}

/** Lets vitest's worker talk to the runner between runs: a long soak otherwise starves its RPC. */
export function yieldToWorker(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
