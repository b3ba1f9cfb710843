// The import rules of eslint.config.mjs (docs/architecture.md: pages and components → API →
// domain → lib/db; the contract imports nothing): each wrong-way import below must be refused by
// lint, and each right-way one accepted, so loosening a rule fails this test.
import path from "node:path";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const eslint = new ESLint({ cwd: root });

async function errors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("import boundaries", () => {
  it.each([
    ["lib imports a domain module", "src/lib/probe.ts", 'import { runAggregation } from "~/aggregation/job";\nexport const x = runAggregation;\n'],
    ["a domain module imports the API", "src/aggregation/probe.ts", 'import { appRouter } from "~/server/api/root";\nexport const x = appRouter;\n'],
    ["a page reads the domain directly", "src/app/probe/page.tsx", 'import { listStreams } from "~/streams/queries";\nexport const x = listStreams;\n'],
    ["a page runs a read-model query directly", "src/app/probe/page.tsx", 'import { rangeTotals } from "~/analytics/queries/rangeTotals";\nexport const x = rangeTotals;\n'],
    ["a client component imports the database", "src/components/Probe.tsx", '"use client";\nimport { getPool } from "~/lib/db/pool";\nexport const x = getPool;\n'],
    ["a client component imports the server env", "src/components/Probe.tsx", '"use client";\nimport { env } from "~/env";\nexport const x = env;\n'],
    ["ingestion imports Next.js", "src/ingest/probe.ts", 'import { NextResponse } from "next/server";\nexport const x = NextResponse;\n'],
    ["the contract imports a package", "src/contract/probe.ts", 'import { z } from "zod";\nexport const x = z;\n'],
    ["the contract imports lib", "src/contract/probe.ts", 'import { log } from "~/lib/log";\nexport const x = log;\n'],
    ["production code imports test support", "src/ingest/probe.ts", 'import { uid } from "~/test/factories";\nexport const x = uid;\n'],
    ["production code imports a testkit", "src/aggregation/probe.ts", 'import { insertSession } from "./walk.testkit";\nexport const x = insertSession;\n'],
    ["production code imports vitest", "src/sessions/probe.ts", 'import { expect } from "vitest";\nexport const x = expect;\n'],
  ])("refuses: %s", async (_name, file, code) => {
    expect(await errors(file, code)).not.toEqual([]);
  });

  it.each([
    ["a page through the server-side tRPC caller", "src/app/probe/page.tsx", 'import { serverApi } from "~/trpc/server";\nexport const x = serverApi;\n'],
    ["a client component with the shared filters and the contract", "src/components/Probe.tsx", '"use client";\nimport { ZStreamsInput } from "~/analytics/filters";\nimport { bufferRatio } from "~/contract";\nimport { formatPercent } from "~/lib/format";\nexport const x = [ZStreamsInput, bufferRatio, formatPercent];\n'],
    ["a domain module on lib and the contract", "src/aggregation/probe.ts", 'import { getPool } from "~/lib/db/pool";\nimport { SESSION_GAP_MS } from "~/contract";\nexport const x = [getPool, SESSION_GAP_MS];\n'],
    ["an API handler on the domain", "src/server/api/routers/probe.handler.ts", 'import { rangeTotals } from "~/analytics/queries/rangeTotals";\nexport const x = rangeTotals;\n'],
    ["a test reaching across layers", "src/lib/probe.test.ts", 'import { runAggregation } from "~/aggregation/job";\nimport { expect } from "vitest";\nexport const x = [runAggregation, expect];\n'],
  ])("accepts: %s", async (_name, file, code) => {
    expect(await errors(file, code)).toEqual([]);
  });
});
