import type { AnyKrmFunction } from '../krm/function.js';
import { securityContext } from './security-context/index.js';

/** Every krmkit function, in the order `--help` lists them. */
export const FUNCTIONS: readonly AnyKrmFunction[] = [securityContext];
