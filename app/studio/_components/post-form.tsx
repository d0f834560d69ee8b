'use client';
import { useActionState, useEffect, useRef, useState } from 'react';
import { SubmitButton } from '@/app/_components/submit-button';
import { previewMarkdown, savePost, type PostFormState } from '@/lib/studio/actions';
import { BODY_MAX_LENGTH, EXCERPT_MAX_LENGTH, TITLE_MAX_LENGTH } from '@/lib/studio/form-limits';
import { slugify } from '@/lib/slug';

export interface PostFormInitial {
  id?: number;
  version?: number;
  /** Fingerprint of the post as loaded (lib/studio/conflict.ts), so a conflict lists only the other writer's changes. */
  base?: string;
  status?: 'draft' | 'published';
  title: string;
  slug: string;
  excerpt: string;
  body: string;
  categoryId: string;
  topicIds: string[];
}

const input = 'mt-1 w-full rounded-md border border-zinc-300 bg-white px-3 py-2 dark:border-zinc-700 dark:bg-zinc-900 aria-[invalid=true]:border-red-500';

function FieldError({ id, message }: { id: string; message?: string }) {
  return message ? <p id={id} className="mt-1 text-sm text-red-700 dark:text-red-300">{message}</p> : null;
}

type FieldErrors = NonNullable<PostFormState['fieldErrors']>;

const describedBy = (errors: FieldErrors, name: keyof FieldErrors) => (errors[name] ? `${name}-error` : undefined);

export function PostForm({
  initial,
  categories,
  topics,
  notice,
  result,
}: {
  initial: PostFormInitial;
  categories: { id: number; name: string }[];
  topics: { id: number; name: string }[];
  notice?: string;
  /** The result of a save posted without JavaScript, rendered by the server (lib/form-result.ts). */
  result?: PostFormState;
}) {
  const [state, action] = useActionState<PostFormState, FormData>(
    savePost,
    result ?? { status: 'idle', version: initial.version, base: initial.base },
  );
  const fields = { ...initial, ...(state.fields as Partial<PostFormInitial> | undefined) };
  const errors = state.fieldErrors ?? {};
  const { body, setBody, preview } = useBodyPreview(fields.body);
  // A body over the limit is refused here, before sending: a request over Next's 1 MB Server Action limit never
  // reaches the action, and the page would be replaced by an error page with the author's text gone.
  const bodyTooLong = body.length > BODY_MAX_LENGTH;
  const [refused, setRefused] = useState(false);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const bodyError = bodyTooLong
    ? `The body is ${body.length.toLocaleString('en')} characters; the limit is ${BODY_MAX_LENGTH.toLocaleString('en')}. Shorten it to save${refused ? ': nothing was sent, and your text is still here' : ''}.`
    : errors.body;
  const { version, base } = useSaveBasis(state, initial);

  return (
    <form action={action} className="space-y-5" noValidate
      onSubmit={(e) => {
        if (!bodyTooLong) return setRefused(false);
        e.preventDefault(); // React then does not run the action: nothing is sent, the text stays
        setRefused(true);
        bodyRef.current?.focus();
      }}>
      {initial.id ? <input type="hidden" name="id" value={initial.id} /> : null}
      {version ? <input type="hidden" name="version" value={version} /> : null}
      {base ? <input type="hidden" name="base" value={base} /> : null}

      <FormMessage state={state} notice={notice} />
      <TextFields fields={fields} errors={errors} slugFollowsTitle={!initial.id && !initial.slug} />
      <ClassificationFields fields={fields} errors={errors} categories={categories} topics={topics} />

      {/* min-w-0: a grid column is as wide as its widest content otherwise (a long line of code in the preview). */}
      <div className="grid gap-5 lg:grid-cols-2">
        <div className="min-w-0">
          <label htmlFor="body" className="block text-sm font-medium">Body (Markdown)</label>
          <textarea id="body" name="body" ref={bodyRef} defaultValue={fields.body} rows={18} className={`${input} font-mono text-sm`}
            aria-invalid={Boolean(bodyError)} aria-describedby={bodyError ? 'body-error body-count' : 'body-count'}
            onChange={(e) => setBody(e.currentTarget.value)} />
          <p id="body-count" data-testid="body-count" className={`mt-1 text-xs ${bodyTooLong ? 'font-medium text-red-700 dark:text-red-300' : 'text-zinc-500'}`}>
            {body.length.toLocaleString('en')} / {BODY_MAX_LENGTH.toLocaleString('en')} characters
          </p>
          <FieldError id="body-error" message={bodyError} />
        </div>
        <Preview html={bodyTooLong ? '<p class="text-zinc-500">No preview: the body is over the limit.</p>' : preview} />
      </div>

      <FormButtons initial={initial} />
    </form>
  );
}

