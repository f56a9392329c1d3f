// Runs before every request the web app answers (Next.js 16 "proxy", formerly middleware; Node.js
// runtime). The one place for the response security headers and the CSRF check
// (lib/http/security-headers.ts, lib/http/cross-site-request.ts).
import { NextResponse, type NextRequest } from "next/server";
import { config as appConfig } from "./lib/config";
import { crossSiteRefusal, ownOrigins } from "./lib/http/cross-site-request";
import { contentSecurityPolicy, newNonce, SECURITY_HEADERS } from "./lib/http/security-headers";

/**
 * Refuses a state-changing request another site started (403 JSON `{ error }`); otherwise passes the
 * request on with a fresh CSP nonce — in the request's `Content-Security-Policy` header, where Next.js
 * reads it to put it on its own scripts, and in `x-nonce` for our components — and sets the CSP and the
 * other security headers on the response. Pages are rendered per request (app/layout.tsx awaits
 * `connection()`), so every page's scripts carry the nonce of its own response.
 */
export function proxy(request: NextRequest): NextResponse {
  const refusal = crossSiteRefusal({
    method: request.method,
    header: (name) => request.headers.get(name),
    ownOrigins: ownOrigins({ host: request.headers.get("host"), protocol: request.nextUrl.protocol, publicUrl: appConfig().TRAILWATCH_PUBLIC_URL }),
  });
  const nonce = newNonce();
  // NODE_ENV is Next's build mode, inlined by its bundler (`next dev` vs `next build`), not configuration.
  const csp = contentSecurityPolicy({ nonce, development: process.env.NODE_ENV === "development" });
  let response: NextResponse;
  if (refusal) {
    response = NextResponse.json({ error: refusal }, { status: 403, headers: { "Cache-Control": "no-store" } });
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set("x-nonce", nonce);
    requestHeaders.set("Content-Security-Policy", csp);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
  return response;
}
