import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what the last full collection kept, for large inputs.
 * The peak RSS of a run is about that limit: the prod overlay's live heap grows to ~390 MB
 * at 100k objects, and the collection that finds the printed documents garbage comes only
 * once the limit is reached. V8 picks up to 4× on its own when collections look cheap
 * (1,024 MiB peak there). Measured at 100k (five runs each, the prod overlay, max RSS and
 * median CPU): 35% peaked at 590–636 MiB in 39.9 s, 30% at 569 MiB in 40.7 s, 25% at
 * 564 MiB in 41.0 s (+3%); 20% cost +11%.
 */
const HEAP_GROWING_PERCENT = 25;

/** Below this the run is over before the heap grows much: V8's default stays. */
const LARGE_INPUT_CHARACTERS = 16 * 1024 * 1024;

/**
 * Called once the input is read. `KRMKIT_HEAP_GROWING_PERCENT` overrides the setting
 * (0: V8's own choice), for a machine where memory or time matters more.
 */
export function fitHeapGrowthToInput(inputCharacters: number): void {
  if (inputCharacters < LARGE_INPUT_CHARACTERS) return;
  const configured = Number.parseInt(process.env.KRMKIT_HEAP_GROWING_PERCENT ?? '', 10);
  const percent = Number.isInteger(configured) && configured >= 0 ? configured : HEAP_GROWING_PERCENT;
  // Read by V8 at each collection, so setting it mid-run takes effect from the next one.
  setFlagsFromString(`--heap-growing-percent=${percent}`);
}
