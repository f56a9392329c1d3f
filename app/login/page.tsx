import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { currentCaller } from "../../lib/auth/authenticate";
import { countUsers } from "../../lib/auth/users";
import { getPool } from "../../lib/db/pool";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

/** Public. The sign-in page; the one-time setup page while no user exists; the Overview once signed in. */
export default async function LoginPage() {
  if (await currentCaller()) redirect("/overview");
  if ((await countUsers(getPool())) === 0) redirect("/setup");
  return (
    <div className="mx-auto mt-16 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="mb-4 text-lg font-semibold text-slate-900">Sign in to Trailwatch</h1>
      <SignInForm />
    </div>
  );
}
