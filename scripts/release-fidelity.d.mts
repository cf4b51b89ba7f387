export interface FidelityCase {
  name: string;
  args: string[];
  input: string;
}
export function fidelityCases(): FidelityCase[];
