import { execute } from './execute.js';
import { fastPathJob } from './fast-path.js';

async function start(argv: readonly string[]): Promise<void> {
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
