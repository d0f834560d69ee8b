'use client';
import { useActionState } from 'react';
import { SubmitButton } from '@/app/_components/submit-button';
import { signIn, type SignInState } from '@/lib/studio/auth-actions';

export function SignInForm({ next, result }: { next: string; result?: SignInState }) {
  // `result`: a sign-in posted without JavaScript, rendered by the server (lib/form-result.ts).
  const [state, action] = useActionState<SignInState, FormData>(signIn, result ?? { status: 'idle' });
  return (
    <form action={action} className="space-y-4" noValidate>
      <input type="hidden" name="next" value={next} />
      {state.message ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 dark:bg-red-950 dark:text-red-200">
          {state.message}
        </p>
      ) : null}
      <div>
        <label htmlFor="email" className="block text-sm font-medium">Email</label>
        <input id="email" name="email" type="email" autoComplete="username" required defaultValue={state.fields?.email}
          className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900" />
      </div>
      <div>
        <label htmlFor="password" className="block text-sm font-medium">Password</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required
          className="mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900" />
      </div>
      <SubmitButton pendingText="Signing in…" className="w-full bg-indigo-600 text-white hover:bg-indigo-500">
        Sign in
      </SubmitButton>
    </form>
  );
}
