'use client';
// Errors in a studio page: shown under the studio's own navigation (its layout stays).
import { ErrorView } from '../_components/error-view';

export default function StudioError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorView error={error} retry={retry} />;
}
