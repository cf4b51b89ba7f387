import type { ContainerSecurityContext, Planning } from './desire.js';

/**
 * `readOnlyRootFilesystem` is no rule of either profile, only an option: when configured it is
 * set on every Linux container (a configured value, so enforce overwrites and fill does not).
 */
export function planReadOnlyRoot({ linux, config, want }: Planning, { path, context }: ContainerSecurityContext): void {
  if (config.readOnlyRootFilesystem !== undefined && linux) {
    want([...path, 'readOnlyRootFilesystem'], context.readOnlyRootFilesystem, config.readOnlyRootFilesystem, `readOnlyRootFilesystem is configured as ${config.readOnlyRootFilesystem}`, false, true);
  }
}
