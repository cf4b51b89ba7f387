import { DEFAULT_MAX_INPUT_BYTES } from '../krm/stream/input.js';
import { execute } from './execute.js';
import { fastPathJob } from './fast-path.js';

async function start(argv: readonly string[]): Promise<void> {
  if (argv.length === 1 && argv[0] === 'connectivity') {
    // Loaded only for this command: a post-renderer run would evaluate it for nothing.
    const { connectivity } = await import('./connectivity.js');
    process.exitCode = await connectivity(DEFAULT_MAX_INPUT_BYTES);
    return;
  }
  const job = fastPathJob(argv);
  if (job) {
    process.exitCode = await execute(job);
    return;
  }
  // yargs is loaded only when needed: it costs more start-up time than a small render.
  const { main } = await import('./main.js');
  await main(argv);
}

void start(process.argv.slice(2));
