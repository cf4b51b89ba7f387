import type { MatchExpression } from './label-selector.js';

/**
 * Kubernetes label-selector strings, as `kubectl -l` takes them:
 * `app=web,tier!=db,env in (prod,staging),!legacy,team`, compiled to the requirements a
 * LabelSelector's `matchExpressions` hold, so one matcher serves both forms.
 */
export function parseLabelSelector(selector: string): MatchExpression[] {
  const requirements: MatchExpression[] = [];
  for (const clause of splitClauses(selector)) {
    const text = clause.trim();
    if (text === '') continue;
    let match = /^(\S+?)\s*(==|=|!=)\s*(\S*)$/.exec(text);
    if (match) {
      const [, key = '', operator, value = ''] = match;
      requirements.push({ key, operator: operator === '!=' ? 'NotIn' : 'In', values: [value] });
      continue;
    }
    match = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(text);
    if (match) {
      const [, key = '', operator, list = ''] = match;
      const values = list.split(',').map((value) => value.trim()).filter((value) => value !== '');
      requirements.push({ key, operator: operator === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    match = /^(!?)([^\s=!(),]+)$/.exec(text);
    if (match) {
      requirements.push({ key: match[2] ?? '', operator: match[1] ? 'DoesNotExist' : 'Exists' });
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
