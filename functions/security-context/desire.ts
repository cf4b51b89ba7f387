import type { Path } from '../../krm/base/path.js';
import type { ContainerRef, PodTemplate } from '../../krm/kube/pod-template.js';
import type { Profile, SecurityContextConfig } from './config.js';

/**
 * One thing the function wants of a field. The mode decides what happens to it:
 * fill sets it only where absent, enforce makes it hold, audit reports violations.
 */
export interface Desire {
  path: Path;
  current: unknown;
  /** What makes it right; undefined when krmkit cannot repair it safely (a hostPath volume). */
  proposed?: unknown;
  /** The current value breaks a rule of the profile (an absent required value does too). */
  violation: boolean;
  /** A value the user configured explicitly (enforce overwrites it). */
  configured: boolean;
  message: string;
}

/** A securityContext where it is (or would be), with its fields; `{}` when it is absent. */
export interface SecurityContextAt {
  path: Path;
  context: Record<string, unknown>;
}

export interface ContainerSecurityContext extends SecurityContextAt {
  container: ContainerRef;
}

/**
 * What every rule group reads about one pod template, and the two ways it records a desire.
 * The rule groups only record; the mode is applied afterwards, in one place (index.ts).
 */
export interface Planning {
  readonly template: PodTemplate;
  readonly resource: PodTemplate['resource'];
  readonly config: SecurityContextConfig;
  readonly profile: Profile;
  readonly restricted: boolean;
  /** Windows pods get none of the Linux-only fields (seccomp, AppArmor, capabilities, IDs). */
  readonly linux: boolean;
  readonly pod: SecurityContextAt;
  readonly containers: readonly ContainerSecurityContext[];
  /** A field that should hold `proposed`; a violation unless said otherwise (a default is not one). */
  want(path: Path, current: unknown, proposed: unknown, message: string, violation?: boolean, configured?: boolean): void;
  /** A violation krmkit reports but cannot repair without breaking the pod. */
  cannotFix(path: Path, current: unknown, message: string): void;
}
