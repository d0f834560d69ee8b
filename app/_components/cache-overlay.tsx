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

interface Stamp {
  cachedAt: string;
  tags: string[];
}

interface Region {
  top: number;
  left: number;
  width: number;
  height: number;
  stamps: Stamp[];
}

/**
 * The element a stamp closes: its article or section (a post, a list), or else the element around the stamp's line.
 * Several stamps in one region (a product and its stock) share one outline.
 */
const regionOf = (stamp: HTMLElement) => stamp.closest<HTMLElement>('article, section') ?? stamp.closest('p')?.parentElement ?? stamp.parentElement;

/** The cached regions now displayed, in page coordinates. */
function findRegions(): Region[] {
  const regions = new Map<HTMLElement, Region>();
  for (const stamp of document.querySelectorAll<HTMLElement>('time[data-cached-at]')) {
    // Pages visited earlier stay mounted but hidden (React Activity): skip what is not displayed.
    if (stamp.getClientRects().length === 0) continue;
    const element = regionOf(stamp);
    if (!element) continue;
    let region = regions.get(element);
    if (!region) {
      const rect = element.getBoundingClientRect();
      region = { top: rect.top + window.scrollY, left: rect.left + window.scrollX, width: rect.width, height: rect.height, stamps: [] };
      regions.set(element, region);
    }
    region.stamps.push({ cachedAt: stamp.dataset.cachedAt ?? '', tags: (stamp.dataset.cacheTags ?? '').split(' ').filter(Boolean) });
  }
  return [...regions.values()];
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
          key={i}
          className="absolute rounded border-2 border-dashed border-amber-500"
          style={{ top: r.top, left: r.left, width: r.width, height: r.height }}
        >
          {/* Inside the outline's top corner: above it, it would cover what precedes the region (the footer's switch). */}
          <div className="pointer-events-auto absolute top-0 right-0 max-w-md space-y-1 rounded-bl bg-amber-100/95 px-2 py-0.5 text-xs text-amber-950 shadow">
            {r.stamps.map((stamp, j) => (
              <div key={j} data-testid="cache-overlay-region" data-generated-at={stamp.cachedAt}>
                <span>generated <span data-testid="cache-overlay-generated">{utcTime(stamp.cachedAt)}</span></span>
                {now !== null && <span> · age <span data-testid="cache-overlay-age">{formatAge(now - Date.parse(stamp.cachedAt))}</span></span>}
                <div className="font-mono">
                  {stamp.tags.map((tag) => (
                    <span key={tag} title={meaningOf(tag)} className="mr-1.5 inline-block">{tag}</span>
                  ))}
                </div>
              </div>
            ))}
          </div>
        </div>
      ))}
    </div>,
    document.body,
  );
}
