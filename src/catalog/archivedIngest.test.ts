// An archived stream at the ingestion door: refused like an unknown one (404, nothing stored), on
// both doors (docs/ingest-api.md); restored, it is accepted again once the door's cache of unknown
// ids (5 s) has passed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fastDoor, nextDoor, type TestDoor } from "~/ingest/doors.testkit";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import { ZStreamUpdate } from "./schema";
import { archiveCatalogStream, restoreCatalogStream, updateCatalogStream } from "./streams";

process.env.TRUST_PROXY = "1";
const doors: Record<string, TestDoor> = {};
beforeAll(async () => {
  doors.next = await nextDoor();
  doors.fast = await fastDoor();
});
afterAll(async () => {
  await doors.fast?.close();
});

const batch = (streamId: string, clientId: string) =>
  JSON.stringify({ streamId, clientId, sentAt: Date.now(), events: [{ type: "play", ts: Date.now(), videoTime: 0, seq: 1 }] });

async function stored(clientId: string): Promise<number> {
  const { rows } = await getPool().query<{ n: number }>("SELECT count(*)::int AS n FROM playback_events WHERE client_id = $1", [clientId]);
  return rows[0]!.n;
}

describe.each(["next", "fast"])("the %s door", (name) => {
  it("answers 404 for an archived stream and stores nothing; accepts it again once restored", { timeout: 20_000 }, async () => {
    const stream = await createStream({ status: "scheduled" });
    await updateCatalogStream(ZStreamUpdate.parse({ id: stream.id, status: "ended" }));
    await archiveCatalogStream(stream.id);
    const clientId = uid("client");
    const send = () => doors[name]!.send({ body: batch(stream.id, clientId), headers: { "x-forwarded-for": `198.51.100.${name === "next" ? 201 : 202}` } });
    const refused = await send();
    expect(refused.status).toBe(404);
    expect(refused.json).toEqual({ error: "unknown stream" });
    expect(await stored(clientId)).toBe(0);

    await restoreCatalogStream(stream.id);
    // The door remembers an unknown id for 5 s.
    await new Promise((r) => setTimeout(r, 5_200));
    expect((await send()).status).toBe(202);
    expect(await stored(clientId)).toBe(1);
  });
});
