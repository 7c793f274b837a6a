// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const lib = (name) => [`@gatehouse/${name}/*`, `**/libs/${name}/src/*`];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', 'bench/**', 'scripts/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/apps/*/src/**', '../../apps/**'], message: 'Libs and other apps never import an app.' },
            {
              // Two libs have a second, documented entry point: tracing loads before the app (docs/adr/0013), and
              // the resource server's NestJS part stays out of its framework-free core (docs/adr/0021).
              group: [...lib('*'), '!@gatehouse/observability/tracing', '!@gatehouse/resource-server/nest'],
              message: 'Import a lib only through its index: @gatehouse/<lib>.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only persistence talks to TypeORM and pg; pure libs import no NestJS and no database.
    files: ['libs/{config,protocol,pkce,tokens,risk,audit,observability,resource-server,oauth-client}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'typeorm', message: 'Only libs/persistence imports TypeORM.' },
            { name: 'pg', message: 'Only libs/persistence imports pg.' },
          ],
          patterns: [{ group: ['**/apps/**'], message: 'Libs never import apps.' }],
        },
      ],
    },
  },
  {
    files: ['libs/{pkce,protocol,config}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', '@gatehouse/persistence'], message: 'Pure libs import no NestJS and no database.' },
          ],
        },
      ],
    },
  },
  {
    // The composition root is the one place that assembles the three apps in one process.
    files: ['apps/standalone/src/main.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'before', 'after'] }] },
      ],
      'no-restricted-imports': 'off',
    },
  },
);
