// What `next build` prerendered, read from its output: the first-request tests ask for these URLs.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';

type Route = { srcRoute?: string; initialRevalidateSeconds?: number | false };

const routesOf = (distDir: string): Record<string, Route> =>
  JSON.parse(readFileSync(path.join(distDir, 'prerender-manifest.json'), 'utf8')).routes;

/** A prerendered post, a product page, the feed and the sitemap: each one the build rendered. */
export function prerenderedUrls(distDir: string): string[] {
  const routes = routesOf(distDir);
  const post = Object.keys(routes).find((url) => routes[url].srcRoute === '/posts/[slug]');
  const urls = [post ?? 'a prerendered post', '/catalog/TEE-002', '/feed.xml', '/sitemap.xml'];
  for (const url of urls) expect(routes[url], `${url} is prerendered by the build`).toBeTruthy();
  return urls;
}

/**
 * What a first request for a prerendered URL answers: HIT, or STALE once the build's copy is older than its revalidate
 * time (served while a fresh one renders, as any entry past that time is; the product page's is a minute). Never
 * MISS: that would mean the build's render was not found and the page was rendered again.
 */
export function firstAnswer(distDir: string, url: string): 'HIT' | 'STALE' {
  const revalidate = routesOf(distDir)[url]?.initialRevalidateSeconds;
  const file = path.join(distDir, 'server', 'app', url);
  const built = statSync(existsSync(`${file}.html`) ? `${file}.html` : `${file}.body`).mtimeMs;
  return typeof revalidate === 'number' && Date.now() - built >= revalidate * 1000 ? 'STALE' : 'HIT';
}
