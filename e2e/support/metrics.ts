import type { APIRequestContext } from '@playwright/test';

export function metricsToken(): string {
  const token = process.env.METRICS_TOKEN;
  if (!token) throw new Error('METRICS_TOKEN is not set: run the e2e suite through `npm test`');
  return token;
}

/** `name{b="2",a="1"}` → `name{a="1",b="2"}`: one spelling per series, whatever order the labels come in. */
export function seriesKey(series: string): string {
  const match = /^([^{\s]+)(?:\{(.*)\})?$/.exec(series.trim());
  if (!match) return series;
  const labels = (match[2] ?? '').match(/\w+="(?:[^"\\]|\\.)*"/g) ?? [];
  return labels.length ? `${match[1]}{${labels.sort().join(',')}}` : match[1];
}

/** GET /api/metrics, parsed: series → value. */
export async function scrape(request: APIRequestContext): Promise<Map<string, number>> {
  const response = await request.get('/api/metrics', { headers: { authorization: `Bearer ${metricsToken()}` } });
  if (response.status() !== 200) throw new Error(`/api/metrics answered ${response.status()}`);
  const values = new Map<string, number>();
  for (const line of (await response.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    values.set(seriesKey(line.slice(0, at)), Number(line.slice(at + 1)));
  }
  return values;
}

/** One series' value (0 when absent: a counter never incremented is not printed with those labels). */
export const valueOf = (values: Map<string, number>, series: string) => values.get(seriesKey(series)) ?? 0;
