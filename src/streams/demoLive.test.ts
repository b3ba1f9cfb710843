// The demo's looping live playlist: a window that slides with the clock, never ends, and marks
// every loop of the clip as a discontinuity counted once it slides out.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { DEMO_CLIP, DEMO_EPOCH_MS, demoLivePlaylist } from "./demoLive";

const segs = (p: string) => p.split("\n").filter((l) => l.endsWith(".m4s"));
const tag = (p: string, name: string) => Number(new RegExp(`#EXT-X-${name}:(\\d+)`).exec(p)?.[1]);

describe("demo live playlist", () => {
  it("serves the clip's own segments, which exist", () => {
    for (let i = 0; i < DEMO_CLIP.segments; i++) expect(fs.existsSync(`public/demo/hls/segment${String(i).padStart(3, "0")}.m4s`)).toBe(true);
    expect(fs.existsSync(`public/demo/hls/${DEMO_CLIP.init}`)).toBe(true);
  });

  it("slides one segment every 2 s, five in the window, with no end", () => {
    const t = 1_796_000_000_000;
    const a = demoLivePlaylist(t);
    const b = demoLivePlaylist(t + 2000);
    expect(a).not.toContain("#EXT-X-ENDLIST");
    expect(segs(a)).toHaveLength(5);
    expect(tag(b, "MEDIA-SEQUENCE")).toBe(tag(a, "MEDIA-SEQUENCE") + 1);
    expect(segs(b).slice(0, 4)).toEqual(segs(a).slice(1));
    expect(demoLivePlaylist(t + 1999)).toBe(a);
    // Numbers a player copes with (see DEMO_EPOCH_MS): under a million segments a month.
    expect(tag(demoLivePlaylist(Date.UTC(2027, 0, 1)), "MEDIA-SEQUENCE")).toBeLessThan(20_000_000);
  });

  it("marks each loop and counts the discontinuities that slid out", () => {
    // Segment index 12 (loop 2 starts) is the last one: its discontinuity is in the window.
    const p = demoLivePlaylist(DEMO_EPOCH_MS + 12 * 2000);
    expect(tag(p, "MEDIA-SEQUENCE")).toBe(8);
    expect(tag(p, "DISCONTINUITY-SEQUENCE")).toBe(1);
    const lines = p.split("\n");
    const disc = lines.indexOf("#EXT-X-DISCONTINUITY");
    expect(lines.slice(disc).find((l) => l.endsWith(".m4s"))).toBe("/demo/hls/segment000.m4s");
    expect(segs(p)).toEqual(["/demo/hls/segment002.m4s", "/demo/hls/segment003.m4s", "/demo/hls/segment004.m4s", "/demo/hls/segment005.m4s", "/demo/hls/segment000.m4s"]);
    // Once segment 12 is first, its boundary is counted and no longer tagged.
    const q = demoLivePlaylist(DEMO_EPOCH_MS + 16 * 2000);
    expect(tag(q, "MEDIA-SEQUENCE")).toBe(12);
    expect(tag(q, "DISCONTINUITY-SEQUENCE")).toBe(2);
    expect(q).not.toContain("#EXT-X-DISCONTINUITY\n");
  });
});
