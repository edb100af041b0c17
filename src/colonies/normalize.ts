// Normalisers of server replies: processes and logs (their int64 fields as bigint), lists, and which states are final.

import { toBigInt } from './json';
import { ColoniesTransportError } from './rpc';
import { ProcessState, type Log, type Process } from './types';

export function isTerminal(state: ProcessState): boolean {
  return state === ProcessState.SUCCESS || state === ProcessState.FAILED || state === ProcessState.CANCELLED;
}

export function normalizeProcess(value: unknown): Process {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new ColoniesTransportError('Server reply is not a process', 'protocol');
  }
  const p = value as Process;
  p.prioritytime = toBigInt(p.prioritytime);
  return p;
}

export function normalizeLog(value: unknown): Log {
  const l = value as Log;
  l.timestamp = toBigInt(l.timestamp);
  return l;
}

export function asList<T>(value: unknown, what: string, map: (v: unknown) => T = (v) => v as T): T[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new ColoniesTransportError(`Server reply to ${what} is not a list`, 'protocol');
  return value.map(map);
}
