// Benchmark only (NTC_BENCH_NO_CACHE=1): a 'use cache' handler that stores nothing, so every cached
// function runs — and queries the database — on every request. Never used by the app itself.
module.exports = {
  async get() {
    return undefined;
  },
  async set(_key, pendingEntry) {
    const entry = await pendingEntry;
    await new Response(entry.value).arrayBuffer(); // the stream must be consumed exactly once
  },
  async refreshTags() {},
  async getExpiration() {
    return 0;
  },
  async updateTags() {},
};
