// What an admin pastes to say where a stream plays: a Bunny Stream embed/play/HLS URL (or the
// iframe snippet around it) or any YouTube URL or video id, read into the ids the player needs.
// Pure functions: the zod schemas (schema.ts) call them, so the UI and the REST API agree.

export interface BunnyIds {
  libraryId: string | null;
  videoGuid: string;
  playbackHost: string | null;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIBRARY_ID = /^\d{1,12}$/;
// A host name (Bunny's vz-xxxx.b-cdn.net pull zone, or a custom host on it).
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$/i;
const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;

export const isBunnyGuid = (s: string) => GUID.test(s);
export const isBunnyLibraryId = (s: string) => LIBRARY_ID.test(s);
export const isHostName = (s: string) => HOST.test(s);

/** The URL inside a pasted `<iframe src="…">` snippet, or the text itself. */
function urlOf(text: string): URL | null {
  const trimmed = text.trim();
  const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(trimmed)?.[1] ?? trimmed;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(src) ? src : `https://${src}`);
    return url.protocol === "https:" || url.protocol === "http:" ? url : null;
  } catch {
    return null;
  }
}

/**
 * Bunny Stream ids from iframe.mediadelivery.net/embed|play/{library}/{guid} (or
 * player.mediadelivery.net), or {host}/{guid}/playlist.m3u8; null when it is none of these.
 */
export function parseBunnyUrl(text: string): BunnyIds | null {
  const url = urlOf(text);
  if (!url) return null;
  const parts = url.pathname.split("/").filter(Boolean);
  const host = url.hostname.toLowerCase();
  if ((host === "iframe.mediadelivery.net" || host === "player.mediadelivery.net") && parts.length >= 3) {
    const [kind, lib, guid] = parts as [string, string, string];
    if ((kind === "embed" || kind === "play") && LIBRARY_ID.test(lib) && GUID.test(guid)) {
      return { libraryId: lib, videoGuid: guid.toLowerCase(), playbackHost: null };
    }
    return null;
  }
  if (parts.length === 2 && parts[1] === "playlist.m3u8" && GUID.test(parts[0]!) && HOST.test(host)) {
    return { libraryId: null, videoGuid: parts[0]!.toLowerCase(), playbackHost: host };
  }
  return null;
}

/** A YouTube video id from the id itself or a watch, live, shorts, embed or youtu.be URL; else null. */
export function parseYouTube(text: string): string | null {
  const trimmed = text.trim();
  if (YOUTUBE_ID.test(trimmed)) return trimmed;
  const url = urlOf(trimmed);
  if (!url) return null;
  const host = url.hostname.toLowerCase().replace(/^(www|m|music)\./, "");
  const parts = url.pathname.split("/").filter(Boolean);
  let id: string | null | undefined = null;
  if (host === "youtu.be") id = parts[0];
  else if (host === "youtube.com" || host === "youtube-nocookie.com") {
    if (parts[0] === "watch") id = url.searchParams.get("v");
    else if (["live", "shorts", "embed", "v", "e"].includes(parts[0] ?? "")) id = parts[1];
  }
  return id && YOUTUBE_ID.test(id) ? id : null;
}
