// How /cache describes a revalidation log row. The page is public: it shows fixed labels only — never an
// author's email address, never text a client chose (a form's `intent`, say) — whatever a row holds.
import { PROFILE_NAMES } from './profiles';
import { tags } from './tags';

/**
 * What /cache shows instead of `post-slug:<slug>` when that slug is not a published post's: a draft's URL is not
 * public, but saving a draft invalidates its URL's tag (lib/cache-inspector/public-tags.ts).
 */
export const HIDDEN_SLUG_TAG = tags.postSlug('(not published)');
/** The same for a webhook's revalidatePath of a post URL that is not a published post's. */
export const HIDDEN_POST_PATH = '/posts/(not published)';

const changeLabels: Record<string, string> = {
  'post created': 'post created',
  'post edited': 'post edited',
  'post saved': 'post edited',
  'post published': 'post published',
  'post unpublished': 'post unpublished',
  'post deleted': 'post deleted',
  'author renamed': 'author renamed',
  'author bio edited': 'author bio edited',
};

const roleLabels: Record<string, string> = { author: 'an author', editor: 'an editor' };

/** "studio: post published", "webhook", …: the source, and for actions the kind of change if it is a known one. */
export function describeSource(row: { source: string; change: string | null }): string {
  const source = row.source === 'webhook' ? 'webhook' : 'studio';
  const change = row.change !== null && Object.hasOwn(changeLabels, row.change) ? changeLabels[row.change] : null;
  return change ? `${source}: ${change}` : source;
}

/**
 * Who: for webhooks the delivery id (chosen by a sender holding the signing secret, and what an operator looks
 * for); for the studio only the role, recorded as "<role>:<account id>" (older rows held an email: not shown).
 */
export function describeActor(row: { source: string; actor: string }): string {
  if (row.source === 'webhook') return row.actor;
  const role = row.actor.split(':', 1)[0];
  return Object.hasOwn(roleLabels, role) && row.actor.includes(':') ? roleLabels[role] : 'a studio user';
}

const outcomeLabels: Record<string, string> = {
  applied: 'applied',
  pending: 'pending: applied on this instance, waiting for Redis',
  failed: 'failed: not applied (the sender retries)',
  duplicate: 'duplicate: not acted on',
};

/** Where an invalidation stands (see lib/cache/invalidate.ts): applied, pending, failed, or a duplicate delivery. */
export function describeOutcome(row: { outcome: string }): string {
  return Object.hasOwn(outcomeLabels, row.outcome) ? outcomeLabels[row.outcome] : row.outcome;
}

const modeLabels: Record<string, string> = {
  update: 'updateTag',
  max: "revalidateTag 'max'",
  expire: 'revalidateTag expire: 0',
  path: 'revalidatePath',
  ...Object.fromEntries(PROFILE_NAMES.map((name) => [name, `revalidateTag '${name}'`])),
};

/** The call an invalidation made: updateTag, revalidateTag 'max' / expire: 0 / '<profile>', or revalidatePath. */
export function describeMode(mode: string): string {
  return Object.hasOwn(modeLabels, mode) ? modeLabels[mode] : mode;
}
