import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense, type ReactNode } from "react";
import { MainNav } from "../components/main-nav";
import { PAGE_POLICY } from "../lib/auth/access-policy";
import { actorName } from "../lib/auth/actor";
import { currentCaller } from "../lib/auth/authenticate";
import { hasRole } from "../lib/auth/roles";
import { signOutAction } from "./login/actions";
import { NAV_ITEMS } from "./nav-items";
import "./globals.css";
import { safeHref } from "../lib/http/safe-href";

export const metadata: Metadata = {
  title: { default: "Trailwatch", template: "%s · Trailwatch" },
  description: "Self-hosted security dashboard for AWS CloudTrail and VPC Flow Logs.",
  // An internal security tool: keep it out of search indexes if it is ever exposed.
  robots: { index: false, follow: false },
};

/** The navigation without the carried filters, for the moment before the client has the URL. */
function MainNavFallback({ items }: { items: readonly { href: string; label: string }[] }) {
  return (
    <nav aria-label="Main" className="flex items-center gap-1">
      {items.map((item) => (
        <Link key={item.href} href={safeHref(item.href)} className="rounded-md px-3 py-1.5 text-sm font-medium text-slate-300">
          {item.label}
        </Link>
      ))}
    </nav>
  );
}

/**
 * Every page is rendered per request: the CSP nonce proxy.ts makes for a response must be on that
 * response's scripts, which a page prerendered at build time cannot have (its scripts would be blocked).
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  await connection();
  const caller = await currentCaller();
  // Hiding is for clarity only: every page, route and action checks the role on the server.
  const items = caller ? NAV_ITEMS.filter((item) => hasRole(caller.role, PAGE_POLICY[item.href])) : [];
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <header className="border-b border-slate-800 bg-slate-900">
          <div className="mx-auto flex h-14 max-w-7xl items-center gap-8 px-6">
            <Link href="/overview" className="flex items-center gap-2 text-white">
              <svg aria-hidden="true" viewBox="0 0 24 24" className="h-6 w-6 text-sky-400" fill="none" stroke="currentColor" strokeWidth="2">
                <path d="M12 3l7 3v5c0 4.5-3 8.3-7 10-4-1.7-7-5.5-7-10V6l7-3z" strokeLinejoin="round" />
                <path d="M8.5 12.5l2.5 2.5 4.5-5" strokeLinecap="round" strokeLinejoin="round" />
              </svg>
              <span className="text-base font-semibold tracking-tight">Trailwatch</span>
            </Link>
            {/* useSearchParams needs a boundary on pages rendered at build time (e.g. not-found). */}
            <Suspense fallback={<MainNavFallback items={items} />}>
              <MainNav items={items} />
            </Suspense>
            <span className="ml-auto rounded border border-slate-700 px-2 py-0.5 font-mono text-xs text-slate-400" title="All times are UTC">
              UTC
            </span>
            {caller ? (
              <form action={signOutAction} className="flex items-center gap-3 text-xs text-slate-300">
                <span data-testid="signed-in-as">
                  {actorName(caller)} <span className="rounded bg-white/10 px-1.5 py-0.5 font-medium text-slate-200" data-testid="signed-in-role">{caller.role}</span>
                </span>
                <button type="submit" className="rounded-md px-2 py-1 font-medium text-slate-300 hover:bg-white/5 hover:text-white">Sign out</button>
              </form>
            ) : null}
          </div>
        </header>
        <main className="mx-auto max-w-7xl px-6 py-8">{children}</main>
      </body>
    </html>
  );
}
