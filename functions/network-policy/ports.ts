import { KrmConfigError } from '../../krm/base/errors.js';
import { describeValue } from '../../krm/base/messages.js';
import { isPlainMap, type Path } from '../../krm/base/path.js';

export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** A NetworkPolicy port: a number, or a container port name resolved on the selected pods. */
export interface PolicyPort {
  protocol: Protocol;
  port: number | string;
}

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** An IANA service name, as container ports are named: letters required, at most 15. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

export function portKey(port: PolicyPort): string {
  return `${port.protocol}/${port.port}`;
}

/** Adds ports not yet in the list, keeping first-seen order. */
export function addPorts(into: PolicyPort[], ports: readonly PolicyPort[]): void {
  for (const port of ports) {
    if (!into.some((existing) => portKey(existing) === portKey(port))) into.push(port);
  }
}

/** As the object should read: `protocol` then `port`. */
export function renderPort(port: PolicyPort): Record<string, unknown> {
  return { protocol: port.protocol, port: port.port };
}

/**
 * Flow ports as users write them: `8080`, `"8080/TCP"`, `"53/udp"`, a port name (`http`), or
 * `{port, protocol}`. Protocol defaults to TCP.
 */
export function parsePorts(raw: unknown, path: Path): PolicyPort[] {
  if (raw === undefined || raw === null) return [];
  const list = Array.isArray(raw) ? raw : [raw];
  const ports: PolicyPort[] = [];
  list.forEach((entry: unknown, index) => addPorts(ports, [parsePort(entry, Array.isArray(raw) ? [...path, index] : path)]));
  return ports;
}

function parsePort(raw: unknown, path: Path): PolicyPort {
  if (isPlainMap(raw)) {
    for (const key of Object.keys(raw)) {
      if (key !== 'port' && key !== 'protocol') throw new KrmConfigError('network-policy', `unknown field ${JSON.stringify(key)} (fields: port, protocol)`, [...path, key]);
    }
    const protocol = raw.protocol === undefined ? 'TCP' : parseProtocol(raw.protocol, [...path, 'protocol']);
    return { protocol, port: parsePortValue(raw.port, [...path, 'port']) };
  }
  if (typeof raw === 'string') {
    const match = /^([^/]+)\/(.+)$/.exec(raw.trim());
    if (match) return { port: parsePortValue(match[1], path), protocol: parseProtocol(match[2], path) };
  }
  return { protocol: 'TCP', port: parsePortValue(raw, path) };
}

function parsePortValue(raw: unknown, path: Path): number | string {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  const number = typeof text === 'number' ? text : typeof text === 'string' && /^\d+$/.test(text) ? Number(text) : undefined;
  if (number !== undefined) {
    if (Number.isInteger(number) && number >= 1 && number <= 65535) return number;
    throw new KrmConfigError('network-policy', `expected a port between 1 and 65535, got ${describeValue(raw)}`, path);
  }
  if (typeof text === 'string' && PORT_NAME.test(text)) return text;
  throw new KrmConfigError('network-policy', `expected a port number, "8080/TCP", a port name or {port, protocol}, got ${describeValue(raw)}`, path);
}

function parseProtocol(raw: unknown, path: Path): Protocol {
  const upper = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  const protocol = PROTOCOLS.find((candidate) => candidate === upper);
  if (!protocol) throw new KrmConfigError('network-policy', `expected a protocol (TCP, UDP or SCTP), got ${describeValue(raw)}`, path);
  return protocol;
}
