import * as v from 'valibot';
import type { CommonOptionDocs } from '../../krm/function/function.js';
import type { OptionsOf } from '../../krm/function/options.js';

export const PROFILES = ['restricted', 'baseline'] as const;
export type Profile = (typeof PROFILES)[number];
export const MODES = ['fill', 'enforce', 'audit'] as const;
export type Mode = (typeof MODES)[number];

export interface SecurityContextConfig {
  profile: Profile;
  mode: Mode;
  auditSeverity: 'error' | 'warning';
  /** Pod-level IDs; for `restricted`, unset ones default to NON_ROOT_ID. */
  runAsUser?: number;
  runAsGroup?: number;
  fsGroup?: number;
  readOnlyRootFilesystem?: boolean;
  writableTmp: boolean;
  skipContainers: string[];
}

/**
 * The UID/GID `restricted` uses when none is configured: 65532 is the `nonroot` user of
 * distroless and Chainguard images, is not 0, and is outside the ranges distributions
 * allocate to system and login users, so it owns nothing in a typical image by accident.
 */
export const NON_ROOT_ID = 65532;

/** runAsUser, runAsGroup and fsGroup: one rule, three options. */
const podId = (name: string) =>
  v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description(`Pod-level ${name} (restricted default: ${NON_ROOT_ID}).`),
      v.metadata({ defaultText: `restricted: \`${NON_ROOT_ID}\``, readme: `Pod-level ID. Under \`restricted\`, absent ones default to ${NON_ROOT_ID} (below). Configured values are set where absent; \`enforce\` overwrites.` }),
    ),
  );

export const securityContextOptions = v.strictObject({
  profile: v.optional(v.pipe(v.picklist(PROFILES), v.description('Pod Security Standard to satisfy.'), v.metadata({ readme: 'The standard to satisfy.' })), 'restricted'),
  mode: v.optional(
    v.pipe(
      v.picklist(MODES),
      v.description('fill: set only absent fields; enforce: overwrite non-compliant values and set configured ones; audit: change nothing, report violations.'),
      v.metadata({
        readme:
          "`fill`: set only what is absent, never touch a value that is there (Kyverno's add-if-absent); a non-compliant value left in place is reported as a warning. `enforce`: make every rule hold, overwriting non-compliant values, and set every explicitly configured value. `audit`: change nothing; report one result per violation with field path, current and proposed value.",
      }),
    ),
    'fill',
  ),
  auditSeverity: v.optional(
    v.pipe(v.picklist(['error', 'warning']), v.description('Severity of the results audit mode reports.'), v.metadata({ readme: 'Severity of audit results (`error` makes the run exit 1).' })),
    'warning',
  ),
  runAsUser: podId('runAsUser'),
  runAsGroup: podId('runAsGroup'),
  fsGroup: podId('fsGroup'),
  readOnlyRootFilesystem: v.optional(
    v.pipe(v.boolean(), v.description('Set readOnlyRootFilesystem on every container.'), v.metadata({ defaultText: 'unset', readme: 'Set on every container (`fill`: where absent; `enforce`: always).' })),
  ),
  writableTmp: v.optional(
    v.pipe(
      v.boolean(),
      v.description('Mount an emptyDir at /tmp in containers with a read-only root filesystem and nothing at /tmp.'),
      v.metadata({ readme: 'Give every container whose root filesystem ends up read-only an `emptyDir` at `/tmp`, unless something is mounted there already.' }),
    ),
    false,
  ),
  skipContainers: v.optional(
    v.pipe(v.array(v.string()), v.description('Container names to leave alone.'), v.metadata({ shape: 'list of names', readme: 'Containers to leave alone (sidecars injected and managed by a mesh, say).' })),
    () => [],
  ),
});

export const securityContextCommonOptionDocs: CommonOptionDocs = {
  select: 'Which resources to touch: `group`, `version`, `kind`, `name` (regex, anchored), `namespace`, `labelSelector`, `annotationSelector`.',
  podTemplateKinds: 'Extra kinds embedding a pod template (`path` dot-separated, e.g. `spec.template`).',
};

/** The declared options carry every field of the config: parsing is the declaration's own. */
export function parseSecurityContextConfig(options: OptionsOf<typeof securityContextOptions>): SecurityContextConfig {
  return options;
}
