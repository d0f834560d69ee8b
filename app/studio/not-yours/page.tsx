import { forbidden } from 'next/navigation';

export const metadata = { title: 'Not your post' };

// proxy.ts rewrites a studio post page of someone else's post here, for a 403 from the first byte (see ../missing).
export default function StudioNotYours(): React.ReactNode {
  forbidden();
}
