import { notFound } from 'next/navigation';

export const metadata = { title: 'Not found' };

// proxy.ts rewrites a studio post page whose post does not exist here: this page is "not found" already when it
// is prerendered, so its response starts with a 404 (a page's own notFound() runs after the shell's 200 was sent).
export default function StudioMissing(): React.ReactNode {
  notFound();
}
