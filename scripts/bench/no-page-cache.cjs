// Benchmark only (NTC_BENCH_NO_CACHE=1): an incremental (page) cache that stores nothing, so every request
// renders the page instead of serving the prerendered HTML. Never used by the app itself.
module.exports = class NoPageCache {
  async get() {
    return null;
  }
  async set() {}
  async revalidateTag() {}
  resetRequestCache() {}
};
