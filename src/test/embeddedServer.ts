// A throw-away embedded database (in-memory PGlite, migrated) in a process of its own, as the app
// runs it: PGlite's WASM then never blocks the process that starts it (vitest's main process, the
// e2e or bench script). Prints "ready <url>", and stops when its parent closes stdin or sends SIGTERM.
import { startEmbeddedDatabase } from "~/lib/db/embedded";
import { migrate } from "~/lib/db/migrate";

async function main() {
  const db = await startEmbeddedDatabase({ dataDir: "memory://", port: Number(process.argv[2] ?? 0) });
  await migrate(db.url);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await db.stop().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.stdin.on("end", () => void stop());
  process.stdin.resume();
  process.stdout.write(`ready ${db.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`embedded test database failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
