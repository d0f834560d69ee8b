// Types of the package's API (index.mjs, where each function is described).

/** A tag's state: when it went stale, when it expires, and its latest immediate expiry (ms since the epoch). */
export interface TagState {
  stale?: number;
  expired?: number;
  expiredAt?: number;
  hard?: number;
}

export type Handler = 'use-cache' | 'pages';
export type Layer = 'memory' | 'redis' | 'file';
export type CacheEvent =
  | { type: 'hit' | 'stale-hit' | 'miss' | 'set'; handler: Handler; layer: Layer }
  | { type: 'fill'; handler: Handler; seconds: number }
  | { type: 'edge-purge' | 'edge-purge-failure'; kind: 'hard' | 'soft' };

export function recordInvalidation(
  tags: string[],
  durations?: { expire?: number },
  options?: { id?: string },
): Promise<{ id: string; status: 'applied' | 'queued' }>;
export function onInvalidationLanded(listener: (ids: string[]) => void): () => void;
export function isInvalidationOutstanding(id: string): boolean;
export function tagStates(): Promise<[string, TagState][]>;
export function onCacheEvent(listener: (event: CacheEvent) => void): () => void;
export function memoryUsage(): { handler: Handler; bytes: number; maxBytes: number }[];
