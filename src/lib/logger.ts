// How the process logger is built (log.ts holds the one instance). Separate so a test can build the
// same logger — same redaction — onto a stream it reads, before anything imports log.ts.
import pino from "pino";
import { env } from "~/env";

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}): pino.Logger {
  const options: pino.LoggerOptions = {
    level: opts.level ?? env.LOG_LEVEL,
    base: { service: "streamscope" },
    // Belt and braces: fields that could carry an address are removed whatever a caller passes.
    redact: {
      paths: ["ip", "*.ip", "req.ip", "remoteAddress", "*.remoteAddress", "headers['x-forwarded-for']", "*.headers['x-forwarded-for']", "headers['x-real-ip']"],
      remove: true,
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
