// npm run db:studio — Prisma Studio on whichever database is in use (the embedded one when
// DATABASE_URL is unset: it joins the running app's server, or starts its own).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { childProcessEnv } from "~/env";
import { ensureDatabaseUrl } from "~/lib/db/connect";

const target = await ensureDatabaseUrl();
const prismaWrapper = fileURLToPath(new URL("../../scripts/prisma.mjs", import.meta.url));
const child = spawn(process.execPath, [prismaWrapper, "studio", "--browser", "none", ...process.argv.slice(2)], {
  stdio: "inherit",
  env: childProcessEnv({ DATABASE_URL: target.url }),
});
const stop = () => child.kill("SIGTERM");
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
child.on("exit", async (code) => {
  await target.stop();
  process.exit(code ?? 0);
});
