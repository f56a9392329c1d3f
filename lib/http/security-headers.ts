/**
 * The web app's response headers against XSS, clickjacking, MIME sniffing and referrer leaks — the one
 * place they are defined; `proxy.ts` sets them on every response (pages, API, static files).
 * Pure functions: no `next/*` import, so unit tests and other processes can read the policy.
 *
 * CSP reference: https://developer.mozilla.org/docs/Web/HTTP/Headers/Content-Security-Policy and
 * Next.js's guide (node_modules/next/dist/docs/01-app/02-guides/content-security-policy.md).
 */

/** Options of `contentSecurityPolicy`. */
export interface ContentSecurityPolicyOptions {
  /** The per-request nonce (base64, ≥ 128 bits of randomness) Next.js puts on its own scripts. */
  nonce: string;
  /** `next dev`: React's dev build reconstructs server stacks with `eval`; production never needs it. */
  development?: boolean;
}

/**
 * The Content-Security-Policy header value for one response.
 * - Scripts: only those carrying this response's nonce, and what they load (`'strict-dynamic'`); no
 *   `'unsafe-inline'`, and no `'unsafe-eval'` outside development. A payload that slips into the markup
 *   as `<script>` or an `on…=` attribute has no nonce and does not run.
 * - Styles: `<style>`/`<link>` elements need the nonce or our origin, but style *attributes* are allowed
 *   (`style-src-attr 'unsafe-inline'`): React renders `style={…}` props as attributes in server HTML,
 *   and Recharts positions its SVG and tooltips with them. A style attribute cannot run script; data is
 *   never rendered as markup, so an attacker cannot add one anyway.
 * - Nothing may frame the app (`frame-ancestors 'none'`), no plugins, `<base>` and form targets stay on
 *   our origin.
 */
export function contentSecurityPolicy(options: ContentSecurityPolicyOptions): string {
  const nonce = `'nonce-${options.nonce}'`;
  const directives: Record<string, string> = {
    "default-src": "'self'",
    "script-src": `'self' ${nonce} 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src": `'self' ${nonce}`,
    "style-src-attr": "'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
  };
  return Object.entries(directives).map(([name, value]) => `${name} ${value}`).join("; ");
}

/** A fresh nonce for one response: 128 random bits, base64. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}

/** Headers every response carries besides the CSP. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  // Never guess a content type: an export or raw record served as JSON/CSV stays data.
  "X-Content-Type-Options": "nosniff",
  // Links out of the app carry no URL (filters in URLs name principals, IPs, buckets).
  "Referrer-Policy": "same-origin",
  // Clickjacking for browsers older than CSP's frame-ancestors.
  "X-Frame-Options": "DENY",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "Cross-Origin-Opener-Policy": "same-origin",
};
