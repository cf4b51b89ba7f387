import { DEFAULT_MAX_INPUT_BYTES } from '../../krm/stream/input.js';
import { execute, processIo, reportFailure, type Io, type Job } from '../execute.js';
import type { Invocation, RenderInvocation } from './invocation.js';
import { reportWriter } from './report.js';
import { stepsOf } from './steps.js';

/** Carries out an Invocation, whichever parser made it; returns the exit code. */
export async function runInvocation(invocation: Invocation, io: Io = processIo): Promise<number> {
  switch (invocation.command) {
    case 'connectivity': {
      // Loaded only for this command: a post-renderer run would evaluate it for nothing.
      const { connectivity } = await import('../connectivity.js');
      return connectivity(invocation.maxInputBytes, io);
    }
    case 'patches': {
      // Loaded only here: the start-up path of every render has no use for it.
      const { patchesCommand } = await import('../patches.js');
      const { command: _command, ...options } = invocation;
      return patchesCommand(options, io);
    }
    default: {
      let job: Job;
      try {
        job = await jobFor(invocation);
      } catch (error) {
        return reportFailure(error, io.stderr);
      }
      return execute(job, io);
    }
  }
}

/** stdin → steps → stdout: what `execute` runs for a render invocation. */
export async function jobFor(invocation: RenderInvocation, cwd: string = process.cwd()): Promise<Job> {
  const job: Job = {
    explain: invocation.explain,
    maxInputBytes: invocation.command === 'postrender' ? DEFAULT_MAX_INPUT_BYTES : invocation.maxInputBytes,
    steps: await stepsOf(invocation, cwd),
  };
  if (invocation.command === 'postrender' && invocation.report !== undefined) job.report = reportWriter(invocation.report, invocation);
  return job;
}
