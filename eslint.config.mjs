// Lint config. Besides the usual checks it enforces the one-way import direction of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: patterns.map((group) => ({ group: [group], message })) }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test-host/**', 'test-output/**', 'demo/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // The four zones of docs/architecture.md, plus the protocol and the webview. Imports go one way:
  //   core ← node ← {vscode, cli};  core ← protocol ← {vscode, webview};  webview → core/viewmodel (pure view logic).
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      [
        'vscode',
        'sharp',
        'onnxruntime-node',
        'node:*',
        '**/node/**',
        '**/vscode/**',
        '**/cli/**',
        '**/webview/**',
        '**/protocol',
        '**/protocol/**',
      ],
      'src/core is pure: it imports only src/core (docs/architecture.md, "Zones").',
    ),
  },
  {
    files: ['src/protocol/**/*.ts'],
    rules: restrict(
      [
        'vscode',
        'sharp',
        'onnxruntime-node',
        'node:*',
        '**/node/**',
        '**/vscode/**',
        '**/cli/**',
        '**/webview/**',
      ],
      'src/protocol is the host↔webview contract: it imports only src/core.',
    ),
  },
  {
    files: ['src/node/**/*.ts'],
    rules: restrict(
      [
        'vscode',
        '**/vscode/**',
        '**/cli/**',
        '**/webview/**',
        '**/protocol',
        '**/protocol/**',
        '**/extension',
      ],
      'src/node is shared by the extension, the CLI and worker threads: it imports only src/core (no vscode).',
    ),
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: restrict(
      ['**/cli/**', '**/webview/**'],
      'the VS Code zone imports node, core and protocol — never the CLI or the webview.',
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(
      ['vscode', '**/vscode/**', '**/webview/**', '**/protocol', '**/protocol/**', '**/extension'],
      'the CLI runs without VS Code: it imports node and core only.',
    ),
  },
  {
    files: ['webview/**/*.ts'],
    rules: restrict(
      [
        'vscode',
        'sharp',
        'onnxruntime-node',
        'node:*',
        'fs',
        'path',
        '**/src/node/**',
        '**/src/vscode/**',
        '**/src/cli/**',
        '**/src/core/!(viewmodel)/**',
        '**/src/core/*.ts',
        '**/src/extension',
      ],
      'webview code is DOM-only: it talks to the host through src/protocol and may use the pure view logic of src/core/viewmodel.',
    ),
  },
);
