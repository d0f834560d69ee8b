import type { MetadataRoute } from 'next';
import { siteUrl } from '@/lib/site';

// Crawlers keep to the public pages: the studio and sign-in are for authors, the API for machines.
export default function robots(): MetadataRoute.Robots {
  return {
    rules: { userAgent: '*', allow: '/', disallow: ['/studio', '/sign-in', '/api'] },
    sitemap: `${siteUrl()}/sitemap.xml`,
  };
}
