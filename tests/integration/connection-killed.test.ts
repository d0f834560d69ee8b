// PostgreSQL ending a connection while a transaction on it waits for a row lock (a restart, a failover, an admin's
// pg_terminate_backend): the waiting save must fail as "the database is not answering", the process must survive,
// and the pool must serve the next query. postgres.js 3.4.9 threw from a timer instead, an uncaught TypeError
// (`socket.write` on a closed connection: porsager/postgres#1208), patched in patches/postgres+3.4.9.patch.
import postgres from 'postgres';
import { afterAll, expect, it } from 'vitest';
import { createBoundedDatabase, databaseUrl, isDatabaseUnavailable } from '@/db/client';

const pool = createBoundedDatabase(databaseUrl());
const admin = postgres(databaseUrl(), { max: 2, onnotice: () => {} });
const uncaught: Error[] = [];
const record = (error: Error) => uncaught.push(error);

afterAll(async () => {
  process.off('uncaughtException', record);
  await admin`drop table if exists connection_killed`;
  await Promise.all([pool.sql.end({ timeout: 1 }), admin.end({ timeout: 1 })]);
});

it('a transaction whose connection the server ends while it waits on a lock fails cleanly, and the pool goes on', async () => {
  process.on('uncaughtException', record);
  await admin`create table if not exists connection_killed (id int primary key, v text)`;
  await admin`insert into connection_killed values (1, 'before') on conflict (id) do update set v = 'before'`;
  for (let attempt = 0; attempt < 3; attempt++) {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const holder = admin.begin(async (tx) => {
      await tx`select * from connection_killed where id = 1 for update`;
      await held;
    });
    const waiting = pool.sql
      .begin(async (tx) => {
        await tx`update connection_killed set v = 'after' where id = 1`;
      })
      .then(() => null, (error: unknown) => error);
    await expect
      .poll(async () => (await admin`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)[0].n)
      .toBe(1);
    await admin`select pg_terminate_backend(pid) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
    const error = await waiting;
    release();
    await holder;
    expect(isDatabaseUnavailable(error), String(error)).toBe(true);
    // A timer's turn or two, where the unpatched driver threw.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(uncaught.map((e) => e.message)).toEqual([]);
  expect((await pool.sql`select v from connection_killed where id = 1`)[0].v).toBe('before');
});
