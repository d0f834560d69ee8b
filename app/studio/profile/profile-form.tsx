'use client';
import Link from 'next/link';
import { useActionState } from 'react';
import { SubmitButton } from '@/app/_components/submit-button';
import { saveProfile, type ProfileState } from '@/lib/studio/actions';

const input = 'mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid=true]:border-red-500';

export function ProfileForm({ name, bio, slug, result }: { name: string; bio: string; slug: string; result?: ProfileState }) {
  // `result`: a save posted without JavaScript, rendered by the server (lib/form-result.ts).
  const [state, action] = useActionState<ProfileState, FormData>(saveProfile, result ?? { status: 'idle' });
  const fields = state.fields ?? { name, bio };
  return (
    <form action={action} className="space-y-5" noValidate>
      {state.message ? (
        <p role={state.status === 'saved' ? 'status' : 'alert'} data-testid="form-message"
          className={`rounded-md p-3 text-sm ${state.status === 'saved' ? 'bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200' : 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200'}`}>
          {state.message}{state.status === 'saved' ? <> <Link className="underline" href={`/authors/${slug}`}>See your author page</Link>.</> : null}
        </p>
      ) : null}
      <div>
        <label htmlFor="name" className="block text-sm font-medium">Display name</label>
        <input id="name" name="name" defaultValue={fields.name} maxLength={200} required className={input}
          aria-invalid={Boolean(state.fieldErrors?.name)} aria-describedby={state.fieldErrors?.name ? 'name-error' : undefined} />
        {state.fieldErrors?.name ? <p id="name-error" className="mt-1 text-sm text-red-700 dark:text-red-300">{state.fieldErrors.name}</p> : null}
      </div>
      <div>
        <label htmlFor="bio" className="block text-sm font-medium">Bio</label>
        <textarea id="bio" name="bio" defaultValue={fields.bio} rows={3} maxLength={1000} className={input}
          aria-invalid={Boolean(state.fieldErrors?.bio)} aria-describedby={state.fieldErrors?.bio ? 'bio-error' : undefined} />
        {state.fieldErrors?.bio ? <p id="bio-error" className="mt-1 text-sm text-red-700 dark:text-red-300">{state.fieldErrors.bio}</p> : null}
      </div>
      <SubmitButton pendingText="Saving…" className="bg-indigo-600 text-white hover:bg-indigo-500">Save profile</SubmitButton>
    </form>
  );
}
