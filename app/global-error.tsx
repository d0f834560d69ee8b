'use client';
// When the root layout itself fails (its navigation reads the database), this replaces it, with its own document.
import { ErrorView } from './_components/error-view';
import './globals.css';

export default function GlobalError({ error, retry }: { error: unknown; retry: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-white font-sans text-zinc-900 antialiased dark:bg-zinc-950 dark:text-zinc-100">
        <title>Tagged Cache Blog</title>
        <main className="mx-auto max-w-5xl px-4 py-8">
          <ErrorView error={error} retry={retry} />
        </main>
      </body>
    </html>
  );
}
