import * as z from 'zod/mini';
const options = z.strictObject({
  profile: z._default(z.enum(['restricted', 'baseline']), 'restricted'),
  mode: z._default(z.enum(['fill', 'enforce', 'audit']), 'fill'),
  auditSeverity: z._default(z.enum(['error', 'warning']), 'warning'),
  runAsUser: z.optional(z.int().check(z.minimum(0))),
  runAsGroup: z.optional(z.int().check(z.minimum(0))),
  fsGroup: z.optional(z.int().check(z.minimum(0))),
  readOnlyRootFilesystem: z.optional(z.boolean()),
  writableTmp: z._default(z.boolean(), false),
  skipContainers: z.optional(z.array(z.string())),
  maxUnavailable: z.optional(z.int().check(z.minimum(1), z.maximum(100))),
});
const input = { profile: 'baseline', runAsUser: 10, skipContainers: ['a'] };
console.log(JSON.stringify(options.parse(input)).length);
