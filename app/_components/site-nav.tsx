'use client';
// The site's sections, with the current one marked (aria-current). The only client part of the header: the
// pathname is known in the browser, so the header itself stays one cached, static region for every page.
import Link from 'next/link';
import { usePathname } from 'next/navigation';

export const SECTIONS = [
  { href: '/', label: 'Blog', owns: (p: string) => p === '/' || /^\/(posts|archive|categories|authors|topics)(\/|$)/.test(p) },
  { href: '/catalog', label: 'Catalog', owns: (p: string) => p.startsWith('/catalog') },
  { href: '/cache', label: 'Cache inspector', owns: (p: string) => p.startsWith('/cache') },
  { href: '/studio', label: 'Studio', owns: (p: string) => p.startsWith('/studio') || p.startsWith('/sign-in') },
] as const;

const linkClass =
  'rounded-md px-2.5 py-1 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-950 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:hover:text-white';
const currentClass = 'rounded-md bg-zinc-900 px-2.5 py-1 text-white dark:bg-zinc-100 dark:text-zinc-900';

/** Without a pathname yet (the static shell), every link renders unmarked; the browser marks the current one. */
export function SectionLinks({ pathname }: { pathname?: string }) {
  return (
    <>
      {SECTIONS.map((s) => {
        const current = pathname !== undefined && s.owns(pathname);
        return (
          <Link key={s.href} href={s.href} aria-current={current ? 'page' : undefined} className={current ? currentClass : linkClass}>
            {s.label}
          </Link>
        );
      })}
    </>
  );
}

export function SiteNav() {
  return <SectionLinks pathname={usePathname()} />;
}
