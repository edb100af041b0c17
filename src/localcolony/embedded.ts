// Entry point of dist/localcolony-embedded.js: the part of the local colony the extension loads only when the
// user runs "Start Local Colony", so the server and demo executors stay out of the extension's own bundle.
export { startLocalColony } from './start';
export type { LocalColony } from './start';
