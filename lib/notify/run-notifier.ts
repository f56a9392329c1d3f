import type { Logger } from "../log";
import { channelSecretsKey, sealLegacySecrets } from "./channel-secrets";
import { processNotifications, type NotifyContext } from "./process-notifications";

export interface NotifierOptions extends NotifyContext {
  log: Logger;
  /** Aborting stops the loop after the pass in progress. */
  signal: AbortSignal;
  /** How long the loop sleeps between passes when nobody wakes it, ms (default 2 000). */
  pollMs?: number;
}

/**
 * The notification loop of a worker process: routes and sends what the
 * outbox holds every `pollMs` (or when woken after a detection pass). Runs
 * apart from detection, so a slow channel never delays it. Errors are logged
 * and retried on the next pass; the loop never throws. Before its first pass
 * it seals channel secrets still stored in plaintext (sealLegacySecrets).
 */
export function startNotifier(options: NotifierOptions): { wake(): void; done: Promise<void> } {
  const { signal, log } = options;
  const pollMs = options.pollMs ?? 2_000;
  let wakeUp: (() => void) | null = null;
  let pending = false;
  const wake = () => {
    pending = true;
    wakeUp?.();
  };
  signal.addEventListener("abort", wake, { once: true });
  const loop = async () => {
    let sealed = false;
    while (!signal.aborted) {
      if (!sealed) {
        try {
          const n = await sealLegacySecrets(options.pool, channelSecretsKey(options.config));
          if (n) log.info({ channels: n }, "sealed plaintext channel secrets");
          sealed = true;
        } catch (error) {
          log.error({ err: error }, "sealing plaintext channel secrets failed; retrying");
        }
      }
      pending = false;
      try {
        const stats = await processNotifications(options);
        if (stats.routed || stats.sent || stats.retrying || stats.failed) log.info(stats, "notification pass");
      } catch (error) {
        log.error({ err: error }, "notification pass failed; retrying");
      }
      if (pending || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollMs);
        wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wakeUp = null;
    }
  };
  return { wake, done: loop() };
}
