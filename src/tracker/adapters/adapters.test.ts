// The adapters' mapping of each player's signals onto the tracker, under Node with stand-ins for
// the page: player.js messages from Bunny's iframe (only from that iframe, subscribing once
// ready), a media element's events, and which element is which player.
import { describe, expect, it } from "vitest";
import type { PlaybackTracker } from "../playback";
import { playerKind } from "../embed";
import { attachBunny } from "./bunny";
import { attachVideo } from "./video";

function recorder() {
  const calls: string[] = [];
  let videoTime = () => 0;
  const t = {
    setVideoTime: (fn: () => number) => void (videoTime = fn),
    setContext: () => {},
    playRequested: () => void calls.push("playRequested"),
    playing: () => void calls.push("playing"),
    paused: () => void calls.push("paused"),
    bufferStart: (c?: string) => void calls.push(`bufferStart:${c}`),
    bufferEnd: () => void calls.push("bufferEnd"),
    ended: () => void calls.push("ended"),
    error: (code: string | number, _m: string, fatal: boolean) => void calls.push(`error:${code}:${fatal}`),
  } as unknown as PlaybackTracker;
  return { t, calls, time: () => videoTime() };
}

function message(source: unknown, data: unknown): Event {
  const e = new Event("message");
  Object.defineProperties(e, { source: { value: source }, data: { value: data } });
  return e;
}

describe("Bunny Stream's iframe (player.js)", () => {
  function setUp() {
    const posted: { msg: Record<string, unknown>; origin: string }[] = [];
    const contentWindow = { postMessage: (m: string, origin: string) => posted.push({ msg: JSON.parse(m) as Record<string, unknown>, origin }) };
    const iframe = Object.assign(new EventTarget(), { src: "https://iframe.mediadelivery.net/embed/1/abc", contentWindow }) as unknown as HTMLIFrameElement;
    const win = Object.assign(new EventTarget(), { location: { href: "https://platform.example/watch" } }) as unknown as Window;
    const rec = recorder();
    const stop = attachBunny(iframe, rec.t, win);
    const send = (data: unknown, source: unknown = contentWindow) => win.dispatchEvent(message(source, data));
    return { posted, send, stop, ...rec };
  }

  it("asks for ready at once, to the iframe's origin, and subscribes to the events once ready", () => {
    const { posted, send } = setUp();
    expect(posted).toEqual([{ msg: { context: "player.js", version: "0.0.11", method: "addEventListener", value: "ready", listener: "streamscope" }, origin: "https://iframe.mediadelivery.net" }]);
    send(JSON.stringify({ context: "player.js", event: "ready", value: { src: "x" } }));
    send(JSON.stringify({ context: "player.js", event: "ready", value: { src: "x" } }));
    expect(posted.slice(1).map((p) => p.msg.value)).toEqual(["play", "pause", "timeupdate", "ended", "error"]);
  });

  it("maps play, the first moving timeupdate, pause, ended and error; ignores other frames and other protocols", () => {
    const { send, calls, time } = setUp();
    const ev = (event: string, value?: unknown) => send(JSON.stringify({ context: "player.js", event, value }));
    ev("play");
    ev("timeupdate", { seconds: 0 });
    expect(calls).toEqual(["playRequested"]);
    ev("timeupdate", { seconds: 0.3 });
    ev("timeupdate", { seconds: 0.6 });
    expect(time()).toBe(0.6);
    ev("pause");
    send(JSON.stringify({ context: "player.js", event: "play" }), { other: "frame" });
    send("not json");
    send({ event: "play" });
    ev("play");
    ev("timeupdate", { seconds: 1 });
    ev("ended");
    ev("error", { code: 4, msg: "decode" });
    expect(calls).toEqual(["playRequested", "playing", "paused", "playRequested", "playing", "ended", "error:bunny_4:false"]);
  });

  it("stops listening when detached", () => {
    const { send, calls, stop } = setUp();
    stop();
    send(JSON.stringify({ context: "player.js", event: "play" }));
    expect(calls).toEqual([]);
  });
});

describe("a media element", () => {
  it("maps its events; the pause before ended does not count; an element already playing counts at once", () => {
    const video = Object.assign(new EventTarget(), { currentTime: 3, paused: false, ended: false, seeking: false, readyState: 4, error: null });
    const { t, calls, time } = recorder();
    attachVideo(video as unknown as HTMLMediaElement, t);
    expect(calls).toEqual(["playRequested", "playing"]);
    expect(time()).toBe(3);
    for (const type of ["waiting", "playing", "pause"]) video.dispatchEvent(new Event(type));
    video.ended = true;
    video.dispatchEvent(new Event("pause"));
    video.dispatchEvent(new Event("ended"));
    expect(calls.slice(2)).toEqual(["bufferStart:stall", "playing", "paused", "ended"]);
  });
});

describe("which player an element is", () => {
  const el = (tagName: string, src = "") => ({ tagName, src }) as unknown as Element;
  it("tells a video, Bunny's iframe and YouTube's iframe apart, and nothing else", () => {
    expect(playerKind(el("VIDEO"))).toBe("video");
    expect(playerKind(el("IFRAME", "https://iframe.mediadelivery.net/embed/218441/abc"))).toBe("bunny");
    expect(playerKind(el("IFRAME", "https://player.mediadelivery.net/embed/218441/abc"))).toBe("bunny");
    expect(playerKind(el("IFRAME", "https://www.youtube.com/embed/dQw4w9WgXcQ"))).toBe("youtube");
    expect(playerKind(el("IFRAME", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"))).toBe("youtube");
    expect(playerKind(el("IFRAME", "https://ads.example/frame"))).toBeNull();
    expect(playerKind(el("IFRAME", "https://notyoutube.com/embed/x"))).toBeNull();
    expect(playerKind(el("DIV"))).toBeNull();
  });
});