/** The body as typed, and its rendered preview, fetched a moment after typing stops. */
function useBodyPreview(savedBody: string) {
  const [body, setBody] = useState(savedBody);
  const [preview, setPreview] = useState<string | null>(null);
  // The body shown after a save is what the server sent back: follow it (adjusting state during render, not in an effect).
  const [shownBody, setShownBody] = useState(savedBody);
  if (shownBody !== savedBody) {
    setShownBody(savedBody);
    setBody(savedBody);
  }
  useEffect(() => {
    if (body.length > BODY_MAX_LENGTH) return; // not sent: the preview says why instead
    const timer = setTimeout(() => previewMarkdown(body).then(setPreview, () => setPreview(null)), 300);
    return () => clearTimeout(timer);
  }, [body]);
  return { body, setBody, preview };
}

/**
 * The version (and its fingerprint) the next save is based on: from the last save or conflict, else as loaded.
 * Error answers carry neither; they must not send the form back to the version it was loaded at.
 */
function useSaveBasis(state: PostFormState, initial: PostFormInitial) {
  const [basis, setBasis] = useState({ version: initial.version, base: initial.base });
  if (state.version !== undefined && (state.version !== basis.version || state.base !== basis.base)) {
    setBasis({ version: state.version, base: state.base });
  }
  return state.version !== undefined ? state : basis;
}

