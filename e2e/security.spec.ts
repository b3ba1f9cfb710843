// Security headers and what they must not break: every page carries a nonce-based Content Security
// Policy (plus nosniff, a referrer policy, and frame-ancestors: none for the admin area, any site
// for the stream page, which organizers embed), and the pages, the recharts charts, hls.js (blob:
// worker and media, a Bunny-like CDN) and the YouTube IFrame player all work under it without a
// single CSP violation or console error. Also: the login's throttle and its redirect check, seen
// from the browser.
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, logIn } from "./adminAuth.helpers";
import { closeDb, createStream, uniqueId } from "./fixtures/db";
import { makeHlsClip, type HlsClip } from "./fixtures/hls";
import { YOUTUBE_STUB } from "./fixtures/youtubeStub";

// Headless Chromium says so in its user agent, and the server does not store bots' events.
test.use({ userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36" });

let clip: HlsClip;
test.beforeAll(() => {
  clip = makeHlsClip(4);
});
test.afterAll(async () => {
  clip?.remove();
  await closeDb();
});

/** Every CSP violation (from any frame) and every console error or uncaught error of the page. */
async function watch(page: Page) {
  const problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()} [${m.location().url}]`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Chromium's "Failed to load resource" console line does not name the resource: this does.
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

function csp(header: string | undefined): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of (header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out.set(name, values);
  }
  return out;
}

test("every page answers with a nonce-based CSP, nosniff, a referrer policy and the right frame-ancestors", async ({ request }) => {
  const pages = ["/", "/privacy", "/login", "/streams/demo-ended-bunny", "/admin", "/admin/analytics/streams", "/no-such-page"];
  const nonces = new Set<string>();
  for (const path of pages) {
    const res = await request.get(path, { maxRedirects: 0 });
    const h = res.headers();
    const policy = csp(h["content-security-policy"]);
    expect(policy.size, `${path}: Content-Security-Policy`).toBeGreaterThan(0);
    const scriptSrc = policy.get("script-src") ?? [];
    const nonce = scriptSrc.find((v) => v.startsWith("'nonce-"));
    expect(nonce, `${path}: script-src nonce`).toBeTruthy();
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    nonces.add(nonce!);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(h["x-content-type-options"], path).toBe("nosniff");
    expect(h["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    const ancestors = policy.get("frame-ancestors");
    if (path.startsWith("/streams/")) {
      expect(ancestors, path).toEqual(["*"]);
      expect(h["x-frame-options"], path).toBeUndefined();
    } else if (path.startsWith("/admin") || path === "/login") {
      expect(ancestors, path).toEqual(["'none'"]);
      expect(h["x-frame-options"], path).toBe("DENY");
    } else {
      expect(ancestors, path).toEqual(["'self'"]);
    }
    // Next.js put the nonce on its own scripts.
    if (res.status() === 200) {
      const html = await res.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length, path).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag, path).toContain(`nonce="${nonce!.slice(7, -1)}"`);
    }
  }
  // A fresh nonce for every response.
  expect(nonces.size).toBe(pages.length);
  // API answers are not pages, but they are not sniffed either.
  expect((await request.get("/api/health")).headers()["x-content-type-options"]).toBe("nosniff");
});

test("home, privacy and login pages: no CSP violation, no console error", async ({ page }) => {
  const problems = await watch(page);
  // The regatta is a YouTube stream: its page loads the IFrame API from www.youtube.com, which this
  // machine cannot reach. The stand-in is served from that same URL, so the policy still decides.
  await page.route("**/www.youtube.com/iframe_api", (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: YOUTUBE_STUB }));
  await page.goto("/");
  await expect(page.getByTestId("stream-list")).toBeVisible();
  await page.getByRole("link", { name: "Coastal Regatta Finals" }).click();
  await expect(page.getByRole("heading", { name: "Coastal Regatta Finals" })).toBeVisible();
  await page.goto("/privacy");
  await expect(page.getByText("GeoLite2")).toBeVisible();
  await page.goto("/login");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(problems).toEqual([]);
});

test("hls.js plays from a Bunny-like CDN under the policy (blob: worker and media)", async ({ page }) => {
  const problems = await watch(page);
  const id = uniqueId("e2e-csp-hls");
  const title = "E2E CSP HLS";
  // The player loads the clip from another origin, as from Bunny's CDN (which allows any origin).
  await page.route(`https://vz-e2e.b-cdn.net/${id}/*`, (r) => {
    const file = path.join(clip.dir, path.basename(new URL(r.request().url()).pathname));
    if (!fs.existsSync(file)) return r.fulfill({ status: 404 });
    return r.fulfill({
      headers: { "access-control-allow-origin": "*", "content-type": file.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t" },
      body: fs.readFileSync(file),
    });
  });
  await createStream({ id, title, status: "ended", provider: { kind: "bunny_stream", playbackUrl: `https://vz-e2e.b-cdn.net/${id}/playlist.m3u8` } });
  const posted = page.waitForResponse((r) => r.url().endsWith("/api/analytics/events") && r.request().method() === "POST");
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  await page.getByRole("button", { name: `Play ${title}` }).click();
  await expect.poll(() => page.getByTestId("hls-video").evaluate((v: HTMLVideoElement) => v.currentTime)).toBeGreaterThan(0.3);
  // hls.js fed the element through Media Source Extensions (a blob: URL).
  expect(await page.getByTestId("hls-video").evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/^blob:/);
  // The tracker's batch leaves 15 s after its first event, to this app (connect-src 'self').
  await page.clock.fastForward(15_000);
  expect((await posted).status()).toBe(202);
  expect(problems).toEqual([]);
});

