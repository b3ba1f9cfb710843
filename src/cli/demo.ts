// The last step of `npm run demo`: database ready, demo data in, server up (its scheduler running
// the jobs), a simulated audience watching the live stream (--no-audience: none), login printed.
// The demo admin's password is random (made on the first run, kept in .data/demo-admin-password,
// printed that once); the server listens on loopback only unless HOST says otherwise.
import { DEMO_ADMIN, DEMO_IDS, demoAdminPassword, seed, SeedRefused } from "../../prisma/seed";
import { env } from "~/env";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { startAudience } from "./audience";
import { main } from "./server";

/** Where the demo listens: HOST when set, else loopback (a demo is not for the network). */
export function demoHost(env: { HOST?: string }): string {
  return env.HOST?.trim() || "127.0.0.1";
}

async function runDemo(args: string[]) {
  const target = await ensureDatabaseUrl();
  console.log(`database: ${target.embedded ? `embedded PGlite (${env.EMBEDDED_DB_DIR})` : "DATABASE_URL"}`);
  await migrate(target.url, { log: (l) => console.log(`[migrate] ${l}`) });
  const admin = demoAdminPassword();
  try {
    // The embedded database in .data/ is the demo's own; DATABASE_URL's may be anything.
    await seed((l) => console.log(`[seed] ${l}`), { adminPassword: admin.password, force: target.embedded || args.includes("--force") });
  } catch (err) {
    if (!(err instanceof SeedRefused)) throw err;
    console.error(err.message.replace("npm run db:seed -- --force", "npm run demo -- --force"));
    await target.stop();
    process.exit(1);
  }
  const audience = !args.includes("--no-audience");
  const started = await main({
    host: demoHost({ HOST: env.HOST }),
    banner: (url) => {
      console.log("");
      console.log(`  Streamscope demo: ${url}`);
      console.log(`  Admin:            ${url}/admin`);
      if (admin.created) {
        console.log(`  Demo admin login: ${DEMO_ADMIN.email} / ${admin.password}`);
        console.log(`                    (shown this once; kept in ${admin.file})`);
      } else {
        console.log(`  Demo admin login: ${DEMO_ADMIN.email}, password in ${admin.file}`);
      }
      console.log(
        audience
          ? "  A simulated audience watches the live stream (npm run demo -- --no-audience: none)."
          : "  No simulated audience (--no-audience).",
      );
      console.log("  Stop with Ctrl-C. Data stays in .data/ for the next start.");
      console.log("");
    },
  });
  if (audience) {
    // Through the server's own door on loopback, as a viewer's browser would send.
    startAudience({
      baseUrl: `http://127.0.0.1:${new URL(started.url).port}`,
      streamId: DEMO_IDS.liveBunny,
      onError: (message) => console.warn(`[audience] a batch was refused: ${message}`),
    });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runDemo(process.argv.slice(2));
}
