// REST API tokens: "sst_" + 32 random bytes (base64url), shown once; only their SHA-256 is kept
// (a token this random needs no slow hash: nothing to guess). Scope `read` or `write`, optionally
// bound to one organizer; revoked tokens stay listed. last_used_at is written at most once a
// minute per token, so reads do not turn into a write each.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { API_TOKEN_SCOPES, type ApiTokenScope } from "~/contract";
import { db } from "~/lib/db/prisma";

export const TOKEN_PREFIX = "sst_";
const LAST_USED_EVERY_MS = 60_000;

export const ZTokenCreate = z.object({
  name: z
    .string()
    .refine((s) => !/\u0000|\p{Cs}/u.test(s), "must not contain U+0000 or a lone surrogate")
    .trim()
    .min(1, "is required")
    .max(100, "at most 100 characters"),
  scope: z.enum(API_TOKEN_SCOPES, { error: `must be one of ${API_TOKEN_SCOPES.join(", ")}` }),
  organizerId: z.preprocess((v) => (v === "" ? null : v), z.string().trim().min(1).max(200).regex(/^[^\u0000]*$/, "must not contain U+0000").nullable().optional()),
});
export type TTokenCreate = z.infer<typeof ZTokenCreate>;

export interface TokenInfo {
  id: string;
  name: string;
  prefix: string;
  scope: ApiTokenScope;
  organizer: { id: string; name: string } | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Who a valid token is. */
export interface TokenPrincipal {
  id: string;
  scope: ApiTokenScope;
  organizerId: string | null;
}

export class TokenInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const select = {
  id: true,
  name: true,
  prefix: true,
  scope: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  organizer: { select: { id: true, name: true } },
} as const;

/** Creates a token; the clear token is in the answer and nowhere else. */
export async function createToken(input: TTokenCreate, createdBy: string | null = null): Promise<{ token: string; info: TokenInfo }> {
  if (input.organizerId) {
    const o = await db.organizer.findUnique({ where: { id: input.organizerId }, select: { archivedAt: true } });
    if (!o) throw new TokenInputError(`No organizer with id "${input.organizerId}".`, "organizerId");
    if (o.archivedAt) throw new TokenInputError("is archived", "organizerId");
  }
  const token = TOKEN_PREFIX + randomBytes(32).toString("base64url");
  const info = await db.apiToken.create({
    data: {
      name: input.name,
      scope: input.scope,
      organizerId: input.organizerId ?? null,
      createdBy,
      tokenHash: hashToken(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
    },
    select,
  });
  return { token, info };
}

/** Every token, newest first (revoked ones too, marked). */
export function listTokens(): Promise<TokenInfo[]> {
  return db.apiToken.findMany({ select, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

/** Revokes a token for good; false when there is no such token. */
export async function revokeToken(id: string): Promise<boolean> {
  const { count } = await db.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  if (count > 0) return true;
  return (await db.apiToken.count({ where: { id } })) > 0;
}

/** The principal of a bearer token, or null when it is unknown or revoked. */
export async function authenticateToken(token: string, now = new Date()): Promise<TokenPrincipal | null> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 200) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, scope: true, organizerId: true, revokedAt: true, lastUsedAt: true },
  });
  if (!row || row.revokedAt) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  }
  return { id: row.id, scope: row.scope, organizerId: row.organizerId };
}
