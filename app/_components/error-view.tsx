'use client';
import { isDatabaseUnavailableDigest } from '@/db/unavailable';

/**
 * What the error pages show. Next.js passes a server error to the browser only with its `digest`; the database
 * layer gives "not answering" errors a recognisable one (db/client.ts), so that case gets its own words.
 */
export function ErrorView({ error, retry }: { error: unknown; retry: () => void }) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const database = isDatabaseUnavailableDigest(digest);
  return (
    <div role="alert" className="mx-auto max-w-xl py-16 text-center" data-testid="error-page">
      <p className="text-sm font-semibold uppercase tracking-wide text-red-600 dark:text-red-400">{database ? 'Database unavailable' : 'Error'}</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">{database ? 'The database is not answering' : 'Something went wrong'}</h1>
      <p className="mt-4 text-zinc-600 dark:text-zinc-300">
        {database
          ? 'This page needs the database, which did not answer in time. Nothing was lost; it is usually back within moments. Try again.'
          : 'This page could not be shown. Try again; if it keeps happening, the reference below finds the error in the server logs.'}
      </p>
      <button type="button" onClick={() => retry()}
        className="mt-8 inline-block rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-white dark:text-zinc-900">
        Try again
      </button>
      {digest && !database ? <p className="mt-6 font-mono text-xs text-zinc-500">reference {digest}</p> : null}
    </div>
  );
}
