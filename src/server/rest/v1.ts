// The endpoints of /api/v1 (route files under src/app/api/v1 export these). Each one: the scope it
// needs, its inputs (the catalogue's and the read model's schemas), and a call into the domain —
// the figures come from the same src/analytics queries as the dashboard's, so they are the same.
import { z } from "zod";
import { concurrencySeries } from "~/analytics/queries/concurrencySeries";
import { dailySeries } from "~/analytics/queries/dailySeries";
import { liveStreams } from "~/analytics/queries/liveStreams";
import { rangeTotals } from "~/analytics/queries/rangeTotals";
import { streamDetail } from "~/analytics/queries/streamDetail";
import { rangeInstants } from "~/analytics/filters";
import { createOrganizer, listOrganizers } from "~/catalog/organizers";
import { ZListInput, ZOrganizerCreate, ZStreamCreate, ZStreamListInput, ZStreamUpdateFields, ZStreamUpdate } from "~/catalog/schema";
import { createCatalogStream, getCatalogStream, listCatalogStreams, updateCatalogStream } from "~/catalog/streams";
import { forbidden, restRoute } from "./route";
import { ZBreakdownQuery, ZRangeQuery, ZSeriesQuery } from "./schemas";

type StreamParams = { id: string };

/** The PATCH body: a stream's fields without its id (that is in the path). */
export const ZStreamPatch = ZStreamUpdateFields.omit({ id: true });

export const listOrganizersV1 = restRoute("read", async ({ query, principal }) => {
  const { items, nextCursor } = await listOrganizers(query(ZListInput), principal);
  return { data: items, nextCursor };
});

export const createOrganizerV1 = restRoute(
  "write",
  async ({ body, principal }) => {
    if (principal.organizerId) forbidden("A token bound to one organizer cannot create organizers.");
    return createOrganizer(await body(ZOrganizerCreate));
  },
  { status: 201 },
);

export const listStreamsV1 = restRoute("read", async ({ query, principal }) => {
  const { items, nextCursor } = await listCatalogStreams(query(ZStreamListInput), principal);
  return { data: items, nextCursor };
});

export const createStreamV1 = restRoute("write", async ({ body, principal }) => createCatalogStream(await body(ZStreamCreate), principal), { status: 201 });

export const getStreamV1 = restRoute<StreamParams>("read", ({ params, principal }) => getCatalogStream(params.id, principal));

export const patchStreamV1 = restRoute<StreamParams>("write", async ({ params, body, principal }) => {
  // Visible first: another organizer's stream is 404 whatever the body says.
  await getCatalogStream(params.id, principal);
  const withId = z.preprocess((v) => (v && typeof v === "object" && !Array.isArray(v) ? { ...v, id: params.id } : v), ZStreamUpdate);
  return updateCatalogStream(await body(withId), principal);
});

export const streamStatsV1 = restRoute<StreamParams>("read", async ({ params, query, principal }) => {
  const stream = await getCatalogStream(params.id, principal);
  const range = query(ZRangeQuery);
  const { streams: _count, ...figures } = await rangeTotals({ ...range, streamId: stream.id });
  return { streamId: stream.id, ...range, figures };
});

export const streamSeriesV1 = restRoute<StreamParams>("read", async ({ params, query, principal }) => {
  const stream = await getCatalogStream(params.id, principal);
  const q = query(ZSeriesQuery);
  if (q.granularity === "day") {
    const points = await dailySeries({ from: q.from, to: q.to, streamId: stream.id });
    return { streamId: stream.id, granularity: "day", from: q.from, to: q.to, points };
  }
  const { start, end } = rangeInstants(q.from, q.to);
  return { streamId: stream.id, granularity: "minute", from: q.from, to: q.to, points: await concurrencySeries(stream.id, start, end) };
});

export const streamBreakdownV1 = restRoute<StreamParams>("read", async ({ params, query, principal }) => {
  const stream = await getCatalogStream(params.id, principal);
  const { by } = query(ZBreakdownQuery);
  // The stream page's breakdowns: all-time, as the aggregation job last wrote them.
  const detail = await streamDetail(stream.id);
  const items =
    by === "country"
      ? (detail?.countries ?? []).map((c) => ({ key: c.country, sessions: c.sessions, watchSeconds: c.watchSeconds }))
      : (detail?.devices ?? []).map((d) => ({ key: d.device, sessions: d.sessions, watchSeconds: null }));
  return { streamId: stream.id, by, calculatedAt: detail?.stats?.lastCalculatedAt ?? null, items };
});

export const liveV1 = restRoute("read", ({ principal }) => liveStreams({ organizerId: principal.organizerId ?? undefined }));
