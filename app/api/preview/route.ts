// POST from the studio editor's "Preview" button: start a full-page preview (lib/studio/preview.ts).
import { startPreview } from '@/lib/studio/preview';

export const POST = (request: Request) => startPreview(request);
