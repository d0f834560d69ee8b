// The invalidation timeline on /cache: the revalidation log grouped so a person reads it at a glance. One studio
// change writes a row per mode (updateTag for what its author sees next, 'max' for the lists): rows of one change
// become one event; events fall into a few age bands. Every label comes from lib/cache/log-labels.ts, which shows
// fixed text only (no email address, no text a client chose).
import { describeActor, describeOutcome, describeSource } from '../cache/log-labels';

export interface LogRow {
  id: number;
  at: Date;
  tags: string[];
  /** Paths a webhook named for revalidatePath: a part of their own ('path'). */
  paths: string[];
  mode: string;
  source: string;
  actor: string;
  change: string | null;
  outcome: string;
}

export interface TimelineEvent {
  id: number;
  /** ISO time of the event's newest row. */
  at: string;
  source: string;
  actor: string;
  parts: { mode: string; tags: string[]; outcome: string | null }[];
}

/** Rows of one change are written within moments of each other; 10 s leaves room for a slow transaction. */
const SAME_CHANGE_MS = 10_000;
const BANDS = [
  { label: 'Last 5 minutes', maxAgeMs: 5 * 60_000 },
  { label: 'Last hour', maxAgeMs: 60 * 60_000 },
  { label: 'Last 24 hours', maxAgeMs: 24 * 60 * 60_000 },
  { label: 'Earlier', maxAgeMs: Infinity },
];

/** `rows` newest first (as listRecentRevalidations returns them). */
export function groupTimeline(rows: readonly LogRow[], now: number): { label: string; events: TimelineEvent[] }[] {
  const events: (TimelineEvent & { oldest: number; key: string })[] = [];
  for (const row of rows) {
    const key = `${row.source}\0${row.actor}\0${row.change ?? ''}`;
    const last = events.at(-1);
    // Only applied rows say nothing about their outcome: a pending, failed or duplicate one says so.
    const outcome = row.outcome === 'applied' ? null : describeOutcome(row);
    const parts = [
      ...(row.tags.length > 0 ? [{ mode: row.mode, tags: row.tags, outcome }] : []),
      ...(row.paths.length > 0 ? [{ mode: 'path', tags: row.paths, outcome }] : []),
    ];
    if (last && last.key === key && last.oldest - row.at.getTime() <= SAME_CHANGE_MS) {
      last.parts.push(...parts);
      last.oldest = row.at.getTime();
      continue;
    }
    events.push({ id: row.id, at: row.at.toISOString(), source: describeSource(row), actor: describeActor(row), parts, oldest: row.at.getTime(), key });
  }
  const bands = BANDS.map((band) => ({ label: band.label, events: [] as TimelineEvent[] }));
  for (const { id, at, source, actor, parts } of events) {
    const age = now - Date.parse(at);
    bands[BANDS.findIndex((band) => age < band.maxAgeMs)].events.push({ id, at, source, actor, parts });
  }
  return bands.filter((band) => band.events.length > 0);
}
