// Where to go after signing in (`?next=`), reduced to a path on this site.
//
// Checking the string's shape ("starts with one slash") is not enough: browsers drop tabs and newlines while
// parsing a URL and read "\" as "/", so "/\t/evil.example" or "/\\evil.example" become "//evil.example", another
// site. Instead the value is parsed exactly as a browser would, against our own origin, and kept only if it
// stays on that origin; what is returned is the parsed path, query and fragment, never the raw input.

const FALLBACK = '/studio';
// Any fixed origin works: only whether the result stays on it matters, and only its path is returned.
const BASE = 'http://this-site.invalid';

export function safeNext(value: unknown, fallback: string = FALLBACK): string {
  if (typeof value !== 'string' || value === '' || value.length > 2000) return fallback;
  let url: URL;
  try {
    url = new URL(value, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can leave a path that itself starts with "//" ("/.//evil.example" → "//evil.example"): as a
  // redirect target that is another site again.
  return path.startsWith('//') ? fallback : path;
}
