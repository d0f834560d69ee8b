// The cache handlers read their settings once per process, when first loaded: tests set them, then load.

/** A page handler of one instance without Redis or an edge, keeping its files in `cacheDir`. */
export async function loadLocalPageHandler(cacheDir: string) {
  process.env.CACHE_DIR = cacheDir;
  delete process.env.REDIS_URL;
  delete process.env.EDGE_PURGE_URL;
  const { default: PageCacheHandler } = await import('../pages.mjs');
  return new PageCacheHandler();
}
