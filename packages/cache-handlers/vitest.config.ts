import { defineConfig } from 'vitest/config';

// The package's own tests: unit tests, and tests against a redis-server each starts on a port of its own.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000, hookTimeout: 60_000 },
});
