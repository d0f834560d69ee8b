import { connection } from 'next/server';
import { handleMetricsRequest } from '@/metrics/endpoint';

// Live numbers: `connection()` keeps the route from being prerendered at build time and cached.
export async function GET(request: Request) {
  await connection();
  return handleMetricsRequest(request);
}
