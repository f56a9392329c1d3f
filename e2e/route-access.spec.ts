// The route-enumeration test: every page, route handler and server action is listed from the code,
// must have an entry in the one access policy (lib/auth/access-policy.ts) and go through its wrapper,
// and is called as anonymous, viewer, analyst and admin against the running app on real Postgres:
// whatever the policy does not allow must be refused (401 anonymous / 403 a role too low).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext } from "@playwright/test";
import { ACTION_POLICY, PAGE_POLICY, ROUTE_POLICY, type Access } from "../lib/auth/access-policy";
import { hasRole, ROLES, type Role } from "../lib/auth/roles";
import { E2E_USERS, storageStateFor } from "./e2e-users";
import { signInAs } from "./sign-in-as";

const ROOT = path.resolve(import.meta.dirname, "..");
const APP = path.join(ROOT, "app");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
const appFiles = walk(APP);
/** `app/rules/[id]/edit/page.tsx` → `/rules/[id]/edit`. */
const routeOf = (file: string) => "/" + path.relative(APP, path.dirname(file)).split(path.sep).filter(Boolean).join("/");
/** A concrete URL for a dynamic path. */
const SAMPLE: Record<string, string> = { "[id]": "cloudtrail-logging-stopped", "[account]": "111122223333", "[eventId]": "e2e-stop-logging" };
const concrete = (route: string) => route.split("/").map((s) => (route.startsWith("/alerts") && s === "[id]" ? "1" : SAMPLE[s] ?? s)).join("/");

type Caller = Role | "anonymous";
const CALLERS: Caller[] = ["anonymous", ...ROLES];
const allowed = (access: Access, caller: Caller) => access === "public" || (caller !== "anonymous" && hasRole(caller, access));
/** What a refusal looks like for this caller. */
const refusal = (caller: Caller) => (caller === "anonymous" ? 401 : 403);

const pages = appFiles.filter((f) => path.basename(f) === "page.tsx").map((file) => ({ file, route: routeOf(file) }));
const routes = appFiles
  .filter((f) => path.basename(f) === "route.ts")
  .flatMap((file) => {
    const text = readFileSync(file, "utf8");
    const methods = [...text.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\b/g)].map((m) => m[1]!);
    return methods.map((method) => ({ file, method, route: routeOf(file), text }));
  });
const actionFiles = appFiles.filter((f) => /\.(ts|tsx)$/.test(f) && /^\s*["']use server["']/.test(readFileSync(f, "utf8")));

test.describe("every page, route and action has an authorisation decision in the code", () => {
  test("pages: each in PAGE_POLICY, and each non-public one calls requirePage with its own path", () => {
    const missing = pages.filter((p) => !(p.route in PAGE_POLICY)).map((p) => p.route);
    expect(missing, "pages missing from PAGE_POLICY").toEqual([]);
    const unchecked = pages.filter((p) => PAGE_POLICY[p.route as keyof typeof PAGE_POLICY] !== "public" && !readFileSync(p.file, "utf8").includes(`requirePage("${p.route}")`));
    expect(unchecked.map((p) => p.route), "pages without their requirePage check").toEqual([]);
    expect(Object.keys(PAGE_POLICY).filter((k) => !pages.some((p) => p.route === k)), "PAGE_POLICY entries with no page").toEqual([]);
  });

  test("route handlers: each method through guardRoute with its own key, each in ROUTE_POLICY", () => {
    expect(routes.length).toBeGreaterThan(10);
    const bad = routes.filter((r) => !r.text.includes(`export const ${r.method} = guardRoute("${r.method} ${r.route}"`)).map((r) => `${r.method} ${r.route}`);
    expect(bad, "handlers not wrapped by guardRoute with their own key").toEqual([]);
    const missing = routes.map((r) => `${r.method} ${r.route}`).filter((k) => !(k in ROUTE_POLICY));
    expect(missing, "routes missing from ROUTE_POLICY").toEqual([]);
    expect(Object.keys(ROUTE_POLICY).filter((k) => !routes.some((r) => `${r.method} ${r.route}` === k)), "ROUTE_POLICY entries with no handler").toEqual([]);
  });

  test("server actions: every export of a \"use server\" file is guardAction/publicAction with its own name, each in ACTION_POLICY", () => {
    expect(actionFiles.length).toBeGreaterThan(4);
    const problems: string[] = [];
    const names: string[] = [];
    for (const file of actionFiles) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^export\s+(?!interface\b|type\b)(async\s+function|function|const|let|var|default)\s*(\w*)/gm)) {
        const name = m[2]!;
        const wrapped = new RegExp(`^export const ${name} = (guardAction|publicAction)\\("${name}"`, "m").exec(text);
        if (!wrapped) problems.push(`${path.relative(ROOT, file)}: ${name} is not wrapped by guardAction/publicAction("${name}")`);
        else if (!(name in ACTION_POLICY)) problems.push(`${name} is missing from ACTION_POLICY`);
        else if ((wrapped[1] === "publicAction") !== (ACTION_POLICY[name as keyof typeof ACTION_POLICY] === "public")) problems.push(`${name}: wrapper does not match its policy`);
        names.push(name);
      }
    }
    expect(problems).toEqual([]);
    expect(Object.keys(ACTION_POLICY).filter((k) => !names.includes(k)), "ACTION_POLICY entries with no action").toEqual([]);
  });
});

