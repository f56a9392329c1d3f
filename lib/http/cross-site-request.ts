/**
 * CSRF defence for state-changing requests (POST, PUT, PATCH, DELETE, and server actions, which are
 * POSTs): a browser tells us where a request comes from (`Sec-Fetch-Site`, else `Origin`); a request
 * started by another site is refused. The same algorithm as Go's `net/http.CrossOriginProtection`
 * (Go 1.25) and Filippo Valsorda's "CSRF" write-up, plus the app's public origin as a trusted one.
 * Pure: `proxy.ts` applies it to every request, in one place.
 *
 * - Safe methods (GET, HEAD, OPTIONS) pass: they change nothing.
 * - `Authorization: Bearer …` with no `Cookie`: an API token the caller had to hold itself; a browser
 *   never adds one on its own, so the request cannot be forged.
 * - `Sec-Fetch-Site: same-origin` or `none` (typed by the user) passes; `same-site` and `cross-site`
 *   pass only when `Origin` is one of the app's own origins.
 * - No `Sec-Fetch-Site`: `Origin` must be one of the app's own origins (the Host the request was sent to,
 *   or TRAILWATCH_PUBLIC_URL's origin behind a reverse proxy); `Origin: null` (sandboxed or privacy-
 *   redirected) is refused.
 * - Neither header: not a browser (curl, a script, an integration test) or a browser older than 2020 —
 *   every current browser sends `Origin` on cross-origin POSTs — so the request passes.
 */

/** What `crossSiteRefusal` reads of a request. Header names lower-case. */
export interface CrossSiteRequestInput {
  method: string;
  /** Reads one request header (case-insensitive), null when absent. */
  header: (name: string) => string | null;
  /** Origins the app answers as, e.g. `["http://127.0.0.1:3000", "https://trailwatch.example.com"]`. */
  ownOrigins: readonly string[];
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/** Null when the request may proceed, else the reason it is refused (for the 403 body). */
export function crossSiteRefusal(request: CrossSiteRequestInput): string | null {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return null;
  const authorization = request.header("authorization");
  if (authorization && /^bearer\s+\S/i.test(authorization) && !request.header("cookie")) return null;
  const origin = request.header("origin");
  const own = origin !== null && request.ownOrigins.includes(origin);
  const site = request.header("sec-fetch-site");
  if (site !== null) {
    if (site === "same-origin" || site === "none" || own) return null;
    return `cross-site request refused (Sec-Fetch-Site: ${site})`;
  }
  if (origin === null || own) return null;
  return `cross-origin request refused (Origin: ${origin})`;
}

/**
 * The origins a request may come from: the Host it was sent to (with the scheme it arrived on) and
 * the configured public URL's origin. Throws nothing: a malformed Host yields only the public origin.
 */
export function ownOrigins(options: { host: string | null; protocol: string; publicUrl: string }): string[] {
  const origins = [new URL(options.publicUrl).origin];
  if (options.host) {
    try {
      origins.push(new URL(`${options.protocol.replace(/:?$/, ":")}//${options.host}`).origin);
    } catch {
      // not a host: only the configured origin counts
    }
  }
  return origins;
}
