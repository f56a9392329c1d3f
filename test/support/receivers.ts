import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One HTTP request a local receiver got. */
export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A local HTTP server recording every request. `respond(path)` picks the
 * status per path (default 200 "ok"), so a test can make one endpoint fail.
 */
export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
  respond: (path: string) => { status: number; body?: string; delayMs?: number };
  /** Resolves once `path` has received `count` requests (rejects after `timeoutMs`). */
  waitFor(path: string, count?: number, timeoutMs?: number): Promise<ReceivedRequest[]>;
  stop(): Promise<void>;
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const receiver: HttpReceiver = {
    url: "",
    requests: [],
    respond: () => ({ status: 200, body: "ok" }),
    async waitFor(path, count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = receiver.requests.filter((r) => r.path === path);
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`${path} received ${got.length} of ${count} requests within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      receiver.requests.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      const answer = receiver.respond(path);
      setTimeout(() => {
        res.writeHead(answer.status, { "Content-Type": "text/plain" });
        res.end(answer.body ?? "");
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}

/** One message a local SMTP server accepted. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent (headers and body), CRLF line ends. */
  raw: string;
  username: string | null;
}

/** A local SMTP server (the `smtp-server` package) accepting every message, with optional AUTH PLAIN/LOGIN. */
export interface SmtpReceiver {
  port: number;
  mails: ReceivedMail[];
  waitFor(count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  stop(): Promise<void>;
}

export async function startSmtpReceiver(credentials?: { username: string; password: string }): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ["STARTTLS"],
    authOptional: !credentials,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (credentials && auth.username === credentials.username && auth.password === credentials.password) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          username: typeof session.user === "string" ? session.user : null,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    async waitFor(count = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.length < count) {
        if (Date.now() > deadline) throw new Error(`SMTP received ${mails.length} of ${count} mails within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return mails;
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The subject (RFC 2047 encoded words decoded) and the text body (quoted-printable decoded) of a single-part mail. */
export function decodeMail(raw: string): { subject: string; text: string; headers: string } {
  const [head = "", ...rest] = raw.split("\r\n\r\n");
  const unfolded = head.replace(/\r\n[ \t]/g, " ");
  const subjectLine = /^Subject: (.*)$/m.exec(unfolded)?.[1] ?? "";
  const subject = subjectLine
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_m, word: string) => qp(word.replace(/_/g, " ")));
  const body = rest.join("\r\n\r\n");
  const text = /Content-Transfer-Encoding: quoted-printable/i.test(unfolded) ? qp(body.replace(/=\r\n/g, "")) : body;
  return { subject, text, headers: unfolded };
}

function qp(text: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text[i] === "=" ? text.slice(i + 1, i + 3) : "";
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i]!, "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}
