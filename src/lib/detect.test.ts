// Unit: device class, browser and OS from the User-Agent; bots.
import { describe, expect, it } from "vitest";
import { detect } from "./detect";

const UA = {
  chromeWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  safariMac: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  firefoxLinux: "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
  iphone: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  android: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  ipad: "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
  androidTablet: "Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  tizenTv: "Mozilla/5.0 (SMART-TV; LINUX; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 76.0.3809.146/6.0 TV Safari/537.36",
  playstation: "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15",
  googlebot: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
  headless: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
  curl: "curl/8.5.0",
};

describe("detect", () => {
  it.each([
    ["chromeWindows", "desktop", "Chrome", "Windows"],
    ["safariMac", "desktop", "Safari", "Mac OS"],
    ["firefoxLinux", "desktop", "Firefox", "Linux"],
    ["iphone", "mobile", "Mobile Safari", "iOS"],
    ["android", "mobile", "Chrome", "Android"],
    ["ipad", "tablet", "Mobile Safari", "iOS"],
    ["androidTablet", "tablet", "Chrome", "Android"],
    ["tizenTv", "tv", null, "Tizen"],
    ["playstation", "tv", null, "PlayStation"],
  ] as const)("%s → %s", (key, deviceClass, browser, os) => {
    const d = detect(UA[key]);
    expect(d.bot).toBe(false);
    expect(d.deviceClass).toBe(deviceClass);
    if (browser) expect(d.browser).toBe(browser);
    expect(d.os).toBe(os);
  });

  it.each(["googlebot", "headless", "curl"] as const)("%s is a bot", (key) => {
    expect(detect(UA[key]).bot).toBe(true);
  });

  it("an empty or missing User-Agent is not a bot but an unknown device", () => {
    expect(detect("")).toEqual({ bot: false, deviceClass: "other", browser: null, os: null });
    expect(detect(undefined).deviceClass).toBe("other");
  });
});
