// The server's validator (docs/protocol.md §7): server owner, colony owner and colony membership, with its exact texts.
import { ExecutorState } from '../colonies/types';
import { forbidden } from './errors';
import type { ColonyState } from './state';

export function requireServerOwner(state: ColonyState, callerId: string): void {
  if (callerId !== state.serverId) throw forbidden('Access denied, not server owner');
}

export function requireColonyOwner(state: ColonyState, callerId: string, colonyName: string): void {
  if (colonyName === '') throw forbidden('Empty Colony name');
  const colony = state.colonies.get(colonyName);
  if (!colony) throw forbidden(`Colony with name <${colonyName}> does not exists`);
  if (callerId !== colony.colonyid) throw forbidden('Access denied, not colony owner');
}

/** Returns the failure text, or undefined for a member. Executor check first, then the user check decides the message. */
export function membershipError(state: ColonyState, callerId: string, colonyName: string, approved: boolean): string | undefined {
  const colony = state.colonies.get(colonyName);
  if (colony) {
    const executor = state.executorById(callerId);
    if (executor && executor.colonyname === colony.name && (!approved || executor.state === ExecutorState.APPROVED)) {
      return undefined;
    }
  }
  if (!colony) return `Colony with name <${colonyName}> does not exists`;
  if (!state.userById(colony.name, callerId)) return `Access denied, not a member of Colony with name <${colony.name}>`;
  return undefined;
}

export function requireMembership(state: ColonyState, callerId: string, colonyName: string, approved = true): void {
  const err = membershipError(state, callerId, colonyName, approved);
  if (err !== undefined) throw forbidden(err);
}

export function isExecutor(state: ColonyState, callerId: string): boolean {
  return state.executorById(callerId) !== undefined;
}
