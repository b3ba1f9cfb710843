// npm run token:create -- --name NAME --scope read|write [--organizer ID]
// Creates a REST API token and prints it on stdout (only there: the database keeps its SHA-256),
// so `TOKEN=$(npm run -s token:create -- --name ci --scope read)` captures it. What it is goes to stderr.
import { parseArgs } from "node:util";
import { ensureDatabaseUrl } from "~/lib/db/connect";
import { migrate } from "~/lib/db/migrate";
import { closePool } from "~/lib/db/pool";
import { disconnectPrisma } from "~/lib/db/prisma";
import { createToken, TokenInputError, ZTokenCreate } from "~/tokens/tokens";

const USAGE = "usage: npm run token:create -- --name NAME --scope read|write [--organizer ORGANIZER_ID]";

export class TokenCliError extends Error {}

/** The token's input from the command line's arguments, or an error naming the option. */
export function parseTokenArgs(args: string[]) {
  let values: { name?: string; scope?: string; organizer?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args,
      options: { name: { type: "string" }, scope: { type: "string" }, organizer: { type: "string" }, help: { type: "boolean", default: false } },
    }));
  } catch (err) {
    throw new TokenCliError(`${(err as Error).message}\n${USAGE}`);
  }
  if (values.help) return null;
  const parsed = ZTokenCreate.safeParse({ name: values.name ?? "", scope: values.scope ?? "", organizerId: values.organizer });
  if (!parsed.success) {
    const flag: Record<string, string> = { name: "--name", scope: "--scope", organizerId: "--organizer" };
    throw new TokenCliError(`${parsed.error.issues.map((i) => `${flag[String(i.path[0])] ?? i.path.join(".")}: ${i.message}`).join("\n")}\n${USAGE}`);
  }
  return parsed.data;
}

async function main() {
  const input = parseTokenArgs(process.argv.slice(2));
  if (!input) {
    console.log(USAGE);
    return;
  }
  const target = await ensureDatabaseUrl();
  try {
    await migrate(target.url);
    const { token, info } = await createToken(input);
    console.error(`created ${info.scope} token "${info.name}" (id ${info.id}${info.organizer ? `, organizer ${info.organizer.name}` : ""}); it is shown only now:`);
    console.log(token);
  } finally {
    await disconnectPrisma();
    await closePool();
    await target.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    const known = err instanceof TokenCliError || err instanceof TokenInputError;
    console.error(err instanceof TokenInputError ? `--organizer: ${err.message}` : known ? err.message : err instanceof Error ? err.message : String(err));
    process.exit(known ? 2 : 1);
  });
}
