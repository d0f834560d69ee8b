'use client';
// Errors in any page below the root layout, the studio's included (its layout stays, so its navigation does too).
import { ErrorView } from './_components/error-view';

export default function Error({ error, retry }: { error: unknown; retry: () => void }) {
  return <ErrorView error={error} retry={retry} />;
}
