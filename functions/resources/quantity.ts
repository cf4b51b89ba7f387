/**
 * Kubernetes resource quantities (`500m`, `0.5`, `1Gi`, `1024Mi`, `1e3`), read exactly so
 * that two spellings of one amount compare equal. The grammar is the API's
 * (k8s.io/apimachinery resource.Quantity): a signed decimal number, then a binary suffix
 * (Ki … Ei), a decimal one (n, u, m, k, M, G, T, P, E) or an exponent (e3, E-2).
 * An amount is kept as a fraction of big integers: binary and decimal suffixes mix, and
 * floating point would make `0.1` and `100m` differ.
 */
export interface Quantity {
  numerator: bigint;
  denominator: bigint;
}

const NUMBER = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(.*)$/;
const EXPONENT = /^[eE]([+-]?\d+)$/;
const MAX_EXPONENT = 1000n;
const BINARY: Readonly<Record<string, number>> = { Ki: 1, Mi: 2, Gi: 3, Ti: 4, Pi: 5, Ei: 6 };
const DECIMAL: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The quantity a value spells, or undefined when it is not one (YAML numbers count: `cpu: 1`). */
export function parseQuantity(value: unknown): Quantity | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? parseQuantity(String(value)) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = NUMBER.exec(value.trim());
  if (!match) return undefined;
  const [, sign = '', digits = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = digits.split('.');
  let numerator = BigInt(`${whole}${fraction}` || '0') * (sign === '-' ? -1n : 1n);
  let denominator = 10n ** BigInt(fraction.length);
  const scale = (exponent: bigint, base: bigint): void => {
    if (exponent >= 0n) numerator *= base ** exponent;
    else denominator *= base ** -exponent;
  };
  const exponent = EXPONENT.exec(suffix);
  if (exponent) {
    // The API parses exponents into an int32 and caps amounts far below this; the bound only
    // keeps a hostile `1e999999999` from costing minutes of big-integer arithmetic.
    const power = BigInt(exponent[1] as string);
    if (power > MAX_EXPONENT || power < -MAX_EXPONENT) return undefined;
    scale(power, 10n);
  }
  else if (Object.hasOwn(BINARY, suffix)) scale(BigInt(BINARY[suffix] as number), 1024n);
  else if (Object.hasOwn(DECIMAL, suffix)) scale(BigInt(DECIMAL[suffix] as number), 10n);
  else return undefined;
  return { numerator, denominator };
}

/** Negative when `a` is less than `b`, zero when equal, positive when greater. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isNegative(quantity: Quantity): boolean {
  return quantity.numerator < 0n;
}
