import { deepEqual } from '../../krm/base/deep-equal.js';
import type { OnConflict } from './config.js';

/**
 * How a list of a container's entries (its `env`, or its `envFrom`) becomes the list with
 * the injected entries in it. Entries are matched by a key (the variable name; the source's
 * kind, name and prefix). Pure data in, data out, so the decisions can be read and tested
 * without a resource.
 *
 * - No entry with the key: the injected one is appended, after the container's own, so its
 *   `$(VAR)` references to them resolve.
 * - An equal entry: nothing to do (this is what makes a second run a no-op under every
 *   `onConflict`).
 * - A different entry: `override` replaces it where it is, keeping its position (moving it
 *   could break references to it from the entries in between); `keep` leaves it; `error`
 *   leaves it and records a conflict.
 * - Several entries with the key (input that already has duplicates): `override` replaces the
 *   first and removes the others, so the container ends with exactly one; `keep` and `error`
 *   leave them, and they are flagged like any other duplicate.
 */
export interface MergePlan<Entry> {
  /** The list as it will be: each entry with its index in the current list (-1: injected). */
  final: { entry: Entry; from: number }[];
  /** Indices in the current list to remove. */
  removals: number[];
  /** Current index → entry to put there. */
  replacements: Map<number, Entry>;
  appends: Entry[];
  /** Keys whose injected entry is in `final`. */
  placed: Set<string>;
  /** Entries that differ from the injected ones and were left (keep) or refused (error). */
  conflicts: MergeConflict<Entry>[];
}

export interface MergeConflict<Entry> {
  key: string;
  /** Index in the current list of the entry that differs. */
  index: number;
  current: Entry;
  proposed: Entry;
}

export function planMerge<Entry>(
  current: readonly Entry[],
  currentKeys: readonly (string | undefined)[],
  injected: readonly Entry[],
  keyOf: (entry: Entry) => string,
  onConflict: OnConflict,
): MergePlan<Entry> {
  const final = current.map((entry, index) => ({ entry, from: index, key: currentKeys[index] }));
  const removals: number[] = [];
  const replacements = new Map<number, Entry>();
  const appends: Entry[] = [];
  const placed = new Set<string>();
  const conflicts: MergeConflict<Entry>[] = [];

  for (const entry of injected) {
    const key = keyOf(entry);
    const matches = final.filter((item) => item.key === key);
    const first = matches[0];
    if (!first) {
      final.push({ entry, from: -1, key });
      appends.push(entry);
      placed.add(key);
      continue;
    }
    const different = matches.find((item) => !deepEqual(item.entry, entry));
    if (!different && matches.length === 1) {
      placed.add(key);
      continue;
    }
    if (onConflict === 'override') {
      if (different === first) replacements.set(first.from, entry);
      first.entry = entry;
      for (const duplicate of matches.slice(1)) {
        final.splice(final.indexOf(duplicate), 1);
        removals.push(duplicate.from);
      }
      placed.add(key);
    } else if (different) {
      conflicts.push({ key, index: different.from, current: different.entry, proposed: entry });
    }
  }
  return { final: final.map(({ entry, from }) => ({ entry, from })), removals: removals.sort((a, b) => a - b), replacements, appends, placed, conflicts };
}
