// Benchmark only: cache handlers that store nothing, so every request renders its page and every cached function
// runs, querying the database. An instance is the page cache (`cacheHandler`); the class's static methods are the
// 'use cache' handler (`cacheHandlers`), which Next takes as a plain object. Wired in by ./variant.mjs.
export default class NoCache {
  async get() {
    return null;
  }
  async set() {}
  async revalidateTag() {}
  resetRequestCache() {}

  static async get() {
    return undefined;
  }
  static async set(_key, pendingEntry) {
    const entry = await pendingEntry;
    await new Response(entry.value).arrayBuffer(); // the stream must be consumed exactly once
  }
  static async refreshTags() {}
  static async getExpiration() {
    return 0;
  }
  static async updateTags() {}
}
