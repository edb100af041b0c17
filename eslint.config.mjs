// `npm run lint` (also a tier of `npm test`): typescript-eslint's recommended rules with type information, plus the
// rules that keep the layers of docs/architecture.md: the client, the local colony and the process store never import
// `vscode`; a layer never imports one above it; no promise is left floating.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers from the bottom up; each may import only the ones before it (and itself). */
const LAYERS = ['colonies', 'localcolony', 'base', 'store', 'connection', 'views', 'panels', 'specs'];
const NO_VSCODE = ['colonies', 'localcolony', 'store'];

/** no-restricted-imports patterns for one layer: every layer above it, by relative path from any depth. */
function layerRule(layer) {
  const above = LAYERS.slice(LAYERS.indexOf(layer) + 1);
  const patterns = above.map((name) => ({
    group: [`../${name}`, `../${name}/*`, `../../${name}`, `../../${name}/*`],
    message: `${layer}/ is below ${name}/ (docs/architecture.md): move the shared code down, or pass it in.`,
  }));
  if (NO_VSCODE.includes(layer)) {
    patterns.push({ group: ['vscode'], message: `${layer}/ runs without VS Code (tests, CLIs, the bench): no vscode import.` });
  }
  return {
    files: [`src/${layer}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.artifacts/**', '.demo-workspace/**', 'test/fixtures/**', '**/*.mjs', '**/*.js', '**/*.d.mts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // The client parses untrusted JSON on purpose; these would flag every guard that narrows `unknown` by hand.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      // Async methods that implement an interface (getChildren, deserializeWebviewPanel) need not await.
      '@typescript-eslint/require-await': 'off',
      // Detecting control characters in what executors send is the point of those expressions.
      'no-control-regex': 'off',
      // A disposable assigned after the closure that disposes it is declared (read before assignment) stays `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  ...LAYERS.map(layerRule),
  {
    // Tests and benchmarks read hostile or raw wire values (`any`, stringified in messages) and load built bundles
    // with require().
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
