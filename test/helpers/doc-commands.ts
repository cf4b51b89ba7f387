import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The `krmkit …` command lines the documentation shows: in the shell blocks of README.md,
 * docs/*.md, functions/<name>/README.md, cli/**\/README.md and the gitops/ folder (its
 * READMEs' blocks, and its plugin and helmfile files whole), and in inline code. A command
 * line is a shell segment (between `|`, `&&`, `||` and `;`) that starts with `krmkit`,
 * `$ krmkit` or the bundle (`node dist/krmkit.cjs`, `dist/krmkit.cjs`), after any
 * `NAME=value` assignments, or the program of kpt's `--exec`.
 */
export interface DocCommand {
  /** `docs/integrations.md:39`. */
  where: string;
  /** The segment as written. */
  text: string;
  /** The arguments after the program, as the shell passes them. */
  args: string[];
  /** `NAME=value` assignments before the program. */
  env: Record<string, string>;
}

export function docCommands(root: string): DocCommand[] {
  return docFiles(root).flatMap((file) => commandsIn(relative(root, file), readFileSync(file, 'utf8')));
}

function docFiles(root: string): string[] {
  const inFolder = (folder: string, keep: (name: string) => boolean): string[] =>
    readdirSync(join(root, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => keep(name) && statSync(join(root, folder, name)).isFile())
      .map((name) => join(root, folder, name));
  const readmes = (name: string): boolean => name === 'README.md' || name.endsWith('/README.md');
  return [
    join(root, 'README.md'),
    ...inFolder('docs', (name) => name.endsWith('.md') && !name.includes('/')),
    ...inFolder('functions', (name) => /^[^/]+\/README\.md$/.test(name)),
    ...inFolder('cli', readmes),
    ...inFolder('gitops', (name) => readmes(name) || /\.(ya?ml|gotmpl)$/.test(name)),
  ].sort();
}

/** Markdown: the lines of fenced blocks and the inline code spans; any other file: every line. */
function commandsIn(path: string, text: string): DocCommand[] {
  const lines = text.split('\n');
  const markdown = path.endsWith('.md');
  const commands: DocCommand[] = [];
  const add = (lineNumber: number, line: string, inline = false): void => {
    for (const segment of segments(line)) {
      const command = asKrmkitCommand(segment);
      // In prose, `krmkit` alone is the program's name, not a command line.
      if (command && !(inline && command.args.length === 0 && !segment.words.includes('--exec'))) commands.push({ where: `${path}:${lineNumber}`, ...command });
    }
  };
  let inBlock = false;
  const prose: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    let line = lines[index] as string;
    const fence = markdown && /^\s*```/.test(line);
    if (fence) inBlock = !inBlock;
    prose.push(markdown && !inBlock && !fence ? line : '');
    if (fence || (markdown && !inBlock)) continue;
    const start = index;
    while (line.endsWith('\\') && index + 1 < lines.length) {
      line = `${line.slice(0, -1)} ${(lines[++index] as string).trim()}`;
      prose.push('');
    }
    add(start + 1, line);
  }
  // Inline code may wrap onto the next line of a paragraph; in tables `\|` is a pipe.
  const proseText = prose.join('\n');
  for (const span of proseText.matchAll(/`([^`]+)`/g)) {
    add(proseText.slice(0, span.index).split('\n').length, (span[1] as string).replaceAll('\n', ' ').replaceAll('\\|', '|'), true);
  }
  return commands;
}

interface Segment {
  text: string;
  words: string[];
}

/**
 * Splits a shell line into its commands' words: quotes removed, `# comments` and
 * redirections (`< file`, `2>&1`) dropped. Enough of the shell for documentation, not all
 * of it: `$VAR` stays as written.
 */
function segments(line: string): Segment[] {
  const found: Segment[] = [];
  let words: string[] = [];
  let word: string | undefined;
  let begin = 0;
  let redirect = false;
  let stop = line.length;
  const endWord = (): void => {
    if (word === undefined) return;
    if (redirect) redirect = false;
    else if (/^\d?[<>]/.test(word)) redirect = !/^\d?[<>]+&?\S/.test(word);
    else words.push(word);
    word = undefined;
  };
  const endSegment = (end: number): void => {
    endWord();
    if (words.length > 0) found.push({ text: line.slice(begin, end).trim(), words });
    words = [];
    redirect = false;
  };
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (char === "'" || char === '"') {
      const close = line.indexOf(char, index + 1);
      const end = close === -1 ? line.length : close;
      word = (word ?? '') + line.slice(index + 1, end);
      index = end;
    } else if (/\s/.test(char)) {
      endWord();
    } else if (char === '#' && word === undefined) {
      stop = index;
      break;
    } else if ('|;&'.includes(char) && !(char === '&' && word !== undefined && /[<>]$/.test(word))) {
      endSegment(index);
      while (index + 1 < line.length && '|;&'.includes(line[index + 1] as string)) index++;
      begin = index + 1;
    } else {
      word = (word ?? '') + char;
    }
  }
  endSegment(stop);
  return found;
}

const PROGRAMS = [['krmkit'], ['$', 'krmkit'], ['node', 'dist/krmkit.cjs'], ['dist/krmkit.cjs'], ['./dist/krmkit.cjs']];

function asKrmkitCommand(segment: Segment): Omit<DocCommand, 'where'> | undefined {
  const env: Record<string, string> = {};
  let words = segment.words;
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0] as string)) {
    const [name, ...value] = (words[0] as string).split('=');
    env[name as string] = value.join('=');
    words = words.slice(1);
  }
  // `kpt fn eval … --exec "krmkit security-context"` runs that command line (the `-- key=value`
  // after it become the ResourceList's functionConfig, not arguments).
  const exec = words.indexOf('--exec');
  const execWords = exec === -1 ? [] : (words[exec + 1] ?? '').split(' ');
  if (execWords[0] === 'krmkit' || execWords[0]?.endsWith('/krmkit')) return { text: segment.text, args: execWords.slice(1), env };
  const program = PROGRAMS.find((prefix) => prefix.every((part, index) => words[index] === part));
  if (!program) return undefined;
  return { text: segment.text, args: words.slice(program.length), env };
}
