/** JSON responses of the API. Reports are live data: never cached by browsers or proxies. */
export function json(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}

/** An error body `{ error }` with a message safe to show to the caller. */
export function jsonError(status: number, message: string): Response {
  return json({ error: message }, status);
}
