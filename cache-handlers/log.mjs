// @ts-check
// The handlers log a condition once when it changes (Redis down → up), not once per request.

const KEY = Symbol.for('next-tagged-cache.log-state');
const g = /** @type {Record<symbol, Map<string, string> | undefined>} */ (/** @type {unknown} */ (globalThis));
const states = (g[KEY] ??= new Map());

export const log = {
  /**
   * @param {string} subject
   * @param {string} state
   * @param {string} message
   */
  state(subject, state, message) {
    if (states.get(subject) === state) return;
    const first = !states.has(subject);
    states.set(subject, state);
    // Starting out healthy is the normal case and says nothing; every change after that is news.
    if (first && (state === 'ok' || state === 'up')) return;
    console.warn(`[cache] ${message}`);
  },
  /** @param {string} message */
  error(message) {
    console.error(`[cache] ${message}`);
  },
};
