'use server';
import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { getAuth } from '@/lib/auth';
import { clientAddress } from '@/lib/client-address';
import { keepFormResult } from '@/lib/form-result';
import { safeNext } from '@/lib/safe-next';
import { SIGN_IN_FORM } from './form-keys';
import { admitSignIn } from '@/lib/rate-limit';

export interface SignInState {
  error?: string;
  email?: string;
}

const credentials = z.object({ email: z.string().trim().toLowerCase().max(254).email(), password: z.string().min(1).max(200) });

// One message for every wrong combination, so the form does not reveal which emails have accounts.
const WRONG = 'Wrong email or password.';

/** What a refused sign-in is told: how long to wait, in minutes for a client's own limit, in seconds for a slowed account. */
function refusal(limit: 'client' | 'account', seconds: number): string {
  if (limit === 'account') {
    return `This account has had many failed sign-in attempts. Try again in ${seconds} ${seconds === 1 ? 'second' : 'seconds'}.`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `Too many failed sign-in attempts. Try again in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}.`;
}

export async function signIn(previous: SignInState, formData: FormData): Promise<SignInState> {
  const result = await attemptSignIn(previous, formData); // redirects when it succeeds
  // Without JavaScript, the sign-in page rendered after this action shows the message (lib/form-result.ts).
  await keepFormResult(SIGN_IN_FORM, result);
  return result;
}

async function attemptSignIn(_: SignInState, formData: FormData): Promise<SignInState> {
  const email = String(formData.get('email') ?? '');
  const parsed = credentials.safeParse({ email, password: formData.get('password') });
  if (!parsed.success) return { error: WRONG, email };

  // Attempts are limited per (client, account) pair, per client, and per account with a much higher ceiling past
  // which the account is slowed rather than locked (lib/rate-limit.ts: admitSignIn), so strangers' failures cannot
  // keep an author out. In the database, so restarts and other instances share the counts. Counting happens BEFORE
  // the slow password check and in the same statement that reads the count, so a burst of concurrent guesses gets
  // exactly `limit` evaluations. A sign-in that succeeds gives its attempt back: colleagues behind one office
  // address are held back only by failures.
  const requestHeaders = await headers();
  const ip = clientAddress(requestHeaders);
  const db = getDb();
  const admission = await admitSignIn(db, { address: ip, email: parsed.data.email });
  if (!admission.ok) return { error: refusal(admission.limit, admission.retryAfterSeconds), email };

  // better-auth records the session's address from the first X-Forwarded-For entry: give it the resolved one.
  const authHeaders = new Headers(requestHeaders);
  authHeaders.set('x-forwarded-for', ip);
  try {
    await getAuth().api.signInEmail({ body: parsed.data, headers: authHeaders });
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    return { error: WRONG, email };
  }
  await admission.succeeded();
  redirect(safeNext(formData.get('next')));
}

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/');
}
