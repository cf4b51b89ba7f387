/**
 * The `$(VAR)` references Kubernetes expands in an env var's `value`, read exactly as the
 * kubelet reads them (k8s.io/kubernetes third_party/forked/golang/expansion): `$$` is an
 * escaped `$` (so `$$(VAR)` is the literal text `$(VAR)`), `$(NAME)` is a reference, and a
 * `$(` without a closing `)` is literal text.
 *
 * Kubernetes expands a reference only to a variable defined *before* it: by an envFrom
 * source, or by an earlier `env` entry. Anything else stays as the literal `$(NAME)`.
 */
export function variableReferences(value: string): string[] {
  const names: string[] = [];
  for (let cursor = 0; cursor < value.length - 1; cursor++) {
    if (value[cursor] !== '$') continue;
    const next = value[cursor + 1];
    if (next === '(') {
      const close = value.indexOf(')', cursor + 2);
      if (close === -1) {
        cursor += 1;
        continue;
      }
      const name = value.slice(cursor + 2, close);
      // `$()` names nothing; the kubelet leaves it as text and so does this check.
      if (name !== '' && !names.includes(name)) names.push(name);
      cursor = close;
    } else {
      // `$$` and `$x` are both two characters of text: skip the second so `$$(` cannot open.
      cursor += 1;
    }
  }
  return names;
}
