// catalog.* through the tRPC caller: create, edit, status moves with their stamps, archive and
// restore, field errors named as the forms show them, and what archiving hides (lists, ingestion).
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { createCaller } from "~/server/api/root";
import type { AuthSession } from "~/server/auth";
import { uid } from "~/test/factories";
import { getPool } from "~/lib/db/pool";
import { createStreamCache } from "~/ingest/streamCache";

const admin: AuthSession = { user: { id: "u_admin", role: "admin", email: "a@x" }, expires: "2999-01-01T00:00:00Z" };
const api = createCaller({ session: admin });
const GUID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

/** The field errors of a refused call (the shape the forms read), or of its domain refusal. */
async function fieldErrors(call: Promise<unknown>): Promise<{ code: string; fields: Record<string, string[] | undefined> }> {
  try {
    await call;
  } catch (err) {
    if (!(err instanceof TRPCError)) throw err;
    const cause = err.cause as { issues?: { path: PropertyKey[]; message: string }[] } | undefined;
    const fields: Record<string, string[]> = {};
    for (const i of cause?.issues ?? []) (fields[String(i.path[0])] ??= []).push(i.message);
    return { code: err.code, fields };
  }
  throw new Error("the call was not refused");
}

describe("organizers", () => {
  it("creates with a slug made from the name, unique, and renames", async () => {
    const name = `Coastal Événements ${uid()}`;
    const a = await api.catalog.createOrganizer({ name });
    expect(a.slug).toMatch(/^coastal-evenements-t-[0-9a-f]+$/);
    const b = await api.catalog.createOrganizer({ name });
    expect(b.slug).toBe(`${a.slug}-2`);
    const renamed = await api.catalog.updateOrganizer({ id: b.id, name: "Renamed" });
    expect(renamed).toMatchObject({ name: "Renamed", slug: b.slug });
    expect(await fieldErrors(api.catalog.updateOrganizer({ id: b.id, slug: a.slug }))).toMatchObject({ code: "CONFLICT", fields: { slug: [expect.stringMatching(/taken/)] } });
  });

  it("names the bad fields", async () => {
    expect(await fieldErrors(api.catalog.createOrganizer({ name: "  ", slug: "Not A Slug!" }))).toMatchObject({
      code: "BAD_REQUEST",
      fields: { name: ["is required"], slug: [expect.stringMatching(/lower-case/)] },
    });
  });

  it("archives only without streams, hides it from lists and choices, restores", async () => {
    const o = await api.catalog.createOrganizer({ name: uid("Org") });
    const s = await api.catalog.createStream({ organizerId: o.id, title: "One", provider: "youtube", youtube: "dQw4w9WgXcQ" });
    expect(await fieldErrors(api.catalog.archiveOrganizer({ id: o.id }))).toMatchObject({ code: "CONFLICT", fields: { id: [expect.stringMatching(/1 stream not archived/)] } });
    await api.catalog.archiveStream({ id: s.id });
    const archived = await api.catalog.archiveOrganizer({ id: o.id });
    expect(archived.archivedAt).toBeInstanceOf(Date);
    const choices = await api.catalog.organizerChoices();
    expect(choices.map((c) => c.id)).not.toContain(o.id);
    const listed = await api.catalog.organizers({ archived: true, limit: 100 });
    expect(listed.items.map((c) => c.id)).toContain(o.id);
    expect(await fieldErrors(api.catalog.createStream({ organizerId: o.id, title: "Two", provider: "youtube", youtube: "dQw4w9WgXcQ" }))).toMatchObject({
      code: "CONFLICT",
      fields: { organizerId: ["is archived: restore it first"] },
    });
    expect(await fieldErrors(api.catalog.restoreStream({ id: s.id }))).toMatchObject({ code: "CONFLICT", fields: { organizerId: [expect.stringMatching(/organizer is archived/)] } });
    await api.catalog.restoreOrganizer({ id: o.id });
    expect((await api.catalog.restoreStream({ id: s.id })).archivedAt).toBeNull();
  });

  it("pages with a cursor, newest first, each row once", async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await api.catalog.createOrganizer({ name: uid("Paged") })).id);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const p = await api.catalog.organizers({ limit: 2, cursor });
      seen.push(...p.items.map((o) => o.id));
      cursor = p.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    const mine = seen.filter((id) => made.includes(id));
    expect(mine).toEqual([...made].reverse());
    expect(await fieldErrors(api.catalog.organizers({ cursor: "garbage" }))).toMatchObject({ code: "BAD_REQUEST", fields: { cursor: [expect.any(String)] } });
  });
});