// What https://www.youtube.com/iframe_api does: it loads the widget API from www.youtube.com, which
// puts an <iframe src="https://www.youtube.com/embed/…"> where the player goes.
const IFRAME_API = `
(function () {
  var s = document.createElement("script");
  s.src = "https://www.youtube.com/s/player/e2e/www-widgetapi.js";
  document.head.appendChild(s);
})();`;
const WIDGET_API = `
(function () {
  var players = [];
  function Player(el, options) {
    var self = this;
    var container = typeof el === "string" ? document.getElementById(el) : el;
    var iframe = document.createElement("iframe");
    iframe.src = "https://www.youtube.com/embed/" + options.videoId + "?enablejsapi=1";
    iframe.title = "YouTube video player";
    container.replaceWith(iframe);
    this.iframe = iframe; this.options = options; this.state = -1;
    players.push(this);
    iframe.addEventListener("load", function () { options.events.onReady && options.events.onReady({ target: self, data: null }); });
  }
  var noop = function () {};
  ["cueVideoById","loadVideoById","playVideo","pauseVideo","stopVideo","seekTo","mute","unMute","setVolume","setSize"].forEach(function (n) { Player.prototype[n] = noop; });
  Player.prototype.getIframe = function () { return this.iframe; };
  Player.prototype.getCurrentTime = function () { return 3; };
  Player.prototype.getDuration = function () { return 60; };
  Player.prototype.getPlayerState = function () { return this.state; };
  Player.prototype.destroy = function () { this.iframe.remove(); };
  window.YT = { Player: Player, PlayerState: { UNSTARTED: -1, ENDED: 0, PLAYING: 1, PAUSED: 2, BUFFERING: 3, CUED: 5 } };
  window.__yt = { ready: function () { return players.length > 0 && !!players[0].iframe.contentWindow; }, state: function (s) { var p = players[0]; p.state = s; p.options.events.onStateChange({ target: p, data: s }); } };
  if (typeof window.onYouTubeIframeAPIReady === "function") window.onYouTubeIframeAPIReady();
})();`;

