// Where in a spec or workflow the cursor is, as far as the function catalog cares: a `funcname` value, a
// `conditions.executortype` / `conditions.locationname` value, an item of `conditions.executornames`, or a key of
// `kwargs`. Pure (no `vscode` import): the completion and hover providers and the unit tests share it. Works on
// half-typed text too (jsonc-parser's scanner recovers), since completion runs while the file is broken.
import { findNodeAtLocation, getLocation, parseTree, type Node } from 'jsonc-parser/lib/esm/main.js';
import type { SpecKind } from './detect';
import type { JsonPath } from './jsonText';

export type CatalogSlot = 'funcname' | 'executortype' | 'executorname' | 'locationname' | 'kwargsKey';

export interface CatalogPlace {
  slot: CatalogSlot;
  /** The spec the cursor is in: [] for a function spec, [i] or ['functionspecs', i] in a workflow. */
  specPath: JsonPath;
  /** The string under the cursor (a value, or the key for `kwargsKey`), quotes included; absent before one is typed. */
  node?: { offset: number; length: number; value: string };
  /** The spec's `funcname` and `conditions.executortype` when they are strings (for kwargs keys and ordering). */
  funcname?: string;
  executortype?: string;
  /** kwargs keys already written (not offered again). */
  presentKeys: string[];
  /** A ":" follows the key under the cursor, so completing a key must not add another. */
  colonFollows: boolean;
}

/** The spec part of a path and the rest, or undefined when the path is not inside a spec of a document of `kind`. */
export function splitSpecPath(path: JsonPath, kind: SpecKind): { specPath: JsonPath; rest: JsonPath } | undefined {
  if (kind === 'funcspec') return { specPath: [], rest: path };
  if (typeof path[0] === 'number') return { specPath: [path[0]], rest: path.slice(1) };
  if (path[0] === 'functionspecs' && typeof path[1] === 'number') return { specPath: path.slice(0, 2), rest: path.slice(2) };
  return undefined;
}

function slotOf(rest: JsonPath, atKey: boolean): CatalogSlot | undefined {
  if (atKey) return rest.length === 2 && rest[0] === 'kwargs' ? 'kwargsKey' : undefined;
  if (rest.length === 1 && rest[0] === 'funcname') return 'funcname';
  if (rest.length === 2 && rest[0] === 'conditions' && rest[1] === 'executortype') return 'executortype';
  if (rest.length === 2 && rest[0] === 'conditions' && rest[1] === 'locationname') return 'locationname';
  if (rest.length === 3 && rest[0] === 'conditions' && rest[1] === 'executornames' && typeof rest[2] === 'number') return 'executorname';
  return undefined;
}

function stringAt(root: Node | undefined, path: JsonPath): string | undefined {
  const node = root ? findNodeAtLocation(root, path) : undefined;
  return node?.type === 'string' && typeof node.value === 'string' ? node.value : undefined;
}

function objectKeys(root: Node | undefined, path: JsonPath): string[] {
  const node = root ? findNodeAtLocation(root, path) : undefined;
  if (node?.type !== 'object') return [];
  return (node.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string');
}

/** The catalog place at `offset` in `text`, a document of `kind`; undefined where the catalog has nothing to say. */
export function catalogPlaceAt(text: string, offset: number, kind: SpecKind): CatalogPlace | undefined {
  const location = getLocation(text, offset);
  const split = splitSpecPath(location.path, kind);
  if (!split) return undefined;
  const slot = slotOf(split.rest, location.isAtPropertyKey);
  if (!slot) return undefined;
  const prev = location.previousNode;
  let node: CatalogPlace['node'];
  // previousNode is the string the cursor is in (or right after); for a key, the property whose key that is.
  const str = prev?.type === (slot === 'kwargsKey' ? 'property' : 'string') ? prev : undefined;
  if (str && offset >= str.offset && offset <= str.offset + str.length) {
    node = { offset: str.offset, length: str.length, value: typeof str.value === 'string' ? str.value : '' };
  }
  const root = parseTree(text, [], { allowTrailingComma: true, allowEmptyContent: true });
  const spec = split.specPath;
  let colonFollows = false;
  if (slot === 'kwargsKey' && node) {
    const after = text.slice(node.offset + node.length).trimStart();
    colonFollows = after.startsWith(':');
  }
  return {
    slot,
    specPath: spec,
    node,
    funcname: stringAt(root, [...spec, 'funcname']),
    executortype: stringAt(root, [...spec, 'conditions', 'executortype']),
    presentKeys: objectKeys(root, [...spec, 'kwargs']).filter((k) => k !== node?.value),
    colonFollows,
  };
}
