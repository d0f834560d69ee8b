'use client';
import { formatAge, useNow, utcTime } from './use-now';

/** "3 min 4 s ago", ticking; the absolute UTC time until the page has hydrated, and as a tooltip. */
export function RelativeTime({ at }: { at: string }) {
  const now = useNow();
  return (
    <time dateTime={at} title={utcTime(at)}>
      {now === null ? utcTime(at) : `${formatAge(now - Date.parse(at))} ago`}
    </time>
  );
}
