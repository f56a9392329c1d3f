/**
 * A send that did not succeed. `permanent`: retrying cannot help (the endpoint
 * refused the request as invalid or unauthorised); otherwise the delivery is
 * retried with backoff. The message is safe to store and show (no secrets).
 */
export class NotifyError extends Error {
  override name = "NotifyError";
  readonly permanent: boolean;
  constructor(message: string, options: { permanent?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.permanent = options.permanent ?? false;
  }
}

/** Whether an HTTP status means "do not retry": 4xx except 408 Request Timeout and 429 Too Many Requests. */
export function isPermanentStatus(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** An error's message for the delivery record, never longer than 500 characters. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? (error.name === "TimeoutError" ? `timed out (${error.message})` : error.message) : String(error);
  return text.length <= 500 ? text : `${text.slice(0, 499)}…`;
}
