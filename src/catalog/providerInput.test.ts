import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBunnyUrl, parseYouTube } from "./providerInput";

const GUID = "3f1c2b4a-9d8e-4f7a-8b6c-5d4e3f2a1b0c";

describe("parseBunnyUrl", () => {
  it.each([
    [`https://iframe.mediadelivery.net/embed/218441/${GUID}`, { libraryId: "218441", videoGuid: GUID, playbackHost: null }],
    [`https://iframe.mediadelivery.net/play/218441/${GUID}?autoplay=true`, { libraryId: "218441", videoGuid: GUID, playbackHost: null }],
    [`iframe.mediadelivery.net/embed/218441/${GUID.toUpperCase()}`, { libraryId: "218441", videoGuid: GUID, playbackHost: null }],
    [`https://player.mediadelivery.net/embed/7/${GUID}`, { libraryId: "7", videoGuid: GUID, playbackHost: null }],
    [
      `<iframe src="https://iframe.mediadelivery.net/embed/218441/${GUID}?autoplay=false" loading="lazy" allowfullscreen></iframe>`,
      { libraryId: "218441", videoGuid: GUID, playbackHost: null },
    ],
    [`https://vz-a1b2c3d4-e5f.b-cdn.net/${GUID}/playlist.m3u8`, { libraryId: null, videoGuid: GUID, playbackHost: "vz-a1b2c3d4-e5f.b-cdn.net" }],
  ])("%s", (text, ids) => {
    expect(parseBunnyUrl(text)).toEqual(ids);
  });

  it.each([
    "",
    "not a url",
    `https://iframe.mediadelivery.net/embed/abc/${GUID}`,
    "https://iframe.mediadelivery.net/embed/218441/not-a-guid",
    `https://iframe.mediadelivery.net/other/218441/${GUID}`,
    `https://vz-x.b-cdn.net/${GUID}/video.mp4`,
    `ftp://vz-x.b-cdn.net/${GUID}/playlist.m3u8`,
    `javascript:alert(1)`,
  ])("refuses %j", (text) => {
    expect(parseBunnyUrl(text)).toBeNull();
  });
});

describe("parseYouTube", () => {
  it.each([
    "dQw4w9WgXcQ",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ&t=42",
    "https://m.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://www.youtube.com/live/dQw4w9WgXcQ?si=abc",
    "https://youtube.com/shorts/dQw4w9WgXcQ",
    "https://www.youtube.com/embed/dQw4w9WgXcQ?autoplay=1",
    "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?t=10",
    "youtu.be/dQw4w9WgXcQ",
    '<iframe width="560" src="https://www.youtube.com/embed/dQw4w9WgXcQ" frameborder="0"></iframe>',
    "  dQw4w9WgXcQ  ",
  ])("%s", (text) => {
    expect(parseYouTube(text)).toBe("dQw4w9WgXcQ");
  });

  it.each(["", "dQw4w9WgXc", "dQw4w9WgXcQQ", "https://vimeo.com/123", "https://www.youtube.com/watch?v=short", "https://www.youtube.com/channel/UCabcdefghijk"])(
    "refuses %j",
    (text) => {
      expect(parseYouTube(text)).toBeNull();
    },
  );
});

describe("properties", () => {
  const hex = (n: number) => fc.array(fc.constantFrom(..."0123456789abcdefABCDEF"), { minLength: n, maxLength: n }).map((a) => a.join(""));
  const guid = fc.tuple(hex(8), hex(4), hex(4), hex(4), hex(12)).map((p) => p.join("-"));
  const library = fc.integer({ min: 1, max: 999_999_999 }).map(String);
  const youtubeId = fc.array(fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"), { minLength: 11, maxLength: 11 }).map((a) => a.join(""));
  const query = fc.option(fc.constantFrom("?autoplay=true", "?t=10&preload=false", "#x"), { nil: "" });

  it("every Bunny embed/play URL gives back its library and (lower-cased) GUID", () => {
    fc.assert(
      fc.property(fc.constantFrom("iframe", "player"), fc.constantFrom("embed", "play"), library, guid, query, (host, kind, lib, g, q) => {
        expect(parseBunnyUrl(`https://${host}.mediadelivery.net/${kind}/${lib}/${g}${q}`)).toEqual({ libraryId: lib, videoGuid: g.toLowerCase(), playbackHost: null });
      }),
      { seed: 17 },
    );
  });

  it("every YouTube URL form gives back its id", () => {
    fc.assert(
      fc.property(youtubeId, fc.constantFrom("https://www.youtube.com/watch?v=%", "https://youtu.be/%", "https://youtube.com/shorts/%", "https://www.youtube.com/live/%", "https://www.youtube.com/embed/%", "https://m.youtube.com/watch?v=%&t=3", "%"), query, (id, form, q) => {
          const url = form.replace("%", id);
          expect(parseYouTube(form === "%" ? url : `${url}${url.includes("?") && q.startsWith("?") ? q.replace("?", "&") : q}`)).toBe(id);
        }),
      { seed: 17 },
    );
  });

  it("never throws on any text, and what it accepts is well-formed", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 120 }), (text) => {
        const b = parseBunnyUrl(text);
        if (b) expect(b.videoGuid).toMatch(/^[0-9a-f-]{36}$/);
        const y = parseYouTube(text);
        if (y) expect(y).toMatch(/^[A-Za-z0-9_-]{11}$/);
      }),
      { seed: 17, numRuns: 500 },
    );
  });
});
