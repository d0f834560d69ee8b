'use server';
import { updateTag } from 'next/cache';
import { recordInvalidation } from '@next-tagged-cache/handlers';
import { setGreeting } from '@/lib/greeting';

/** updateTag: this action's response and every instance's next request show the new greeting. */
export async function saveGreeting(formData: FormData) {
  await setGreeting(String(formData.get('text') ?? ''));
  updateTag('greeting');
  await recordInvalidation(['greeting']);
}
