// Stand-ins for the browser APIs the tracker touches, for unit tests under Node.
import { vi } from "vitest";
import { memoryStore } from "./storage";
import type { Batch } from "~/contract";

export function fakeBrowser(status: number | (() => number | Error) = 202) {
  const store = memoryStore();
  const posts: { body: Batch; keepalive: boolean; contentType: string }[] = [];
  const beacons: Batch[] = [];
  let beaconAccepts = true;
  const fetch = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const s = typeof status === "function" ? status() : status;
    if (s instanceof Error) throw s;
    posts.push({
      body: JSON.parse(String(init?.body)) as Batch,
      keepalive: Boolean(init?.keepalive),
      contentType: new Headers(init?.headers).get("content-type") ?? "",
    });
    return new Response(s === 202 ? '{"ingested":1,"duplicates":0}' : "{}", { status: s, headers: s === 429 ? { "retry-after": "7" } : {} });
  });
  const beacon = vi.fn((_url: string, body: string) => {
    if (!beaconAccepts) return false;
    beacons.push(JSON.parse(body) as Batch);
    return true;
  });
  const win = new EventTarget();
  const doc = Object.assign(new EventTarget(), { visibilityState: "visible" });
  return {
    store,
    posts,
    beacons,
    fetch: fetch as unknown as typeof globalThis.fetch,
    fetchMock: fetch,
    beacon,
    win,
    doc,
    refuseBeacons() {
      beaconAccepts = false;
    },
    /** All events that reached the server, by fetch or beacon. */
    delivered() {
      return [...posts.map((p) => p.body), ...beacons].flatMap((b) => b.events);
    },
  };
}
