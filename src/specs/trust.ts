// The Restricted Mode gate for submitting: a workspace's spec files run code on someone's executors with the user's
// key, so they are submitted only from a trusted workspace. Parsing and validation still work in Restricted Mode.
import * as vscode from 'vscode';
import { UserFacingError } from '../base/errors';

export const RESTRICTED_SUBMIT_TEXT = 'Restricted Mode: trust this workspace to submit its spec files.';
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/** Throws the reason, with a "Manage Workspace Trust" action, when the workspace is not trusted. */
export function requireTrustToSubmit(): void {
  if (!vscode.workspace.isTrusted) {
    throw new UserFacingError(RESTRICTED_SUBMIT_TEXT, [{ title: 'Manage Workspace Trust', command: MANAGE_TRUST_COMMAND }]);
  }
}
