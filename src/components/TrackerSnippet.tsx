// The copy-paste embed code of one stream: the script tag a platform puts next to its player on
// its own site (docs/tracker.md). `origin` is this app's public address.
import { CopyButton } from "./CopyButton";

export function trackerSnippet(origin: string, streamId: string): string {
  return `<script src="${origin}/streamscope.js" data-stream="${streamId}" async></script>`;
}

export function TrackerSnippet({ origin, streamId }: { origin: string; streamId: string }) {
  const code = trackerSnippet(origin, streamId);
  return (
    <section className="card section tracker-snippet" data-testid="tracker-snippet-section" aria-labelledby="tracker-snippet-title">
      <h2 id="tracker-snippet-title">Track this stream on your own site</h2>
      <p className="muted small">
        Paste this after the player on any page: a <code>&lt;video&gt;</code> (with or without hls.js), Bunny Stream&apos;s iframe
        or a YouTube iframe. Views then count here like views of this app&apos;s own player.
      </p>
      <pre className="snippet">
        <code data-testid="tracker-snippet">{code}</code>
      </pre>
      <CopyButton text={code} label="Copy the snippet" />
      <p className="muted small">
        More than one player on the page? Add <code>data-target=&quot;#player-id&quot;</code>. Bundlers:{" "}
        <code>import {"{ track }"} from &quot;{origin}/streamscope.mjs&quot;</code>, then{" "}
        <code>track({"{ streamId: \""}{streamId}{"\", endpoint: \""}{origin}{"\" }"})</code>.
      </p>
    </section>
  );
}
