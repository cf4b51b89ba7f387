import { connectivityMermaid, connectivityOf, connectivityTable } from '../functions/network-policy/connectivity.js';
import { readInput } from '../krm/stream/input.js';
import { processIo, reportFailure, EXIT_OK, type Io } from './execute.js';

/**
 * `krmkit connectivity < output.yaml`: the flows the stream's NetworkPolicies allow, as a
 * table (from, to, port, why) and a Mermaid diagram. Reads only; writes no manifests.
 */
export async function connectivity(maxInputBytes: number, io: Io = processIo): Promise<number> {
  try {
    const input = readInput(await io.readInput(maxInputBytes), { maxBytes: maxInputBytes });
    const flows = connectivityOf(input.resources);
    io.stdout(`${connectivityTable(flows)}\n\`\`\`mermaid\n${connectivityMermaid(flows)}\`\`\`\n`);
    return EXIT_OK;
  } catch (error) {
    return reportFailure(error, io.stderr);
  }
}
