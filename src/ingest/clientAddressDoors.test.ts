// Integration: which address and country a batch is counted under, through BOTH doors, for each
// proxy setting. Nothing a client says about itself (X-Forwarded-For, X-Real-IP, country headers)
// is believed unless the deployment says which proxy or platform sets it.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "~/env";
import { getPool } from "~/lib/db/pool";
import { createStream, uid } from "~/test/factories";
import type { IngestDeps } from "./handler";
import { fastDoor, nextDoor, type TestDoor } from "./doors.testkit";

const UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
const SETTINGS = ["TRUST_PROXY", "TRUSTED_GEO_HEADER", "VERCEL", "RATE_LIMIT_PER_MINUTE", "REDIS_URL"];

/** A fresh process-wide ingest core (limiter included) for this environment. */
async function configure(env: Record<string, string>) {
  for (const k of SETTINGS) delete process.env[k];
  Object.assign(process.env, { RATE_LIMIT_PER_MINUTE: "3" }, env);
  resetEnvCache();
  const g = globalThis as unknown as { streamscopeIngest?: IngestDeps };
  if (g.streamscopeIngest) {
    await g.streamscopeIngest.writer.drain();
    await g.streamscopeIngest.limiter.close();
    g.streamscopeIngest = undefined;
  }
}

const doors: TestDoor[] = [];
let streamId: string;
beforeAll(async () => {
  doors.push(await nextDoor(), await fastDoor());
  streamId = (await createStream()).id;
});
afterAll(async () => {
  for (const d of doors) await d.close();
  await configure({});
});

async function send(door: TestDoor, headers: Record<string, string>, clientId = uid("viewer")) {
  const now = Date.now();
  const body = JSON.stringify({ streamId, clientId, sentAt: now, events: [{ type: "play", ts: now, videoTime: 0, seq: 1 }] });
  const res = await door.send({ body, headers: { "user-agent": UA, ...headers } });
  return { status: res.status, clientId };
}

async function countryOf(clientId: string): Promise<string | undefined> {
  const { rows } = await getPool().query<{ country: string }>("SELECT country FROM viewer_sessions WHERE client_id = $1", [clientId]);
  return rows[0]?.country;
}

/** Statuses of four batches, each with its own headers. */
async function four(door: TestDoor, headers: (i: number) => Record<string, string>) {
  const out: number[] = [];
  for (let i = 0; i < 4; i++) out.push((await send(door, headers(i))).status);
  return out;
}

describe.each([0, 1])("door %#", (d) => {
  const door = () => doors[d]!;

  describe("no proxy configured (the default)", () => {
    beforeEach(() => configure({}));

    it("ignores X-Forwarded-For and X-Real-IP: the TCP peer is the rate-limit key", async () => {
      const statuses = await four(door(), (i) => ({ "x-forwarded-for": `203.0.113.${i + 1}`, "x-real-ip": `198.51.100.${i + 1}` }));
      expect(statuses).toEqual([202, 202, 202, 429]);
    });

    it("ignores the platforms' country headers: a client cannot pick its country", async () => {
      const { status, clientId } = await send(door(), { "cf-ipcountry": "KP", "x-vercel-ip-country": "KP", "x-forwarded-for": "8.8.8.8" });
      expect(status).toBe(202);
      // The peer is 127.0.0.1: no country.
      expect(await countryOf(clientId)).toBe("ZZ");
    });
  });

  it("TRUSTED_GEO_HEADER names the one country header that is believed", async () => {
    await configure({ TRUSTED_GEO_HEADER: "cf-ipcountry" });
    const a = await send(door(), { "cf-ipcountry": "kp", "x-vercel-ip-country": "FR" });
    const b = await send(door(), { "x-vercel-ip-country": "FR" });
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(await countryOf(a.clientId)).toBe("KP");
    expect(await countryOf(b.clientId)).toBe("ZZ");
  });

  it("TRUST_PROXY=1: the hop the proxy appended is the client, whatever the client wrote before it", async () => {
    await configure({ TRUST_PROXY: "1" });
    const { clientId } = await send(door(), { "x-forwarded-for": "8.8.8.8, 2a00:1450:4001:80b::200e" });
    expect(await countryOf(clientId)).toBe("DE");
    const statuses = await four(door(), (i) => ({ "x-forwarded-for": `8.8.${i}.8, 212.27.48.10` }));
    expect(statuses).toEqual([202, 202, 202, 429]);
  });

  it("TRUST_PROXY=2: two proxies, the client is the second hop from the right", async () => {
    await configure({ TRUST_PROXY: "2" });
    const { clientId } = await send(door(), { "x-forwarded-for": "8.8.8.8, 212.27.48.10, 10.0.0.7" });
    expect(await countryOf(clientId)).toBe("FR");
  });

  it("TRUST_PROXY as address ranges: every trusted hop from the right is skipped", async () => {
    await configure({ TRUST_PROXY: "loopback, 10.0.0.0/8" });
    const { clientId } = await send(door(), { "x-forwarded-for": "8.8.8.8, 81.2.69.160, 10.0.0.9, 10.1.2.3" });
    expect(await countryOf(clientId)).toBe("GB");
  });

  it("IPv6 clients are limited per /64, not per address", async () => {
    await configure({ TRUST_PROXY: "1" });
    const statuses = await four(door(), (i) => ({ "x-forwarded-for": `2001:db8:1:2:${i + 1}::${i + 7}` }));
    expect(statuses).toEqual([202, 202, 202, 429]);
    expect((await send(door(), { "x-forwarded-for": "2001:db8:1:3::1" })).status).toBe(202);
  });

  it("on Vercel: its country header and the address it sets", async () => {
    await configure({ VERCEL: "1" });
    const { clientId } = await send(door(), { "x-vercel-ip-country": "KP", "cf-ipcountry": "FR", "x-real-ip": "8.8.8.8", "x-forwarded-for": "8.8.8.8" });
    expect(await countryOf(clientId)).toBe("KP");
    const statuses = await four(door(), () => ({ "x-real-ip": "203.0.113.77", "x-forwarded-for": "203.0.113.77" }));
    expect(statuses).toEqual([202, 202, 202, 429]);
  });
});
