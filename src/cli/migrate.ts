// npm run db:migrate — applies pending SQL migrations to DATABASE_URL or the embedded database.
import { env } from "~/env";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { migrateClickHouse } from "~/lib/clickhouse/migrate";

const target = await ensureDatabaseUrl();
try {
  const res = await migrate(target.url, { log: (l) => console.log(l) });
  console.log(
    res.applied.length
      ? `applied ${res.applied.length} migration(s) to the ${target.embedded ? "embedded" : "configured"} database`
      : `database is up to date (${res.alreadyApplied} migration(s) applied earlier)`,
  );
  // ClickHouse as the event store (docs/scaling.md): its own versioned migrations.
  const chUrl = env.CLICKHOUSE_URL?.trim();
  if (chUrl) {
    const ch = await migrateClickHouse(chUrl, { log: (l) => console.log(l) });
    console.log(
      ch.applied.length
        ? `applied ${ch.applied.length} ClickHouse migration(s) to database ${ch.database}`
        : `ClickHouse database ${ch.database} is up to date (${ch.alreadyApplied} migration(s) applied earlier)`,
    );
  }
} finally {
  await target.stop();
}
