// @ts-check
// What the handlers write down: a condition, on the console once when it changes (Redis down → up), not once per
// request; and journals, files of records that keep what they acknowledged through a crash or a full disk.
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';

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

/** What a failure says in a log line (a rejection may carry something other than an Error). @param {unknown} error */
export const errorMessage = (error) => (error instanceof Error ? error.message : String(error));

const APPEND = constants.O_RDWR | constants.O_APPEND;

/**
 * A file of JSON records, one a line, for state that must outlive the process (SIGKILL, power loss) and a full disk:
 * - append() returns once its records are on the disk (fsync; or, with `durable: false`, once a killed process
 *   would keep them, and sync() makes them last through a power cut). If it throws, part of them may be there:
 *   every append first cuts the file back to its last whole line, so a torn record never swallows the one after it;
 * - read() parses each line on its own: a line cut short loses only itself;
 * - replace() swaps in new contents whole (a temporary file, fsync, rename, fsync of the directory); the temporary
 *   file goes if that fails, and read() removes those a killed process left.
 */
export class Journal {
  /** @param {string} file */
  constructor(file) {
    this.file = file;
  }

  /** The records in the file, [] if there is none. @returns {Record<string, any>[]} */
  read() {
    this.#removeTemporaryFiles();
    let text = '';
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
    }
    const records = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      try {
        const record = JSON.parse(line);
        if (record && typeof record === 'object') records.push(record);
      } catch {
        // Cut short by a crash or a full disk: its append threw, so nothing it said was ever acknowledged.
      }
    }
    return records;
  }

  /**
   * @param {readonly unknown[]} records
   * @param {{ durable?: boolean }} [options]
   */
  append(records, { durable = true } = {}) {
    let fd;
    let created = false;
    try {
      fd = openSync(this.file, APPEND);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      mkdirSync(path.dirname(this.file), { recursive: true }); // the directory may have been removed under us
      fd = openSync(this.file, APPEND | constants.O_CREAT);
      created = true;
    }
    try {
      const size = fstatSync(fd).size;
      const whole = wholeLinesLength(fd, size);
      if (whole < size) ftruncateSync(fd, whole);
      writeAll(fd, toLines(records));
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (created) syncDirectory(path.dirname(this.file)); // a new file's name must outlast a power cut too
  }

  /** Makes what was appended last through a power cut. */
  sync() {
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Empties the file, without waiting for the disk: after a power cut the old records may be back. For records
   * whose replay is harmless, such as work already done.
   */
  clear() {
    truncateSync(this.file, 0);
  }

  /** @param {readonly unknown[]} records */
  replace(records) {
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      const fd = openSync(tmp, 'w');
      try {
        writeAll(fd, toLines(records));
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, this.file);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    syncDirectory(path.dirname(this.file));
  }

  #removeTemporaryFiles() {
    const dir = path.dirname(this.file);
    const prefix = `${path.basename(this.file)}.`;
    try {
      for (const name of readdirSync(dir)) if (name.startsWith(prefix) && name.endsWith('.tmp')) rmSync(path.join(dir, name), { force: true });
    } catch {
      // No directory yet, or a file that will not go: the next start tries again; only space is at stake.
    }
  }
}

/** @param {readonly unknown[]} records */
const toLines = (records) => Buffer.from(records.map((record) => `${JSON.stringify(record)}\n`).join(''));

/** @param {number} fd @param {Buffer} bytes */
function writeAll(fd, bytes) {
  for (let written = 0; written < bytes.length; ) written += writeSync(fd, bytes, written);
}

/**
 * How many bytes of the file's first `size` end with its last newline: what is past them is a torn record.
 * @param {number} fd
 * @param {number} size
 */
function wholeLinesLength(fd, size) {
  const chunk = Buffer.alloc(4096);
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - chunk.length);
    const read = readSync(fd, chunk, 0, end - start, start);
    const newline = chunk.subarray(0, read).lastIndexOf(0x0a);
    if (newline >= 0) return start + newline + 1;
    end = start;
  }
  return 0;
}

/** Makes a rename or a new file in `dir` last through a power cut. @param {string} dir */
function syncDirectory(dir) {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** @param {unknown} error */
const errorCode = (error) => /** @type {NodeJS.ErrnoException} */ (error).code;
