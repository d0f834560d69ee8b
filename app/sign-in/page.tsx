import { takeFormResult } from '@/lib/form-result';
import { safeNext } from '@/lib/safe-next';
import type { SignInState } from '@/lib/studio/auth-actions';
import { SIGN_IN_FORM } from '@/lib/studio/form-keys';
import { DemoAccounts } from './demo-accounts';
import { SignInForm } from './sign-in-form';

export const metadata = { title: 'Sign in' };
// Rendered on the server before anything is sent (no streaming), so the form works without JavaScript.
export const instant = false;

export default async function SignInPage({ searchParams }: PageProps<'/sign-in'>) {
  const { next } = await searchParams;
  return (
    <div className="mx-auto max-w-sm py-8">
      <h1 className="text-2xl font-bold tracking-tight">Sign in to the studio</h1>
      <p className="mt-2 mb-6 text-sm text-zinc-600 dark:text-zinc-300">For authors and editors. Readers need no account.</p>
      <DemoAccounts />
      {/* Checked here too, so the form never carries a foreign target; the action checks again (it trusts no field). */}
      <SignInForm next={safeNext(next)} result={await takeFormResult<SignInState>(SIGN_IN_FORM)} />
    </div>
  );
}
