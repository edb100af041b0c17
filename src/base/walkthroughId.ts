// The Get Started walkthrough's id as workbench.action.openWalkthrough wants it: `publisher.name#id` (package.json
// contributes.walkthroughs). No `vscode` import: the manifest test checks it against package.json.
export const WALKTHROUGH_ID = 'gettingStarted';

export function walkthroughId(manifest: { publisher?: string; name?: string }): string {
  return `${manifest.publisher ?? 'colonyos'}.${manifest.name ?? 'colonyos-vscode'}#${WALKTHROUGH_ID}`;
}
