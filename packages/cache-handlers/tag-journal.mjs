// @ts-check
// The tag store's journal: CACHE_DIR/tags.jsonl, so that a restart never forgets an invalidation. Without Redis it
// is the whole truth; with Redis it is the last state known, and keeps the invalidations Redis has not taken yet so
// that a restart sends them again. Each record is on the disk before the invalidation it holds counts as recorded
// (log.mjs's Journal: whole or absent after a crash or a full disk).
//
// Records, one a line:
// - `{ s: { [tag]: TagState } }`: a snapshot of every tag's state (what compaction writes first);
// - `{ o: TagOp, q?: 1 }`: an invalidation, made here (`q: 1` while Redis has not acknowledged it) or read from Redis;
// - `{ l: id }`: Redis acknowledged the invalidation `id`.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Journal, errorMessage, log } from './log.mjs';
import { applyToStates } from './tag-state.mjs';

/** @typedef {import('./tag-state.mjs').TagOp} TagOp */
/** @typedef {import('./tag-state.mjs').TagState} TagState */
/** @typedef {() => { states: ReadonlyMap<string, TagState>, unsent: readonly TagOp[] }} JournalContents */

// Past this many records the journal is rewritten as one snapshot, so a restart reads a bounded file.
const COMPACT_LINES = 5_000;

export class TagJournal {
  #journal;
  #contents;
  #lines = 0;

  /**
   * @param {string} dir CACHE_DIR
   * @param {JournalContents} contents what a compaction writes: every tag's state, and the invalidations Redis has
   *   not taken yet
   */
  constructor(dir, contents) {
    mkdirSync(dir, { recursive: true });
    this.#journal = new Journal(path.join(dir, 'tags.jsonl'));
    this.#contents = contents;
  }

  /**
   * Replays the journal into `states`. Returns the invalidations made here that Redis never acknowledged (Redis was
   * away, then the process stopped), oldest first.
   * @param {Map<string, TagState>} states
   * @returns {TagOp[]}
   */
  load(states) {
    /** @type {Map<string, TagOp>} */
    const unsent = new Map();
    for (const record of this.#journal.read()) {
      if (record.s) for (const [tag, state] of Object.entries(record.s)) states.set(tag, state);
      if (record.o) {
        applyToStates(states, record.o);
        if (record.q) unsent.set(record.o.id, record.o);
      }
      if (record.l) unsent.delete(record.l);
    }
    return [...unsent.values()];
  }

  /**
   * Writes records; throws if they are not on the disk (then none of them counts).
   * @param {unknown[]} records
   */
  append(records) {
    try {
      this.#journal.append(records);
    } catch (error) {
      log.state('tag-journal', 'failed', `could not write the tag journal ${this.#journal.file} (${errorMessage(error)})`);
      throw error;
    }
    log.state('tag-journal', 'ok', 'writing the tag journal again');
    this.#lines += records.length;
    if (this.#lines > COMPACT_LINES) this.compact();
  }

  /**
   * Notes that Redis has the invalidation `id`. Without the note a restart sends it again, which changes nothing:
   * a failure here is no reason to report the invalidation as not landed.
   * @param {string} id
   */
  noteLanded(id) {
    try {
      this.append([{ l: id }]);
    } catch {
      // logged by append
    }
  }

  /**
   * Rewrites the journal as one snapshot plus the invalidations still waiting for Redis. If there is no room for
   * that, the journal as it is still holds everything, and appends go on to it.
   */
  compact() {
    const { states, unsent } = this.#contents();
    const records = [{ s: Object.fromEntries(states) }, ...unsent.map((op) => ({ o: op, q: 1 }))];
    try {
      this.#journal.replace(records);
    } catch (error) {
      log.state('tag-journal-compaction', 'failed', `could not rewrite the tag journal ${this.#journal.file} (${errorMessage(error)}); appending to it as it is`);
      return;
    }
    log.state('tag-journal-compaction', 'ok', 'rewriting the tag journal again');
    this.#lines = records.length;
  }
}
