// Who is watching on what: device class, browser and OS from the User-Agent (ua-parser-js), and
// bots (isbot), which ingestion answers without storing. Parsing costs ~50 µs per UA string and
// a few hundred distinct strings cover most viewers, so results are kept in a small bounded cache.
import { isbot } from "isbot";
import UAParser from "ua-parser-js";
import type { DeviceClass } from "~/contract";

export interface Detected {
  bot: boolean;
  deviceClass: DeviceClass;
  browser: string | null;
  os: string | null;
}

// Operating systems that only run on desktops and laptops: without a device type they mean desktop.
const DESKTOP_OS = new Set([
  "windows", "mac os", "macos", "linux", "ubuntu", "debian", "fedora", "chromium os", "chrome os",
  "freebsd", "openbsd", "netbsd", "mint", "arch", "gentoo", "mandriva", "redhat", "suse", "centos",
  "solaris", "kubuntu", "xubuntu", "deepin", "elementary os", "manjaro",
]);

function classify(deviceType: string | undefined, osName: string | undefined): DeviceClass {
  switch (deviceType) {
    case "mobile":
    case "wearable":
      return "mobile";
    case "tablet":
      return "tablet";
    // Consoles and streaming sticks play on a television.
    case "smarttv":
    case "console":
      return "tv";
    case "embedded":
    case "xr":
      return "other";
  }
  if (osName && DESKTOP_OS.has(osName.toLowerCase())) return "desktop";
  return "other";
}

export function detect(userAgent: string | null | undefined): Detected {
  const ua = (userAgent ?? "").slice(0, 512);
  const hit = cache.get(ua);
  if (hit) return hit;
  const r = new UAParser(ua).getResult();
  const found: Detected = {
    bot: ua === "" ? false : isbot(ua),
    deviceClass: classify(r.device.type, r.os.name),
    browser: r.browser.name ?? null,
    os: r.os.name ?? null,
  };
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(ua, found);
  return found;
}

const CACHE_MAX = 2000;
const cache = new Map<string, Detected>();
