"use client";
// Create or edit a stream: organizer, title, schedule, and where it plays — Bunny Stream (paste the
// embed/play/HLS URL, or give the ids) or YouTube (any URL or the id). The server reads the URLs
// and names each field it refuses; those messages show beside the fields.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RouterOutputs } from "~/trpc/react";
import { api } from "~/trpc/react";
import { errorsOf, Field, isoToLocal, localToIso } from "./fields";

type Stream = RouterOutputs["catalog"]["stream"];

/** `onSaved`: an edit was saved (the page shows it: the form itself is made again from the saved stream). */
export function StreamForm({ stream, organizerId, onSaved }: { stream?: Stream; organizerId?: string; onSaved?: () => void }) {
  const router = useRouter();
  const utils = api.useUtils();
  const choices = api.catalog.organizerChoices.useQuery();
  const [provider, setProvider] = useState<"bunny_stream" | "youtube">(stream?.provider?.kind ?? "bunny_stream");
  const create = api.catalog.createStream.useMutation({
    onSuccess: (s) => {
      void utils.catalog.invalidate();
      router.push(`/admin/streams/${s.id}?created=1`);
    },
  });
  const update = api.catalog.updateStream.useMutation({
    onSuccess: () => {
      onSaved?.();
      void utils.catalog.invalidate();
    },
  });
  const mutation = stream ? update : create;
  const { fields, message } = errorsOf(mutation.error);
  const p = stream?.provider;

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const d = new FormData(e.currentTarget);
    const text = (k: string) => String(d.get(k) ?? "");
    const input = {
      organizerId: text("organizerId"),
      title: text("title"),
      scheduledStartAt: localToIso(text("scheduledStartAt")),
      scheduledEndAt: localToIso(text("scheduledEndAt")),
      provider,
      bunnyUrl: text("bunnyUrl"),
      bunnyLibraryId: text("bunnyLibraryId"),
      bunnyVideoGuid: text("bunnyVideoGuid"),
      bunnyPlaybackHost: text("bunnyPlaybackHost"),
      youtube: text("youtube"),
    };
    if (stream) update.mutate({ id: stream.id, ...input });
    else create.mutate(input);
  }

  return (
    <form className="card catalog-form" onSubmit={onSubmit} noValidate aria-label={stream ? "Edit stream" : "New stream"}>
      <Field
        label="Organizer"
        name="organizerId"
        errors={fields}
        hint={
          choices.data && choices.data.length === 0 ? (
            <>
              No organizers yet: <Link href="/admin/organizers">create one</Link> first.
            </>
          ) : undefined
        }
      >
        {(props) => (
          <select {...props} defaultValue={stream?.organizer.id ?? organizerId ?? ""} key={choices.data ? "loaded" : "loading"}>
            <option value="">Choose an organizer…</option>
            {stream && !choices.data?.some((c) => c.id === stream.organizer.id) && <option value={stream.organizer.id}>{stream.organizer.name}</option>}
            {choices.data?.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Title" name="title" errors={fields}>
        {(props) => <input {...props} defaultValue={stream?.title} maxLength={220} placeholder="Coastal Regatta Finals" />}
      </Field>
      <div className="form-row">
        <Field label="Scheduled start" name="scheduledStartAt" errors={fields} hint="Your local time.">
          {(props) => <input {...props} type="datetime-local" defaultValue={isoToLocal(stream?.scheduledStartAt)} />}
        </Field>
        <Field label="Scheduled end" name="scheduledEndAt" errors={fields}>
          {(props) => <input {...props} type="datetime-local" defaultValue={isoToLocal(stream?.scheduledEndAt)} />}
        </Field>
      </div>

      <fieldset className="provider-choice">
        <legend>Plays from</legend>
        <label>
          <input type="radio" name="provider" value="bunny_stream" checked={provider === "bunny_stream"} onChange={() => setProvider("bunny_stream")} /> Bunny Stream
        </label>
        <label>
          <input type="radio" name="provider" value="youtube" checked={provider === "youtube"} onChange={() => setProvider("youtube")} /> YouTube
        </label>
      </fieldset>

      {provider === "bunny_stream" ? (
        <div className="provider-fields" data-testid="bunny-fields">
          <Field
            label="Bunny URL"
            name="bunnyUrl"
            errors={fields}
            hint={
              <>
                Paste the embed or play URL (<code>iframe.mediadelivery.net/embed/…</code>), the iframe snippet, or the HLS URL (<code>vz-….b-cdn.net/…/playlist.m3u8</code>); or fill in the ids below.
              </>
            }
          >
            {(props) => <input {...props} placeholder="https://iframe.mediadelivery.net/embed/218441/…" />}
          </Field>
          <div className="form-row">
            <Field label="Library id" name="bunnyLibraryId" errors={fields}>
              {(props) => <input {...props} inputMode="numeric" defaultValue={p?.kind === "bunny_stream" ? (p.libraryId ?? "") : ""} placeholder="218441" />}
            </Field>
            <Field label="Video GUID" name="bunnyVideoGuid" errors={fields}>
              {(props) => <input {...props} defaultValue={p?.kind === "bunny_stream" ? (p.videoGuid ?? "") : ""} placeholder="3f1c2b4a-…" />}
            </Field>
          </div>
          <Field label="Playback host" name="bunnyPlaybackHost" errors={fields} hint="The pull zone that serves the HLS stream, e.g. vz-a1b2c3d4-e5f.b-cdn.net.">
            {(props) => <input {...props} defaultValue={p?.kind === "bunny_stream" ? (p.playbackHost ?? "") : ""} placeholder="vz-a1b2c3d4-e5f.b-cdn.net" />}
          </Field>
        </div>
      ) : (
        <div className="provider-fields" data-testid="youtube-fields">
          <Field label="YouTube video" name="youtube" errors={fields} hint="Any watch, live, shorts, embed or youtu.be URL, or the 11-character video id.">
            {(props) => <input {...props} defaultValue={p?.kind === "youtube" ? (p.videoId ?? "") : ""} placeholder="https://www.youtube.com/watch?v=…" />}
          </Field>
        </div>
      )}

      {mutation.error && (
        <p className="error-text" role="alert" data-testid="form-error">
          {message}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {mutation.isPending ? "Saving…" : stream ? "Save stream" : "Create stream"}
        </button>
      </div>
    </form>
  );
}
