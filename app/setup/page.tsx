import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { countUsers } from "../../lib/auth/users";
import { getPool } from "../../lib/db/pool";
import { SetupForm } from "./setup-form";

export const metadata: Metadata = { title: "Set up" };
export const dynamic = "force-dynamic";

/** Public, and only while no user exists (then it sends to /login): creates the first admin. */
export default async function SetupPage() {
  if ((await countUsers(getPool())) > 0) redirect("/login");
  return (
    <div className="mx-auto mt-16 max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-slate-900">Set up Trailwatch</h1>
      <p className="mb-4 mt-1 text-sm text-slate-500">No user exists yet. Create the first admin; more users are added under Admin → Users or with <code>trailwatch users create</code>.</p>
      <SetupForm />
    </div>
  );
}
