// The V8 heap bound for every `next start` this repo launches (npm start, npm run demo, npm run cluster, the
// benchmarks), unless NODE_OPTIONS already sets one. Without a bound V8 sizes the old generation from the machine's
// memory (up to 4 GB) and, while renders keep allocating, lets it grow to several times what is live: mixed traffic
// took one instance to 730 MB resident in three minutes (heap committed 430 MB, ~150 MB of it live after a full
// collection), and towards 1 GB in ten. With this bound the same traffic stayed under 500 MB at the same throughput;
// the heap in use peaked at ~180 MB, so a render still has room.
export const SERVER_HEAP_MB = 256;

/** `env` with the heap bound added to NODE_OPTIONS, unless it already names one. */
export function withServerHeapBound(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = env.NODE_OPTIONS ?? '';
  if (/--max[-_]old[-_]space[-_]size/.test(options)) return env;
  return { ...env, NODE_OPTIONS: `${options} --max-old-space-size=${SERVER_HEAP_MB}`.trim() };
}
