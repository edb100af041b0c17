// Where the local colony may listen. It speaks plain HTTP and, by default, trusts ColonyOS's public development keys:
// on a network interface, anyone who can reach the port can act as the server owner, the colony owner and its user.
import { isIP } from 'node:net';

/**
 * True for bind addresses that accept connections from this machine only: `localhost`, 127.0.0.0/8, ::1 and the
 * IPv4-mapped form of 127.0.0.0/8. `0.0.0.0`, `::`, an empty host and any other name or address are not.
 */
export function isLoopbackBindAddress(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost') return true;
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) return isIP(v4.slice(1).join('.')) === 4 && v4[1] === '127';
  if (isIP(h) !== 6) return false;
  // Every spelling of ::1: all groups zero but a last group of 1.
  const groups = h.includes('::') ? expandIpv6(h) : h.split(':');
  return groups.length === 8 && groups.slice(0, 7).every((g) => /^0{1,4}$/.test(g)) && /^0{0,3}1$/.test(groups[7]);
}

function expandIpv6(h: string): string[] {
  const [left, right] = h.split('::');
  const l = left ? left.split(':') : [];
  const r = right ? right.split(':') : [];
  return [...l, ...Array<string>(Math.max(0, 8 - l.length - r.length)).fill('0'), ...r];
}

export function remoteBindRefusal(host: string): string {
  return (
    `Refusing to listen on ${host}: that is reachable from other machines. The local colony speaks plain HTTP and ` +
    'trusts the public ColonyOS development keys, so anyone who reaches the port could act as its server owner, ' +
    'colony owner and user, and read every request. Listen on 127.0.0.1 (the default), or pass --allow-remote ' +
    '(allowRemote: true) on a network you control.'
  );
}

export function remoteBindWarning(host: string): string {
  return (
    `WARNING: the local colony listens on ${host}, reachable from other machines, over plain HTTP. Anyone who can ` +
    'reach the port can use the development keys it trusts (they are public), act as server owner, colony owner ' +
    'and user, and read or replay every request. Use it only on a network you control, and never with real keys.'
  );
}