test("the YouTube IFrame player loads its scripts and its frame under the policy", async ({ page }) => {
  const problems = await watch(page);
  // youtube-player asks for http://www.youtube.com/iframe_api on an http: page, https: otherwise.
  await page.route("**/www.youtube.com/iframe_api", (r) => r.fulfill({ contentType: "text/javascript", body: IFRAME_API }));
  await page.route("**/www.youtube.com/s/player/e2e/www-widgetapi.js", (r) => r.fulfill({ contentType: "text/javascript", body: WIDGET_API }));
  await page.route("https://www.youtube.com/embed/**", (r) =>
    r.fulfill({ contentType: "text/html", body: "<!doctype html><title>player</title><p>YouTube player (e2e)</p>" }),
  );
  const id = uniqueId("e2e-csp-yt");
  await createStream({ id, title: "E2E CSP YouTube", status: "ended", provider: { kind: "youtube", videoId: "M7lc1UVf-VE" } });
  await page.clock.install();
  await page.goto(`/streams/${id}`);
  await expect(page.frameLocator('iframe[src^="https://www.youtube.com/embed/"]').getByText("YouTube player (e2e)")).toBeVisible();
  await page.waitForFunction(() => (window as unknown as { __yt?: { ready(): boolean } }).__yt?.ready() === true);
  const posted = page.waitForResponse((r) => r.url().endsWith("/api/analytics/events") && r.request().method() === "POST");
  await page.evaluate(() => {
    const yt = (window as unknown as { __yt: { state(s: number): void } }).__yt;
    yt.state(-1);
    yt.state(1);
    yt.state(2);
  });
  await page.clock.fastForward(15_000);
  expect((await posted).status()).toBe(202);
  expect(problems).toEqual([]);
});

test("admin pages with their charts: no CSP violation, no console error", async ({ page }) => {
  const problems = await watch(page);
  await logIn(page);
  await page.goto("/admin/analytics/streams");
  await expect(page.getByTestId("daily-chart").locator("svg.recharts-surface").first()).toBeVisible();
  await page.goto("/admin/analytics/streams/demo-ended-bunny");
  for (const chart of ["concurrency-chart", "daily-chart", "countries-chart", "devices-chart", "quality-chart"]) {
    await expect(page.getByTestId(chart).locator("svg.recharts-surface").first(), chart).toBeVisible();
  }
  await page.goto("/admin/analytics/live");
  await expect(page.getByRole("heading", { name: /live/i }).first()).toBeVisible();
  await page.goto("/admin/jobs");
  await expect(page.getByRole("heading", { name: /job/i }).first()).toBeVisible();
  expect(problems).toEqual([]);
});

test("the stream page can be embedded by another site; the admin area and the login cannot", async ({ page, baseURL }) => {
  // An organizer's page on another origin (another port of this machine).
  const organizer = http.createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(`<!doctype html><title>organizer</title>
      <iframe id="player" src="${baseURL}/streams/demo-ended-bunny" width="640" height="400"></iframe>
      <iframe id="admin" src="${baseURL}/admin" width="640" height="400"></iframe>
      <iframe id="login" src="${baseURL}/login" width="640" height="400"></iframe>`);
  });
  await new Promise<void>((resolve) => organizer.listen(0, "127.0.0.1", resolve));
  try {
    await page.goto(`http://127.0.0.1:${(organizer.address() as AddressInfo).port}/`);
    await expect(page.frameLocator("#player").getByTestId("stream-ended")).toContainText("This stream has ended");
    for (const id of ["admin", "login"]) {
      const frame = await (await page.$(`#${id}`))!.contentFrame();
      // Refused by frame-ancestors: Chromium shows its own error page instead.
      await expect.poll(() => frame!.url()).toMatch(/^chrome-error:/);
    }
  } finally {
    organizer.close();
  }
});

test("the login answers a burst of wrong passwords with 429 and the form says so", async ({ browser, baseURL }) => {
  // Its own client address (the e2e server trusts one proxy), so other tests keep theirs.
  const context = await browser.newContext({ baseURL, extraHTTPHeaders: { "x-forwarded-for": "203.0.113.199" } });
  const page = await context.newPage();
  await page.goto("/login");
  const statuses: number[] = [];
  page.on("response", (r) => {
    if (r.url().includes("/api/auth/callback/credentials")) statuses.push(r.status());
  });
  for (let i = 0; i < 11; i++) {
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill(`not-the-password-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toBeVisible();
    await expect(page.getByRole("button", { name: "Sign in" })).toBeEnabled();
  }
  expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
  expect(statuses[10]).toBe(429);
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText(/Too many sign-in attempts/);
  await context.close();
  // Everyone else, the real admin included, still signs in.
  const other = await browser.newPage({ baseURL });
  await logIn(other);
  await other.close();
});

test("a callbackUrl that a browser would turn into another site lands on the admin home instead", async ({ page, baseURL }) => {
  await page.route("**/evil.example/**", (r) => r.fulfill({ contentType: "text/html", body: "<h1>evil</h1>" }));
  await page.goto("/login?callbackUrl=/%09/evil.example");
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${baseURL}/admin`);
});
