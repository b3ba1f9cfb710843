import type { Metadata } from "next";
import "../catalog.css";
import { TokensAdmin } from "~/components/catalog/TokensAdmin";
import { requireAdminPage } from "~/server/auth";

export const metadata: Metadata = { title: "API tokens" };
export const dynamic = "force-dynamic";

export default async function TokensPage() {
  await requireAdminPage("/admin/tokens");
  return (
    <>
      <div className="page-head">
        <div>
          <h1>API tokens</h1>
          <p className="muted">
            Bearer tokens for the REST API under <code>/api/v1</code> (<code>/api/v1/openapi.json</code> describes it). Also from the command line:{" "}
            <code>npm run token:create -- --name NAME --scope read|write</code>.
          </p>
        </div>
      </div>
      <TokensAdmin />
    </>
  );
}
