// Small measuring helpers shared by the benchmarks.
import { readFileSync } from 'node:fs';

/** Linux reports children's CPU time in clock ticks of 1/100 s (getconf CLK_TCK). */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) used so far by this process's children that have finished
 * and been waited for, and by their own waited-for children (Helm waits for its
 * post-renderer): /proc/self/stat fields cutime and cstime. Ticks are 10 ms, so compare
 * means of many runs, not single runs.
 */
export function cpuMillis() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3 (state).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cutime = Number(fields[13]);
  const cstime = Number(fields[14]);
  return ((cutime + cstime) * 1000) / TICKS_PER_SECOND;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function mean(values) {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}
