import { actorName } from "../lib/auth/actor";
import { currentCaller } from "../lib/auth/authenticate";

/**
 * Who is making a change from the web app, as recorded in histories: the signed-in user's email, or
 * `token:<name>` for an API token; "anonymous" only where nothing is signed in (which the access
 * policy lets through nowhere a change is made). Server actions get the same name as `ctx.actor`.
 */
export async function currentActor(): Promise<string> {
  const caller = await currentCaller();
  return caller ? actorName(caller) : "anonymous";
}
