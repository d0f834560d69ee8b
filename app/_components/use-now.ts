'use client';
import { useSyncExternalStore } from 'react';

// One clock for every ticking time on a page (ages, "3 min ago"): a timer per second while something listens.
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => listeners.forEach((l) => l()), 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const secondNow = () => Math.floor(Date.now() / 1000) * 1000;

/**
 * The current time, to the second, ticking; null while rendering on the server and hydrating, so server HTML (cached
 * and shared by every reader) never holds a reader's clock, and hydration always matches.
 */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, secondNow, () => null);
}

/** "12 s", "3 min 4 s", "2 h 5 min", "3 d 4 h". */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** The UTC time the server shows before the client clock takes over. */
export const utcTime = (iso: string) => `${iso.replace('T', ' ').slice(0, 19)} UTC`;
