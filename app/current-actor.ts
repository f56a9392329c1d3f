/**
 * Who is making a change from the web app, as recorded in histories. Sign-in
 * does not exist yet: every change is "anonymous". This is the one place the
 * signed-in user replaces it.
 */
export async function currentActor(): Promise<string> {
  return "anonymous";
}
