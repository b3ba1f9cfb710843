// The catalogue's inputs: one zod schema per input, shared by the tRPC procedures (the admin
// forms) and the REST API (/api/v1), so both refuse the same things with the same field names.
// Provider fields are flat (bunnyUrl, youtube, ...) so each error names one form field.
import { z } from "zod";
import { PROVIDER_KINDS, STREAM_STATUSES } from "~/contract";
import { isBunnyGuid, isBunnyLibraryId, isHostName, parseBunnyUrl, parseYouTube } from "./providerInput";

export const MAX_NAME = 200;
export const MAX_PAGE = 100;
export const DEFAULT_PAGE = 25;

// What PostgreSQL's text cannot hold (U+0000) or would store mangled (a lone surrogate): refused
// with a message rather than failing in the database.
const UNSTORABLE = /\u0000|\p{Cs}/u;
const text = () => z.string().refine((s) => !UNSTORABLE.test(s), "must not contain U+0000 or a lone surrogate");

const id = text().trim().min(1, "is required").max(200, "at most 200 characters");
const name = text().trim().min(1, "is required").max(MAX_NAME, `at most ${MAX_NAME} characters`);
const slug = z
  .string()
  .trim()
  .toLowerCase()
  .max(64, "at most 64 characters")
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "lower-case letters, digits and single dashes, e.g. coastal-events");
/** An instant with its offset (ISO 8601), or null/"" for none. */
const instant = z.preprocess(
  (v) => (v === "" ? null : v),
  z.iso.datetime({ offset: true, message: "must be a date and time such as 2026-12-02T18:00:00Z" }).nullable().optional(),
);
const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), text().trim().max(2000, "at most 2000 characters").optional());

/** Makes a slug from a name: "Coastal Events — 2026" → "coastal-events-2026". */
export function slugify(text: string): string {
  return (
    text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 64)
      .replace(/-+$/, "") || "organizer"
  );
}

// ---------------------------------------------------------------- organizers

export const ZOrganizerCreate = z.object({ name: z.preprocess((v) => v ?? "", name), slug: z.preprocess((v) => (v === "" ? undefined : v), slug.optional()) });
export type TOrganizerCreate = z.infer<typeof ZOrganizerCreate>;

export const ZOrganizerUpdate = z.object({ id, name: name.optional(), slug: slug.optional() });
export type TOrganizerUpdate = z.infer<typeof ZOrganizerUpdate>;

// ---------------------------------------------------------------- streams

/** How a stream plays, as typed: Bunny (a pasted URL, or the ids) or YouTube (URL or id). */
const providerFields = {
  provider: z.enum(PROVIDER_KINDS, { error: `must be one of ${PROVIDER_KINDS.join(", ")}` }),
  /** Bunny: an embed/play URL, the iframe snippet or an HLS playlist URL, read into the ids. */
  bunnyUrl: optionalText,
  bunnyLibraryId: optionalText,
  bunnyVideoGuid: optionalText,
  bunnyPlaybackHost: optionalText,
  /** YouTube: any watch, live, shorts, embed or youtu.be URL, or the 11-character id. */
  youtube: optionalText,
};

export type ProviderInput = { kind: "bunny_stream"; libraryId: string | null; videoGuid: string; playbackHost: string | null } | { kind: "youtube"; videoId: string };

type ProviderFields = { provider?: (typeof PROVIDER_KINDS)[number]; bunnyUrl?: string; bunnyLibraryId?: string; bunnyVideoGuid?: string; bunnyPlaybackHost?: string; youtube?: string };

