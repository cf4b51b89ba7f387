import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what the last full collection kept, for large inputs.
 * V8 picks up to 4× on its own when collections look cheap; at 100k objects the prod overlay
 * keeps ~420 MB alive, so the heap filled to ~1 GB with garbage before it collected again.
 * Measured there (five runs each, medians): V8's own choice peaks at 1,024 MiB RSS in 21.2 s
 * of CPU, 35% at 750 MiB in 23.2 s (+9%); 20% peaked at ~700 MiB for +13%, more than the
 * 10% a memory fix may cost.
 */
const HEAP_GROWING_PERCENT = 35;

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
