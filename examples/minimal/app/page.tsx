import { getGreeting } from '@/lib/greeting';
import { saveGreeting } from './actions';

export default async function Home() {
  const { text, renderedAt } = await getGreeting();
  return (
    <main>
      <h1>{text}</h1>
      <p>
        Rendered at <time>{renderedAt}</time>
      </p>
      <form action={saveGreeting}>
        <input name="text" aria-label="Greeting" />
        <button type="submit">Save</button>
      </form>
    </main>
  );
}
