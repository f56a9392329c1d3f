import { redirect } from "next/navigation";
import { requirePage } from "../lib/auth/require-page";

export default async function Home(): Promise<never> {
  await requirePage("/");
  redirect("/overview");
}
