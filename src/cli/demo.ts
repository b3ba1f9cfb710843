// The last step of `npm run demo`: database ready, demo data in, server up, login printed.
import { DEMO_ADMIN, seed } from "../../prisma/seed";
import { env } from "~/env";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { main } from "./server";

const target = await ensureDatabaseUrl();
console.log(`database: ${target.embedded ? `embedded PGlite (${env.EMBEDDED_DB_DIR})` : "DATABASE_URL"}`);
await migrate(target.url, { log: (l) => console.log(`[migrate] ${l}`) });
await seed((l) => console.log(`[seed] ${l}`));
await main({
  banner: (url) => {
    console.log("");
    console.log(`  Streamscope demo: ${url}`);
    console.log(`  Admin:            ${url}/admin`);
    console.log(`  Demo admin login: ${DEMO_ADMIN.email} / ${DEMO_ADMIN.password}`);
    console.log("  Stop with Ctrl-C. Data stays in .data/ for the next start.");
    console.log("");
  },
});
