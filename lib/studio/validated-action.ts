// The one wrapper for the Server Actions behind forms (the shape of nextjs/saas-starter's `validatedAction`). It
// owns what every such action does before and after its own logic: who is asking, what the form is about, whether
// its fields are valid, and handing the result to the page for a form posted without JavaScript. Every refusal has
// one shape (a message, the fields to mark, and what the user typed), so the form comes back with nothing lost.
// Not a 'use server' file: it exports a factory, and the actions it builds are exported from those files.
import type { z } from 'zod';
import { isDatabaseUnavailable } from '@/db/client';
import { keepFormResult } from '@/lib/form-result';

export const CORRECT_FIELDS = 'Please correct the fields marked below.';
const DATABASE_AWAY = 'The database did not answer in time, so this may not have been saved. Your text is kept here: save again in a moment.';

/** A step's answer: a value to go on with, or the message the form is refused with. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

type FieldKey<S extends z.ZodType> = Extract<keyof z.output<S>, string>;
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export interface Refusal<Fields, K extends string> {
  status: 'error';
  message: string;
  fieldErrors?: FieldErrors<K>;
  fields: Fields;
}

export interface FormActionSpec<S extends z.ZodType, Fields, User, Target> {
  /** Which form the result belongs to (lib/studio/form-keys.ts), for the page render after a post without JavaScript. */
  form: string | ((formData: FormData) => string);
  /** What the user typed, returned with every refusal so it is shown again. */
  fields: (formData: FormData) => Fields;
  /** What the form acts on, from its hidden fields. Checked before the visible fields, so a damaged form says so. */
  target?: (formData: FormData, user: User) => Checked<Target> | Promise<Checked<Target>>;
  schema: S;
  /** What is validated when it is more than `fields` (a password is checked, never shown again). */
  input?: (formData: FormData, fields: Fields) => unknown;
  /** One message for any invalid input, with no field marked: the sign-in form must not say which part was wrong. */
  invalid?: string;
  /**
   * Answer "the database did not answer in time" (a busy pool, a lock, a restart) with the form and the user's text,
   * never an error page. The write may or may not have happened; saving again is safe either way (a save that did go
   * through makes the next one a conflict, which shows what changed and keeps the text).
   */
  databaseAway?: boolean;
}

export interface FormActionContext<S extends z.ZodType, Fields, User, Target> {
  formData: FormData;
  fields: Fields;
  user: User;
  target: Target;
  /** The form back with `message`. */
  refuse: (message: string) => Refusal<Fields, FieldKey<S>>;
  /** The form back with these fields marked, as when validation fails. */
  markFields: (fieldErrors: FieldErrors<FieldKey<S>>) => Refusal<Fields, FieldKey<S>>;
}

type FormAction<Result> = (previous: Result, formData: FormData) => Promise<Result>;

/** A form action that needs no signed-in user (signing in). */
export function validatedAction<S extends z.ZodType, Fields, State, Target = undefined>(
  spec: FormActionSpec<S, Fields, undefined, Target>,
  body: (input: z.output<S>, context: FormActionContext<S, Fields, undefined, Target>) => Promise<State>,
): FormAction<State | Refusal<Fields, FieldKey<S>>> {
  return formAction(spec, async () => ({ ok: true, value: undefined }), body);
}

/**
 * A form action for a signed-in user: `user()` is read first, on every call (a Server Action is a public endpoint,
 * whatever the page offered), and without one the form is refused with `signedOut`.
 */
export function validatedActionWithUser<S extends z.ZodType, Fields, User, State, Target = undefined>(
  spec: FormActionSpec<S, Fields, User, Target> & { user: () => Promise<User | null>; signedOut: string },
  body: (input: z.output<S>, context: FormActionContext<S, Fields, User, Target>) => Promise<State>,
): FormAction<State | Refusal<Fields, FieldKey<S>>> {
  const who = async (): Promise<Checked<User>> => {
    const user = await spec.user();
    return user ? { ok: true, value: user } : { ok: false, message: spec.signedOut };
  };
  return formAction(spec, who, body);
}

function formAction<S extends z.ZodType, Fields, User, State, Target>(
  spec: FormActionSpec<S, Fields, User, Target>,
  who: () => Promise<Checked<User>>,
  body: (input: z.output<S>, context: FormActionContext<S, Fields, User, Target>) => Promise<State>,
): FormAction<State | Refusal<Fields, FieldKey<S>>> {
  type Result = State | Refusal<Fields, FieldKey<S>>;

  async function run(formData: FormData, fields: Fields): Promise<Result> {
    const refuse = (message: string): Refusal<Fields, FieldKey<S>> => ({ status: 'error', message, fields });
    const markFields = (fieldErrors: FieldErrors<FieldKey<S>>): Refusal<Fields, FieldKey<S>> => ({
      status: 'error',
      message: CORRECT_FIELDS,
      fieldErrors,
      fields,
    });
    const user = await who();
    if (!user.ok) return refuse(user.message);
    const target = spec.target ? await spec.target(formData, user.value) : { ok: true as const, value: undefined as Target };
    if (!target.ok) return refuse(target.message);
    const parsed = spec.schema.safeParse(spec.input ? spec.input(formData, fields) : fields);
    if (!parsed.success) return spec.invalid ? refuse(spec.invalid) : markFields(firstErrorPerField<FieldKey<S>>(parsed.error));
    return body(parsed.data, { formData, fields, user: user.value, target: target.value, refuse, markFields });
  }

  return async (_previous, formData) => {
    const fields = spec.fields(formData);
    const running = run(formData, fields);
    const result = spec.databaseAway ? await running.catch(whenDatabaseAway(fields)) : await running;
    // Without JavaScript, the page rendered after this action shows the result (lib/form-result.ts).
    await keepFormResult(typeof spec.form === 'string' ? spec.form : spec.form(formData), result);
    return result;
  };
}

function firstErrorPerField<K extends string>(error: z.ZodError): FieldErrors<K> {
  const fieldErrors: FieldErrors<K> = {};
  for (const issue of error.issues) fieldErrors[issue.path[0] as K] ??= issue.message;
  return fieldErrors;
}

function whenDatabaseAway<F>(fields: F) {
  return (error: unknown): Refusal<F, never> => {
    if (!isDatabaseUnavailable(error)) throw error;
    return { status: 'error', message: DATABASE_AWAY, fields };
  };
}
