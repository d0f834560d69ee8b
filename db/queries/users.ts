// Who a session belongs to: the account, its role and the author it writes as.
import { eq } from 'drizzle-orm';
import type { Database } from '../client';
import { authors, user } from '../schema';

/** The signed-in user's role and the author they write as. */
export async function getStudioUser(db: Database, userId: string) {
  const [row] = await db
    .select({ id: user.id, name: user.name, email: user.email, role: user.role, authorId: authors.id })
    .from(user)
    .leftJoin(authors, eq(authors.userId, user.id))
    .where(eq(user.id, userId))
    .limit(1);
  return row ?? null;
}
