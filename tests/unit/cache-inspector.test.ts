import { describe, expect, it, vi } from 'vitest';
import { mergeTagState, tagOp } from '../../packages/cache-handlers/tag-state.mjs';
import { carriers, carriersByPattern, patternOf } from '@/lib/cache-inspector/carriers';
import { groupTimeline, type LogRow } from '@/lib/cache-inspector/timeline';
import { tags, tagVocabulary } from '@/lib/cache/tags';

describe('carriers of the tag vocabulary', () => {
  it('name only tags of the vocabulary, and give every pattern at least one carrier', () => {
    for (const carrier of carriers) for (const tag of carrier.carries) expect(patternOf(tag), `${carrier.fn}: ${tag}`).not.toBeNull();
    const byPattern = carriersByPattern();
    for (const { pattern } of tagVocabulary) expect(byPattern.get(pattern)?.length, pattern).toBeGreaterThan(0);
  });

  it('maps a tag to its pattern, and Next path tags to none', () => {
    expect(patternOf(tags.post(12))).toBe('post:<id>');
    expect(patternOf(tags.posts)).toBe(tags.posts);
    expect(patternOf('_N_T_/posts/a')).toBeNull();
  });
});

vi.mock('server-only', () => ({}));
const { conditionOf } = await import('@/lib/cache-inspector/tag-states');

describe("a tag's state, as the inspector shows it", () => {
  const at = 1_000_000;
  const after = (ops: [number, { expire: number } | undefined][]) =>
    ops.reduce((state, [time, durations], i) => mergeTagState(state, tagOp(['t'], durations, time, String(i))), {} as ReturnType<typeof mergeTagState>);

  it("is stale after 'max', expired after updateTag or expire: 0, and the latest of them wins", () => {
    expect(conditionOf('t', after([[at, { expire: 31_536_000 }]]), at + 1)).toEqual({ tag: 't', state: 'stale', since: at, expires: at + 31_536_000_000 });
    // A cacheLife profile's expire ('inventory': 600 s): stale until then, expired from then on.
    expect(conditionOf('t', after([[at, { expire: 600 }]]), at + 1)).toEqual({ tag: 't', state: 'stale', since: at, expires: at + 600_000 });
    expect(conditionOf('t', after([[at, { expire: 600 }]]), at + 600_000)).toEqual({ tag: 't', state: 'expired', since: at + 600_000 });
    expect(conditionOf('t', after([[at, undefined]]), at + 1)).toEqual({ tag: 't', state: 'expired', since: at });
    expect(conditionOf('t', after([[at, { expire: 0 }]]), at + 1)).toEqual({ tag: 't', state: 'expired', since: at });
    expect(conditionOf('t', after([[at, undefined], [at + 5, { expire: 31_536_000 }]]), at + 10)).toMatchObject({ state: 'stale', since: at + 5 });
    expect(conditionOf('t', after([[at, { expire: 31_536_000 }], [at + 5, undefined]]), at + 10)).toMatchObject({ state: 'expired', since: at + 5 });
    expect(conditionOf('t', {}, at)).toBeNull();
  });
});

describe('the invalidation timeline', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const row = (id: number, secondsAgo: number, extra: Partial<LogRow> = {}): LogRow => ({
    id,
    at: new Date(now - secondsAgo * 1000),
    tags: [tags.posts],
    paths: [],
    mode: 'max',
    source: 'action',
    actor: 'author:3',
    change: 'post edited',
    outcome: 'applied',
    ...extra,
  });

  it("merges one change's rows, keeps separate changes apart, and bands them by age", () => {
    const bands = groupTimeline(
      [
        row(5, 10, { mode: 'max' }),
        row(4, 11, { mode: 'update', tags: [tags.postSlug('a')] }),
        row(3, 30, { source: 'webhook', actor: 'msg_1', change: null, mode: 'expire', outcome: 'pending' }),
        row(2, 2 * 3600),
        row(1, 3 * 86_400),
      ],
      now,
    );
    expect(bands.map((b) => [b.label, b.events.length])).toEqual([
      ['Last 5 minutes', 2],
      ['Last 24 hours', 1],
      ['Earlier', 1],
    ]);
    const [edit, delivery] = bands[0].events;
    expect(edit.source).toBe('studio: post edited');
    expect(edit.actor).toBe('an author');
    expect(edit.parts.map((p) => p.mode)).toEqual(['max', 'update']);
    expect(delivery.parts).toEqual([{ mode: 'expire', tags: [tags.posts], outcome: expect.stringContaining('pending') }]);
  });

  it("shows a delivery's paths as a revalidatePath part beside its tags", () => {
    const [band] = groupTimeline([row(1, 1, { source: 'webhook', actor: 'msg_2', change: null, mode: 'inventory', tags: [tags.inventory], paths: ['/catalog'] })], now);
    expect(band.events[0].parts).toEqual([
      { mode: 'inventory', tags: [tags.inventory], outcome: null },
      { mode: 'path', tags: ['/catalog'], outcome: null },
    ]);
    const [pathsOnly] = groupTimeline([row(1, 1, { source: 'webhook', actor: 'msg_3', change: null, tags: [], paths: ['/'] })], now);
    expect(pathsOnly.events[0].parts).toEqual([{ mode: 'path', tags: ['/'], outcome: null }]);
  });

  it('never shows an email address or free text from a row', () => {
    const [band] = groupTimeline([row(1, 1, { actor: 'lena@example.com', change: 'Call +1 555 0100' })], now);
    expect(JSON.stringify(band)).not.toMatch(/@|Call/);
  });
});
