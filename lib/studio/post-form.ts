// Validation of the post form, shared by the Server Actions and their tests.
import { z } from 'zod';
import { slugify } from '@/lib/slug';

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const id = z.coerce.number().int().positive();

export const postFormSchema = z
  .object({
    title: z.string().trim().min(1, 'Give the post a title.').max(300, 'Keep the title under 300 characters.'),
    slug: z
      .string()
      .trim()
      .toLowerCase()
      .max(200, 'Keep the slug under 200 characters.')
      .refine((s) => s === '' || SLUG_PATTERN.test(s), 'Use lowercase letters, digits and single hyphens (for example my-first-post).'),
    excerpt: z.string().trim().max(500, 'Keep the excerpt under 500 characters.'),
    body: z.string().trim().min(1, 'Write something in the body.').max(100_000, 'The body is over 100,000 characters.'),
    categoryId: z.coerce.number().int().positive('Choose a category.'),
    topicIds: z.array(id).max(10, 'Choose at most 10 topics.'),
  })
  .transform((v) => ({ ...v, slug: v.slug || slugify(v.title) }))
  .refine((v) => v.slug !== '', { path: ['slug'], message: 'The title has no letters to make a URL from: enter a slug.' });

export type PostFormValues = z.infer<typeof postFormSchema>;

/** The raw text of each field, to put back into the form when it is shown again with errors. */
export function formFields(formData: FormData): Record<string, string | string[]> {
  return {
    title: String(formData.get('title') ?? ''),
    slug: String(formData.get('slug') ?? ''),
    excerpt: String(formData.get('excerpt') ?? ''),
    body: String(formData.get('body') ?? ''),
    categoryId: String(formData.get('categoryId') ?? ''),
    topicIds: formData.getAll('topicIds').map(String),
  };
}

export function parsePostForm(formData: FormData) {
  const fields = formFields(formData);
  return postFormSchema.safeParse(fields);
}
