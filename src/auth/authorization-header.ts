/** What an `Authorization` header carries. */
export type Credentials =
  | { kind: 'none' }
  /** `Bearer <token>`, or the bare token as FlexMeasures clients send it. */
  | { kind: 'token'; token: string }
  /** `Basic base64(login:secret)`, as Python's requests sends a netrc entry. */
  | { kind: 'basic'; login: string; secret: string }
  | { kind: 'malformed-basic' };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Reads an `Authorization` header; absent or blank is `none`. */
export function parseAuthorization(header: string | undefined): Credentials {
  const text = header?.trim();
  if (!text) return { kind: 'none' };
  const basic = /^Basic(?:\s+(.*))?$/i.exec(text);
  if (basic) {
    const encoded = basic[1]?.trim() ?? '';
    const decoded = BASE64.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon < 1 || colon === decoded.length - 1) return { kind: 'malformed-basic' };
    return { kind: 'basic', login: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
  }
  const bearer = /^Bearer\s+(\S+)$/i.exec(text);
  return { kind: 'token', token: bearer ? bearer[1] : text };
}
