'use server';
import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { countAttempt, isRateLimited } from '@/db/queries/rate-limits';
import { getAuth } from '@/lib/auth';
import { clientAddress } from '@/lib/client-address';

export interface SignInState {
  error?: string;
  email?: string;
}

const credentials = z.object({ email: z.string().trim().toLowerCase().email(), password: z.string().min(1).max(200) });

// One message for every wrong combination, so the form does not reveal which emails have accounts.
const WRONG = 'Wrong email or password.';

/** Only same-site paths, so `?next=` cannot send someone to another site after signing in. */
function safeNext(value: FormDataEntryValue | null): string {
  const next = typeof value === 'string' ? value : '';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/studio';
}

export async function signIn(_: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get('email') ?? '');
  const parsed = credentials.safeParse({ email, password: formData.get('password') });
  if (!parsed.success) return { error: WRONG, email };

  // Failed attempts are limited per address and per client, counted in the database so a restart does
  // not reset them. Successful sign-ins do not count, so colleagues behind one office IP are not locked out.
  const requestHeaders = await headers();
  const ip = clientAddress(requestHeaders);
  const windowSeconds = 300;
  const limits = [
    { key: `sign-in:email:${parsed.data.email}`, limit: Number(process.env.SIGN_IN_RATE_LIMIT ?? 5), windowSeconds },
    { key: `sign-in:ip:${ip}`, limit: 4 * Number(process.env.SIGN_IN_RATE_LIMIT ?? 5), windowSeconds },
  ];
  const db = getDb();
  for (const l of limits) {
    if (await isRateLimited(db, l.key, l)) return { error: 'Too many failed sign-in attempts. Try again in a few minutes.', email };
  }

  try {
    await getAuth().api.signInEmail({ body: parsed.data, headers: requestHeaders });
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    for (const l of limits) await countAttempt(db, l.key, l);
    return { error: WRONG, email };
  }
  redirect(safeNext(formData.get('next')));
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/');
}
