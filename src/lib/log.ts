// Structured JSON logs (pino). Never log a raw IP address or a request body: log reasons and counts.
import pino from "pino";

const globalForLog = globalThis as unknown as { streamscopeLog?: pino.Logger };

export const log: pino.Logger = (globalForLog.streamscopeLog ??= pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "streamscope" },
  // Belt and braces: fields that could carry an address are removed whatever a caller passes.
  redact: { paths: ["ip", "*.ip", "req.ip", "remoteAddress", "*.remoteAddress", "headers['x-forwarded-for']", "*.headers['x-forwarded-for']", "headers['x-real-ip']"], remove: true },
}));
