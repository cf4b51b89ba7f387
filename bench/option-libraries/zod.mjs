import * as z from 'zod';
const options = z.strictObject({
  profile: z.enum(['restricted', 'baseline']).default('restricted').describe('Pod Security Standard.'),
  mode: z.enum(['fill', 'enforce', 'audit']).default('fill').describe('Mode.'),
  auditSeverity: z.enum(['error', 'warning']).default('warning').describe('Severity.'),
  runAsUser: z.int().min(0).optional().describe('uid'),
  runAsGroup: z.int().min(0).optional().describe('gid'),
  fsGroup: z.int().min(0).optional().describe('fsgroup'),
  readOnlyRootFilesystem: z.boolean().optional().describe('ro'),
  writableTmp: z.boolean().default(false).describe('tmp'),
  skipContainers: z.array(z.string()).optional().describe('skip'),
  maxUnavailable: z.int().min(1).max(100).optional().describe('max'),
});
const input = { profile: 'baseline', runAsUser: 10, skipContainers: ['a'] };
console.log(JSON.stringify(options.parse(input)).length);
