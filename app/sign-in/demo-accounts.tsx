import { DEMO_PASSWORD, seedUsers } from '@/db/seed-data';

/**
 * The seed's accounts, shown only where `npm run demo` says so (DEMO_ACCOUNTS=1): their password is public, so a
 * deployment never advertises them unless asked. Plain server-rendered text: works without JavaScript.
 */
export function DemoAccounts() {
  if (process.env.DEMO_ACCOUNTS !== '1') return null;
  const roles = [
    { role: 'author', what: 'authors: each edits their own posts' },
    { role: 'editor', what: 'editor: edits every post' },
  ] as const;
  return (
    <aside data-testid="demo-accounts" className="mb-6 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <p className="font-medium">Local demo: sign in with a demo account</p>
      <ul className="mt-1 space-y-1">
        {roles.map(({ role, what }) => (
          <li key={role}>
            {seedUsers.filter((u) => u.role === role).map((u, i) => (
              <span key={u.email}>{i > 0 ? ', ' : ''}<code>{u.email}</code></span>
            ))}{' '}
            ({what})
          </li>
        ))}
      </ul>
      <p className="mt-1">
        Password for each: <code>{DEMO_PASSWORD}</code>
      </p>
    </aside>
  );
}
