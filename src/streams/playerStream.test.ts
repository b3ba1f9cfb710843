// Integration: GET /api/streams/[id] (the route module) against PostgreSQL.
import { describe, expect, it } from "vitest";
import { GET } from "~/app/api/streams/[id]/route";
import { db } from "~/lib/db/prisma";
import { createStream, uid } from "~/test/factories";

const get = (id: string) => GET(new Request(`http://localhost/api/streams/${id}`), { params: Promise.resolve({ id }) });

describe("GET /api/streams/[id]", () => {
  it("answers a Bunny stream with its ids and derived playback URL, cacheable and CORS-open", async () => {
    const s = await createStream({ provider: "bunny_stream", status: "live", title: "Opening night" });
    const res = await get(s.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("public, max-age=5, stale-while-revalidate=30");
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const org = await db.organizer.findUniqueOrThrow({ where: { id: s.organizerId } });
    expect(await res.json()).toEqual({
      id: s.id,
      title: "Opening night",
      status: "live",
      organizer: { id: org.id, name: org.name },
      scheduledStartAt: null,
      startedAt: null,
      endedAt: null,
      provider: {
        kind: "bunny_stream",
        libraryId: "12345",
        videoGuid: s.provider!.bunnyVideoGuid,
        playbackHost: "vz-test.b-cdn.net",
        playbackUrl: `https://vz-test.b-cdn.net/${s.provider!.bunnyVideoGuid}/playlist.m3u8`,
      },
    });
  });

  it("prefers an explicit playback URL, and gives ISO dates", async () => {
    const s = await createStream({ provider: "bunny_stream", status: "ended" });
    const startedAt = new Date("2026-11-20T18:00:00.000Z");
    await db.stream.update({ where: { id: s.id }, data: { startedAt, endedAt: new Date("2026-11-20T19:30:00.000Z") } });
    await db.streamProvider.update({ where: { streamId: s.id }, data: { playbackUrl: "http://localhost:3000/demo/hls/index.m3u8" } });
    const body = await (await get(s.id)).json();
    expect(body.startedAt).toBe("2026-11-20T18:00:00.000Z");
    expect(body.endedAt).toBe("2026-11-20T19:30:00.000Z");
    expect(body.provider.playbackUrl).toBe("http://localhost:3000/demo/hls/index.m3u8");
  });

  it("answers a YouTube stream with its video id", async () => {
    const s = await createStream({ provider: "youtube", status: "scheduled" });
    const body = await (await get(s.id)).json();
    expect(body.status).toBe("scheduled");
    expect(body.provider).toEqual({ kind: "youtube", videoId: "dQw4w9WgXcQ" });
  });

  it("answers a stream without a provider with provider null", async () => {
    const s = await createStream();
    await db.streamProvider.delete({ where: { streamId: s.id } });
    expect((await (await get(s.id)).json()).provider).toBeNull();
  });

  it("answers 404 for an unknown stream", async () => {
    const res = await get(uid("nostream"));
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: "unknown stream" });
  });
});
