const options = {
  profile: { type: 'string', enum: ['restricted', 'baseline'], default: 'restricted', description: 'Pod Security Standard.' },
  mode: { type: 'string', enum: ['fill', 'enforce', 'audit'], default: 'fill', description: 'Mode.' },
  auditSeverity: { type: 'string', enum: ['error', 'warning'], default: 'warning', description: 'Severity.' },
  runAsUser: { type: 'integer', minimum: 0, description: 'uid' },
  runAsGroup: { type: 'integer', minimum: 0, description: 'gid' },
  fsGroup: { type: 'integer', minimum: 0, description: 'fsgroup' },
  readOnlyRootFilesystem: { type: 'boolean', description: 'ro' },
  writableTmp: { type: 'boolean', default: false, description: 'tmp' },
  skipContainers: { type: 'array', items: { type: 'string' }, description: 'skip' },
  maxUnavailable: { type: 'integer', minimum: 1, maximum: 100, description: 'max' },
};
const input = { profile: 'baseline', runAsUser: 10, skipContainers: ['a'] };
console.log(Object.keys(options).length, JSON.stringify(input).length);
