// Types for scripts/demo.mjs, for its tests.
/** Why node_modules does not match package-lock.json (undefined when it does). */
export function nodeModulesProblem(root?: string): string | undefined;
export function ensureNodeModules(install?: boolean, tell?: (message: string) => void): void;
