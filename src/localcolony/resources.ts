// Resource strings as a v1.9.12 server reads them when it places a process (README "Why is it waiting?"): cpu in
// millicores only with an "m" suffix (anything else counts as 0), memory with a unit (Ki, Mi, Gi, TiB, K, M, G, …).
// A process's cpu and mem must be at most what the executor offers in its assign request (unlimited when it sends
// none); nodes, processes and processespernode at most 127. gpu, storage and walltime are not compared.
import { badRequest } from './errors';

const UNITS: ReadonlyArray<[string, bigint]> = (
  [
    ['KiB', 1024n], ['MiB', 1024n ** 2n], ['GiB', 1024n ** 3n], ['TiB', 1024n ** 4n],
    ['Ki', 1024n], ['Mi', 1024n ** 2n], ['Gi', 1024n ** 3n],
    ['KB', 1000n], ['MB', 1000n ** 2n], ['GB', 1000n ** 3n], ['TB', 1000n ** 4n], ['K', 1000n], ['M', 1000n ** 2n], ['G', 1000n ** 3n],
  ] as Array<[string, bigint]>
).sort((a, b) => b[0].length - a[0].length);

/** Millicores, or undefined when the text ends in "m" but is not a number (the server's conversion error). */
export function cpuMillis(text: string): bigint | undefined {
  if (!text.endsWith('m')) return 0n;
  const n = text.slice(0, -1);
  return /^[+-]?\d+$/.test(n) ? BigInt(n) : undefined;
}

/** Bytes; 0 for ""; undefined when the server could not convert it. Units match ignoring case. */
export function memBytes(text: string): bigint | undefined {
  if (text === '') return 0n;
  const unit = UNITS.find(([u]) => text.toUpperCase().endsWith(u.toUpperCase()));
  if (!unit) return undefined;
  const n = text.slice(0, text.length - unit[0].length);
  return /^[+-]?\d+$/.test(n) ? BigInt(n) * unit[1] : undefined;
}

/** What an executor offers in one assign request; undefined fields mean "no limit". */
export interface Offer {
  cpu?: bigint;
  mem?: bigint;
}

/** Reads availablecpu / availablemem as the assign handler does (400 on text it cannot convert). */
export function parseOffer(availableCpu: string, availableMem: string): Offer {
  const offer: Offer = {};
  if (availableCpu !== '') {
    offer.cpu = cpuMillis(availableCpu);
    if (offer.cpu === undefined) throw badRequest('Error converting CPU to int');
  }
  if (availableMem !== '') {
    offer.mem = memBytes(availableMem);
    if (offer.mem === undefined) throw badRequest('error converting memory to int');
  }
  return offer;
}

/** The largest nodes / processes / processespernode the server ever assigns (it compares with math.MaxInt8). */
export const RESOURCE_CEILING = 127;

/** Whether a process's resource conditions fit the offer. */
export function fitsOffer(c: { cpu?: string; mem?: string; nodes?: number; processes?: number; processespernode?: number }, offer: Offer): boolean {
  if ((c.nodes ?? 0) > RESOURCE_CEILING || (c.processes ?? 0) > RESOURCE_CEILING || (c.processespernode ?? 0) > RESOURCE_CEILING) return false;
  if (offer.cpu !== undefined && (cpuMillis(c.cpu ?? '') ?? 0n) > offer.cpu) return false;
  if (offer.mem !== undefined && (memBytes(c.mem ?? '') ?? 0n) > offer.mem) return false;
  return true;
}

/** A stored cpu as the server reads it back: millicores with "m" ("2" reads back as "0m"). */
export function cpuText(text: string): string {
  return `${cpuMillis(text ?? '') ?? 0n}m`;
}

/** A stored memory size as the server reads it back: whole MiB, rounded down ("2Gi" reads back as "2048Mi"). */
export function memText(text: string): string {
  return `${(memBytes(text ?? '') ?? 0n) / 1024n ** 2n}Mi`;
}
