/**
 * Kubernetes label-selector strings, as `kubectl -l` takes them:
 * `app=web,tier!=db,env in (prod,staging),!legacy,team`.
 */
export type Requirement =
  | { key: string; operator: 'in'; values: string[] }
  | { key: string; operator: 'notin'; values: string[] }
  | { key: string; operator: 'exists' }
  | { key: string; operator: 'doesnotexist' };

export function parseLabelSelector(selector: string): Requirement[] {
  const requirements: Requirement[] = [];
  for (const clause of splitClauses(selector)) {
    const text = clause.trim();
    if (text === '') continue;
    let match = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(text);
    if (match) {
      const [, key = '', operator, value = ''] = match;
      requirements.push({ key, operator: operator === '!=' ? 'notin' : 'in', values: [value] });
      continue;
    }
    match = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
    if (match) {
      const [, key = '', operator, list = ''] = match;
      const values = list.split(',').map((value) => value.trim()).filter((value) => value !== '');
      requirements.push({ key, operator: operator === 'in' ? 'in' : 'notin', values });
      continue;
    }
    match = /^(!?)([^\s=!(),]+)$/.exec(text);
    if (match) {
      requirements.push({ key: match[2] ?? '', operator: match[1] ? 'doesnotexist' : 'exists' });
      continue;
    }
    throw new Error(`cannot read selector clause ${JSON.stringify(text)} (expected key=value, key!=value, key in (a,b), key notin (a,b), key or !key)`);
  }
  return requirements;
}

/** Splits at commas outside parentheses. */
function splitClauses(selector: string): string[] {
  const clauses: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const character = selector[i];
    if (character === '(') depth++;
    else if (character === ')') depth--;
    else if (character === ',' && depth === 0) {
      clauses.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  clauses.push(selector.slice(start));
  return clauses;
}

export function matchesRequirements(labels: Record<string, string>, requirements: readonly Requirement[]): boolean {
  return requirements.every((requirement) => {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    switch (requirement.operator) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case 'in':
        return has && requirement.values.includes(labels[requirement.key] as string);
      case 'notin':
        return !has || !requirement.values.includes(labels[requirement.key] as string);
    }
  });
}
