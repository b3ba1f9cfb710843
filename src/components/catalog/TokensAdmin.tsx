"use client";
// API tokens: create one (shown once, then only its first characters), see when each was last
// used, revoke it. The REST API (/api/v1, docs/rest-api.md) takes them as `Authorization: Bearer`.
import { useState } from "react";
import { API_TOKEN_SCOPES } from "~/contract";
import { api } from "~/trpc/react";
import { errorsOf, Field, fmtTime } from "./fields";

export function TokensAdmin() {
  const utils = api.useUtils();
  const tokens = api.tokens.list.useQuery();
  const choices = api.catalog.organizerChoices.useQuery();
  const [shown, setShown] = useState<{ name: string; token: string } | null>(null);
  const [copied, setCopied] = useState(false);
  const create = api.tokens.create.useMutation({
    onSuccess: (res) => {
      setShown({ name: res.info.name, token: res.token });
      setCopied(false);
      void utils.tokens.list.invalidate();
    },
  });
  const revoke = api.tokens.revoke.useMutation({ onSuccess: () => void utils.tokens.list.invalidate() });
  const { fields, message } = errorsOf(create.error);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const d = new FormData(form);
    setShown(null);
    create.mutate(
      { name: String(d.get("name") ?? ""), scope: String(d.get("scope") ?? "") as "read", organizerId: String(d.get("organizerId") ?? "") || null },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <div className="catalog-layout">
      <section className="section">
        {shown && (
          <div className="card token-shown" data-testid="new-token">
            <h2>Token “{shown.name}” created</h2>
            <p>Copy it now: it is shown only this once (only its hash is kept).</p>
            <div className="token-copy">
              <code data-testid="token-value">{shown.token}</code>
              <button
                type="button"
                onClick={() => {
                  void navigator.clipboard?.writeText(shown.token).then(() => setCopied(true));
                }}
              >
                {copied ? "Copied" : "Copy"}
              </button>
            </div>
            <p className="small muted">
              Use it as <code>Authorization: Bearer {shown.token.slice(0, 10)}…</code> on <code>/api/v1</code>.
            </p>
          </div>
        )}
        {tokens.isLoading ? (
          <p className="muted">Loading…</p>
        ) : tokens.error ? (
          <p className="error-box">{tokens.error.message}</p>
        ) : !tokens.data?.length ? (
          <p className="muted" data-testid="tokens-empty">
            No tokens yet.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="catalog-table" data-testid="tokens-table">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Token</th>
                  <th>Scope</th>
                  <th>Organizer</th>
                  <th>Created</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {tokens.data.map((t) => (
                  <tr key={t.id} data-id={t.id} data-revoked={t.revokedAt ? "true" : "false"}>
                    <td>{t.name}</td>
                    <td>
                      <code>{t.prefix}…</code>
                    </td>
                    <td>{t.scope}</td>
                    <td>{t.organizer?.name ?? <span className="muted">all</span>}</td>
                    <td className="nowrap">{fmtTime(t.createdAt)}</td>
                    <td className="nowrap" data-testid="last-used">
                      {t.lastUsedAt ? fmtTime(t.lastUsedAt) : <span className="muted">never</span>}
                    </td>
                    <td>
                      {t.revokedAt ? (
                        <span className="badge badge-archived">revoked {fmtTime(t.revokedAt)}</span>
                      ) : (
                        <button
                          className="danger"
                          onClick={() => {
                            if (window.confirm(`Revoke “${t.name}”? Programs using it stop working at once.`)) revoke.mutate({ id: t.id });
                          }}
                          disabled={revoke.isPending}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <aside>
        <h2>New token</h2>
        <form className="card catalog-form" onSubmit={onSubmit} noValidate aria-label="New token">
          <Field label="Name" name="name" errors={fields} hint="What uses it, e.g. “BI dashboard”.">
            {(p) => <input {...p} maxLength={120} />}
          </Field>
          <Field label="Scope" name="scope" errors={fields} hint="read: GET only. write: also creates and changes organizers and streams.">
            {(p) => (
              <select {...p} defaultValue="read">
                {API_TOKEN_SCOPES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Organizer" name="organizerId" errors={fields} hint="Optional: the token then sees only this organizer and its streams.">
            {(p) => (
              <select {...p} defaultValue="">
                <option value="">All organizers</option>
                {choices.data?.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          {create.error && (
            <p className="error-text" role="alert" data-testid="form-error">
              {message}
            </p>
          )}
          <div className="form-actions">
            <button type="submit" className="primary" disabled={create.isPending}>
              Create token
            </button>
          </div>
        </form>
      </aside>
    </div>
  );
}
