// npm run db:migrate
import { databaseUrl } from '@/db/client';
import { runMigrations } from '@/db/migrate';

await runMigrations(databaseUrl());
console.log('Migrations applied.');
