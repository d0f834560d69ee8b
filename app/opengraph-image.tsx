import { ImageResponse } from 'next/og';
import { SITE_NAME } from '@/lib/site';

// One image for every page, made at build time from no data: nothing to cache or invalidate.
export const alt = `${SITE_NAME}: tagged caching with Next.js 16`;
export const size = { width: 1200, height: 630 };
export const contentType = 'image/png';

export default function OpenGraphImage() {
  return new ImageResponse(
    (
      <div
        style={{
          width: '100%',
          height: '100%',
          display: 'flex',
          flexDirection: 'column',
          justifyContent: 'center',
          padding: 96,
          background: '#4f46e5',
          color: 'white',
        }}
      >
        <div style={{ fontSize: 88, fontWeight: 700, letterSpacing: -2 }}>{SITE_NAME}</div>
        <div style={{ marginTop: 24, fontSize: 40, opacity: 0.85 }}>
          Every read cached with tags, every write invalidating exactly those tags.
        </div>
      </div>
    ),
    size,
  );
}
