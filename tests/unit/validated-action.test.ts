// The form-action wrapper's steps, in their order: user, target, validation, body; every refusal keeps what was
// typed, and the result is kept for the page render of a form posted without JavaScript.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

const kept = vi.hoisted(() => [] as { form: string; value: unknown }[]);
vi.mock('@/lib/form-result', () => ({ keepFormResult: async (form: string, value: unknown) => void kept.push({ form, value }) }));
vi.mock('@/db/client', () => ({ isDatabaseUnavailable: (error: unknown) => (error as { away?: boolean }).away === true }));

const { CORRECT_FIELDS, validatedAction, validatedActionWithUser } = await import('@/lib/studio/validated-action');

const schema = z.object({ name: z.string().min(1, 'Give a name.'), age: z.string().regex(/^\d+$/, 'A number.') });
const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [k, v] of Object.entries(entries)) data.set(k, v);
  return data;
};
const fields = (data: FormData) => ({ name: String(data.get('name') ?? ''), age: String(data.get('age') ?? '') });

beforeEach(() => void kept.splice(0));

describe('validatedActionWithUser', () => {
  const steps: string[] = [];
  const action = (user: string | null, body = async () => ({ status: 'saved' as const })) =>
    validatedActionWithUser(
      {
        form: (data) => `thing:${data.get('id')}`,
        user: async () => (steps.push('user'), user),
        signedOut: 'Signed out.',
        fields,
        target: (data) => (steps.push('target'), data.get('id') === 'x' ? { ok: false, message: 'Damaged.' } : { ok: true, value: 7 }),
        schema,
        databaseAway: true,
      },
      async (input, context) => (steps.push(`body ${input.name} ${context.target} ${context.user}`), body()),
    );
  beforeEach(() => void steps.splice(0));

  it('refuses without a user before looking at the form, and keeps the result for its form', async () => {
    const result = await action(null)({ status: 'saved' }, form({ id: '1', name: 'Ann', age: '3' }));
    expect(result).toEqual({ status: 'error', message: 'Signed out.', fields: { name: 'Ann', age: '3' } });
    expect(steps).toEqual(['user']);
    expect(kept).toEqual([{ form: 'thing:1', value: result }]);
  });

  it('checks the target before the fields', async () => {
    const result = await action('ada')({ status: 'saved' }, form({ id: 'x', name: '' }));
    expect(result).toEqual({ status: 'error', message: 'Damaged.', fields: { name: '', age: '' } });
  });

  it('marks the first error of each invalid field', async () => {
    const result = await action('ada')({ status: 'saved' }, form({ id: '1', name: '', age: 'x' }));
    expect(result).toEqual({ status: 'error', message: CORRECT_FIELDS, fieldErrors: { name: 'Give a name.', age: 'A number.' }, fields: { name: '', age: 'x' } });
  });

  it('runs the body with the parsed input, the target and the user', async () => {
    expect(await action('ada')({ status: 'saved' }, form({ id: '1', name: 'Ann', age: '3' }))).toEqual({ status: 'saved' });
    expect(steps).toEqual(['user', 'target', 'body Ann 7 ada']);
  });

  it('answers a database that is away with the form, and lets every other error through', async () => {
    const away = action('ada', async () => Promise.reject(Object.assign(new Error('timeout'), { away: true })));
    expect(await away({ status: 'saved' }, form({ id: '1', name: 'Ann', age: '3' }))).toMatchObject({
      status: 'error',
      message: expect.stringMatching(/^The database did not answer in time/),
      fields: { name: 'Ann', age: '3' },
    });
    const broken = action('ada', async () => Promise.reject(new Error('bug')));
    await expect(broken({ status: 'saved' }, form({ id: '1', name: 'Ann', age: '3' }))).rejects.toThrow('bug');
  });
});

describe('validatedAction', () => {
  it('with `invalid`, refuses any invalid input with that one message and no field marked', async () => {
    const action = validatedAction({ form: 'f', fields, schema, invalid: 'Wrong.' }, async () => ({ status: 'idle' as const }));
    expect(await action({ status: 'idle' }, form({ name: '', age: '1' }))).toEqual({ status: 'error', message: 'Wrong.', fields: { name: '', age: '1' } });
    expect(kept).toHaveLength(1);
  });
});