/** The provider the fields describe, or the issues naming the field at fault. */
function readProvider(v: ProviderFields, ctx: z.RefinementCtx): ProviderInput | undefined {
  if (v.provider === "youtube") {
    if (!v.youtube) {
      ctx.addIssue({ code: "custom", path: ["youtube"], message: "is required: a YouTube URL or the 11-character video id" });
      return undefined;
    }
    const videoId = parseYouTube(v.youtube);
    if (!videoId) ctx.addIssue({ code: "custom", path: ["youtube"], message: "is not a YouTube video URL or id" });
    return videoId ? { kind: "youtube", videoId } : undefined;
  }
  if (v.provider !== "bunny_stream") return undefined;
  let libraryId = v.bunnyLibraryId ?? null;
  let videoGuid = v.bunnyVideoGuid ?? null;
  let playbackHost = v.bunnyPlaybackHost?.toLowerCase() ?? null;
  if (v.bunnyUrl) {
    const ids = parseBunnyUrl(v.bunnyUrl);
    if (!ids) {
      ctx.addIssue({
        code: "custom",
        path: ["bunnyUrl"],
        message: "is not a Bunny Stream URL (iframe.mediadelivery.net/embed/{library}/{video}, /play/…, or …/{video}/playlist.m3u8)",
      });
      return undefined;
    }
    // The URL decides what it contains; the fields fill in the rest.
    libraryId = ids.libraryId ?? libraryId;
    videoGuid = ids.videoGuid;
    playbackHost = ids.playbackHost ?? playbackHost;
  }
  let ok = true;
  if (!videoGuid) {
    ctx.addIssue({ code: "custom", path: [v.bunnyUrl ? "bunnyUrl" : "bunnyVideoGuid"], message: "is required: the video GUID, or paste the Bunny URL" });
    ok = false;
  } else if (!isBunnyGuid(videoGuid)) {
    ctx.addIssue({ code: "custom", path: ["bunnyVideoGuid"], message: "must be a GUID such as 3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c" });
    ok = false;
  }
  if (libraryId && !isBunnyLibraryId(libraryId)) {
    ctx.addIssue({ code: "custom", path: ["bunnyLibraryId"], message: "must be the library's number, e.g. 218441" });
    ok = false;
  }
  if (playbackHost && !isHostName(playbackHost)) {
    ctx.addIssue({ code: "custom", path: ["bunnyPlaybackHost"], message: "must be a host name such as vz-a1b2c3d4-e5f.b-cdn.net" });
    ok = false;
  }
  if (!libraryId && !playbackHost && ok) {
    ctx.addIssue({ code: "custom", path: ["bunnyLibraryId"], message: "is required (or the playback host): the player needs one of them" });
    ok = false;
  }
  return ok ? { kind: "bunny_stream", libraryId, videoGuid: videoGuid!.toLowerCase(), playbackHost } : undefined;
}

function checkSchedule(v: { scheduledStartAt?: string | null; scheduledEndAt?: string | null }, ctx: z.RefinementCtx) {
  if (v.scheduledStartAt && v.scheduledEndAt && Date.parse(v.scheduledEndAt) < Date.parse(v.scheduledStartAt)) {
    ctx.addIssue({ code: "custom", path: ["scheduledEndAt"], message: "must be on or after the scheduled start" });
  }
}

// A missing required field reads as "" so it gets "is required" and the other fields are still
// checked (a missing key would stop zod before the cross-field checks).
const required = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? "", schema);

const streamFields = {
  organizerId: required(id),
  title: required(name),
  scheduledStartAt: instant,
  scheduledEndAt: instant,
};

export const ZStreamCreateFields = z.object({ ...streamFields, ...providerFields });
// Checked in a refinement (which runs even when another field failed, so a form shows every error
// at once), then read again in the transform, which runs only on valid input.
const quiet = { addIssue: () => {} } as unknown as z.RefinementCtx;

export const ZStreamCreate = ZStreamCreateFields.superRefine((v, ctx) => {
  checkSchedule(v, ctx);
  readProvider(v, ctx);
}).transform((v) => {
  const provider = readProvider(v, quiet)!;
  return {
    organizerId: v.organizerId,
    title: v.title,
    scheduledStartAt: v.scheduledStartAt ?? null,
    scheduledEndAt: v.scheduledEndAt ?? null,
    provider,
  };
});
export type TStreamCreate = z.output<typeof ZStreamCreate>;

/** A change to a stream: any of its fields; the provider fields replace the provider when `provider` is given. */
export const ZStreamUpdateFields = z.object({
  id,
  organizerId: id.optional(),
  title: name.optional(),
  scheduledStartAt: instant,
  scheduledEndAt: instant,
  status: z.enum(STREAM_STATUSES, { error: `must be one of ${STREAM_STATUSES.join(", ")}` }).optional(),
  /** true archives the stream (after the other changes), false restores it (before them). */
  archived: z.boolean({ error: "must be true or false" }).optional(),
  ...providerFields,
  provider: providerFields.provider.optional(),
});
export const ZStreamUpdate = ZStreamUpdateFields.superRefine((v, ctx) => {
  checkSchedule(v, ctx);
  if (v.provider) readProvider(v, ctx);
}).transform((v) => {
  const provider = v.provider ? readProvider(v, quiet) : undefined;
  return {
    id: v.id,
    organizerId: v.organizerId,
    title: v.title,
    scheduledStartAt: v.scheduledStartAt,
    scheduledEndAt: v.scheduledEndAt,
    status: v.status,
    archived: v.archived,
    provider,
  };
});
export type TStreamUpdate = z.output<typeof ZStreamUpdate>;

export const ZById = z.object({ id });
export type TById = z.infer<typeof ZById>;

/** A page of a list: `cursor` from the previous page's `nextCursor`. */
export const ZListInput = z.object({
  cursor: text().max(500, "at most 500 characters").optional(),
  limit: z.coerce.number().int().min(1, "must be 1 to 100").max(MAX_PAGE, "must be 1 to 100").default(DEFAULT_PAGE),
  archived: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .or(z.boolean())
    .default(false),
});

export const ZStreamListInput = ZListInput.extend({ organizerId: id.optional(), status: z.enum(STREAM_STATUSES).optional() });
export type TStreamListInput = z.output<typeof ZStreamListInput>;
export type TListInput = z.output<typeof ZListInput>;
