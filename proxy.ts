import { getSessionCookie } from 'better-auth/cookies';
import { NextResponse, type NextRequest } from 'next/server';
import { newRequestId, REQUEST_ID_HEADER } from '@/lib/form-result';
import { safeNext } from '@/lib/safe-next';
import { studioPostAccess } from '@/lib/studio/access';
import { userFromHeaders } from '@/lib/session';

// Before any URL with a percent sign, any request in draft mode, and before the sign-in page and the studio render:
// - a path with an escape that does not decode (`%ff` is no UTF-8, `%zz` no hex, `%` cut short) is a 400 here. Next
//   decodes route parameters before any page code runs, and failing that it looks for a /400 or /_error page that
//   an App Router build does not have: a bare 500, logged nowhere;
// - draft mode counts only for someone signed in to the studio (draftModeGate);
// - visitors without a session cookie are sent to sign in (a fast redirect, NOT the authorization check: every
//   studio page and Server Action verifies the session and the permission itself, lib/session.ts);
// - a form post gets a request id, so a Server Action can hand its result to the page rendered after it when the
//   form was sent without JavaScript (lib/form-result.ts);
// - a studio post page that will say "not found" or "not yours" is rewritten to a page prerendered as 404 or 403,
//   since with Cache Components the page's own check runs after the shell's 200 was sent.
export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  if (!decodable(pathname)) return badEscape();
  if (request.cookies.has(DRAFT_COOKIE) && !isStudioPath(pathname)) return draftModeGate(request);
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

const DRAFT_COOKIE = '__prerender_bypass';

/**
 * Next's draft-mode cookie holds the same value for every author until the next build, and makes Next render the
 * page afresh instead of serving it from the cache: anyone who got hold of it could make every request a full render.
 * So it counts only with the session of someone who may use the studio (one signed-cookie check, then one lookup);
 * otherwise the request goes on without it (the cached page) and the browser is told to drop it.
 */
async function draftModeGate(request: NextRequest) {
  const user = await userFromHeaders(request.headers).catch(() => null);
  if (user) return NextResponse.next();
  const requestHeaders = new Headers(request.headers);
  const others = (request.headers.get('cookie') ?? '').split(/;\s*/).filter((pair) => !pair.startsWith(`${DRAFT_COOKIE}=`));
  requestHeaders.set('cookie', others.join('; '));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.cookies.delete(DRAFT_COOKIE);
  return response;
}

const badEscape = () =>
  new NextResponse('Bad Request: the URL has an invalid percent-escape.\n', {
    status: 400,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  });

/** The paths of the first three matchers, with the transport suffixes Next adds to them (`.rsc`, `.segments/…`). */
const isStudioPath = (pathname: string) => /^\/(?:sign-in|studio)(?:[/.]|$)/.test(pathname);

// The fourth matcher runs the proxy for any path with a percent sign (a few, never the site's own links), so a bad
// escape is answered before Next decodes it; the last for requests with the draft-mode cookie (authors previewing).
// Every other page is served without the proxy.
export const config = {
  matcher: ['/sign-in', '/studio', '/studio/:path*', '/:path(.*%.*)', { source: '/((?!_next/).*)', has: [{ type: 'cookie', key: '__prerender_bypass' }] }],
};
