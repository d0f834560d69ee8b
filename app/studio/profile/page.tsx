import { takeFormResult } from '@/lib/form-result';
import type { ProfileState } from '@/lib/studio/actions';
import { getOwnProfile } from '@/lib/studio/data';
import { PROFILE_FORM } from '@/lib/studio/form-keys';
import { requireUser } from '../_components/require-user';
import { ProfileForm } from './profile-form';

// Blocking by design, like the studio layout: the whole page, the signed-in user included, is rendered before
// anything is sent, so its forms work without JavaScript. Navigations between studio pages are not instant.
export const instant = false;

export const metadata = { title: 'Your author profile · Studio' };

export default async function ProfilePage() {
  const user = await requireUser('/studio/profile');
  const profile = user.authorId === null ? null : await getOwnProfile(user.authorId);
  if (!profile) {
    return <p className="text-zinc-600 dark:text-zinc-300">Your account has no author profile yet. Ask an editor to link one.</p>;
  }
  return (
    <div className="max-w-xl">
      <h1 className="mb-2 text-2xl font-bold tracking-tight">Your author profile</h1>
      <p className="mb-6 text-sm text-zinc-600 dark:text-zinc-300">
        Your name appears on your author page, on each of your posts and in every list that shows them.
      </p>
      <ProfileForm name={profile.name} bio={profile.bio} slug={profile.slug} result={await takeFormResult<ProfileState>(PROFILE_FORM)} />
    </div>
  );
}
