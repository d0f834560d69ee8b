// Saving a profile reports which fields changed, so an unchanged save invalidates (and logs) nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';
import * as studio from '@/db/queries/studio';
import { seed } from '@/db/seed';

const { db, sql } = createDatabase(databaseUrl());
beforeAll(async () => {
  await runMigrations(databaseUrl());
  await seed(db);
});
afterAll(() => sql.end());

describe('updateAuthorProfile', () => {
  it('says what changed, and writes nothing when nothing did', async () => {
    const before = (await studio.getAuthorProfile(db, 1))!;
    const save = (profile: { name: string; bio: string }) => db.transaction((tx) => studio.updateAuthorProfile(tx, 1, profile));
    expect(await save({ name: before.name, bio: before.bio })).toEqual({ name: false, bio: false });
    expect(await save({ name: before.name, bio: 'A new bio.' })).toEqual({ name: false, bio: true });
    expect(await save({ name: 'Ada O.', bio: 'A new bio.' })).toEqual({ name: true, bio: false });
    expect(await studio.getAuthorProfile(db, 1)).toMatchObject({ name: 'Ada O.', bio: 'A new bio.' });
    expect(await save(before)).toEqual({ name: true, bio: true });
    expect(await db.transaction((tx) => studio.updateAuthorProfile(tx, 99_999, before))).toEqual({ name: false, bio: false });
  });
});
