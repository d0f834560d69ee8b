import { describe, expect, it } from 'vitest';
import { describeActor, describeOutcome, describeSource } from '@/lib/cache/log-labels';

describe('/cache log labels', () => {
  it('shows a studio change only as one of the known kinds', () => {
    expect(describeSource({ source: 'action', change: 'post published' })).toBe('studio: post published');
    expect(describeSource({ source: 'action', change: 'post <b>Call +1 555 0100 to restore your account</b>ed' })).toBe('studio');
    expect(describeSource({ source: 'action', change: 'constructor' })).toBe('studio');
    expect(describeSource({ source: 'action', change: null })).toBe('studio');
    expect(describeSource({ source: 'webhook', change: null })).toBe('webhook');
  });

  it('never shows an email address for studio changes, only the role', () => {
    expect(describeActor({ source: 'action', actor: 'author:Yx81kq' })).toBe('an author');
    expect(describeActor({ source: 'action', actor: 'editor:Q2' })).toBe('an editor');
    expect(describeActor({ source: 'action', actor: 'ada@example.com' })).toBe('a studio user');
    expect(describeActor({ source: 'action', actor: 'toString:x' })).toBe('a studio user');
  });

  it('shows the delivery id for webhooks', () => {
    expect(describeActor({ source: 'webhook', actor: 'msg_123' })).toBe('msg_123');
  });

  it('says where each invalidation stands, pending and failed included', () => {
    expect(describeOutcome({ outcome: 'applied' })).toBe('applied');
    expect(describeOutcome({ outcome: 'pending' })).toMatch(/^pending/);
    expect(describeOutcome({ outcome: 'failed' })).toMatch(/^failed/);
    expect(describeOutcome({ outcome: 'duplicate' })).toMatch(/^duplicate/);
  });
});
