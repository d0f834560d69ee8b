// better-auth: email + password sign-in with database sessions, through its Drizzle adapter.
// Sign-in and sign-out run in Server Actions (lib/studio/auth-actions.ts), so the forms work without
// JavaScript; there is no public /api/auth route, hence no sign-up endpoint and no second rate limiter to keep in step.
import 'server-only';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import { getDb } from '@/db/client';
import * as schema from '@/db/schema';

function createAuth() {
  const port = process.env.PORT ?? '3000';
  return betterAuth({
    secret: process.env.BETTER_AUTH_SECRET,
    baseURL: process.env.SITE_URL ?? `http://localhost:${port}`,
    trustedOrigins: [`http://localhost:${port}`, `http://127.0.0.1:${port}`, ...(process.env.SITE_URL ? [process.env.SITE_URL] : [])],
    database: drizzleAdapter(getDb(), {
      provider: 'pg',
      schema: { user: schema.user, session: schema.session, account: schema.account, verification: schema.verification },
    }),
    // Accounts are created by the seed or an editor, never by a stranger.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: { additionalFields: { role: { type: 'string', input: false, defaultValue: 'author' } } },
    session: {
      expiresIn: 60 * 60 * 24 * 7,
      // Off: a cached session cookie would keep a revoked session or a changed role valid until it expires.
      cookieCache: { enabled: false },
    },
    advanced: {
      // HttpOnly and SameSite=Lax are better-auth's defaults; Secure follows the site's scheme.
      useSecureCookies: (process.env.SITE_URL ?? '').startsWith('https://'),
      ipAddress: { ipAddressHeaders: ['x-forwarded-for'] },
    },
    telemetry: { enabled: false },
    // Must be the last plugin: it writes the session cookie when a Server Action signs in or out.
    plugins: [nextCookies()],
  });
}

const globalForAuth = globalThis as unknown as { __ntcAuth?: ReturnType<typeof createAuth> };

/** Created on first use, so building pages that never sign anyone in needs no auth configuration. */
export function getAuth() {
  globalForAuth.__ntcAuth ??= createAuth();
  return globalForAuth.__ntcAuth;
}
