// `npm run lint` (also the first phase of `npm test`). Next's flat config: Core Web Vitals rules, React, React Hooks,
// and typescript-eslint's recommended rules.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
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
