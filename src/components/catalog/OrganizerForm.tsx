"use client";
// Create or edit an organizer: name and (optional) slug; the server's field errors beside each field.
import { useState } from "react";
import { api } from "~/trpc/react";
import { errorsOf, Field } from "./fields";

export function OrganizerForm({
  organizer,
  onSaved,
}: {
  organizer?: { id: string; name: string; slug: string };
  onSaved?: (o: { id: string; name: string }) => void;
}) {
  const utils = api.useUtils();
  const [done, setDone] = useState<string | null>(null);
  const saved = (o: { id: string; name: string }) => {
    setDone(organizer ? `Saved.` : `Created “${o.name}”.`);
    void utils.catalog.invalidate();
    onSaved?.(o);
  };
  const create = api.catalog.createOrganizer.useMutation({ onSuccess: saved });
  const update = api.catalog.updateOrganizer.useMutation({ onSuccess: saved });
  const mutation = organizer ? update : create;
  const { fields, message } = errorsOf(mutation.error);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "");
    const slug = String(data.get("slug") ?? "");
    setDone(null);
    if (organizer) update.mutate({ id: organizer.id, name, slug: slug || undefined });
    else create.mutate({ name, slug }, { onSuccess: () => form.reset() });
  }

  return (
    <form className="card catalog-form" onSubmit={onSubmit} noValidate aria-label={organizer ? "Edit organizer" : "New organizer"}>
      <Field label="Name" name="name" errors={fields}>
        {(p) => <input {...p} defaultValue={organizer?.name} maxLength={220} placeholder="Coastal Events" />}
      </Field>
      <Field label="Slug" name="slug" errors={fields} hint={organizer ? "Lower-case letters, digits and dashes." : "Optional: made from the name when empty."}>
        {(p) => <input {...p} defaultValue={organizer?.slug} maxLength={80} placeholder="coastal-events" />}
      </Field>
      {mutation.error && (
        <p className="error-text" role="alert" data-testid="form-error">
          {message}
        </p>
      )}
      {done && !mutation.error && (
        <p className="form-ok" role="status">
          {done}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : organizer ? "Save organizer" : "Create organizer"}
        </button>
      </div>
    </form>
  );
}