describe("streams", () => {
  it("reads a pasted Bunny embed URL and YouTube URL into the provider's ids", async () => {
    const o = await api.catalog.createOrganizer({ name: uid("Org") });
    const bunny = await api.catalog.createStream({ organizerId: o.id, title: "Bunny", provider: "bunny_stream", bunnyUrl: `https://iframe.mediadelivery.net/embed/218441/${GUID}`, bunnyPlaybackHost: "vz-abc.b-cdn.net" });
    expect(bunny).toMatchObject({ status: "scheduled", provider: { kind: "bunny_stream", libraryId: "218441", videoGuid: GUID, playbackHost: "vz-abc.b-cdn.net" } });
    const yt = await api.catalog.createStream({ organizerId: o.id, title: "YT", provider: "youtube", youtube: "https://youtu.be/dQw4w9WgXcQ?t=3" });
    expect(yt.provider).toEqual({ kind: "youtube", videoId: "dQw4w9WgXcQ" });
    // Switching provider clears the other's ids.
    const switched = await api.catalog.updateStream({ id: bunny.id, provider: "youtube", youtube: "https://www.youtube.com/live/dQw4w9WgXcQ" });
    expect(switched.provider).toEqual({ kind: "youtube", videoId: "dQw4w9WgXcQ" });
  });

  it("names each bad field", async () => {
    const o = await api.catalog.createOrganizer({ name: uid("Org") });
    expect(await fieldErrors(api.catalog.createStream({ organizerId: o.id, title: "", provider: "bunny_stream", bunnyUrl: "https://example.com/x" }))).toMatchObject({
      code: "BAD_REQUEST",
      fields: { title: ["is required"], bunnyUrl: [expect.stringMatching(/not a Bunny Stream URL/)] },
    });
    expect(await fieldErrors(api.catalog.createStream({ organizerId: o.id, title: "T", provider: "bunny_stream", bunnyVideoGuid: "nope", bunnyLibraryId: "abc" }))).toMatchObject({
      fields: { bunnyVideoGuid: [expect.stringMatching(/GUID/)], bunnyLibraryId: [expect.stringMatching(/number/)] },
    });
    expect(await fieldErrors(api.catalog.createStream({ organizerId: o.id, title: "T", provider: "youtube", youtube: "https://vimeo.com/1" }))).toMatchObject({
      fields: { youtube: ["is not a YouTube video URL or id"] },
    });
    expect(
      await fieldErrors(api.catalog.createStream({ organizerId: o.id, title: "T", provider: "youtube", youtube: "dQw4w9WgXcQ", scheduledStartAt: "2026-12-02T18:00:00Z", scheduledEndAt: "2026-12-02T17:00:00Z" })),
    ).toMatchObject({ fields: { scheduledEndAt: ["must be on or after the scheduled start"] } });
    expect(await fieldErrors(api.catalog.createStream({ organizerId: "nope", title: "T", provider: "youtube", youtube: "dQw4w9WgXcQ" }))).toMatchObject({
      code: "NOT_FOUND",
      fields: { organizerId: [expect.any(String)] },
    });
  });

  it("scheduled → live → ended stamps the actual start and end; a refused move names status", async () => {
    const o = await api.catalog.createOrganizer({ name: uid("Org") });
    const s = await api.catalog.createStream({ organizerId: o.id, title: "Final", provider: "youtube", youtube: "dQw4w9WgXcQ" });
    expect(s).toMatchObject({ startedAt: null, endedAt: null });
    const before = Date.now();
    const live = await api.catalog.updateStream({ id: s.id, status: "live" });
    expect(live.startedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
    expect(await fieldErrors(api.catalog.archiveStream({ id: s.id }))).toMatchObject({ code: "CONFLICT", fields: { status: ["is live: end it before archiving"] } });
    expect(await fieldErrors(api.catalog.updateStream({ id: s.id, status: "scheduled" }))).toMatchObject({ code: "BAD_REQUEST", fields: { status: [expect.stringMatching(/cannot go from live to scheduled/)] } });
    const ended = await api.catalog.updateStream({ id: s.id, status: "ended" });
    expect(ended.endedAt!.getTime()).toBeGreaterThanOrEqual(live.startedAt!.getTime());
    expect(ended.startedAt).toEqual(live.startedAt);
    // Resumed: the start stays the first one, the end is cleared.
    const resumed = await api.catalog.updateStream({ id: s.id, status: "live" });
    expect(resumed).toMatchObject({ status: "live", startedAt: live.startedAt, endedAt: null });
  });

  it("an archived stream is hidden from the lists and refused by ingestion's lookup, until restored", async () => {
    const o = await api.catalog.createOrganizer({ name: uid("Org") });
    const s = await api.catalog.createStream({ organizerId: o.id, title: "Gone", provider: "youtube", youtube: "dQw4w9WgXcQ" });
    const cache = () => createStreamCache({ pool: getPool, knownTtlMs: 0, unknownTtlMs: 0 });
    expect(await cache().exists(s.id)).toBe(true);
    await api.catalog.archiveStream({ id: s.id });
    expect(await cache().exists(s.id)).toBe(false);
    expect((await api.catalog.streams({ organizerId: o.id })).items).toEqual([]);
    expect((await api.catalog.streams({ organizerId: o.id, archived: true })).items.map((x) => x.id)).toEqual([s.id]);
    expect((await api.streams.list()).map((x) => x.id)).not.toContain(s.id);
    await api.catalog.restoreStream({ id: s.id });
    expect(await cache().exists(s.id)).toBe(true);
  });
});
