import { parseFast } from './invocation/fast-parse.js';
import { runInvocation } from './invocation/run.js';

async function start(argv: readonly string[]): Promise<void> {
  const invocation = parseFast(argv);
  if (invocation) {
    process.exitCode = await runInvocation(invocation);
    return;
  }
  // yargs is loaded only when needed: it costs more start-up time than a small render.
  const { main } = await import('./main.js');
  await main(argv);
}

void start(process.argv.slice(2));
