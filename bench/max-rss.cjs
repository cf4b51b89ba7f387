// Preloaded with `node -r` by the benchmark: writes the process's peak RSS (KiB) and the CPU
// time it used (ms, user + system, every thread) to the file named by KRMKIT_BENCH_RSS_FILE
// when it exits. CPU time is what the process itself cost; wall time also counts the waits
// for a core on a busy machine.
'use strict';
const file = process.env.KRMKIT_BENCH_RSS_FILE;
if (file) {
  process.once('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000 }));
  });
}
