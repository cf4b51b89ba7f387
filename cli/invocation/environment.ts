/**
 * The environment variables that complete a command line, read the same way by both
 * parsers (fast-parse.ts and cli/main.ts) so that an Invocation is all a run depends on.
 */

/** Set when KRMKIT_REPORT names a file: the same as `--report FILE`, for helmfile and Helm 4. */
export const REPORT_ENV = 'KRMKIT_REPORT';

/** The image's default function (Dockerfile), for a ResourceList whose functionConfig does not name one. */
export const FUNCTION_ENV = 'KRMKIT_FUNCTION';

/** `--report FILE` wins over KRMKIT_REPORT; an empty value means no report. */
export function reportFile(flag: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  return (flag ?? env[REPORT_ENV]) || undefined;
}

export function fallbackFunction(env: NodeJS.ProcessEnv): string | undefined {
  return env[FUNCTION_ENV] || undefined;
}
