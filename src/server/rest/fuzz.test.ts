// Fuzz of the REST API, a public input: seeded generated bodies and query strings — any JSON value,
// valid bodies with one field swapped for junk, Unicode edge cases, huge numbers, prototype keys —
// against every endpoint. Whatever arrives: never a 5xx; every answer validates against the OpenAPI
// document; every refusal is problem+json, and a 400 names at least one field. FUZZ_SEED replays.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import * as organizers from "~/app/api/v1/organizers/route";
import * as streams from "~/app/api/v1/streams/route";
import * as stream from "~/app/api/v1/streams/[id]/route";
import * as breakdown from "~/app/api/v1/streams/[id]/breakdown/route";
import * as series from "~/app/api/v1/streams/[id]/series/route";
import * as stats from "~/app/api/v1/streams/[id]/stats/route";
import { createOrganizer } from "~/catalog/organizers";
import { createCatalogStream } from "~/catalog/streams";
import { ZStreamCreate } from "~/catalog/schema";
import { uid } from "~/test/factories";
import { createToken } from "~/tokens/tokens";
import { call } from "./rest.testkit";

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_202);
const RUNS = 60;
const GUID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

let token: string;
let organizerId: string;
let streamId: string;
beforeAll(async () => {
  process.env.API_RATE_LIMIT_PER_MINUTE = "1000000";
  token = (await createToken({ name: "fuzz", scope: "write" })).token;
  organizerId = (await createOrganizer({ name: uid("Fuzz Org") })).id;
  streamId = (await createCatalogStream(ZStreamCreate.parse({ organizerId, title: "Fuzz", provider: "youtube", youtube: "dQw4w9WgXcQ" }))).id;
});

// Junk: any JSON, and the strings that break naive code.
const nasty = fc.oneof(
  fc.constantFrom("", " ", "\u0000", "\ud800", "💥".repeat(40), "a".repeat(5000), "__proto__", "constructor", "NaN", "-1", "1e400", "2026-02-30", "null", "../../etc/passwd", "<script>", "' OR 1=1 --"),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
);
const junk = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nasty, fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER + 2));

const validBody = () => ({
  organizerId,
  title: "Fuzzed",
  provider: "bunny_stream",
  bunnyUrl: `https://iframe.mediadelivery.net/embed/218441/${GUID}`,
  scheduledStartAt: "2026-12-24T18:00:00Z",
  youtube: "dQw4w9WgXcQ",
});
const FIELDS = ["organizerId", "title", "provider", "bunnyUrl", "bunnyLibraryId", "bunnyVideoGuid", "bunnyPlaybackHost", "youtube", "scheduledStartAt", "scheduledEndAt", "status", "archived", "__proto__"];
/** A valid body with one to three fields replaced by junk (or removed). */
const mutated = fc
  .array(fc.tuple(fc.constantFrom(...FIELDS), fc.option(junk, { nil: undefined })), { minLength: 1, maxLength: 3 })
  .map((changes) => {
    const body: Record<string, unknown> = validBody();
    for (const [k, v] of changes) {
      if (v === undefined) delete body[k];
      else Object.defineProperty(body, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return body;
  });
const anyBody = fc.oneof(mutated, fc.jsonValue({ maxDepth: 4 }), nasty);

const QUERY_KEYS = ["limit", "cursor", "archived", "organizerId", "status", "from", "to", "granularity", "by", "x"];
const query = fc.dictionary(fc.constantFrom(...QUERY_KEYS), fc.oneof(nasty, fc.integer().map(String), fc.constantFrom("2025-03-01", "2026-12-02", "day", "minute", "country", "device", "true", "live")), { maxKeys: 4 });

async function checkAnswer(res: Awaited<ReturnType<typeof call>>, what: string) {
  expect(res.status, what).toBeLessThan(500);
  if (res.status === 400) expect((res.body.errors ?? []).length, `${what}: a 400 names a field`).toBeGreaterThan(0);
}

describe("REST API fuzz", () => {
  it("POST /organizers and /streams, PATCH /streams/{id}: any body is answered, never 5xx, as documented", { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(anyBody, fc.constantFrom("organizers", "streams", "patch"), async (body, where) => {
        const res =
          where === "organizers"
            ? await call(organizers, "/organizers", "POST", { token, body })
            : where === "streams"
              ? await call(streams, "/streams", "POST", { token, body })
              : await call(stream, "/streams/{id}", "PATCH", { token, id: streamId, body });
        await checkAnswer(res, `${where} ${JSON.stringify(body)?.slice(0, 200)}`);
      }),
      { seed: SEED, numRuns: RUNS * 3 },
    );
  });

  it("raw bodies that are not JSON, or huge", async () => {
    for (const rawBody of ["", "{", "[1,", "\u0000", '{"title":"x"'.repeat(3), JSON.stringify({ title: "x".repeat(70_000) }), "\ufeff{}"]) {
      await checkAnswer(await call(streams, "/streams", "POST", { token, rawBody }), `raw ${rawBody.slice(0, 40)}`);
    }
  });

  it("GET endpoints: any query string is answered, never 5xx, as documented", { timeout: 120_000 }, async () => {
    const routes: [Record<string, unknown>, string, string | undefined][] = [
      [organizers, "/organizers", undefined],
      [streams, "/streams", undefined],
      [stats, "/streams/{id}/stats", streamId],
      [series, "/streams/{id}/series", streamId],
      [breakdown, "/streams/{id}/breakdown", streamId],
    ];
    await fc.assert(
      fc.asyncProperty(query, fc.nat(routes.length - 1), fc.option(nasty, { nil: undefined }), async (q, i, id) => {
        const [route, template, known] = routes[i]!;
        const res = await call(route, template, "GET", { token, query: q, id: template.includes("{id}") ? (id ?? known) : undefined });
        await checkAnswer(res, `${template} ${JSON.stringify(q)}`);
      }),
      { seed: SEED, numRuns: RUNS * 2 },
    );
  });
});
