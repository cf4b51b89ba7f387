import { formatPath, type Path } from './path.js';

/** Where in the input a problem is: enough for a user to find it without a debugger. */
export interface InputLocation {
  /** 0-based index of the document in the stream, or of the item in a ResourceList. */
  documentIndex?: number;
  /** `apps/v1 Deployment shop/api`, when the document got far enough to have one. */
  resource?: string;
  /** 1-based line in the input. */
  line?: number;
  field?: Path;
}

/**
 * Input or configuration krmkit cannot use. The CLI turns it into exit code 2 and a
 * message on stderr, and writes nothing on stdout.
 */
export class KrmInputError extends Error {
  readonly location: InputLocation;
  constructor(problem: string, location: InputLocation = {}) {
    super(describe(problem, location));
    this.name = 'KrmInputError';
    this.location = location;
  }
}

function describe(problem: string, where: InputLocation): string {
  const parts: string[] = [];
  if (where.documentIndex !== undefined) parts.push(`document ${where.documentIndex}`);
  if (where.resource) parts.push(where.resource);
  if (where.line !== undefined) parts.push(`line ${where.line}`);
  const field = where.field && where.field.length > 0 ? `${formatPath(where.field)}: ` : '';
  return parts.length > 0 ? `${parts.join(', ')}: ${field}${problem}` : `${field}${problem}`;
}

/** A configuration problem: names the function and the option. */
export class KrmConfigError extends KrmInputError {
  constructor(functionName: string, problem: string, field?: Path) {
    super(`${functionName} config: ${problem}`, field ? { field } : {});
    this.name = 'KrmConfigError';
  }
}