/** The last save's answer (with a conflict's changes), else the page's notice. */
function FormMessage({ state, notice }: { state: PostFormState; notice?: string }) {
  const banner =
    state.status === 'saved' ? 'bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-200'
      : state.status === 'conflict' ? 'bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100'
        : 'bg-red-50 text-red-800 dark:bg-red-950 dark:text-red-200';
  if (state.message) {
    return (
      <div role={state.status === 'saved' ? 'status' : 'alert'} className={`rounded-md p-3 text-sm ${banner}`} data-testid="form-message">
        <p>{state.message}</p>
        {state.changes?.length ? (
          <ul className="mt-2 list-disc space-y-1 pl-5" data-testid="conflict-changes">
            {state.changes.map((c) => (
              <li key={c.field}>
                <strong>{c.field}</strong>: {c.field === 'Body' ? <details className="inline"><summary className="inline cursor-pointer">show their text</summary><pre className="mt-1 whitespace-pre-wrap">{c.theirs}</pre></details> : <span>“{c.theirs}”</span>}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return notice ? (
    <p role="status" className="rounded-md bg-green-50 p-3 text-sm text-green-800 dark:bg-green-950 dark:text-green-200">{notice}</p>
  ) : null;
}

/** Title, slug and excerpt. */
function TextFields({ fields, errors, slugFollowsTitle }: { fields: PostFormInitial; errors: FieldErrors; slugFollowsTitle: boolean }) {
  const slugRef = useRef<HTMLInputElement>(null);
  // A new post's slug follows its title until the author edits the slug by hand.
  const [slugAuto, setSlugAuto] = useState(slugFollowsTitle);
  return (
    <>
      <div>
        <label htmlFor="title" className="block text-sm font-medium">Title</label>
        <input id="title" name="title" defaultValue={fields.title} required maxLength={TITLE_MAX_LENGTH} className={input}
          aria-invalid={Boolean(errors.title)} aria-describedby={describedBy(errors, 'title')}
          onInput={(e) => { if (slugAuto && slugRef.current) slugRef.current.value = slugify(e.currentTarget.value); }} />
        <FieldError id="title-error" message={errors.title} />
      </div>

      <div>
        <label htmlFor="slug" className="block text-sm font-medium">URL slug</label>
        <div className="flex items-center gap-1">
          <span className="mt-1 text-sm text-zinc-500">/posts/</span>
          <input id="slug" name="slug" ref={slugRef} defaultValue={fields.slug} maxLength={200} className={input}
            aria-invalid={Boolean(errors.slug)} aria-describedby={describedBy(errors, 'slug') ?? 'slug-hint'} onInput={() => setSlugAuto(false)} />
        </div>
        <p id="slug-hint" className="mt-1 text-xs text-zinc-500">Left empty, it is made from the title. Changing it makes the old URL a 404.</p>
        <FieldError id="slug-error" message={errors.slug} />
      </div>

      <div>
        <label htmlFor="excerpt" className="block text-sm font-medium">Excerpt</label>
        <textarea id="excerpt" name="excerpt" defaultValue={fields.excerpt} rows={2} maxLength={EXCERPT_MAX_LENGTH} className={input}
          aria-invalid={Boolean(errors.excerpt)} aria-describedby={describedBy(errors, 'excerpt')} />
        <FieldError id="excerpt-error" message={errors.excerpt} />
      </div>
    </>
  );
}

/** Category and topics. */
function ClassificationFields({
  fields,
  errors,
  categories,
  topics,
}: {
  fields: PostFormInitial;
  errors: FieldErrors;
  categories: { id: number; name: string }[];
  topics: { id: number; name: string }[];
}) {
  return (
    <div className="grid gap-5 sm:grid-cols-2">
      <div>
        <label htmlFor="categoryId" className="block text-sm font-medium">Category</label>
        <select id="categoryId" name="categoryId" defaultValue={fields.categoryId} className={input}
          aria-invalid={Boolean(errors.categoryId)} aria-describedby={describedBy(errors, 'categoryId')}>
          <option value="">Choose…</option>
          {categories.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </select>
        <FieldError id="categoryId-error" message={errors.categoryId} />
      </div>
      <fieldset aria-describedby={describedBy(errors, 'topicIds')}>
        <legend className="block text-sm font-medium">Topics</legend>
        <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
          {topics.map((t) => (
            <label key={t.id} className="flex items-center gap-1 text-sm">
              <input type="checkbox" name="topicIds" value={t.id} defaultChecked={fields.topicIds.includes(String(t.id))} />
              {t.name}
            </label>
          ))}
        </div>
        <FieldError id="topicIds-error" message={errors.topicIds} />
      </fieldset>
    </div>
  );
}

/** The rendered body; `html` null until the first preview arrives. */
function Preview({ html }: { html: string | null }) {
  return (
    <section aria-label="Rendered body" className="min-w-0">
      <p className="block text-sm font-medium">Rendered body</p>
      {/* Focusable: a region that scrolls must be reachable by keyboard. */}
      <div tabIndex={0} className="prose prose-zinc mt-1 max-h-[28rem] max-w-none overflow-auto rounded-md border border-dashed border-zinc-300 p-3 dark:prose-invert dark:border-zinc-700"
        data-testid="preview"
        // Safe: rendered by the server with the same sanitiser as the public page.
        dangerouslySetInnerHTML={{ __html: html ?? '<p class="text-zinc-500">The preview appears here as you type (needs JavaScript).</p>' }} />
    </section>
  );
}

/** Save and publish or unpublish (an existing post also gets a Draft Mode preview); a new post: draft or publish. */
function FormButtons({ initial }: { initial: PostFormInitial }) {
  const secondary = 'border border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800';
  const primary = 'bg-indigo-600 text-white hover:bg-indigo-500';
  if (!initial.id) {
    return (
      <div className="flex flex-wrap gap-3">
        <SubmitButton name="intent" value="save" pendingText="Saving…" className={secondary}>Save draft</SubmitButton>
        <SubmitButton name="intent" value="publish" pendingText="Publishing…" className={primary}>Publish</SubmitButton>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap gap-3">
      <SubmitButton name="intent" value="save" pendingText="Saving…" className={primary}>Save</SubmitButton>
      {initial.status === 'published' ? (
        <SubmitButton name="intent" value="unpublish" pendingText="Saving…" className={secondary}>Save and unpublish</SubmitButton>
      ) : (
        <SubmitButton name="intent" value="publish" pendingText="Publishing…" className={secondary}>Save and publish</SubmitButton>
      )}
      {/* A plain POST of the form as it is now (the Server Action is not involved, nothing is saved), in a new
          tab so the editor keeps the unsaved text: lib/studio/preview.ts checks and keeps it, then opens the
          post's public URL in Draft Mode. */}
      <button type="submit" formAction="/api/preview" formMethod="post" formTarget="_blank"
        className="rounded-md border border-amber-500 px-4 py-2 text-sm font-medium hover:bg-amber-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-amber-950">
        Preview<span className="sr-only"> (opens a new tab)</span>
      </button>
    </div>
  );
}
