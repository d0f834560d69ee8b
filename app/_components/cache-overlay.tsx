'use client';
// The cache overlay: any reader can switch it on (footer); it outlines every cached region of the page with its
// tags, when it was generated and its age, ticking, so a revalidation can be watched as it happens.
//
// Pure client side: it reads the `data-cached-at` / `data-cache-tags` stamps the server already renders in every
// cached region (cache-stamp.tsx) and draws over the page. No cookie, no query parameter, nothing the server
// sees: the page's HTML, its caching and its Cache-Control are the same with the overlay on and off.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { createPortal } from 'react-dom';
import { tagVocabulary } from '@/lib/cache/tags';
import { formatAge, useNow, utcTime } from './use-now';

const STORAGE_KEY = 'ntc:cache-overlay';
const CHANGED = 'ntc:cache-overlay-changed';

function subscribe(listener: () => void) {
  window.addEventListener('storage', listener); // other tabs
  window.addEventListener(CHANGED, listener); // this tab
  return () => {
    window.removeEventListener('storage', listener);
    window.removeEventListener(CHANGED, listener);
  };
}

function readSetting(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'on';
  } catch {
    return false; // storage blocked: the overlay simply starts off
  }
}

function writeSetting(on: boolean) {
  try {
    if (on) localStorage.setItem(STORAGE_KEY, 'on');
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // not remembered, but still switched for this page
  }
  window.dispatchEvent(new Event(CHANGED));
}

/** The footer switch, and the overlay itself while it is on (remembered in localStorage). */
export function CacheOverlayToggle() {
  // Off on the server and while hydrating: the server's HTML is the same for every reader.
  const on = useSyncExternalStore(subscribe, readSetting, () => false);
  return (
    <>
      <button type="button" aria-pressed={on} onClick={() => writeSetting(!on)} className="hover:underline">
        {on ? 'Hide cache overlay' : 'Show cache overlay'}
      </button>
      {on && <CacheOverlay />}
    </>
  );
}

interface Region {
  top: number;
  left: number;
  width: number;
  height: number;
  cachedAt: string;
  tags: string[];
}

/** The cached regions now visible: each stamp's enclosing element (the region it closes), in page coordinates. */
function findRegions(): Region[] {
  const regions: Region[] = [];
  for (const stamp of document.querySelectorAll<HTMLElement>('time[data-cached-at]')) {
    // Pages visited earlier stay mounted but hidden (React Activity): skip what is not displayed.
    if (stamp.getClientRects().length === 0) continue;
    const region = stamp.closest('p')?.parentElement ?? stamp.parentElement;
    if (!region) continue;
    const rect = region.getBoundingClientRect();
    regions.push({
      top: rect.top + window.scrollY,
      left: rect.left + window.scrollX,
      width: rect.width,
      height: rect.height,
      cachedAt: stamp.dataset.cachedAt ?? '',
      tags: (stamp.dataset.cacheTags ?? '').split(' ').filter(Boolean),
    });
  }
  return regions;
}

const meaningOf = (tag: string) => {
  const entry = tagVocabulary.find((e) => e.match.test(tag));
  return entry ? `${entry.pattern}: ${entry.meaning}` : 'not a tag of the vocabulary';
};

function CacheOverlay() {
  const now = useNow();
  const [regions, setRegions] = useState<Region[]>([]);
  // Measured after every tick and on resize: client navigations and streamed content move the regions.
  useEffect(() => {
    const measure = () => setRegions(findRegions());
    const frame = requestAnimationFrame(measure);
    window.addEventListener('resize', measure);
    return () => {
      cancelAnimationFrame(frame);
      window.removeEventListener('resize', measure);
    };
  }, [now]);

  return createPortal(
    <div aria-label="Cache overlay" role="region" className="pointer-events-none absolute top-0 left-0 z-50" data-testid="cache-overlay">
      {regions.map((r, i) => (
        <div
          key={`${r.cachedAt}-${i}`}
          className="absolute rounded border-2 border-dashed border-amber-500"
          style={{ top: r.top, left: r.left, width: r.width, height: r.height }}
        >
          <div
            className="pointer-events-auto absolute top-0 right-0 max-w-md -translate-y-full rounded-t bg-amber-100 px-2 py-0.5 text-xs text-amber-950 shadow"
            data-testid="cache-overlay-region"
            data-generated-at={r.cachedAt}
          >
            <span>generated <span data-testid="cache-overlay-generated">{utcTime(r.cachedAt)}</span></span>
            {now !== null && <span> · age <span data-testid="cache-overlay-age">{formatAge(now - Date.parse(r.cachedAt))}</span></span>}
            <div className="font-mono">
              {r.tags.map((tag) => (
                <span key={tag} title={meaningOf(tag)} className="mr-1.5 inline-block">{tag}</span>
              ))}
            </div>
          </div>
        </div>
      ))}
    </div>,
    document.body,
  );
}
