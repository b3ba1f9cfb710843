// Structured JSON logs (pino). Never log a raw IP address or a request body: log reasons and counts.
import type pino from "pino";
import { createLogger } from "./logger";

const globalForLog = globalThis as unknown as { streamscopeLog?: pino.Logger };

export const log: pino.Logger = (globalForLog.streamscopeLog ??= createLogger());
