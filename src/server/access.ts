// Who may call what: every tRPC procedure, route handler and page of the app, in one table.
//   public     anyone
//   signed-in  any signed-in user (UNAUTHORIZED / 401 / the login page otherwise)
//   admin      the admin role (and FORBIDDEN / 403 for a signed-in user without it)
//   cron       `Authorization: Bearer $CRON_SECRET` (Vercel Cron, npm run worker)
//   metrics    `Authorization: Bearer $METRICS_TOKEN` (a Prometheus scraper)
//   token      `Authorization: Bearer <API token>` (src/tokens; the REST API, its scope and organizer
//              checked per endpoint in src/server/rest)
// The guards themselves live with the code (adminProcedure, requireAdminPage, checkBearerToken);
// src/server/access.test.ts enumerates the router and the route and page files at run time, calls
// each one anonymously, as a plain user and as an admin, and fails when an entry is missing here
// or answers differently.
export type Access = "public" | "signed-in" | "admin" | "cron" | "metrics" | "token";

export const ACCESS = {
  /** tRPC procedures by path (served by /api/trpc). */
  procedures: {
    "analytics.streams": "admin",
    "analytics.summary": "admin",
    "analytics.stream": "admin",
    "analytics.live": "admin",
    "analytics.organizers": "admin",
    "bunny.forStream": "admin",
    "bunny.sync": "admin",
    "catalog.organizers": "admin",
    "catalog.organizerChoices": "admin",
    "catalog.organizer": "admin",
    "catalog.createOrganizer": "admin",
    "catalog.updateOrganizer": "admin",
    "catalog.archiveOrganizer": "admin",
    "catalog.restoreOrganizer": "admin",
    "catalog.streams": "admin",
    "catalog.stream": "admin",
    "catalog.createStream": "admin",
    "catalog.updateStream": "admin",
    "catalog.archiveStream": "admin",
    "catalog.restoreStream": "admin",
    "jobs.runs": "admin",
    "jobs.summaries": "admin",
    "jobs.scheduler": "admin",
    "streams.list": "public",
    "tokens.list": "admin",
    "tokens.create": "admin",
    "tokens.revoke": "admin",
  },
  /** Route handlers by path (every HTTP method each exports). `procedures`: each one's own level. */
  routes: {
    "/api/admin/analytics/streams.csv": "admin",
    "/api/analytics/events": "public",
    "/api/auth/[...nextauth]": "public",
    "/api/cron/aggregate": "cron",
    "/api/cron/bunny-sync": "cron",
    "/api/cron/partitions": "cron",
    "/api/cron/retention": "cron",
    "/api/demo/live/playlist.m3u8": "public",
    "/api/health": "public",
    "/api/metrics": "metrics",
    "/api/streams/[id]": "public",
    "/api/trpc/[trpc]": "procedures",
    "/api/v1/live": "token",
    "/api/v1/openapi.json": "public",
    "/api/v1/organizers": "token",
    "/api/v1/streams": "token",
    "/api/v1/streams/[id]": "token",
    "/api/v1/streams/[id]/breakdown": "token",
    "/api/v1/streams/[id]/series": "token",
    "/api/v1/streams/[id]/stats": "token",
  },
  /** Pages by path. */
  pages: {
    "/": "public",
    "/login": "public",
    "/privacy": "public",
    "/streams/[id]": "public",
    "/admin": "admin",
    "/admin/analytics/live": "admin",
    "/admin/analytics/streams": "admin",
    "/admin/analytics/streams/[id]": "admin",
    "/admin/jobs": "admin",
    "/admin/organizers": "admin",
    "/admin/organizers/[id]": "admin",
    "/admin/streams": "admin",
    "/admin/streams/new": "admin",
    "/admin/streams/[id]": "admin",
    "/admin/tokens": "admin",
  },
} as const satisfies {
  procedures: Record<string, Access>;
  routes: Record<string, Access | "procedures">;
  pages: Record<string, Access>;
};
