// POST from the preview bar: leave the preview (lib/studio/preview.ts).
import { exitPreview } from '@/lib/studio/preview';

export const POST = (request: Request) => exitPreview(request);
