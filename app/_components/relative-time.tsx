'use client';
import { formatAge, useNow, utcTime } from './use-now';

/** "3 min 4 s ago" (or "in 9 min 58 s" for a time ahead), ticking; the absolute UTC time until the page has hydrated, and as a tooltip. */
export function RelativeTime({ at }: { at: string }) {
  const now = useNow();
  const ahead = now !== null && Date.parse(at) > now;
  return (
    <time dateTime={at} title={utcTime(at)}>
      {now === null ? utcTime(at) : ahead ? `in ${formatAge(Date.parse(at) - now)}` : `${formatAge(now - Date.parse(at))} ago`}
    </time>
  );
}
