/**
 * Characters XML 1.0 cannot carry at all, not even as character references: C0 controls other than tab, newline
 * and carriage return, lone surrogates, U+FFFE and U+FFFF. One of them in a title made the whole feed malformed,
 * so every reader rejected it; they are dropped (the studio refuses them at input, but rows can come from elsewhere).
 */
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an XML element or attribute value. */
export const escapeXml = (text: string) =>
  text
    .replace(XML_INVALID, '')
    .replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
