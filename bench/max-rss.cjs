// Preloaded with `node -r` by the benchmark: writes the process's peak RSS (KiB) to the file
// named by KRMKIT_BENCH_RSS_FILE when it exits.
'use strict';
const file = process.env.KRMKIT_BENCH_RSS_FILE;
if (file) process.once('exit', () => require('node:fs').writeFileSync(file, String(process.resourceUsage().maxRSS)));
