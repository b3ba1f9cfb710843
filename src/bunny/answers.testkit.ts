// Realistic Bunny statistics answers for tests and the fake server: the shape Bunny documents
// (docs.bunny.net/reference/video_getvideostatistics), chart keys as Bunny writes them
// (ISO date-times at 00:00 UTC for daily charts), watch time in seconds.

/** A three-day answer for one video, as Bunny sends it. */
export const SAMPLE_ANSWER = {
  viewsChart: {
    "2026-11-18T00:00:00Z": 132,
    "2026-11-19T00:00:00Z": 287,
    "2026-11-20T00:00:00Z": 0,
  },
  watchTimeChart: {
    "2026-11-18T00:00:00Z": 61_284,
    "2026-11-19T00:00:00Z": 158_912,
    "2026-11-20T00:00:00Z": 0,
  },
  countryViewCounts: { DE: 171, CH: 88, AT: 61, US: 44, FR: 31, ZZ: 24 },
  countryWatchTime: { DE: 87_420, CH: 44_905, AT: 30_117, US: 19_870, FR: 15_002, ZZ: 22_882 },
  engagementScore: 71,
};

/** The same figures with plain `YYYY-MM-DD` keys (older answers and some proxies write them so). */
export const SAMPLE_ANSWER_DATE_KEYS = {
  ...SAMPLE_ANSWER,
  viewsChart: { "2026-11-18": 132, "2026-11-19": 287, "2026-11-20": 0 },
  watchTimeChart: { "2026-11-18": 61_284, "2026-11-19": 158_912, "2026-11-20": 0 },
};

/** FNV-1a: a stable small hash so the same (video, day) always gives the same figures. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

const COUNTRY_SHARES: [string, number][] = [
  ["DE", 0.33], ["CH", 0.18], ["AT", 0.14], ["FR", 0.12], ["US", 0.1], ["GB", 0.06], ["IT", 0.04],
]; // the rest (about 3 %) is ZZ: addresses Bunny could not place

export interface FakeDay {
  views: number;
  watchSeconds: number;
  countryViews: Record<string, number>;
  countryWatchSeconds: Record<string, number>;
  engagementScore: number;
}

/** Deterministic figures for one video on one UTC day: 40–440 views of 2–14 minutes each. */
export function fakeDay(videoGuid: string, day: string): FakeDay {
  const h = hash(`${videoGuid}|${day}`);
  const views = 40 + (h % 401);
  const avgSeconds = 120 + ((h >>> 9) % 721);
  const watchSeconds = views * avgSeconds;
  const countryViews: Record<string, number> = {};
  const countryWatchSeconds: Record<string, number> = {};
  let leftViews = views;
  let leftWatch = watchSeconds;
  for (const [country, share] of COUNTRY_SHARES) {
    const v = Math.floor(views * share);
    const w = Math.floor(watchSeconds * share);
    if (v > 0) countryViews[country] = v;
    if (w > 0) countryWatchSeconds[country] = w;
    leftViews -= v;
    leftWatch -= w;
  }
  if (leftViews > 0) countryViews.ZZ = leftViews;
  if (leftWatch > 0) countryWatchSeconds.ZZ = leftWatch;
  return { views, watchSeconds, countryViews, countryWatchSeconds, engagementScore: 35 + ((h >>> 17) % 56) };
}

/** Bunny's answer for one video over [fromDay, toDay] (daily), built from fakeDay. */
export function fakeAnswer(videoGuid: string, days: string[]) {
  const viewsChart: Record<string, number> = {};
  const watchTimeChart: Record<string, number> = {};
  const countryViewCounts: Record<string, number> = {};
  const countryWatchTime: Record<string, number> = {};
  let weighted = 0;
  let totalViews = 0;
  for (const day of days) {
    const d = fakeDay(videoGuid, day);
    viewsChart[`${day}T00:00:00Z`] = d.views;
    watchTimeChart[`${day}T00:00:00Z`] = d.watchSeconds;
    for (const [c, v] of Object.entries(d.countryViews)) countryViewCounts[c] = (countryViewCounts[c] ?? 0) + v;
    for (const [c, v] of Object.entries(d.countryWatchSeconds)) countryWatchTime[c] = (countryWatchTime[c] ?? 0) + v;
    weighted += d.engagementScore * d.views;
    totalViews += d.views;
  }
  return {
    viewsChart,
    watchTimeChart,
    countryViewCounts,
    countryWatchTime,
    engagementScore: totalViews ? Math.round(weighted / totalViews) : 0,
  };
}
