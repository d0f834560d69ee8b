// Formatted in UTC on the server, so the cached HTML is the same for every reader and never mismatches on hydration.
const format = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' });

export function FormattedDate({ date }: { date: Date }) {
  return <time dateTime={date.toISOString()}>{format.format(date)}</time>;
}
