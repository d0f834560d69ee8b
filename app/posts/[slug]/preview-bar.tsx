// Shown only in Draft Mode, from the post page itself (the layout stays as it is for every other page).

const time = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'UTC' });

/**
 * Leaving is a plain form POST (a full page load, no JavaScript needed): the route turns Draft Mode off and
 * sends the browser back to this URL, which is then served from the cache again. Not a <Link>: Next would
 * prefetch it (docs: Draft Mode, "Show a preview indicator").
 */
function LeaveButton({ slug }: { slug: string }) {
  return (
    <form method="post" action="/api/preview/exit">
      <input type="hidden" name="slug" value={slug} />
      <button type="submit" className="rounded-md bg-amber-950 px-3 py-1 font-medium text-amber-50 hover:bg-amber-800">
        Leave preview
      </button>
    </form>
  );
}

export function PreviewBar({ slug, postId, status, expiresAt }: { slug: string; postId?: number; status?: 'draft' | 'published'; expiresAt?: Date }) {
  return (
    <div role="status" data-testid="preview-bar"
      className="sticky top-0 z-40 mb-6 flex flex-wrap items-center justify-between gap-3 rounded-md border-2 border-amber-500 bg-amber-100 px-4 py-3 text-sm text-amber-950">
      {expiresAt ? (
        <p>
          <strong>Preview: you are seeing unpublished changes.</strong>{' '}
          {status === 'draft' ? 'This post is a draft: readers get a 404 here.' : 'Readers still see the published version.'}{' '}
          Only you see this page; it is not cached. Until {time.format(expiresAt)} UTC.
        </p>
      ) : (
        <p>
          <strong>Preview mode is on</strong>, but there is nothing of yours to preview here: this is the page every reader sees.
        </p>
      )}
      <div className="flex items-center gap-3">
        {postId ? <a href={`/studio/posts/${postId}`} className="underline">Back to the editor</a> : null}
        <LeaveButton slug={slug} />
      </div>
    </div>
  );
}
