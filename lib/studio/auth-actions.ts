'use server';
import { APIError } from 'better-auth/api';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { getDb } from '@/db/client';
import { getAuth } from '@/lib/auth';
import { clientAddress } from '@/lib/client-address';
import { safeNext } from '@/lib/safe-next';
import { SIGN_IN_FORM } from './form-keys';
import { admitSignIn } from '@/lib/rate-limit';
import { validatedAction } from './validated-action';

export interface SignInState {
  status: 'idle' | 'error';
  message?: string;
  /** The email typed, shown again; never the password. */
  fields?: { email: string };
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

/** Signs in and redirects to `next`; every refusal is a message in the form. */
export const signIn = validatedAction(
  {
    form: SIGN_IN_FORM,
    fields: (formData) => ({ email: String(formData.get('email') ?? '') }),
    schema: credentials,
    input: (formData, fields) => ({ ...fields, password: formData.get('password') }),
    invalid: WRONG,
  },
  async (login, { formData, refuse }): Promise<SignInState> => {
    // Attempts are limited per (client, account) pair, per client, and per account with a much higher ceiling past
    // which the account is slowed rather than locked (lib/rate-limit.ts: admitSignIn), so strangers' failures cannot
    // keep an author out. In the database, so restarts and other instances share the counts. Counting happens BEFORE
    // the slow password check and in the same statement that reads the count, so a burst of concurrent guesses gets
    // exactly `limit` evaluations. A sign-in that succeeds gives its attempt back: colleagues behind one office
    // address are held back only by failures.
    const requestHeaders = await headers();
    const ip = clientAddress(requestHeaders);
    const admission = await admitSignIn(getDb(), { address: ip, email: login.email });
    if (!admission.ok) return refuse(refusal(admission.limit, admission.retryAfterSeconds));

    // better-auth records the session's address from the first X-Forwarded-For entry: give it the resolved one.
    const authHeaders = new Headers(requestHeaders);
    authHeaders.set('x-forwarded-for', ip);
    try {
      await getAuth().api.signInEmail({ body: login, headers: authHeaders });
    } catch (error) {
      if (!(error instanceof APIError)) throw error;
      return refuse(WRONG);
    }
    await admission.succeeded();
    redirect(safeNext(formData.get('next')));
  },
);

export async function signOut(): Promise<void> {
  await getAuth().api.signOut({ headers: await headers() });
  redirect('/');
}
