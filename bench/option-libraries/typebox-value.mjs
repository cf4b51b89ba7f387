import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
const options = Type.Object({
  profile: Type.Optional(Type.Union([Type.Literal('restricted'), Type.Literal('baseline')], { default: 'restricted', description: 'Pod Security Standard.' })),
  mode: Type.Optional(Type.Union([Type.Literal('fill'), Type.Literal('enforce'), Type.Literal('audit')], { default: 'fill', description: 'Mode.' })),
  auditSeverity: Type.Optional(Type.Union([Type.Literal('error'), Type.Literal('warning')], { default: 'warning', description: 'Severity.' })),
  runAsUser: Type.Optional(Type.Integer({ minimum: 0, description: 'uid' })),
  runAsGroup: Type.Optional(Type.Integer({ minimum: 0, description: 'gid' })),
  fsGroup: Type.Optional(Type.Integer({ minimum: 0, description: 'fsgroup' })),
  readOnlyRootFilesystem: Type.Optional(Type.Boolean({ description: 'ro' })),
  writableTmp: Type.Optional(Type.Boolean({ default: false, description: 'tmp' })),
  skipContainers: Type.Optional(Type.Array(Type.String(), { description: 'skip' })),
  maxUnavailable: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'max' })),
}, { additionalProperties: false });
const input = { profile: 'baseline', runAsUser: 10, skipContainers: ['a'] };
console.log(Value.Check(options, input), JSON.stringify(Value.Default(options, structuredClone(input))).length);
