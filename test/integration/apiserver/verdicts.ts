/**
 * PodSecurity's verdicts as the API server words them, e.g.
 *   violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container
 *   "app" must set securityContext.allowPrivilegeEscalation=false), runAsNonRoot != true (pod
 *   or container "app" must set securityContext.runAsNonRoot=true)
 * parsed into the controls it names and the containers each names, so they can be compared
 * one for one with krmkit's audit findings.
 */
export interface Violation {
  /** The check's label: `allowPrivilegeEscalation != false`, `host namespaces`, `hostPath volumes` … */
  control: string;
  /** The containers the detail names (empty when it names only the pod or volumes). */
  containers: string[];
  detail: string;
}

/**
 * Splits at ", " outside parentheses and brackets. (Quotes are not tracked: the server
 * quotes values that contain quotes, `"…/db="unconfined""`, without escaping them.)
 */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (depth === 0 && char === ',' && text[index + 1] === ' ') {
      parts.push(text.slice(start, index));
      start = index + 2;
    }
  }
  parts.push(text.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

export function parseViolations(list: string): Violation[] {
  return splitTopLevel(list).map((item) => {
    const open = item.indexOf(' (');
    const control = open === -1 ? item : item.slice(0, open);
    const detail = open === -1 ? '' : item.slice(open + 2, item.endsWith(')') ? -1 : undefined);
    const containers = new Set<string>();
    for (const match of detail.matchAll(/containers? ((?:"[^"]*"(?:, | and )?)+)/g)) {
      for (const name of (match[1] as string).matchAll(/"([^"]*)"/g)) containers.add(name[1] as string);
    }
    return { control, containers: [...containers].sort(), detail };
  });
}

/** The list after `violates PodSecurity "<level>:<version>": ` (or `would violate …`), if the text has one. */
export function violationList(text: string): { level: string; list: string } | undefined {
  const match = /(?:would )?violates? PodSecurity "([a-z]+):[^"]*": (.*)$/m.exec(text);
  return match ? { level: match[1] as string, list: match[2] as string } : undefined;
}