test.describe("the role matrix holds against the running app", () => {
  test.describe.configure({ timeout: 240_000 });
  const contexts = new Map<Caller, APIRequestContext>();

  test.beforeAll(async ({ baseURL }) => {
    contexts.set("anonymous", await playwrightRequest.newContext({ baseURL, storageState: { cookies: [], origins: [] } }));
    for (const role of ROLES) contexts.set(role, await playwrightRequest.newContext({ baseURL, storageState: storageStateFor(role) }));
  });
  test.afterAll(async () => {
    for (const c of contexts.values()) await c.dispose();
  });

  test("route handlers", async () => {
    const wrong: string[] = [];
    for (const r of routes) {
      const access = ROUTE_POLICY[`${r.method} ${r.route}` as keyof typeof ROUTE_POLICY];
      for (const caller of CALLERS) {
        const res = await contexts.get(caller)!.fetch(concrete(r.route), { method: r.method, data: r.method === "GET" ? undefined : {}, maxRedirects: 0 });
        const ok = allowed(access, caller) ? ![401, 403].includes(res.status()) : res.status() === refusal(caller);
        if (!ok) wrong.push(`${r.method} ${r.route} as ${caller}: ${res.status()} (policy ${access})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("pages", async () => {
    const wrong: string[] = [];
    for (const p of pages) {
      const access = PAGE_POLICY[p.route as keyof typeof PAGE_POLICY];
      for (const caller of CALLERS) {
        const res = await contexts.get(caller)!.get(concrete(p.route), { maxRedirects: 0 });
        const toLogin = res.status() >= 300 && res.status() < 400 && /\/login$/.test(res.headers().location ?? "");
        // A public page may send on (/setup goes to /login once a user exists); a guarded one never to /login when allowed.
        const ok = allowed(access, caller) ? ![401, 403].includes(res.status()) && (access === "public" || !toLogin) : caller === "anonymous" ? toLogin : res.status() === 403;
        if (!ok) wrong.push(`${p.route} as ${caller}: ${res.status()} ${res.headers().location ?? ""} (policy ${access})`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test("server actions", async ({ baseURL, browser }) => {
    // Action ids come from the build (the same build the server runs); each is posted as the browser would.
    const manifest = JSON.parse(readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
      node: Record<string, { workers: Record<string, unknown>; exportedName?: string; filename?: string }>;
    };
    const actions = Object.entries(manifest.node).map(([id, a]) => ({ id, name: a.exportedName!, page: Object.keys(a.workers)[0]! }));
    expect(actions.map((a) => a.name).sort()).toEqual(Object.keys(ACTION_POLICY).sort());
    // Fresh sessions (not the shared storage states): signOutAction ends the session it is called with. Signed in
    // from addresses of their own, so the sign-in rate limit of 127.0.0.1 is left to the other specs.
    const sessions = new Map<Caller, APIRequestContext>([["anonymous", contexts.get("anonymous")!]]);
    for (const [i, role] of ROLES.entries()) {
      const context = await signInAs(browser, baseURL!, E2E_USERS[role], `198.51.100.${10 + i}`);
      sessions.set(role, await playwrightRequest.newContext({ baseURL, storageState: await context.storageState() }));
      await context.close();
    }
    const wrong: string[] = [];
    const ordered = [...actions.filter((a) => a.name !== "signOutAction"), ...actions.filter((a) => a.name === "signOutAction")];
    for (const action of ordered) {
      const access = ACTION_POLICY[action.name as keyof typeof ACTION_POLICY];
      const url = concrete("/" + action.page.replace(/^app\/?/, "").replace(/\/?page$/, ""));
      for (const caller of CALLERS) {
        const res = await sessions.get(caller)!.post(url, {
          headers: { "Next-Action": action.id, "Content-Type": "text/plain;charset=UTF-8", Origin: baseURL!, Accept: "text/x-component" },
          data: "[]", maxRedirects: 0,
        });
        const ok = allowed(access, caller) ? ![401, 403].includes(res.status()) : res.status() === refusal(caller);
        if (!ok) wrong.push(`${action.name} as ${caller}: ${res.status()} (policy ${access})`);
      }
    }
    for (const [caller, c] of sessions) if (caller !== "anonymous") await c.dispose();
    expect(wrong).toEqual([]);
  });
});
