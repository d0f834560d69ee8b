import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { newRequestId, REQUEST_ID_HEADER } from '@/lib/form-result';
import { safeNext } from '@/lib/safe-next';
import { studioPostAccess } from '@/lib/studio/access';

// Before any URL with a percent sign, and before the sign-in page and the studio render:
// - a path with an escape that does not decode (`%ff` is no UTF-8, `%zz` no hex, `%` cut short) is a 400 here. Next
//   decodes route parameters before any page code runs, and failing that it looks for a /400 or /_error page that
//   an App Router build does not have: a bare 500, logged nowhere;
// - visitors without a session cookie are sent to sign in (a fast redirect, NOT the authorization check: every
//   studio page and Server Action verifies the session and the permission itself, lib/studio/session.ts);
// - a form post gets a request id, so a Server Action can hand its result to the page rendered after it when the
//   form was sent without JavaScript (lib/form-result.ts);
// - a studio post page that will say "not found" or "not yours" is rewritten to a page prerendered as 404 or 403,
//   since with Cache Components the page's own check runs after the shell's 200 was sent.
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!decodable(pathname)) return badEscape();
  if (!isStudioPath(pathname)) return NextResponse.next(); // matched only for its percent sign
  if (pathname !== '/sign-in' && !getSessionCookie(request)) {
    const signIn = new URL('/sign-in', request.url);
    signIn.searchParams.set('next', safeNext(`${pathname}${search}`));
    return NextResponse.redirect(signIn);
  }
  if (request.method === 'POST') {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set(REQUEST_ID_HEADER, newRequestId()); // replaces any value the client sent
    return NextResponse.next({ request: { headers: requestHeaders } });
  }
  // Page loads only: client navigations (RSC requests) render the page's own answer.
  if (request.method !== 'GET' || request.headers.has('rsc')) return NextResponse.next();
  const access = await studioPostAccess(pathname, request.headers);
  if (access === 'ok') return NextResponse.next();
  // The address bar keeps the URL; the page shown is inside the studio layout, with its navigation.
  return NextResponse.rewrite(new URL(access === 'not-found' ? '/studio/missing' : '/studio/not-yours', request.url));
}

/** Whether every segment of `pathname` decodes as Next will decode it (decodeURIComponent). */
export function decodable(pathname: string): boolean {
  if (!pathname.includes('%')) return true;
  try {
    for (const segment of pathname.split('/')) decodeURIComponent(segment);
    return true;
  } catch {
    return false;
  }
}

const badEscape = () =>
  new NextResponse('Bad Request: the URL has an invalid percent-escape.\n', {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });

/** The paths of the first three matchers, with the transport suffixes Next adds to them (`.rsc`, `.segments/…`). */
const isStudioPath = (pathname: string) => /^\/(?:sign-in|studio)(?:[/.]|$)/.test(pathname);

// The last matcher runs the proxy for any path with a percent sign (a few, never the site's own links), so a bad
// escape is answered before Next decodes it; every other page is served without the proxy.
export const config = { matcher: ['/sign-in', '/studio', '/studio/:path*', '/:path(.*%.*)'] };
