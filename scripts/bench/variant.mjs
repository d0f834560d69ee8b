// `npm run bench` builds and starts variants of the app with NEXT_ADAPTER_PATH pointing here: Next applies an
// adapter's modifyConfig to the config of every command that loads it (build and start alike), so next.config.ts
// stays the app's own. NTC_BENCH_VARIANT picks the variant:
//   no-cache: handlers that store nothing (./no-cache.mjs), so every request renders from the database;
//   next-handlers: Next's own default handlers (in memory, one instance), to compare ours with.
import path from 'node:path';

const noCache = path.join(import.meta.dirname, 'no-cache.mjs');

/** @type {import('next').NextAdapter} */
const adapter = {
  name: 'ntc-bench-variant',
  modifyConfig(config) {
    switch (process.env.NTC_BENCH_VARIANT) {
      case 'no-cache':
        return { ...config, cacheHandler: noCache, cacheHandlers: { default: noCache, remote: noCache } };
      case 'next-handlers':
        return { ...config, cacheHandler: undefined, cacheHandlers: {}, cacheMaxMemorySize: 50 * 1024 * 1024 };
      default:
        throw new Error(`NTC_BENCH_VARIANT must be no-cache or next-handlers (got ${process.env.NTC_BENCH_VARIANT})`);
    }
  },
};

export default adapter;
