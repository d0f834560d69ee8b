import type { Metadata } from 'next';
import Link from 'next/link';
import { NOT_FOUND_METADATA } from '@/lib/site';

export const metadata: Metadata = NOT_FOUND_METADATA;

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <p className="text-sm font-semibold uppercase tracking-wide text-indigo-600 dark:text-indigo-400">404</p>
      <h1 className="mt-2 text-3xl font-bold tracking-tight">Page not found</h1>
      <p className="mt-4 text-zinc-600 dark:text-zinc-300">
        There is nothing published at this address. It may have been moved, unpublished or never existed.
      </p>
      <Link href="/" className="mt-8 inline-block rounded-md bg-zinc-900 px-4 py-2 text-sm font-medium text-white hover:bg-zinc-700 dark:bg-white dark:text-zinc-900">
        Back to the latest posts
      </Link>
    </div>
  );
}
