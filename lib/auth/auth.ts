import { randomUUID } from "node:crypto";
import { betterAuth } from "better-auth";
import { nextCookies } from "better-auth/next-js";
import { appSecret, deriveKey } from "../app-secret";
import { config } from "../config";
import { getPool } from "../db/pool";
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from "./password";

const timestamps = { createdAt: "created_at", updatedAt: "updated_at" } as const;

function createAuth() {
  const cfg = config();
  return betterAuth({
    appName: "Trailwatch",
    baseURL: cfg.TRAILWATCH_PUBLIC_URL,
    secret: deriveKey(appSecret(cfg), "auth-session").toString("hex"),
    database: getPool(),
    emailAndPassword: {
      enabled: true,
      // Users are made by admins (/admin/users), the CLI or the one-time setup page, never by sign-up.
      disableSignUp: true,
      minPasswordLength: MIN_PASSWORD_LENGTH,
      password: { hash: hashPassword, verify: verifyPassword },
    },
    session: {
      modelName: "sessions",
      fields: { userId: "user_id", expiresAt: "expires_at", ipAddress: "ip_address", userAgent: "user_agent", ...timestamps },
      expiresIn: cfg.TRAILWATCH_SESSION_MAX_AGE_HOURS * 3600,
      updateAge: Math.min(3600, cfg.TRAILWATCH_SESSION_MAX_AGE_HOURS * 1800),
      // Every request reads the session from Postgres, so a revoked session or a disabled user is out at once.
      cookieCache: { enabled: false },
    },
    user: {
      modelName: "users",
      fields: { emailVerified: "email_verified", ...timestamps },
      additionalFields: {
        role: { type: "string", required: false, defaultValue: "viewer", input: false },
        disabled: { type: "boolean", required: false, defaultValue: false, input: false },
      },
    },
    account: {
      modelName: "accounts",
      fields: {
        accountId: "account_id", providerId: "provider_id", userId: "user_id", accessToken: "access_token", refreshToken: "refresh_token",
        idToken: "id_token", accessTokenExpiresAt: "access_token_expires_at", refreshTokenExpiresAt: "refresh_token_expires_at", ...timestamps,
      },
    },
    verification: { modelName: "verifications", fields: { expiresAt: "expires_at", ...timestamps } },
    // Sign-in attempts are limited per account and per address in lib/auth/login-throttle.ts.
    rateLimit: { enabled: false },
    advanced: {
      cookiePrefix: "trailwatch",
      // HttpOnly and SameSite=Lax always; Secure (and the __Secure- prefix) when people reach Trailwatch over https.
      useSecureCookies: cfg.TRAILWATCH_PUBLIC_URL.startsWith("https://"),
      database: { generateId: () => randomUUID() },
    },
    databaseHooks: {
      session: {
        create: {
          // A disabled user's correct password still opens no session.
          before: async (session) => {
            const { rows } = await getPool().query<{ disabled: boolean }>(`SELECT disabled FROM users WHERE id = $1`, [session.userId]);
            return rows[0] && !rows[0].disabled ? undefined : false;
          },
        },
      },
    },
    plugins: [nextCookies()],
  });
}

let instance: ReturnType<typeof createAuth> | undefined;

/** The process's Better Auth instance (email + password, sessions in Postgres), made on first use. */
export function auth(): ReturnType<typeof createAuth> {
  instance ??= createAuth();
  return instance;
}
