// Types for scripts/package.mjs, for the packaging unit test.
export const REQUIRED_VSIX_FILES: string[];
export function vsixContentProblems(names: string[]): string[];
export function zipEntryNames(file: string): string[];
export function packageExtension(out: string): Promise<string[]>;
