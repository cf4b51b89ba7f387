import * as v from 'valibot';
const options = v.strictObject({
  profile: v.pipe(v.optional(v.picklist(['restricted', 'baseline']), 'restricted'), v.description('Pod Security Standard.')),
  mode: v.pipe(v.optional(v.picklist(['fill', 'enforce', 'audit']), 'fill'), v.description('Mode.')),
  auditSeverity: v.pipe(v.optional(v.picklist(['error', 'warning']), 'warning'), v.description('Severity.')),
  runAsUser: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description('uid'))),
  runAsGroup: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description('gid'))),
  fsGroup: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description('fsgroup'))),
  readOnlyRootFilesystem: v.optional(v.pipe(v.boolean(), v.description('ro'))),
  writableTmp: v.pipe(v.optional(v.boolean(), false), v.description('tmp')),
  skipContainers: v.optional(v.pipe(v.array(v.string()), v.description('skip'))),
  maxUnavailable: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100), v.description('max'))),
});
const input = { profile: 'baseline', runAsUser: 10, skipContainers: ['a'] };

import { toJsonSchema } from '@valibot/to-json-schema';
console.log(JSON.stringify(toJsonSchema(options)).length, JSON.stringify(v.parse(options, input)).length);
