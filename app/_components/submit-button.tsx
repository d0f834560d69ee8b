'use client';
import { useFormStatus } from 'react-dom';

/** A submit button that shows the form is working and cannot be pressed twice meanwhile. */
export function SubmitButton({
  children,
  pendingText,
  className = '',
  ...props
}: React.ButtonHTMLAttributes<HTMLButtonElement> & { pendingText: string }) {
  const { pending } = useFormStatus();
  return (
    <button
      type="submit"
      disabled={pending}
      aria-disabled={pending}
      className={`rounded-md px-4 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60 ${className}`}
      {...props}
    >
      {pending ? pendingText : children}
    </button>
  );
}
