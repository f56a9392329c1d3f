import { hash, verify } from "@node-rs/argon2";

// argon2id with OWASP's first recommended setting (19 MiB, 2 passes, 1 lane): @node-rs/argon2's defaults.
// https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id

/** The argon2id PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`) of a password. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* Argon2id */ });
}

/** True when `password` matches the PHC string; false for a wrong password or a malformed hash. */
export async function verifyPassword(data: { hash: string; password: string }): Promise<boolean> {
  try {
    return await verify(data.hash, data.password);
  } catch {
    return false;
  }
}

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * Why a new password is too weak, or null when it is acceptable: at least 12 characters, at most 128,
 * at least 3 of lower case / upper case / digits / other (or 16 characters and more), not made of the
 * email's name, not one character repeated.
 */
export function passwordWeakness(password: string, email?: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `use at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > 128) return "use at most 128 characters";
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3 && password.length < 16) return "mix lower case, upper case, digits and symbols (three of them), or use 16 characters or more";
  if (new Set(password).size < 5) return "use more different characters";
  const name = email?.split("@")[0]?.toLowerCase();
  if (name && name.length >= 4 && password.toLowerCase().includes(name)) return "do not use your email's name in the password";
  return null;
}
