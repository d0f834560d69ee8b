// The embedded database: real PostgreSQL in a project directory, one opener at a time, data kept across restarts.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedDatabaseBusyError, startEmbeddedDatabase } from '@/db/embedded';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ntc-embedded-unit-'));
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded PostgreSQL', () => {
  it('refuses a second opener with a clear message, and keeps data across a restart', async () => {
    const first = await startEmbeddedDatabase(dir);
    try {
      const sql = postgres(first.url, { max: 1, onnotice: () => {} });
      await sql`create table kept (value text)`;
      await sql`insert into kept values ('still here')`;
      await sql.end();
      await expect(startEmbeddedDatabase(dir)).rejects.toThrow(EmbeddedDatabaseBusyError);
      await expect(startEmbeddedDatabase(dir)).rejects.toThrow(/already in use by another process \(PostgreSQL pid \d+/);
      // The message gives the running database's URL to share it, as a command to copy.
      await expect(startEmbeddedDatabase(dir)).rejects.toThrow(`DATABASE_URL='${first.url}' `);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedDatabase(dir);
    try {
      const sql = postgres(second.url, { max: 1, onnotice: () => {} });
      expect(await sql`select value from kept`).toEqual([{ value: 'still here' }]);
      expect(new URL(second.url).hostname).toBe('127.0.0.1');
      await sql.end();
    } finally {
      await second.stop();
    }
  });
});
