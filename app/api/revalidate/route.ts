import { handleRevalidateWebhook, methodNotAllowed } from '@/lib/webhooks/revalidate';

export const POST = handleRevalidateWebhook;
export const GET = methodNotAllowed;
export const PUT = methodNotAllowed;
export const PATCH = methodNotAllowed;
export const DELETE = methodNotAllowed;
