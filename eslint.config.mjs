// Lint config. Besides the usual checks it enforces the one-way import direction of DESIGN.md §1:
// core imports nothing of host/webview/cli/vscode/native modules; webview and cli never import host or vscode.
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
  {
    files: ['src/core/**/*.ts'],
    rules: restrict(
      ['vscode', 'sharp', 'onnxruntime-node', '**/host/**', '**/cli/**', '**/webview/**', '**/protocol'],
      'src/core is pure: no vscode, no native modules, no host/cli/webview imports (DESIGN.md §1).',
    ),
  },
  {
    files: ['src/protocol.ts'],
    rules: restrict(
      ['vscode', 'sharp', 'onnxruntime-node', '**/host/**', '**/cli/**', '**/webview/**'],
      'protocol.ts depends on core types only.',
    ),
  },
  {
    files: ['webview/**/*.ts'],
    rules: restrict(
      ['vscode', 'sharp', 'onnxruntime-node', '**/host/**', '**/cli/**', 'node:*', 'fs', 'path'],
      'webview code is DOM-only: talk to the host through src/protocol.ts.',
    ),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(
      [
        'vscode',
        '**/host/commands/**',
        '**/host/viewer/**',
        '**/host/diagnostics/**',
        '**/webview/**',
        '**/extension',
      ],
      'the CLI runs without VS Code: core (and vscode-free host/imaging, host/model adapters) only.',
    ),
  },
  {
    files: ['src/host/imaging/**/*.ts', 'src/host/model/**/*.ts', 'src/host/workers/**/*.ts'],
    ignores: ['src/host/model/**/*Command*.ts'],
    rules: restrict(
      ['vscode'],
      'imaging, model and workers adapters are shared with the CLI and worker threads: no vscode import.',
    ),
  },
);
